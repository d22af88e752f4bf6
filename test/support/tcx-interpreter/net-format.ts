/**
 * The few .NET formatting rules the 3CX template engine applies, limited to what the bridge's
 * template uses. Everything else throws, so a template cannot lean on a format the interpreter
 * would only guess at.
 */

/** A .NET TimeSpan, e.g. [DurationTimespan]; tests give it as seconds. */
export class TimeSpan {
  constructor (readonly totalSeconds: number) {}
}

const pad = (value: number, width: number): string => String(value).padStart(width, '0')

/**
 * .NET custom DateTime format: `yyyy MM dd HH mm ss` and the literals `T Z - : ` and space.
 * The Date's UTC fields are used: a .NET DateTime carries no zone, so a test passes a Date whose UTC
 * fields are the clock 3CX would have (UTC for *UTC variables, PBX-local for *Local ones).
 */
export function formatDate (date: Date, format: string): string {
  if (Number.isNaN(date.getTime())) throw new Error('Cannot format an invalid Date')
  const tokens: Record<string, () => string> = {
    yyyy: () => pad(date.getUTCFullYear(), 4),
    MM: () => pad(date.getUTCMonth() + 1, 2),
    dd: () => pad(date.getUTCDate(), 2),
    HH: () => pad(date.getUTCHours(), 2),
    mm: () => pad(date.getUTCMinutes(), 2),
    ss: () => pad(date.getUTCSeconds(), 2),
  }
  let out = ''
  let i = 0
  outer: while (i < format.length) {
    for (const [token, render] of Object.entries(tokens)) {
      if (format.startsWith(token, i) && format[i + token.length] !== token[0]) {
        out += render()
        i += token.length
        continue outer
      }
    }
    const ch = format[i] as string
    // ':' is culture-dependent in .NET in theory (the time separator); every culture 3CX meets uses ':'.
    if ('TZ-: '.includes(ch)) {
      out += ch
      i++
      continue
    }
    throw new Error(`DateTime format "${format}" is outside the supported subset (at "${format.slice(i)}")`)
  }
  return out
}

/** `ToString("F0")`: whole number, half away from zero, no separators. Only F0 is culture-independent. */
export function formatNumber (value: number, format: string): string {
  if (format !== 'F0' && format !== 'f0') throw new Error(`Number format "${format}" is outside the supported subset (F0)`)
  if (!Number.isFinite(value)) throw new Error(`Cannot format ${value} with F0`)
  const rounded = Math.sign(value) * Math.floor(Math.abs(value) + 0.5)
  return String(rounded === 0 ? 0 : rounded)
}

/** A TimeSpan rendered without a format: .NET's constant ("c") format, `[-][d.]hh:mm:ss[.fffffff]`. */
export function formatTimeSpan (span: TimeSpan): string {
  const negative = span.totalSeconds < 0
  const ticks = Math.round(Math.abs(span.totalSeconds) * 1e7)
  const fraction = ticks % 1e7
  const whole = (ticks - fraction) / 1e7
  const days = Math.floor(whole / 86400)
  const hours = Math.floor((whole % 86400) / 3600)
  const minutes = Math.floor((whole % 3600) / 60)
  const seconds = whole % 60
  return (negative ? '-' : '') + (days > 0 ? `${days}.` : '') + `${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}` +
    (fraction > 0 ? `.${pad(fraction, 7)}` : '')
}

/** .NET's default rendering of a double. */
export function numberToString (value: number): string {
  return String(value).replace('e', 'E')
}
