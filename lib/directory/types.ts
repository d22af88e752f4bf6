import type { OneCClient, RequestContext } from '../onec/client.js'
import type { PhoneOptions } from '../phone.js'
import type { EntityKind, Profile, SourceProfile } from '../profiles/types.js'

/** What the directory needs of the 1C client (tests may pass anything with these methods; `count` is optional). */
export type OneCReader = Pick<OneCClient, 'list' | 'get'> & Partial<Pick<OneCClient, 'count'>>
export type OneCWriter = Pick<OneCClient, 'list' | 'get' | 'create'>

export type { RequestContext }

/** What every question to 1C about contacts needs: the client, where the configuration keeps contacts, and how numbers read. */
export interface DirectoryContext {
  client: OneCReader
  profile: Profile
  phone: PhoneOptions
}

/** A person or company that may own a number or an e-mail: what the lookup needs of a 1C object. */
export interface OwnerRecord {
  kind: EntityKind
  set: string
  ref: string
  name: string
  deleted: boolean
  /** A person (first and last name), not a company: decided by the profile's rule when the record is read. */
  person: boolean
  /** The parent client's Ref_Key (contact person's partner, counterparty's partner). */
  parentRef: string | undefined
  /** E.164 keys of the owner's phones, in the order 1C lists them. */
  phoneKeys: string[]
  emails: string[]
}

/** One owner found for a key, with its parent client when it has one. */
export interface Candidate {
  owner: OwnerRecord
  source: SourceProfile
  /** Position of the source in the profile: lower is more specific. */
  priority: number
  parent: OwnerRecord | undefined
}

export type Resolution =
  | { status: 'found', candidate: Candidate, candidates: Candidate[] }
  | { status: 'ambiguous', candidates: Candidate[] }
  | { status: 'not_found', candidates: Candidate[] }

/** A contact as 3CX maps it (docs/3cx-api.md): flat, every field present. */
export interface TcxContact {
  ContactID: string
  FirstName: string
  LastName: string
  CompanyName: string
  Email: string
  PhoneBusiness: string
  PhoneMobile: string
  PhoneOther: string
  EntityType: EntityKind
  ContactUrl: string
}

export const EMPTY_REF = '00000000-0000-0000-0000-000000000000'
