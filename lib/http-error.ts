import { AppError, type ErrorCode } from './errors.js'
import { OutboxBrokenError, OutboxClosedError } from './outbox/errors.js'

/**
 * The one place where anything thrown while serving a request becomes an HTTP answer:
 * `{ "error": { "code", "message", "hint"? , ... } }`. Framework errors (schema validation, bad JSON,
 * body too large, auth) get codes of ours so that clients see one vocabulary.
 */
export interface ErrorAnswer {
  status: number
  body: { error: { code: string, message: string, hint?: string, [key: string]: unknown } }
  /** 5xx that is not a known upstream condition: log it as a bug. */
  unexpected: boolean
}

interface FrameworkError {
  code?: string
  statusCode?: number
  message?: string
  validation?: Array<{ keyword?: string, instancePath?: string, params?: Record<string, unknown>, message?: string }>
  validationContext?: string
}

const FRAMEWORK_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_FAILED',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'VALIDATION_FAILED',
  FST_ERR_CTP_INVALID_JSON_BODY: 'VALIDATION_FAILED',
  FST_BASIC_AUTH_MISSING_OR_BAD_AUTHORIZATION_HEADER: 'UNAUTHORIZED',
}

export function toErrorAnswer (err: unknown): ErrorAnswer {
  if (err instanceof AppError) {
    const body: ErrorAnswer['body'] = { error: { code: err.code, message: err.message } }
    if (err.hint !== undefined) body.error.hint = err.hint
    if (err.details !== undefined) {
      for (const [k, v] of Object.entries(err.details)) if (!(k in body.error)) body.error[k] = v
    }
    return { status: err.status, body, unexpected: err.code === 'INTERNAL_ERROR' }
  }
  // The admin journal routes reach the outbox directly; ReportCall turns these into AppErrors itself.
  if (err instanceof OutboxBrokenError) {
    return answer('JOURNAL_UNAVAILABLE', 'The call journal cannot write to disk now; it reopens by itself once writes succeed again (see /ready).')
  }
  if (err instanceof OutboxClosedError) return answer('JOURNAL_UNAVAILABLE', 'The call journal is closed: the proxy is shutting down.')
  const e = (err ?? {}) as FrameworkError
  if (Array.isArray(e.validation)) {
    const first = e.validation[0]
    const field = fieldOf(first)
    const where = e.validationContext ?? 'request'
    const problem = problemOf(first)
    const message = field === undefined
      ? `Invalid ${where}: ${problem ?? 'does not match the schema'}.`
      : `Invalid ${where}: "${field}" ${problem ?? 'is invalid'}.`
    return answer('VALIDATION_FAILED', message, field === undefined ? undefined : { field })
  }
  const mapped = e.code === undefined ? undefined : FRAMEWORK_CODES[e.code]
  if (mapped !== undefined) {
    const message = mapped === 'UNAUTHORIZED'
      ? 'Authentication required.'
      : e.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
        ? 'The body is not valid JSON.'
        : (e.message ?? mapped)
    return answer(mapped, message)
  }
  if (e.statusCode === 401) return answer('UNAUTHORIZED', 'Authentication required.')
  if (e.statusCode === 404) return answer('NOT_FOUND', e.message ?? 'Not found.')
  if (e.statusCode !== undefined && e.statusCode >= 400 && e.statusCode < 500) {
    return { status: e.statusCode, body: { error: { code: 'BAD_REQUEST', message: e.message ?? 'Bad request.' } }, unexpected: false }
  }
  return { status: 500, body: { error: { code: 'INTERNAL_ERROR', message: 'Internal error; the details are in the proxy log.' } }, unexpected: true }
}

function answer (code: ErrorCode, message: string, extra?: Record<string, unknown>): ErrorAnswer {
  const error = new AppError(code, message)
  return { status: error.status, body: { error: { code, message, ...extra } }, unexpected: false }
}

/** Ajv's message, with what an administrator needs to correct it: the values allowed, the name not known. */
function problemOf (v: { keyword?: string, message?: string, params?: Record<string, unknown> } | undefined): string | undefined {
  const allowed = v?.params?.allowedValues
  if (v?.keyword === 'enum' && Array.isArray(allowed)) return `must be one of: ${allowed.map(String).join(', ')}`
  if (v?.keyword === 'additionalProperties') return 'is not a known field'
  return v?.message
}

function fieldOf (v: { instancePath?: string, params?: Record<string, unknown> } | undefined): string | undefined {
  if (v === undefined) return undefined
  const missing = v.params?.missingProperty
  const path = (v.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.')
  if (typeof missing === 'string') return path === '' ? missing : `${path}.${missing}`
  const extra = v.params?.additionalProperty
  if (typeof extra === 'string') return path === '' ? extra : `${path}.${extra}`
  return path === '' ? undefined : path
}
