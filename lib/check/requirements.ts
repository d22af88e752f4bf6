import type { Config } from '../config/types.js'
import { mapCall, type JournalTarget } from '../journal/mapping.js'
import type { CallRecord } from '../journal/report.js'
import type { Profile } from '../profiles/types.js'
import type { TabularOf } from './names.js'

/**
 * What the active profile and configuration need of the 1C base: which entity sets, and in each which
 * properties with which EDM types. Derived from the same code the proxy runs (the profile, the owner
 * read, the call mapping), so the check cannot drift from what the proxy asks.
 */
export type Expect =
  | { kind: 'edm', types: readonly string[] }
  /** A tabular section: `Collection(StandardODATA.<rowType>)`. */
  | { kind: 'collection', rowType: string }
  /** Present; the proxy compares its value as text, whatever the type. */
  | { kind: 'any' }

export interface FieldNeed {
  name: string
  expect: Expect
}

export type SetRole = 'source' | 'contacts' | 'kinds' | 'journal'

export interface SetNeed {
  set: string
  role: SetRole
  tabular?: TabularOf
  fields: FieldNeed[]
}

export const NUMERIC_TYPES = ['Edm.Int16', 'Edm.Int32', 'Edm.Int64', 'Edm.Decimal', 'Edm.Double', 'Edm.Single', 'Edm.Byte', 'Edm.SByte'] as const

const GUID: Expect = { kind: 'edm', types: ['Edm.Guid'] }
const STRING: Expect = { kind: 'edm', types: ['Edm.String'] }
const BOOLEAN: Expect = { kind: 'edm', types: ['Edm.Boolean'] }
const DATETIME: Expect = { kind: 'edm', types: ['Edm.DateTime'] }
const NUMBER: Expect = { kind: 'edm', types: NUMERIC_TYPES }
const ANY: Expect = { kind: 'any' }

/**
 * The register's key that makes a repeated delivery harmless: mapping.ts writes the 3CX call key into it,
 * and the journal worker relies on 1C refusing a second record with the same key.
 */
export const REGISTER_CALL_KEY = 'ИдентификаторЗвонка'

const ISO_LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/

/** The EDM type a value written to 1C needs: references are `_Key` Guids, composites (`X` + `X_Type`) strings. */
export function expectFor (name: string, value: unknown, siblings: Record<string, unknown>): Expect {
  if (name === 'Ref_Key' || name.endsWith('_Key')) return GUID
  if (typeof value === 'boolean') return BOOLEAN
  if (typeof value === 'number') return NUMBER
  if (typeof value === 'string') {
    if (`${name}_Type` in siblings || name.endsWith('_Type')) return STRING
    if (ISO_LOCAL.test(value)) return DATETIME
    return STRING
  }
  return ANY
}

/** A reference field: `_Key` is a Guid; without it the field is composite (value + `_Type`), a string. */
function referenceExpect (field: string): Expect {
  return field.endsWith('_Key') ? GUID : STRING
}

class SetList {
  readonly #sets = new Map<string, SetNeed>()

  add (set: string, role: SetRole, tabular?: TabularOf): SetNeed {
    let need = this.#sets.get(set)
    if (need === undefined) {
      need = { set, role, fields: [] }
      if (tabular !== undefined) need.tabular = tabular
      this.#sets.set(set, need)
    }
    return need
  }

  field (need: SetNeed, name: string, expect: Expect): void {
    if (need.fields.some(f => f.name === name)) return
    need.fields.push({ name, expect })
  }

  list (): SetNeed[] {
    return [...this.#sets.values()]
  }
}

/** A call with every field filled, so that the mapping shows every property it writes. */
function sampleCall (profile: Profile): CallRecord {
  const kind = profile.sources[0]?.kind ?? 'Partner'
  return {
    callKey: 'check',
    callType: 'Inbound',
    inbound: true,
    number: '+74951234567',
    numberKey: '+74951234567',
    agent: '101',
    agentName: 'Agent',
    agentEmail: 'agent@example.com',
    start: '2026-01-01T09:00:00.000Z',
    answered: '2026-01-01T09:00:05.000Z',
    end: '2026-01-01T09:01:00.000Z',
    durationS: 55,
    queue: '800',
    contact: { ref: '00000000-0000-0000-0000-000000000001', kind },
    name: 'Check',
    receivedAt: '2026-01-01T09:01:00.000Z',
  }
}

/** The properties the journal writes to its target, with their types. */
export function journalFields (target: JournalTarget, profile: Profile, timezone: string): FieldNeed[] {
  const mapped = mapCall(target, sampleCall(profile), { profile, timezone, contact: sampleCall(profile).contact, now: new Date('2026-01-01T09:01:00.000Z') })
  const fields = Object.entries(mapped.body).map(([name, value]) => ({ name, expect: expectFor(name, value, mapped.body) }))
  if (target === 'document' && !fields.some(f => f.name === 'Ref_Key')) fields.unshift({ name: 'Ref_Key', expect: GUID })
  return fields
}

export function journalSet (target: JournalTarget, profile: Profile): string {
  return target === 'register' ? profile.journal.register : profile.journal.document
}

/**
 * Every set the proxy reads or writes with this profile and configuration, in the order an administrator
 * thinks of them: each source and its contact information, the kinds catalog (only when contacts may be
 * created: nothing else reads it), then the journal target (unless JOURNAL_TARGET=off).
 */
export function neededSets (profile: Profile, config: Pick<Config, 'journal' | 'contacts' | 'onec'>): SetNeed[] {
  const list = new SetList()
  const info = profile.contactInfo
  for (const source of profile.sources) {
    const owner = list.add(source.set, 'source')
    list.field(owner, 'Ref_Key', GUID)
    list.field(owner, source.nameField, STRING)
    for (const f of source.searchFields ?? []) list.field(owner, f, STRING)
    list.field(owner, source.deletionMarkField, BOOLEAN)
    if (source.folderField !== undefined) list.field(owner, source.folderField, BOOLEAN)
    if (source.parent !== undefined) list.field(owner, source.parent.field, referenceExpect(source.parent.field))
    for (const f of source.extraFields ?? []) list.field(owner, f, ANY)
    if (typeof source.person.when === 'object') list.field(owner, source.person.when.field, ANY)
    list.field(owner, source.contactSection, { kind: 'collection', rowType: `${source.contactSet}_RowType` })

    const rows = list.add(source.contactSet, 'contacts', { owner: source.set, section: source.contactSection })
    list.field(rows, 'Ref_Key', GUID)
    list.field(rows, 'LineNumber', NUMBER)
    list.field(rows, info.typeField, STRING)
    list.field(rows, info.kindField, referenceExpect(info.kindField))
    for (const f of [info.phoneField, info.phoneWithoutCodesField, info.presentationField, info.valueField, info.emailField]) list.field(rows, f, STRING)
  }

  if (config.contacts.creation) {
    const targets = [{ kind: profile.create.source, defaults: profile.create.defaults, ownerField: undefined as string | undefined }]
    const person = profile.create.contactPerson
    if (person !== undefined) targets.push({ kind: person.source, defaults: person.defaults, ownerField: person.ownerField })
    for (const target of targets) {
      const source = profile.sources.find(s => s.kind === target.kind)
      if (source === undefined) continue
      const owner = list.add(source.set, 'source')
      if (target.ownerField !== undefined) list.field(owner, target.ownerField, referenceExpect(target.ownerField))
      for (const [name, value] of Object.entries(target.defaults)) list.field(owner, name, expectFor(name, value, target.defaults))
    }
    const kinds = list.add(profile.kindsSet, 'kinds')
    list.field(kinds, 'Ref_Key', GUID)
    list.field(kinds, 'PredefinedDataName', STRING)
  }

  if (config.journal.target !== 'off') {
    const journal = list.add(journalSet(config.journal.target, profile), 'journal')
    for (const f of journalFields(config.journal.target, profile, config.onec.timezone)) list.field(journal, f.name, f.expect)
  }
  return list.list()
}
