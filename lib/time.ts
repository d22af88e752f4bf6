/**
 * 1C dates carry no zone: they are the base's local time (onec-odata.md §2.3). These helpers turn an
 * instant into that wall-clock form and back, for a given IANA zone.
 */
const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter (timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
    formatters.set(timeZone, f)
  }
  return f
}

/** `2026-12-01T06:15:02Z` in Europe/Moscow → `2026-12-01T09:15:02`. */
export function toOneCLocal (instant: Date, timeZone: string): string {
  const parts: Record<string, string> = {}
  for (const p of formatter(timeZone).formatToParts(instant)) parts[p.type] = p.value
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`
}
