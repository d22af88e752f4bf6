import type { Collation } from '../collation.js'

/**
 * Runtime values of the filter evaluator. Strings, numbers, booleans and null are plain; GUIDs, dates and
 * typed references are small classes so that `X eq guid'…'` can tell a GUID from a string and a composite
 * value (a reference of a known type) from a plain GUID (onec-odata.md §3.1).
 */
export class GuidValue {
  constructor (readonly text: string) {}
}

/** A 1C date as `YYYY-MM-DDTHH:mm:ss`, which orders correctly as text. */
export class DateTimeValue {
  constructor (readonly text: string) {}
}

/** A reference of a known type: a composite attribute's value or the result of cast(guid'…','Catalog_X'). */
export class RefValue {
  constructor (readonly set: string, readonly guid: string) {}
}

export type Value = null | string | number | boolean | GuidValue | DateTimeValue | RefValue

export function valuesEqual (a: Value, b: Value, collation: Collation): boolean {
  if (a === null || b === null) return a === b
  if (typeof a === 'string' && typeof b === 'string') return collation.key(a) === collation.key(b)
  if (a instanceof RefValue || b instanceof RefValue) {
    // A composite compared with a plain guid'…' is always false: DOC §17.4.5.2, onec-odata.md §3.1.
    return a instanceof RefValue && b instanceof RefValue && a.set === b.set && a.guid === b.guid
  }
  const ta = comparableText(a)
  const tb = comparableText(b)
  if (ta !== undefined && tb !== undefined) return ta === tb
  return a === b
}

/** Negative, zero or positive; undefined when the two cannot be ordered (then gt/lt are false). */
export function compareValues (a: Value, b: Value, collation: Collation): number | undefined {
  if (a === null || b === null) return undefined
  if (typeof a === 'number' && typeof b === 'number') return a - b
  if (typeof a === 'string' && typeof b === 'string') return compareText(collation.key(a), collation.key(b))
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b)
  const ta = comparableText(a)
  const tb = comparableText(b)
  if (ta !== undefined && tb !== undefined) return compareText(ta, tb)
  return undefined
}

/** Order for $orderby: nulls first, then values; values that cannot be compared keep their order. */
export function orderValues (a: Value, b: Value, collation: Collation): number {
  if (a === null) return b === null ? 0 : -1
  if (b === null) return 1
  return compareValues(a, b, collation) ?? 0
}

function compareText (a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** GUIDs and dates compare by their text, also with a string literal of the same text. */
function comparableText (value: Value): string | undefined {
  if (value instanceof GuidValue || value instanceof DateTimeValue) return value.text
  return typeof value === 'string' ? value.toLowerCase() : undefined
}

export function isTrue (value: Value): boolean {
  return value === true
}

/** The name isof()/cast() use for a value's type (DOC §17.4.5.2: String, Number, Boolean, Date, Catalog_X). */
export function typeNameOf (value: Value): string | undefined {
  if (value === null) return undefined
  if (typeof value === 'string') return 'String'
  if (typeof value === 'number') return 'Number'
  if (typeof value === 'boolean') return 'Boolean'
  if (value instanceof DateTimeValue) return 'Date'
  if (value instanceof GuidValue) return 'Guid'
  return value.set
}
