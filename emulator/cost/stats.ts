import type { Charge } from './meter.js'

/** What the cost model has charged since the last reset: requests and milliseconds, in total and per access path. */
export interface CostStats {
  requests: number
  ms: number
  byPath: Record<Charge['path'], { requests: number, ms: number }>
}

function empty (): CostStats {
  const zero = (): { requests: number, ms: number } => ({ requests: 0, ms: 0 })
  return { requests: 0, ms: 0, byPath: { none: zero(), seek: zero(), range: zero(), scan: zero() } }
}

export class CostCounter {
  private stats = empty()

  add (charge: Charge): void {
    const path = this.stats.byPath[charge.path]
    this.stats.requests += 1
    this.stats.ms = round(this.stats.ms + charge.ms)
    path.requests += 1
    path.ms = round(path.ms + charge.ms)
  }

  snapshot (): CostStats {
    return structuredClone(this.stats)
  }

  reset (): void {
    this.stats = empty()
  }
}

/** Sums of thousandths stay exact in the report. */
function round (ms: number): number {
  return Math.round(ms * 1000) / 1000
}
