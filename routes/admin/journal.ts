import type { FastifyPluginAsync } from 'fastify'
import { AppError } from '../../lib/errors.js'
import type { DeadLetter, OutboxEntry } from '../../lib/outbox/index.js'
import type { CallRecord } from '../../lib/journal/report.js'

// Strings in the URL: the app does not coerce types (a report's "agent": 101 must stay an error).
const seqParams = { type: 'object', required: ['seq'], properties: { seq: { type: 'string', pattern: '^[1-9][0-9]{0,15}$' } } } as const

function view (entry: OutboxEntry<CallRecord> | DeadLetter<CallRecord>): Record<string, unknown> {
  const call = entry.payload
  return {
    seq: entry.seq,
    callKey: entry.key,
    acceptedAt: new Date(entry.acceptedAt).toISOString(),
    callType: call.callType,
    number: call.number,
    agent: call.agent,
    start: call.start,
    ...('reason' in entry ? { deadAt: new Date(entry.deadAt).toISOString(), reason: entry.reason } : {}),
  }
}

/** The journal queue as an operator needs it: depth, age, dead letters and what to do with them. */
const journal: FastifyPluginAsync = async (app) => {
  const parts = (): { outbox: NonNullable<typeof app.journal.outbox>, worker: NonNullable<typeof app.journal.worker> } => {
    const { outbox, worker } = app.journal
    if (outbox === undefined || worker === undefined) throw new AppError('NOT_FOUND', 'The call journal is off (JOURNAL_TARGET=off).')
    return { outbox, worker }
  }

  app.get('/journal', async () => {
    const { outbox, worker } = parts()
    const stats = outbox.stats()
    const state = worker.state
    return {
      target: app.journal.target,
      pending: stats.pending,
      oldestPendingAgeS: stats.oldestPendingAt === undefined ? 0 : Math.round((Date.now() - stats.oldestPendingAt) / 1000),
      deadLetters: stats.dead,
      deliveredSinceStart: stats.deliveredSinceOpen,
      paused: state.paused,
      reason: state.reason,
      attemptsOnHead: state.attempts,
      lastError: state.lastError,
      nextAttemptAt: state.nextAttemptAt === undefined ? undefined : new Date(state.nextAttemptAt).toISOString(),
    }
  })

  app.get<{ Querystring: { limit?: string } }>('/journal/pending', {
    schema: { querystring: { type: 'object', properties: { limit: { type: 'string', pattern: '^([1-9][0-9]{0,2}|1000)$' } } } },
  }, async (request) => ({ pending: parts().outbox.pending(Number(request.query.limit ?? 100)).map(view) }))

  app.get('/journal/dead-letters', async () => ({ deadLetters: parts().outbox.deadLetters().map(view) }))

  app.post<{ Params: { seq: string } }>('/journal/dead-letters/:seq/retry', { schema: { params: seqParams } }, async (request) => {
    const { outbox, worker } = parts()
    if (!await outbox.retryDead(Number(request.params.seq))) throw new AppError('NOT_FOUND', `No dead letter ${request.params.seq}.`)
    worker.kick()
    return { retried: 1 }
  })

  app.delete<{ Params: { seq: string } }>('/journal/dead-letters/:seq', { schema: { params: seqParams } }, async (request) => {
    if (!await parts().outbox.dropDead(Number(request.params.seq))) throw new AppError('NOT_FOUND', `No dead letter ${request.params.seq}.`)
    return { dropped: 1 }
  })

  app.post('/journal/dead-letters/retry-all', async () => {
    const { outbox, worker } = parts()
    const retried = await outbox.retryAllDead()
    worker.kick()
    return { retried }
  })

  /** Try the head of the queue now instead of waiting out the backoff (after fixing 1C). */
  app.post('/journal/retry-now', async () => {
    parts().worker.kick()
    return { kicked: true }
  })
}

export default journal
