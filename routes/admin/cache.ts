import type { FastifyPluginAsync } from 'fastify'

/** Purging the lookup cache, e.g. after a number was corrected in 1C and the next ring must see it. */
const cache: FastifyPluginAsync = async (app) => {
  app.get('/cache', async () => ({ entries: app.directory.cache.size }))

  app.delete('/cache', async () => ({ purged: app.directory.purge() }))

  app.delete<{ Params: { key: string } }>('/cache/:key', {
    schema: { params: { type: 'object', required: ['key'], properties: { key: { type: 'string', minLength: 1, maxLength: 200 } } } },
  }, async (request) => ({ purged: app.directory.purge(request.params.key) }))
}

export default cache
