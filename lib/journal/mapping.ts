import { createHash } from 'node:crypto'
import { datetime, eq, type FilterExpr } from '../odata/filter.js'
import { formatPhoneForPeople } from '../phone.js'
import type { Profile } from '../profiles/types.js'
import { toOneCLocal } from '../time.js'
import { REGISTER_SHORT_TEXT, type CallRecord, type CallType } from './report.js'

/**
 * How a call becomes a 1C record: a row of the ЖурналЗвонков3CX register (the default), or a БСП
 * ТелефонныйЗвонок document for bases whose administrator will not add the register (onec-odata.md §8).
 */
export type JournalTarget = 'register' | 'document'

export const REGISTER_CALL_TYPES: Record<CallType, string> = {
  Inbound: 'Входящий',
  Outbound: 'Исходящий',
  Missed: 'Пропущенный',
  Notanswered: 'НеОтвечен',
}

export interface MappedRecord {
  set: string
  body: Record<string, unknown>
  /**
   * For the document target: the Ref_Key we ask 1C to use, so that a retry can tell whether it landed.
   * Whether 1C keeps a Ref_Key sent with a POST is uncertain (onec-odata.md §4.1): `find` works either way.
   */
  ref?: string
  /** For the document target: how to find this call's document whatever Ref_Key 1C gave it. */
  find?: DocumentSearch
}

export interface DocumentSearch {
  /** The documents of the call's second: Date is indexed in every document table, so this is cheap. */
  filter: FilterExpr
  select: string[]
  /**
   * Whether a row found is this call's document, by its Комментарий. Compared here, not in the filter:
   * Комментарий is a string of unlimited length (onec-odata.md §8), which 1C cannot compare in a query.
   */
  matches: (row: Record<string, unknown>) => boolean
}

export interface MappingContext {
  profile: Profile
  timezone: string
  /** The owner found by our own lookup when 3CX sent none. */
  contact: CallRecord['contact']
  now: Date
}

export function mapCall (target: JournalTarget, call: CallRecord, ctx: MappingContext): MappedRecord {
  return target === 'register' ? toRegister(call, ctx) : toDocument(call, ctx)
}

function composite (ctx: MappingContext, field: string): Record<string, unknown> {
  if (ctx.contact === undefined) return {}
  const source = ctx.profile.sources.find(s => s.kind === ctx.contact?.kind)
  if (source === undefined) return {}
  // A composite attribute is written as the value and its type (onec-odata.md §1.4, §4.1).
  return { [field]: ctx.contact.ref, [`${field}_Type`]: `StandardODATA.${source.set}` }
}

function clip (value: string, length: number): string {
  return value.length <= length ? value : value.slice(0, length)
}

function numberText (call: CallRecord): string {
  return call.numberKey === undefined ? call.number : formatPhoneForPeople(call.numberKey)
}

function agentText (call: CallRecord): string {
  const name = call.agentName === '' ? call.agent : `${call.agentName} (${call.agent})`
  return call.agentEmail === '' ? name : `${name} <${call.agentEmail}>`
}

function toRegister (call: CallRecord, ctx: MappingContext): MappedRecord {
  return {
    set: ctx.profile.journal.register,
    body: {
      ИдентификаторЗвонка: call.callKey,
      ДатаНачала: toOneCLocal(new Date(call.start), ctx.timezone),
      ТипЗвонка: REGISTER_CALL_TYPES[call.callType],
      Длительность: call.durationS,
      ВнешнийНомер: clip(call.numberKey ?? call.number, 32),
      ВнутреннийНомер: clip(call.agent, REGISTER_SHORT_TEXT),
      Агент: clip(agentText(call), 150),
      ...composite(ctx, 'Контрагент'),
      Очередь: clip(call.queue, REGISTER_SHORT_TEXT),
      ДатаЗаписи: toOneCLocal(ctx.now, ctx.timezone),
    },
  }
}

const SUBJECTS: Record<CallType, string> = {
  Inbound: 'Входящий звонок',
  Outbound: 'Исходящий звонок',
  Missed: 'Пропущенный звонок',
  Notanswered: 'Неотвеченный исходящий звонок',
}

function toDocument (call: CallRecord, ctx: MappingContext): MappedRecord {
  const number = numberText(call)
  const who = call.name === '' ? number : `${call.name}, ${number}`
  const minutes = Math.floor(call.durationS / 60)
  const description = [
    `${SUBJECTS[call.callType]}: ${who}.`,
    `Внутренний номер: ${agentText(call)}.`,
    call.queue === '' ? '' : `Очередь: ${call.queue}.`,
    `Длительность: ${minutes} мин ${call.durationS % 60} с.`,
    `Звонок 3CX: ${call.callKey}.`,
  ].filter(line => line !== '').join('\n')
  const ref = documentRef(call.callKey)
  const date = toOneCLocal(new Date(call.start), ctx.timezone)
  const comment = `3CX ${call.callKey}`
  return {
    set: ctx.profile.journal.document,
    ref,
    find: {
      filter: eq('Date', datetime(date)),
      select: ['Ref_Key', 'Комментарий'],
      matches: row => typeof row.Комментарий === 'string' && row.Комментарий.trim() === comment,
    },
    body: {
      Ref_Key: ref,
      Date: date,
      АбонентКакСвязаться: clip(number, 100),
      ...composite(ctx, 'АбонентКонтакт'),
      АбонентПредставление: clip(who, 1024),
      Входящий: call.inbound,
      Тема: clip(`${SUBJECTS[call.callType]} ${number}`, 1024),
      Описание: description,
      Важность: 'Обычная',
      Комментарий: comment,
    },
  }
}

/**
 * A GUID derived from the call key (name-based, version 5 layout over SHA-1): the same call always asks
 * for the same Ref_Key, so a retry after a lost answer can check whether the document is already there.
 */
export function documentRef (callKey: string): string {
  const h = createHash('sha1').update(`3cx-1c-bridge:${callKey}`).digest()
  h[6] = ((h[6] as number) & 0x0f) | 0x50
  h[8] = ((h[8] as number) & 0x3f) | 0x80
  const hex = h.subarray(0, 16).toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`
}
