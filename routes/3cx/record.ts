import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { LookupAnswer } from '../../lib/directory/directory.js'

/**
 * Counts a lookup-like answer of one scenario in the metrics and tells the access line how it went.
 * Bound once per route: the metric children are looked up at registration, not per ring.
 */
export function lookupRecorder (app: FastifyInstance, scenario: string): (request: FastifyRequest, result: LookupAnswer, started: number) => void {
  const meter = app.metrics.lookupMeter(scenario)
  return (request, result, started) => {
    meter.count(result.outcome, result.cache)
    meter.observe((performance.now() - started) / 1000)
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
}
