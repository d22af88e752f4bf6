import type { SeqStatus } from './state.js'

/** `append()` past `maxPending`: the report is not accepted, and the caller should answer "try later". */
export class OutboxFullError extends Error {
  readonly limit: number

  constructor (limit: number) {
    super(`the call journal queue is full (${limit} reports waiting for delivery)`)
    this.name = 'OutboxFullError'
    this.limit = limit
  }
}

/** Any call after `close()`. */
export class OutboxClosedError extends Error {
  constructor (message = 'the call journal is closed', options?: ErrorOptions) {
    super(message, options)
    this.name = 'OutboxClosedError'
  }
}

/**
 * A write or sync of the journal failed. What reached the disk is no longer certain, so the outbox stops
 * accepting anything (reopening it replays what is really on disk). A subclass of OutboxClosedError so
 * that one check covers both.
 */
export class OutboxBrokenError extends OutboxClosedError {
  constructor (cause: unknown) {
    super(`the call journal stopped after a disk write failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause })
    this.name = 'OutboxBrokenError'
  }
}

/** A mark for a seq that is not in the state the mark needs (pending for delivered/dead). */
export class OutboxSeqError extends Error {
  readonly seq: number
  readonly status: SeqStatus

  constructor (seq: number, status: SeqStatus, wanted: string) {
    super(`journal entry ${seq} is not ${wanted}: it is ${status}`)
    this.name = 'OutboxSeqError'
    this.seq = seq
    this.status = status
  }
}
