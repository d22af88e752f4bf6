import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { LookupAnswer } from '../../lib/directory/directory.js'

/** Counts a lookup-like answer in the metrics and tells the access line how it went. */
export function recordLookup (app: FastifyInstance, request: FastifyRequest, scenario: string, result: LookupAnswer, started: number): void {
  app.metrics.countLookup(scenario, result.outcome)
  app.metrics.observeLookup(scenario, (performance.now() - started) / 1000)
  if (result.cache !== 'none') app.metrics.countCache(result.cache)
  const info = request.tcx ?? { scenario }
  info.scenario = scenario
  info.outcome = result.outcome
  info.cache = result.cache
  if (result.candidates !== undefined) info.candidates = result.candidates
  request.tcx = info
  if (result.outcome === 'error') {
    const err = result.error as { code?: string, message?: string } | undefined
    request.log.warn({ code: err?.code, error: err?.message }, 'lookup answered without 1C')
  }
}
