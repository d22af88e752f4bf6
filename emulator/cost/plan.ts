import type { Node } from '../filter/ast.js'
import { parseFilter, parseOrderBy } from '../filter/parser.js'
import type { Resource } from '../resources.js'

/**
 * The query analysis of the cost model: which indexes 1C's SQL could use for a $filter, and whether a
 * $orderby is the order an access path already yields. What it assumes of 1C's tables:
 * - an object table is clustered on its reference (`Ref_Key`); a tabular section is its own table,
 *   clustered on (owner reference, line number), i.e. `Ref_Key, LineNumber`; an independent register is
 *   clustered on its dimensions;
 * - every attribute the schema marks `indexed` (Code, Description, Owner, Parent, indexed attributes; in
 *   UT 11 the contact-information rows' Тип and Вид — their dump says `<Indexing>Index</Indexing>`) has a
 *   secondary index leading with it;
 * - sargable, i.e. usable by an index: `eq`/`gt`/`ge`/`lt`/`le` between such a column and a constant,
 *   `startswith(column, 'prefix')` and `like(column, 'prefix%…')` (SQL's LIKE 'prefix%' is an index range
 *   in SQL Server and in PostgreSQL's C-collated indexes), `and` of anything with a sargable part, and `or`
 *   of sargable parts (OR expansion / BitmapOr, one descent per branch);
 * - not sargable: endswith, substringof, like with a leading wildcard (all LIKE '%…'), any/all (a semi-join
 *   that reads the tabular section's table; how 1C runs lambdas on large bases is uncertain, onec-odata.md
 *   §7.3, so the model assumes the plain plan), functions on columns, navigation paths, `ne`, `not`, and an
 *   `or` with a non-sargable branch. A filter with no sargable part is a scan.
 * Whether 1C's OData accepts `gt` on a GUID is not documented (onec-odata.md §3.1 lists `gt` generally); the
 * emulator accepts it, and `Ref_Key gt guid'…'` is priced as the clustered-index range it is in SQL.
 * Which sargable access is actually cheaper than a scan is decided with the real row counts (charge.ts).
 */

export type AccessPath = 'seek' | 'range' | 'scan'

/** One way an index narrows the rows a query reads. */
export interface IndexAccess {
  kind: 'seek' | 'range'
  /** The columns whose order the rows come in; [] for a union over different indexes. */
  order: string[]
  /** Rows come straight from the clustered index, without a lookup per row. */
  clustered: boolean
  /** Index descents: one per key or per range. */
  seeks: number
  /** The condition the index applies: the rows satisfying it are the rows read. */
  predicate: Node
  /** Which index: its leading column, or several joined by `|` for a union. */
  index: string
}

export interface QueryShape {
  /** The clustered index's columns: the order a scan reads rows in. */
  clusteredOrder: string[]
  /** The index accesses the filter admits, best first (seeks, then clustered ranges). */
  accesses: IndexAccess[]
  /** $orderby as plain columns in one direction; undefined without $orderby; null when no index yields that order. */
  orderBy: string[] | null | undefined
  /** Tabular sections of the set's own rows that any()/all() read for every row tested. */
  lambdaSections: string[]
  /** The parsed $filter, if any. */
  filter: Node | undefined
}

/** A filter rarely has more than two indexed conditions; more are not worth counting rows for. */
const MAX_ACCESSES = 4

export function clusteredOrder (resource: Resource): string[] {
  return resource.kind === 'TabularSection' ? ['Ref_Key', 'LineNumber'] : [...resource.key]
}

/** Throws what the filter/orderby parser throws; callers fall back to a scan. */
export function analyseQuery (resource: Resource, filterText: string | undefined, orderbyText: string | undefined): QueryShape {
  const filter = filterText === undefined ? undefined : parseFilter(filterText)
  const clustered = clusteredOrder(resource)
  const accesses = filter === undefined ? [] : new Analyser(resource, clustered).accesses(filter)
  accesses.sort((a, b) => rank(a) - rank(b))
  return {
    clusteredOrder: clustered,
    accesses: accesses.slice(0, MAX_ACCESSES),
    orderBy: orderbyText === undefined ? undefined : orderColumns(resource, orderbyText),
    lambdaSections: filter === undefined ? [] : lambdaSections(filter, resource),
    filter,
  }
}

/** An index order serves $orderby when the $orderby columns are a prefix of it (read forwards or backwards). */
export function servesOrder (order: string[], orderBy: string[] | null | undefined): boolean {
  if (orderBy === undefined) return true
  if (orderBy === null || orderBy.length > order.length) return false
  return orderBy.every((column, i) => order[i] === column)
}

function rank (access: IndexAccess): number {
  return (access.kind === 'seek' ? 0 : 2) + (access.clustered ? 0 : 1)
}

class Analyser {
  constructor (private readonly resource: Resource, private readonly clustered: string[]) {}

  accesses (node: Node): IndexAccess[] {
    switch (node.type) {
      case 'binary':
        if (node.op === 'and') return this.intersect([...this.accesses(node.left), ...this.accesses(node.right)])
        if (node.op === 'or') return this.union(node)
        if (node.op === 'eq' || node.op === 'gt' || node.op === 'ge' || node.op === 'lt' || node.op === 'le') return this.comparison(node, node.op)
        return []
      case 'call':
        return this.prefix(node)
      default:
        return []
    }
  }

  /** Two conditions on the same index narrow one access (`Date ge … and Date lt …`); different indexes stay alternatives. */
  private intersect (list: IndexAccess[]): IndexAccess[] {
    const byIndex = new Map<string, IndexAccess>()
    for (const access of list) {
      const known = byIndex.get(access.index)
      if (known === undefined) {
        byIndex.set(access.index, access)
        continue
      }
      byIndex.set(access.index, {
        ...known,
        kind: known.kind === 'seek' || access.kind === 'seek' ? 'seek' : 'range',
        seeks: Math.max(known.seeks, access.seeks),
        predicate: { type: 'binary', op: 'and', left: known.predicate, right: access.predicate },
      })
    }
    return [...byIndex.values()]
  }

  /** `A or B` can use indexes only if both branches can: one access per branch, rows = the union. */
  private union (node: Node & { type: 'binary' }): IndexAccess[] {
    const left = this.accesses(node.left).sort((a, b) => rank(a) - rank(b))[0]
    const right = this.accesses(node.right).sort((a, b) => rank(a) - rank(b))[0]
    if (left === undefined || right === undefined) return []
    const same = left.index === right.index
    return [{
      kind: left.kind === 'seek' && right.kind === 'seek' ? 'seek' : 'range',
      // Ranges of one index are read as one ordered index range (SQL Server's merge interval); a union of
      // different indexes has no order.
      order: same ? left.order : [],
      clustered: left.clustered && right.clustered,
      seeks: left.seeks + right.seeks,
      predicate: { type: 'binary', op: 'or', left: left.predicate, right: right.predicate },
      index: same ? left.index : `${left.index}|${right.index}`,
    }]
  }

  private comparison (node: Node & { type: 'binary' }, op: 'eq' | 'gt' | 'ge' | 'lt' | 'le'): IndexAccess[] {
    const column = isConstant(node.right) ? this.indexedColumn(node.left) : isConstant(node.left) ? this.indexedColumn(node.right) : undefined
    if (column === undefined) return []
    return [this.access(column, op === 'eq' ? 'seek' : 'range', node)]
  }

  /** startswith(column, 'abc') and like(column, 'abc%'): LIKE 'abc%' is a range on an index of the column. */
  private prefix (node: Node & { type: 'call' }): IndexAccess[] {
    if (node.name !== 'startswith' && node.name !== 'like') return []
    const [target, pattern] = node.args
    if (node.args.length !== 2 || target === undefined || pattern?.type !== 'literal' || typeof pattern.value !== 'string') return []
    const fixed = node.name === 'like' ? /^[^%_[]*/.exec(pattern.value)?.[0] ?? '' : pattern.value
    if (fixed === '') return []
    const column = this.indexedColumn(target)
    return column === undefined ? [] : [this.access(column, 'range', node)]
  }

  /**
   * Equality on the clustered index's leading column is a key lookup (a seek); on a secondary index, or
   * any comparison, it is a range of that index.
   */
  private access (column: string, kind: 'seek' | 'range', predicate: Node): IndexAccess {
    const leading = this.clustered[0] === column
    return {
      kind: leading ? kind : 'range',
      order: leading ? this.clustered : [column, ...this.clustered],
      clustered: leading,
      seeks: 1,
      predicate,
      index: column,
    }
  }

  /** A column of the set itself (no navigation) that leads the clustered index or an index of its own. */
  private indexedColumn (node: Node): string | undefined {
    if (node.type !== 'path' || node.base !== null || node.segments.length !== 1) return undefined
    const name = node.segments[0] as string
    const field = this.resource.fieldByName.get(name)
    if (field === undefined || field.role !== 'value') return undefined
    return field.property.indexed === true || this.clustered[0] === name ? name : undefined
  }
}

/** A literal, or cast() of literals (`Field eq cast(guid'…', 'Catalog_X')` for composite fields, onec-odata.md §3.1). */
function isConstant (node: Node): boolean {
  if (node.type === 'literal') return true
  return node.type === 'call' && node.name === 'cast' && node.args.every((arg) => arg.type === 'literal')
}

function orderColumns (resource: Resource, text: string): string[] | null {
  const items = parseOrderBy(text)
  const columns: string[] = []
  for (const item of items) {
    const e = item.expression
    if (e.type !== 'path' || e.base !== null || e.segments.length !== 1 || !resource.fieldByName.has(e.segments[0] as string)) return null
    if (item.descending !== (items[0] as { descending: boolean }).descending) return null
    columns.push(e.segments[0] as string)
  }
  return columns
}

/** The tabular sections of the row itself that lambdas range over (through navigation they are not counted). */
function lambdaSections (node: Node, resource: Resource): string[] {
  const found = new Set<string>()
  const walk = (n: Node): void => {
    switch (n.type) {
      case 'lambda': {
        const c = n.collection
        if (c.base === null && c.segments.length === 1 && resource.collectionByName.has(c.segments[0] as string)) found.add(c.segments[0] as string)
        if (n.body !== null) walk(n.body)
        return
      }
      case 'binary': walk(n.left); walk(n.right); return
      case 'unary': walk(n.operand); return
      case 'call': n.args.forEach(walk); return
      case 'path': if (n.base !== null) walk(n.base); return
      case 'literal': return
    }
  }
  walk(node)
  return [...found]
}
