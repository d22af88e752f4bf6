import type { FastifyInstance } from 'fastify'
import { authenticate } from './auth.js'
import type { EmulatorControls } from './controls.js'
import type { CostModelInput } from './cost/config.js'
import { FAULT_KINDS, type FaultKind } from './faults.js'
import type { EmulatorState } from './state.js'

/**
 * The emulator's own control routes, `/__emulator/*` at the server root (never under the OData root), for
 * demos and out-of-process tests. Basic auth with the emulator's users; bodies are JSON. They are not
 * counted in the OData statistics.
 */
export async function registerAdminRoutes (app: FastifyInstance, state: EmulatorState, controls: EmulatorControls): Promise<void> {
  await app.register(async (admin) => {
    const timers = new Set<NodeJS.Timeout>()
    admin.addHook('onClose', async () => {
      for (const timer of timers) clearTimeout(timer)
    })
    admin.addHook('onRequest', async (request, reply) => {
      if (authenticate(request.headers.authorization, state.users) === undefined) {
        await reply.code(401).header('WWW-Authenticate', `Basic realm="${state.settings.realm}"`).send({ error: 'authentication required' })
      }
    })
    admin.setErrorHandler(async (error: unknown, _request, reply) => {
      const statusCode = (error as { statusCode?: unknown } | null)?.statusCode
      await reply.code(typeof statusCode === 'number' ? statusCode : 400).send({ error: String((error as Error).message) })
    })

    admin.get('/stats', async () => controls.stats())
    admin.post('/stats/reset', async () => { controls.resetStats(); return { ok: true } })
    admin.post<{ Body: { ms: number } }>('/latency', {
      schema: { body: { type: 'object', required: ['ms'], properties: { ms: { type: 'number', minimum: 0 } } } },
    }, async (request) => { controls.setLatency(request.body.ms); return { ok: true } })
    admin.post<{ Body: { rate: number, seed?: number } }>('/error-rate', {
      schema: { body: { type: 'object', required: ['rate'], properties: { rate: { type: 'number', minimum: 0, maximum: 1 }, seed: { type: 'integer' } } } },
    }, async (request) => { controls.setErrorRate(request.body.rate, request.body.seed); return { ok: true } })
    admin.post<{ Body: { n: number, kind: FaultKind } }>('/fail-next', {
      schema: { body: { type: 'object', required: ['n', 'kind'], properties: { n: { type: 'integer', minimum: 0 }, kind: { type: 'string', enum: [...FAULT_KINDS] } } } },
    }, async (request) => { controls.failNext(request.body.n, request.body.kind); return { ok: true } })
    admin.post('/clear-faults', async () => { controls.clearFaults(); return { ok: true } })
    // The cost model (cost/constants.ts): what it charges, and switching it; `model` is true, false/null or an object of constants.
    admin.get('/cost', async () => ({ model: controls.costModel() ?? null, stats: controls.costStats() }))
    admin.post<{ Body: { model: CostModelInput | null } }>('/cost', {
      // The constants are checked by setCostModel, which names a bad one.
      schema: { body: { type: 'object', required: ['model'] } },
    }, async (request) => {
      controls.setCostModel(request.body.model ?? undefined)
      return { model: controls.costModel() ?? null }
    })
    admin.get('/composition', async () => ({ sets: state.publication.names() }))
    admin.post<{ Body: { sets: string[] | null } }>('/composition', {
      schema: { body: { type: 'object', required: ['sets'], properties: { sets: { type: ['array', 'null'], items: { type: 'string' } } } } },
    }, async (request) => { controls.setComposition(request.body.sets ?? undefined); return { sets: state.publication.names() } })
    admin.get<{ Params: { set: string } }>('/entities/:set', async (request) => controls.entities(request.params.set))
    // Over HTTP the listener cannot be reopened by a later request, so refusing takes a duration.
    admin.post<{ Body: { forMs: number } }>('/refuse-connections', {
      schema: { body: { type: 'object', required: ['forMs'], properties: { forMs: { type: 'integer', minimum: 1, maximum: 600000 } } } },
    }, async (request, reply) => {
      if (state.listener === undefined) return await reply.code(409).send({ error: 'the emulator was not started with startEmulator()' })
      const timer = setTimeout(() => {
        timers.delete(timer)
        controls.refuseConnections(false).catch((error: unknown) => { app.log.error({ err: error }, 'emulator: could not reopen the listener') })
      }, request.body.forMs)
      timers.add(timer)
      reply.raw.once('finish', () => { controls.refuseConnections(true).catch(() => {}) })
      return { ok: true, reopensInMs: request.body.forMs }
    })
  }, { prefix: '/__emulator' })
}
