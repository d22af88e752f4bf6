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
    // Empty is a call no agent took (a missed queue call); longer than the register's 16 is cut there.
    agent: text(64),
    agentName: text(150),
    agentEmail: text(150),
    start: text(40),
    answered: text(40),
    end: text(40),
    // 3CX sends what the template formats: "156" (Type="String") or 156 (Type="Integer").
    duration: { anyOf: [{ type: 'string', maxLength: 12 }, { type: 'integer' }] },
    queue: text(64),
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
      warnings: {
        type: 'array',
        items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } },
      },
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
    const { call, warnings } = toCallRecord(request.body, app.phoneOptions, new Date())
    // Field names only: the values may hold the caller's number.
    if (warnings.length > 0) request.log.warn({ fields: warnings.map(w => w.field) }, 'report-call: fields set aside, the call is journaled without them')
    const withWarnings = warnings.length === 0 ? {} : { warnings }
    if (app.journal.target === 'off') {
      request.tcx.outcome = 'journal_off'
      return { accepted: false, callKey: call.callKey, duplicate: false, ...withWarnings }
    }
    const { duplicate } = await app.journal.accept(call)
    request.tcx.outcome = duplicate ? 'duplicate' : 'accepted'
    return { accepted: true, callKey: call.callKey, duplicate, ...withWarnings }
  })
}

export default reportCall
