/**
 * How many call reports per second the outbox accepts durably (write + fdatasync before the promise
 * resolves), with 1, 16 and 64 callers appending concurrently, and how long a reopen of 100 000 entries
 * takes. In-process; no network. Goal: 2 000 accepted reports per second on a 2-core machine.
 *
 *   node dist/bench/journal-accept.js [--duration-ms 3000] [--concurrency 1,16,64] [--replay-entries 100000] [--dir /tmp]
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { Outbox } from '../lib/outbox/index.js'

export interface AcceptFigure {
  concurrency: number
  appends: number
  seconds: number
  appendsPerSecond: number
  fsyncs: number
  /** Appends sharing one write + sync. */
  appendsPerSync: number
  p50Ms: number
  p99Ms: number
}

export interface ReplayFigure {
  entries: number
  ms: number
}

export interface JournalAcceptResult {
  accept: AcceptFigure[]
  replay: ReplayFigure | undefined
}

export interface JournalAcceptOptions {
  durationMs?: number
  concurrency?: number[]
  /** Entries for the reopen measurement; 0 skips it. */
  replayEntries?: number
  /** Parent directory for the temporary journals (default: the OS temp dir). */
  dir?: string
}

/** A call report of the size 3CX sends at the end of a call. */
function report (n: number): Record<string, unknown> {
  return {
    callType: 'Inbound',
    number: `+7916${String(n % 10_000_000).padStart(7, '0')}`,
    agent: '101',
    agentEmail: 'operator101@example.ru',
    agentName: 'Петрова Анна',
    name: 'ООО «Ромашка», Иванов Иван Иванович',
    contactId: '4f2b7c1e-8d3a-11ee-b9d1-0242ac120002',
    startUtc: '2024-05-01T10:00:00Z',
    endUtc: '2024-05-01T10:04:31Z',
    durationSeconds: 271,
    direction: 'inbound',
    status: 'Answered',
    did: '+74951234567',
  }
}

async function measureAccept (parent: string, concurrency: number, durationMs: number): Promise<AcceptFigure> {
  const dir = await mkdtemp(join(parent, 'journal-accept-'))
  const outbox = await Outbox.open<Record<string, unknown>>({ dir })
  const latencies: number[] = []
  let n = 0
  const started = performance.now()
  const deadline = started + durationMs
  try {
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const i = n++
        const t0 = performance.now()
        await outbox.append(`bench-${i}`, report(i))
        latencies.push(performance.now() - t0)
      }
    }))
    const seconds = (performance.now() - started) / 1000
    const { fsyncs } = outbox.stats()
    latencies.sort((a, b) => a - b)
    return {
      concurrency,
      appends: latencies.length,
      seconds: round(seconds, 2),
      appendsPerSecond: Math.round(latencies.length / seconds),
      fsyncs,
      appendsPerSync: round(latencies.length / Math.max(1, fsyncs), 1),
      p50Ms: round(percentile(latencies, 0.5), 2),
      p99Ms: round(percentile(latencies, 0.99), 2),
    }
  } finally {
    await outbox.close()
    await rm(dir, { recursive: true, force: true })
  }
}

async function measureReplay (parent: string, entries: number): Promise<ReplayFigure> {
  const dir = await mkdtemp(join(parent, 'journal-replay-'))
  try {
    // Filled without syncing: only the reopen is measured.
    const filler = await Outbox.open<Record<string, unknown>>({ dir, fsync: false })
    for (let done = 0; done < entries;) {
      const chunk = Math.min(1000, entries - done)
      await Promise.all(Array.from({ length: chunk }, async (_, j) => await filler.append(`replay-${done + j}`, report(done + j))))
      done += chunk
    }
    await filler.close()
    const t0 = performance.now()
    const reopened = await Outbox.open<Record<string, unknown>>({ dir })
    const ms = performance.now() - t0
    const pending = reopened.stats().pending
    await reopened.close()
    if (pending !== entries) throw new Error(`replay found ${pending} of ${entries} entries`)
    return { entries, ms: Math.round(ms) }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

export async function run (opts: JournalAcceptOptions = {}): Promise<JournalAcceptResult> {
  const parent = opts.dir ?? tmpdir()
  const accept: AcceptFigure[] = []
  for (const c of opts.concurrency ?? [1, 16, 64]) accept.push(await measureAccept(parent, c, opts.durationMs ?? 3000))
  const replayEntries = opts.replayEntries ?? 100_000
  const replay = replayEntries > 0 ? await measureReplay(parent, replayEntries) : undefined
  return { accept, replay }
}

export function formatTable (result: JournalAcceptResult): string {
  const head = ['concurrency', 'appends/s', 'appends', 'fsyncs', 'per sync', 'p50 ms', 'p99 ms']
  const rows = result.accept.map(f => [f.concurrency, f.appendsPerSecond, f.appends, f.fsyncs, f.appendsPerSync, f.p50Ms, f.p99Ms].map(String))
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map(r => (r[i] as string).length)))
  const line = (cells: string[]): string => cells.map((c, i) => c.padStart(widths[i] as number)).join('  ')
  const out = ['journal accept (durable append, fdatasync per group commit)', line(head), ...rows.map(line)]
  if (result.replay !== undefined) out.push(`replay on open: ${result.replay.entries} entries in ${result.replay.ms} ms`)
  return out.join('\n')
}

function percentile (sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0
}

function round (value: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(value * f) / f
}

async function main (): Promise<void> {
  const { values } = parseArgs({
    options: {
      'duration-ms': { type: 'string' },
      concurrency: { type: 'string' },
      'replay-entries': { type: 'string' },
      dir: { type: 'string' },
    },
  })
  const result = await run({
    durationMs: values['duration-ms'] === undefined ? undefined : Number(values['duration-ms']),
    concurrency: values.concurrency?.split(',').map(Number),
    replayEntries: values['replay-entries'] === undefined ? undefined : Number(values['replay-entries']),
    dir: values.dir,
  })
  console.log(formatTable(result))
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main()
