import type { Entity } from './data/types.js'
import type { FieldDef, Resource } from './resources.js'
import { EMPTY_REF, UNDEFINED_TYPE, emptyValue, isGuid, newDataVersion, newGuid, padFixed, parseDateTime } from './values.js'

/**
 * Brings a loaded entity to the exact shape the emulator serves (onec-odata.md §2.2–2.3): every property of
 * its set present, GUIDs lowercase, Int64 as strings, fixed strings padded, tabular rows carrying the owner's
 * Ref_Key and LineNumber as a string. Lenient about the input's spelling (a LineNumber as a number, a
 * missing property), strict about values that cannot be what 1C stores.
 */
export function normalizeEntity (resource: Resource, raw: Entity, where: string): Entity {
  // A generated base of 100 000 partners is already in shape: keep its objects rather than copy half a
  // million rows. Stored entities are never changed in place (writes replace them), so sharing is safe.
  if (isCanonical(resource, raw, where, undefined)) return raw
  const entity: Entity = {}
  for (const field of resource.fields) {
    if (field.role === 'type') continue
    entity[field.name] = normalizeField(field, raw, where)
    if (field.property.composite !== undefined) {
      entity[`${field.name}_Type`] = compositeType(field, raw, entity[field.name])
    }
  }
  if (resource.fieldByName.has('Ref_Key') && raw.Ref_Key === undefined && resource.kind !== 'TabularSection') {
    entity.Ref_Key = newGuid()
  }
  if (resource.fieldByName.has('DataVersion') && (raw.DataVersion === undefined || raw.DataVersion === '')) {
    entity.DataVersion = newDataVersion()
  }
  for (const collection of resource.collections) {
    const rows = raw[collection.name] ?? []
    if (!Array.isArray(rows)) throw new Error(`${where}: ${collection.name} must be an array of rows`)
    entity[collection.name] = rows.map((row: unknown, index) => {
      if (typeof row !== 'object' || row === null) throw new Error(`${where}: ${collection.name}[${index}] is not an object`)
      const normalized = normalizeEntity(collection.resource, row as Entity, `${where}.${collection.name}[${index}]`)
      normalized.Ref_Key = entity.Ref_Key
      const given = (row as Entity).LineNumber
      normalized.LineNumber = given === undefined || given === null || given === '' ? String(index + 1) : String(given)
      return normalized
    })
  }
  return entity
}

function isCanonical (resource: Resource, raw: Entity, where: string, ownerRef: unknown): boolean {
  let count = 0
  for (const field of resource.fields) {
    const value = raw[field.name]
    if (value === undefined) return false
    count += 1
    if (field.role === 'type') {
      if (typeof value !== 'string' || !value.includes('.')) return false
    } else if (value !== null && normalizeField(field, raw, where) !== value) {
      return false
    }
  }
  if (resource.kind === 'TabularSection') {
    if (raw.Ref_Key !== ownerRef || typeof raw.LineNumber !== 'string' || raw.LineNumber === '') return false
  } else if (raw.DataVersion === '' || (resource.fieldByName.has('Ref_Key') && raw.Ref_Key === null)) {
    return false
  }
  for (const collection of resource.collections) {
    const rows = raw[collection.name]
    if (!Array.isArray(rows)) return false
    count += 1
    for (let i = 0; i < rows.length; i += 1) {
      const row: unknown = rows[i]
      if (typeof row !== 'object' || row === null) return false
      if (!isCanonical(collection.resource, row as Entity, `${where}.${collection.name}[${i}]`, raw.Ref_Key)) return false
    }
  }
  return Object.keys(raw).length === count
}

function normalizeField (field: FieldDef, raw: Entity, where: string): unknown {
  const value = raw[field.name]
  if (value === undefined) return emptyValue(field.type, field.property)
  if (value === null) return null
  const fail = (): never => { throw new Error(`${where}: ${field.name} has a value 1C cannot store: ${JSON.stringify(value)}`) }
  if (field.property.composite !== undefined) {
    return typeof value === 'string' && isGuid(value) ? value.toLowerCase() : value
  }
  switch (field.type) {
    case 'Edm.Guid':
      return typeof value === 'string' && isGuid(value) ? value.toLowerCase() : fail()
    case 'Edm.Boolean':
      if (typeof value === 'boolean') return value
      return value === 'true' ? true : value === 'false' ? false : fail()
    case 'Edm.DateTime':
      return typeof value === 'string' ? parseDateTime(value) ?? fail() : fail()
    case 'Edm.Int64':
      return (typeof value === 'number' && Number.isInteger(value)) || (typeof value === 'string' && /^-?\d+$/.test(value)) ? String(value) : fail()
    case 'Edm.Int16':
    case 'Edm.Int32':
    case 'Edm.Double': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value
      return typeof n === 'number' && Number.isFinite(n) ? n : fail()
    }
    case 'Edm.String':
      return typeof value === 'string' ? padFixed(value, field.property) : typeof value === 'number' ? String(value) : fail()
  }
}

/** `X_Type` of a composite: given, or guessed from the value (a GUID of the only allowed set, a primitive, Неопределено). */
function compositeType (field: FieldDef, raw: Entity, value: unknown): string {
  const given = raw[`${field.name}_Type`]
  if (typeof given === 'string' && given !== '') {
    return given.includes('.') ? given : `StandardODATA.${given}`
  }
  const allowed = field.property.composite ?? []
  if (value === '' || value === null || value === EMPTY_REF) return UNDEFINED_TYPE
  if (typeof value === 'string' && isGuid(value) && allowed.length === 1) return `StandardODATA.${allowed[0] as string}`
  if (typeof value === 'boolean') return 'Edm.Boolean'
  if (typeof value === 'number') return 'Edm.Double'
  return typeof value === 'string' ? 'Edm.String' : UNDEFINED_TYPE
}
