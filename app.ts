import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify'
import type { Logger } from 'pino'
import type { Dispatcher } from 'undici'
import { lazyChild } from './lib/lazy-logger.js'
import type { Config } from './lib/config/types.js'
import { toErrorAnswer } from './lib/http-error.js'
import authPlugin from './plugins/auth.js'
import configPlugin from './plugins/config.js'
import dataDirPlugin from './plugins/data-dir.js'
import metricsPlugin from './plugins/metrics.js'
import onecPlugin from './plugins/onec.js'
import readinessPlugin from './plugins/readiness.js'
import directoryPlugin from './plugins/directory.js'
import journalPlugin from './plugins/journal.js'
import phoneIndexPlugin from './plugins/phone-index.js'
import adminRoutes from './routes/admin/index.js'
import healthRoutes from './routes/health.js'
import metricsRoutes from './routes/metrics.js'
import tcxRoutes from './routes/3cx/index.js'

export interface BuildOptions {
  /** The proxy's logger; default: no logging. */
  logger?: Logger
  /** Replaces the connection pool to 1C (tests: an undici MockAgent). */
  onecDispatcher?: Dispatcher
  /** How often the 1C link is probed for /ready. */
  onecProbeIntervalMs?: number
}

// The start time makes ids unique across restarts; the clock is not read per request.
const idPrefix = `r${Date.now().toString(36)}.`
let sequence = 0
/** Request ids: the caller's `x-request-id` when it is a sane token, otherwise a fresh one. */
function requestId (raw: string | string[] | undefined): string {
  if (typeof raw === 'string' && /^[\w.:-]{1,64}$/.test(raw)) return raw
  sequence = (sequence + 1) % 0x7fffffff
  return `${idPrefix}${sequence.toString(36)}`
}

/** The whole proxy as one Fastify instance, not listening; `server.ts` and tests start it. */
export async function buildApp (config: Config, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const logger = opts.logger
  // With no logger a request logs through Fastify's placeholder as it is, not a child of it per request.
  const childLoggerFactory: FastifyServerOptions['childLoggerFactory'] = logger === undefined
    ? (placeholder) => placeholder
    : (placeholder, bindings, childOpts) => lazyChild(logger, bindings, childOpts) as unknown as typeof placeholder
  const app = Fastify({
    // Fastify's own logger stays off: with it, Fastify times every response, hanging 'finish' and 'error'
    // listeners on it and reading the clock twice, about 7% of an index hit's time. The proxy's logger is
    // still every request's (a child carrying the request id, built on first use) and the app's.
    logger: false,
    genReqId: (req) => requestId(req.headers['x-request-id']),
    childLoggerFactory,
    // Our own access line (routes/3cx) carries scenario, outcome and cache result instead of Fastify's two lines.
    logController: new LogController({ requestIdLogLabel: 'reqId', disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
    // An administrator who types the proxy URL with a trailing slash makes 3CX call //3cx/lookup.
    routerOptions: { ignoreDuplicateSlashes: true, ignoreTrailingSlash: true },
    return503OnClosing: true,
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
  })

  // What Fastify itself logs outside a request (an onClose hook that failed) goes to the proxy's logger too.
  if (logger !== undefined) app.log = logger
  app.setErrorHandler((err, request, reply) => {
    const answer = toErrorAnswer(err)
    if (answer.unexpected) request.log.error({ err }, 'request failed')
    else if (answer.status >= 500) request.log.warn({ code: answer.body.error.code, reason: answer.body.error.message }, 'request failed')
    reply.code(answer.status).send(answer.body)
  })
  await app.register(configPlugin, { config })
  await app.register(readinessPlugin)
  await app.register(dataDirPlugin)
  await app.register(metricsPlugin)
  // No route, so no route's own counting (plugins/metrics.ts): counted here, as route "unmatched".
  const unmatched = app.metrics.httpMeter('unmatched')
  app.setNotFoundHandler((request, reply) => {
    unmatched(request.method, 404)
    reply.code(404).send({ error: { code: 'NOT_FOUND', message: `No route ${request.method} ${request.url.split('?')[0] ?? ''}.` } })
  })
  await app.register(authPlugin)
  await app.register(onecPlugin, {
    ...(opts.onecDispatcher === undefined ? {} : { dispatcher: opts.onecDispatcher }),
    ...(opts.onecProbeIntervalMs === undefined ? {} : { probeIntervalMs: opts.onecProbeIntervalMs }),
  })
  await app.register(directoryPlugin)
  await app.register(phoneIndexPlugin)
  await app.register(journalPlugin)
  await app.register(healthRoutes)
  await app.register(metricsRoutes)
  await app.register(tcxRoutes, { prefix: '/3cx' })
  await app.register(adminRoutes, { prefix: '/admin' })
  return app
}
