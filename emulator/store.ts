import type { BaseData, Entity } from './data/types.js'
import type { Collation } from './collation.js'
import { normalizeEntity } from './normalize.js'
import type { Resource, ResourceModel } from './resources.js'

/**
 * The emulated infobase, in memory: per main set a Map from key to entity (insertion order is the natural
 * order), tabular rows kept in their owner's arrays. Lookups by Ref_Key are O(1), scans are plain loops, so
 * a list over 300 000 tabular rows stays far under a second (emulator brief, item 12).
 */
export class Store {
  private readonly model: ResourceModel
  private readonly collation: Collation
  private readonly tables = new Map<string, Map<string, Entity>>()
  /** Highest number seen in Code/Number per set, for autonumbering (onec-odata.md §8 "autonumbering"). */
  private readonly counters = new Map<string, number>()
  /** Changes per main set, so that orderings cached for paging know when they are stale. */
  private readonly versions = new Map<string, number>()
  private readonly ordered = new Map<string, { version: number, value: Entity[] }>()
  private readonly positionsBySet = new Map<string, { version: number, value: Map<string, number> }>()

  constructor (model: ResourceModel, data: BaseData, collation: Collation) {
    this.model = model
    this.collation = collation
    for (const resource of model.resources) {
      if (resource.kind === 'TabularSection') continue
      const table = new Map<string, Entity>()
      this.tables.set(resource.name, table)
      const rows = data.sets[resource.name] ?? []
      if (!Array.isArray(rows)) throw new Error(`base data: ${resource.name} must be an array of entities`)
      rows.forEach((raw, index) => {
        const entity = normalizeEntity(resource, raw, `${resource.name}[${index}]`)
        const key = this.keyOf(resource, entity)
        if (table.has(key)) throw new Error(`base data: ${resource.name}[${index}] repeats the key of another entity`)
        table.set(key, entity)
        this.countNumber(resource, entity)
      })
    }
  }

  /** The unique-index key: GUIDs as they are, strings in the DBMS's collation (a case-only difference is a duplicate). */
  keyOf (resource: Resource, values: Entity): string {
    if (resource.key.length === 1 && resource.key[0] === 'Ref_Key') return String(values.Ref_Key)
    return resource.key.map((part) => {
      const value = values[part]
      return typeof value === 'string' ? this.collation.key(value) : String(value)
    }).join('\u0001')
  }

  /** Visits every entity (or tabular row) in natural order until `visit` returns false. */
  scan (resource: Resource, visit: (entity: Entity) => boolean | void): void {
    const main = this.model.mainOf(resource)
    const table = this.table(main)
    if (resource.kind !== 'TabularSection') {
      for (const entity of table.values()) if (visit(entity) === false) return
      return
    }
    const section = (resource.tabularSection as { name: string }).name
    for (const owner of table.values()) {
      const rows = owner[section] as Entity[]
      for (const row of rows) if (visit(row) === false) return
    }
  }

  /**
   * Like scan, limited to the objects with these Ref_Key values (or their tabular rows), in natural order:
   * what a scan would visit of them, read by key as 1C's SQL seeks its clustered index.
   */
  scanRefs (resource: Resource, guids: readonly string[], visit: (entity: Entity) => boolean | void): void {
    const main = this.model.mainOf(resource)
    const table = this.table(main)
    const owners: Entity[] = []
    for (const guid of guids) {
      const owner = table.get(guid)
      if (owner !== undefined) owners.push(owner)
    }
    if (owners.length > 1) {
      const position = this.positions(main)
      owners.sort((a, b) => (position.get(String(a.Ref_Key)) ?? 0) - (position.get(String(b.Ref_Key)) ?? 0))
    }
    const section = resource.kind === 'TabularSection' ? (resource.tabularSection as { name: string }).name : undefined
    for (const owner of owners) {
      if (section === undefined) {
        if (visit(owner) === false) return
        continue
      }
      for (const row of owner[section] as Entity[]) if (visit(row) === false) return
    }
  }

  get (resource: Resource, key: Entity): Entity | undefined {
    if (resource.kind !== 'TabularSection') return this.table(resource).get(this.keyOf(resource, key))
    const owner = this.table(this.model.mainOf(resource)).get(String(key.Ref_Key))
    if (owner === undefined) return undefined
    const rows = owner[(resource.tabularSection as { name: string }).name] as Entity[]
    return rows.find((row) => row.LineNumber === String(key.LineNumber))
  }

  /** The object a reference points to, or undefined for the empty reference and dangling ones. */
  getByRef (setName: string, guid: string): Entity | undefined {
    return this.tables.get(setName)?.get(guid)
  }

  has (resource: Resource, entity: Entity): boolean {
    return this.table(resource).has(this.keyOf(resource, entity))
  }

  /** Adds or replaces the entity stored under the same key. */
  put (resource: Resource, entity: Entity): void {
    this.table(resource).set(this.keyOf(resource, entity), entity)
    this.countNumber(resource, entity)
    this.changed(resource)
  }

  remove (resource: Resource, entity: Entity): void {
    this.table(resource).delete(this.keyOf(resource, entity))
    this.changed(resource)
  }

  /**
   * The entities of a main set in the order `sort` gives, kept until the set changes: a DBMS reads a
   * clustered index in order without sorting the table for every page, and so must the emulator, or a
   * keyset pass over 100 000 objects would spend its time re-sorting them.
   */
  sortedBy (resource: Resource, sort: (rows: Entity[]) => Entity[]): Entity[] {
    return this.untilChanged(this.ordered, resource, () => sort([...this.table(resource).values()]))
  }

  /** Each object's place in natural order, kept until the set changes. */
  private positions (resource: Resource): Map<string, number> {
    return this.untilChanged(this.positionsBySet, resource, () => {
      const positions = new Map<string, number>()
      for (const key of this.table(resource).keys()) positions.set(key, positions.size)
      return positions
    })
  }

  /** What `build` makes of a main set, kept in `cache` until that set changes. */
  private untilChanged<T> (cache: Map<string, { version: number, value: T }>, resource: Resource, build: () => T): T {
    const version = this.versions.get(resource.name) ?? 0
    const cached = cache.get(resource.name)
    if (cached !== undefined && cached.version === version) return cached.value
    const value = build()
    cache.set(resource.name, { version, value })
    return value
  }

  private changed (resource: Resource): void {
    this.versions.set(resource.name, (this.versions.get(resource.name) ?? 0) + 1)
  }

  /** The next autonumber for Code (catalogs) or Number (documents): zero-padded to the field's length. */
  nextNumber (resource: Resource): string {
    const field = resource.fieldByName.get(resource.kind === 'Document' ? 'Number' : 'Code')
    const next = (this.counters.get(resource.name) ?? 0) + 1
    this.counters.set(resource.name, next)
    return String(next).padStart(field?.property.length ?? 9, '0')
  }

  /** Copies of the stored entities (or tabular rows) of a resource. */
  snapshot (resource: Resource): Entity[] {
    const rows: Entity[] = []
    this.scan(resource, (entity) => { rows.push(structuredClone(entity)) })
    return rows
  }

  private table (resource: Resource): Map<string, Entity> {
    const table = this.tables.get(resource.name)
    if (table === undefined) throw new Error(`store: ${resource.name} is not a main set`)
    return table
  }

  private countNumber (resource: Resource, entity: Entity): void {
    const value = entity[resource.kind === 'Document' ? 'Number' : 'Code']
    if (typeof value !== 'string') return
    const digits = /(\d+)\s*$/.exec(value)
    if (digits === null) return
    const n = Number(digits[1])
    if (n > (this.counters.get(resource.name) ?? 0)) this.counters.set(resource.name, n)
  }
}
