/**
 * Every error the proxy reports has a stable machine code. The HTTP status belongs to the code and is
 * decided here, once, so that routes and services never pick statuses themselves.
 */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  INVALID_PHONE_NUMBER: 400,
  INVALID_EMAIL: 400,
  UNAUTHORIZED: 401,
  CONTACT_CREATION_DISABLED: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  CONFIG_INVALID: 500,
  // Start-up only: another proxy holds DATA_DIR (lib/data-dir-lock.ts).
  DATA_DIR_IN_USE: 500,
  INTERNAL_ERROR: 500,
  // 1C answered, but not with what we asked for: the fault is upstream, so 502.
  ONEC_AUTH_FAILED: 502,
  ONEC_ACCESS_DENIED: 502,
  ONEC_NOT_ODATA: 502,
  ONEC_SET_NOT_PUBLISHED: 502,
  ONEC_BAD_REQUEST: 502,
  ONEC_NOT_FOUND: 502,
  ONEC_DUPLICATE_KEY: 502,
  ONEC_INTERNAL_ERROR: 502,
  ONEC_UNEXPECTED_RESPONSE: 502,
  // 1C could not be asked at all, or not in time.
  ONEC_UNREACHABLE: 503,
  // The web server in front of 1C answered for itself: 408, 429, 502-504 without an OData fault.
  ONEC_UNAVAILABLE: 503,
  ONEC_SESSION_POOL_EXHAUSTED: 503,
  ONEC_SESSION_EXPIRED: 503,
  ONEC_TIMEOUT: 504,
  JOURNAL_UNAVAILABLE: 503,
  SERVICE_UNAVAILABLE: 503,
} as const

export type ErrorCode = keyof typeof ERROR_STATUS

export interface AppErrorOptions {
  /** What an administrator should do about it, in plain words. */
  hint?: string
  cause?: unknown
  /** Machine-readable extras that are safe to show to the caller (never secrets). */
  details?: Record<string, unknown>
}

export class AppError extends Error {
  readonly code: ErrorCode
  readonly status: number
  readonly hint: string | undefined
  readonly details: Record<string, unknown> | undefined

  constructor (code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'AppError'
    this.code = code
    this.status = ERROR_STATUS[code]
    this.hint = options.hint
    this.details = options.details
  }
}

export function isAppError (value: unknown): value is AppError {
  return value instanceof AppError
}
