import type { Entity } from '../data/types.js'
import { compileFilter, type FilterContext } from '../filter/compile.js'
import type { ScanObserver } from '../query/execute.js'
import type { QueryOptions } from '../query/options.js'
import type { Selection } from '../query/select.js'
import type { ReferenceDef, Resource } from '../resources.js'
import { chargeAccess, type AccessCharge, type ScanCounts } from './charge.js'
import type { CostModel } from './constants.js'
import { analyseQuery, clusteredOrder, type AccessPath, type QueryShape } from './plan.js'
import { printFilter } from './print.js'

/** What one request was charged, as the `X-Emulator-Cost-Ms` header and the cost statistics report it. */
export interface Charge {
  ms: number
  /** The most expensive access path the request used; `none` when it read no data (service document, $metadata, POST). */
  path: AccessPath | 'none'
  /** Index descents. */
  seeks: number
  /** Rows read by the access paths (skipped ones included). */
  read: number
  skipped: number
  sorted: number
  /** Entities returned (expanded ones included). */
  returned: number
  /** Tabular-section rows returned inside their owners. */
  tabular: number
}

const PATH_RANK: Record<Charge['path'], number> = { none: 0, seek: 1, range: 2, scan: 3 }

/**
 * The cost of one OData request, collected while dispatch serves it: collection reads and $count report
 * their scans through the observer they are handed, key-addressed operations report their lookups, and
 * whatever is returned is counted for serialisation. `finish()` gives the charge.
 */
export class RequestCost {
  private us = 0
  private readonly charge: Omit<Charge, 'ms'> = { path: 'none', seeks: 0, read: 0, skipped: 0, sorted: 0, returned: 0, tabular: 0 }

  constructor (private readonly model: CostModel) {}

  /** An entity addressed by its key: `Set(key)`, a navigation step, a write to one entity. */
  keyLookup (): void {
    this.access({ path: 'seek', us: this.model.seekMs * 1000 + this.model.scanUsPerRow, seeks: 1, read: 1, sorted: 0 })
  }

  /** A GET on a set (`counting` false) or its `/$count`: the observer to hand to the scan. */
  scan (resource: Resource, query: QueryOptions, ctx: FilterContext, counting: boolean): ScanObserver {
    const shape = safeShape(resource, query, counting)
    const whole = shape.filter === undefined ? undefined : printFilter(shape.filter)
    // The condition of each access, compiled like the filter; an access equal to the whole filter counts as the matches do.
    const tests = shape.accesses.map((access) => {
      const text = printFilter(access.predicate)
      if (text === whole) return 'matched' as const
      try {
        return compileFilter(text, resource, ctx).test
      } catch {
        return undefined
      }
    })
    const counts: ScanCounts = {
      visited: 0,
      visitedLambdaRows: 0,
      matched: 0,
      accessRows: tests.map(() => 0),
      accessLambdaRows: tests.map(() => 0),
    }
    const sections = shape.lambdaSections
    const lambdaRows = (entity: Entity): number => {
      let n = 0
      for (const name of sections) n += (entity[name] as unknown[] | undefined)?.length ?? 0
      return n
    }
    return {
      visit: (entity, matched) => {
        counts.visited += 1
        if (matched) counts.matched += 1
        const lambda = sections.length === 0 ? 0 : lambdaRows(entity)
        counts.visitedLambdaRows += lambda
        for (let i = 0; i < tests.length; i += 1) {
          const test = tests[i]
          if (test === undefined || !(test === 'matched' ? matched : test(entity))) continue
          counts.accessRows[i] = (counts.accessRows[i] ?? 0) + 1
          counts.accessLambdaRows[i] = (counts.accessLambdaRows[i] ?? 0) + lambda
        }
      },
      done: () => {
        // An access whose condition could not be compiled is not offered (the filter itself would have failed).
        const usable = (_x: unknown, i: number): boolean => tests[i] !== undefined
        const priced = chargeAccess(
          { ...shape, accesses: shape.accesses.filter(usable) },
          { ...counts, accessRows: counts.accessRows.filter(usable), accessLambdaRows: counts.accessLambdaRows.filter(usable) },
          needed(query, counting),
          this.model,
        )
        this.access(priced)
        const skipped = counting || query.inlineCount ? 0 : Math.min(query.skip ?? 0, counts.matched)
        this.charge.skipped += skipped
        this.us += skipped * this.model.skipUsPerRow
      },
    }
  }

  /** Entities about to be serialised, with the tabular sections and expansions the answer carries. */
  returned (resource: Resource, entities: Entity[], selection: Selection, expand: ReferenceDef[] = []): void {
    let tabular = 0
    let expanded = 0
    for (const entity of entities) {
      for (const collection of resource.collections) {
        if (selection.collection(collection.name) !== undefined) tabular += (entity[collection.name] as unknown[] | undefined)?.length ?? 0
      }
      for (const nav of expand) {
        if (typeof entity[nav.keyField] === 'string') expanded += 1
      }
    }
    const rows = entities.length + expanded
    this.charge.returned += rows
    this.charge.tabular += tabular
    this.us += rows * this.model.rowUs + tabular * this.model.tabularRowUs
  }

  finish (): Charge {
    const ms = this.model.baseMs + this.us / 1000
    return { ms: Math.round(ms * 1000) / 1000, ...this.charge }
  }

  private access (charge: AccessCharge): void {
    this.us += charge.us
    this.charge.seeks += charge.seeks
    this.charge.read += charge.read
    this.charge.sorted += charge.sorted
    if (PATH_RANK[charge.path] > PATH_RANK[this.charge.path]) this.charge.path = charge.path
  }
}

/**
 * Rows the query must produce, in order, before SQL can stop reading: $skip + $top. Without $top, for
 * `/$count` and with `$inlinecount=allpages` (which ignores $top and $skip, DOC §17.4.6.2), all of them.
 */
function needed (query: QueryOptions, counting: boolean): number {
  if (counting || query.inlineCount || query.top === undefined) return Infinity
  return (query.skip ?? 0) + query.top
}

/** A filter the parser refuses fails the request anyway; until then it is priced as a scan. */
function safeShape (resource: Resource, query: QueryOptions, counting: boolean): QueryShape {
  try {
    return analyseQuery(resource, query.filter, counting ? undefined : query.orderby)
  } catch {
    return { clusteredOrder: clusteredOrder(resource), accesses: [], orderBy: undefined, lambdaSections: [], filter: undefined }
  }
}
