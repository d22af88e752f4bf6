import type { FastifyPluginAsync } from 'fastify'
import type { CreateRequest } from '../../lib/directory/directory.js'
import { lookupRecorder } from './record.js'
import { contactsResponse } from './schemas.js'

const name = { type: 'string', maxLength: 100 } as const
const email = { type: 'string', maxLength: 254 } as const
const number = { type: 'string', maxLength: 64 } as const

/**
 * LookupByEmail, SearchContacts, CreateContactRecord and CreateContactRecordFromClient (3cx-crm.md §2).
 * Creation answers the new contact in the lookup's shape, or the existing one when 1C already has it.
 */
const contacts: FastifyPluginAsync = async (app) => {
  const recordByEmail = lookupRecorder(app, 'lookup-by-email')
  const searches = app.metrics.lookupMeter('search')
  app.post<{ Body: { email: string } }>('/lookup-by-email', {
    schema: { body: { type: 'object', required: ['email'], properties: { email } }, response: contactsResponse },
  }, async (request) => {
    request.tcx = { scenario: 'lookup-by-email', subject: request.body.email }
    const started = performance.now()
    const result = await app.directory.byEmail(request.body.email, { requestId: request.id })
    recordByEmail(request, result, started)
    return { contacts: result.contacts, outcome: result.outcome }
  })

  app.post<{ Body: { text: string } }>('/search', {
    schema: { body: { type: 'object', required: ['text'], properties: { text: { type: 'string', maxLength: 100 } } }, response: contactsResponse },
  }, async (request) => {
    request.tcx = { scenario: 'search' }
    const found = await app.directory.search(request.body.text, { requestId: request.id })
    request.tcx.outcome = found.length > 0 ? 'found' : 'not_found'
    searches.count(request.tcx.outcome)
    return { contacts: found, outcome: request.tcx.outcome }
  })

  const create = (scenario: string) => {
    const meter = app.metrics.lookupMeter(scenario)
    return async (request: { id: string, body: CreateRequest, tcx: unknown }): Promise<unknown> => {
      const info = { scenario, subject: request.body.number ?? request.body.email ?? '', outcome: 'error' }
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
      body: { type: 'object', properties: { number, email, firstName: name, lastName: name, partnerId: { type: 'string', maxLength: 36 } } },
      response: contactsResponse,
    },
  }, create('create-contact-from-client'))
}

export default contacts
