import { XMLParser } from 'fast-xml-parser'

/**
 * The parts of a 1C `$metadata` (EDMX, onec-odata.md §1.4) the check needs: the published entity sets
 * (EntityContainer/EntitySet) with the key and the property types of their entity types.
 */
export interface EdmxEntitySet {
  name: string
  /** The entity type without the namespace, e.g. Catalog_Партнеры. */
  type: string
  keys: string[]
  /** Property name → EDM type as written, e.g. `Edm.Guid`, `Collection(StandardODATA.X_RowType)`. */
  properties: Map<string, string>
}

export interface EdmxModel {
  sets: Map<string, EdmxEntitySet>
}

export class EdmxError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'EdmxError'
  }
}

const LISTS = new Set(['Schema', 'EntityType', 'ComplexType', 'Property', 'PropertyRef', 'NavigationProperty', 'EntityContainer', 'EntitySet', 'Association', 'AssociationSet', 'FunctionImport', 'Parameter', 'End', 'EnumType', 'Member'])

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  parseAttributeValue: false,
  parseTagValue: false,
  // `EntityType` is an element and also an attribute of EntitySet: only elements become lists.
  isArray: (name, _path, _leaf, isAttribute) => !isAttribute && LISTS.has(name),
})

type Node = Record<string, unknown>

function nodes (value: unknown): Node[] {
  return Array.isArray(value) ? value.filter((v): v is Node => v !== null && typeof v === 'object') : []
}

function attr (node: Node, name: string): string | undefined {
  const value = node[name]
  return typeof value === 'string' ? value : undefined
}

/** `StandardODATA.Catalog_Партнеры` → `Catalog_Партнеры`. */
export function localTypeName (qualified: string): string {
  const dot = qualified.lastIndexOf('.')
  return dot === -1 ? qualified : qualified.slice(dot + 1)
}

export function parseEdmx (xml: string): EdmxModel {
  let doc: Node
  try {
    doc = parser.parse(xml, true) as Node
  } catch (err) {
    throw new EdmxError(`not well-formed XML: ${(err as Error).message.split('\n')[0] ?? ''}`)
  }
  const edmx = doc.Edmx as Node | undefined
  if (edmx === undefined || typeof edmx !== 'object') throw new EdmxError('no <edmx:Edmx> root element')
  const services = edmx.DataServices as Node | undefined
  if (services === undefined || typeof services !== 'object') throw new EdmxError('no <edmx:DataServices> element')
  const schemas = nodes(services.Schema)
  if (schemas.length === 0) throw new EdmxError('no <Schema> element')

  const types = new Map<string, { keys: string[], properties: Map<string, string> }>()
  let containers = 0
  const declared: Array<{ name: string, type: string }> = []
  for (const schema of schemas) {
    for (const entityType of nodes(schema.EntityType)) {
      const name = attr(entityType, 'Name')
      if (name === undefined) continue
      const key = entityType.Key as Node | undefined
      const keys = nodes(key?.PropertyRef).map(ref => attr(ref, 'Name')).filter((n): n is string => n !== undefined)
      const properties = new Map<string, string>()
      for (const property of nodes(entityType.Property)) {
        const pname = attr(property, 'Name')
        const ptype = attr(property, 'Type')
        if (pname !== undefined && ptype !== undefined) properties.set(pname, ptype)
      }
      types.set(name, { keys, properties })
    }
    for (const container of nodes(schema.EntityContainer)) {
      containers++
      for (const set of nodes(container.EntitySet)) {
        const name = attr(set, 'Name')
        const type = attr(set, 'EntityType')
        if (name !== undefined && type !== undefined) declared.push({ name, type: localTypeName(type) })
      }
    }
  }
  if (containers === 0) throw new EdmxError('no <EntityContainer> element: the document lists no entity sets')

  const sets = new Map<string, EdmxEntitySet>()
  for (const { name, type } of declared) {
    // A set whose entity type is not declared has no properties we could check; it still counts as published.
    const found = types.get(type)
    sets.set(name, { name, type, keys: found?.keys ?? [], properties: found?.properties ?? new Map() })
  }
  return { sets }
}
