import type { FastifyPluginAsync } from 'fastify'
import type { CreateRequest } from '../../lib/directory/directory.js'
import type { TcxRequestInfo } from './access-log.js'
import { lookupRecorder } from './record.js'
import { contactsResponse, GUID_OR_EMPTY } from './schemas.js'

const name = { type: 'string', maxLength: 100 } as const
const email = { type: 'string', maxLength: 254 } as const
const number = { type: 'string', maxLength: 64 } as const
// The finding scenarios take any text and answer what they cannot search for with 200 and outcome
// `invalid` (3cx-crm.md §4.2: 3CX is known to take only that, or a 404, as "nobody"); only a missing or
// non-string field is a 400. The body limit bounds the length.
const anyText = { type: 'string' } as const

/**
 * LookupByEmail, SearchContacts, CreateContactRecord and CreateContactRecordFromClient (3cx-crm.md §2).
 * Creation answers the new contact in the lookup's shape, or the existing one when 1C already has it; its
 * refusals stay 4xx errors: it is an action, and 3CX shows its result.
 */
const contacts: FastifyPluginAsync = async (app) => {
  const recordByEmail = lookupRecorder(app, 'lookup-by-email')
  const recordSearch = lookupRecorder(app, 'search')
  app.post<{ Body: { email: string } }>('/lookup-by-email', {
    schema: { body: { type: 'object', required: ['email'], properties: { email: anyText } }, response: contactsResponse },
  }, async (request) => {
    request.tcx = { scenario: 'lookup-by-email', subject: request.body.email, subjectKind: 'email' }
    const started = performance.now()
    const result = await app.directory.byEmail(request.body.email, { requestId: request.id })
    recordByEmail(request, result, started)
    return { contacts: result.contacts, outcome: result.outcome, reason: result.reason }
  })

  app.post<{ Body: { text: string } }>('/search', {
    schema: { body: { type: 'object', required: ['text'], properties: { text: anyText } }, response: contactsResponse },
  }, async (request) => {
    request.tcx = { scenario: 'search' }
    const started = performance.now()
    const result = await app.directory.search(request.body.text, { requestId: request.id })
    recordSearch(request, result, started)
    return { contacts: result.contacts, outcome: result.outcome, reason: result.reason }
  })

  const create = (scenario: string) => {
    const meter = app.metrics.lookupMeter(scenario)
    return async (request: { id: string, body: CreateRequest, tcx: unknown }): Promise<unknown> => {
      const byNumber = request.body.number !== undefined && request.body.number.trim() !== ''
      const info: TcxRequestInfo = { scenario, subject: byNumber ? request.body.number : request.body.email ?? '', subjectKind: byNumber ? 'number' : 'email', outcome: 'error' }
      request.tcx = info
      const answer = await app.directory.create(request.body, { requestId: request.id })
      info.outcome = answer.outcome
      meter.count(answer.outcome)
      return { contacts: answer.contacts, outcome: answer.outcome }
    }
  }

  app.post<{ Body: CreateRequest & { direction?: string } }>('/create-contact', {
    schema: {
      body: { type: 'object', required: ['number'], properties: { number, direction: { type: 'string', maxLength: 16 }, firstName: name, lastName: name } },
      response: contactsResponse,
    },
  }, create('create-contact'))

  app.post<{ Body: CreateRequest }>('/create-contact-from-client', {
    schema: {
      body: { type: 'object', properties: { number, email, firstName: name, lastName: name, partnerId: { type: 'string', pattern: GUID_OR_EMPTY } } },
      response: contactsResponse,
    },
  }, create('create-contact-from-client'))
}

export default contacts
