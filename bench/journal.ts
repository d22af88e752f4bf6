import { adminJson, formatTable, reports, startEmulator, startProxy } from './cases.js'
import { pinSelf } from './processes.js'

/**
 * The journal benchmark (issue 4): reports accepted per second over HTTP, each durable (fsync) before its
 * 200, and the rate at which the queue is then delivered into the emulator's register.
 */
const DURATION = Number(process.env.BENCH_DURATION_MS ?? 10_000)

async function main (): Promise<void> {
  pinSelf(1)
  const emulator = await startEmulator([])
  try {
    const proxy = await startProxy(emulator.url, { INDEX_ENABLED: 'false' })
    try {
      const accepted = await reports(proxy, { durationMs: DURATION, connections: 50 })
      const queued = (await adminJson(proxy, 'journal')).pending as number
      const started = Date.now()
      let pending = queued
      while (pending > 0) {
        await new Promise(resolve => setTimeout(resolve, 250))
        pending = (await adminJson(proxy, 'journal')).pending as number
        if (Date.now() - started > 600_000) break
      }
      const seconds = (Date.now() - started) / 1000
      process.stdout.write(`${formatTable([{ name: 'journal accept (fsync before 200)', ...accepted }], accepted.rps)}\n\n`)
      process.stdout.write(`delivery into the emulator: ${(queued - pending).toLocaleString('en-US')} reports in ${seconds.toFixed(1)} s = ${Math.round((queued - pending) / seconds).toLocaleString('en-US')} per second (one at a time, in order)\n`)
      process.stdout.write(`Goal: 2 000 accepted reports per second, durable: ${Math.round(accepted.rps).toLocaleString('en-US')} ${accepted.rps >= 2000 ? 'met' : 'NOT met'}\n`)
    } finally {
      await proxy.stop()
    }
  } finally {
    await emulator.stop()
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`)
  process.exitCode = 1
})
