import type { Entity } from './data/types.js'
import type { Selection } from './query/select.js'
import type { RenderContext } from './render-context.js'
import type { FieldDef, Resource } from './resources.js'
import { EMPTY_DATE, EMPTY_REF, UNDEFINED_TYPE } from './values.js'

/**
 * Presentation fields, `X____Presentation` and `Presentation`, served only when `$select` asks for them
 * (DOC §17.4.3 "____Presentation", onec-odata.md §1.4). The value is what Представление() gives: a
 * catalog's description, "<synonym> <number> от <date>" for a document, Да/Нет, dd.MM.yyyy H:mm:ss dates.
 * The schema has no synonyms, so a document's synonym is derived from its name the way the Designer
 * proposes one ("ТелефонныйЗвонок" → "Телефонный звонок").
 */

export const PRESENTATION_SUFFIX = '____Presentation'

/** The presentation field names a resource offers: references by their attribute name, other attributes as they are. */
export function presentableFields (resource: Resource): Map<string, FieldDef> {
  const out = new Map<string, FieldDef>()
  for (const field of resource.fields) {
    if (field.role !== 'value' || resource.key.includes(field.name)) continue
    const reference = resource.references.find((r) => r.keyField === field.name)
    if (reference !== undefined) out.set(reference.navigation, field)
    else if (!field.name.endsWith('_Key')) out.set(field.name, field)
  }
  return out
}

/** The presentation properties a selection asks for, in field order, then `Presentation`. */
export function presentations (resource: Resource, entity: Entity, ctx: RenderContext, selection: Selection): [string, string][] {
  const out: [string, string][] = []
  if (!selection.presenting) return out
  for (const [name, field] of presentableFields(resource)) {
    if (selection.presentation(name)) out.push([`${name}${PRESENTATION_SUFFIX}`, presentField(resource, field, entity, ctx)])
  }
  if (selection.ownPresentation) out.push(['Presentation', presentEntity(resource, entity)])
  return out
}

export function presentField (resource: Resource, field: FieldDef, entity: Entity, ctx: RenderContext): string {
  const value = entity[field.name]
  const reference = resource.references.find((r) => r.keyField === field.name)
  if (reference !== undefined) return presentReference(reference.target, value, ctx)
  if (field.property.composite !== undefined) {
    const type = entity[`${field.name}_Type`]
    if (type === UNDEFINED_TYPE || typeof type !== 'string') return ''
    if (type.startsWith('StandardODATA.')) return presentReference(type.slice('StandardODATA.'.length), value, ctx)
    return presentPrimitive(type, value)
  }
  return presentPrimitive(field.type, value)
}

export function presentEntity (resource: Resource, entity: Entity): string {
  if (resource.kind === 'Document') {
    return `${synonymOf(resource.objectName)} ${String(entity.Number ?? '').trim()} от ${formatDate(String(entity.Date ?? EMPTY_DATE))}`
  }
  const description = entity.Description
  if (typeof description === 'string' && description !== '') return description
  return typeof entity.Code === 'string' ? entity.Code : ''
}

function presentReference (set: string, guid: unknown, ctx: RenderContext): string {
  if (typeof guid !== 'string' || guid === EMPTY_REF || guid === '') return ''
  const target = ctx.store.getByRef(set, guid)
  const resource = ctx.publication.resolve(set)
  // 1C shows a dangling reference this way, with the ref of the navigation link (onec-odata.md §9).
  if (target === undefined || resource === undefined) return `<Объект не найден> (${guid})`
  return presentEntity(resource, target)
}

function presentPrimitive (type: string, value: unknown): string {
  if (value === null || value === undefined) return ''
  if (type === 'Edm.Boolean') return value === true ? 'Да' : 'Нет'
  if (type === 'Edm.DateTime') return value === EMPTY_DATE ? '' : formatDate(String(value))
  return String(value)
}

function formatDate (text: string): string {
  if (text === EMPTY_DATE) return ''
  const [date = '', time = ''] = text.split('T')
  const [year, month, day] = date.split('-')
  const [hour = '0', minute = '00', second = '00'] = time.split(':')
  return `${day ?? ''}.${month ?? ''}.${year ?? ''} ${Number(hour)}:${minute}:${second}`
}

function synonymOf (name: string): string {
  return name.replace(/(?<=[а-яёa-z0-9])([А-ЯЁA-Z])/gu, (letter: string) => ` ${letter.toLowerCase()}`)
}
