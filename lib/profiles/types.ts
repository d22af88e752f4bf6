/**
 * A profile says where a configuration keeps the people and companies who call, and how their phones and
 * e-mails are stored, so that another configuration needs a profile file, not code. Sources are listed
 * most specific first: that order is the lookup's priority when one number has several owners.
 */
export type EntityKind = 'ContactPerson' | 'Partner' | 'Counterparty'

export interface PersonRule {
  /** When FirstName/LastName are filled from the object's name: always, never, or when a field has one of some values. */
  when: 'always' | 'never' | { field: string, values: string[] }
  /** How the full name is written: 'last-first' ("Иванов Иван Иванович", the Russian convention) or 'first-last'. */
  order: 'last-first' | 'first-last'
}

export interface SourceProfile {
  /** What 3CX sees as EntityType, and what call reports send back as contactType. */
  kind: EntityKind
  /** The owner's entity set, e.g. Catalog_КонтактныеЛицаПартнеров. */
  set: string
  /** The tabular section holding contact information. */
  contactSection: string
  /** Its own entity set (read-only in 1C), e.g. Catalog_КонтактныеЛицаПартнеров_КонтактнаяИнформация. */
  contactSet: string
  nameField: string
  /** Fields searched for a name fragment (SearchContacts); default: the name field. */
  searchFields?: string[]
  person: PersonRule
  /**
   * The reference to the client this object belongs to (contact person → partner, counterparty → partner).
   * `companyName`: CompanyName is the parent's name (a contact person's company) rather than the object's own.
   */
  parent?: { field: string, source: EntityKind, companyName: boolean }
  /** Fields of the owner that decide `person.when`, read along with the name. */
  extraFields?: string[]
  /** Objects with this flag set are never shown (1C's deletion mark). */
  deletionMarkField: string
  /** Folders of hierarchical catalogs are skipped. */
  folderField?: string
}

export interface ContactInfoProfile {
  typeField: string
  kindField: string
  phoneType: string
  emailType: string
  /** Stored phone columns (onec-odata.md §7.1). */
  phoneField: string
  phoneWithoutCodesField: string
  presentationField: string
  valueField: string
  emailField: string
}

export interface CreateTarget {
  /** Fields set on every new object (e.g. Клиент: true). */
  defaults: Record<string, unknown>
  /** The kind of the phone and e-mail rows, by the predefined name of Catalog_ВидыКонтактнойИнформации. */
  phoneKind: string
  emailKind: string
}

export interface CreateProfile extends CreateTarget {
  /** Which source new clients become. */
  source: EntityKind
  /** A contact person under an existing client, when the request names the client. */
  contactPerson?: CreateTarget & { source: EntityKind, ownerField: string }
}

export interface JournalProfile {
  register: string
  document: string
}

export interface Profile {
  name: string
  sources: SourceProfile[]
  contactInfo: ContactInfoProfile
  kindsSet: string
  create: CreateProfile
  journal: JournalProfile
}
