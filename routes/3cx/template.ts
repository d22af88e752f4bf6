import type { FastifyPluginAsync } from 'fastify'
import { buildTemplate } from '../../lib/template/index.js'

interface TemplateQuery {
  version?: '18' | '20'
  agentLastName?: 'true' | 'false'
  answeredTime?: 'true' | 'false'
}

/**
 * The CRM template for this proxy, to download and upload in 3CX (no credentials: it holds none; the 3CX
 * administrator types them into its parameters). `?version=18` leaves out what 3CX v18 does not know;
 * `agentLastName` and `answeredTime` switch the two ReportCall variables that are known from third parties
 * only (3cx-crm.md §3), for an administrator who has seen how a real PBX treats them.
 */
const template: FastifyPluginAsync = async (app) => {
  const cached = new Map<string, string>()
  const xml = (version: 18 | 20, includeAgentLastName: boolean, sendAnsweredTime: boolean): string => {
    const key = `${version}/${String(includeAgentLastName)}/${String(sendAnsweredTime)}`
    let text = cached.get(key)
    if (text === undefined) {
      text = buildTemplate({ publicUrl: app.config.server.publicUrl, tcxVersion: version, includeAgentLastName, sendAnsweredTime })
      cached.set(key, text)
    }
    return text
  }
  app.get<{ Querystring: TemplateQuery }>('/template.xml', {
    schema: {
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          version: { type: 'string', enum: ['18', '20'] },
          agentLastName: { type: 'string', enum: ['true', 'false'] },
          answeredTime: { type: 'string', enum: ['true', 'false'] },
        },
      },
    },
  }, async (request, reply) => {
    const version = request.query.version === '18' ? 18 : 20
    request.tcx = { scenario: 'template' }
    reply.header('content-type', 'application/xml; charset=utf-8')
    reply.header('content-disposition', `attachment; filename="3cx-1c-bridge-v${version}.xml"`)
    return xml(version, request.query.agentLastName === 'true', request.query.answeredTime !== 'false')
  })
}

export default template
