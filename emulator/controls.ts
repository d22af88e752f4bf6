import type { FastifyInstance } from 'fastify'
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
  stats: () => EmulatorStats
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
    stats: () => state.stats.snapshot(state.sessions.sessionsCreated),
    resetStats: () => {
      state.stats.reset()
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
