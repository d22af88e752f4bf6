import type { FastifyPluginAsync } from 'fastify'
import { installAccessLog } from './access-log.js'
import contacts from './contacts.js'
import lookup from './lookup.js'
import reportCall from './report-call.js'
import template from './template.js'

/** Everything 3CX calls, under /3cx, behind the 3CX credentials (the template is public: it holds no secret). */
const tcx: FastifyPluginAsync = async (app) => {
  installAccessLog(app)
  await app.register(template)
  await app.register(async (scope) => {
    scope.addHook('onRequest', app.auth.tcx)
    await scope.register(lookup)
    await scope.register(contacts)
    await scope.register(reportCall)
  })
}

export default tcx
