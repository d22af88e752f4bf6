import type { FastifyPluginAsync } from 'fastify'
import { CALL_TYPES, toCallRecord, type ReportCallBody } from '../../lib/journal/report.js'

const text = (maxLength: number): Record<string, unknown> => ({ type: 'string', maxLength })

const body = {
  type: 'object',
  required: ['callType', 'number', 'agent', 'start'],
  properties: {
    callType: { type: 'string', enum: CALL_TYPES },
    direction: { type: 'string', enum: ['Inbound', 'Outbound', ''] },
    number: text(64),
    agent: { type: 'string', minLength: 1, maxLength: 16 },
    agentName: text(150),
    agentEmail: text(150),
    start: text(40),
    answered: text(40),
    end: text(40),
    // 3CX sends what the template formats: "156" (Type="String") or 156 (Type="Integer").
    duration: { anyOf: [{ type: 'string', maxLength: 12 }, { type: 'integer', minimum: 0 }] },
    queue: text(16),
    contactId: text(64),
    contactType: text(32),
    name: text(200),
  },
} as const

const response = {
  200: {
    type: 'object',
    properties: {
      accepted: { type: 'boolean' },
      callKey: { type: 'string' },
      duplicate: { type: 'boolean' },
    },
  },
} as const

/**
 * ReportCall: a call ended. The answer leaves only once the call is on disk (fsync), so 3CX's 200 means
 * it will reach 1C; the same call reported twice is one call.
 */
const reportCall: FastifyPluginAsync = async (app) => {
  app.post<{ Body: ReportCallBody }>('/report-call', { schema: { body, response } }, async (request) => {
    request.tcx = { scenario: 'report-call', subject: request.body.number }
    const call = toCallRecord(request.body, app.phoneOptions, new Date())
    if (app.journal.target === 'off') {
      request.tcx.outcome = 'journal_off'
      return { accepted: false, callKey: call.callKey, duplicate: false }
    }
    const { duplicate } = await app.journal.accept(call)
    request.tcx.outcome = duplicate ? 'duplicate' : 'accepted'
    return { accepted: true, callKey: call.callKey, duplicate }
  })
}

export default reportCall
