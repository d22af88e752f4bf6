import type { ConfigurationSchema, EdmType, EntitySetDef, ObjectKind, PropertyDef, TabularSectionDef } from './schema/model.js'

/**
 * The addressable resources derived from a configuration schema, the way 1C derives them
 * (onec-odata.md §1.3–1.5): each main set, and one read-only set per tabular section
 * (`Catalog_X_TS`, key Ref_Key + LineNumber).
 */

export type ResourceKind = ObjectKind | 'TabularSection'

/** One served property. A composite attribute `X` gives two: `X` (value) and `X_Type` (type). */
export interface FieldDef {
  name: string
  type: EdmType
  nullable: boolean
  /** The schema attribute behind it; for `X_Type` the composite attribute `X`. */
  property: PropertyDef
  role: 'value' | 'type'
}

export interface CollectionDef {
  /** The tabular section's name, the array property of the owner. */
  name: string
  /** `<Set>_<TS>_RowType` (onec-odata.md §1.3). */
  rowTypeName: string
  resource: Resource
}

/** A reference attribute `X_Key` whose target set is known: a navigation property `X` when the target is published. */
export interface ReferenceDef {
  navigation: string
  keyField: string
  target: string
}

export interface Resource {
  name: string
  kind: ResourceKind
  /** The object's name without prefix, as 1C names it in messages (`Партнеры`, `Партнеры.КонтактнаяИнформация`). */
  objectName: string
  /** The main set itself, or the owner of a tabular section. */
  set: EntitySetDef
  tabularSection: TabularSectionDef | undefined
  key: string[]
  fields: FieldDef[]
  fieldByName: Map<string, FieldDef>
  collections: CollectionDef[]
  collectionByName: Map<string, CollectionDef>
  references: ReferenceDef[]
  /** A key part is composite: `OpenType="true"` in real metadata (onec-odata.md §1.4). */
  openType: boolean
}

const rowKeyFields: PropertyDef[] = [
  { name: 'Ref_Key', type: 'Edm.Guid', nullable: false, indexed: true },
  { name: 'LineNumber', type: 'Edm.Int64', nullable: false, readOnly: true },
]

/** Fields in $metadata order: attributes, then the `_Type` of each composite (as in the real UT EDMX). */
function fieldsOf (properties: PropertyDef[], key: string[]): FieldDef[] {
  const values: FieldDef[] = []
  const types: FieldDef[] = []
  for (const property of properties) {
    const nullable = key.includes(property.name) ? false : property.nullable ?? true
    values.push({ name: property.name, type: property.type, nullable, property, role: 'value' })
    if (property.composite !== undefined) {
      types.push({ name: `${property.name}_Type`, type: 'Edm.String', nullable, property, role: 'type' })
    }
  }
  return [...values, ...types]
}

/**
 * `Parent_Key` of a hierarchical catalog always points into the catalog itself, a platform rule rather than a
 * configuration choice, so it is a reference even where the schema does not say so (real EDMX:
 * `Catalog_ФизическиеЛица_Parent`, onec-odata.md §1.4).
 */
function referencesOf (properties: PropertyDef[], hierarchyOf?: string): ReferenceDef[] {
  const refs: ReferenceDef[] = []
  for (const p of properties) {
    const target = p.ref ?? (p.name === 'Parent_Key' ? hierarchyOf : undefined)
    if (target === undefined || p.type !== 'Edm.Guid' || !p.name.endsWith('_Key')) continue
    refs.push({ navigation: p.name.slice(0, -'_Key'.length), keyField: p.name, target })
  }
  return refs
}

function objectNameOf (setName: string): string {
  const underscore = setName.indexOf('_')
  return underscore === -1 ? setName : setName.slice(underscore + 1)
}

function makeResource (set: EntitySetDef, ts?: TabularSectionDef): Resource {
  const properties = ts === undefined ? set.properties : [...rowKeyFields, ...ts.properties]
  const key = ts === undefined ? set.key : ['Ref_Key', 'LineNumber']
  const fields = fieldsOf(properties, key)
  return {
    name: ts === undefined ? set.name : `${set.name}_${ts.name}`,
    kind: ts === undefined ? set.kind : 'TabularSection',
    objectName: ts === undefined ? objectNameOf(set.name) : `${objectNameOf(set.name)}.${ts.name}`,
    set,
    tabularSection: ts,
    key,
    fields,
    fieldByName: new Map(fields.map((f) => [f.name, f])),
    collections: [],
    collectionByName: new Map(),
    references: referencesOf(properties, ts === undefined && set.kind === 'Catalog' ? set.name : undefined),
    openType: properties.some((p) => key.includes(p.name) && p.composite !== undefined),
  }
}

export class ResourceModel {
  readonly schema: ConfigurationSchema
  /** Schema order; each main set is followed by its tabular-section sets. */
  readonly resources: Resource[] = []
  readonly enums: Map<string, Set<string>>
  private readonly byName = new Map<string, Resource>()

  constructor (schema: ConfigurationSchema) {
    this.schema = schema
    this.enums = new Map(schema.enums.map((e) => [e.name, new Set(e.members)]))
    for (const set of schema.sets) {
      const main = makeResource(set)
      this.add(main)
      for (const ts of set.tabularSections) {
        const rows = makeResource(set, ts)
        main.collections.push({ name: ts.name, rowTypeName: `${rows.name}_RowType`, resource: rows })
        this.add(rows)
      }
      main.collectionByName = new Map(main.collections.map((c) => [c.name, c]))
    }
  }

  get (name: string): Resource | undefined {
    return this.byName.get(name)
  }

  /** The main set a resource belongs to: itself, or the owner of a tabular section. */
  mainOf (resource: Resource): Resource {
    return resource.kind === 'TabularSection' ? this.byName.get(resource.set.name) as Resource : resource
  }

  private add (resource: Resource): void {
    if (this.byName.has(resource.name)) throw new Error(`schema: two resources are named ${resource.name}`)
    this.resources.push(resource)
    this.byName.set(resource.name, resource)
  }
}
