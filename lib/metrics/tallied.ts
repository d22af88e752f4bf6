import { Counter, type Histogram, type Registry } from 'prom-client'

/**
 * Metrics whose per-request work is plain arithmetic, handed to prom-client only when /metrics is scraped.
 * prom-client hashes the label set on every `inc` and `observe` (0.2 µs in a tight loop, over 1 µs per
 * ring in the server, where its code is cold): several times per ring, it was the largest part of the
 * proxy's own work on an index hit. Label sets are bound once, by the route or scenario that counts them.
 */

/** A count the hot path bumps as a plain number. */
export interface Tally { count: number }

/** A prom-client counter that also takes tallies; code off the hot path may still call `inc` on it. */
export function talliedCounter<L extends string> (config: { name: string, help: string, labelNames: readonly L[], registry: Registry }): { counter: Counter<L>, tally: (...values: string[]) => Tally } {
  // A tally counts what prom-client has not been given yet.
  const byValues = new Map<string, { values: string[], tally: Tally }>()
  const counter = new Counter<L>({
    name: config.name,
    help: config.help,
    labelNames: config.labelNames,
    registers: [config.registry],
    collect () {
      for (const { values, tally } of byValues.values()) {
        if (tally.count === 0) continue
        this.labels(...values).inc(tally.count)
        tally.count = 0
      }
    },
  })
  const tally = (...values: string[]): Tally => boundTo(byValues, values, () => ({ values, tally: { count: 0 } })).tally
  return { counter, tally }
}

/** The record of one label set, made on first use: label sets are bound once, not looked up per request. */
function boundTo<T> (records: Map<string, T>, values: readonly string[], create: () => T): T {
  const key = values.join('\u0001')
  let found = records.get(key)
  if (found === undefined) {
    found = create()
    records.set(key, found)
  }
  return found
}

interface Series {
  labels: Record<string, string>
  /** Observations per bucket, not cumulative; the last one is above every bound (+Inf). */
  counts: number[]
  sum: number
  count: number
}

interface ExportedValue { labels: Record<string, string | number>, value: number, metricName: string }

/**
 * A histogram kept as plain bucket counts. prom-client has no way to add many observations at once, so
 * this is a metric of its own that prom-client's registry exposes like its own histograms: same names
 * (`_bucket` with `le`, `_sum`, `_count`), same cumulative buckets.
 */
export class TalliedHistogram<L extends string> {
  readonly type = 'histogram'
  readonly aggregator = 'sum'
  readonly name: string
  readonly help: string
  readonly #labelNames: readonly L[]
  readonly #bounds: readonly number[]
  readonly #series = new Map<string, Series>()

  constructor (config: { name: string, help: string, labelNames: readonly L[], buckets: readonly number[], registry: Registry }) {
    this.name = config.name
    this.help = config.help
    this.#labelNames = config.labelNames
    this.#bounds = [...config.buckets].sort((a, b) => a - b)
    // prom-client's types list only its own metric classes; its registry reads name, help, type,
    // aggregator and get() (and reset() on resetMetrics), which this class has.
    config.registry.registerMetric(this as unknown as Histogram<L>)
  }

  /** The series of one label set, to bind once and observe into per request. */
  labels (...values: string[]): { observe: (value: number) => void } {
    if (values.length !== this.#labelNames.length) throw new Error(`${this.name} takes ${this.#labelNames.length} label values, got ${values.length}`)
    const series = boundTo(this.#series, values, () => ({
      labels: Object.fromEntries(this.#labelNames.map((name, i) => [name, values[i] as string])),
      counts: new Array<number>(this.#bounds.length + 1).fill(0),
      sum: 0,
      count: 0,
    }))
    const bounds = this.#bounds
    return {
      observe: (value) => {
        let bucket = 0
        while (bucket < bounds.length && value > (bounds[bucket] as number)) bucket++
        series.counts[bucket] = (series.counts[bucket] as number) + 1
        series.sum += value
        series.count++
      },
    }
  }

  async get (): Promise<{ name: string, help: string, type: 'histogram', aggregator: 'sum', values: ExportedValue[] }> {
    const values: ExportedValue[] = []
    const bucketName = `${this.name}_bucket`
    for (const { labels, counts, sum, count } of this.#series.values()) {
      let cumulative = 0
      this.#bounds.forEach((bound, i) => {
        cumulative += counts[i] as number
        values.push({ labels: { le: bound, ...labels }, value: cumulative, metricName: bucketName })
      })
      values.push({ labels: { le: '+Inf', ...labels }, value: count, metricName: bucketName })
      values.push({ labels: { ...labels }, value: sum, metricName: `${this.name}_sum` })
      values.push({ labels: { ...labels }, value: count, metricName: `${this.name}_count` })
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values }
  }

  /** Forgets every observation (prom-client's `registry.resetMetrics()`); bound series keep counting. */
  reset (): void {
    for (const series of this.#series.values()) {
      series.counts.fill(0)
      series.sum = 0
      series.count = 0
    }
  }
}
