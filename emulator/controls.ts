import type { FastifyInstance } from 'fastify'
import { resolveCostModel, type CostModelInput } from './cost/config.js'
import type { CostModel } from './cost/constants.js'
import type { CostStats } from './cost/stats.js'
import type { Entity } from './data/types.js'
import type { FaultKindInput } from './faults.js'
import type { EmulatorState } from './state.js'
import type { EmulatorStats } from './stats.js'

/** In-process controls for tests; the admin routes `/__emulator/*` expose the same. */
export interface EmulatorControls {
  /** Extra milliseconds before every OData request is served. */
  setLatency: (ms: number) => void
  /** Answer this share of OData requests with 500 code -1; the same seed gives the same sequence. */
  setErrorRate: (rate: number, seed?: number) => void
  /** The next `n` OData requests fail this way (queued after earlier failNext calls); 500/406/401 may be numbers. */
  failNext: (n: number, kind: FaultKindInput) => void
  /** Close the listener (true) or open it again on the same port (false). Needs startEmulator. */
  refuseConnections: (on: boolean) => Promise<void>
  /** Replace the published composition (main sets; undefined = everything). */
  setComposition: (sets: string[] | undefined) => void
  /** Back to the configured latency, no error rate, no queued failures, hung requests dropped. */
  clearFaults: () => void
  /**
   * Switch the cost model (cost/constants.ts) on with the defaults (true), on with some constants changed (an
   * object), or off (undefined/false). Requests already being served keep the model they started with.
   */
  setCostModel: (config: CostModelInput) => void
  /** The cost model in force, undefined when it is off. */
  costModel: () => CostModel | undefined
  stats: () => EmulatorStats
  /** What the cost model has charged (ms and requests, per access path); reset with resetStats. */
  costStats: () => CostStats
  resetStats: () => void
  /** A copy of the current entities of a set (a tabular-section set gives its rows). */
  entities: (set: string) => Entity[]
}

export function createControls (state: EmulatorState): EmulatorControls {
  return {
    setLatency: (ms) => state.faults.setLatency(ms),
    setErrorRate: (rate, seed) => state.faults.setErrorRate(rate, seed),
    failNext: (n, kind) => state.faults.failNext(n, kind),
    refuseConnections: async (on) => {
      const listener = state.listener
      if (listener === undefined) throw new Error('refuseConnections needs an emulator started with startEmulator()')
      if (on) {
        state.releaseHung()
        await listener.stop()
      } else {
        await listener.start()
      }
    },
    setComposition: (sets) => state.publication.set(sets),
    clearFaults: () => {
      state.faults.clear(state.initialLatencyMs)
      state.releaseHung()
    },
    setCostModel: (config) => { state.costModel = resolveCostModel(config) },
    costModel: () => (state.costModel === undefined ? undefined : { ...state.costModel }),
    stats: () => state.stats.snapshot(state.sessions.sessionsCreated),
    costStats: () => state.costs.snapshot(),
    resetStats: () => {
      state.stats.reset()
      state.costs.reset()
      state.sessions.resetCount()
    },
    entities: (set) => {
      const resource = state.model.get(set)
      if (resource === undefined) throw new Error(`entities: ${set} is not an entity set of the configuration`)
      return state.store.snapshot(resource)
    },
  }
}

const registry = new WeakMap<FastifyInstance, EmulatorControls>()

export function registerControls (app: FastifyInstance, controls: EmulatorControls): void {
  registry.set(app, controls)
}

/** The controls of an emulator built with buildEmulator(). */
export function emulatorControls (app: FastifyInstance): EmulatorControls {
  const controls = registry.get(app)
  if (controls === undefined) throw new Error('not an emulator instance')
  return controls
}
