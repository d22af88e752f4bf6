import { crc32 } from './crc32.js'

/**
 * One journal line is `<crc32 as 8 lower-case hex digits> <JSON>\n`; the checksum covers the JSON bytes.
 * JSON never contains a raw newline, so a line is a record, and a damaged line costs only itself.
 */
export type JournalRecord =
  /** First line of every segment: seq numbers below `next` were handed out before the segment began. */
  | { t: 'h', v: 1, seg: number, next: number }
  /** On disk `p` holds the payload; decoded, `pj` is its JSON text, parsed only when someone reads it. */
  | { t: 'a', s: number, k: string, at: number, pj: string }
  | { t: 'd', s: number, at: number }
  | { t: 'x', s: number, at: number, r: string }
  | { t: 'r', s: number, at: number }
  | { t: 'z', s: number, at: number }
  /** Snapshot only: a key of a delivered or dropped entry, remembered since `at`. */
  | { t: 'k', s: number, k: string, at: number }
  /** Snapshot only: first line, names the last segment the snapshot replaces. */
  | { t: 'S', v: 1, covers: number, next: number }
  /** Snapshot only: last line; a snapshot without it is incomplete. */
  | { t: 'E', lines: number }

const HEX_LEN = 8
const SPACE = 0x20
const NEWLINE = 0x0a

/** Encodes a record's JSON text (already built by the caller) as one checksummed line. */
export function encodeLine (json: string): Buffer {
  const len = Buffer.byteLength(json)
  const buf = Buffer.allocUnsafe(HEX_LEN + 1 + len + 1)
  buf.write(json, HEX_LEN + 1, 'utf8')
  const crc = crc32(buf, HEX_LEN + 1, HEX_LEN + 1 + len)
  buf.write(crc.toString(16).padStart(HEX_LEN, '0'), 0, 'latin1')
  buf[HEX_LEN] = SPACE
  buf[HEX_LEN + 1 + len] = NEWLINE
  return buf
}

export function encodeRecord (record: Exclude<JournalRecord, { t: 'a' }>): Buffer {
  return encodeLine(JSON.stringify(record))
}

/** The append record, from a payload serialised once by the caller (it also keeps a parsed copy). */
export function encodeAppend (seq: number, key: string, at: number, payloadJson: string): Buffer {
  return encodeLine(`{"t":"a","s":${seq},"k":${JSON.stringify(key)},"at":${at},"p":${payloadJson}}`)
}

export type LineProblem = 'torn' | 'checksum' | 'syntax' | 'shape'

export interface LineVisitor {
  record: (record: JournalRecord, bytes: number, offset: number) => void
  bad: (problem: LineProblem, offset: number, bytes: number) => void
}

/**
 * Walks every line of a journal file. A bad line is reported and skipped, so the records after it survive;
 * a last line without its newline is a torn write and is reported as such.
 */
export function parseLines (buf: Buffer, visit: LineVisitor): void {
  let start = 0
  while (start < buf.length) {
    const nl = buf.indexOf(NEWLINE, start)
    if (nl === -1) {
      visit.bad('torn', start, buf.length - start)
      return
    }
    const bytes = nl - start + 1
    const parsed = parseLine(buf, start, nl)
    if (typeof parsed === 'string') visit.bad(parsed, start, bytes)
    else visit.record(parsed, bytes, start)
    start = nl + 1
  }
}

function parseLine (buf: Buffer, start: number, end: number): JournalRecord | LineProblem {
  if (end - start < HEX_LEN + 3 || buf[start + HEX_LEN] !== SPACE) return 'checksum'
  const expected = readHex(buf, start)
  if (expected === undefined || expected !== crc32(buf, start + HEX_LEN + 1, end)) return 'checksum'
  const append = parseAppend(buf, start + HEX_LEN + 1, end)
  if (append !== undefined) return append
  let value: unknown
  try {
    value = JSON.parse(buf.toString('utf8', start + HEX_LEN + 1, end))
  } catch {
    return 'syntax'
  }
  if (!isRecord(value)) return 'shape'
  if (value.t !== 'a') return value
  const payload = JSON.stringify((value as { p?: unknown }).p) as string | undefined
  return payload === undefined ? 'shape' : { t: 'a', s: value.s, k: value.k, at: value.at, pj: payload }
}

const APPEND_HEAD = Buffer.from('{"t":"a","s":')
const K_FIELD = Buffer.from(',"k":"')
const AT_FIELD = Buffer.from(',"at":')
const P_FIELD = Buffer.from(',"p":')

/**
 * Reads an append line exactly as encodeAppend writes it without parsing the payload, which is most of
 * the bytes and most of the replay time. The checksum already vouches for the bytes; anything unusual
 * returns undefined and goes through JSON.parse instead.
 */
function parseAppend (buf: Buffer, start: number, end: number): Extract<JournalRecord, { t: 'a' }> | undefined {
  if (buf[end - 1] !== 0x7d || !matches(buf, start, end, APPEND_HEAD)) return undefined
  let i = start + APPEND_HEAD.length
  const seq = readDigits(buf, i, end)
  if (seq === undefined || seq === 0) return undefined
  i = digitsEnd
  if (!matches(buf, i, end, K_FIELD)) return undefined
  const keyStart = i + K_FIELD.length - 1
  let escaped = false
  i = keyStart + 1
  while (i < end && buf[i] !== 0x22) {
    if (buf[i] === 0x5c) {
      escaped = true
      i++
    }
    i++
  }
  if (i >= end) return undefined
  const key = escaped ? JSON.parse(buf.toString('utf8', keyStart, i + 1)) as string : buf.toString('utf8', keyStart + 1, i)
  i++
  if (!matches(buf, i, end, AT_FIELD)) return undefined
  const at = readDigits(buf, i + AT_FIELD.length, end)
  if (at === undefined) return undefined
  i = digitsEnd
  if (!matches(buf, i, end, P_FIELD)) return undefined
  i += P_FIELD.length
  if (i >= end - 1) return undefined
  return { t: 'a', s: seq, k: key, at, pj: buf.toString('utf8', i, end - 1) }
}

function matches (buf: Buffer, at: number, end: number, token: Buffer): boolean {
  return at + token.length <= end && buf.compare(token, 0, token.length, at, at + token.length) === 0
}

/** Where the last readDigits stopped (a variable rather than a returned pair: no garbage per line). */
let digitsEnd = 0

/** A run of decimal digits that is a safe integer; anything else (a sign, a fraction) is left to JSON.parse. */
function readDigits (buf: Buffer, start: number, end: number): number | undefined {
  let value = 0
  let i = start
  while (i < end) {
    const c = buf[i] as number
    if (c < 0x30 || c > 0x39) break
    value = value * 10 + (c - 0x30)
    i++
  }
  digitsEnd = i
  return i === start || i - start > 15 ? undefined : value
}

/** The 8 lower-case hex digits at `start` as an unsigned number, or undefined if they are not that. */
function readHex (buf: Buffer, start: number): number | undefined {
  let value = 0
  for (let i = start; i < start + HEX_LEN; i++) {
    const c = buf[i] as number
    let digit: number
    if (c >= 0x30 && c <= 0x39) digit = c - 0x30
    else if (c >= 0x61 && c <= 0x66) digit = c - 0x57
    else return undefined
    value = value * 16 + digit
  }
  return value
}

function isSeq (v: unknown): v is number {
  return Number.isSafeInteger(v) && (v as number) > 0
}

function isTime (v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v)
}

function isRecord (v: unknown): v is JournalRecord {
  if (typeof v !== 'object' || v === null) return false
  const r = v as Record<string, unknown>
  switch (r.t) {
    case 'h': return isSeq(r.next) && Number.isSafeInteger(r.seg)
    case 'a': return isSeq(r.s) && typeof r.k === 'string' && isTime(r.at)
    case 'd':
    case 'r':
    case 'z': return isSeq(r.s) && isTime(r.at)
    case 'x': return isSeq(r.s) && isTime(r.at) && typeof r.r === 'string'
    case 'k': return isSeq(r.s) && typeof r.k === 'string' && isTime(r.at)
    case 'S': return isSeq(r.next) && Number.isSafeInteger(r.covers)
    case 'E': return Number.isSafeInteger(r.lines)
    default: return false
  }
}
