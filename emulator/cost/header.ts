import type { Charge } from './meter.js'

/**
 * `X-Emulator-Cost-Ms` on every charged response, for benchmarks and tests: the charged milliseconds first,
 * then the access path and the counts behind them, e.g. `312.004; path=scan; seeks=0; read=301234; skipped=0;
 * sorted=0; returned=1; tabular=0`.
 */
export const COST_HEADER = 'X-Emulator-Cost-Ms'

const COUNTS = ['seeks', 'read', 'skipped', 'sorted', 'returned', 'tabular'] as const

export function formatCostHeader (charge: Charge): string {
  return [String(charge.ms), `path=${charge.path}`, ...COUNTS.map((name) => `${name}=${charge[name]}`)].join('; ')
}

/** The header back as a Charge; undefined when it is absent or not in this form. */
export function parseCostHeader (value: string | string[] | undefined): Charge | undefined {
  const text = Array.isArray(value) ? value[0] : value
  if (text === undefined) return undefined
  const [first, ...parts] = text.split(';').map((part) => part.trim())
  const fields = new Map(parts.map((part) => {
    const eq = part.indexOf('=')
    return [part.slice(0, eq), part.slice(eq + 1)] as const
  }))
  const ms = Number(first)
  const path = fields.get('path')
  if (first === undefined || first === '' || !Number.isFinite(ms)) return undefined
  if (path !== 'none' && path !== 'seek' && path !== 'range' && path !== 'scan') return undefined
  const charge: Charge = { ms, path, seeks: 0, read: 0, skipped: 0, sorted: 0, returned: 0, tabular: 0 }
  for (const name of COUNTS) {
    const n = Number(fields.get(name))
    if (!Number.isInteger(n) || n < 0) return undefined
    charge[name] = n
  }
  return charge
}
