import { mkdir } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { OutboxBrokenError, OutboxClosedError, OutboxFullError, OutboxSeqError } from './errors.js'
import { checkWritable, SNAPSHOT_TEMP, unlinkIfPresent } from './files.js'
import { syncDir } from '../sync-dir.js'
import { encodeAppend, encodeRecord } from './records.js'
import { replay, type Replayed } from './replay.js'
import { SegmentLog } from './segment-log.js'
import { removeOlderSnapshots, writeSnapshot } from './snapshot.js'
import type { Capture, OutboxState, Slot } from './state.js'
import type { DeadLetter, OutboxEntry, OutboxOptions, OutboxStats, OutboxWarning } from './types.js'

const DEFAULTS = {
  segmentBytes: 16 * 1024 * 1024,
  keyRetentionMs: 7 * 24 * 60 * 60 * 1000,
  maxPending: 1_000_000,
}

interface Deferred {
  promise: Promise<void>
  resolve: () => void
  reject: (err: unknown) => void
}

/** Lines waiting for the next write; everyone who added one waits for the same sync. */
interface Batch extends Deferred {
  lines: Buffer[]
  bytes: number
  /** Seqs appended in this batch: a duplicate of one of them must wait for this batch too. */
  seqs: number[]
}

interface CompactionJob<T> {
  capture: Capture<T>
  covers: number
  waiters: Deferred[]
}

interface Settings {
  dir: string
  durable: boolean
  segmentBytes: number
  keyRetentionMs: number
  maxPending: number
  now: () => number
  warn: (warning: OutboxWarning) => void
}

/**
 * The durable, group-committed call-journal queue. Every change is applied to memory at once (so seq
 * numbers follow call order and duplicates are seen at once) and resolves only when its journal line is
 * synced. Lines that arrive while a write + sync is in flight go out together in the next one.
 */
export class Outbox<T> {
  private readonly cfg: Settings
  // Replaced as a whole when a broken outbox is reopened from what is on disk.
  private state: OutboxState<T>
  private log: SegmentLog
  private batch: Batch | undefined
  private readonly inflight = new Map<number, Promise<void>>()
  private draining: Promise<void> | undefined
  private compaction: Promise<void> | undefined
  private compactWaiters: Deferred[] = []
  /** A roll found compaction worth it while one was running: do it as soon as that one ends. */
  private compactWanted = false
  private readonly workWaiters = new Set<() => void>()
  private snapshotBytes: number
  private deliveredSinceOpen = 0
  private compactions = 0
  private closed = false
  private closing: Promise<void> | undefined
  private broken: OutboxBrokenError | undefined
  private reopening: Promise<boolean> | undefined
  private replayedBelow: number

  private constructor (cfg: Settings, state: OutboxState<T>, log: SegmentLog, snapshotBytes: number) {
    this.cfg = cfg
    this.state = state
    this.log = log
    this.snapshotBytes = snapshotBytes
    this.replayedBelow = state.nextSeq
  }

  /** Opens (creating `dir` if missing) and replays what is on disk. */
  static async open<T> (opts: OutboxOptions): Promise<Outbox<T>> {
    const cfg: Settings = {
      dir: resolve(opts.dir),
      durable: opts.fsync ?? true,
      segmentBytes: positiveInteger('segmentBytes', opts.segmentBytes ?? DEFAULTS.segmentBytes),
      keyRetentionMs: nonNegative('keyRetentionMs', opts.keyRetentionMs ?? DEFAULTS.keyRetentionMs),
      maxPending: positiveInteger('maxPending', opts.maxPending ?? DEFAULTS.maxPending),
      now: opts.now ?? Date.now,
      warn: opts.onWarning ?? (w => { process.emitWarning(w.message, { code: `OUTBOX_${w.code}` }) }),
    }
    const created = await mkdir(cfg.dir, { recursive: true })
    // A directory made just now must itself survive a power cut, or the files in it are lost with it.
    if (created !== undefined && cfg.durable) {
      const top = dirname(resolve(created))
      for (let d = cfg.dir; d !== top && d !== dirname(d); d = dirname(d)) await syncDir(dirname(d))
    }
    const replayed = await replay<T>(cfg.dir, cfg.durable, cfg.warn)
    replayed.state.forgetKeysBefore(cfg.now() - cfg.keyRetentionMs)
    const log = new SegmentLog(cfg.dir, cfg.durable, replayed.segments, replayed.nextSegmentId)
    return new Outbox<T>(cfg, replayed.state, log, replayed.snapshotBytes)
  }

  /**
   * Durable before it resolves. A key already pending, dead, or delivered/dropped within keyRetentionMs is
   * not queued again: resolves { duplicate: true } with the existing seq (once that one is durable).
   * The payload is kept as JSON: entries read back `JSON.parse(JSON.stringify(payload))`, before and
   * after a restart alike (a Date becomes its ISO string).
   */
  async append (key: string, payload: T): Promise<{ seq: number, duplicate: boolean }> {
    this.assertUsable()
    if (typeof key !== 'string' || key.length === 0) throw new TypeError('an outbox key must be a non-empty string')
    const now = this.cfg.now()
    const cutoff = now - this.cfg.keyRetentionMs
    this.state.forgetKeysBefore(cutoff)
    const existing = this.state.findKey(key, cutoff)
    if (existing !== undefined) {
      await this.inflight.get(existing)
      return { seq: existing, duplicate: true }
    }
    if (this.state.pendingCount >= this.cfg.maxPending) throw new OutboxFullError(this.cfg.maxPending)
    const payloadJson = JSON.stringify(payload) as string | undefined
    if (payloadJson === undefined) throw new TypeError('an outbox payload must be JSON-serialisable')
    const seq = this.state.nextSeq
    const line = encodeAppend(seq, key, now, payloadJson)
    this.state.accept(seq, key, now, payloadJson, line.length)
    const durable = this.submit(line, seq)
    this.wakeWorkers()
    await durable
    return { seq, duplicate: false }
  }

  /**
   * Resolves once the append of `seq` is on disk (at once if it already is); rejects if its write failed.
   * An entry is visible (head, pending) from the moment it is appended, before its sync.
   */
  async durable (seq: number): Promise<void> {
    await this.inflight.get(seq)
  }

  /** Oldest pending entry. */
  head (): OutboxEntry<T> | undefined {
    return this.state.head()
  }

  /** Pending entries in seq order. */
  pending (limit?: number): Array<OutboxEntry<T>> {
    return this.state.pending(limit)
  }

  /** Durable. Rejects with OutboxSeqError unless `seq` is pending. */
  async markDelivered (seq: number): Promise<void> {
    this.assertUsable()
    const slot = this.state.pendingSlot(seq)
    if (slot === undefined) throw new OutboxSeqError(seq, this.state.status(seq), 'pending')
    const at = this.cfg.now()
    const line = encodeRecord({ t: 'd', s: seq, at })
    this.state.deliver(slot, at)
    this.deliveredSinceOpen++
    await this.submit(line)
  }

  /** Durable; leaves the queue, joins dead letters. Rejects with OutboxSeqError unless `seq` is pending. */
  async markDead (seq: number, reason: string): Promise<void> {
    this.assertUsable()
    const slot = this.state.pendingSlot(seq)
    if (slot === undefined) throw new OutboxSeqError(seq, this.state.status(seq), 'pending')
    const at = this.cfg.now()
    const line = encodeRecord({ t: 'x', s: seq, at, r: String(reason) })
    this.state.kill(slot, at, String(reason))
    await this.submit(line)
  }

  deadLetters (): Array<DeadLetter<T>> {
    return this.state.deadLetters()
  }

  /** Back into the queue at its seq position; false if there is no such dead letter. */
  async retryDead (seq: number): Promise<boolean> {
    this.assertUsable()
    const slot = this.state.deadSlot(seq)
    if (slot === undefined) return false
    const line = encodeRecord({ t: 'r', s: seq, at: this.cfg.now() })
    this.state.revive(slot)
    this.wakeWorkers()
    await this.submit(line)
    return true
  }

  async retryAllDead (): Promise<number> {
    this.assertUsable()
    const seqs = this.state.deadSeqList()
    if (seqs.length === 0) return 0
    const at = this.cfg.now()
    let durable: Promise<void> = Promise.resolve()
    for (const seq of seqs) {
      const line = encodeRecord({ t: 'r', s: seq, at })
      this.state.revive(this.state.deadSlot(seq) as Slot<T>)
      durable = this.submit(line)
    }
    this.wakeWorkers()
    await durable
    return seqs.length
  }

  /** Gone for good (its key is still remembered for keyRetentionMs); false if there is no such dead letter. */
  async dropDead (seq: number): Promise<boolean> {
    this.assertUsable()
    const slot = this.state.deadSlot(seq)
    if (slot === undefined) return false
    const at = this.cfg.now()
    const line = encodeRecord({ t: 'z', s: seq, at })
    this.state.drop(slot, at)
    await this.submit(line)
    return true
  }

  stats (): OutboxStats {
    this.state.forgetKeysBefore(this.cfg.now() - this.cfg.keyRetentionMs)
    return {
      pending: this.state.pendingCount,
      oldestPendingAt: this.state.head()?.acceptedAt,
      dead: this.state.deadCount,
      deliveredSinceOpen: this.deliveredSinceOpen,
      segments: this.log.count,
      bytes: this.log.bytes + this.snapshotBytes,
      remembered: this.state.rememberedCount,
      fsyncs: this.log.fsyncs,
      compactions: this.compactions,
    }
  }

  /** Why the outbox stopped, while it is stopped after a failed write (see `reopen()`). */
  get failure (): OutboxBrokenError | undefined {
    return this.broken
  }

  /** `close()` was called. */
  get isClosed (): boolean {
    return this.closed
  }

  /**
   * Entries below this seq were read from disk when the outbox was opened (or reopened): an earlier run
   * may have tried to deliver them, and the delivery may have landed without being marked.
   */
  get fromDiskBelow (): number {
    return this.replayedBelow
  }

  /** Resolves when there is at least one pending entry (immediately if there is one now) or the outbox closes or breaks. */
  waitForWork (signal?: AbortSignal): Promise<void> {
    if (this.state.pendingCount > 0 || this.closed || this.broken !== undefined) return Promise.resolve()
    if (signal?.aborted === true) return Promise.reject(signal.reason)
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        this.workWaiters.delete(wake)
        reject((signal as AbortSignal).reason)
      }
      const wake = (): void => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      }
      this.workWaiters.add(wake)
      signal?.addEventListener('abort', onAbort, { once: true })
    })
  }

  /**
   * Writes a snapshot of the state now (after what is already queued) and removes the segments and older
   * snapshot it replaces. Compaction also runs on its own when a full segment is closed and the live state
   * is small next to the files; this is for tests and maintenance.
   */
  async compact (): Promise<void> {
    this.assertUsable()
    const waiter = deferred()
    this.compactWaiters.push(waiter)
    this.kick()
    await waiter.promise
  }

  /**
   * After a failed write (a full disk): once a small test write succeeds, replaces the state in memory with
   * what is really on disk, exactly as a restart would, and takes work again; true then (and when nothing
   * is broken). Changes whose write failed are not on disk, and their callers were told so. False while
   * the disk still refuses writes: `failure` then names the newest error. Concurrent calls share one try.
   */
  reopen (): Promise<boolean> {
    if (this.broken === undefined) return Promise.resolve(true)
    this.reopening ??= this.tryReopen().finally(() => { this.reopening = undefined })
    return this.reopening
  }

  private async tryReopen (): Promise<boolean> {
    // Nothing may still be writing into the directory that replay reads.
    while (this.draining !== undefined || this.compaction !== undefined) await Promise.all([this.draining, this.compaction])
    if (this.closed) return false
    const { dir, durable } = this.cfg
    let replayed: Replayed<T>
    try {
      await checkWritable(dir, durable)
      await this.log.close().catch(() => {})
      replayed = await replay<T>(dir, durable, this.cfg.warn)
    } catch (err) {
      this.broken = new OutboxBrokenError(err)
      return false
    }
    if (this.closed) return false
    replayed.state.forgetKeysBefore(this.cfg.now() - this.cfg.keyRetentionMs)
    this.state = replayed.state
    this.log = new SegmentLog(dir, durable, replayed.segments, replayed.nextSegmentId)
    this.snapshotBytes = replayed.snapshotBytes
    this.replayedBelow = replayed.state.nextSeq
    this.inflight.clear()
    this.compactWanted = false
    this.broken = undefined
    this.wakeWorkers()
    return true
  }

  /** Finishes in-flight commits and compaction; later calls reject with OutboxClosedError. */
  close (): Promise<void> {
    this.closing ??= this.shutdown()
    return this.closing
  }

  private async shutdown (): Promise<void> {
    this.closed = true
    this.wakeWorkers()
    for (const w of this.compactWaiters.splice(0)) w.reject(new OutboxClosedError())
    await this.reopening
    while (this.draining !== undefined || this.compaction !== undefined) await Promise.all([this.draining, this.compaction])
    await this.log.close()
  }

  private assertUsable (): void {
    if (this.broken !== undefined) throw this.broken
    if (this.closed) throw new OutboxClosedError()
  }

  private wakeWorkers (): void {
    for (const wake of this.workWaiters) wake()
    this.workWaiters.clear()
  }

  private submit (line: Buffer, appendedSeq?: number): Promise<void> {
    let batch = this.batch
    if (batch === undefined) {
      batch = { ...deferred(), lines: [], bytes: 0, seqs: [] }
      this.batch = batch
    }
    batch.lines.push(line)
    batch.bytes += line.length
    if (appendedSeq !== undefined) {
      batch.seqs.push(appendedSeq)
      this.inflight.set(appendedSeq, batch.promise)
    }
    this.kick()
    return batch.promise
  }

  private kick (): void {
    if (this.draining !== undefined || this.broken !== undefined) return
    // Start on the next microtask, so that calls made in the same tick share the first write.
    this.draining = Promise.resolve().then(async () => { await this.drain() }).then(() => {
      this.draining = undefined
      // Work may have arrived in the microtasks between drain() returning and this line.
      if (this.batch !== undefined || this.compactionRequested()) this.kick()
    })
  }

  private compactionRequested (): boolean {
    return this.compaction === undefined && (this.compactWaiters.length > 0 || (this.compactWanted && !this.closed))
  }

  private async drain (): Promise<void> {
    while (this.broken === undefined) {
      const batch = this.batch
      const compactRequested = this.compactionRequested()
      if (batch === undefined && !compactRequested) return
      this.batch = undefined
      // No await since `batch` was taken: the state now is exactly the state after this batch, which is
      // what a snapshot replacing the batch's segment (and all before it) must hold.
      const covers = batch === undefined ? this.log.lastId : this.log.targetId
      const rolling = batch !== undefined && this.log.targetBytes + batch.bytes >= this.cfg.segmentBytes
      let job: CompactionJob<T> | undefined
      try {
        const pays = rolling && !this.closed && this.compactionPays(covers, batch?.bytes ?? 0)
        if (pays && this.compaction !== undefined) this.compactWanted = true
        if (compactRequested || (pays && this.compaction === undefined)) {
          this.compactWanted = false
          this.state.forgetKeysBefore(this.cfg.now() - this.cfg.keyRetentionMs)
          job = { capture: this.state.capture(), covers, waiters: this.compactWaiters.splice(0) }
        }
        if (batch !== undefined) await this.log.write(batch.lines, id => this.headerLine(id))
        if (rolling || job !== undefined) await this.log.roll()
      } catch (err) {
        this.fail(err, batch, job)
        return
      }
      if (batch !== undefined) {
        for (const seq of batch.seqs) this.inflight.delete(seq)
        batch.resolve()
      }
      if (job !== undefined) this.startCompaction(job)
    }
  }

  private headerLine (id: number): Buffer {
    return encodeRecord({ t: 'h', v: 1, seg: id, next: this.state.nextSeq })
  }

  /** Worth it once the files a snapshot would replace are at least twice the snapshot's estimated size. */
  private compactionPays (covers: number, batchBytes: number): boolean {
    return this.log.bytesUpTo(covers) + batchBytes + this.snapshotBytes >= 2 * this.state.liveBytes
  }

  private startCompaction (job: CompactionJob<T>): void {
    this.compaction = this.runCompaction(job).finally(() => {
      this.compaction = undefined
      if (this.compactionRequested()) this.kick()
    })
  }

  private async runCompaction (job: CompactionJob<T>): Promise<void> {
    const { dir, durable } = this.cfg
    try {
      this.snapshotBytes = await writeSnapshot(dir, job.capture, job.covers, durable)
      this.compactions++
    } catch (err) {
      this.cfg.warn({ code: 'COMPACTION_FAILED', message: `could not write a journal snapshot: ${(err as Error).message}; the segments are kept`, cause: err })
      await unlinkIfPresent(join(dir, SNAPSHOT_TEMP)).catch(() => {})
      for (const w of job.waiters) w.reject(err)
      return
    }
    try {
      await this.log.removeUpTo(job.covers)
      await removeOlderSnapshots(dir, job.covers)
      if (durable) await syncDir(dir)
    } catch (err) {
      // The new snapshot is in place and replay ignores what it replaces, so leftovers only cost space.
      this.cfg.warn({ code: 'CLEANUP_FAILED', message: `could not remove replaced journal files: ${(err as Error).message}`, cause: err })
    }
    for (const w of job.waiters) w.resolve()
  }

  private fail (err: unknown, batch: Batch | undefined, job: CompactionJob<T> | undefined): void {
    const failure = new OutboxBrokenError(err)
    this.broken = failure
    batch?.reject(failure)
    this.batch?.reject(failure)
    this.batch = undefined
    for (const w of [...(job?.waiters ?? []), ...this.compactWaiters.splice(0)]) w.reject(failure)
    this.wakeWorkers()
  }
}

function deferred (): Deferred {
  let resolve!: () => void
  let reject!: (err: unknown) => void
  const promise = new Promise<void>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

function positiveInteger (name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`outbox option ${name} must be a positive integer, got ${value}`)
  return value
}

function nonNegative (name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`outbox option ${name} must be a non-negative number, got ${value}`)
  return value
}
