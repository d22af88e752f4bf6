import { eq, guid, or } from '../odata/filter.js'
import { storedPhoneKeys, type PhoneOptions } from '../phone.js'
import type { ContactInfoProfile, SourceProfile } from '../profiles/types.js'
import { EMPTY_REF, type DirectoryContext, type OwnerRecord, type RequestContext } from './types.js'

/** Keys per request: an `or` of GUIDs stays far below the URL limits of the web servers in front of 1C. */
const REFS_PER_REQUEST = 25

/** `$select` for an owner: its name, flags, parent, and only the contact-information columns we use. */
export function ownerSelect (source: SourceProfile, info: ContactInfoProfile): string[] {
  const fields = ['Ref_Key', source.nameField, source.deletionMarkField]
  if (source.folderField !== undefined) fields.push(source.folderField)
  if (source.parent !== undefined) fields.push(source.parent.field)
  fields.push(...(source.extraFields ?? []))
  for (const column of [info.typeField, info.phoneField, info.phoneWithoutCodesField, info.presentationField, info.emailField]) {
    fields.push(`${source.contactSection}/${column}`)
  }
  return [...new Set(fields)]
}

/**
 * Reads the owners with these refs from one entity set: one request per set (split only past
 * REFS_PER_REQUEST keys), never one per row. Folders are left out; deletion-marked owners are returned
 * marked, so that callers can tell "deleted" from "absent".
 */
export async function readOwners ({ client, profile, phone }: DirectoryContext, source: SourceProfile, refs: Iterable<string>, ctx: RequestContext = {}): Promise<Map<string, OwnerRecord>> {
  const info = profile.contactInfo
  const unique = [...new Set([...refs].map(r => r.toLowerCase()))].filter(r => r !== EMPTY_REF)
  const out = new Map<string, OwnerRecord>()
  const select = ownerSelect(source, info)
  const chunks: string[][] = []
  for (let i = 0; i < unique.length; i += REFS_PER_REQUEST) chunks.push(unique.slice(i, i + REFS_PER_REQUEST))
  const pages = await Promise.all(chunks.map(chunk => client.list({
    set: source.set,
    filter: or(...chunk.map(ref => eq('Ref_Key', guid(ref)))),
    select,
    top: chunk.length,
  }, ctx)))
  for (const page of pages) {
    for (const entity of page.value) {
      const owner = toOwnerRecord(entity, source, info, phone)
      if (owner !== undefined) out.set(owner.ref, owner)
    }
  }
  return out
}

export function toOwnerRecord (entity: Record<string, unknown>, source: SourceProfile, info: ContactInfoProfile, phone: PhoneOptions): OwnerRecord | undefined {
  if (source.folderField !== undefined && entity[source.folderField] === true) return undefined
  const ref = String(entity.Ref_Key ?? '').toLowerCase()
  if (ref === '') return undefined
  const rows = Array.isArray(entity[source.contactSection]) ? entity[source.contactSection] as Array<Record<string, unknown>> : []
  const phoneKeys: string[] = []
  const emails: string[] = []
  for (const row of rows) {
    if (row[info.typeField] === info.phoneType) {
      for (const key of storedPhoneKeys({
        НомерТелефона: text(row[info.phoneField]),
        НомерТелефонаБезКодов: text(row[info.phoneWithoutCodesField]),
        Представление: text(row[info.presentationField]),
      }, phone)) if (!phoneKeys.includes(key)) phoneKeys.push(key)
    } else if (row[info.typeField] === info.emailType) {
      const email = text(row[info.emailField]).trim() || text(row[info.presentationField]).trim()
      if (email !== '') emails.push(email)
    }
  }
  const parent = source.parent === undefined ? undefined : text(entity[source.parent.field]).toLowerCase()
  return {
    kind: source.kind,
    set: source.set,
    ref,
    name: text(entity[source.nameField]).trim(),
    deleted: entity[source.deletionMarkField] === true,
    person: isPerson(source, entity),
    parentRef: parent === undefined || parent === '' || parent === EMPTY_REF ? undefined : parent,
    phoneKeys,
    emails,
  }
}

function isPerson (source: SourceProfile, entity: Record<string, unknown>): boolean {
  const when = source.person.when
  if (when === 'always' || when === 'never') return when === 'always'
  return when.values.includes(text(entity[when.field]))
}

function text (value: unknown): string {
  return typeof value === 'string' ? value : value === null || value === undefined ? '' : String(value)
}
