import t, { type Test } from 'tap'
import { AppError } from '../../lib/errors.js'
import { Outbox, OutboxBrokenError } from '../../lib/outbox/index.js'
import type { CallRecord } from '../../lib/journal/report.js'
import { JournalWorker } from '../../lib/journal/worker.js'
import { classifyOneCResponse, classifyTransportError } from '../../lib/odata/errors.js'
import { classifyDeliveryFailure } from '../../plugins/journal.js'
import { diskUnder, type FullDisk } from '../support/full-disk.js'
import { tempDir } from '../support/outbox-temp.js'
import { waitUntil } from '../support/stack.js'

async function idleWorker (t: Test): Promise<JournalWorker> {
  const outbox = await Outbox.open<CallRecord>({ dir: await tempDir(t), onWarning: () => {} })
  t.teardown(async () => { await outbox.close() })
  return new JournalWorker({
    outbox,
    deliver: async () => 'delivered',
    classify: () => 'retry',
    describe: err => String(err),
    retryMinMs: 1000,
    retryMaxMs: 60_000,
  })
}

// The grace is for a delivery in flight. With an hour of grace, a worker that waited for it when idle
// would outlast the test's timeout: a shutdown of the proxy waited the full 5 s before this was fixed.
t.test('an idle worker stops at once, whatever the grace for a delivery in flight', async t => {
  const worker = await idleWorker(t)
  worker.start()
  t.equal(worker.state.running, true)
  await worker.stop(3_600_000)
  t.equal(worker.state.running, false)
})

t.test('a stopped worker starts again and stops again', async t => {
  const worker = await idleWorker(t)
  worker.start()
  await worker.stop(3_600_000)
  worker.start()
  t.equal(worker.state.running, true)
  await worker.stop(3_600_000)
  t.equal(worker.state.running, false)
})

/** The worker passes calls through untouched: a key is all these tests need of one. */
const call = (callKey: string): CallRecord => ({ callKey }) as unknown as CallRecord

async function turns (n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise(resolve => setImmediate(resolve))
}

function unhandledRejections (t: Test): unknown[] {
  const seen: unknown[] = []
  const listener = (reason: unknown): void => { seen.push(reason) }
  process.on('unhandledRejection', listener)
  t.teardown(() => { process.off('unhandledRejection', listener) })
  return seen
}

/** An outbox on a disk the test fills and frees, and the unhandled rejections seen meanwhile. */
async function outboxOnDisk (t: Test): Promise<{ outbox: Outbox<CallRecord>, disk: FullDisk, rejections: unknown[] }> {
  const rejections = unhandledRejections(t)
  const dir = await tempDir(t)
  const disk = await diskUnder(t, dir)
  const outbox = await Outbox.open<CallRecord>({ dir, onWarning: () => {} })
  t.teardown(async () => { await outbox.close() })
  return { outbox, disk, rejections }
}

t.test('a full disk stops delivery without an unhandled rejection or a busy loop; the outbox reopens once the disk has room', async t => {
  const { outbox, disk, rejections } = await outboxOnDisk(t)
  const delivered: string[] = []
  const events: string[] = []
  const worker = new JournalWorker({
    outbox,
    deliver: async c => { delivered.push(c.callKey); return 'delivered' },
    classify: () => 'retry',
    describe: String,
    retryMinMs: 10,
    retryMaxMs: 100,
    // Only a kick reopens it here, so that the test decides when.
    reopenRetryMs: 3_600_000,
    events: {
      outboxFailed: () => { events.push('failed') },
      outboxReopened: () => { events.push('reopened') },
      unexpected: err => { events.push(`unexpected: ${String(err)}`) },
    },
  })
  worker.start()
  t.teardown(async () => { await worker.stop() })
  await outbox.append('a', call('a'))
  await waitUntil(t, 'a delivered', () => outbox.stats().deliveredSinceOpen === 1)

  disk.fill()
  await t.rejects(outbox.append('b', call('b')), OutboxBrokenError, 'the report is refused')
  await waitUntil(t, 'the worker to notice', () => worker.state.outboxError !== undefined)
  t.match(worker.state.outboxError, /ENOSPC/)
  let polls = 0
  const waitForWork = outbox.waitForWork.bind(outbox)
  outbox.waitForWork = async signal => { polls++; return await waitForWork(signal) }
  await turns(50)
  t.equal(polls, 0, 'the worker waits instead of polling a broken outbox')
  t.equal(worker.state.running, true, 'and is still there to reopen it')
  t.same(delivered, ['a'], 'a call refused to 3CX never reaches 1C')
  t.equal(await worker.reopen(), false, 'no reopen while the disk is still full')
  t.equal(outbox.failure?.name, 'OutboxBrokenError')

  disk.free()
  worker.kick()
  await waitUntil(t, 'the reopen', () => worker.state.outboxError === undefined)
  t.equal(outbox.failure, undefined)
  t.same(await outbox.append('c', call('c')), { seq: 2, duplicate: false }, 'b never reached the disk, so c takes its seq')
  await waitUntil(t, 'c delivered', () => delivered.length === 2)
  t.same(delivered, ['a', 'c'])
  t.same(events, ['failed', 'reopened'])
  t.same(rejections, [])
})

t.test('a mark that fails (disk full after 1C took the call) is retried after the reopen, and the call is marked maybe-sent', async t => {
  const { outbox, disk, rejections } = await outboxOnDisk(t)
  await outbox.append('a', call('a'))
  const seen: Array<{ key: string, maybeSent: boolean }> = []
  const worker = new JournalWorker({
    outbox,
    deliver: async (c, ctx) => {
      seen.push({ key: c.callKey, maybeSent: ctx.maybeSent })
      // 1C takes the call; then the disk fills before the journal can note it.
      if (seen.length === 1) disk.fill()
      return 'delivered'
    },
    classify: () => 'retry',
    describe: String,
    retryMinMs: 10,
    retryMaxMs: 100,
    reopenRetryMs: 3_600_000,
  })
  worker.start()
  t.teardown(async () => { await worker.stop() })
  await waitUntil(t, 'the failure', () => worker.state.outboxError !== undefined)
  t.equal(outbox.stats().deliveredSinceOpen, 1, 'noted in memory only')
  disk.free()
  worker.kick()
  await waitUntil(t, 'the second delivery', () => seen.length === 2 && outbox.stats().pending === 0)
  t.same(seen, [{ key: 'a', maybeSent: false }, { key: 'a', maybeSent: true }], 'sent again after the reopen, as one that may have landed')
  t.same(rejections, [])
})

t.test('1C refusing one call does not hold up the others: after maxAttempts it goes to the dead letters', async t => {
  const outbox = await Outbox.open<CallRecord>({ dir: await tempDir(t), onWarning: () => {} })
  t.teardown(async () => { await outbox.close() })
  // onec-odata.md §5.3: 500 code -1, an exception in 1C's code, here for this one record.
  const exception = classifyOneCResponse({ status: 500, contentType: 'application/json', body: '{"odata.error":{"code":"-1","message":{"lang":"ru","value":"Произошла внутренняя ошибка OData сервиса."}}}', set: 'R' })
  const delivered: string[] = []
  const dead: Array<{ key: string, reason: string, attempts: number }> = []
  const worker = new JournalWorker({
    outbox,
    deliver: async c => {
      if (c.callKey === 'poison') throw exception
      delivered.push(c.callKey)
      return 'delivered'
    },
    classify: classifyDeliveryFailure,
    describe: err => (err as Error).message,
    maxAttempts: 3,
    retryMinMs: 1,
    retryMaxMs: 5,
    events: { dead: (entry, reason, attempts) => { dead.push({ key: entry.key, reason, attempts }) } },
  })
  for (const key of ['poison', 'next', 'after']) await outbox.append(key, call(key))
  worker.start()
  t.teardown(async () => { await worker.stop() })
  await waitUntil(t, 'the queue to move on', () => delivered.length === 2)
  t.same(delivered, ['next', 'after'], 'in order')
  t.equal(dead.length, 1)
  t.match(dead[0], { key: 'poison', attempts: 3, reason: /1C failed to answer.*\(gave up after 3 attempts\)/ })
  t.match(outbox.deadLetters(), [{ key: 'poison', reason: /gave up after 3 attempts/ }], 'kept on disk for an operator')
  t.equal(worker.state.attempts, 0)
})

t.test('an outage is retried without limit, and so is a call 1C fails while it fails everything else too', async t => {
  const outbox = await Outbox.open<CallRecord>({ dir: await tempDir(t), onWarning: () => {} })
  t.teardown(async () => { await outbox.close() })
  let mode: 'down' | 'failing everything' | 'up' = 'down'
  let othersWork = false
  const worker = new JournalWorker({
    outbox,
    deliver: async () => {
      if (mode === 'down') throw classifyTransportError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'R', 1000)
      if (mode === 'failing everything') throw classifyOneCResponse({ status: 500, contentType: 'application/json', body: '{"odata.error":{"code":"-1","message":{"lang":"ru","value":"x"}}}', set: 'R' })
      return 'delivered'
    },
    classify: classifyDeliveryFailure,
    describe: err => (err as Error).message,
    confirmDead: async () => othersWork,
    maxAttempts: 3,
    retryMinMs: 1,
    retryMaxMs: 2,
  })
  await outbox.append('a', call('a'))
  worker.start()
  t.teardown(async () => { await worker.stop() })
  await waitUntil(t, 'many failed attempts', () => worker.state.attempts > 10)
  t.equal(outbox.stats().dead, 0, '1C unreachable: never a dead letter')
  mode = 'failing everything'
  const before = worker.state.attempts
  await waitUntil(t, 'more failed attempts', () => worker.state.attempts > before + 5)
  t.equal(outbox.stats().dead, 0, '1C failing other requests too: an outage, not this call\'s fault')
  t.match(worker.state.lastError, /1C failed to answer/)
  othersWork = true
  await waitUntil(t, 'the dead letter', () => outbox.stats().dead === 1)
  t.equal(outbox.stats().pending, 0)
})

t.test('delivery failures: what waits out an outage, what pauses, what gives up', async t => {
  const answer = (status: number, contentType: string, body: string): unknown => classifyDeliveryFailure(classifyOneCResponse({ status, contentType, body, set: 'R' }))
  const fault = (code: string): string => `{"odata.error":{"code":"${code}","message":{"lang":"ru","value":"x"}}}`
  const transport = (code: string): unknown => classifyDeliveryFailure(classifyTransportError(Object.assign(new Error(code), { code }), 'R', 1000))
  t.equal(transport('ECONNREFUSED'), 'outage')
  t.equal(transport('UND_ERR_HEADERS_TIMEOUT'), 'outage')
  t.equal(answer(406, 'text/plain', ''), 'outage', 'the publication\'s session pool')
  t.equal(answer(502, 'text/html', '<html><head><title>502 Bad Gateway</title></head></html>'), 'outage')
  t.equal(answer(503, 'text/plain', 'Service Unavailable'), 'outage')
  t.equal(answer(504, 'text/html', '<html><head><title>504 Gateway Time-out</title></head></html>'), 'outage')
  t.equal(answer(503, 'application/json', fault('-1')), 'outage')
  t.equal(answer(429, 'application/json', fault('0')), 'outage')
  t.equal(classifyDeliveryFailure(new AppError('ONEC_SESSION_EXPIRED', 'gone')), 'outage')
  t.equal(answer(500, 'application/json', fault('-1')), 'retry', 'an exception in 1C for this call: limited')
  t.equal(answer(500, 'text/plain', 'Internal Server Error'), 'retry', 'not OData: limited')
  t.equal(classifyDeliveryFailure(new TypeError('x is undefined')), 'retry', 'a defect of ours on this call: limited')
  t.equal(answer(401, 'application/json', ''), 'pause')
  t.equal(answer(404, 'application/json', fault('6')), 'pause')
  t.equal(answer(400, 'application/json', fault('4')), 'dead')
})

t.test('a call read back from disk, retried, or back from the dead letters may have been sent: a fresh one has not', async t => {
  const dir = await tempDir(t)
  const first = await Outbox.open<CallRecord>({ dir, onWarning: () => {} })
  await first.append('from-last-run', call('from-last-run'))
  await first.close()
  const outbox = await Outbox.open<CallRecord>({ dir, onWarning: () => {} })
  t.teardown(async () => { await outbox.close() })
  const seen: string[] = []
  let failOnce = true
  const worker = new JournalWorker({
    outbox,
    deliver: async (c, ctx) => {
      seen.push(`${c.callKey} ${ctx.maybeSent ? 'maybe sent' : 'fresh'}`)
      if (c.callKey === 'fresh' && failOnce) {
        failOnce = false
        throw new AppError('ONEC_TIMEOUT', 'slow')
      }
      if (c.callKey === 'refused' && seen.filter(s => s.startsWith('refused')).length === 1) throw new AppError('ONEC_BAD_REQUEST', 'refused')
      return 'delivered'
    },
    classify: classifyDeliveryFailure,
    describe: err => (err as Error).message,
    retryMinMs: 1,
    retryMaxMs: 2,
  })
  await outbox.append('fresh', call('fresh'))
  await outbox.append('refused', call('refused'))
  worker.start()
  t.teardown(async () => { await worker.stop() })
  await waitUntil(t, 'the dead letter', () => outbox.stats().dead === 1 && outbox.stats().pending === 0)
  await outbox.retryDead(3)
  await waitUntil(t, 'the retried dead letter', () => outbox.stats().dead === 0 && outbox.stats().pending === 0)
  t.same(seen, ['from-last-run maybe sent', 'fresh fresh', 'fresh maybe sent', 'refused fresh', 'refused maybe sent'])
})
