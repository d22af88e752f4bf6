import { join } from 'node:path'
import fp from 'fastify-plugin'
import { AppError } from '../lib/errors.js'
import { mapCall, type JournalTarget } from '../lib/journal/mapping.js'
import type { CallRecord } from '../lib/journal/report.js'
import { JournalWorker, type DeliveryResult, type FailureKind } from '../lib/journal/worker.js'
import { Outbox, OutboxFullError } from '../lib/outbox/index.js'
import { maskPhone } from '../lib/phone.js'

export interface Journal {
  /** off: calls are acknowledged and not kept. */
  target: JournalTarget | 'off'
  /** Durable before it resolves. */
  accept (call: CallRecord): Promise<{ duplicate: boolean, seq: number }>
  outbox: Outbox<CallRecord> | undefined
  worker: JournalWorker | undefined
}

declare module 'fastify' {
  interface FastifyInstance {
    journal: Journal
  }
}

/** Failures that concern every call, not this one: pause and say why (auth, rights, composition, wrong URL). */
const PAUSE = new Set(['ONEC_AUTH_FAILED', 'ONEC_ACCESS_DENIED', 'ONEC_SET_NOT_PUBLISHED', 'ONEC_NOT_ODATA'])
/** 1C understood the call and refused it: retrying cannot help. */
const DEAD = new Set(['ONEC_BAD_REQUEST', 'ONEC_NOT_FOUND'])

export function classifyDeliveryFailure (error: unknown): FailureKind {
  const code = (error as { code?: string }).code ?? ''
  if (PAUSE.has(code)) return 'pause'
  if (DEAD.has(code)) return 'dead'
  return 'retry'
}

function describe (error: unknown): string {
  if (error instanceof AppError) return `${error.code}: ${error.message}${error.hint === undefined ? '' : ` ${error.hint}`}`
  return error instanceof Error ? error.message : String(error)
}

/**
 * The call journal: a durable outbox on disk (DATA_DIR/journal) that 3CX's reports enter before the 200
 * leaves, and a worker that delivers them to 1C in order. On start it resumes whatever the last run left;
 * on close it stops the worker and closes the outbox, so nothing accepted is lost.
 */
export default fp(async (app) => {
  const { config } = app
  const target = config.journal.target
  const log = app.log.child({ component: 'journal' })
  if (target === 'off') {
    app.decorate('journal', { target, accept: async () => ({ duplicate: false, seq: 0 }), outbox: undefined, worker: undefined })
    app.readiness.set('journal', { ok: true, details: { target } })
    return
  }
  const outbox = await Outbox.open<CallRecord>({
    dir: join(config.dataDir, 'journal'),
    fsync: config.journal.fsync,
    onWarning: (warning) => log.warn({ warning }, 'journal file damage skipped'),
  })
  const shown = (call: CallRecord): string => config.log.phoneNumbers === 'full' ? call.number : maskPhone(call.number)

  const deliver = async (call: CallRecord, attempt: number, signal: AbortSignal): Promise<DeliveryResult> => {
    const ctx = { signal, requestId: `journal-${call.callKey}` }
    const contact = call.contact ?? (call.numberKey === undefined ? undefined : await app.directory.ownerOf(call.numberKey, config.onec.timeoutMs, ctx))
    const record = mapCall(target, call, { profile: app.profile, timezone: config.onec.timezone, contact, now: new Date() })
    if (record.ref !== undefined && attempt > 0) {
      // A document has no unique key of its own: after an unconfirmed attempt, look before writing again.
      const existing = await app.onec.get(record.set, record.ref, ['Ref_Key'], ctx)
      if (existing !== undefined) return 'already_present'
    }
    try {
      await app.onec.create(record.set, record.body, ctx)
      return 'delivered'
    } catch (err) {
      // Code 15: the register already has this call (a repeat after a lost answer, or a second report).
      if ((err as { code?: string }).code === 'ONEC_DUPLICATE_KEY') return 'already_present'
      throw err
    }
  }

  const worker = new JournalWorker({
    outbox,
    deliver,
    classify: classifyDeliveryFailure,
    describe,
    retryMinMs: config.journal.retryMinMs,
    retryMaxMs: config.journal.retryMaxMs,
    pausedRetryMs: Math.min(30_000, config.journal.retryMaxMs),
    events: {
      delivered: (entry, result, attempts) => {
        app.metrics.journalDelivered.inc({ result })
        log.info({ callKey: entry.key, number: shown(entry.payload), result, attempts }, 'call delivered to 1C')
      },
      retry: (entry, error, kind, delayMs, attempts) => {
        app.metrics.journalRetries.inc({ reason: (error as { code?: string }).code ?? 'error' })
        log.warn({ callKey: entry.key, kind, attempts, retryInMs: Math.round(delayMs), error: describe(error) }, 'call delivery failed')
      },
      dead: (entry, reason) => {
        app.metrics.journalDeadLettered.inc()
        log.error({ callKey: entry.key, number: shown(entry.payload), reason }, '1C rejected the call for good: moved to dead letters')
      },
      pauseChanged: (paused, reason) => {
        if (paused) log.error({ reason }, 'call delivery paused')
        else log.info('call delivery resumed')
      },
    },
  })

  app.metrics.providers.journal = () => {
    const stats = outbox.stats()
    return { pending: stats.pending, oldestPendingAt: stats.oldestPendingAt, dead: stats.dead, paused: worker.state.paused }
  }
  app.readiness.set('journal', () => {
    const state = worker.state
    const stats = outbox.stats()
    const details = { target, pending: stats.pending, dead: stats.dead }
    return state.paused ? { ok: false, reason: `call delivery is paused: ${state.reason ?? ''}`, details } : { ok: true, details }
  })

  app.decorate('journal', {
    target,
    outbox,
    worker,
    accept: async (call: CallRecord) => {
      try {
        const { seq, duplicate } = await outbox.append(call.callKey, call)
        app.metrics.journalAccepted.inc({ duplicate: String(duplicate) })
        return { seq, duplicate }
      } catch (err) {
        if (err instanceof OutboxFullError) throw new AppError('JOURNAL_UNAVAILABLE', 'The call journal queue is full: 1C has not taken calls for too long.', { hint: 'Check /ready and the delivery errors in the log.', cause: err })
        throw new AppError('JOURNAL_UNAVAILABLE', 'The call could not be stored durably.', { cause: err })
      }
    },
  })

  app.addHook('onReady', async () => {
    const pending = outbox.stats().pending
    if (pending > 0) log.info({ pending }, 'resuming delivery of calls left by the last run')
    worker.start()
  })
  app.addHook('onClose', async () => {
    await worker.stop()
    await outbox.close()
  })
}, { name: 'journal', fastify: '5.x', dependencies: ['config', 'data-dir', 'onec', 'directory', 'metrics', 'readiness'] })
