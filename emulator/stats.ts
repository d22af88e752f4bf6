/**
 * Request counters of the OData interface, for tests and benchmarks: every OData request counts, failed
 * ones included, per entity set (`$metadata`, `$service` for the root) by method and by status.
 */
export interface EmulatorStats {
  total: number
  bySet: Record<string, Record<string, number>>
  byStatus: Record<string, Record<string, number>>
  sessionsCreated: number
}

export class StatsCounter {
  private total = 0
  private bySet: Record<string, Record<string, number>> = {}
  private byStatus: Record<string, Record<string, number>> = {}

  request (set: string, method: string): void {
    this.total += 1
    const counts = this.bySet[set] ?? (this.bySet[set] = {})
    counts[method] = (counts[method] ?? 0) + 1
  }

  response (set: string, status: number): void {
    const counts = this.byStatus[set] ?? (this.byStatus[set] = {})
    counts[String(status)] = (counts[String(status)] ?? 0) + 1
  }

  snapshot (sessionsCreated: number): EmulatorStats {
    return { total: this.total, bySet: structuredClone(this.bySet), byStatus: structuredClone(this.byStatus), sessionsCreated }
  }

  reset (): void {
    this.total = 0
    this.bySet = {}
    this.byStatus = {}
  }
}
