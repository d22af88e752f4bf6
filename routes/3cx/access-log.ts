import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { memoize } from '../../lib/memo.js'
import { unredactedSibling } from '../../lib/logger.js'
import { maskPhone } from '../../lib/phone.js'
import type { Logger } from 'pino'

/** What a 3CX route tells the access line about the request it served. */
export interface TcxRequestInfo {
  scenario: string
  outcome?: string
  cache?: string
  /** The number or e-mail 3CX asked about, as sent (a number is masked on the way to the log). */
  subject?: string
  /**
   * What the subject is, as the route knows it from its scenario: a caller number (the default, masked
   * unless LOG_PHONE_NUMBERS=full) or an e-mail address (logged as sent). Never guessed from the text: a
   * number sent as a SIP URI (`sip:+74951234567@pbx`) has an `@` too.
   */
  subjectKind?: 'number' | 'email'
  /** For ambiguous answers: which owners competed. */
  candidates?: unknown
  /** Why the request was not looked up (outcome invalid): a description, never the number itself. */
  reason?: string
}

declare module 'fastify' {
  interface FastifyRequest {
    tcx: TcxRequestInfo | undefined
  }
}

/**
 * The technical log of 3CX requests: one line per request, with the scenario, the outcome, the cache
 * result and the duration; tied by `reqId` to the lines of the 1C requests it caused.
 */
export function installAccessLog (app: FastifyInstance): void {
  app.decorateRequest('tcx', undefined)
  // The level is set at start and no 3CX route sets its own: below info no line is ever written, so
  // no hook runs (every hook costs each ring a turn through Fastify's hook runner).
  if (!isLevelEnabled(app.log, 'info')) return
  // Every field of the line is set here, none a secret: no redaction, and the request id is a field of the
  // line rather than the binding of a child logger made for it.
  const lines = unredactedSibling(app.log as Logger)
  const full = app.config.log.phoneNumbers === 'full'
  // The same callers ring again and again: their masked form is remembered rather than parsed per line.
  const mask = memoize(maskPhone, 20_000)
  app.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    done()
    const info = request.tcx
    const subject = info?.subject === undefined ? undefined : full || info.subjectKind === 'email' ? info.subject : mask(info.subject)
    lines.info({
      reqId: request.id,
      scenario: info?.scenario ?? request.routeOptions.url,
      outcome: info?.outcome ?? (reply.statusCode < 400 ? 'ok' : 'error'),
      cache: info?.cache,
      subject,
      candidates: info?.candidates,
      reason: info?.reason,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
    }, '3CX request')
  })
}

/** Fastify's logger when logging is off is not pino and has no isLevelEnabled: nothing is enabled then. */
function isLevelEnabled (log: unknown, level: string): boolean {
  return (log as { isLevelEnabled?: (level: string) => boolean }).isLevelEnabled?.(level) === true
}
