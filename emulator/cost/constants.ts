/**
 * The emulator's cost model: what a real 1C:Enterprise 8.3 base on a SQL DBMS would spend on an OData
 * request, charged as an awaited delay while the request holds its infobase session. All constants live
 * here. None of them is measured on a real base (peers.md §3.4 leaves "is endswith on НомерТелефона
 * efficient?" to measurement): each is an order-of-magnitude estimate of what 1C turns the request into,
 * picked at the CHEAP end of its range, so that a benchmark against the model understates, never
 * overstates, what the proxy's own phone index saves. Every one can be set by a flag (options.ts) or by
 * `EmulatorOptions.costModel` / `controls.setCostModel()`.
 *
 * The access paths charged (plan.ts decides which one a query gets, charge.ts adds it up):
 * - `seek`: equality on the leading column of the clustered index (`Set(guid'…')`, `Ref_Key eq guid'…'`,
 *   an `or` of those, a register's dimension): one B-tree descent per key, then the few rows under it.
 * - `range`: a comparison, equality or constant prefix on an indexed column (schema `indexed: true`):
 *   one descent, then the rows in the range. Through a secondary index every row also costs a lookup
 *   into the clustered index, so a range over a large share of the table costs more than a scan, and the
 *   model, like a DBMS optimizer, then takes the scan.
 * - `scan`: everything else, `endswith`/`substringof`/`like '%…'`, `any`/`all` over tabular sections,
 *   functions on columns, `ne`/`not`, `or` with a non-indexed branch: every row of the table is read and
 *   tested. A tabular-section set is its own SQL table holding the rows of every owner, so a phone
 *   lookup reads every contact-information row of the base.
 */
export interface CostModel {
  /** Per OData request, in ms. */
  baseMs: number
  /** Per index descent (per key of a key lookup, per range), in ms. */
  seekMs: number
  /** Per row read in clustered-index order (scans, clustered ranges, rows under a key), in µs. */
  scanUsPerRow: number
  /** Per row read through a secondary index, on top of scanUsPerRow: the lookup into the clustered index, in µs. */
  indexUsPerRow: number
  /** Per row dropped by `$skip`, on top of reading it, in µs. */
  skipUsPerRow: number
  /** Per row sorted when `$orderby` is not the order of the access path, in µs. */
  sortUsPerRow: number
  /** Per entity returned (serialisation), in µs. */
  rowUs: number
  /** Per tabular-section row returned inside its owner (serialisation), in µs. */
  tabularRowUs: number
}

export const DEFAULT_COST_MODEL: Readonly<CostModel> = Object.freeze({
  // The fixed work of one request in 1C: the web-server extension hands it to rphost, a pooled session is
  // attached, the URL is resolved against the configuration's metadata, rights are checked, the OData
  // request becomes a 1C query and then SQL (one DBMS round trip), and the answer is serialised. Light
  // OData reads of real bases are usually reported at 5–20 ms; 3 ms is the floor of that.
  baseMs: 3,
  // A B-tree descent of 3–4 levels through cached pages costs tens of µs in SQL Server or PostgreSQL;
  // 1C adds per-key work (an object read by key also reads each of its tabular sections, each a range
  // on that section's table by the owner's reference). 0.1 ms per key.
  seekMs: 0.1,
  // A clustered-index scan reads 50–200 rows per 8 KB page from the buffer cache and tests each against
  // the predicate; `LIKE '%…'` with a leading wildcard, the SQL 1C makes of endswith/substringof/like
  // (no index can serve it), costs roughly 0.5–2 µs per row under 1C's case-insensitive collations.
  // 1 µs: 300 000 contact-information rows → 0.3 s per phone lookup, the cheap end.
  scanUsPerRow: 1,
  // A row reached through a non-covering secondary index costs, besides reading it, a lookup (a seek) into
  // the clustered index: a few µs more. 4 µs (5 µs a row in all) puts the scan/index tipping point at 20 %
  // of the table, the order of magnitude at which real optimizers give up on a secondary index. So
  // `Тип eq 'Телефон'` (indexed in UT 11, but most rows are phones) is a scan, `Owner_Key eq guid'…'` a range.
  indexUsPerRow: 4,
  // 1C's query language has no OFFSET: to skip N rows they are read anyway (ВЫБРАТЬ ПЕРВЫЕ skip+top) and
  // the first N thrown away; whether 1C pushes $skip down into the SQL or drops the rows in rphost is not
  // documented (onec-odata.md §3.2). Either way each skipped row is read (charged by the access path) and
  // then handed on and discarded: 2 µs more per row, so page K of a skip-paged read costs O(K) rows.
  skipUsPerRow: 2,
  // An in-memory sort of n rows is n·log n comparisons; at 10³–10⁶ rows that is 0.2–1 µs per row.
  sortUsPerRow: 0.5,
  // 1C builds each returned entity through its XDTO serialiser (JSON or Atom): real list reads come out at
  // a few thousand entities per second and less; 20 µs per entity is the cheap end.
  rowUs: 20,
  // A row of a tabular section returned inside its owner: fewer properties, same serialiser.
  tabularRowUs: 5,
})

/** The names of the constants, in the order flags and messages list them. */
export const COST_MODEL_KEYS = Object.freeze(Object.keys(DEFAULT_COST_MODEL)) as readonly (keyof CostModel)[]
