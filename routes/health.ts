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
    const warnings = Object.entries(components).filter(([, s]) => s.warning !== undefined).map(([name, s]) => `${name}: ${s.warning as string}`)
    reply.code(ready ? 200 : 503)
    return { status: ready ? 'ready' : 'not ready', ...(problems.length > 0 ? { reasons: problems } : {}), ...(warnings.length > 0 ? { warnings } : {}), components }
  })
}

export default health
