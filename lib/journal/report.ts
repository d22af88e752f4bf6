import { createHash } from 'node:crypto'
import { AppError } from '../errors.js'
import { parsePhone, type PhoneOptions } from '../phone.js'
import type { EntityKind } from '../profiles/types.js'

/** The four call types 3CX reports, exactly as its `[CallType]` renders them (3cx-crm.md §3). */
export const CALL_TYPES = ['Inbound', 'Outbound', 'Missed', 'Notanswered'] as const
export type CallType = typeof CALL_TYPES[number]

/** The ReportCall body as 3CX sends it (docs/3cx-api.md); empty strings mean "unknown". */
export interface ReportCallBody {
  callType: CallType
  direction?: string
  number: string
  agent: string
  agentName?: string
  agentEmail?: string
  start: string
  answered?: string
  end?: string
  duration?: string | number
  queue?: string
  contactId?: string
  contactType?: string
  name?: string
}

/** What the queue keeps: the report checked and normalised, ready to map to 1C. */
export interface CallRecord {
  callKey: string
  callType: CallType
  inbound: boolean
  /** As 3CX sent it. */
  number: string
  /** E.164 when the number is a full number. */
  numberKey: string | undefined
  agent: string
  agentName: string
  agentEmail: string
  /** UTC ISO instants. */
  start: string
  answered: string | undefined
  end: string | undefined
  durationS: number
  queue: string
  contact: { ref: string, kind: EntityKind } | undefined
  name: string
  receivedAt: string
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const KINDS: readonly EntityKind[] = ['ContactPerson', 'Partner', 'Counterparty']
/** Seven days: no real call lasts longer; a bigger number is a malformed report. */
const MAX_DURATION_S = 7 * 24 * 3600

function bad (field: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', `Invalid body: "${field}" ${message}.`, { details: { field } })
}

function instant (value: string | undefined, field: string, required: boolean): string | undefined {
  if (value === undefined || value.trim() === '') {
    if (required) throw bad(field, 'is required (UTC ISO-8601, e.g. 2026-12-01T09:15:02Z)')
    return undefined
  }
  // A zone is required: without one the instant would depend on the PBX's locale.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(value.trim())) {
    throw bad(field, 'must be an ISO-8601 date-time with a zone, e.g. 2026-12-01T09:15:02Z')
  }
  const ms = Date.parse(value.trim())
  if (Number.isNaN(ms)) throw bad(field, 'is not a real date-time')
  return new Date(ms).toISOString()
}

/** Checks what the JSON schema cannot (dates, the number, the contact) and builds the record to queue. */
export function toCallRecord (body: ReportCallBody, phone: PhoneOptions, receivedAt: Date): CallRecord {
  const parsed = parsePhone(body.number, phone)
  if (parsed.kind === 'empty') throw bad('number', 'is empty')
  if (parsed.kind === 'invalid') throw bad('number', `is not a phone number (${parsed.reason})`)
  const start = instant(body.start, 'start', true) as string
  const answered = instant(body.answered, 'answered', false)
  const end = instant(body.end, 'end', false)
  const durationText = body.duration === undefined || body.duration === '' ? '0' : String(body.duration).trim()
  if (!/^\d+$/.test(durationText) || Number(durationText) > MAX_DURATION_S) throw bad('duration', 'must be whole seconds (0 to 604800)')
  const contactId = (body.contactId ?? '').trim()
  const contactType = (body.contactType ?? '').trim()
  let contact: CallRecord['contact']
  if (contactId !== '') {
    if (!GUID.test(contactId)) throw bad('contactId', 'must be a 1C Ref_Key (GUID) or empty')
    if (!KINDS.includes(contactType as EntityKind)) throw bad('contactType', `must be one of ${KINDS.join(', ')} when contactId is given`)
    contact = { ref: contactId.toLowerCase(), kind: contactType as EntityKind }
  }
  const numberKey = parsed.kind === 'number' ? parsed.e164 : undefined
  const agent = body.agent.trim()
  const record: Omit<CallRecord, 'callKey'> = {
    callType: body.callType,
    inbound: body.callType === 'Inbound' || body.callType === 'Missed',
    number: body.number.trim(),
    numberKey,
    agent,
    agentName: (body.agentName ?? '').trim(),
    agentEmail: (body.agentEmail ?? '').trim(),
    start,
    answered,
    end,
    durationS: Number(durationText),
    queue: (body.queue ?? '').trim(),
    contact,
    name: (body.name ?? '').trim(),
    receivedAt: receivedAt.toISOString(),
  }
  return { ...record, callKey: callKey(record) }
}

/**
 * 3CX gives no call id (3cx-crm.md §2): a call is identified by (number, agent, start second, type).
 * The key reads as what it is, `20261201091502-I-101-74951234567`, so a 1C administrator can tell calls
 * apart in the register; it falls back to a hash only if that would not fit the register's 64 characters.
 */
export function callKey (r: Pick<CallRecord, 'numberKey' | 'number' | 'agent' | 'start' | 'callType'>): string {
  const second = r.start.slice(0, 19).replace(/[-:T]/g, '')
  const number = r.numberKey?.replace('+', '') ?? (r.number.replace(/[^\p{L}\p{N}]/gu, '').toLowerCase() || 'unknown')
  const agent = r.agent.replace(/[^\p{L}\p{N}]/gu, '') || 'none'
  const key = `${second}-${r.callType[0] as string}-${agent}-${number}`
  if (key.length <= 64) return key
  return createHash('sha256').update(`${second}|${r.callType}|${r.agent}|${number}`).digest('hex')
}
