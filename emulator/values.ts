import { randomUUID } from 'node:crypto'
import type { EdmType, PropertyDef } from './schema/model.js'

/** The empty reference, served as zeros (onec-odata.md §2.3). */
export const EMPTY_REF = '00000000-0000-0000-0000-000000000000'
/** The empty date, served as year 1 (onec-odata.md §2.3). */
export const EMPTY_DATE = '0001-01-01T00:00:00'
/** `_Type` of a composite attribute that holds Неопределено (DOC §17.4.3 "Type"). */
export const UNDEFINED_TYPE = 'StandardODATA.Undefined'
export const NAMESPACE = 'StandardODATA'

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/
const CANONICAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/

/** Calendar check of a `YYYY-MM-DDTHH:mm:ss` text without building a Date (bases hold millions of dates). */
function validDate (text: string): boolean {
  const year = Number(text.slice(0, 4))
  const month = Number(text.slice(5, 7))
  const day = Number(text.slice(8, 10))
  if (year < 1 || month < 1 || month > 12 || day < 1) return false
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  const days = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31
  return day <= days && Number(text.slice(11, 13)) < 24 && Number(text.slice(14, 16)) < 60 && Number(text.slice(17, 19)) < 60
}

export function isGuid (text: string): boolean {
  return GUID.test(text)
}

export function newGuid (): string {
  return randomUUID()
}

/**
 * Reads a 1C date: no zone, no fraction (onec-odata.md §2.3). A date-only value means midnight, and a
 * fraction is dropped, because 1C keeps whole seconds. A zone suffix is not a 1C date: undefined.
 */
export function parseDateTime (text: string): string | undefined {
  if (text.length === 19 && CANONICAL_DATE_TIME.test(text)) return validDate(text) ? text : undefined
  const m = DATE_TIME.exec(text)
  if (m === null) return undefined
  const [year, month, day, hour = '00', minute = '00', second = '00'] = m.slice(1)
  const normalised = `${year}-${month}-${day}T${hour}:${minute}:${second}`
  return validDate(normalised) ? normalised : undefined
}

/** The IB's local time, the way 1C serves dates (onec-odata.md §2.3). */
export function formatLocalDateTime (date: Date): string {
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0')
  return `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
}

let dataVersionCounter = 0x10000

/** A fresh `DataVersion`: 8 bytes in base64 like `AAAAAAAETag=` (onec-odata.md §1.4). */
export function newDataVersion (): string {
  dataVersionCounter += 1
  const bytes = Buffer.alloc(8)
  bytes.writeBigUInt64BE(BigInt(dataVersionCounter))
  return bytes.toString('base64')
}

/** Fixed-length strings are stored and served padded with spaces (onec-odata.md §2.3). */
export function padFixed (value: string, def: PropertyDef): string {
  return def.fixed === true && def.length !== undefined ? value.padEnd(def.length, ' ') : value
}

/** The value an attribute has when nothing was written to it. */
export function emptyValue (type: EdmType, def?: PropertyDef): unknown {
  switch (type) {
    case 'Edm.Guid': return EMPTY_REF
    case 'Edm.Boolean': return false
    case 'Edm.DateTime': return EMPTY_DATE
    case 'Edm.Int64': return '0'
    case 'Edm.Int16':
    case 'Edm.Int32':
    case 'Edm.Double': return 0
    case 'Edm.String': return def === undefined ? '' : padFixed('', def)
  }
}

/** 1C cannot compare strings of unlimited length in a query (model.ts `length`). */
export function isUnlimitedString (def: PropertyDef): boolean {
  return def.type === 'Edm.String' && def.length === undefined && def.enumName === undefined &&
    def.composite === undefined && def.readOnly !== true
}
