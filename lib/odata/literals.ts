/**
 * OData literals as 1C parses them (onec-odata.md §2.3, §3.1): strings in single quotes with a quote
 * doubled, `guid'…'`, `datetime'…'` without a zone. Every value that reaches a URL passes through one
 * of these functions; nothing is concatenated raw.
 */
export class ODataLiteralError extends TypeError {
  constructor (message: string) {
    super(message)
    this.name = 'ODataLiteralError'
  }
}

/** Web servers in front of 1C (IIS, Apache) reject very long URLs; no single value needs more. */
export const MAX_STRING_LITERAL = 1024

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/
// C0 controls and DEL cannot be stored in a 1C string attribute and only ever come from hostile input.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/

export function stringLiteral (value: string): string {
  if (value.length > MAX_STRING_LITERAL) {
    throw new ODataLiteralError(`string literal longer than ${MAX_STRING_LITERAL} characters`)
  }
  if (CONTROL.test(value)) throw new ODataLiteralError('string literal contains control characters')
  return `'${value.replace(/'/g, "''")}'`
}

export function isGuid (value: string): boolean {
  return GUID.test(value)
}

export function guidLiteral (value: string): string {
  if (!GUID.test(value)) throw new ODataLiteralError(`not a GUID: ${JSON.stringify(value.slice(0, 64))}`)
  return `guid'${value.toLowerCase()}'`
}

/** `YYYY-MM-DDTHH:mm:ss` in the base's local time, the only form 1C takes (no zone, no fraction). */
export function datetimeLiteral (value: string): string {
  const m = DATETIME.exec(value)
  if (m === null) throw new ODataLiteralError(`not a 1C date-time (YYYY-MM-DDTHH:mm:ss): ${JSON.stringify(value.slice(0, 64))}`)
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number]
  const probe = new Date(Date.UTC(y, mo - 1, d, h, mi, s))
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
    throw new ODataLiteralError(`not a real date-time: ${value}`)
  }
  return `datetime'${value}'`
}

export function numberLiteral (value: number): string {
  if (!Number.isFinite(value)) throw new ODataLiteralError(`not a finite number: ${value}`)
  return String(value)
}

export function booleanLiteral (value: boolean): string {
  return value ? 'true' : 'false'
}
