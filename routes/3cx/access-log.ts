import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { maskPhone } from '../../lib/phone.js'

/** What a 3CX route tells the access line about the request it served. */
export interface TcxRequestInfo {
  scenario: string
  outcome?: string
  cache?: string
  /** The number or e-mail 3CX asked about, as sent (masked on the way to the log). */
  subject?: string
  /** For ambiguous answers: which owners competed. */
  candidates?: unknown
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
  app.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
    const info = request.tcx
    const full = app.config.log.phoneNumbers === 'full'
    const subject = info?.subject === undefined ? undefined : full || info.subject.includes('@') ? info.subject : maskPhone(info.subject)
    request.log.info({
      scenario: info?.scenario ?? request.routeOptions.url,
      outcome: info?.outcome ?? (reply.statusCode < 400 ? 'ok' : 'error'),
      cache: info?.cache,
      subject,
      candidates: info?.candidates,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
    }, '3CX request')
  })
}
