import { OutboxClosedError, type Outbox, type OutboxBrokenError, type OutboxEntry } from '../outbox/index.js'
import type { CallRecord } from './report.js'

/**
 * Delivers queued calls to 1C, oldest first, one at a time, so the journal in 1C keeps 3CX's order.
 * - an outage (1C unreachable, slow, overloaded, a gateway in front of it down) is retried with
 *   exponential backoff and jitter, the same call again, for as long as it lasts: later calls wait, none
 *   is skipped, none is given up;
 * - a failure of this one call (1C answered it with an error, or the proxy failed on it) is retried the
 *   same way, but only `maxAttempts` times: then the call goes to the dead letters with the last error,
 *   so that one call 1C keeps refusing cannot hold up every call after it (an operator can retry it);
 * - a failure that concerns every call (credentials, rights, the register missing from the OData
 *   composition) pauses delivery with a reason instead of burning the queue, and is retried slowly;
 * - a call 1C rejects for good goes to the dead letters at once with 1C's message;
 * - when the outbox cannot write (a full disk), delivery stops and the outbox is reopened from disk as
 *   soon as a write succeeds again.
 * Lookups never wait for any of this: the worker runs on its own, and nothing it does rejects unhandled.
 */
export type FailureKind = 'outage' | 'retry' | 'pause' | 'dead'
export type DeliveryResult = 'delivered' | 'already_present'

export interface DeliveryContext {
  /** The call's place in the outbox. */
  seq: number
  /**
   * The call may already be in 1C without our knowing: an earlier attempt failed without an answer, a
   * previous run or a reopened outbox handed it over, or it comes back from the dead letters.
   */
  maybeSent: boolean
  signal: AbortSignal
}

export interface WorkerEvents {
  delivered: (entry: OutboxEntry<CallRecord>, result: DeliveryResult, attempts: number) => void
  retry: (entry: OutboxEntry<CallRecord>, error: unknown, kind: FailureKind, delayMs: number, attempts: number) => void
  dead: (entry: OutboxEntry<CallRecord>, reason: string, attempts: number) => void
  pauseChanged: (paused: boolean, reason: string | undefined) => void
  /** The outbox could not write: delivery stops until it reopens. */
  outboxFailed: (error: OutboxBrokenError) => void
  outboxReopened: () => void
  /** Something failed that is no call's fault (a defect): the worker waits and goes on. */
  unexpected: (error: unknown) => void
}

export interface JournalWorkerOptions {
  outbox: Outbox<CallRecord>
  deliver: (call: CallRecord, ctx: DeliveryContext) => Promise<DeliveryResult>
  classify: (error: unknown) => FailureKind
  describe: (error: unknown) => string
  retryMinMs: number
  retryMaxMs: number
  /** While paused, attempts are spaced at least this much. */
  pausedRetryMs?: number
  /** Attempts of one call that fail with a 'retry' failure before it goes to the dead letters; default 10. */
  maxAttempts?: number
  /**
   * Asked before a call goes to the dead letters after `maxAttempts`: false when 1C fails other requests
   * too, so that the failure is an outage after all and the call is kept. Default: always true.
   */
  confirmDead?: (entry: OutboxEntry<CallRecord>, error: unknown, signal: AbortSignal) => Promise<boolean>
  /** While the outbox cannot write, a reopen is tried this often (and when kicked); default 5 s. */
  reopenRetryMs?: number
  events?: Partial<WorkerEvents>
  random?: () => number
}

export interface WorkerState {
  running: boolean
  paused: boolean
  reason: string | undefined
  /** The call the attempts are about (the head of the queue while it fails). */
  headSeq: number | undefined
  /** Failed attempts of the call at the head of the queue. */
  attempts: number
  nextAttemptAt: number | undefined
  lastError: string | undefined
  /** Set while the outbox cannot write: nothing is delivered (nor accepted) until it reopens. */
  outboxError: string | undefined
}

/** A kick may reopen a broken outbox at most this often: every refused report kicks. */
const MIN_REOPEN_SPACING_MS = 1_000
const DEFAULT_REOPEN_RETRY_MS = 5_000
const DEFAULT_MAX_ATTEMPTS = 10

export class JournalWorker {
  readonly #opts: JournalWorkerOptions
  readonly #random: () => number
  #state: WorkerState = { running: false, paused: false, reason: undefined, headSeq: undefined, attempts: 0, nextAttemptAt: undefined, lastError: undefined, outboxError: undefined }
  #stop = new AbortController()
  #stopping = false
  #wake: (() => void) | undefined
  /** Ends the wait for new work: stopping an idle worker has nothing to wait for. */
  #idle: AbortController | undefined
  #loop: Promise<void> | undefined
  /** Seqs handed to `deliver` in this run and not confirmed since: a repeat must look before it writes. */
  readonly #tried = new Set<number>()
  #reopening: Promise<boolean> | undefined
  #lastReopenAt = 0

  constructor (opts: JournalWorkerOptions) {
    this.#opts = opts
    this.#random = opts.random ?? Math.random
  }

  get state (): WorkerState {
    return { ...this.#state }
  }

  start (): void {
    if (this.#loop !== undefined) return
    this.#stop = new AbortController()
    this.#state.running = true
    // #run handles its own failures; the catch is the last guard against an unhandled rejection.
    this.#loop = this.#run()
      .catch(error => { this.#emit('unexpected', error) })
      .finally(() => { this.#state.running = false })
  }

  /** Skip the current backoff and try now (after an administrator fixed something, or freed the disk). */
  kick (): void {
    this.#wake?.()
  }

  /**
   * Stops taking new work; a delivery in flight may finish within `graceMs`, then it is abandoned. An
   * abandoned or unconfirmed delivery stays queued and is sent again on the next start: the register's
   * key (or a look for the document) makes the repeat harmless.
   */
  async stop (graceMs = 5_000): Promise<void> {
    if (this.#loop === undefined) return
    const loop = this.#loop
    this.#stopping = true
    this.#wake?.()
    this.#idle?.abort()
    const timer = setTimeout(() => this.#stop.abort(), graceMs)
    try {
      await loop
    } finally {
      clearTimeout(timer)
      this.#loop = undefined
    }
  }

  /**
   * Tries to reopen an outbox that stopped after a failed write; true once it works again. Shared by
   * concurrent callers, and tried at most once a second, since every report refused meanwhile asks.
   */
  async reopen (): Promise<boolean> {
    const { outbox } = this.#opts
    if (outbox.failure === undefined) return true
    if (this.#reopening !== undefined) return await this.#reopening
    if (Date.now() - this.#lastReopenAt < MIN_REOPEN_SPACING_MS) return false
    this.#lastReopenAt = Date.now()
    this.#reopening = outbox.reopen().catch(() => false).finally(() => { this.#reopening = undefined })
    const reopened = await this.#reopening
    if (reopened && this.#state.outboxError !== undefined) {
      this.#state.outboxError = undefined
      this.#state.nextAttemptAt = undefined
      this.#emit('outboxReopened')
      this.kick()
    } else if (!reopened && outbox.failure !== undefined && this.#state.outboxError !== undefined) {
      this.#state.outboxError = outbox.failure.message
    }
    return reopened
  }

  async #run (): Promise<void> {
    this.#stopping = false
    const signal = this.#stop.signal
    const idle = new AbortController()
    this.#idle = idle
    signal.addEventListener('abort', () => idle.abort(), { once: true })
    const { outbox } = this.#opts
    while (!this.#stopping) {
      if (outbox.failure !== undefined) {
        await this.#whileBroken(outbox.failure)
        continue
      }
      if (outbox.isClosed) return
      try {
        await outbox.waitForWork(idle.signal)
      } catch {
        return
      }
      // Woken by a failure or a close rather than by work: the top of the loop deals with those.
      if (this.#stopping || outbox.failure !== undefined || outbox.isClosed) continue
      const entry = outbox.head()
      try {
        if (entry === undefined) throw new Error('the outbox has pending calls but no head')
        await this.#attempt(entry, signal)
      } catch (error) {
        // A write that failed because the outbox broke or closed is dealt with at the top of the loop
        // (OutboxClosedError covers a broken outbox too, even one reopened since).
        if (error instanceof OutboxClosedError || outbox.failure !== undefined || outbox.isClosed) continue
        await this.#unexpected(error)
      }
    }
  }

  async #whileBroken (failure: OutboxBrokenError): Promise<void> {
    if (this.#state.outboxError === undefined) {
      this.#state.outboxError = failure.message
      this.#emit('outboxFailed', failure)
    }
    const delay = this.#opts.reopenRetryMs ?? DEFAULT_REOPEN_RETRY_MS
    this.#state.nextAttemptAt = Date.now() + delay
    await this.#sleep(delay)
    if (this.#stopping) return
    this.#lastReopenAt = 0
    await this.reopen()
  }

  async #attempt (entry: OutboxEntry<CallRecord>, signal: AbortSignal): Promise<void> {
    // Not before it is on disk: a call whose write fails is refused to 3CX, so it must not reach 1C either.
    await this.#opts.outbox.durable(entry.seq)
    if (entry.seq !== this.#state.headSeq) {
      // A new head (the last one settled, or an older dead letter came back in front of it).
      this.#state.headSeq = entry.seq
      this.#state.attempts = 0
      this.#state.lastError = undefined
      this.#state.nextAttemptAt = undefined
    }
    const attempts = this.#state.attempts
    const maybeSent = this.#tried.has(entry.seq) || entry.seq < this.#opts.outbox.fromDiskBelow
    this.#tried.add(entry.seq)
    let result: DeliveryResult
    try {
      result = await this.#opts.deliver(entry.payload, { seq: entry.seq, maybeSent, signal })
    } catch (error) {
      if (signal.aborted) return
      await this.#failed(entry, error, signal)
      return
    }
    await this.#opts.outbox.markDelivered(entry.seq)
    this.#tried.delete(entry.seq)
    this.#settled()
    this.#setPaused(false, undefined)
    this.#emit('delivered', entry, result, attempts + 1)
  }

  async #failed (entry: OutboxEntry<CallRecord>, error: unknown, signal: AbortSignal): Promise<void> {
    let kind = this.#opts.classify(error)
    const reason = this.#opts.describe(error)
    this.#state.lastError = reason
    this.#state.attempts++
    const attempts = this.#state.attempts
    if (kind === 'dead') {
      await this.#bury(entry, reason, attempts)
      return
    }
    if (kind === 'retry' && attempts >= (this.#opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS)) {
      const confirmed = await (this.#opts.confirmDead?.(entry, error, signal) ?? Promise.resolve(true)).catch(() => false)
      if (signal.aborted) return
      if (confirmed) {
        await this.#bury(entry, `${reason} (gave up after ${attempts} attempts)`, attempts)
        return
      }
      // 1C fails other requests too: not this call's fault, so it waits like any outage.
      kind = 'outage'
    }
    if (kind === 'pause') this.#setPaused(true, reason)
    const delay = this.#delay(attempts, kind === 'pause')
    this.#state.nextAttemptAt = Date.now() + delay
    this.#emit('retry', entry, error, kind, delay, attempts)
    await this.#sleep(delay)
  }

  async #bury (entry: OutboxEntry<CallRecord>, reason: string, attempts: number): Promise<void> {
    await this.#opts.outbox.markDead(entry.seq, reason)
    this.#settled()
    this.#emit('dead', entry, reason, attempts)
  }

  #settled (): void {
    this.#state.headSeq = undefined
    this.#state.attempts = 0
    this.#state.lastError = undefined
    this.#state.nextAttemptAt = undefined
  }

  /** A defect, not a call's failure: note it and wait as after a failed attempt, so that it cannot spin. */
  async #unexpected (error: unknown): Promise<void> {
    this.#state.attempts++
    this.#state.lastError = error instanceof Error ? error.message : String(error)
    this.#emit('unexpected', error)
    const delay = this.#delay(this.#state.attempts, false)
    this.#state.nextAttemptAt = Date.now() + delay
    await this.#sleep(delay)
  }

  /** min·2^(n−1), capped, with full jitter on the upper half so that restarts do not hit 1C in step. */
  #delay (attempts: number, paused: boolean): number {
    const base = Math.min(this.#opts.retryMaxMs, this.#opts.retryMinMs * 2 ** Math.min(attempts - 1, 30))
    const jittered = base / 2 + this.#random() * base / 2
    return paused ? Math.max(jittered, this.#opts.pausedRetryMs ?? 0) : jittered
  }

  #setPaused (paused: boolean, reason: string | undefined): void {
    if (this.#state.paused === paused && this.#state.reason === reason) return
    const changed = this.#state.paused !== paused
    this.#state.paused = paused
    this.#state.reason = reason
    if (changed) this.#emit('pauseChanged', paused, reason)
  }

  /** Event handlers are the caller's code (logs, metrics): one that throws must not stop delivery. */
  #emit<K extends keyof WorkerEvents> (name: K, ...args: Parameters<WorkerEvents[K]>): void {
    const handler = this.#opts.events?.[name] as ((...a: Parameters<WorkerEvents[K]>) => void) | undefined
    try {
      handler?.(...args)
    } catch (error) {
      if (name !== 'unexpected') this.#emit('unexpected', error)
    }
  }

  async #sleep (ms: number): Promise<void> {
    if (this.#stopping) return
    await new Promise<void>(resolve => {
      const timer = setTimeout(done, ms)
      function done (): void {
        clearTimeout(timer)
        resolve()
      }
      this.#wake = done
    })
    this.#wake = undefined
  }
}
