import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify'

/**
 * Prometheus metrics: on the main port behind METRICS_USER/METRICS_PASSWORD, and/or without credentials
 * on a separate listener (METRICS_HOST:METRICS_PORT) that only the monitoring network reaches.
 */
const metricsRoute: FastifyPluginAsync = async (app) => {
  const serve = async (): Promise<string> => await app.metrics.registry.metrics()
  if (app.auth.metrics !== undefined) {
    app.get('/metrics', { onRequest: app.auth.metrics, logLevel: 'warn' }, async (_request, reply) => {
      reply.header('content-type', app.metrics.registry.contentType)
      return await serve()
    })
  }
  const port = app.config.metrics.port
  if (port === undefined) return
  let listener: FastifyInstance | undefined
  app.addHook('onReady', async () => {
    listener = Fastify({ logger: false })
    listener.get('/metrics', async (_request, reply) => {
      reply.header('content-type', app.metrics.registry.contentType)
      return await serve()
    })
    await listener.listen({ host: app.config.metrics.host, port })
  })
  app.addHook('onClose', async () => { await listener?.close() })
}

export default metricsRoute
