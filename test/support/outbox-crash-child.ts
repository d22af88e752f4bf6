/**
 * Run by test/lib/outbox-durability.test.ts and killed with SIGKILL mid-stream. Appends forever from 8
 * concurrent callers; prints `A <key> <seq>` once an append resolved (it is durable by then) and
 * `D <key>` once a delivery mark resolved (four in five entries get one). Stdout on a pipe is
 * synchronous on Linux, so a printed line reaches the parent even if the process dies right after.
 */
import { Outbox } from '../../lib/outbox/index.js'

const dir = process.argv[2]
if (dir === undefined) throw new Error('usage: outbox-crash-child <dir>')

// Small segments, so that the kill also lands during rolls and compactions.
const outbox = await Outbox.open<{ n: number, notes: string }>({ dir, segmentBytes: 16 * 1024, onWarning: () => {} })
// About the size of a real call report, so that delivered entries are worth compacting away.
const notes = 'x'.repeat(300)
let n = 0

async function caller (id: number): Promise<never> {
  for (;;) {
    const i = n++
    const key = `call-${id}-${i}`
    const { seq } = await outbox.append(key, { n: i, notes })
    process.stdout.write(`A ${key} ${seq}\n`)
    if (i % 3 === 0) {
      // A repeated report must not be queued twice, also across the crash.
      const again = await outbox.append(key, { n: i, notes })
      if (!again.duplicate || again.seq !== seq) process.exit(3)
    }
    if (i % 5 !== 0) {
      await outbox.markDelivered(seq)
      process.stdout.write(`D ${key}\n`)
    }
  }
}

await Promise.all(Array.from({ length: 8 }, async (_, id) => await caller(id)))
