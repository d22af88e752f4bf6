import fp from 'fastify-plugin'

/**
 * What `/ready` reports. Each part of the service (the 1C link, the journal, the phone index) keeps its
 * own state here; the service is ready when no part says it is not.
 */
export interface ComponentState {
  ok: boolean
  /** Why it is not ready, in words an operator can act on. */
  reason?: string
  /** Works, but an operator should know (e.g. the phone index could not be refreshed). */
  warning?: string
  /** Extra facts for the /ready body (no secrets). */
  details?: Record<string, unknown>
}

export interface Readiness {
  /** A state, or a function that computes it when /ready is asked (for states that age). */
  set (component: string, state: ComponentState | (() => ComponentState)): void
  get (component: string): ComponentState | undefined
  snapshot (): { ready: boolean, components: Record<string, ComponentState> }
}

declare module 'fastify' {
  interface FastifyInstance {
    readiness: Readiness
  }
}

export function createReadiness (): Readiness {
  const states = new Map<string, ComponentState | (() => ComponentState)>()
  const read = (state: ComponentState | (() => ComponentState)): ComponentState => typeof state === 'function' ? state() : state
  return {
    set (component, state) {
      states.set(component, state)
    },
    get (component) {
      const state = states.get(component)
      return state === undefined ? undefined : read(state)
    },
    snapshot () {
      const components = Object.fromEntries([...states].map(([name, state]) => [name, read(state)]))
      return { ready: Object.values(components).every(s => s.ok), components }
    },
  }
}

export default fp(async (app) => {
  app.decorate('readiness', createReadiness())
}, { name: 'readiness', fastify: '5.x' })
