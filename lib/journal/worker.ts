import type { Outbox, OutboxEntry } from '../outbox/index.js'
import type { CallRecord } from './report.js'

/**
 * Delivers queued calls to 1C, oldest first, one at a time, so the journal in 1C keeps 3CX's order.
 * - a transient failure (1C down, slow, 5xx, 406) is retried with exponential backoff and jitter, the
 *   same call again: later calls wait, none is skipped;
 * - a failure that concerns every call (credentials, rights, the register missing from the OData
 *   composition) pauses delivery with a reason instead of burning the queue, and is retried slowly;
 * - a call 1C rejects for good goes to the dead letters with 1C's message.
 * Lookups never wait for any of this: the worker runs on its own.
 */
export type FailureKind = 'retry' | 'pause' | 'dead'
export type DeliveryResult = 'delivered' | 'already_present'

export interface WorkerEvents {
  delivered: (entry: OutboxEntry<CallRecord>, result: DeliveryResult, attempts: number) => void
  retry: (entry: OutboxEntry<CallRecord>, error: unknown, kind: FailureKind, delayMs: number, attempts: number) => void
  dead: (entry: OutboxEntry<CallRecord>, reason: string) => void
  pauseChanged: (paused: boolean, reason: string | undefined) => void
}

export interface JournalWorkerOptions {
  outbox: Outbox<CallRecord>
  deliver: (call: CallRecord, attempt: number, signal: AbortSignal) => Promise<DeliveryResult>
  classify: (error: unknown) => FailureKind
  describe: (error: unknown) => string
  retryMinMs: number
  retryMaxMs: number
  /** While paused, attempts are spaced at least this much. */
  pausedRetryMs?: number
  events?: Partial<WorkerEvents>
  random?: () => number
}

export interface WorkerState {
  running: boolean
  paused: boolean
  reason: string | undefined
  /** Failed attempts of the call at the head of the queue. */
  attempts: number
  nextAttemptAt: number | undefined
  lastError: string | undefined
}

export class JournalWorker {
  readonly #opts: JournalWorkerOptions
  readonly #random: () => number
  #state: WorkerState = { running: false, paused: false, reason: undefined, attempts: 0, nextAttemptAt: undefined, lastError: undefined }
  #stop = new AbortController()
  #stopping = false
  #wake: (() => void) | undefined
  /** Ends the wait for new work: stopping an idle worker has nothing to wait for. */
  #idle: AbortController | undefined
  #loop: Promise<void> | undefined

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
    this.#loop = this.#run().finally(() => { this.#state.running = false })
  }

  /** Skip the current backoff and try now (after an administrator fixed something). */
  kick (): void {
    this.#wake?.()
  }

  /**
   * Stops taking new work; a delivery in flight may finish within `graceMs`, then it is abandoned. An
   * abandoned or unconfirmed delivery stays queued and is sent again on the next start: the register's
   * key (or the document's Ref_Key) makes the repeat harmless.
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

  async #run (): Promise<void> {
    this.#stopping = false
    const signal = this.#stop.signal
    const idle = new AbortController()
    this.#idle = idle
    signal.addEventListener('abort', () => idle.abort(), { once: true })
    while (!this.#stopping) {
      try {
        await this.#opts.outbox.waitForWork(idle.signal)
      } catch {
        return
      }
      if (this.#stopping) return
      const entry = this.#opts.outbox.head()
      if (entry === undefined) continue
      await this.#attempt(entry, signal)
    }
  }

  async #attempt (entry: OutboxEntry<CallRecord>, signal: AbortSignal): Promise<void> {
    const attempts = this.#state.attempts
    let result: DeliveryResult
    try {
      result = await this.#opts.deliver(entry.payload, attempts, signal)
    } catch (error) {
      if (signal.aborted) return
      await this.#failed(entry, error)
      return
    }
    await this.#opts.outbox.markDelivered(entry.seq)
    this.#state.attempts = 0
    this.#state.lastError = undefined
    this.#state.nextAttemptAt = undefined
    this.#setPaused(false, undefined)
    this.#opts.events?.delivered?.(entry, result, attempts + 1)
  }

  async #failed (entry: OutboxEntry<CallRecord>, error: unknown): Promise<void> {
    const kind = this.#opts.classify(error)
    const reason = this.#opts.describe(error)
    this.#state.lastError = reason
    if (kind === 'dead') {
      await this.#opts.outbox.markDead(entry.seq, reason)
      this.#state.attempts = 0
      this.#opts.events?.dead?.(entry, reason)
      return
    }
    this.#state.attempts++
    if (kind === 'pause') this.#setPaused(true, reason)
    const delay = this.#delay(this.#state.attempts, kind === 'pause')
    this.#state.nextAttemptAt = Date.now() + delay
    this.#opts.events?.retry?.(entry, error, kind, delay, this.#state.attempts)
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
    if (changed) this.#opts.events?.pauseChanged?.(paused, reason)
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
