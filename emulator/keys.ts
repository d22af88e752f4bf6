import type { Entity } from './data/types.js'
import { ODataFault, badUrl } from './errors.js'
import type { FieldDef, Resource } from './resources.js'
import { isGuid, parseDateTime } from './values.js'

/**
 * Entity keys in URLs (onec-odata.md §3.3): `(guid'…')`, `(Ref_Key=guid'…')`, register dimensions
 * `(ИдентификаторЗвонка='…')` with quotes doubled inside, tabular rows `(Ref_Key=guid'…',LineNumber=1)`.
 * With more than one key part every part must be named.
 */

type KeyLiteral =
  | { kind: 'guid' | 'string' | 'datetime' | 'number', text: string }
  | { kind: 'boolean', text: 'true' | 'false' }

interface KeyPredicate {
  unnamed?: KeyLiteral
  named: Map<string, KeyLiteral>
}

function malformed (text: string): ODataFault {
  return badUrl(`неверный ключ сущности "(${text})"`)
}

function missingPart (resource: Resource, part: string): ODataFault {
  return new ODataFault('7', 400, `Не хватает элемента ключа сущности "${part}" для "${resource.objectName}"`)
}

export function parseKeyPredicate (text: string): KeyPredicate {
  const predicate: KeyPredicate = { named: new Map() }
  let pos = 0
  const skipSpaces = (): void => { while (text[pos] === ' ') pos += 1 }
  while (pos < text.length) {
    skipSpaces()
    const nameMatch = /^([\p{L}_][\p{L}\p{N}_]*)\s*=/u.exec(text.slice(pos))
    let name: string | undefined
    if (nameMatch !== null) {
      name = nameMatch[1] as string
      pos += nameMatch[0].length
      skipSpaces()
    }
    const { literal, end } = readLiteral(text, pos)
    pos = end
    if (name === undefined) {
      if (predicate.unnamed !== undefined || predicate.named.size > 0) throw malformed(text)
      predicate.unnamed = literal
    } else {
      if (predicate.unnamed !== undefined || predicate.named.has(name)) throw malformed(text)
      predicate.named.set(name, literal)
    }
    skipSpaces()
    if (pos < text.length) {
      if (text[pos] !== ',') throw malformed(text)
      pos += 1
    }
  }
  if (predicate.unnamed === undefined && predicate.named.size === 0) throw malformed(text)
  return predicate
}

function readLiteral (text: string, start: number): { literal: KeyLiteral, end: number } {
  const rest = text.slice(start)
  const typed = /^(guid|datetime)?(['"])/i.exec(rest)
  if (typed !== null) {
    const quote = typed[2] as string
    let pos = start + typed[0].length
    let value = ''
    for (;;) {
      if (pos >= text.length) throw malformed(text)
      const ch = text[pos] as string
      if (ch === quote) {
        if (text[pos + 1] === quote) { value += quote; pos += 2; continue }
        break
      }
      value += ch
      pos += 1
    }
    const prefix = typed[1]?.toLowerCase()
    const kind = prefix === 'guid' ? 'guid' : prefix === 'datetime' ? 'datetime' : 'string'
    return { literal: { kind, text: value }, end: pos + 1 }
  }
  const bare = /^(-?\d+)[lL]?|^(true|false)/.exec(rest)
  if (bare === null) throw malformed(text)
  const literal: KeyLiteral = bare[1] !== undefined ? { kind: 'number', text: bare[1] } : { kind: 'boolean', text: bare[2] as 'true' | 'false' }
  return { literal, end: start + bare[0].length }
}

/** The key values in stored form, checked against the resource's key parts. */
export function resolveKey (resource: Resource, text: string): Entity {
  const predicate = parseKeyPredicate(text)
  const key: Entity = {}
  if (predicate.unnamed !== undefined) {
    if (resource.key.length !== 1) throw missingPart(resource, resource.key[1] as string)
    const part = resource.key[0] as string
    key[part] = keyValue(resource.fieldByName.get(part) as FieldDef, predicate.unnamed, text)
    return key
  }
  for (const name of predicate.named.keys()) {
    if (!resource.key.includes(name)) throw badUrl(`"${name}" не является частью ключа "${resource.objectName}"`)
  }
  for (const part of resource.key) {
    const literal = predicate.named.get(part)
    if (literal === undefined) throw missingPart(resource, part)
    key[part] = keyValue(resource.fieldByName.get(part) as FieldDef, literal, text)
  }
  return key
}

function keyValue (field: FieldDef, literal: KeyLiteral, text: string): unknown {
  switch (field.type) {
    case 'Edm.Guid':
      if ((literal.kind === 'guid' || literal.kind === 'string') && isGuid(literal.text)) return literal.text.toLowerCase()
      break
    case 'Edm.String':
      if (literal.kind === 'string') return literal.text
      break
    case 'Edm.DateTime': {
      const parsed = literal.kind === 'datetime' ? parseDateTime(literal.text) : undefined
      if (parsed !== undefined) return parsed
      break
    }
    case 'Edm.Int64':
      if (literal.kind === 'number') return String(Number(literal.text))
      break
    case 'Edm.Int16':
    case 'Edm.Int32':
    case 'Edm.Double':
      if (literal.kind === 'number') return Number(literal.text)
      break
    case 'Edm.Boolean':
      if (literal.kind === 'boolean') return literal.text === 'true'
      break
  }
  throw malformed(text)
}

/** The canonical key of an entity: `(guid'…')` for objects, named parts otherwise (DOC §17.4.8). */
export function formatKey (resource: Resource, entity: Entity): string {
  if (resource.key.length === 1 && resource.key[0] === 'Ref_Key') return `(guid'${String(entity.Ref_Key)}')`
  const parts = resource.key.map((part) => `${part}=${formatLiteral(resource.fieldByName.get(part) as FieldDef, entity[part])}`)
  return `(${parts.join(',')})`
}

function formatLiteral (field: FieldDef, value: unknown): string {
  switch (field.type) {
    case 'Edm.Guid': return `guid'${String(value)}'`
    case 'Edm.DateTime': return `datetime'${String(value)}'`
    case 'Edm.String': return `'${String(value).replace(/'/g, "''")}'`
    default: return String(value)
  }
}
