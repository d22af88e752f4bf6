import type { JournalRecord } from './records.js'
import { RememberedKeys } from './remembered-keys.js'
import type { RememberedKey } from './remembered-keys.js'
import { SeqQueue } from './seq-queue.js'
import type { DeadLetter, OutboxEntry } from './types.js'

export interface DeadInfo {
  readonly deadAt: number
  readonly reason: string
}

/**
 * A pending or dead entry. The payload stays as its JSON text and the entry object callers see is made
 * on first request: replay then costs one small object per entry instead of a parsed payload (most of
 * replay's time and garbage), a snapshot copies the text as is, and the payload reads the same before
 * and after a restart. `bytes` is the size of its journal line, used to judge when to compact.
 */
export class Slot<T> {
  dead: DeadInfo | undefined = undefined
  private entryCache: OutboxEntry<T> | undefined = undefined

  constructor (
    readonly seq: number,
    readonly key: string,
    readonly acceptedAt: number,
    readonly payloadJson: string,
    readonly bytes: number,
  ) {}

  get entry (): OutboxEntry<T> {
    this.entryCache ??= Object.freeze({ seq: this.seq, key: this.key, acceptedAt: this.acceptedAt, payload: JSON.parse(this.payloadJson) as T })
    return this.entryCache
  }
}

/** The state at one instant, detached from later changes, for a snapshot. */
export interface Capture<T> {
  next: number
  /** Pending and dead entries in seq order (their fields other than `dead` never change). */
  slots: Array<Slot<T>>
  /** `dead` of each of `slots` at that instant. */
  deads: Array<DeadInfo | undefined>
  /** In the order they were finished, oldest first. */
  remembered: RememberedKey[]
}

export type SeqStatus = 'pending' | 'dead' | 'finished or unknown' | 'never assigned'

// Rough sizes of a snapshot line beyond its variable parts; they only steer when compaction pays off.
const REMEMBERED_LINE_BYTES = 60
const DEAD_LINE_BYTES = 60

/** The outbox's in-memory state. No I/O: the same code applies live changes and replayed records. */
export class OutboxState<T> {
  nextSeq = 1
  /** Estimated size of a snapshot of this state. */
  liveBytes = 0
  readonly queue = new SeqQueue()
  private readonly slots = new Map<number, Slot<T>>()
  private readonly byKey = new Map<string, number>()
  private readonly remembered = new RememberedKeys()
  private readonly deadSeqs = new Set<number>()

  get pendingCount (): number {
    return this.queue.size
  }

  get deadCount (): number {
    return this.deadSeqs.size
  }

  get rememberedCount (): number {
    return this.remembered.size
  }

  /** The seq already holding `key`, if the key is pending, dead, or remembered since after `cutoff`. */
  findKey (key: string, cutoff: number): number | undefined {
    const live = this.byKey.get(key)
    if (live !== undefined) return live
    const r = this.remembered.get(key)
    if (r === undefined || r.at > cutoff) return r?.seq
    this.remembered.delete(key)
    this.liveBytes -= rememberedBytes(key)
    return undefined
  }

  /** Forgets keys finished at or before `cutoff`. */
  forgetKeysBefore (cutoff: number): void {
    this.remembered.forgetBefore(cutoff, key => { this.liveBytes -= rememberedBytes(key) })
  }

  pendingSlot (seq: number): Slot<T> | undefined {
    const slot = this.slots.get(seq)
    return slot !== undefined && slot.dead === undefined ? slot : undefined
  }

  deadSlot (seq: number): Slot<T> | undefined {
    const slot = this.slots.get(seq)
    return slot?.dead === undefined ? undefined : slot
  }

  status (seq: number): SeqStatus {
    const slot = this.slots.get(seq)
    if (slot !== undefined) return slot.dead === undefined ? 'pending' : 'dead'
    return Number.isSafeInteger(seq) && seq > 0 && seq < this.nextSeq ? 'finished or unknown' : 'never assigned'
  }

  head (): OutboxEntry<T> | undefined {
    const seq = this.queue.first()
    return seq === undefined ? undefined : this.slots.get(seq)?.entry
  }

  pending (limit?: number): Array<OutboxEntry<T>> {
    return this.queue.values(limit).map(seq => (this.slots.get(seq) as Slot<T>).entry)
  }

  deadLetters (): Array<DeadLetter<T>> {
    return [...this.deadSeqs].sort((a, b) => a - b).map(seq => {
      const slot = this.slots.get(seq) as Slot<T>
      const dead = slot.dead as DeadInfo
      return { ...slot.entry, deadAt: dead.deadAt, reason: dead.reason }
    })
  }

  deadSeqList (): number[] {
    return [...this.deadSeqs].sort((a, b) => a - b)
  }

  accept (seq: number, key: string, acceptedAt: number, payloadJson: string, bytes: number): void {
    this.slots.set(seq, new Slot<T>(seq, key, acceptedAt, payloadJson, bytes))
    this.byKey.set(key, seq)
    if (this.remembered.delete(key)) this.liveBytes -= rememberedBytes(key)
    this.queue.add(seq)
    if (seq >= this.nextSeq) this.nextSeq = seq + 1
    this.liveBytes += bytes
  }

  deliver (slot: Slot<T>, at: number): void {
    this.queue.delete(slot.seq)
    this.finish(slot, at)
  }

  kill (slot: Slot<T>, at: number, reason: string): void {
    this.queue.delete(slot.seq)
    slot.dead = { deadAt: at, reason }
    this.deadSeqs.add(slot.seq)
    this.liveBytes += deadBytes(reason)
  }

  revive (slot: Slot<T>): void {
    this.liveBytes -= deadBytes((slot.dead as DeadInfo).reason)
    slot.dead = undefined
    this.deadSeqs.delete(slot.seq)
    this.queue.add(slot.seq)
  }

  drop (slot: Slot<T>, at: number): void {
    this.liveBytes -= deadBytes((slot.dead as DeadInfo).reason)
    this.deadSeqs.delete(slot.seq)
    this.finish(slot, at)
  }

  remember (key: string, seq: number, at: number): void {
    if (!this.remembered.set(key, seq, at)) this.liveBytes += rememberedBytes(key)
  }

  /**
   * Applies one replayed record. Marks for seqs that are not in the matching state are expected (their
   * entries were compacted away while finished) and ignored; returns a message only for a contradiction.
   */
  apply (record: JournalRecord, bytes: number): string | undefined {
    switch (record.t) {
      case 'a': {
        if (this.slots.has(record.s)) return `seq ${record.s} is appended twice; the first one is kept`
        this.accept(record.s, record.k, record.at, record.pj, bytes)
        return undefined
      }
      case 'd': {
        const slot = this.pendingSlot(record.s)
        if (slot !== undefined) this.deliver(slot, record.at)
        return undefined
      }
      case 'x': {
        const slot = this.pendingSlot(record.s)
        if (slot !== undefined) this.kill(slot, record.at, record.r)
        return undefined
      }
      case 'r': {
        const slot = this.deadSlot(record.s)
        if (slot !== undefined) this.revive(slot)
        return undefined
      }
      case 'z': {
        const slot = this.deadSlot(record.s)
        if (slot !== undefined) this.drop(slot, record.at)
        return undefined
      }
      case 'k':
        if (!this.byKey.has(record.k)) this.remember(record.k, record.s, record.at)
        if (record.s >= this.nextSeq) this.nextSeq = record.s + 1
        return undefined
      case 'h':
      case 'S':
        if (record.next > this.nextSeq) this.nextSeq = record.next
        return undefined
      case 'E':
        return undefined
    }
  }

  capture (): Capture<T> {
    const slots = [...this.slots.values()].sort((a, b) => a.seq - b.seq)
    return {
      next: this.nextSeq,
      slots,
      deads: slots.map(slot => slot.dead),
      remembered: this.remembered.values(),
    }
  }

  private finish (slot: Slot<T>, at: number): void {
    this.slots.delete(slot.seq)
    if (this.byKey.get(slot.key) === slot.seq) this.byKey.delete(slot.key)
    this.liveBytes -= slot.bytes
    this.remember(slot.key, slot.seq, at)
  }
}

function rememberedBytes (key: string): number {
  return key.length + REMEMBERED_LINE_BYTES
}

function deadBytes (reason: string): number {
  return reason.length + DEAD_LINE_BYTES
}
