import { readdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { Outbox, OutboxBrokenError, OutboxClosedError, OutboxFullError, OutboxSeqError } from '../../lib/outbox/index.js'
import type { OutboxOptions, OutboxWarning } from '../../lib/outbox/index.js'
import { crc32 } from '../../lib/outbox/crc32.js'
import { diskUnder } from '../support/full-disk.js'
import { tempDir } from '../support/outbox-temp.js'

interface Call { from: string, to: string, seconds: number }

const call = (n: number): Call => ({ from: `+7916000${String(n).padStart(4, '0')}`, to: '101', seconds: n })

async function openIn (t: Test, dir: string, opts: Partial<OutboxOptions> = {}): Promise<Outbox<Call>> {
  const outbox = await Outbox.open<Call>({ dir, onWarning: (w: OutboxWarning) => { t.fail(`unexpected warning: ${w.message}`) }, ...opts })
  t.teardown(async () => { await outbox.close() })
  return outbox
}

t.test('appended entries survive a reopen in order; delivered ones do not come back', async t => {
  const dir = await tempDir(t)
  const first = await openIn(t, dir)
  const acks = []
  for (let i = 1; i <= 5; i++) acks.push(await first.append(`k${i}`, call(i)))
  t.same(acks.map(a => a.duplicate), [false, false, false, false, false])
  t.same(acks.map(a => a.seq), [1, 2, 3, 4, 5], 'seq numbers follow acceptance order')
  await first.close()

  const second = await openIn(t, dir)
  t.same(second.pending().map(e => [e.seq, e.key, e.payload]), [1, 2, 3, 4, 5].map(i => [i, `k${i}`, call(i)]))
  t.equal(second.head()?.key, 'k1')
  t.same(second.pending(2).map(e => e.seq), [1, 2], 'pending(limit)')
  await second.markDelivered(1)
  await second.markDelivered(3)
  t.equal(second.stats().deliveredSinceOpen, 2)
  const next = await second.append('k6', call(6))
  t.equal(next.seq, 6, 'seq keeps counting after a reopen')
  await second.close()

  const third = await openIn(t, dir)
  t.same(third.pending().map(e => e.key), ['k2', 'k4', 'k5', 'k6'])
  const stats = third.stats()
  t.equal(stats.pending, 4)
  t.equal(stats.deliveredSinceOpen, 0)
  t.equal(stats.oldestPendingAt, third.head()?.acceptedAt)
  t.equal(stats.remembered, 2, 'keys of delivered entries are remembered')
})

t.test('a payload reads back the same before and after a restart', async t => {
  const dir = await tempDir(t)
  const first = await Outbox.open<Record<string, unknown>>({ dir })
  const at = new Date('2024-05-01T10:00:00Z')
  await first.append('k', { at, name: 'Иванов Иван', nothing: undefined })
  const before = first.head()?.payload
  await first.close()
  const second = await Outbox.open<Record<string, unknown>>({ dir })
  t.teardown(async () => { await second.close() })
  t.same(before, { at: '2024-05-01T10:00:00.000Z', name: 'Иванов Иван' }, 'stored as JSON at once')
  t.same(second.head()?.payload, before)
})

t.test('unusual keys and clocks read back exactly', async t => {
  const dir = await tempDir(t)
  let clock = -12.5
  const keys = ['quote"and\\backslash', 'newline\nand\ttab', 'юникод ключ', 'emoji 📞', '{"t":"a"}']
  const first = await openIn(t, dir, { now: () => clock })
  for (const key of keys) await first.append(key, call(1))
  clock = 1.25
  await first.markDelivered(1)
  await first.close()
  const second = await openIn(t, dir, { now: () => clock })
  t.same(second.pending().map(e => [e.key, e.acceptedAt]), keys.slice(1).map(k => [k, -12.5]))
  t.same(await second.append(keys[0] as string, call(2)), { seq: 1, duplicate: true })
})

t.test('duplicates by key', async t => {
  let clock = 1_000_000
  const dir = await tempDir(t)
  const opts = { now: () => clock, keyRetentionMs: 60_000 }
  const outbox = await openIn(t, dir, opts)

  const [a, b] = await Promise.all([outbox.append('same', call(1)), outbox.append('same', call(2))])
  t.same(a, { seq: 1, duplicate: false })
  t.same(b, { seq: 1, duplicate: true }, 'a concurrent repeat gets the first seq')
  t.same(await outbox.append('same', call(3)), { seq: 1, duplicate: true }, 'pending key')
  t.same(outbox.pending().map(e => e.payload), [call(1)], 'the first payload is kept')

  await outbox.append('delivered', call(4))
  await outbox.markDelivered(2)
  t.same(await outbox.append('delivered', call(4)), { seq: 2, duplicate: true }, 'delivered key')

  await outbox.append('dead', call(5))
  await outbox.markDead(3, '1C rejected it')
  t.same(await outbox.append('dead', call(5)), { seq: 3, duplicate: true }, 'dead key')

  await outbox.append('dropped', call(6))
  await outbox.markDead(4, 'bad')
  t.equal(await outbox.dropDead(4), true)
  t.same(await outbox.append('dropped', call(6)), { seq: 4, duplicate: true }, 'dropped key')
  await outbox.close()

  clock += 30_000
  const reopened = await openIn(t, dir, opts)
  t.same(await reopened.append('delivered', call(4)), { seq: 2, duplicate: true }, 'remembered across a reopen')
  t.same(await reopened.append('dropped', call(6)), { seq: 4, duplicate: true })
  t.same(await reopened.append('dead', call(5)), { seq: 3, duplicate: true })

  clock += 31_000
  t.same(await reopened.append('delivered', call(4)), { seq: 5, duplicate: false }, 'accepted again once retention expired')
  t.same(await reopened.append('dropped', call(6)), { seq: 6, duplicate: false })
  t.same(await reopened.append('dead', call(5)), { seq: 3, duplicate: true }, 'a dead letter never expires')
  t.same(await reopened.append('same', call(1)), { seq: 1, duplicate: true }, 'a pending entry never expires')
  await reopened.close()

  const last = await openIn(t, dir, opts)
  t.same(last.pending().map(e => [e.seq, e.key]), [[1, 'same'], [5, 'delivered'], [6, 'dropped']])
  t.same(await last.append('delivered', call(4)), { seq: 5, duplicate: true })
})

t.test('a key forgotten on reopen after retention is accepted again', async t => {
  let clock = 5_000
  const dir = await tempDir(t)
  const opts = { now: () => clock, keyRetentionMs: 1000 }
  const first = await openIn(t, dir, opts)
  await first.append('k', call(1))
  await first.markDelivered(1)
  await first.close()
  clock += 1000
  const second = await openIn(t, dir, opts)
  t.equal(second.stats().remembered, 0)
  t.same(await second.append('k', call(1)), { seq: 2, duplicate: false })
})

t.test('marks reject for a seq that is not pending', async t => {
  const outbox = await openIn(t, await tempDir(t))
  await outbox.append('a', call(1))
  await t.rejects(outbox.markDelivered(42), { name: 'OutboxSeqError', seq: 42, status: 'never assigned' })
  await t.rejects(outbox.markDead(0, 'x'), OutboxSeqError)
  await outbox.markDelivered(1)
  await t.rejects(outbox.markDelivered(1), { status: 'finished or unknown', message: /journal entry 1 is not pending/ })
  await outbox.append('b', call(2))
  await outbox.markDead(2, 'no')
  await t.rejects(outbox.markDelivered(2), { name: 'OutboxSeqError', status: 'dead' })
  await t.rejects(outbox.markDead(2, 'again'), { name: 'OutboxSeqError', status: 'dead' })
})

t.test('seq numbers follow the order of the calls, however they interleave', async t => {
  const outbox = await openIn(t, await tempDir(t))
  const results = await Promise.all(Array.from({ length: 50 }, async (_, i) => await outbox.append(`k${i}`, call(i))))
  t.same(results.map(r => r.seq), Array.from({ length: 50 }, (_, i) => i + 1))
  const marks = await Promise.allSettled([outbox.markDelivered(10), outbox.markDelivered(10), outbox.markDead(11, 'x')])
  t.same(marks.map(m => m.status), ['fulfilled', 'rejected', 'fulfilled'], 'the second of two racing marks is refused')
  t.same(outbox.pending(3).map(e => e.seq), [1, 2, 3])
  t.equal(outbox.stats().pending, 48)
})

t.test('a long queue with deliveries out of order stays in seq order', async t => {
  const dir = await tempDir(t)
  const outbox = await openIn(t, dir, { fsync: false })
  await Promise.all(Array.from({ length: 4000 }, async (_, i) => await outbox.append(`k${i + 1}`, call(i))))
  const marks: Array<Promise<void>> = []
  for (let seq = 2; seq <= 4000; seq += 2) marks.push(outbox.markDelivered(seq))
  for (let seq = 3; seq <= 4000; seq += 6) marks.push(outbox.markDead(seq, 'x'))
  await Promise.all(marks)
  t.equal(await outbox.retryAllDead(), 667)
  const expected = Array.from({ length: 2000 }, (_, i) => 2 * i + 1)
  t.same(outbox.pending().map(e => e.seq), expected)
  t.equal(outbox.head()?.seq, 1)
  await outbox.close()
  const reopened = await openIn(t, dir)
  t.same(reopened.pending().map(e => e.seq), expected)
})

t.test('dead letters', async t => {
  let clock = 100
  const dir = await tempDir(t)
  const outbox = await openIn(t, dir, { now: () => clock })
  for (let i = 1; i <= 6; i++) await outbox.append(`k${i}`, call(i))
  clock = 200
  await outbox.markDead(2, 'ONEC_BAD_REQUEST: no such partner')
  await outbox.markDead(4, 'rejected')
  await outbox.markDead(5, 'rejected too')
  t.same(outbox.pending().map(e => e.seq), [1, 3, 6])
  t.same(outbox.deadLetters(), [
    { seq: 2, key: 'k2', acceptedAt: 100, payload: call(2), deadAt: 200, reason: 'ONEC_BAD_REQUEST: no such partner' },
    { seq: 4, key: 'k4', acceptedAt: 100, payload: call(4), deadAt: 200, reason: 'rejected' },
    { seq: 5, key: 'k5', acceptedAt: 100, payload: call(5), deadAt: 200, reason: 'rejected too' },
  ])
  t.equal(outbox.stats().dead, 3)

  t.equal(await outbox.retryDead(4), true)
  t.same(outbox.pending().map(e => e.seq), [1, 3, 4, 6], 'back at its seq position')
  t.equal(await outbox.retryDead(4), false, 'no longer a dead letter')
  t.equal(await outbox.retryDead(99), false)
  t.equal(await outbox.dropDead(99), false)
  await outbox.markDelivered(1)
  await outbox.markDelivered(3)
  t.equal(outbox.head()?.seq, 4)

  t.equal(await outbox.dropDead(5), true)
  t.same(outbox.deadLetters().map(d => d.seq), [2])
  t.equal(await outbox.dropDead(5), false)
  await outbox.close()

  const reopened = await openIn(t, dir, { now: () => clock })
  t.same(reopened.pending().map(e => e.seq), [4, 6])
  t.same(reopened.deadLetters().map(d => [d.seq, d.reason, d.deadAt]), [[2, 'ONEC_BAD_REQUEST: no such partner', 200]])
  await reopened.markDead(6, 'x')
  await reopened.markDead(4, 'y')
  t.equal(reopened.head(), undefined)
  t.equal(await reopened.retryAllDead(), 3)
  t.same(reopened.pending().map(e => e.seq), [2, 4, 6], 'all of them, in seq order')
  t.same(reopened.deadLetters(), [])
  t.equal(await reopened.retryAllDead(), 0)
  await reopened.close()

  const last = await openIn(t, dir)
  t.same(last.pending().map(e => e.seq), [2, 4, 6])
})

t.test('group commit: concurrent appends share writes and syncs', async t => {
  const outbox = await openIn(t, await tempDir(t))
  await Promise.all(Array.from({ length: 64 }, async (_, i) => await outbox.append(`burst-${i}`, call(i))))
  const afterBurst = outbox.stats().fsyncs
  t.ok(afterBurst >= 1 && afterBurst <= 2, `64 appends at once took ${afterBurst} syncs`)

  // 64 callers, each appending 10 times in a row: a caller's next append arrives while others are syncing.
  await Promise.all(Array.from({ length: 64 }, async (_, c) => {
    for (let i = 0; i < 10; i++) await outbox.append(`c${c}-${i}`, call(i))
  }))
  const syncs = outbox.stats().fsyncs - afterBurst
  t.ok(syncs < 64, `640 appends from 64 callers took ${syncs} syncs`)
  t.equal(outbox.stats().pending, 704)
})

t.test('without fsync nothing is synced, and data still reads back after a clean close', async t => {
  const dir = await tempDir(t)
  const outbox = await openIn(t, dir, { fsync: false })
  await outbox.append('a', call(1))
  t.equal(outbox.stats().fsyncs, 0)
  await outbox.close()
  const reopened = await openIn(t, dir, { fsync: false })
  t.equal(reopened.head()?.key, 'a')
})

t.test('waitForWork', async t => {
  const outbox = await openIn(t, await tempDir(t))
  let woken = false
  const waiting = outbox.waitForWork().then(() => { woken = true })
  await Promise.resolve()
  t.equal(woken, false, 'nothing to do yet')
  await outbox.append('a', call(1))
  await waiting
  t.equal(woken, true, 'woken by an append')
  await outbox.waitForWork()
  t.pass('resolves at once while something is pending')

  await outbox.markDead(1, 'x')
  const controller = new AbortController()
  const aborted = outbox.waitForWork(controller.signal)
  controller.abort()
  await t.rejects(aborted, { name: 'AbortError' })
  await t.rejects(outbox.waitForWork(AbortSignal.abort()), { name: 'AbortError' }, 'an already aborted signal')

  const retried = outbox.waitForWork(new AbortController().signal)
  await outbox.retryDead(1)
  await retried
  t.pass('woken by a retried dead letter')

  await outbox.markDelivered(1)
  const onClose = outbox.waitForWork()
  await outbox.close()
  await onClose
  t.pass('woken by close')
  await outbox.waitForWork()
  t.pass('resolves at once once closed')
})

t.test('maxPending', async t => {
  const outbox = await openIn(t, await tempDir(t), { maxPending: 2 })
  await outbox.append('a', call(1))
  await outbox.append('b', call(2))
  await t.rejects(outbox.append('c', call(3)), OutboxFullError)
  t.same(await outbox.append('a', call(1)), { seq: 1, duplicate: true }, 'a repeat is still answered')
  await outbox.markDelivered(1)
  t.same(await outbox.append('c', call(3)), { seq: 3, duplicate: false })
})

t.test('close finishes what was accepted; later calls reject', async t => {
  const dir = await tempDir(t)
  const outbox = await Outbox.open<Call>({ dir })
  const accepted = outbox.append('a', call(1))
  const closing = outbox.close()
  t.equal(outbox.close(), closing, 'close is idempotent')
  t.same(await accepted, { seq: 1, duplicate: false })
  await closing
  await t.rejects(outbox.append('b', call(2)), OutboxClosedError)
  await t.rejects(outbox.markDelivered(1), OutboxClosedError)
  await t.rejects(outbox.retryAllDead(), OutboxClosedError)
  await t.rejects(outbox.compact(), OutboxClosedError)
  const reopened = await openIn(t, dir)
  t.same(reopened.pending().map(e => e.key), ['a'])
})

t.test('a failed disk write stops the outbox', async t => {
  const dir = await tempDir(t)
  const outbox = await Outbox.open<Call>({ dir })
  t.teardown(async () => { await outbox.close() })
  await rm(dir, { recursive: true })
  const failed = await outbox.append('a', call(1)).catch((err: unknown) => err)
  t.type(failed, OutboxBrokenError)
  t.type(failed, OutboxClosedError, 'one check covers closed and broken')
  t.match((failed as Error).message, /disk write failed/)
  await t.rejects(outbox.append('b', call(2)), OutboxBrokenError, 'and stays stopped')
  await outbox.waitForWork()
  t.pass('workers are woken')
})

t.test('a broken outbox reopens from what is on disk once the disk takes writes again', async t => {
  const dir = await tempDir(t)
  const disk = await diskUnder(t, dir)
  const outbox = await openIn(t, dir, { onWarning: () => {} })
  await outbox.append('a', call(1))
  await outbox.append('b', call(2))
  t.equal(outbox.fromDiskBelow, 1, 'nothing was on disk at open')
  disk.fill()
  const lost = outbox.append('c', call(3))
  t.same(outbox.pending().map(e => e.key), ['a', 'b', 'c'], 'visible at once')
  await t.rejects(outbox.durable(3), OutboxBrokenError, 'but never durable')
  await t.rejects(lost, OutboxBrokenError)
  await t.rejects(outbox.markDelivered(1), OutboxBrokenError)
  t.match(outbox.failure?.message, /ENOSPC/)
  t.equal(await outbox.reopen(), false, 'not while the disk is full')
  t.type(outbox.failure, OutboxBrokenError)

  disk.free()
  const [first, second] = await Promise.all([outbox.reopen(), outbox.reopen()])
  t.ok(first && second, 'reopened, once for both callers')
  t.equal(outbox.failure, undefined)
  t.same(outbox.pending().map(e => e.key), ['a', 'b'], 'the state on disk: c never got there, a is still pending')
  t.equal(outbox.fromDiskBelow, 3, 'a and b were read back from disk')
  await outbox.durable(1)
  t.same(await outbox.append('c', call(3)), { seq: 3, duplicate: false })
  await outbox.markDelivered(1)
  const reopened = await openIn(t, dir)
  t.same(reopened.pending().map(e => e.key), ['b', 'c'], 'and it goes on writing where it stopped')
})

t.test('a leftover write check is removed on open', async t => {
  const dir = await tempDir(t)
  await writeFile(join(dir, 'write-check.tmp'), 'x')
  await openIn(t, dir)
  t.same(await readdir(dir), [])
})

t.test('bad arguments', async t => {
  const dir = await tempDir(t)
  await t.rejects(Outbox.open({ dir, segmentBytes: 0 }), RangeError)
  await t.rejects(Outbox.open({ dir, maxPending: 1.5 }), RangeError)
  await t.rejects(Outbox.open({ dir, keyRetentionMs: -1 }), RangeError)
  const outbox = await openIn(t, dir)
  await t.rejects(outbox.append('', call(1)), TypeError)
  await t.rejects(outbox.append('k', undefined as unknown as Call), TypeError)
  t.equal(outbox.stats().pending, 0, 'nothing was queued')
})

t.test('crc32 is the standard CRC-32 over any slice', async t => {
  t.equal(crc32(Buffer.from('123456789')), 0xcbf43926, 'the check value')
  t.equal(crc32(Buffer.alloc(0)), 0)
  const text = Buffer.from('xx' + 'Журнал звонков 3CX → 1С, '.repeat(5) + 'yy')
  const bitwise = (bytes: Uint8Array): number => {
    let c = -1
    for (const b of bytes) {
      c ^= b
      for (let k = 0; k < 8; k++) c = (c & 1) !== 0 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    }
    return (c ^ -1) >>> 0
  }
  for (const [start, end] of [[0, text.length], [2, text.length - 2], [3, 10], [5, 6]] as const) {
    t.equal(crc32(text, start, end), bitwise(text.subarray(start, end)), `bytes ${start}..${end}`)
  }
})
