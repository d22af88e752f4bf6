import type { FastifyPluginAsync } from 'fastify'
import { AppError } from '../../lib/errors.js'
import cache from './cache.js'
import journal from './journal.js'
import phoneIndex from './phone-index.js'

/** Operator routes under /admin, behind their own credentials (ADMIN_USER / ADMIN_PASSWORD). */
const admin: FastifyPluginAsync = async (app) => {
  const guard = app.auth.admin
  app.addHook('onRequest', guard ?? (async () => {
    throw new AppError('NOT_FOUND', 'The admin routes are off: set ADMIN_PASSWORD to turn them on.')
  }))
  await app.register(cache)
  await app.register(journal)
  await app.register(phoneIndex)
}

export default admin
