import type { Entity } from './data/types.js'
import { internalError, invalidPropertyValue } from './errors.js'
import type { CollectionDef, FieldDef, Resource, ResourceModel } from './resources.js'
import type { Settings } from './settings.js'
import { EMPTY_REF, UNDEFINED_TYPE, emptyValue, isGuid, padFixed, parseDateTime } from './values.js'

/**
 * Applies a JSON write body to an entity (onec-odata.md §4.1–4.2): known properties are type-checked
 * against the schema (code 4 on a bad value), unknown ones ignored, platform-filled ones (DataVersion,
 * Predefined, …) ignored, `Имя@odata.bind` sets a reference, a tabular section replaces the whole section.
 */

export interface WriteValuesContext {
  model: ResourceModel
  settings: Settings
}

const INT_RANGES: Record<string, [number, number]> = { 'Edm.Int16': [-32768, 32767], 'Edm.Int32': [-2147483648, 2147483647] }

export function applyBody (resource: Resource, target: Entity, body: Record<string, unknown>, ctx: WriteValuesContext, isNew: boolean): void {
  const composites = new Set<string>()
  for (const [name, value] of Object.entries(body)) {
    if (name.startsWith('odata.')) continue
    const at = name.indexOf('@')
    if (at !== -1) {
      if (name.slice(at + 1) === 'odata.bind') bindReference(resource, target, name.slice(0, at), value)
      continue
    }
    const field = resource.fieldByName.get(name)
    if (field === undefined) {
      const collection = resource.collectionByName.get(name)
      if (collection !== undefined) target[name] = rowsOf(collection, value, ctx)
      continue
    }
    if (field.property.readOnly === true) continue
    if (!isNew && resource.key.includes(field.property.name)) continue
    if (field.property.composite !== undefined) { composites.add(field.property.name); continue }
    target[name] = coerceValue(field, value, ctx)
  }
  for (const name of composites) applyComposite(resource, target, body, name, ctx)
  // Rows carry the owner's reference, which a new object may only have got from this body.
  for (const collection of resource.collections) {
    for (const row of target[collection.name] as Entity[]) row.Ref_Key = target.Ref_Key
  }
}

export function coerceValue (field: FieldDef, value: unknown, ctx: WriteValuesContext): unknown {
  if (value === null) return emptyValue(field.type, field.property)
  const bad = (detail: string): never => { throw invalidPropertyValue(field.name, detail) }
  switch (field.type) {
    case 'Edm.String': {
      if (typeof value !== 'string') return bad('ожидается строка')
      const enumName = field.property.enumName
      if (enumName !== undefined) {
        const members = ctx.model.enums.get(enumName)
        if (value !== '' && members !== undefined && !members.has(value)) return bad(`нет значения перечисления ${enumName}.${value}`)
        return value
      }
      const length = field.property.length
      if (length !== undefined && value.length > length) {
        if (ctx.settings.longStrings === 'error') return bad(`длина строки больше ${length}`)
        return padFixed(value.slice(0, length), field.property)
      }
      return padFixed(value, field.property)
    }
    case 'Edm.Guid':
      return typeof value === 'string' && isGuid(value) ? value.toLowerCase() : bad('ожидается уникальный идентификатор')
    case 'Edm.Boolean':
      return typeof value === 'boolean' ? value : bad('ожидается true или false')
    case 'Edm.DateTime':
      return (typeof value === 'string' ? parseDateTime(value) : undefined) ?? bad('ожидается дата вида ГГГГ-ММ-ДДTчч:мм:сс')
    case 'Edm.Int64':
      if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value)
      return typeof value === 'string' && /^-?\d{1,19}$/.test(value) ? String(BigInt(value)) : bad('ожидается целое число')
    case 'Edm.Int16':
    case 'Edm.Int32': {
      const [min, max] = INT_RANGES[field.type] as [number, number]
      return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? value : bad('ожидается целое число')
    }
    case 'Edm.Double':
      return typeof value === 'number' && Number.isFinite(value) ? value : bad('ожидается число')
  }
}

/** `X` and `X_Type` of a composite (DOC §17.4.3 "Type"): a GUID with `StandardODATA.<Set>`, or Неопределено. */
function applyComposite (resource: Resource, target: Entity, body: Record<string, unknown>, name: string, ctx: WriteValuesContext): void {
  const field = resource.fieldByName.get(name) as FieldDef
  const allowed = field.property.composite ?? []
  const typeName = `${name}_Type`
  const givenType = typeName in body ? body[typeName] : target[typeName]
  const value = name in body ? body[name] : target[name]
  if (givenType !== null && givenType !== undefined && typeof givenType !== 'string') throw invalidPropertyValue(typeName, 'ожидается имя типа')
  let type = givenType === null || givenType === undefined || givenType === '' ? UNDEFINED_TYPE : givenType
  if (!type.includes('.')) type = `StandardODATA.${type}`
  if (type === UNDEFINED_TYPE && typeof value === 'string' && isGuid(value) && value !== EMPTY_REF && allowed.length === 1) {
    type = `StandardODATA.${allowed[0] as string}`
  }
  if (type === UNDEFINED_TYPE) {
    if (value !== '' && value !== null && value !== undefined && value !== EMPTY_REF) throw invalidPropertyValue(typeName, `не указан тип значения "${name}"`)
    target[name] = ''
    target[typeName] = UNDEFINED_TYPE
    return
  }
  if (type.startsWith('StandardODATA.')) {
    const set = type.slice('StandardODATA.'.length)
    const known = ctx.model.get(set)
    if (known === undefined || known.kind === 'TabularSection' || (allowed.length > 0 && !allowed.includes(set))) {
      throw invalidPropertyValue(typeName, `тип ${type} недопустим`)
    }
    if (typeof value !== 'string' || !isGuid(value)) throw invalidPropertyValue(name, 'ожидается уникальный идентификатор')
    target[name] = value.toLowerCase()
    target[typeName] = type
    return
  }
  // A primitive in a composite of any type (e.g. ДополнительныеРеквизиты.Значение).
  const primitives: Record<string, string> = { 'Edm.String': 'string', 'Edm.Boolean': 'boolean', 'Edm.Double': 'number', 'Edm.DateTime': 'string' }
  const primitive = primitives[type]
  if (allowed.length > 0 || primitive === undefined || typeof value !== primitive) throw invalidPropertyValue(typeName, `тип ${type} недопустим`)
  if (type === 'Edm.DateTime' && parseDateTime(value as string) === undefined) throw invalidPropertyValue(name, 'ожидается дата')
  target[name] = type === 'Edm.DateTime' ? parseDateTime(value as string) : value
  target[typeName] = type
}

/** `Имя@odata.bind: "Catalog_X(guid'…')"`, absolute or relative (DOC §17.4.13.1.3). */
function bindReference (resource: Resource, target: Entity, navigation: string, value: unknown): void {
  const reference = resource.references.find((r) => r.navigation === navigation)
  if (reference === undefined) return
  const match = typeof value === 'string' ? /(?:^|\/)([^/(]+)\(guid'([0-9a-fA-F-]{36})'\)\s*$/.exec(value) : null
  if (match === null || match[1] !== reference.target || !isGuid(match[2] as string)) {
    throw invalidPropertyValue(`${navigation}@odata.bind`, `ожидается ссылка ${reference.target}(guid'…')`)
  }
  target[reference.keyField] = (match[2] as string).toLowerCase()
}

/**
 * A tabular section is written whole (DOC §17.4.13.1.3). A row without LineNumber failed on a real server
 * with 500 / code -1 (onec-odata.md §4.2, fixtures/onec/errors_observed.json); rows are numbered in order.
 */
function rowsOf (collection: CollectionDef, value: unknown, ctx: WriteValuesContext): Entity[] {
  if (!Array.isArray(value)) throw invalidPropertyValue(collection.name, 'ожидается массив строк табличной части')
  return value.map((raw: unknown, index) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalidPropertyValue(collection.name, 'строка должна быть объектом')
    const given = raw as Record<string, unknown>
    if (given.LineNumber === undefined || given.LineNumber === null || given.LineNumber === '') throw internalError()
    const row: Entity = {}
    for (const field of collection.resource.fields) {
      row[field.name] = field.role === 'type' ? UNDEFINED_TYPE : emptyValue(field.type, field.property)
    }
    applyBody(collection.resource, row, given, ctx, true)
    row.LineNumber = String(index + 1)
    return row
  })
}
