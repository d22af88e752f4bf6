import { Pool, type Dispatcher } from 'undici'

/**
 * A small load generator on undici (the same client the proxy uses): latencies measured per request with
 * performance.now() (autocannon rounds to whole milliseconds, too coarse for a 2 ms goal).
 * - closed model: `connections` loops, each sending its next request when the last one answered (max throughput);
 * - open model: requests sent at a fixed `rate` whatever the answers do, so a stall of the server shows as
 *   latency rather than as fewer requests (no coordinated omission): the send loop never waits for an
 *   answer, and the pool has more connections than a stall keeps busy.
 * In the open model the latency runs from the moment a request is handed to the pool. A moment the
 * generator itself lost (a timer firing late, its own garbage collection, the CPU taken by another
 * thread) is not the server's: it is reported apart as `sendLagP99`/`sendLagMax`, how late requests left
 * against the schedule, so a run with a struggling generator is visible as such. A request costs the
 * generator as little as it can: a bare dispatch handler instead of a response stream and promises,
 * latencies in a typed array.
 */
export interface LoadOptions {
  url: string
  method?: 'GET' | 'POST'
  headers?: Record<string, string>
  /** A body per request (i = request number), for requests that must differ (journal reports). */
  body?: (i: number) => string
  path?: (i: number) => string
  connections: number
  durationMs: number
  warmupMs?: number
  /** Open model: requests per second. */
  rate?: number
}

export interface LoadResult {
  requests: number
  rps: number
  p50: number
  p99: number
  max: number
  errors: number
  non2xx: number
  /** Open model: how late requests left against the schedule (99th percentile and worst), in ms. */
  sendLagP99?: number
  sendLagMax?: number
  /** Open model: every latency and every send lag of the run, sorted, so that runs can be pooled (pooledLoad). */
  samples?: { latencies: Float64Array, lags: Float64Array, seconds: number }
}

type Send = (onDone: (status: number, failed: boolean) => void) => void

export async function load (opts: LoadOptions): Promise<LoadResult> {
  const url = new URL(opts.url)
  const pool = new Pool(url.origin, { connections: opts.connections, pipelining: 1 })
  const path = `${url.pathname}${url.search}`
  const method = opts.method ?? 'GET'
  const headers = opts.headers ?? {}
  let i = 0
  const send: Send = (onDone) => {
    const n = i++
    pool.dispatch({ path: opts.path?.(n) ?? path, method, headers, body: opts.body?.(n) ?? null }, new Answer(onDone))
  }
  try {
    if ((opts.warmupMs ?? 0) > 0) await phase(send, opts, opts.warmupMs as number)
    return await phase(send, opts, opts.durationMs)
  } finally {
    await pool.close()
  }
}

/** Reads an answer's status and lets its body pass: nothing of the response is kept (undici's handler API). */
class Answer implements Dispatcher.DispatchHandler {
  #status = 0
  readonly #onDone: (status: number, failed: boolean) => void
  constructor (onDone: (status: number, failed: boolean) => void) { this.#onDone = onDone }
  onConnect (): void {}
  onHeaders (statusCode: number): boolean { this.#status = statusCode; return true }
  onData (): boolean { return true }
  onComplete (): void { this.#onDone(this.#status, false) }
  onError (): void { this.#onDone(this.#status, true) }
}

/** Latencies in a growing typed array: no boxed number per request. */
class Latencies {
  #values = new Float64Array(1 << 16)
  length = 0
  push (ms: number): void {
    if (this.length === this.#values.length) {
      const bigger = new Float64Array(this.#values.length * 2)
      bigger.set(this.#values)
      this.#values = bigger
    }
    this.#values[this.length++] = ms
  }

  sorted (): Float64Array { return this.#values.subarray(0, this.length).sort() }
}

async function phase (send: Send, opts: LoadOptions, durationMs: number): Promise<LoadResult> {
  const latencies = new Latencies()
  let errors = 0
  let non2xx = 0
  const started = performance.now()
  const end = started + durationMs
  let inflight = 0
  let drained: () => void = () => {}
  const record = (sent: number, next?: () => void): void => {
    inflight++
    send((status, failed) => {
      inflight--
      if (failed) errors++
      else if (status < 200 || status >= 300) non2xx++
      latencies.push(performance.now() - sent)
      if (next !== undefined) next()
      if (inflight === 0) drained()
    })
  }
  let lags: Latencies | undefined
  if (opts.rate === undefined) {
    const loop = (): void => { if (performance.now() < end) record(performance.now(), loop) }
    for (let c = 0; c < opts.connections; c++) loop()
  } else {
    // Sleeps between sends (a timer) rather than spinning, so the generator leaves its CPU idle and can run
    // at real-time priority (bench/processes.ts) without the kernel throttling it.
    const interval = 1000 / opts.rate
    lags = new Latencies()
    let k = 0
    for (;;) {
      const now = performance.now()
      if (now >= end) break
      while (started + k * interval <= now) {
        lags.push(now - (started + k++ * interval))
        record(performance.now())
      }
      await new Promise(resolve => setTimeout(resolve, Math.max(0, started + k * interval - performance.now())))
    }
  }
  if (inflight > 0) await new Promise<void>(resolve => { drained = resolve })
  const elapsed = performance.now() - started
  const sorted = latencies.sorted()
  const result: LoadResult = { requests: sorted.length, rps: sorted.length / (elapsed / 1000), p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: quantile(sorted, 1), errors, non2xx }
  if (lags === undefined) return result
  const lagged = lags.sorted()
  return { ...result, sendLagP99: quantile(lagged, 0.99), sendLagMax: quantile(lagged, 1), samples: { latencies: sorted, lags: lagged, seconds: elapsed / 1000 } }
}

/**
 * Open-model runs taken as one: the quantiles of all their requests together, not an average of each
 * run's quantiles (a p99 is not additive).
 */
export function pooledLoad (runs: LoadResult[]): LoadResult {
  const sortedUnion = (pick: (s: NonNullable<LoadResult['samples']>) => Float64Array): Float64Array => {
    const parts = runs.map(r => r.samples === undefined ? new Float64Array(0) : pick(r.samples))
    const all = new Float64Array(parts.reduce((n, p) => n + p.length, 0))
    let at = 0
    for (const part of parts) { all.set(part, at); at += part.length }
    return all.sort()
  }
  const latencies = sortedUnion(s => s.latencies)
  const lags = sortedUnion(s => s.lags)
  const seconds = runs.reduce((total, r) => total + (r.samples?.seconds ?? 0), 0)
  return {
    requests: latencies.length,
    rps: latencies.length / seconds,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    max: quantile(latencies, 1),
    errors: runs.reduce((n, r) => n + r.errors, 0),
    non2xx: runs.reduce((n, r) => n + r.non2xx, 0),
    sendLagP99: quantile(lags, 0.99),
    sendLagMax: quantile(lags, 1),
    samples: { latencies, lags, seconds },
  }
}

/** The q-quantile of sorted values (q = 1: the largest); 0 when there are none. */
export function quantile (sorted: ArrayLike<number>, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0
}
