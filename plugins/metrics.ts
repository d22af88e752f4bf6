import fp from 'fastify-plugin'
import type { onSendHookHandler } from 'fastify'
import { memoize } from '../lib/memo.js'
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import { TalliedHistogram, talliedCounter } from '../lib/metrics/tallied.js'

/**
 * The proxy's Prometheus metrics, one registry per app (so tests can build several apps). Gauges whose
 * value lives in another component (the journal queue, the phone index) read it at scrape time through a
 * provider that component installs.
 */
export interface JournalGaugeSource { pending: number, oldestPendingAt: number | undefined, dead: number, paused: boolean }
export interface IndexGaugeSource { rows: number, numbers: number, syncedAt: number | undefined }

/** What a lookup-like route counts per request, bound to its scenario. */
export interface LookupMeter {
  /** `cache`: how the answer was found (hit, stale, miss, index), for the scenarios that use the cache. */
  count: (outcome: string, cache?: string) => void
  observe: (seconds: number) => void
}

export function createMetrics () {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'bridge_' })
  const providers: { journal?: () => JournalGaugeSource, index?: () => IndexGaugeSource } = {}
  const http = talliedCounter({ name: 'bridge_http_requests_total', help: 'HTTP requests served, by route and status', labelNames: ['route', 'method', 'status'] as const, registry })
  const lookups = talliedCounter({ name: 'bridge_lookups_total', help: 'Contact lookups by scenario and outcome (found, not_found, ambiguous, budget_exceeded, error)', labelNames: ['scenario', 'outcome'] as const, registry })
  const cache = talliedCounter({ name: 'bridge_cache_requests_total', help: 'Lookup cache results: hit, stale (served past TTL), miss', labelNames: ['result'] as const, registry })

  const metrics = {
    registry,
    httpRequests: http.counter,
    lookups: lookups.counter,
    lookupDuration: new TalliedHistogram({ name: 'bridge_lookup_duration_seconds', help: 'Time to answer a lookup, as 3CX sees it', labelNames: ['scenario'] as const, buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 2.5, 5], registry }),
    cache: cache.counter,
    onecRequests: new Counter({ name: 'bridge_onec_requests_total', help: 'Requests to 1C by entity set, method and status (0 = no answer)', labelNames: ['set', 'method', 'status'] as const, registers: [registry] }),
    onecDuration: new Histogram({ name: 'bridge_onec_request_duration_seconds', help: 'Latency of requests to 1C by entity set', labelNames: ['set', 'method'] as const, buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], registers: [registry] }),
    onecSessionErrors: new Counter({ name: 'bridge_onec_session_errors_total', help: '1C session problems: pool exhausted (406), session expired, authentication failed', labelNames: ['kind'] as const, registers: [registry] }),
    onecSessionsStarted: new Counter({ name: 'bridge_onec_sessions_started_total', help: 'Sessions the proxy asked 1C to start (manual session mode)', registers: [registry] }),
    journalAccepted: new Counter({ name: 'bridge_journal_accepted_total', help: 'Call reports accepted from 3CX (duplicate="true" for repeats of a known call)', labelNames: ['duplicate'] as const, registers: [registry] }),
    journalDelivered: new Counter({ name: 'bridge_journal_delivered_total', help: 'Call reports delivered to 1C (already_present = 1C had the call: code 15)', labelNames: ['result'] as const, registers: [registry] }),
    journalRetries: new Counter({ name: 'bridge_journal_retries_total', help: 'Delivery attempts that failed and will be retried', labelNames: ['reason'] as const, registers: [registry] }),
    journalDeadLettered: new Counter({ name: 'bridge_journal_dead_lettered_total', help: 'Call reports 1C rejected for good', registers: [registry] }),
    indexSyncs: new Counter({ name: 'bridge_index_syncs_total', help: 'Phone index syncs by result', labelNames: ['result'] as const, registers: [registry] }),
    indexSyncDuration: new Gauge({ name: 'bridge_index_last_sync_duration_seconds', help: 'Duration of the last successful phone index sync', registers: [registry] }),
    providers,
  }
  // Label values per request come from small fixed sets (outcomes, statuses): the bound stays far off.
  const cacheResult = memoize((result: string) => cache.tally(result), 1000)
  const fast = {
    /** Bound once per scenario (at route registration), called per request. */
    lookupMeter: (scenario: string): LookupMeter => {
      const outcome = memoize((value: string) => lookups.tally(scenario, value), 1000)
      const duration = metrics.lookupDuration.labels(scenario)
      return {
        count: (value, cacheState) => {
          outcome(value).count++
          if (cacheState !== undefined && cacheState !== 'none') cacheResult(cacheState).count++
        },
        observe: duration.observe,
      }
    },
    /** Bound once per route (at its registration), called per response. */
    httpMeter: (route: string): (method: string, status: number) => void => {
      const byMethod = memoize((method: string) => memoize((status: number) => http.tally(route, method, String(status)), 1000), 1000)
      return (method, status) => { byMethod(method)(status).count++ }
    },
  }

  new Gauge({
    name: 'bridge_journal_queue_depth',
    help: 'Call reports accepted but not yet delivered to 1C',
    registers: [registry],
    collect () { this.set(providers.journal?.().pending ?? 0) },
  })
  new Gauge({
    name: 'bridge_journal_oldest_age_seconds',
    help: 'Age of the oldest undelivered call report (0 when the queue is empty)',
    registers: [registry],
    collect () {
      const oldest = providers.journal?.().oldestPendingAt
      this.set(oldest === undefined ? 0 : Math.max(0, (Date.now() - oldest) / 1000))
    },
  })
  new Gauge({
    name: 'bridge_journal_dead_letters',
    help: 'Call reports in the dead-letter store',
    registers: [registry],
    collect () { this.set(providers.journal?.().dead ?? 0) },
  })
  new Gauge({
    name: 'bridge_journal_paused',
    help: '1 while delivery is paused because 1C rejects the credentials',
    registers: [registry],
    collect () { this.set(providers.journal?.().paused === true ? 1 : 0) },
  })
  new Gauge({
    name: 'bridge_index_rows',
    help: 'Phone rows in the in-memory index',
    registers: [registry],
    collect () { this.set(providers.index?.().rows ?? 0) },
  })
  new Gauge({
    name: 'bridge_index_age_seconds',
    help: 'Seconds since the phone index was last synced from 1C (-1 before the first sync)',
    registers: [registry],
    collect () {
      const at = providers.index?.().syncedAt
      this.set(at === undefined ? -1 : (Date.now() - at) / 1000)
    },
  })
  return { ...metrics, ...fast }
}

export type Metrics = ReturnType<typeof createMetrics>

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Metrics
  }
}

export default fp(async (app) => {
  const metrics = createMetrics()
  app.decorate('metrics', metrics)
  // Each route counts its own responses, its label bound here once (reading request.routeOptions builds
  // an object per request). Answers of no route are counted by the not-found handler (app.ts). Counted as
  // they are sent (onSend), not once written (onResponse): an onResponse hook makes Fastify hang listeners
  // on every response to time it.
  app.addHook('onRoute', (route) => {
    const count = metrics.httpMeter(route.url)
    const counting: onSendHookHandler = (request, reply, payload, done) => {
      count(request.method, reply.statusCode)
      done(null, payload)
    }
    const existing = route.onSend
    route.onSend = existing === undefined ? [counting] : [...(Array.isArray(existing) ? existing : [existing]), counting]
  })
}, { name: 'metrics', fastify: '5.x' })
