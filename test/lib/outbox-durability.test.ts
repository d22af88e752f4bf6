import { spawn } from 'node:child_process'
import { cp, readFile, stat, truncate, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t, { type Test } from 'tap'
import { Outbox } from '../../lib/outbox/index.js'
import type { OutboxOptions, OutboxWarning } from '../../lib/outbox/index.js'
import { observable, segmentFiles, snapshotFiles, tempDir } from '../support/outbox-temp.js'

interface Call { n: number, notes?: string }

/** Opens with warnings collected; closed at teardown. */
async function openIn (t: Test, dir: string, opts: Partial<OutboxOptions> = {}): Promise<{ outbox: Outbox<Call>, warnings: OutboxWarning[] }> {
  const warnings: OutboxWarning[] = []
  const outbox = await Outbox.open<Call>({ dir, onWarning: w => { warnings.push(w) }, ...opts })
  t.teardown(async () => { await outbox.close() })
  return { outbox, warnings }
}

async function fill (t: Test, dir: string, count: number): Promise<void> {
  const { outbox } = await openIn(t, dir)
  await Promise.all(Array.from({ length: count }, async (_, i) => await outbox.append(`k${i + 1}`, { n: i + 1 })))
  await outbox.close()
}

/** Byte offsets of the line starts in a file. */
function lineStarts (buf: Buffer): number[] {
  const starts = [0]
  for (let i = buf.indexOf(0x0a); i !== -1 && i + 1 < buf.length; i = buf.indexOf(0x0a, i + 1)) starts.push(i + 1)
  return starts
}

t.test('SIGKILL while appending loses no acknowledged report and duplicates none', async t => {
  const dir = await tempDir(t)
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(new URL('../support/outbox-crash-child.ts', import.meta.url)), dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  t.teardown(() => { child.kill('SIGKILL') })
  let out = ''
  let err = ''
  let acks = 0
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { err += chunk })
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk
    acks += chunk.split('\n').filter(line => line.startsWith('A ')).length
    if (acks >= 400) child.kill('SIGKILL')
  })
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>(resolve => {
    child.on('close', (c, s) => { resolve([c, s]) })
  })
  t.equal(signal, 'SIGKILL', `the child ran until killed (exit ${code}; ${err.trim()})`)

  const lines = out.split('\n').slice(0, -1) // a last line without its newline may be cut off
  const acked = new Map<string, number>()
  const delivered = new Set<string>()
  for (const line of lines) {
    const [kind, key, seq] = line.split(' ')
    if (kind === 'A' && key !== undefined) acked.set(key, Number(seq))
    if (kind === 'D' && key !== undefined) delivered.add(key)
  }
  t.ok(acked.size >= 400, `${acked.size} acknowledged appends`)

  const { outbox } = await openIn(t, dir)
  const pending = outbox.pending()
  const pendingSeq = new Map(pending.map(e => [e.key, e.seq]))
  t.equal(pendingSeq.size, pending.length, 'no key is pending twice')
  t.ok(pending.every((e, i) => i === 0 || e.seq > (pending[i - 1] as typeof e).seq), 'pending in seq order')
  const lost: string[] = []
  const resurrected: string[] = []
  for (const [key, seq] of acked) {
    const i = Number(key.split('-')[2])
    if (delivered.has(key)) {
      if (pendingSeq.has(key)) resurrected.push(key)
    } else if (i % 5 === 0 && pendingSeq.get(key) !== seq) {
      lost.push(key)
    }
  }
  t.same(lost, [], 'every acknowledged report without a delivery mark is pending, under its seq')
  t.same(resurrected, [], 'every acknowledged delivery stays delivered')
  const someDelivered = [...delivered][0]
  if (someDelivered !== undefined) {
    t.same(await outbox.append(someDelivered, { n: -1 }), { seq: acked.get(someDelivered), duplicate: true }, 'delivered keys are remembered')
  }
  const somePending = pending[0]
  if (somePending !== undefined) {
    t.same(await outbox.append(somePending.key, { n: -1 }), { seq: somePending.seq, duplicate: true })
  }
  t.comment(`files after the crash: ${(await segmentFiles(dir)).length} segments, ${(await snapshotFiles(dir)).length} snapshots`)
})

t.test('a torn last record is ignored and everything before it kept', async t => {
  const dir = await tempDir(t)
  await fill(t, dir, 10)
  const [segment] = await segmentFiles(dir)
  const path = join(dir, segment as string)
  const size = (await stat(path)).size
  await truncate(path, size - 15)

  const first = await openIn(t, dir)
  t.same(first.outbox.pending().map(e => e.key), ['k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k8', 'k9'])
  t.same(first.warnings.map(w => [w.code, w.file]), [['TORN_TAIL', segment]])
  t.same(await first.outbox.append('k11', { n: 11 }), { seq: 11, duplicate: false }, 'seq numbers are not reused')
  t.same(await first.outbox.append('k10', { n: 10 }), { seq: 12, duplicate: false }, 'the torn report can be sent again')
  await first.outbox.close()

  const second = await openIn(t, dir)
  t.same(second.outbox.pending().map(e => e.key), ['k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k8', 'k9', 'k11', 'k10'],
    'later writes went to a new segment, not after the torn line')
  t.same(second.warnings.map(w => w.code), ['TORN_TAIL'])
})

t.test('a damaged record in the middle is skipped with a warning; the records after it survive', async t => {
  const dir = await tempDir(t)
  await fill(t, dir, 10)
  const [segment] = await segmentFiles(dir)
  const path = join(dir, segment as string)
  const buf = await readFile(path)
  const starts = lineStarts(buf)
  t.equal(starts.length, 11, 'a header and ten records')
  const k5 = starts[5] as number
  t.match(buf.toString('utf8', k5, starts[6]), /"k":"k5"/)
  const flip = buf.indexOf('"n":5', k5) + 4
  buf[flip] = '7'.charCodeAt(0)
  await writeFile(path, buf)

  const { outbox, warnings } = await openIn(t, dir)
  t.same(outbox.pending().map(e => e.key), ['k1', 'k2', 'k3', 'k4', 'k6', 'k7', 'k8', 'k9', 'k10'])
  t.same(warnings.map(w => [w.code, w.offset]), [['CORRUPT_RECORD', k5]])
  t.match(warnings[0]?.message, /damaged record/)
})

/** A deterministic mix of every operation, with small segments so that rolls and compactions happen. */
async function churn (outbox: Outbox<Call>, rounds: number, from: number): Promise<void> {
  let rnd = from * 7919 + 1
  const random = (): number => (rnd = (rnd * 1103515245 + 12345) % 2147483648) / 2147483648
  for (let round = 0; round < rounds; round++) {
    const base = from + round * 10
    await Promise.all(Array.from({ length: 10 }, async (_, i) => await outbox.append(`key-${base + i}`, { n: base + i, notes: 'y'.repeat(100) })))
    await outbox.append(`key-${base}`, { n: -1 }) // a repeat
    for (const entry of outbox.pending(12)) {
      const r = random()
      if (r < 0.6) await outbox.markDelivered(entry.seq)
      else if (r < 0.75) await outbox.markDead(entry.seq, `reason ${entry.seq}`)
    }
    const dead = outbox.deadLetters()
    const oldest = dead[0]
    if (oldest !== undefined && random() < 0.3) await outbox.retryDead(oldest.seq)
    const newest = dead[dead.length - 1]
    if (newest !== undefined && newest !== oldest && random() < 0.3) await outbox.dropDead(newest.seq)
  }
}

t.test('compaction keeps the same state across reopens', async t => {
  const dir = await tempDir(t)
  // Compaction logic, not durability (the crash test covers that): no syncs, which keeps this fast.
  const opts = { segmentBytes: 2048, fsync: false }
  const first = await openIn(t, dir, opts)
  await churn(first.outbox, 60, 0)
  const before = observable(first.outbox)
  const stats = first.outbox.stats()
  t.ok(before.pendingCount > 10 && before.deadCount > 3 && before.remembered > 100, `a mixed state: ${JSON.stringify(stats)}`)
  await first.outbox.close()
  t.ok(first.outbox.stats().compactions > 0, `compacted on its own ${first.outbox.stats().compactions} times`)
  t.ok((await snapshotFiles(dir)).length === 1, 'one snapshot on disk')

  const second = await openIn(t, dir, opts)
  t.same(observable(second.outbox), before, 'same pending, dead letters and remembered keys')
  t.same(second.warnings, [])
  t.same(await second.outbox.append('key-3', { n: 3 }), { seq: 4, duplicate: true }, 'keys survive compaction')
  await churn(second.outbox, 20, 10_000)
  await second.outbox.compact()
  t.equal((await segmentFiles(dir)).length, 0, 'an explicit compaction replaces every closed segment')
  const after = observable(second.outbox)
  await second.outbox.close()

  const third = await openIn(t, dir, opts)
  t.same(observable(third.outbox), after)
})

t.test('segments holding only finished entries are dropped', async t => {
  const dir = await tempDir(t)
  const { outbox } = await openIn(t, dir, { segmentBytes: 1024, keyRetentionMs: 0, fsync: false })
  for (let i = 0; i < 300; i++) {
    const { seq } = await outbox.append(`k${i}`, { n: i, notes: 'z'.repeat(50) })
    await outbox.markDelivered(seq)
  }
  await outbox.close()
  const stats = outbox.stats()
  t.ok(stats.compactions > 10, `${stats.compactions} compactions`)
  // How many segments are still waiting depends on how rolls and background compactions overlapped.
  t.ok(stats.bytes < 10 * 1024, `${stats.segments} segments and ${stats.bytes} bytes left of ~50 KB written`)
  const reopened = await openIn(t, dir)
  t.equal(reopened.outbox.head(), undefined)
  t.same(await reopened.outbox.append('new', { n: 0 }), { seq: 301, duplicate: false }, 'seq numbers go on')
})

t.test('a crash at any point of compaction replays to the same queue', async t => {
  const dir = await tempDir(t)
  const { outbox } = await openIn(t, dir)
  await churn(outbox, 20, 0)
  await outbox.close()
  const expected = observable((await openIn(t, dir)).outbox)

  // Three copies of the directory as it was before compaction, each finished differently below.
  const copies = await Promise.all([0, 1, 2].map(async () => {
    const copy = await tempDir(t)
    await cp(dir, copy, { recursive: true })
    return copy
  }))
  const [tempLeft, renamed, damaged] = copies as [string, string, string]
  const compacting = await openIn(t, dir)
  await compacting.outbox.compact()
  await compacting.outbox.close()
  const [snapshot] = await snapshotFiles(dir)
  const snapshotBytes = await readFile(join(dir, snapshot as string))
  t.same(await segmentFiles(dir), [], 'the snapshot replaced the segments')

  // Crash while writing the temp file: it is never read, and removed on open.
  await writeFile(join(tempLeft, 'snapshot.tmp'), snapshotBytes.subarray(0, snapshotBytes.length >> 1))
  const a = await openIn(t, tempLeft)
  t.same(observable(a.outbox), expected, 'temp snapshot ignored')
  t.same(a.warnings, [])
  t.notOk((await snapshotFiles(tempLeft)).length, 'no snapshot taken from the temp file')

  // Crash after the rename, before the old segments were removed.
  await writeFile(join(renamed, snapshot as string), snapshotBytes)
  const b = await openIn(t, renamed)
  t.same(observable(b.outbox), expected, 'snapshot used, the segments it covers ignored')
  t.same(await segmentFiles(renamed), [], 'and removed')

  // A snapshot that is not whole (never produced by the rename, but disks lie): the segments are used.
  await writeFile(join(damaged, snapshot as string), snapshotBytes.subarray(0, snapshotBytes.length - 40))
  const c = await openIn(t, damaged)
  t.same(observable(c.outbox), expected, 'state rebuilt from the segments')
  t.same(c.warnings.map(w => w.code), ['BAD_SNAPSHOT'])
})
