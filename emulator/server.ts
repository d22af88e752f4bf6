import type { AddressInfo } from 'node:net'
import Fastify, { type FastifyInstance } from 'fastify'
import { registerAdminRoutes } from './admin.js'
import { createControls, emulatorControls, registerControls, type EmulatorControls } from './controls.js'
import type { BaseData } from './data/types.js'
import { Listener } from './listener.js'
import { registerODataRoutes } from './odata-routes.js'
import type { ConfigurationSchema } from './schema/model.js'
import { ut11Schema } from './schema/ut11.js'
import { resolveSettings, type BehaviourOptions, type EmulatorUser, type Settings } from './settings.js'
import { EmulatorState } from './state.js'
import { registerWebClient } from './web-client.js'

export type { EmulatorControls } from './controls.js'
export { emulatorControls } from './controls.js'
export type { FaultKind, FaultKindInput } from './faults.js'
export type { EmulatorStats } from './stats.js'
export type { CostModel } from './cost/constants.js'
export { DEFAULT_COST_MODEL } from './cost/constants.js'
export type { CostModelInput } from './cost/config.js'
export type { CostStats } from './cost/stats.js'
export type { Charge } from './cost/meter.js'
export { COST_HEADER, parseCostHeader } from './cost/header.js'
export type { BehaviourOptions, EmulatorUser, SessionMode, UserRights } from './settings.js'

/** How to run the emulated 1C. Behaviour switches are documented in settings.ts (BehaviourOptions). */
export interface EmulatorOptions extends BehaviourOptions {
  /** Default '127.0.0.1'. */
  host?: string
  /** Default 8081; 0 = any free port. */
  port?: number
  /** The infobase path, default '/ut11' → OData root /ut11/odata/standard.odata. */
  basePath?: string
  /** Default [{ name: 'odata', password: 'odata' }]; a user may carry `rights`. */
  users?: EmulatorUser[]
  data: BaseData
  /** Default ut11Schema. */
  schema?: ConfigurationSchema
  /** Published main sets; tabular-section sets follow their owner. Default: all. */
  composition?: string[]
  /** Added to every OData request, in ms. */
  latencyMs?: number
  /** Fastify logger option; default false. */
  logger?: boolean | object
}

export interface RunningEmulator {
  /** e.g. http://127.0.0.1:41234 */
  url: string
  /** url + basePath: what the proxy's ONEC_URL is set to. */
  baseUrl: string
  /** baseUrl + '/odata/standard.odata' */
  odataUrl: string
  controls: EmulatorControls
  /** Closes the listener; data and counters are kept. */
  stop: () => Promise<void>
  /** Listens again on the same port. */
  start: () => Promise<void>
  /** Stops for good. */
  close: () => Promise<void>
}

export const DEFAULT_USERS: EmulatorUser[] = [{ name: 'odata', password: 'odata' }]

export function normalizeBasePath (basePath: string): string {
  const trimmed = basePath.trim().replace(/\/+$/, '')
  if (trimmed === '') return ''
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`
}

/** A Posted property is dropped from documents whose posting is "Deny" when the setting says so (onec-odata.md §8). */
function effectiveSchema (schema: ConfigurationSchema, settings: Settings): ConfigurationSchema {
  if (settings.postedWhenPostingDenied === 'serve') return schema
  return {
    ...schema,
    sets: schema.sets.map((set) => set.kind !== 'Document' || settings.postableDocuments.includes(set.name)
      ? set
      : { ...set, properties: set.properties.filter((p) => p.name !== 'Posted') }),
  }
}

/** Builds the emulator app, ready but not listening. Its controls: emulatorControls(app). */
export async function buildEmulator (opts: EmulatorOptions): Promise<FastifyInstance> {
  const settings = resolveSettings(opts)
  const latencyMs = opts.latencyMs ?? 0
  if (!Number.isFinite(latencyMs) || latencyMs < 0) throw new Error('emulator option latencyMs: a number of ms >= 0')
  const users = opts.users ?? DEFAULT_USERS
  if (users.length === 0) throw new Error('emulator option users: at least one user')
  const state = new EmulatorState({
    settings,
    schema: effectiveSchema(opts.schema ?? ut11Schema, settings),
    data: opts.data,
    composition: opts.composition,
    users,
    basePath: normalizeBasePath(opts.basePath ?? '/ut11'),
    latencyMs,
  })
  const app = Fastify({
    logger: opts.logger ?? false,
    // Keys and filters are long and Cyrillic; hung requests must not hold close() forever.
    routerOptions: { maxParamLength: 10_000 },
    forceCloseConnections: true,
  })
  const controls = createControls(state)
  registerControls(app, controls)
  app.addHook('onClose', async () => {
    state.shutdown.abort()
    state.sessions.close()
    state.releaseHung()
  })
  app.setNotFoundHandler(async (_request, reply) => reply.code(404).type('text/plain;charset=utf-8').send('Not Found'))
  await registerODataRoutes(app, state)
  await registerAdminRoutes(app, state, controls)
  await registerWebClient(app, state)
  await app.ready()
  stateOf.set(app, state)
  return app
}

const stateOf = new WeakMap<FastifyInstance, EmulatorState>()

/** Builds and starts the emulator; `stop()`/`start()` close and reopen the same port. */
export async function startEmulator (opts: EmulatorOptions): Promise<RunningEmulator> {
  const app = await buildEmulator(opts)
  const host = opts.host ?? '127.0.0.1'
  try {
    await app.listen({ host, port: opts.port ?? 8081 })
  } catch (error) {
    await app.close()
    throw error
  }
  const state = stateOf.get(app) as EmulatorState
  const port = (app.server.address() as AddressInfo).port
  const listener = new Listener(app.server, host, port)
  state.listener = listener
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  const baseUrl = `${url}${encodeURI(state.basePath)}`
  let closed = false
  return {
    url,
    baseUrl,
    odataUrl: `${baseUrl}/odata/standard.odata`,
    controls: emulatorControls(app),
    stop: async () => {
      state.releaseHung()
      await listener.stop()
    },
    start: async () => {
      if (closed) throw new Error('the emulator was closed for good')
      await listener.start()
    },
    close: async () => {
      if (closed) return
      closed = true
      state.releaseHung()
      await listener.stop()
      await app.close()
    },
  }
}
