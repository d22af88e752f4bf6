/**
 * A base as the emulator loads it: for each entity set of the schema, its entities in the shape 1C
 * serves them with `$format=json` (onec-odata.md §2.2–2.3) minus `odata.metadata` and navigation links:
 * GUIDs as lowercase strings, dates as `YYYY-MM-DDTHH:mm:ss` without a zone, Int64 (e.g. `LineNumber`)
 * as strings, empty references as zeros, tabular sections as arrays of rows that carry `Ref_Key` and
 * `LineNumber`.
 */
export type Entity = Record<string, unknown>

export interface BaseData {
  /** Keyed by entity-set name, e.g. `Catalog_Партнеры`. Tabular-section sets are derived, never stored. */
  sets: Record<string, Entity[]>
}
