import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { fileURLToPath } from 'node:url'
import { adminJson, alternatingRatio, describeTurns, describePaced, ceiling, warmFound, pacedTurns, pooledTurns, withBare, emulatorRequests, formatTable, indexSynced, lookups, reports, rssBytes, sampleNumbers, startEmulator, startProxy, type Bare, type PacedTurns, type Proxy, type Row, type TurnsRatio } from './cases.js'
import { pinSelf } from './processes.js'

/**
 * `npm run bench`: one table from one run on this machine (127.0.0.1 only). The servers run pinned to CPU 0,
 * the load generator to CPU 1 (bench/processes.ts). The 1C emulator holds a generated 100 000-partner base
 * with its cost model on, so that a live lookup costs what a table scan in 1C costs.
 */
const PARTNERS = Number(process.env.BENCH_PARTNERS ?? 100_000)
const DURATION = Number(process.env.BENCH_DURATION_MS ?? 10_000)
const CONNECTIONS = 50

async function main (): Promise<void> {
  const pinned = pinSelf(1)
  // The bare route stays up to the end: the ratios of the lookup rows are measured in turns with it.
  await withBare(CONNECTIONS, async bare => { await measure(bare, pinned) })
}

async function measure (bare: Bare, pinned: boolean): Promise<void> {
  const rows: Row[] = []
  const notes: string[] = []
  const log = (text: string): void => { process.stderr.write(`${text}\n`) }

  log('ceiling: bare Fastify…')
  const top = await ceiling(bare, DURATION)
  rows.push(top)
  let paced: PacedTurns | undefined
  let cachedTurns: TurnsRatio | undefined
  // Index hits are measured on both indexed proxies (keyset- and $skip-synced, the same index): one
  // process is one draw of this VM's fast or slow processes (pooledTurns).
  const indexTurns: TurnsRatio[] = []
  const lag = (r: { sendLagP99?: number, sendLagMax?: number }): string => `generator send lag p99 ${(r.sendLagP99 ?? 0).toFixed(2)} ms, max ${(r.sendLagMax ?? 0).toFixed(2)} ms`

  log(`1C emulator: generating ${PARTNERS} partners, cost model on…`)
  const emulator = await startEmulator(['--generate', String(PARTNERS), '--seed', '1', '--cost-model'])
  try {
    const numbers = await sampleNumbers(emulator.odata, 5000)
    log(`  ${numbers.length} sample numbers`)
    // A table row of lookups (after the usual warm-up), then the same lookups in turns with the bare route.
    const rowAndTurns = async (proxy: Proxy, name: string, rung: string[]): Promise<TurnsRatio> => {
      const before = await emulatorRequests(emulator.url)
      const r = await lookups(proxy, rung, { durationMs: DURATION, connections: CONNECTIONS })
      rows.push({ name, ...r, onecPerRequest: (await emulatorRequests(emulator.url) - before) / r.requests })
      return await alternatingRatio(bare, async durationMs => await lookups(proxy, rung, { durationMs, connections: CONNECTIONS, warmupMs: 0 }))
    }

    // Cached lookups: no index, a warm cache.
    const cached = await startProxy(emulator.url, { INDEX_ENABLED: 'false' })
    try {
      const warm = await warmFound(cached, numbers.slice(0, 200))
      notes.push(`cached lookups: the ${warm.length} of 200 numbers that 1C answered with one owner (a cached "nobody" or "several" expires after 60 s, mid-run)`)
      log('cached lookups…')
      cachedTurns = await rowAndTurns(cached, 'cached lookup', warm)

      log('live lookups against the cost model…')
      const fresh = numbers.slice(200)
      const beforeLive = await emulatorRequests(emulator.url)
      const live = await lookups(cached, fresh, { durationMs: DURATION, connections: 2, warmupMs: 0 })
      rows.push({ name: `live lookup (1C emulator, cost model, ${PARTNERS.toLocaleString('en-US')} partners, 2 connections)`, ...live, onecPerRequest: (await emulatorRequests(emulator.url) - beforeLive) / live.requests })

      log('durable journal accept…')
      const accept = await reports(cached, { durationMs: DURATION, connections: CONNECTIONS })
      rows.push({ name: 'journal accept (fsync before 200)', ...accept })
      const queued = await adminJson(cached, 'journal') as { pending: number }
      notes.push(`journal: ${queued.pending.toLocaleString('en-US')} reports queued for 1C after the accept run (delivery goes on in the background, one at a time, in order)`)
    } finally {
      await cached.stop()
    }

    // The index: sync time, memory, hits.
    log('index sync (keyset)…')
    const indexed = await startProxy(emulator.url, { INDEX_ENABLED: 'true', INDEX_PAGING: 'keyset' })
    try {
      const rssBefore = await rssBytes(indexed)
      const sync = await indexSynced(indexed, 600_000)
      const rssAfter = await rssBytes(indexed)
      notes.push(`index sync (keyset paging, ${PARTNERS.toLocaleString('en-US')} partners, cost model on): ${(sync.durationMs / 1000).toFixed(1)} s, ${sync.requests} requests, ${sync.rows.toLocaleString('en-US')} phone rows; RSS ${(rssBefore / 2 ** 20).toFixed(0)} → ${(rssAfter / 2 ** 20).toFixed(0)} MB (+${((rssAfter - rssBefore) / 2 ** 20).toFixed(0)} MB)`)
      log('index hits…')
      indexTurns.push(await rowAndTurns(indexed, 'index hit', numbers))
      log('index hits at 1 000 req/s, in turns with the bare route…')
      paced = await pacedTurns(bare, indexed, async durationMs => await lookups(indexed, numbers, { durationMs, connections: CONNECTIONS, rate: 1000, warmupMs: 0 }))
      // Shown next to the ceiling, the yardstick of the index hits' p99; measured here, in the same turns.
      rows.splice(1, 0, { name: 'bare Fastify JSON route at 1 000 req/s (open model, in turns with index hits)', ...paced.bare })
      rows.push({ name: 'index hit at 1 000 req/s (open model, in turns with the bare route)', ...paced.case })
      const { normal } = paced
      notes.push(paced.isolated
        ? `open-model rows: ${paced.caseTurnsP99.length} turns of ${paced.sliceMs / 1000} s each, pooled, the main threads of the generator and of the server in its turn at real-time priority (bench/processes.ts); ${lag(paced.case)} (index hit), ${lag(paced.bare)} (bare route). One more slice of each at normal priority: index hit p50 ${normal.case.p50.toFixed(2)} ms, p99 ${normal.case.p99.toFixed(2)} ms; bare route p50 ${normal.bare.p50.toFixed(2)} ms, p99 ${normal.bare.p99.toFixed(2)} ms (what this VM's other threads add, docs/benchmarks.md)`
        : `open-model rows at normal priority (real-time priority could not be set: not root, or no chrt), ${paced.caseTurnsP99.length} turns of ${paced.sliceMs / 1000} s each, pooled; ${lag(paced.case)}`)
    } finally {
      await indexed.stop()
    }

    log('index sync ($skip)…')
    const skipping = await startProxy(emulator.url, { INDEX_ENABLED: 'true', INDEX_PAGING: 'skip' })
    try {
      const sync = await indexSynced(skipping, 1_800_000)
      notes.push(`index sync ($skip paging): ${(sync.durationMs / 1000).toFixed(1)} s, ${sync.requests} requests`)
      log('index hits, second proxy process…')
      indexTurns.push(await rowAndTurns(skipping, 'index hit (second proxy process)', numbers))
    } finally {
      await skipping.stop()
    }
  } finally {
    await emulator.stop()
  }

  const byName = (prefix: string): Row | undefined => rows.find(r => r.name.startsWith(prefix))
  const hit = byName('index hit')
  const secondHit = byName('index hit (second')
  const cachedRow = byName('cached')
  const syncNote = notes.find(n => n.startsWith('index sync (keyset'))
  const syncSeconds = Number(/: ([\d.]+) s,/.exec(syncNote ?? '')?.[1] ?? 'NaN')
  const rssGrowth = Number(/\+(\d+) MB/.exec(syncNote ?? '')?.[1] ?? 'NaN')
  // The goal is judged on the ratio measured in turns with the bare route; the table's ratio (to the
  // ceiling measured minutes earlier) is shown beside it.
  const ratioGoal = (what: string, alternating: TurnsRatio | undefined, row: Row | undefined, goal: number): string => alternating === undefined
    ? `${what} ≥ ${goal.toFixed(2)} of the ceiling: ?`
    : `${what} ≥ ${goal.toFixed(2)} of the ceiling: ${describeTurns(alternating)} (${row === undefined ? '?' : (row.rps / top.rps).toFixed(2)} against the table's ceiling) ${alternating.ratio >= goal ? 'met' : 'NOT met'}`
  const goals = [
    ratioGoal('cached lookups', cachedTurns, cachedRow, 0.5),
    ratioGoal('index hits', indexTurns.length === 0 ? undefined : pooledTurns(indexTurns), hit, 0.7),
    `index hits' p99 ≤ 2 ms at 1 000 req/s: ${paced === undefined ? '?' : `${describePaced(paced)} ${paced.case.p99 <= 2 ? 'met' : 'NOT met'}`}`,
    `full sync < 60 s: ${syncSeconds} s ${syncSeconds < 60 ? 'met' : 'NOT met'}`,
    `RSS growth < 150 MB: ${rssGrowth} MB ${rssGrowth < 150 ? 'met' : 'NOT met'}`,
    `zero 1C requests per index hit: ${[hit, secondHit].map(r => r?.onecPerRequest?.toFixed(4) ?? '?').join(' and ')} in the two processes (background refreshes of rung numbers, at most one per number per 30 s)`,
  ]
  const date = new Date().toISOString()
  const report = [
    `# 3cx-1c-bridge benchmark, ${date}`,
    '',
    `Machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}; servers on CPU 0, load generator on CPU 1${pinned ? '' : ' (not pinned: no taskset)'}; ${DURATION / 1000} s per case after 5 s of warm-up (the JIT settles), ${CONNECTIONS} connections unless noted; 127.0.0.1.`,
    'Figures on this shared 2-CPU machine vary by about ±20% from run to run (the ceiling too); compare rows of one run.',
    '',
    formatTable(rows, top.rps),
    '',
    ...notes.map(n => `- ${n}`),
    '',
    'Goals:',
    ...goals.map(g => `- ${g}`),
    '',
  ].join('\n')
  process.stdout.write(report)
  const dir = fileURLToPath(new URL('../../bench/results/', import.meta.url))
  mkdirSync(dir, { recursive: true })
  const file = `${dir}${date.slice(0, 10)}-${cpus().length}cpu.md`
  writeFileSync(file, report)
  process.stderr.write(`written to ${file}\n`)
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`)
  process.exitCode = 1
})
