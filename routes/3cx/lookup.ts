import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { LookupAnswer } from '../../lib/directory/directory.js'
import { lookupRecorder } from './record.js'
import { contactsResponse } from './schemas.js'

// Any text: what cannot be a number is answered 200 with outcome `invalid` (Directory.byPhone), as 3CX
// is known to take only that (or a 404) as "nobody" (3cx-crm.md §4.2). Only a missing or non-string
// number is a 400. The body limit bounds the length.
const number = { type: 'string' } as const

type Answer = { contacts: unknown[], outcome: string, reason?: string }

/**
 * The caller-ID lookup (the template's scenario without an Id): who is behind this number? JSON POST from
 * the template; GET with `?number=` for people with curl. Answers within LOOKUP_BUDGET_MS, always.
 */
const lookup: FastifyPluginAsync = async (app) => {
  const record = lookupRecorder(app, 'lookup')
  const payload = (result: LookupAnswer): Answer => ({ contacts: result.contacts, outcome: result.outcome, reason: result.reason })
  // The directory answers a number that rings again with the same object while that answer is current
  // (Directory.byPhone): its bytes are kept with it rather than serialised on every ring, encoded once, so
  // that neither the length nor the UTF-8 of its Cyrillic names is worked out again per ring.
  const bodies = new WeakMap<LookupAnswer, Buffer>()
  // A ring the phone index answers is served synchronously (no promise on the way): that is most rings.
  const serve = (request: FastifyRequest, reply: FastifyReply, raw: string): Promise<Answer> | undefined => {
    request.tcx = { scenario: 'lookup', subject: raw }
    const started = performance.now()
    const known = app.directory.byPhone(raw, { requestId: request.id })
    if (known instanceof Promise) {
      return known.then(result => {
        record(request, result, started)
        return payload(result)
      })
    }
    record(request, known, started)
    let body = bodies.get(known)
    if (body === undefined) {
      body = Buffer.from(reply.serialize(payload(known)) as string)
      bodies.set(known, body)
    }
    reply.type('application/json; charset=utf-8').send(body)
    return undefined
  }

  app.post<{ Body: { number: string, direction?: string } }>('/lookup', {
    schema: {
      body: { type: 'object', required: ['number'], properties: { number, direction: { type: 'string', maxLength: 16 } } },
      response: contactsResponse,
    },
  }, (request, reply) => serve(request, reply, request.body.number))

  app.get<{ Querystring: { number: string } }>('/lookup', {
    schema: { querystring: { type: 'object', required: ['number'], properties: { number } }, response: contactsResponse },
  }, (request, reply) => serve(request, reply, request.query.number))
}

export default lookup
