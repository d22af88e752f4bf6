import type { Entity } from '../data/types.js'
import { compileFilter, compileOrderBy, type CompiledFilter, type FilterContext } from '../filter/compile.js'
import type { Resource } from '../resources.js'
import type { QueryOptions } from './options.js'

/** What the cost model (cost/) sees of a scan: every row tested against $filter with the outcome, then the end. */
export interface ScanObserver {
  visit: (entity: Entity, matched: boolean) => void
  done: () => void
}

export interface CollectionResult {
  rows: Entity[]
  /** `$inlinecount=allpages`: the number of matching entities. */
  count?: number
}

/**
 * A GET on an entity set: $filter, then $orderby, then $skip before $top whatever their order in the URL
 * (DOC §17.4.5.5). There is no server-side paging: without $top everything is returned (onec-odata.md §3.2).
 * `$inlinecount=allpages` makes 1C ignore $top and $skip (DOC §17.4.6.2).
 */
export function runCollectionQuery (resource: Resource, options: QueryOptions, ctx: FilterContext, observer?: ScanObserver): CollectionResult {
  const filter = options.filter === undefined ? undefined : compileFilter(options.filter, resource, ctx)
  const sort = options.orderby === undefined ? undefined : compileOrderBy(options.orderby, resource, ctx)
  if (filter?.unknownField !== undefined) {
    observer?.done()
    return options.inlineCount ? { rows: [], count: 0 } : { rows: [] }
  }
  const skip = options.inlineCount ? 0 : options.skip ?? 0
  const top = options.inlineCount ? undefined : options.top
  if (sort !== undefined && top !== undefined && isKeysetPage(resource, options)) {
    return keysetPage(resource, ctx, sort, filter?.test, skip, top, observer)
  }
  // Without ordering the scan can stop as soon as the page is full.
  const limit = sort === undefined && top !== undefined ? skip + top : Infinity
  let matched: Entity[] = []
  scanMatching(resource, filter, ctx, observer, entity => {
    matched.push(entity)
    return matched.length < limit
  })
  if (sort !== undefined) matched = sort(matched)
  const rows = matched.slice(skip, top === undefined ? undefined : skip + top)
  return options.inlineCount ? { rows, count: matched.length } : { rows }
}

const KEY_ORDER = /^\s*Ref_Key(\s+asc)?\s*$/i
const KEY_FROM = /^\s*Ref_Key\s+gt\s+guid'[0-9a-f-]{36}'\s*$/i

/** A page in Ref_Key order of an object set, optionally after a given key: `$orderby=Ref_Key[&$filter=Ref_Key gt guid'…']`. */
function isKeysetPage (resource: Resource, options: QueryOptions): boolean {
  return resource.kind !== 'TabularSection' && resource.fieldByName.has('Ref_Key') && KEY_ORDER.test(options.orderby ?? '') &&
    (options.filter === undefined || KEY_FROM.test(options.filter))
}

/**
 * Rows of a keyset page read in key order from where the filter starts, as a clustered-index range read
 * does; the same rows as the general path, which would test and sort the whole set for every page.
 */
function keysetPage (resource: Resource, ctx: FilterContext, sort: (rows: Entity[]) => Entity[], test: ((entity: Entity) => boolean) | undefined, skip: number, top: number, observer?: ScanObserver): CollectionResult {
  const rows = ctx.store.sortedBy(resource, sort)
  // `Ref_Key gt X` holds for a suffix of the key order: find where it starts.
  let lo = 0
  let hi = rows.length
  while (test !== undefined && lo < hi) {
    const mid = (lo + hi) >>> 1
    if (test(rows[mid] as Entity)) hi = mid
    else lo = mid + 1
  }
  const end = Math.min(rows.length, lo + skip + top)
  for (let i = lo; i < end; i++) observer?.visit(rows[i] as Entity, true)
  observer?.done()
  return { rows: rows.slice(lo + skip, end) }
}

/** `/$count`: the number of entities matching $filter, a plain number (DOC §17.4.6.1). */
export function countMatching (resource: Resource, filterText: string | undefined, ctx: FilterContext, observer?: ScanObserver): number {
  const filter = filterText === undefined ? undefined : compileFilter(filterText, resource, ctx)
  if (filter?.unknownField !== undefined) {
    observer?.done()
    return 0
  }
  let n = 0
  scanMatching(resource, filter, ctx, observer, () => { n += 1 })
  return n
}

/**
 * Tests the rows of a set against $filter, telling the observer about each, and hands on the matches
 * (`onMatch` returns false to stop). For objects and their rows Ref_Key is the index 1C would use
 * (registers have none).
 */
function scanMatching (resource: Resource, filter: CompiledFilter | undefined, ctx: FilterContext, observer: ScanObserver | undefined, onMatch: (entity: Entity) => boolean | void): void {
  const visit = (entity: Entity): boolean | void => {
    const ok = filter === undefined || filter.test(entity)
    observer?.visit(entity, ok)
    return ok ? onMatch(entity) : true
  }
  if (filter?.refKeys !== undefined && resource.fieldByName.has('Ref_Key')) ctx.store.scanRefs(resource, filter.refKeys, visit)
  else ctx.store.scan(resource, visit)
  observer?.done()
}
