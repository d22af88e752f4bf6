import { setMaxListeners } from 'node:events'
import type { Socket } from 'node:net'
import { makeCollation, type Collation } from './collation.js'
import { resolveCostModel } from './cost/config.js'
import type { CostModel } from './cost/constants.js'
import { CostCounter } from './cost/stats.js'
import type { BaseData } from './data/types.js'
import { FaultInjector } from './faults.js'
import type { FilterContext } from './filter/compile.js'
import type { Listener } from './listener.js'
import { Publication } from './publication.js'
import type { RenderContext } from './render-context.js'
import { ResourceModel } from './resources.js'
import type { ConfigurationSchema } from './schema/model.js'
import { SessionManager } from './sessions.js'
import type { EmulatorUser, Settings } from './settings.js'
import { StatsCounter } from './stats.js'
import { Store } from './store.js'

/** Everything one emulator instance holds: the infobase, its publication, and the test controls' state. */
export class EmulatorState {
  readonly settings: Settings
  readonly model: ResourceModel
  readonly publication: Publication
  readonly store: Store
  readonly collation: Collation
  readonly stats = new StatsCounter()
  /** The cost model in force (undefined: off) and what it has charged; controls may switch it at run time. */
  costModel: CostModel | undefined
  readonly costs = new CostCounter()
  readonly faults: FaultInjector
  readonly sessions: SessionManager
  readonly users: EmulatorUser[]
  /** The infobase path, e.g. `/ut11` ('' for the server root). */
  readonly basePath: string
  readonly initialLatencyMs: number
  /** Sockets of requests told to `hang`; destroyed when the emulator stops or faults are cleared. */
  readonly hung = new Set<Socket>()
  /** Aborts latency sleeps when the emulator closes. */
  readonly shutdown = new AbortController()
  listener: Listener | undefined

  constructor (opts: {
    settings: Settings
    schema: ConfigurationSchema
    data: BaseData
    composition: string[] | undefined
    users: EmulatorUser[]
    basePath: string
    latencyMs: number
  }) {
    this.settings = opts.settings
    this.model = new ResourceModel(opts.schema)
    this.publication = new Publication(this.model, opts.composition)
    this.collation = makeCollation(opts.settings)
    this.store = new Store(this.model, opts.data, this.collation)
    this.faults = new FaultInjector(opts.latencyMs, opts.settings.errorRate, opts.settings.errorSeed)
    this.sessions = new SessionManager(opts.settings)
    this.users = opts.users
    this.basePath = opts.basePath
    this.initialLatencyMs = opts.latencyMs
    this.costModel = resolveCostModel(opts.settings.costModel)
    // Every request sleeping through the latency listens for shutdown; there can be hundreds at once.
    setMaxListeners(0, this.shutdown.signal)
  }

  get odataRoot (): string {
    return `${this.basePath}/odata/standard.odata`
  }

  filterContext (): FilterContext {
    return {
      model: this.model,
      publication: this.publication,
      store: this.store,
      collation: this.collation,
      caseSensitive: this.settings.caseSensitiveStrings,
      unknownField: this.settings.unknownFilterField,
      unlimitedComparison: this.settings.unlimitedStringComparison,
    }
  }

  renderContext (root: string): RenderContext {
    return { root, publication: this.publication, store: this.store, settings: this.settings }
  }

  releaseHung (): void {
    for (const socket of this.hung) socket.destroy()
    this.hung.clear()
  }
}
