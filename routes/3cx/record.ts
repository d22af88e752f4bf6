import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { LookupAnswer } from '../../lib/directory/directory.js'

/** Counts a lookup-like answer in the metrics and tells the access line how it went. */
export function recordLookup (app: FastifyInstance, request: FastifyRequest, scenario: string, result: LookupAnswer, started: number): void {
  app.metrics.lookups.inc({ scenario, outcome: result.outcome })
  app.metrics.lookupDuration.observe({ scenario }, (performance.now() - started) / 1000)
  if (result.cache !== 'none') app.metrics.cache.inc({ result: result.cache })
  request.tcx = { ...request.tcx, scenario, outcome: result.outcome, cache: result.cache, ...(result.candidates === undefined ? {} : { candidates: result.candidates }) }
  if (result.outcome === 'error') {
    const err = result.error as { code?: string, message?: string } | undefined
    request.log.warn({ code: err?.code, error: err?.message }, 'lookup answered without 1C')
  }
}
