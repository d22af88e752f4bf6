import { Pool } from 'undici'

/**
 * A small load generator on undici (the same client the proxy uses): latencies measured per request with
 * performance.now() (autocannon rounds to whole milliseconds, too coarse for a 2 ms goal).
 * - closed model: `connections` loops, each sending its next request when the last one answered (max throughput);
 * - open model: requests scheduled at a fixed `rate`, latency counted from the scheduled time, so a stall
 *   shows as latency rather than as fewer requests (no coordinated omission).
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
}

export async function load (opts: LoadOptions): Promise<LoadResult> {
  const url = new URL(opts.url)
  const pool = new Pool(url.origin, { connections: opts.connections, pipelining: 1 })
  let i = 0
  const one = async (): Promise<number> => {
    const n = i++
    const res = await pool.request({
      path: opts.path?.(n) ?? `${url.pathname}${url.search}`,
      method: opts.method ?? 'GET',
      headers: opts.headers ?? {},
      ...(opts.body === undefined ? {} : { body: opts.body(n) }),
    })
    await res.body.dump()
    return res.statusCode
  }
  try {
    if ((opts.warmupMs ?? 0) > 0) await phase(one, opts, opts.warmupMs as number)
    return await phase(one, opts, opts.durationMs)
  } finally {
    await pool.close()
  }
}

async function phase (one: () => Promise<number>, opts: LoadOptions, durationMs: number): Promise<LoadResult> {
  const latencies: number[] = []
  let errors = 0
  let non2xx = 0
  const started = performance.now()
  const end = started + durationMs
  const record = async (scheduled: number): Promise<void> => {
    try {
      const status = await one()
      if (status < 200 || status >= 300) non2xx++
    } catch {
      errors++
    }
    latencies.push(performance.now() - scheduled)
  }
  if (opts.rate === undefined) {
    await Promise.all(Array.from({ length: opts.connections }, async () => {
      while (performance.now() < end) await record(performance.now())
    }))
  } else {
    // Sends every request whose time has come, then yields with setImmediate rather than a timer (timers
    // fire a millisecond or more late, which would show as server latency). This spins the generator's
    // own CPU, which is why the servers run on the other one.
    const interval = 1000 / opts.rate
    const inflight = new Set<Promise<void>>()
    let k = 0
    for (;;) {
      const now = performance.now()
      if (now >= end) break
      while (started + k * interval <= now) {
        const p = record(started + k * interval).finally(() => inflight.delete(p))
        inflight.add(p)
        k++
      }
      await new Promise(resolve => setImmediate(resolve))
    }
    await Promise.all(inflight)
  }
  const elapsed = performance.now() - started
  latencies.sort((a, b) => a - b)
  const at = (q: number): number => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0
  return { requests: latencies.length, rps: latencies.length / (elapsed / 1000), p50: at(0.5), p99: at(0.99), max: latencies[latencies.length - 1] ?? 0, errors, non2xx }
}
