import type { Random } from './random.js'

/** Value shapes of 1C's JSON (onec-odata.md §2.3). */

export const EMPTY_REF = '00000000-0000-0000-0000-000000000000'
export const EMPTY_DATE = '0001-01-01T00:00:00'

/** `YYYY-MM-DDTHH:mm:ss` without a zone, from seconds since 1970 read as the base's local time. */
export function formatDate (epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().slice(0, 19)
}

/** A random moment between two dates given as `YYYY-MM-DD`. */
export function drawDateTime (random: Random, from: string, to: string): string {
  const start = epochOf(from)
  return formatDate(start + random.int(epochOf(to) - start))
}

const EPOCHS = new Map<string, number>()

function epochOf (day: string): number {
  let seconds = EPOCHS.get(day)
  if (seconds === undefined) {
    seconds = Date.parse(`${day}T00:00:00Z`) / 1000
    EPOCHS.set(day, seconds)
  }
  return seconds
}

/** A date at midnight, such as a birthday. */
export function drawDate (random: Random, from: string, to: string): string {
  return drawDateTime(random, from, to).slice(0, 10) + 'T00:00:00'
}

const VERSION_BYTES = Buffer.alloc(8)

/** An 8-byte base64 DataVersion such as `AAAAAAAETag=` (onec-odata.md §1.4). */
export function dataVersion (random: Random): string {
  VERSION_BYTES.writeUInt32BE(random.int(4), 0)
  VERSION_BYTES.writeUInt32BE(random.uint32(), 4)
  return VERSION_BYTES.toString('base64')
}

