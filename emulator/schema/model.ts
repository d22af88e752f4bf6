/**
 * How the emulator describes a configuration's metadata. From this one description it derives
 * `$metadata`, the service document, JSON/Atom serialisation, key parsing and write validation,
 * the way 1C derives all of them from the configuration (onec-odata.md §1).
 */
export type EdmType =
  | 'Edm.String'
  | 'Edm.Guid'
  | 'Edm.Boolean'
  | 'Edm.DateTime'
  | 'Edm.Int16'
  | 'Edm.Int32'
  | 'Edm.Int64'
  | 'Edm.Double'

export interface PropertyDef {
  name: string
  type: EdmType
  /** `Nullable` in $metadata; defaults to true, key parts are false. */
  nullable?: boolean
  /** 1C string length. Absent means unlimited; 1C cannot compare unlimited strings in a query. */
  length?: number
  /** Fixed-length strings are served padded with spaces (onec-odata.md §2.3). */
  fixed?: boolean
  /** For a reference attribute `X_Key`: the entity set of the target. */
  ref?: string
  /** For a composite attribute `X` (served with `X_Type`): the entity sets its value may belong to. */
  composite?: string[]
  /** For an enum attribute (Edm.String holding the member name): the enum's name. */
  enumName?: string
  /** 1C keeps an index on it (dimensions, Ref_Key, Owner, Parent, indexed attributes): the cost model's cheap path. */
  indexed?: boolean
  /** The platform fills it; a write may not set it (DataVersion, LineNumber of a new row is recomputed). */
  readOnly?: boolean
}

export interface TabularSectionDef {
  name: string
  /** Row attributes, not counting `Ref_Key` and `LineNumber`, which every row has. */
  properties: PropertyDef[]
}

export type ObjectKind = 'Catalog' | 'Document' | 'InformationRegister'

export interface EntitySetDef {
  /** OData name, `Prefix_ObjectName` (onec-odata.md §1.1). */
  name: string
  kind: ObjectKind
  /** Key parts in order: `Ref_Key` for objects, the dimensions for an independent register. */
  key: string[]
  /** All properties in $metadata order, standard ones included. */
  properties: PropertyDef[]
  tabularSections: TabularSectionDef[]
}

export interface EnumDef {
  name: string
  members: string[]
}

export interface ConfigurationSchema {
  /** The configuration's name, e.g. "УправлениеТорговлей". */
  name: string
  sets: EntitySetDef[]
  enums: EnumDef[]
}
