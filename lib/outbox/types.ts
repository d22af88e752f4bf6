export interface OutboxEntry<T> {
  seq: number
  key: string
  acceptedAt: number
  payload: T
}

export interface DeadLetter<T> extends OutboxEntry<T> {
  deadAt: number
  reason: string
}

export interface OutboxStats {
  pending: number
  /** `acceptedAt` of the oldest pending entry. */
  oldestPendingAt: number | undefined
  dead: number
  deliveredSinceOpen: number
  /** Segment files on disk, the one being written included. */
  segments: number
  /** Bytes of the segment files and the snapshot. */
  bytes: number
  /** Keys of delivered or dropped entries still remembered for de-duplication. */
  remembered: number
  /** Data syncs of segment files since open; with group commit far fewer than the records written. */
  fsyncs: number
  /** Snapshots written since open. */
  compactions: number
}

export type OutboxWarningCode =
  | 'TORN_TAIL' // a segment ends in a half-written line: the write it belonged to was never acknowledged
  | 'CORRUPT_RECORD' // a complete line fails its checksum or does not parse; the lines after it are kept
  | 'BAD_SNAPSHOT' // a snapshot is incomplete or damaged; an older one or the segments are used instead
  | 'INCONSISTENT_RECORD' // a well-formed record contradicts the state (a seq appended twice)
  | 'COMPACTION_FAILED' // a snapshot could not be written; the segments stay and nothing is lost
  | 'CLEANUP_FAILED' // a file that is no longer needed could not be removed

export interface OutboxWarning {
  code: OutboxWarningCode
  message: string
  file?: string
  offset?: number
  cause?: unknown
}

export interface OutboxOptions {
  /** Created if missing (DATA_DIR/journal). */
  dir: string
  /** Default true; false only for tests that do not need durability. */
  fsync?: boolean
  /** Roll to a new segment file past this size, default 16 MiB. */
  segmentBytes?: number
  /** How long keys of delivered/dropped entries are remembered for de-duplication, default 7 days. */
  keyRetentionMs?: number
  /**
   * `append()` rejects with OutboxFullError past this many pending entries, default 1 000 000. Pending
   * payloads (and dead letters) are held in memory, so this is also the memory bound: roughly
   * maxPending × (payload JSON size + ~200 bytes).
   */
  maxPending?: number
  /** Clock, for tests. */
  now?: () => number
  /** Damage found on replay and background problems; the outbox carries on after each of them. */
  onWarning?: (warning: OutboxWarning) => void
}
