import type { Entity } from './data/types.js'
import type { JsonMetadata } from './format.js'
import { formatKey } from './keys.js'
import { SELECT_ALL, type Selection } from './query/select.js'
import { presentations } from './presentation.js'
import { linkedNavigations, type RenderContext } from './render-context.js'
import type { ReferenceDef, Resource } from './resources.js'

/**
 * JSON in 1C's shapes (onec-odata.md §2.2, fixtures/onec/*.json): `odata.metadata` ending with `#Set` for
 * collections and `#Set/@Element` for one entity, `value`, `odata.count` as a string, tabular sections as
 * arrays, relative `X@navigationLinkUrl` links after the properties. Values are stored in this shape
 * already (Int64 as strings, empty references as zeros), so serialising is picking properties.
 */

export interface JsonShape {
  metadata: JsonMetadata
  selection: Selection
  expand: ReferenceDef[]
}

export function jsonCollection (resource: Resource, rows: Entity[], ctx: RenderContext, shape: JsonShape, count?: number): string {
  const body: Record<string, unknown> = {}
  if (shape.metadata !== 'none') body['odata.metadata'] = `${ctx.root}/$metadata#${resource.name}`
  if (count !== undefined) body['odata.count'] = String(count)
  body.value = rows.map((row) => entityObject(resource, row, ctx, shape))
  return JSON.stringify(body)
}

export function jsonEntity (resource: Resource, entity: Entity, ctx: RenderContext, shape: JsonShape): string {
  const head: Record<string, unknown> = shape.metadata === 'none' ? {} : { 'odata.metadata': `${ctx.root}/$metadata#${resource.name}/@Element` }
  return JSON.stringify({ ...head, ...entityObject(resource, entity, ctx, shape) })
}

/** A single property (`Set(key)/Property`), in OData v3 JSON light's `value` wrapper. */
export function jsonProperty (typeName: string, value: unknown, ctx: RenderContext, metadata: JsonMetadata): string {
  const head: Record<string, unknown> = metadata === 'none' ? {} : { 'odata.metadata': `${ctx.root}/$metadata#${typeName}` }
  return JSON.stringify({ ...head, value })
}

/** Service document (onec-odata.md §2.2, fixtures/onec/moon_service_document.json). */
export function jsonServiceDocument (resources: Resource[], ctx: RenderContext): string {
  return JSON.stringify({ 'odata.metadata': ctx.root, value: resources.map((r) => ({ name: r.name, url: r.name })) })
}

function entityObject (resource: Resource, entity: Entity, ctx: RenderContext, shape: JsonShape): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  const path = `${resource.name}${formatKey(resource, entity)}`
  if (shape.metadata === 'full') {
    out['odata.type'] = `StandardODATA.${resource.name}`
    out['odata.id'] = `${ctx.root}/${path}`
    out['odata.editLink'] = path
  }
  for (const field of resource.fields) {
    if (shape.selection.field(field.name) && field.name in entity) out[field.name] = entity[field.name]
  }
  for (const [name, text] of presentations(resource, entity, ctx, shape.selection)) out[name] = text
  for (const collection of resource.collections) {
    const rowFields = shape.selection.collection(collection.name)
    if (rowFields === undefined) continue
    const rows = entity[collection.name] as Entity[]
    out[collection.name] = rows.map((row) => {
      const rowOut: Record<string, unknown> = {}
      for (const field of collection.resource.fields) {
        if (field.name === 'Ref_Key' && !ctx.settings.embeddedRowRefKey) continue
        if (rowFields(field.name)) rowOut[field.name] = row[field.name]
      }
      return rowOut
    })
  }
  const links = shape.metadata !== 'none' || ctx.settings.navigationLinksInNoMetadata
  for (const nav of linkedNavigations(resource, entity, ctx)) {
    if (!shape.selection.navigation(nav.navigation)) continue
    if (shape.expand.includes(nav)) continue
    if (links) out[`${nav.navigation}@navigationLinkUrl`] = `${path}/${nav.navigation}`
  }
  for (const nav of shape.expand) {
    const target = ctx.publication.resolve(nav.target)
    const related = ctx.store.getByRef(nav.target, String(entity[nav.keyField]))
    out[nav.navigation] = target === undefined || related === undefined
      ? null
      : entityObject(target, related, ctx, { metadata: shape.metadata, selection: SELECT_ALL, expand: [] })
  }
  return out
}
