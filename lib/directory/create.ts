import { AppError } from '../errors.js'
import { emailDomain } from '../email.js'
import { eq, str } from '../odata/filter.js'
import { bspPhoneFields, type PhoneOptions } from '../phone.js'
import type { CreateTarget, Profile, SourceProfile } from '../profiles/types.js'
import { toOneCLocal } from '../time.js'
import { toOwnerRecord } from './owners.js'
import type { Candidate, OneCWriter, OwnerRecord, RequestContext } from './types.js'

/**
 * Writes a new client into 1C the way БСП would have: a partner (or a contact person under a named
 * partner) with a contact-information row of type Телефон whose kind comes from the kinds catalog, the
 * columns filled like BSP fills them (lib/phone bspPhoneFields), and the e-mail as a second row.
 */
export interface NewContact {
  phoneKey: string | undefined
  emailKey: string | undefined
  firstName: string
  lastName: string
  /** A contact person under this client instead of a new client. */
  parentRef: string | undefined
}

/** The kinds catalog changes only when the configuration is updated: one lookup per kind per process. */
export class KindResolver {
  readonly #cache = new Map<string, Promise<string>>()

  constructor (private readonly client: OneCWriter, private readonly profile: Profile) {}

  async ref (predefinedName: string, ctx: RequestContext): Promise<string> {
    let pending = this.#cache.get(predefinedName)
    if (pending === undefined) {
      pending = this.#find(predefinedName, ctx)
      this.#cache.set(predefinedName, pending)
      pending.catch(() => this.#cache.delete(predefinedName))
    }
    return await pending
  }

  async #find (name: string, ctx: RequestContext): Promise<string> {
    // Predefined kinds carry the name in PredefinedDataName; newer БСП keeps non-predefined ones in
    // ИмяПредопределенногоВида. Ask for the first, fall back to the second.
    for (const field of ['PredefinedDataName', 'ИмяПредопределенногоВида']) {
      try {
        const res = await this.client.list({ set: this.profile.kindsSet, filter: eq(field, str(name)), select: ['Ref_Key'], top: 1 }, ctx)
        const ref = res.value[0]?.Ref_Key
        if (typeof ref === 'string') return ref
      } catch (err) {
        // A base without ИмяПредопределенногоВида may answer 400 for that field: the first answer decides.
        if (field === 'PredefinedDataName') throw err
      }
    }
    throw new AppError('ONEC_BAD_REQUEST', `1C has no contact-information kind "${name}" in ${this.profile.kindsSet}.`, {
      hint: 'Check the profile\'s create.phoneKind / create.emailKind against Справочник «Виды контактной информации».',
    })
  }
}

function displayName (c: NewContact, fallback: string): string {
  // Russian order, as 1C users write people: Фамилия Имя.
  const name = `${c.lastName} ${c.firstName}`.replace(/\s+/g, ' ').trim()
  return (name === '' ? fallback : name).slice(0, 100)
}

/** BSP's JSON for an e-mail row (onec-odata.md §7.1 shape; empty fields left out as BSP does). */
function emailValue (email: string): string {
  return JSON.stringify({ version: 4, value: email, type: 'АдресЭлектроннойПочты' })
}

export async function createContact (client: OneCWriter, profile: Profile, phone: PhoneOptions, kinds: KindResolver, c: NewContact, timezone: string, fallbackName: string, ctx: RequestContext): Promise<Candidate> {
  const target: CreateTarget & { source: string } = c.parentRef === undefined ? profile.create : profile.create.contactPerson ?? profile.create
  if (c.parentRef !== undefined && profile.create.contactPerson === undefined) {
    throw new AppError('VALIDATION_FAILED', 'This profile cannot create contact persons under a client.', { details: { field: 'partnerId' } })
  }
  const source = profile.sources.find(s => s.kind === target.source) as SourceProfile
  const info = profile.contactInfo
  const parent = c.parentRef === undefined ? undefined : await readParent(client, profile, phone, source, c.parentRef, ctx)
  const rows: Array<Record<string, unknown>> = []
  if (c.phoneKey !== undefined) {
    const kind = await kinds.ref(target.phoneKind, ctx)
    const fields = bspPhoneFields(c.phoneKey)
    rows.push({
      [info.typeField]: info.phoneType,
      [info.kindField]: kind,
      [info.presentationField]: fields.Представление,
      [info.phoneField]: fields.НомерТелефона,
      [info.phoneWithoutCodesField]: fields.НомерТелефонаБезКодов,
      [info.valueField]: fields.Значение,
    })
  }
  if (c.emailKey !== undefined) {
    const kind = await kinds.ref(target.emailKind, ctx)
    rows.push({
      [info.typeField]: info.emailType,
      [info.kindField]: kind,
      [info.presentationField]: c.emailKey,
      [info.emailField]: c.emailKey,
      ДоменноеИмяСервера: emailDomain(c.emailKey),
      [info.valueField]: emailValue(c.emailKey),
    })
  }
  // A tabular section is written whole, every row with its LineNumber (onec-odata.md §4.1–4.2).
  rows.forEach((row, i) => { row.LineNumber = String(i + 1) })
  const name = displayName(c, fallbackName)
  const body: Record<string, unknown> = {
    ...target.defaults,
    [source.nameField]: name,
    [source.contactSection]: rows,
  }
  if (source.kind === 'Partner') {
    body.НаименованиеПолное = name
    body.ДатаРегистрации = toOneCLocal(new Date(), timezone)
  }
  if (c.parentRef !== undefined && profile.create.contactPerson !== undefined) body[profile.create.contactPerson.ownerField] = c.parentRef
  const created = await client.create(source.set, body, ctx)
  const owner = toOwnerRecord({ ...body, ...created }, source, info, phone) as OwnerRecord
  return { owner, source, priority: profile.sources.indexOf(source), parent }
}

/** The client a new contact person goes under: it must exist, be alive, and be a client rather than a group of them. */
async function readParent (client: OneCWriter, profile: Profile, phone: PhoneOptions, source: SourceProfile, ref: string, ctx: RequestContext): Promise<OwnerRecord> {
  const parentSource = profile.sources.find(s => s.kind === source.parent?.source)
  const what = source.parent?.source ?? 'client'
  const select = parentSource === undefined ? [] : ['Ref_Key', parentSource.nameField, parentSource.deletionMarkField, ...(parentSource.folderField === undefined ? [] : [parentSource.folderField])]
  const entity = parentSource === undefined ? undefined : await client.get(parentSource.set, ref, select, ctx)
  if (entity !== undefined && parentSource?.folderField !== undefined && entity[parentSource.folderField] === true) {
    throw new AppError('VALIDATION_FAILED', `${ref} is a group (folder) in ${parentSource.set}, not a ${what}: a contact person goes under a ${what} itself.`, { details: { field: 'partnerId' } })
  }
  const parent = entity === undefined || parentSource === undefined ? undefined : toOwnerRecord(entity, parentSource, profile.contactInfo, phone)
  if (parent === undefined || parent.deleted) {
    throw new AppError('VALIDATION_FAILED', `There is no live ${what} ${ref} in 1C to add the contact person to.`, { details: { field: 'partnerId' } })
  }
  return parent
}
