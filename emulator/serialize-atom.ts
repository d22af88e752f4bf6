import type { Entity } from './data/types.js'
import { formatKey } from './keys.js'
import { SELECT_ALL, type Selection } from './query/select.js'
import { presentations } from './presentation.js'
import { linkedNavigations, type RenderContext } from './render-context.js'
import type { ReferenceDef, Resource } from './resources.js'
import { formatLocalDateTime } from './values.js'
import { ATOM_NS, DATA_NS, METADATA_NS, XML_DECLARATION, escapeXml } from './xml.js'

/**
 * Atom/XML, 1C's default representation (onec-odata.md §2.1), shaped after the real entry in
 * fixtures/onec/odinesnik_Catalog_Контрагенты_element.atom.xml: category `StandardODATA.<Set>`, related links,
 * an `edit-link`, `m:properties` without `m:type` on primitives, tabular sections as typed collections.
 * A feed carries `<m:count>` after the entries, as in the DOC example of $inlinecount (§17.4.6.2).
 */

export interface AtomShape {
  selection: Selection
  expand: ReferenceDef[]
}

const SCHEME = 'http://schemas.microsoft.com/ado/2007/08/dataservices/scheme'
const RELATED = 'http://schemas.microsoft.com/ado/2007/08/dataservices/related/'
const NAMESPACES = `xmlns="${ATOM_NS}" xmlns:d="${DATA_NS}" xmlns:m="${METADATA_NS}"`
const FEED_NAMESPACES = `xmlns="${ATOM_NS}" xmlns:at="http://purl.org/atompub/tombstones/1.0" xmlns:d="${DATA_NS}" xmlns:m="${METADATA_NS}"`

export function atomFeed (resource: Resource, rows: Entity[], ctx: RenderContext, shape: AtomShape, count?: number): string {
  const parts = [
    XML_DECLARATION,
    `<feed ${FEED_NAMESPACES} xml:base="${escapeXml(ctx.root)}/">`,
    `<id>${escapeXml(`${ctx.root}/${resource.name}`)}</id>`,
    `<title type="text">${escapeXml(resource.name)}</title>`,
    `<updated>${formatLocalDateTime(new Date())}</updated>`,
    '<author/>',
    `<link rel="self" href="${escapeXml(resource.name)}" title="${escapeXml(resource.name)}"/>`,
  ]
  for (const row of rows) parts.push(entry(resource, row, ctx, shape, ''))
  if (count !== undefined) parts.push(`<m:count>${count}</m:count>`)
  parts.push('</feed>')
  return parts.join('\n')
}

export function atomEntry (resource: Resource, entity: Entity, ctx: RenderContext, selection: Selection): string {
  return `${XML_DECLARATION}${entry(resource, entity, ctx, { selection, expand: [] }, ` ${NAMESPACES} xml:base="${escapeXml(ctx.root)}/"`)}`
}

/** A single property (`Set(key)/Property`) as an XML document. */
export function xmlProperty (name: string, value: unknown): string {
  return `${XML_DECLARATION}\n${property(name, value, ` xmlns:d="${DATA_NS}" xmlns:m="${METADATA_NS}"`)}`
}

/** Atom service document; the workspace is empty when nothing is published (onec-odata.md §2.2 [3P]). */
export function atomServiceDocument (resources: Resource[], ctx: RenderContext): string {
  const collections = resources.map((r) => `<collection href="${escapeXml(r.name)}"><atom:title>${escapeXml(r.name)}</atom:title></collection>`)
  return [
    XML_DECLARATION,
    `<service xmlns="http://www.w3.org/2007/app" xmlns:atom="${ATOM_NS}" xml:base="${escapeXml(ctx.root)}/">`,
    '<workspace>',
    '<atom:title>Default</atom:title>',
    ...collections,
    '</workspace>',
    '</service>',
  ].join('\n')
}

function entry (resource: Resource, entity: Entity, ctx: RenderContext, shape: AtomShape, namespaces: string): string {
  const path = `${resource.name}${formatKey(resource, entity)}`
  const parts = [
    `<entry${namespaces}>`,
    `\t<id>${escapeXml(`${ctx.root}/${path}`)}</id>`,
    `\t<category term="StandardODATA.${escapeXml(resource.name)}" scheme="${SCHEME}"/>`,
    '\t<title type="text"/>',
    `\t<updated>${formatLocalDateTime(new Date())}</updated>`,
    '\t<author/>',
    '\t<summary/>',
  ]
  for (const nav of linkedNavigations(resource, entity, ctx)) {
    const expanded = shape.expand.includes(nav)
    if (!expanded && !shape.selection.navigation(nav.navigation)) continue
    const link = `\t<link rel="${RELATED}${escapeXml(nav.navigation)}" href="${escapeXml(`${path}/${nav.navigation}`)}" type="application/atom+xml;type=entry;charset=utf-8" title="${escapeXml(nav.navigation)}"`
    if (!expanded) { parts.push(`${link}/>`); continue }
    const target = ctx.publication.resolve(nav.target)
    const related = ctx.store.getByRef(nav.target, String(entity[nav.keyField]))
    parts.push(`${link}><m:inline>${target === undefined || related === undefined ? '' : entry(target, related, ctx, { selection: SELECT_ALL, expand: [] }, '')}</m:inline></link>`)
  }
  parts.push(`\t<link rel="edit" href="${escapeXml(path)}" title="edit-link"/>`)
  parts.push(`\t<content type="application/xml"><m:properties xmlns:d="${DATA_NS}" xmlns:m="${METADATA_NS}">`)
  for (const field of resource.fields) {
    if (shape.selection.field(field.name) && field.name in entity) parts.push(`\t${property(field.name, entity[field.name])}`)
  }
  for (const [name, text] of presentations(resource, entity, ctx, shape.selection)) parts.push(`\t${property(name, text)}`)
  for (const collection of resource.collections) {
    const rowFields = shape.selection.collection(collection.name)
    if (rowFields === undefined) continue
    const type = `StandardODATA.${escapeXml(collection.rowTypeName)}`
    const rows = entity[collection.name] as Entity[]
    if (rows.length === 0) { parts.push(`\t<d:${collection.name} m:type="Collection(${type})"/>`); continue }
    parts.push(`\t<d:${collection.name} m:type="Collection(${type})">`)
    for (const row of rows) {
      parts.push(`\t\t<d:element m:type="${type}">`)
      for (const field of collection.resource.fields) {
        if (field.name === 'Ref_Key' && !ctx.settings.embeddedRowRefKey) continue
        if (rowFields(field.name)) parts.push(`\t\t\t${property(field.name, row[field.name])}`)
      }
      parts.push('\t\t</d:element>')
    }
    parts.push(`\t</d:${collection.name}>`)
  }
  parts.push('</m:properties>', '\t</content>', '</entry>')
  return parts.join('\n')
}

function property (name: string, value: unknown, namespaces = ''): string {
  if (value === null || value === undefined) return `<d:${name}${namespaces} m:null="true"/>`
  const text = String(value)
  return text === '' ? `<d:${name}${namespaces}/>` : `<d:${name}${namespaces}>${escapeXml(text)}</d:${name}>`
}

