import type { FastifyPluginAsync } from 'fastify'
import { buildTemplate } from '../../lib/template/index.js'

/**
 * The CRM template for this proxy, to download and upload in 3CX (no credentials: it holds none; the 3CX
 * administrator types them into its parameters). `?version=18` leaves out what 3CX v18 does not know.
 */
const template: FastifyPluginAsync = async (app) => {
  const cached = new Map<18 | 20, string>()
  const xml = (version: 18 | 20): string => {
    let text = cached.get(version)
    if (text === undefined) {
      text = buildTemplate({ publicUrl: app.config.server.publicUrl, tcxVersion: version })
      cached.set(version, text)
    }
    return text
  }
  app.get<{ Querystring: { version?: '18' | '20' } }>('/template.xml', {
    schema: { querystring: { type: 'object', properties: { version: { type: 'string', enum: ['18', '20'] } } } },
  }, async (request, reply) => {
    const version = request.query.version === '18' ? 18 : 20
    request.tcx = { scenario: 'template' }
    reply.header('content-type', 'application/xml; charset=utf-8')
    reply.header('content-disposition', `attachment; filename="3cx-1c-bridge-v${version}.xml"`)
    return xml(version)
  })
}

export default template
