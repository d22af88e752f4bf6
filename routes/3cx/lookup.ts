import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { lookupRecorder } from './record.js'
import { contactsResponse } from './schemas.js'

const number = { type: 'string', maxLength: 64 } as const

/**
 * The caller-ID lookup (the template's scenario without an Id): who is behind this number? JSON POST from
 * the template; GET with `?number=` for people with curl. Answers within LOOKUP_BUDGET_MS, always.
 */
const lookup: FastifyPluginAsync = async (app) => {
  const record = lookupRecorder(app, 'lookup')
  const serve = async (request: FastifyRequest, raw: string): Promise<{ contacts: unknown[], outcome: string }> => {
    request.tcx = { scenario: 'lookup', subject: raw }
    const started = performance.now()
    const result = await app.directory.byPhone(raw, { requestId: request.id })
    record(request, result, started)
    return { contacts: result.contacts, outcome: result.outcome }
  }

  app.post<{ Body: { number: string, direction?: string } }>('/lookup', {
    schema: {
      body: { type: 'object', required: ['number'], properties: { number, direction: { type: 'string', maxLength: 16 } } },
      response: contactsResponse,
    },
  }, async (request) => await serve(request, request.body.number))

  app.get<{ Querystring: { number: string } }>('/lookup', {
    schema: { querystring: { type: 'object', required: ['number'], properties: { number } }, response: contactsResponse },
  }, async (request) => await serve(request, request.query.number))
}

export default lookup
