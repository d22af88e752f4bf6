import { join } from 'node:path'
import fp from 'fastify-plugin'
import { AppError } from '../lib/errors.js'
import { mapCall, type JournalTarget, type MappedRecord } from '../lib/journal/mapping.js'
import type { CallRecord } from '../lib/journal/report.js'
import { JournalWorker, type DeliveryContext, type DeliveryResult, type FailureKind } from '../lib/journal/worker.js'
import type { RequestContext } from '../lib/onec/client.js'
import { Outbox, OutboxBrokenError, OutboxClosedError, OutboxFullError } from '../lib/outbox/index.js'
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
/**
 * Answers that mean "not now" whatever their body: 406 is the publication's pool (onec-odata.md §5.3),
 * 408/429 and 502-504 come from the web server or a gateway in front of 1C that is down or overloaded.
 */
const OUTAGE_STATUS = new Set([406, 408, 429, 502, 503, 504])

/**
 * - outage: 1C is unreachable, slow or busy: retried for as long as it takes, never dead-lettered (a
 *   weekend with 1C down must not empty the queue into the dead letters);
 * - pause: the publication refuses every call (credentials, rights, composition);
 * - dead: 1C refused this call for good (400, 404 by key);
 * - retry: 1C answered this call with an error (500 with an OData fault, which may be an exception in
 *   1C's code for this one record, onec-odata.md §5.3, or an answer that is not OData), or the proxy
 *   failed on it: retried JOURNAL_MAX_ATTEMPTS times, then dead-lettered so that the queue moves on.
 */
export function classifyDeliveryFailure (error: unknown): FailureKind {
  if (!(error instanceof AppError)) return 'retry'
  const status = (error.details?.onec as { status?: unknown } | undefined)?.status
  if (typeof status === 'number' && OUTAGE_STATUS.has(status)) return 'outage'
  if (PAUSE.has(error.code)) return 'pause'
  if (DEAD.has(error.code)) return 'dead'
  // 503/504 are what lib/errors.ts gives "1C could not be asked, not in time, or has no session for us
  // now" (unreachable, timeout, pool exhausted, session expired, the web server answering for 1C).
  if (error.status === 503 || error.status === 504) return 'outage'
  return 'retry'
}

function describe (error: unknown): string {
  if (error instanceof AppError) return `${error.code}: ${error.message}${error.hint === undefined ? '' : ` ${error.hint}`}`
  return error instanceof Error ? error.message : String(error)
}

/**
 * A call key for the log: `20261201061502-I-101-79161234567` → `20261201061502-I-101-*******4567`. Its
 * last part is the caller's number (lib/journal/report.ts callKey), masked as numbers are; a key in any
 * other form (the hash of a long one) is not shown at all: the line's seq tells the call.
 */
function maskCallKey (key: string): string {
  const m = /^(\d{14}-[A-Za-z]-[^-]*-)(.*)$/s.exec(key)
  return m === null ? maskPhone(key) : `${m[1] as string}${maskPhone(m[2])}`
}

/** Why the outbox cannot write, in words an operator can act on, and a tag for machines. */
function journalFailure (failure: OutboxBrokenError, dir: string): { kind: 'disk_full' | 'write_failed', reason: string, hint: string } {
  const cause = failure.cause as NodeJS.ErrnoException | undefined
  const full = cause?.code === 'ENOSPC' || cause?.code === 'EDQUOT'
  const what = full
    ? `the disk holding ${dir} is full (${cause?.code ?? ''})`
    : `a write to the journal files in ${dir} failed (${cause?.message ?? failure.message})`
  const fix = full
    ? 'Free space on that disk.'
    : 'Check that disk: is it mounted read-only, failing, or not writable by the proxy\'s user?'
  return {
    kind: full ? 'disk_full' : 'write_failed',
    reason: `the call journal cannot write: ${what}. Reports from 3CX are refused (503 JOURNAL_UNAVAILABLE) and no call is delivered to 1C meanwhile.`,
    hint: `${fix} The journal reopens by itself within seconds of a write succeeding again, with every call it had on disk; if it does not, restart the proxy.`,
  }
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
  const dir = join(config.dataDir, 'journal')
  const outbox = await Outbox.open<CallRecord>({
    dir,
    fsync: config.journal.fsync,
    onWarning: (warning) => log.warn({ warning }, 'journal file damage skipped'),
  })
  const full = config.log.phoneNumbers === 'full'
  const shown = (call: CallRecord): string => full ? call.number : maskPhone(call.number)
  const shownKey = (key: string): string => full ? key : maskCallKey(key)
  const set = target === 'register' ? app.profile.journal.register : app.profile.journal.document
  const { maxAttempts } = config.journal

  /** The owner is optional (Контрагент may stay empty): a lookup that fails must not hold the call back. */
  const ownerOf = async (call: CallRecord, seq: number, ctx: RequestContext & { signal: AbortSignal }): Promise<CallRecord['contact']> => {
    if (call.contact !== undefined || call.numberKey === undefined) return call.contact
    try {
      return await app.directory.ownerOf(call.numberKey, config.onec.timeoutMs, ctx)
    } catch (err) {
      if (ctx.signal.aborted) throw err
      log.warn({ seq, callKey: shownKey(call.callKey), number: shown(call), error: describe(err) }, 'the owner of a journaled call could not be looked up: the call is written without it')
      return undefined
    }
  }

  // Whether 1C keeps the Ref_Key sent with a new document is uncertain (onec-odata.md §4.1): learnt from
  // 1C's answers, and until it is known to keep it, a call that may have been sent is looked for by `find`.
  let clientKeys: 'unknown' | 'kept' | 'ignored' = 'unknown'
  const learnClientKeys = (record: MappedRecord, created: Record<string, unknown>): void => {
    const got = typeof created.Ref_Key === 'string' ? created.Ref_Key.toLowerCase() : undefined
    if (got === undefined || record.ref === undefined) return
    if (got === record.ref) {
      if (clientKeys === 'unknown') clientKeys = 'kept'
      return
    }
    if (clientKeys === 'ignored') return
    clientKeys = 'ignored'
    log.warn({ set: record.set }, '1C does not keep the Ref_Key the proxy sends with a new document: a call sent again is first looked for by its date and comment')
  }

  const alreadyInOneC = async (record: MappedRecord, ctx: RequestContext): Promise<boolean> => {
    if (record.ref === undefined || record.find === undefined) return false
    if (clientKeys !== 'ignored' && await app.onec.get(record.set, record.ref, ['Ref_Key'], ctx) !== undefined) return true
    if (clientKeys === 'kept') return false
    const page = 1000
    for (let skip = 0; ; skip += page) {
      const { value } = await app.onec.list({ set: record.set, filter: record.find.filter, select: record.find.select, orderby: ['Ref_Key'], top: page, skip }, ctx)
      if (value.some(record.find.matches)) return true
      if (value.length < page) return false
    }
  }

  const deliver = async (call: CallRecord, { seq, maybeSent, signal }: DeliveryContext): Promise<DeliveryResult> => {
    // The seq, not the call key: the key holds the caller's number, and request ids are logged as they are.
    const ctx = { signal, requestId: `journal-${seq}` }
    const contact = await ownerOf(call, seq, ctx)
    const record = mapCall(target, call, { profile: app.profile, timezone: config.onec.timezone, contact, now: new Date() })
    // A document has no unique key 1C enforces: a call that may have landed is looked for before it is written again.
    if (maybeSent && await alreadyInOneC(record, ctx)) return 'already_present'
    try {
      const created = await app.onec.create(record.set, record.body, ctx)
      learnClientKeys(record, created)
      return 'delivered'
    } catch (err) {
      // Code 15: the register already has this call (a repeat after a lost answer, or a second report).
      if ((err as { code?: string }).code === 'ONEC_DUPLICATE_KEY') return 'already_present'
      throw err
    }
  }

  // onec-odata.md §5.3: 500 with code -1 is an exception in 1C's code, which may concern one record or
  // every request (an undocumented licence limit may look the same). Only a base that still answers a
  // read of the same set is refusing this one call; otherwise the call waits, as in any outage.
  const confirmDead = async (entry: { seq: number }, _error: unknown, signal: AbortSignal): Promise<boolean> => {
    try {
      await app.onec.list({ set, top: 1 }, { signal, requestId: `journal-${entry.seq}` })
      return true
    } catch {
      return false
    }
  }

  const worker = new JournalWorker({
    outbox,
    deliver,
    classify: classifyDeliveryFailure,
    describe,
    confirmDead,
    maxAttempts,
    retryMinMs: config.journal.retryMinMs,
    retryMaxMs: config.journal.retryMaxMs,
    pausedRetryMs: Math.min(30_000, config.journal.retryMaxMs),
    events: {
      delivered: (entry, result, attempts) => {
        app.metrics.journalDelivered.inc({ result })
        log.info({ seq: entry.seq, callKey: shownKey(entry.key), number: shown(entry.payload), result, attempts }, 'call delivered to 1C')
      },
      retry: (entry, error, kind, delayMs, attempts) => {
        app.metrics.journalRetries.inc({ reason: (error as { code?: string }).code ?? 'error' })
        const limit = kind === 'retry' ? { maxAttempts } : {}
        log.warn({ seq: entry.seq, callKey: shownKey(entry.key), kind, attempts, ...limit, retryInMs: Math.round(delayMs), error: describe(error) }, 'call delivery failed')
      },
      dead: (entry, reason, attempts) => {
        app.metrics.journalDeadLettered.inc()
        log.error({ seq: entry.seq, callKey: shownKey(entry.key), number: shown(entry.payload), attempts, reason }, 'call moved to the dead letters: 1C refused it')
      },
      pauseChanged: (paused, reason) => {
        if (paused) log.error({ reason }, 'call delivery paused')
        else log.info('call delivery resumed')
      },
      outboxFailed: (failure) => {
        const { reason, hint } = journalFailure(failure, dir)
        log.error({ reason, hint }, 'call journal stopped: it cannot write to disk')
      },
      outboxReopened: () => {
        log.info({ pending: outbox.stats().pending }, 'call journal reopened from disk: accepting and delivering calls again')
      },
      unexpected: (error) => {
        log.error({ err: error }, 'call journal worker: unexpected failure, carrying on')
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
    const failing = state.attempts === 0
      ? {}
      : { headSeq: state.headSeq, headAttempts: state.attempts, lastError: state.lastError, nextAttemptAt: state.nextAttemptAt === undefined ? undefined : new Date(state.nextAttemptAt).toISOString() }
    const details = { target, pending: stats.pending, dead: stats.dead, maxAttempts, ...failing }
    if (outbox.failure !== undefined) {
      const { kind, reason, hint } = journalFailure(outbox.failure, dir)
      return { ok: false, reason: `${reason} ${hint}`, details: { ...details, journal: kind } }
    }
    if (state.paused) return { ok: false, reason: `call delivery is paused: ${state.reason ?? ''}`, details }
    if (state.attempts > 0) {
      return { ok: true, warning: `the call at the head of the queue (seq ${String(state.headSeq)}) failed ${state.attempts} time(s), last: ${state.lastError ?? ''}`, details }
    }
    return { ok: true, details }
  })

  const unavailable = (failure: OutboxBrokenError): AppError => {
    const { kind, reason, hint } = journalFailure(failure, dir)
    return new AppError('JOURNAL_UNAVAILABLE', `The call was not stored: ${reason}`, { hint, cause: failure, details: { journal: kind } })
  }

  app.decorate('journal', {
    target,
    outbox,
    worker,
    accept: async (call: CallRecord) => {
      if (outbox.failure !== undefined && !await worker.reopen()) {
        const failure = outbox.failure
        if (failure !== undefined) throw unavailable(failure)
      }
      try {
        const { seq, duplicate } = await outbox.append(call.callKey, call)
        app.metrics.journalAccepted.inc({ duplicate: String(duplicate) })
        return { seq, duplicate }
      } catch (err) {
        // Never a 200 for a call that is not on disk.
        if (err instanceof OutboxFullError) throw new AppError('JOURNAL_UNAVAILABLE', 'The call journal queue is full: 1C has not taken calls for too long.', { hint: 'Check /ready and the delivery errors in the log.', cause: err, details: { journal: 'queue_full' } })
        if (err instanceof OutboxBrokenError) throw unavailable(err)
        if (err instanceof OutboxClosedError) throw new AppError('JOURNAL_UNAVAILABLE', 'The call journal is closed: the proxy is shutting down.', { cause: err, details: { journal: 'closed' } })
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
