import { AppError } from '../errors.js'
import { parsePhone, type PhoneOptions } from '../phone.js'
import type { Profile } from '../profiles/types.js'
import { CachedLookup, type CacheOptions, type CacheState } from './cached-lookup.js'
import { echoNumber, toTcxContact, type LinkOptions } from './contact.js'
import { findPhoneOwners } from './find-by-phone.js'
import { choose, type AmbiguityPolicy } from './policy.js'
import type { Candidate, OneCReader, RequestContext, TcxContact } from './types.js'

export type LookupOutcome = 'found' | 'not_found' | 'ambiguous' | 'budget_exceeded' | 'error'

export interface LookupAnswer {
  contacts: TcxContact[]
  outcome: LookupOutcome
  cache: CacheState | 'none'
  /** The matching key (E.164 or e-mail), for logs. */
  key: string | undefined
  /** Why nobody was shown, for logs: the owners found when the answer is ambiguous. */
  candidates?: Array<{ kind: string, ref: string }>
  error?: unknown
}

/** What the cache keeps per key: the contact to show (without the echoed number) or why there is none. */
export interface CachedContact {
  contact: TcxContact | undefined
  ambiguous: Array<{ kind: string, ref: string }> | undefined
}

export interface DirectoryOptions {
  client: OneCReader
  profile: Profile
  phone: PhoneOptions
  policy: AmbiguityPolicy
  budgetMs: number
  cache: CacheOptions
  links: LinkOptions
  /** A round trip that finished after the budget failed: nobody waits for it any more, so it is only logged. */
  onBackgroundError?: (key: string, err: unknown) => void
}

/**
 * Who is behind a number (and later an e-mail): the cache, one shared round trip per key, the budget,
 * the ambiguity policy and the shape 3CX reads.
 */
export class Directory {
  readonly #opts: DirectoryOptions
  readonly cache: CachedLookup<CachedContact>

  constructor (opts: DirectoryOptions) {
    this.#opts = opts
    this.cache = new CachedLookup<CachedContact>({
      ...opts.cache,
      // "Nobody" and "several owners" may change as soon as someone edits 1C: keep them briefly.
      isNegative: value => value?.contact === undefined,
      ...(opts.onBackgroundError === undefined ? {} : { onBackgroundError: opts.onBackgroundError }),
    })
  }

  /** The key a caller number is matched on, or a 400 when the text cannot be a phone number. */
  phoneKeyOf (raw: string): { key: string } | { none: 'anonymous' | 'internal' } {
    const parsed = parsePhone(raw, this.#opts.phone)
    switch (parsed.kind) {
      case 'number':
        return { key: parsed.e164 }
      case 'anonymous':
      case 'internal':
        return { none: parsed.kind }
      case 'empty':
        throw new AppError('INVALID_PHONE_NUMBER', 'The number is empty.', { details: { field: 'number' } })
      case 'invalid':
        throw new AppError('INVALID_PHONE_NUMBER', `"${raw.slice(0, 40)}" is not a phone number: ${parsed.reason}.`, { details: { field: 'number' } })
    }
  }

  async byPhone (raw: string, ctx: RequestContext = {}): Promise<LookupAnswer> {
    const key = this.phoneKeyOf(raw)
    // Withheld and internal numbers have no owner in 1C: answer "nobody" without asking.
    if ('none' in key) return { contacts: [], outcome: 'not_found', cache: 'none', key: undefined }
    const result = await this.cache.lookup(key.key, () => this.#resolvePhone(key.key, ctx), this.#opts.budgetMs)
    return this.#answer(result, key.key, contact => echoNumber(contact, raw, key.key, this.#opts.phone))
  }

  /**
   * The owner of a number for the call journal, when 3CX did not say: same cache and policy as a ring,
   * but no budget (nobody is waiting); a failure is thrown so that the delivery is retried.
   */
  async ownerOf (key: string, timeoutMs: number, ctx: RequestContext = {}): Promise<{ ref: string, kind: TcxContact['EntityType'] } | undefined> {
    const result = await this.cache.lookup(key, () => this.#resolvePhone(key, ctx), timeoutMs)
    if (result.kind === 'error') throw result.error
    if (result.kind === 'budget_exceeded') throw new AppError('ONEC_TIMEOUT', `1C did not answer the lookup of the caller within ${timeoutMs} ms.`)
    const contact = result.value?.contact
    return contact === undefined ? undefined : { ref: contact.ContactID, kind: contact.EntityType }
  }

  /** Forgets one key (a phone in any form 3CX may send, or an e-mail), or everything. */
  purge (raw?: string): number {
    if (raw === undefined) {
      const size = this.cache.size
      this.cache.clear()
      return size
    }
    const parsed = parsePhone(raw, this.#opts.phone)
    const key = parsed.kind === 'number' ? parsed.e164 : raw.trim().toLowerCase()
    return this.cache.delete(key) ? 1 : 0
  }

  /** Shapes candidates the way every lookup answers (shared with the phone index and e-mail lookups). */
  decide (candidates: Candidate[]): CachedContact {
    const resolution = choose(candidates, this.#opts.policy, this.#opts.profile.sources)
    if (resolution.status === 'found') return { contact: toTcxContact(resolution.candidate, this.#opts.phone, this.#opts.links), ambiguous: undefined }
    if (resolution.status === 'ambiguous') return { contact: undefined, ambiguous: resolution.candidates.map(c => ({ kind: c.owner.kind, ref: c.owner.ref })) }
    return { contact: undefined, ambiguous: undefined }
  }

  async #resolvePhone (key: string, ctx: RequestContext): Promise<CachedContact> {
    const candidates = await findPhoneOwners(this.#opts.client, this.#opts.profile, this.#opts.phone, key, ctx)
    return this.decide(candidates)
  }

  #answer (result: Awaited<ReturnType<CachedLookup<CachedContact>['lookup']>>, key: string, shape: (c: TcxContact) => TcxContact): LookupAnswer {
    const cached = result.value
    const contacts = cached?.contact === undefined ? [] : [shape(cached.contact)]
    const base = { contacts, cache: result.cache, key }
    if (result.kind === 'budget_exceeded') return { ...base, outcome: 'budget_exceeded' }
    if (result.kind === 'error') return { ...base, outcome: 'error', error: result.error }
    if (cached?.ambiguous !== undefined) return { ...base, outcome: 'ambiguous', candidates: cached.ambiguous }
    return { ...base, outcome: contacts.length > 0 ? 'found' : 'not_found' }
  }
}
