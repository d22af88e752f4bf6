import type { FastifyPluginAsync } from 'fastify'
import { AppError } from '../../lib/errors.js'
import { describeIndexState } from '../../lib/phone-index/service.js'

/** The phone index: its state, and a full sync now (e.g. after a mass import of contacts into 1C). */
const phoneIndex: FastifyPluginAsync = async (app) => {
  const index = (): NonNullable<typeof app.phoneIndex> => {
    if (app.phoneIndex === undefined) throw new AppError('NOT_FOUND', 'The phone index is off (INDEX_ENABLED=false).')
    return app.phoneIndex
  }
  app.get('/index', async () => describeIndexState(index().state))
  app.post('/index/sync', async (_request, reply) => {
    const service = index()
    const wasRunning = service.state.syncing
    void service.sync()
    reply.code(202)
    return { started: !wasRunning, state: describeIndexState(service.state) }
  })
}

export default phoneIndex
