export { Outbox } from './outbox.js'
export { OutboxBrokenError, OutboxClosedError, OutboxFullError, OutboxSeqError } from './errors.js'
export type { SeqStatus } from './state.js'
export type { DeadLetter, OutboxEntry, OutboxOptions, OutboxStats, OutboxWarning, OutboxWarningCode } from './types.js'
