import t, { type Test } from 'tap'
import { Outbox } from '../../lib/outbox/index.js'
import type { CallRecord } from '../../lib/journal/report.js'
import { JournalWorker } from '../../lib/journal/worker.js'
import { tempDir } from '../support/outbox-temp.js'

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
