import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { request } from 'undici'
import { phoneKey } from '../lib/phone.js'
import { load, pooledLoad, quantile, type LoadResult } from './load.js'
import { CLI, realtime, start, waitForLine, type Running } from './processes.js'

/** Pieces the benchmark entry points share: the servers under test and how each case is driven. 127.0.0.1 only. */
export const TCX = { user: 'bench', password: 'bench-password-123' }
export const ADMIN = { user: 'admin', password: 'admin-password-123' }
const METRICS = { user: 'metrics', password: 'metrics-password' }
export const auth = (c: { user: string, password: string }): string => `Basic ${Buffer.from(`${c.user}:${c.password}`).toString('base64')}`
const json = { 'content-type': 'application/json', authorization: auth(TCX) }

export interface Row extends LoadResult {
  name: string
  /** Requests the case caused in 1C, per request served. */
  onecPerRequest?: number
}

/** The open-model latency of a case and of the bare route at the same rate, measured in turns (pacedTurns). */
export interface PacedTurns {
  /** False when real-time priority could not be set: then every turn ran at normal priority. */
  isolated: boolean
  /** All requests of the case's turns pooled, and of the bare route's (at real-time priority). */
  case: LoadResult
  bare: LoadResult
  /** Each turn's p99, ascending: how much the machine moved during the measurement. */
  caseTurnsP99: number[]
  bareTurnsP99: number[]
  sliceMs: number
  /** One more slice of each at normal priority: what this VM's other threads add (docs/benchmarks.md). */
  normal: { case: LoadResult, bare: LoadResult }
}

/**
 * The latency of a case at 1 000 req/s (open model), in turns with the bare route at the same rate, as
 * alternatingRatio does for throughput: on this VM a stretch of seconds decides a p99 more than the server
 * does (the bare route alone measured 0.36–4.46 ms in single 10 s runs), so a p99 from one run, set
 * against the bare route's from another run minutes earlier, compared two phases of the machine. The
 * turns give both the same phases, and their pooled requests (30 000 in six turns of 5 s) estimate the
 * p99 from three times as many requests as one run did. The main threads of this generator and of the
 * server whose turn it is run at real-time priority (bench/processes.ts); one slice of each follows at
 * normal priority. Every other round the case goes first.
 */
export async function pacedTurns (bare: Bare, server: Running, run: (durationMs: number) => Promise<LoadResult>, rounds = 6, sliceMs = 5000): Promise<PacedTurns> {
  const onBare = async (durationMs: number): Promise<LoadResult> => await bare.load({ durationMs, rate: 1000 })
  let isolated = realtime(process.pid, true)
  // Only the server whose turn it is runs at real-time priority. Two servers at SCHED_FIFO on one CPU do
  // not share it: with both there, the bare route's turns stalled for 0.7–1 s at a time. Most likely the
  // idle proxy's main thread spun waiting for one of its helper threads, which at normal priority cannot
  // run on that CPU until the kernel's real-time throttling cuts in (950 ms of every second; dmesg has
  // "RT throttling activated"). Not proven; the stalls went away with this arrangement.
  const turn = async (onCase: boolean): Promise<LoadResult> => {
    const pid = (onCase ? server : bare).child.pid as number
    isolated = realtime(pid, true) && isolated
    try {
      return onCase ? await run(sliceMs) : await onBare(sliceMs)
    } finally {
      realtime(pid, false)
    }
  }
  const caseRuns: LoadResult[] = []
  const bareRuns: LoadResult[] = []
  try {
    await turn(false)
    await turn(true)
    for (let i = 0; i < rounds; i++) {
      if (i % 2 === 1) {
        caseRuns.push(await turn(true))
        bareRuns.push(await turn(false))
      } else {
        bareRuns.push(await turn(false))
        caseRuns.push(await turn(true))
      }
    }
  } finally {
    realtime(process.pid, false)
  }
  const normal = { bare: await onBare(sliceMs), case: await run(sliceMs) }
  const p99s = (runs: LoadResult[]): number[] => runs.map(r => r.p99).sort((a, b) => a - b)
  return { isolated, case: pooledLoad(caseRuns), bare: pooledLoad(bareRuns), caseTurnsP99: p99s(caseRuns), bareTurnsP99: p99s(bareRuns), sliceMs, normal }
}

/** "1.64 ms over 6 turns of 5 s with the bare route (turns 1.10–3.20 ms; the bare route 1.14 ms in the same turns, its turns 0.80–2.10 ms)" */
export function describePaced (p: PacedTurns): string {
  const range = (values: number[]): string => `${(values[0] ?? 0).toFixed(2)}–${(values[values.length - 1] ?? 0).toFixed(2)} ms`
  return `${p.case.p99.toFixed(2)} ms over ${p.caseTurnsP99.length} turns of ${p.sliceMs / 1000} s with the bare route (turns ${range(p.caseTurnsP99)}; the bare route ${p.bare.p99.toFixed(2)} ms in the same turns, its turns ${range(p.bareTurnsP99)})`
}

/** The bare Fastify route (bench/bare-server.ts), kept running for the whole benchmark. */
export interface Bare extends Running {
  load: (opts: { durationMs: number, warmupMs?: number, rate?: number }) => Promise<LoadResult>
}

/** Runs `use` with the bare route up, and stops it however `use` ends (a live child would keep this process alive). */
export async function withBare<T> (connections: number, use: (bare: Bare) => Promise<T>): Promise<T> {
  const running = await start(fileURLToPath(new URL('./bare-server.js', import.meta.url)), [], {}, 0)
  const url = `${String(running.ready.proxy)}/3cx/lookup`
  const bare: Bare = {
    ...running,
    load: async (opts) => await load({ url, method: 'POST', headers: json, body: () => '{"number":"+74951234567"}', connections, warmupMs: 0, ...opts }),
  }
  try {
    return await use(bare)
  } finally {
    await bare.stop()
  }
}

/** The bare route at full speed: the ceiling. */
export async function ceiling (bare: Bare, durationMs: number): Promise<Row> {
  return { name: 'bare Fastify JSON route (ceiling)', ...await bare.load({ durationMs, warmupMs: 5000 }) }
}

/** A ratio measured in turns, and how much it moved from one pair of slices to the next. */
export interface TurnsRatio {
  /** All requests of the case over all requests of the bare route, in the same rounds. */
  ratio: number
  /** The middle half of the per-round ratios (25th and 75th percentile). */
  low: number
  high: number
  caseRequests: number
  bareRequests: number
  /** How long the bare route ran in these turns: with bareRequests, the machine's pace while they ran. */
  bareSeconds: number
  /** Each round's ratio, in ascending order (one per turn of the bare route and the case). */
  perRound: number[]
  /** When several proxy processes were measured (pooledTurns): each one's ratio, in order. */
  processes?: number[]
}

/**
 * A case's throughput as a share of the bare route's, the two measured in turns of `sliceMs` (after a
 * slice of each to warm up). On this shared VM the speed of the machine changes by up to 2× within
 * seconds, so the ratio of two runs minutes apart says as much about the drift as about the proxy. Many
 * short turns follow the drift more closely than a few long ones: two identical bare servers measured
 * 0.95–1.18 of each other in six turns of 2 s, 1.00–1.07 in sixteen turns of 0.5 s (docs/benchmarks.md).
 * Every other round the case goes first, so that neither always runs right after the other.
 */
export async function alternatingRatio (bare: Bare, run: (durationMs: number) => Promise<LoadResult>, rounds = 20, sliceMs = 1000): Promise<TurnsRatio> {
  await bare.load({ durationMs: sliceMs })
  await run(sliceMs)
  let bareRequests = 0
  let caseRequests = 0
  const perRound: number[] = []
  for (let i = 0; i < rounds; i++) {
    const caseFirst = i % 2 === 1
    const first = caseFirst ? await run(sliceMs) : await bare.load({ durationMs: sliceMs })
    const second = caseFirst ? await bare.load({ durationMs: sliceMs }) : await run(sliceMs)
    const [onBare, onCase] = caseFirst ? [second, first] : [first, second]
    bareRequests += onBare.requests
    caseRequests += onCase.requests
    perRound.push(onCase.rps / onBare.rps)
  }
  perRound.sort((a, b) => a - b)
  return turnsOf(caseRequests, bareRequests, rounds * sliceMs / 1000, perRound)
}

function turnsOf (caseRequests: number, bareRequests: number, bareSeconds: number, perRound: number[]): TurnsRatio {
  return { ratio: caseRequests / bareRequests, low: quantile(perRound, 0.25), high: quantile(perRound, 0.75), caseRequests, bareRequests, bareSeconds, perRound }
}

/**
 * The turns of several proxy processes of one build taken together. On this VM a process is fast or slow
 * for its whole life (four of one build, measured in one rotation: 0.53–0.64 of the bare route; see
 * docs/benchmarks.md), so one process's ratio is one draw; the pooled ratio is what the build costs.
 */
export function pooledTurns (parts: TurnsRatio[]): TurnsRatio {
  const sum = (pick: (t: TurnsRatio) => number): number => parts.reduce((total, t) => total + pick(t), 0)
  const pooled = turnsOf(sum(t => t.caseRequests), sum(t => t.bareRequests), sum(t => t.bareSeconds), parts.flatMap(t => t.perRound).sort((a, b) => a - b))
  return { ...pooled, processes: parts.map(t => t.ratio) }
}

/**
 * "0.66 measured in turns with the bare route (20 turns; middle half of the turns 0.62–0.70; the bare
 * route at 24,000 req/s in them)", or for pooled turns "0.74 measured in turns with the bare route over 2
 * proxy processes (0.82, 0.66; 40 turns; middle half of the turns 0.65–0.84; the bare route at …)"
 */
export function describeTurns (t: TurnsRatio): string {
  const opening = t.processes === undefined ? '(' : `over ${t.processes.length} proxy processes (${t.processes.map(r => r.toFixed(2)).join(', ')}; `
  const pace = Math.round(t.bareRequests / t.bareSeconds).toLocaleString('en-US')
  return `${t.ratio.toFixed(2)} measured in turns with the bare route ${opening}${t.perRound.length} turns; middle half of the turns ${t.low.toFixed(2)}–${t.high.toFixed(2)}; the bare route at ${pace} req/s in them)`
}

export async function startEmulator (args: string[]): Promise<Running & { url: string, odata: string }> {
  const emulator = await start(CLI, ['emulator', '--host', '127.0.0.1', '--port', '0', ...args], {}, 1)
  return { ...emulator, url: String(emulator.ready.infobase), odata: String(emulator.ready.odata) }
}

export interface Proxy extends Running { url: string, dataDir: string }

export async function startProxy (onecUrl: string, env: Record<string, string>): Promise<Proxy> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bridge-bench-'))
  const proxy = await start(CLI, ['serve', '--dotenv', '/dev/null'], {
    ONEC_URL: onecUrl,
    ONEC_USER: 'odata',
    ONEC_PASSWORD: 'odata',
    HOST: '127.0.0.1',
    PORT: '0',
    PUBLIC_URL: 'http://127.0.0.1:1',
    TCX_USER: TCX.user,
    TCX_PASSWORD: TCX.password,
    ADMIN_PASSWORD: ADMIN.password,
    METRICS_USER: METRICS.user,
    METRICS_PASSWORD: METRICS.password,
    DATA_DIR: dataDir,
    DEFAULT_AREA_CODE: '495',
    ONEC_MAX_CONNECTIONS: '8',
    ONEC_TIMEOUT_MS: '60000',
    LOOKUP_BUDGET_MS: '30000',
    LOG_LEVEL: 'warn',
    ...env,
  }, 0)
  const stop = proxy.stop
  return { ...proxy, url: String(proxy.ready.proxy), dataDir, stop: async () => { await stop(); rmSync(dataDir, { recursive: true, force: true }) } }
}

export async function emulatorRequests (emulatorOrigin: string): Promise<number> {
  const res = await request(`${new URL(emulatorOrigin).origin}/__emulator/stats`, { headers: { authorization: auth({ user: 'odata', password: 'odata' }) } })
  const stats = await res.body.json() as { bySet: Record<string, Record<string, number>> }
  // Contact requests only: the proxy's /ready probe asks for the service document now and then.
  return Object.entries(stats.bySet).filter(([set]) => !set.startsWith('$')).reduce((sum, [, m]) => sum + Object.values(m).reduce((a, b) => a + b, 0), 0)
}

/** Phone numbers of the base as 3CX would send them, read from 1C's own rows. */
export async function sampleNumbers (odataUrl: string, count: number): Promise<string[]> {
  const set = encodeURIComponent('Catalog_Партнеры_КонтактнаяИнформация')
  const res = await request(`${odataUrl}/${set}?$format=json&$top=${count * 2}&$select=${encodeURIComponent('НомерТелефона,Представление,Тип')}`, { headers: { authorization: auth({ user: 'odata', password: 'odata' }) } })
  const body = await res.body.json() as { value: Array<Record<string, string>> }
  const keys = new Set<string>()
  for (const row of body.value) {
    if (row.Тип !== 'Телефон') continue
    const key = phoneKey(row.НомерТелефона, { defaultCountry: 'RU', defaultAreaCode: '495' }) ?? phoneKey(row.Представление, { defaultCountry: 'RU', defaultAreaCode: '495' })
    if (key !== undefined) keys.add(key)
    if (keys.size >= count) break
  }
  return [...keys]
}

/** One lookup; its outcome (found, not_found, ambiguous, …). */
async function lookupOnce (proxy: Proxy, number: string): Promise<string> {
  const res = await request(`${proxy.url}/3cx/lookup`, { method: 'POST', headers: json, body: JSON.stringify({ number }) })
  return String((await res.body.json() as { outcome?: unknown }).outcome)
}

/**
 * Looks each number up once and returns those 1C answered with one owner: cached for CACHE_TTL_S (600 s),
 * they stay cached through a cached-lookup measurement. "Nobody" and "several owners" are cached for
 * CACHE_NEGATIVE_TTL_S (60 s) only; one expiring mid-run sends its next ring to 1C, and in a closed-model
 * run that rings a few hundred numbers every connection soon waits on that one lookup (seconds against
 * the cost model): the row would measure 1C, not the cache.
 */
export async function warmFound (proxy: Proxy, numbers: string[]): Promise<string[]> {
  const found: string[] = []
  for (const number of numbers) if (await lookupOnce(proxy, number) === 'found') found.push(number)
  return found
}

export async function lookups (proxy: Proxy, numbers: string[], opts: { durationMs: number, connections: number, rate?: number, warmupMs?: number }): Promise<LoadResult> {
  const bodies = numbers.map(number => JSON.stringify({ number }))
  return await load({
    url: `${proxy.url}/3cx/lookup`,
    method: 'POST',
    headers: json,
    body: i => bodies[i % bodies.length] as string,
    connections: opts.connections,
    durationMs: opts.durationMs,
    warmupMs: opts.warmupMs ?? 5000,
    ...(opts.rate === undefined ? {} : { rate: opts.rate }),
  })
}

/** Distinct reports (a new start second each), so that every one is a new call and goes to disk. */
export async function reports (proxy: Proxy, opts: { durationMs: number, connections: number }): Promise<LoadResult> {
  const base = Date.UTC(2026, 0, 1)
  let seq = 0
  return await load({
    url: `${proxy.url}/3cx/report-call`,
    method: 'POST',
    headers: json,
    body: () => JSON.stringify({ callType: 'Inbound', number: `+7916${String(1_000_000 + (seq % 9_000_000)).padStart(7, '0')}`, agent: String(100 + (seq % 50)), start: new Date(base + (seq++) * 1000).toISOString(), duration: '60' }),
    connections: opts.connections,
    durationMs: opts.durationMs,
    warmupMs: 0,
  })
}

export async function adminJson (proxy: Proxy, path: string): Promise<Record<string, unknown>> {
  const res = await request(`${proxy.url}/admin/${path}`, { headers: { authorization: auth(ADMIN) } })
  return await res.body.json() as Record<string, unknown>
}

export async function rssBytes (proxy: Proxy): Promise<number> {
  const res = await request(`${proxy.url}/metrics`, { headers: { authorization: auth(METRICS) } })
  const text = await res.body.text()
  return Number(/^bridge_process_resident_memory_bytes (\S+)$/m.exec(text)?.[1] ?? 'NaN')
}

export async function indexSynced (proxy: Proxy, timeoutMs: number): Promise<{ durationMs: number, rows: number, requests: number, paging: string }> {
  // The proxy logs at warn for benchmarks; the admin route tells when the sync is done.
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const state = await adminJson(proxy, 'index') as { lastSync?: { ok: boolean, durationMs: number, requests: number, paging: string, error?: string }, rows: number }
    if (state.lastSync?.ok === true) return { durationMs: state.lastSync.durationMs, rows: state.rows, requests: state.lastSync.requests, paging: state.lastSync.paging }
    if (state.lastSync?.ok === false) throw new Error(`index sync failed: ${state.lastSync.error ?? ''}`)
    if (Date.now() > deadline) throw new Error('index sync did not finish in time')
    await new Promise(resolve => setTimeout(resolve, 200))
  }
}

export { waitForLine }

export function formatTable (rows: Row[], ceilingRps: number): string {
  const head = '| case | req/s | p50 ms | p99 ms | × ceiling | 1C requests per request |\n|---|---:|---:|---:|---:|---:|'
  const lines = rows.map(r => `| ${r.name} | ${Math.round(r.rps).toLocaleString('en-US')} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${(r.rps / ceilingRps).toFixed(2)} | ${r.onecPerRequest === undefined ? '—' : r.onecPerRequest.toFixed(3)} |${r.errors + r.non2xx > 0 ? ` (${r.errors} errors, ${r.non2xx} non-2xx)` : ''}`)
  return [head, ...lines].join('\n')
}
