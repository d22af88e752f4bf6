import fp from 'fastify-plugin'
import { Pool, type Dispatcher } from 'undici'
import { OneCClient, type OneCRequestEvent } from '../lib/onec/client.js'
import type { AppError } from '../lib/errors.js'

declare module 'fastify' {
  interface FastifyInstance {
    onec: OneCClient
  }
}

export interface OneCPluginOptions {
  /** Replaces the connection pool (tests: an undici MockAgent). */
  dispatcher?: Dispatcher
  /** How often the link to 1C is checked when no other request proved it alive. */
  probeIntervalMs?: number
}

/** A 1C answer older than this no longer proves the link is up. */
const FRESH_MS = 60_000

/** Failures that mean the proxy cannot work with 1C at all (as opposed to a bad query or a missing object). */
const LINK_FAILURES = new Set(['ONEC_UNREACHABLE', 'ONEC_UNAVAILABLE', 'ONEC_TIMEOUT', 'ONEC_AUTH_FAILED', 'ONEC_NOT_ODATA', 'ONEC_SESSION_POOL_EXHAUSTED', 'ONEC_INTERNAL_ERROR', 'ONEC_UNEXPECTED_RESPONSE'])

/**
 * The one connection pool to the 1C publication and the client on top of it. Every 1C request is
 * counted (metrics), logged (one line, tied to the 3CX request by its id) and feeds `/ready`.
 */
export default fp<OneCPluginOptions>(async (app, opts) => {
  const { onec } = app.config
  const origin = new URL(onec.url).origin
  const ownsDispatcher = opts.dispatcher === undefined
  const dispatcher = opts.dispatcher ?? new Pool(origin, {
    connections: onec.maxConnections,
    pipelining: 1,
    keepAliveTimeout: 4_000,
    keepAliveMaxTimeout: 60_000,
    // Coarse backstops only: every request carries its own precise AbortSignal deadline.
    headersTimeout: onec.timeoutMs + 1_000,
    bodyTimeout: onec.timeoutMs + 1_000,
    connect: { timeout: Math.min(onec.timeoutMs, 10_000), rejectUnauthorized: onec.tlsRejectUnauthorized },
  })

  let lastOkAt: number | undefined
  let lastError: AppError | undefined
  const log = app.log.child({ component: 'onec' })

  const observe = (event: OneCRequestEvent): void => {
    const set = event.set ?? '(service)'
    app.metrics.onecRequests.inc({ set, method: event.method, status: String(event.status ?? 0) })
    app.metrics.onecDuration.observe({ set, method: event.method }, event.durationMs / 1000)
    if (event.sessionStarted) app.metrics.onecSessionsStarted.inc()
    if (event.errorCode === 'ONEC_SESSION_POOL_EXHAUSTED') app.metrics.onecSessionErrors.inc({ kind: 'pool_exhausted' })
    if (event.errorCode === 'ONEC_SESSION_EXPIRED') app.metrics.onecSessionErrors.inc({ kind: 'session_expired' })
    if (event.errorCode === 'ONEC_AUTH_FAILED') app.metrics.onecSessionErrors.inc({ kind: 'auth_failed' })
    if (event.error === undefined || !LINK_FAILURES.has(event.error.code)) {
      // Any answer that is not a failure of the link itself (a 404 for a missing object is an answer) proves 1C is up.
      lastOkAt = Date.now()
      lastError = undefined
    } else {
      lastError = event.error
      lastOkAt = undefined
    }
    const line = {
      reqId: event.requestId,
      onec: { method: event.method, set, status: event.status, ms: Math.round(event.durationMs * 10) / 10, error: event.errorCode },
    }
    // The technical log: one line per 1C request, tied to the 3CX request by reqId (numbers never appear:
    // the line names the set, not the query).
    if (event.ok) log.info(line, '1C request')
    else log.warn(line, '1C request failed')
  }

  const client = new OneCClient({
    baseUrl: onec.url,
    user: onec.user,
    password: onec.password,
    dispatcher,
    timeoutMs: onec.timeoutMs,
    sessionMode: onec.sessionMode,
    sessionMaxAgeMs: onec.sessionMaxAgeMs,
    observer: observe,
  })
  app.decorate('onec', client)

  app.readiness.set('onec', () => {
    if (lastOkAt !== undefined && Date.now() - lastOkAt < FRESH_MS) {
      return { ok: true, details: { lastAnswerAt: new Date(lastOkAt).toISOString() } }
    }
    const reason = lastError === undefined
      ? (lastOkAt === undefined ? '1C has not answered yet' : `1C has not answered for ${Math.round((Date.now() - lastOkAt) / 1000)} s`)
      : `${lastError.message}${lastError.hint === undefined ? '' : ` ${lastError.hint}`}`
    return { ok: false, reason, details: { code: lastError?.code } }
  })

  // A cheap request (the service document) whenever no other request proved 1C alive lately.
  const probe = async (): Promise<void> => {
    if (lastOkAt !== undefined && Date.now() - lastOkAt < FRESH_MS / 3) return
    // The observer records the outcome; a failure here needs no other handling.
    await client.entitySets({ timeoutMs: Math.min(onec.timeoutMs, 5_000) }).catch(() => {})
  }

  const interval = opts.probeIntervalMs ?? 15_000
  let timer: NodeJS.Timeout | undefined
  let probing: Promise<void> | undefined
  let closed = false
  const runProbe = (): void => {
    probing = probe().finally(() => {
      if (closed) return
      timer = setTimeout(runProbe, interval)
      timer.unref()
    })
  }
  app.addHook('onReady', async () => { runProbe() })
  app.addHook('onClose', async () => {
    closed = true
    if (timer !== undefined) clearTimeout(timer)
    await probing?.catch(() => {})
    await client.close()
    if (ownsDispatcher) await dispatcher.close()
  })
}, { name: 'onec', fastify: '5.x', dependencies: ['config', 'metrics', 'readiness'] })
