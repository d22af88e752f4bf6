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
/** The length of ВнутреннийНомер and Очередь in the register (docs/en/1c-register.md); mapping.ts cuts there. */
export const REGISTER_SHORT_TEXT = 16

function bad (field: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', `Invalid body: "${field}" ${message}.`, { details: { field } })
}

/**
 * Something in a report that is not usable as sent, while the call itself is: the call is journaled
 * without it, and the answer and the log say which field was set aside and why.
 */
export interface ReportWarning {
  field: string
  message: string
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/
const INSTANT_HELP = 'an ISO-8601 date-time with a zone, e.g. 2026-12-01T09:15:02Z'

/** An instant as UTC ISO, undefined when empty, or the reason it is not one. */
function instant (value: string | undefined): string | undefined | { invalid: string } {
  if (value === undefined || value.trim() === '') return undefined
  // A zone is required: without one the instant would depend on the PBX's locale.
  if (!INSTANT.test(value.trim())) return { invalid: `must be ${INSTANT_HELP}` }
  const ms = Date.parse(value.trim())
  if (Number.isNaN(ms)) return { invalid: 'is not a real date-time' }
  return new Date(ms).toISOString()
}

/** Whole seconds from "156", 156 or "00:02:36" (3CX's human [Duration]); undefined when unreadable. */
function seconds (value: string | number | undefined): number | undefined {
  const text = value === undefined ? '' : String(value).trim()
  if (text === '') return 0
  const clock = /^(?:(\d+):)?([0-5]?\d):([0-5]\d)$/.exec(text)
  const total = clock === null
    ? (/^\d+$/.test(text) ? Number(text) : NaN)
    : Number(clock[1] ?? 0) * 3600 + Number(clock[2]) * 60 + Number(clock[3])
  return Number.isSafeInteger(total) && total <= MAX_DURATION_S ? total : undefined
}

/**
 * Checks what the JSON schema cannot and builds the record to queue. Only what makes a report not a call
 * is refused (no call type, no start: the schema and `start` below): a call 3CX reports cannot be
 * reported again, so a number we cannot read, an empty agent or a bad contact link is journaled without
 * it rather than lost, and named in `warnings`.
 */
export function toCallRecord (body: ReportCallBody, phone: PhoneOptions, receivedAt: Date): { call: CallRecord, warnings: ReportWarning[] } {
  const warnings: ReportWarning[] = []
  const setAside = (field: string, message: string): void => { warnings.push({ field, message }) }
  const start = instant(body.start)
  if (start === undefined) throw bad('start', `is required (${INSTANT_HELP})`)
  if (typeof start !== 'string') throw bad('start', start.invalid)
  const optionalInstant = (field: 'answered' | 'end'): string | undefined => {
    const value = instant(body[field])
    if (typeof value !== 'object') return value
    setAside(field, `${value.invalid}; the call is journaled without it`)
    return undefined
  }
  const answered = optionalInstant('answered')
  const end = optionalInstant('end')
  let durationS = seconds(body.duration)
  if (durationS === undefined) {
    setAside('duration', `must be whole seconds (0 to ${MAX_DURATION_S}) or hh:mm:ss; the call is journaled with 0`)
    durationS = 0
  }
  const parsed = parsePhone(body.number, phone)
  if (parsed.kind === 'invalid') setAside('number', `is not a phone number (${parsed.reason}); the call is journaled with the number as sent, not matched to a 1C object`)
  const contactId = (body.contactId ?? '').trim()
  const contactType = (body.contactType ?? '').trim()
  let contact: CallRecord['contact']
  if (contactId !== '') {
    if (!GUID.test(contactId)) setAside('contactId', 'must be a 1C Ref_Key (GUID) or empty; the call is matched by its number instead')
    else if (!KINDS.includes(contactType as EntityKind)) setAside('contactType', `must be one of ${KINDS.join(', ')} when contactId is given; the call is matched by its number instead`)
    else contact = { ref: contactId.toLowerCase(), kind: contactType as EntityKind }
  }
  const agent = body.agent.trim()
  const queue = (body.queue ?? '').trim()
  for (const [field, value] of [['agent', agent], ['queue', queue]] as const) {
    if (value.length > REGISTER_SHORT_TEXT) setAside(field, `is longer than the register's ${REGISTER_SHORT_TEXT} characters and is cut there`)
  }
  const record: Omit<CallRecord, 'callKey'> = {
    callType: body.callType,
    inbound: body.callType === 'Inbound' || body.callType === 'Missed',
    number: body.number.trim(),
    numberKey: parsed.kind === 'number' ? parsed.e164 : undefined,
    agent,
    agentName: (body.agentName ?? '').trim(),
    agentEmail: (body.agentEmail ?? '').trim(),
    start,
    answered,
    end,
    durationS,
    queue,
    contact,
    name: (body.name ?? '').trim(),
    receivedAt: receivedAt.toISOString(),
  }
  return { call: { ...record, callKey: callKey(record) }, warnings }
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
