import type { CostModel } from './constants.js'
import { servesOrder, type AccessPath, type QueryShape } from './plan.js'

/**
 * The cost of reading a set, from the query's shape (plan.ts) and the row counts of the emulator's own
 * in-memory pass over the same rows. Like a DBMS optimizer with exact statistics, it prices each access
 * the filter admits and the scan, and takes the cheapest; a key lookup (seek) is always taken when there
 * is one, and a range of the clustered index is always preferred to the scan.
 */

/** What the in-memory pass saw. Counts stop where the pass stopped (a page filled without $orderby), as SQL's TOP does. */
export interface ScanCounts {
  /** Rows tested against $filter. */
  visited: number
  /** Rows of the lambdas' tabular sections under the visited rows. */
  visitedLambdaRows: number
  /** Rows that matched $filter. */
  matched: number
  /** Per access of the shape: visited rows satisfying its condition, and their lambda rows. */
  accessRows: number[]
  accessLambdaRows: number[]
}

export interface AccessCharge {
  path: AccessPath
  us: number
  seeks: number
  /** Rows read (tabular rows read by lambdas included). */
  read: number
  sorted: number
}

/**
 * `needed`: rows the query must produce in order before it can stop, $skip + $top (Infinity without $top,
 * for $count and $inlinecount). When the access path yields rows in $orderby's order, SQL stops reading
 * after `needed` matches, so only that share of the rows it would otherwise read is charged.
 */
export function chargeAccess (shape: QueryShape, counts: ScanCounts, needed: number, model: CostModel): AccessCharge {
  const ordered = shape.orderBy !== undefined
  const price = (order: string[], rows: number, lambdaRows: number, rate: number, seeks: number): Omit<AccessCharge, 'path'> => {
    const served = servesOrder(order, shape.orderBy)
    const share = ordered && served && counts.matched > needed ? needed / counts.matched : 1
    const read = Math.ceil(rows * share)
    const lambdaRead = Math.ceil(lambdaRows * share)
    const sorted = ordered && !served ? counts.matched : 0
    return {
      us: seeks * model.seekMs * 1000 + read * rate + lambdaRead * model.scanUsPerRow + sorted * model.sortUsPerRow,
      seeks,
      read: read + lambdaRead,
      sorted,
    }
  }
  const options: AccessCharge[] = shape.accesses.map((access, i) => ({
    path: access.kind,
    ...price(access.order, counts.accessRows[i] ?? 0, counts.accessLambdaRows[i] ?? 0,
      access.clustered ? model.scanUsPerRow : model.scanUsPerRow + model.indexUsPerRow, access.seeks),
  }))
  const seeks = options.filter((o) => o.path === 'seek')
  if (seeks.length > 0) return cheapest(seeks)
  // A range of the clustered index is a scan that starts and stops in the right place: never worse than
  // the scan, whose price assumes matches spread evenly, which a range on the scan's own order is not.
  if (shape.accesses.some((access) => access.clustered)) return cheapest(options)
  return cheapest([...options, { path: 'scan', ...price(shape.clusteredOrder, counts.visited, counts.visitedLambdaRows, model.scanUsPerRow, 0) }])
}

function cheapest (options: AccessCharge[]): AccessCharge {
  return options.reduce((best, option) => (option.us < best.us ? option : best))
}
