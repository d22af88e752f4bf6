import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { LookupAnswer } from '../../lib/directory/directory.js'

/** What a lookup-like answer (a ring, an e-mail, a search) tells the metrics and the access line. */
export interface RecordedAnswer {
  outcome: string
  cache?: LookupAnswer['cache']
  candidates?: LookupAnswer['candidates']
  reason?: string
  error?: unknown
}

/**
 * Counts a lookup-like answer of one scenario in the metrics and tells the access line how it went.
 * Bound once per route: the metric children are looked up at registration, not per ring.
 */
export function lookupRecorder (app: FastifyInstance, scenario: string): (request: FastifyRequest, result: RecordedAnswer, started: number) => void {
  const meter = app.metrics.lookupMeter(scenario)
  return (request, result, started) => {
    meter.count(result.outcome, result.cache)
    meter.observe((performance.now() - started) / 1000)
    const info = request.tcx ?? { scenario }
    info.scenario = scenario
    info.outcome = result.outcome
    info.cache = result.cache
    if (result.candidates !== undefined) info.candidates = result.candidates
    if (result.reason !== undefined) info.reason = result.reason
    request.tcx = info
    if (result.outcome === 'error') {
      const err = result.error as { code?: string, message?: string } | undefined
      request.log.warn({ code: err?.code, error: err?.message }, 'lookup answered without 1C')
    }
  }
}
