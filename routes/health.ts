import type { FastifyPluginAsync } from 'fastify'

/**
 * `/health`: the process is alive (for a supervisor's liveness check).
 * `/ready`: the proxy can do its job — 1C answered lately and no component reports a problem (for a
 * load balancer or an operator); 503 with the reasons otherwise.
 */
const health: FastifyPluginAsync = async (app) => {
  app.get('/health', { logLevel: 'warn' }, async () => ({ status: 'ok' }))

  app.get('/ready', { logLevel: 'warn' }, async (_request, reply) => {
    const { ready, components } = app.readiness.snapshot()
    const problems = Object.entries(components).filter(([, s]) => !s.ok).map(([name, s]) => `${name}: ${s.reason ?? 'not ready'}`)
    reply.code(ready ? 200 : 503)
    return { status: ready ? 'ready' : 'not ready', ...(problems.length > 0 ? { reasons: problems } : {}), components }
  })
}

export default health
