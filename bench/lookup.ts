import { alternatingRatio, describeTurns, ceiling, emulatorRequests, withBare, formatTable, warmFound, lookups, sampleNumbers, startEmulator, startProxy, type Bare, type Row, type TurnsRatio } from './cases.js'
import { pinSelf } from './processes.js'

/**
 * The lookup benchmark (issue 3): the ceiling (a bare Fastify JSON route), cached lookups, and uncached
 * lookups against the emulator with 50 ms of latency per 1C request, on the demo base, phone index off.
 */
const DURATION = Number(process.env.BENCH_DURATION_MS ?? 10_000)

async function main (): Promise<void> {
  pinSelf(1)
  await withBare(50, measure)
}

async function measure (bare: Bare): Promise<void> {
  const rows: Row[] = []
  const top = await ceiling(bare, DURATION)
  rows.push(top)
  let ratio: TurnsRatio | undefined
  const emulator = await startEmulator(['--latency-ms', '50'])
  try {
    const numbers = await sampleNumbers(emulator.odata, 60)
    const proxy = await startProxy(emulator.url, { INDEX_ENABLED: 'false', CACHE_TTL_S: '600' })
    try {
      const warm = await warmFound(proxy, numbers)
      const before = await emulatorRequests(emulator.url)
      const cached = await lookups(proxy, warm, { durationMs: DURATION, connections: 50 })
      rows.push({ name: 'cached lookup', ...cached, onecPerRequest: (await emulatorRequests(emulator.url) - before) / cached.requests })
      ratio = await alternatingRatio(bare, async durationMs => await lookups(proxy, warm, { durationMs, connections: 50, warmupMs: 0 }))
    } finally {
      await proxy.stop()
    }
    // No cache at all (TTL 0, no stale answers): every lookup is a round of 1C requests at 50 ms each.
    const uncachedProxy = await startProxy(emulator.url, { INDEX_ENABLED: 'false', CACHE_TTL_S: '0', CACHE_NEGATIVE_TTL_S: '0', CACHE_STALE_S: '0' })
    try {
      const before = await emulatorRequests(emulator.url)
      const uncached = await lookups(uncachedProxy, numbers, { durationMs: DURATION, connections: 8 })
      rows.push({ name: 'uncached lookup (1C at 50 ms per request)', ...uncached, onecPerRequest: (await emulatorRequests(emulator.url) - before) / uncached.requests })
    } finally {
      await uncachedProxy.stop()
    }
  } finally {
    await emulator.stop()
  }
  process.stdout.write(`${formatTable(rows, top.rps)}\n\nGoal: cached lookups at 0.50 of the ceiling or better: ${ratio === undefined ? '?' : describeTurns(ratio)} (docs/benchmarks.md), ${((rows[1]?.rps ?? 0) / top.rps).toFixed(2)} against the table's ceiling\n`)
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`)
  process.exitCode = 1
})
