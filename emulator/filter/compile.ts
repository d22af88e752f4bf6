import type { Entity } from '../data/types.js'
import type { Collation } from '../collation.js'
import { queryOptionError, unsupportedFunction } from '../errors.js'
import type { Publication } from '../publication.js'
import type { FieldDef, ReferenceDef, Resource, ResourceModel } from '../resources.js'
import type { Store } from '../store.js'
import { EMPTY_REF, UNDEFINED_TYPE, isUnlimitedString } from '../values.js'
import type { Node } from './ast.js'
import { buildCall, type CompiledArg, type Evaluate } from './functions.js'
import { parseFilter, parseOrderBy } from './parser.js'
import { DateTimeValue, GuidValue, RefValue, compareValues, isTrue, orderValues, valuesEqual, type Value } from './values.js'

/**
 * Turns a parsed $filter/$orderby into closures over stored entities. Paths resolve against the schema at
 * compile time: fields, navigation through published `X_Key` references (the target is looked up in the
 * store), `cast(…)/Field`, and lambdas over tabular sections (onec-odata.md §3.1).
 */

export interface FilterContext {
  model: ResourceModel
  publication: Publication
  store: Store
  collation: Collation
  caseSensitive: boolean
  unknownField: 'empty' | 'error'
  unlimitedComparison: 'error' | 'allow'
}

export interface CompiledFilter {
  test: (entity: Entity) => boolean
  /** Set when the filter names a field the resource does not have and the setting says: empty result. */
  unknownField?: string
  /**
   * Set when the filter requires `Ref_Key eq guid'…'`, or one of several such (an `or` of them): only
   * those objects (or their rows) can match, and 1C's SQL reads them by the clustered index.
   */
  refKeys?: string[]
}

/** Sorts entities by $orderby; returns a new array. */
export type Sorter = (entities: Entity[]) => Entity[]

interface Compiled extends CompiledArg {
  /** Set when the node reads one field directly, for the unlimited-string rule. */
  field?: FieldDef
  /** Set when the node yields a reference of a known set (a navigation or cast()). */
  refSet?: string
}

/** How to reach the entity a path segment is read from. */
interface Cursor {
  resource: Resource
  get: (row: Entity, lambdaRows: Entity[]) => Entity | undefined
}

type Scope = Map<string, { resource: Resource, index: number }>

/** Thrown during compilation when a path names a field that does not exist. */
class UnknownField {
  constructor (readonly name: string) {}
}

export function compileFilter (text: string, resource: Resource, ctx: FilterContext): CompiledFilter {
  const ast = parseFilter(text)
  try {
    const compiled = new Compiler(ctx).compile(ast, resource, new Map())
    const lambdaRows: Entity[] = []
    const test = (entity: Entity): boolean => isTrue(compiled.evaluate(entity, lambdaRows))
    const refKeys = requiredRefKeys(ast)
    return refKeys === undefined ? { test } : { test, refKeys }
  } catch (error) {
    if (!(error instanceof UnknownField)) throw error
    if (ctx.unknownField === 'error') throw queryOptionError(`неизвестное поле "${error.name}"`)
    return { test: () => false, unknownField: error.name }
  }
}

/**
 * $orderby (onec-odata.md §3.2): `A asc, B desc`, paths included; nulls sort first. Each key is computed
 * once per entity (strings already in the collation's form), so ordering 100 000 partners stays cheap.
 */
export function compileOrderBy (text: string, resource: Resource, ctx: FilterContext): Sorter {
  const items = parseOrderBy(text)
  const compiler = new Compiler(ctx)
  const keys = items.map((item) => {
    let compiled: Compiled
    try {
      compiled = compiler.compile(item.expression, resource, new Map())
    } catch (error) {
      if (error instanceof UnknownField) throw queryOptionError(`неизвестное поле "${error.name}" в $orderby`)
      throw error
    }
    compiler.checkComparable(compiled)
    return { evaluate: compiled.evaluate, sign: item.descending ? -1 : 1 }
  })
  const lambdaRows: Entity[] = []
  const collationKey = (value: Value): Value => (typeof value === 'string' ? ctx.collation.key(value) : value)
  return (entities) => {
    const keyed = entities.map((entity, index) => ({ entity, index, values: keys.map((key) => collationKey(key.evaluate(entity, lambdaRows))) }))
    keyed.sort((a, b) => {
      for (let i = 0; i < keys.length; i += 1) {
        const order = orderValues(a.values[i] as Value, b.values[i] as Value, PREPARED)
        if (order !== 0) return order * (keys[i] as { sign: number }).sign
      }
      return a.index - b.index
    })
    return keyed.map((k) => k.entity)
  }
}

/** Values already in collation form compare as they are. */
const PREPARED: Collation = { key: (text) => text, fold: (text) => text }

class Compiler {
  private readonly ctx: FilterContext

  constructor (ctx: FilterContext) {
    this.ctx = ctx
  }

  compile (node: Node, resource: Resource, scope: Scope): Compiled {
    switch (node.type) {
      case 'literal': {
        const value = node.value
        return { evaluate: () => value, constant: { value } }
      }
      case 'path':
        return this.path(node, resource, scope)
      case 'call':
        return this.call(node.name, node.args, resource, scope)
      case 'unary': {
        const operand = this.compile(node.operand, resource, scope)
        if (node.op === 'not') {
          return { evaluate: (row, lr) => { const v = operand.evaluate(row, lr); return typeof v === 'boolean' ? !v : null } }
        }
        return { evaluate: (row, lr) => { const v = operand.evaluate(row, lr); return typeof v === 'number' ? -v : null } }
      }
      case 'binary':
        return this.binary(node.op, node.left, node.right, resource, scope)
      case 'lambda':
        return this.lambda(node, resource, scope)
    }
  }

  /** 1C cannot compare strings of unlimited length in a query (model.ts `length`). */
  checkComparable (compiled: Compiled): void {
    const field = compiled.field
    if (this.ctx.unlimitedComparison === 'error' && field !== undefined && field.role === 'value' && isUnlimitedString(field.property)) {
      throw queryOptionError(`сравнение строк неограниченной длины недопустимо ("${field.name}")`)
    }
  }

  private binary (op: string, leftNode: Node, rightNode: Node, resource: Resource, scope: Scope): Compiled {
    const left = this.compile(leftNode, resource, scope)
    const right = this.compile(rightNode, resource, scope)
    const { collation } = this.ctx
    switch (op) {
      case 'and':
        return { evaluate: (row, lr) => isTrue(left.evaluate(row, lr)) && isTrue(right.evaluate(row, lr)) }
      case 'or':
        return { evaluate: (row, lr) => isTrue(left.evaluate(row, lr)) || isTrue(right.evaluate(row, lr)) }
      case 'eq':
      case 'ne': {
        // `X eq null` is a test for emptiness, not a comparison of string contents.
        if (left.constant?.value !== null && right.constant?.value !== null) {
          this.checkComparable(left)
          this.checkComparable(right)
        }
        const equal = equality(left, right, collation)
        return op === 'eq' ? { evaluate: equal } : { evaluate: (row, lr) => !equal(row, lr) }
      }
      case 'gt':
      case 'ge':
      case 'lt':
      case 'le': {
        this.checkComparable(left)
        this.checkComparable(right)
        const holds: (n: number) => boolean = op === 'gt' ? (n) => n > 0 : op === 'ge' ? (n) => n >= 0 : op === 'lt' ? (n) => n < 0 : (n) => n <= 0
        return {
          evaluate: (row, lr) => {
            const order = compareValues(left.evaluate(row, lr), right.evaluate(row, lr), collation)
            return order !== undefined && holds(order)
          },
        }
      }
      case 'mod':
        throw unsupportedFunction('операция mod не поддерживается')
      default: {
        const arithmetic: (a: number, b: number) => number | null =
          op === 'add' ? (a, b) => a + b : op === 'sub' ? (a, b) => a - b : op === 'mul' ? (a, b) => a * b : (a, b) => (b === 0 ? null : a / b)
        return {
          evaluate: (row, lr) => {
            const a = left.evaluate(row, lr)
            const b = right.evaluate(row, lr)
            return typeof a === 'number' && typeof b === 'number' ? arithmetic(a, b) : null
          },
        }
      }
    }
  }

  private call (name: string, argNodes: Node[], resource: Resource, scope: Scope): Compiled {
    const args = argNodes.map((arg) => this.compile(arg, resource, scope))
    return buildCall(name, args, {
      collation: this.ctx.collation,
      caseSensitive: this.ctx.caseSensitive,
      ownType: resource.name,
      entityType: (typeName) => {
        const target = this.ctx.publication.resolve(typeName)
        return target === undefined || target.kind === 'TabularSection' ? undefined : target.name
      },
    })
  }

  private path (node: Node & { type: 'path' }, resource: Resource, scope: Scope): Compiled {
    const { cursor, rest } = this.start(node, resource, scope)
    return this.walk(cursor, rest, node.segments.join('/'))
  }

  /** Where a path starts: a cast() result, a lambda variable or the entity itself. */
  private start (node: Node & { type: 'path' }, resource: Resource, scope: Scope): { cursor: Cursor, rest: string[] } {
    if (node.base !== null) {
      const base = this.compile(node.base, resource, scope)
      const set = base.refSet
      const target = set === undefined ? undefined : this.ctx.publication.resolve(set)
      if (set === undefined || target === undefined) throw queryOptionError('переход по "/" возможен только после cast() к ссылочному типу')
      const { store } = this.ctx
      return {
        cursor: {
          resource: target,
          get: (row, lr) => {
            const ref = base.evaluate(row, lr)
            return ref instanceof RefValue && ref.set === set ? store.getByRef(set, ref.guid) : undefined
          },
        },
        rest: node.segments,
      }
    }
    const first = node.segments[0] as string
    const variable = scope.get(first)
    if (variable !== undefined) {
      if (node.segments.length === 1) throw queryOptionError(`лямбда-переменная "${first}" используется без поля`)
      const index = variable.index
      return { cursor: { resource: variable.resource, get: (_row, lr) => lr[index] }, rest: node.segments.slice(1) }
    }
    return { cursor: { resource, get: (row) => row }, rest: node.segments }
  }

  /** Follows navigation segments to the last one, which must be a field or a navigation property. */
  private walk (start: Cursor, segments: string[], pathText: string): Compiled {
    let cursor = start
    for (let i = 0; i < segments.length; i += 1) {
      const name = segments[i] as string
      const last = i === segments.length - 1
      const field = cursor.resource.fieldByName.get(name)
      if (field !== undefined) {
        if (!last) {
          throw queryOptionError(field.property.composite !== undefined
            ? `к составному полю "${name}" нужно применить cast()`
            : `"${name}" не является навигационным свойством`)
        }
        return { evaluate: fieldReader(cursor, field), field }
      }
      const navigation = this.ctx.publication.navigation(cursor.resource, name)
      if (navigation !== undefined) {
        if (last) {
          const get = cursor.get
          return {
            refSet: navigation.target,
            evaluate: (row, lr) => {
              const guid = get(row, lr)?.[navigation.keyField]
              return typeof guid === 'string' ? new RefValue(navigation.target, guid) : null
            },
          }
        }
        cursor = this.follow(cursor, navigation)
        continue
      }
      if (cursor.resource.collectionByName.has(name)) {
        throw queryOptionError(`табличная часть "${name}" используется только в any()/all()`)
      }
      throw new UnknownField(pathText)
    }
    throw queryOptionError(`неполный путь "${pathText}"`)
  }

  /** `TS/any(d: …)`, `TS/all(d: …)`, `TS/any()` over a tabular section (DOC §17.4.5.2, since 8.3.8). */
  private lambda (node: Node & { type: 'lambda' }, resource: Resource, scope: Scope): Compiled {
    const segments = node.collection.segments
    const sectionName = segments[segments.length - 1] as string
    const owner = this.ownerCursor({ ...node.collection, segments: segments.slice(0, -1) }, resource, scope)
    const collection = owner.resource.collectionByName.get(sectionName)
    if (collection === undefined) {
      if (owner.resource.fieldByName.has(sectionName)) throw queryOptionError(`"${sectionName}" не является табличной частью`)
      throw new UnknownField(segments.join('/'))
    }
    const getOwner = owner.get
    if (node.body === null || node.variable === null) {
      return { evaluate: (row, lr) => ((getOwner(row, lr)?.[sectionName] as Entity[] | undefined)?.length ?? 0) > 0 }
    }
    const index = scope.size
    const inner: Scope = new Map(scope)
    inner.set(node.variable, { resource: collection.resource, index })
    const body = this.compile(node.body, resource, inner)
    const any = node.op === 'any'
    return {
      evaluate: (row, lr) => {
        const rows = (getOwner(row, lr)?.[sectionName] as Entity[] | undefined) ?? []
        for (const r of rows) {
          lr[index] = r
          if (isTrue(body.evaluate(row, lr)) === any) return any
        }
        return !any
      },
    }
  }

  /** The entity whose tabular section a lambda ranges over: the entity itself or one reached by navigation. */
  private ownerCursor (node: Node & { type: 'path' }, resource: Resource, scope: Scope): Cursor {
    if (node.segments.length === 0 && node.base === null) return { resource, get: (row) => row }
    if (node.base === null && node.segments.length === 1 && scope.has(node.segments[0] as string)) {
      throw queryOptionError('any()/all() над строкой табличной части не поддерживается')
    }
    const { cursor, rest } = this.start(node, resource, scope)
    let current = cursor
    for (const name of rest) {
      const navigation = this.ctx.publication.navigation(current.resource, name)
      if (navigation === undefined) throw new UnknownField([...node.segments, '…'].join('/'))
      current = this.follow(current, navigation)
    }
    return current
  }

  /** One step through a reference: the target entity is looked up in the store by its Ref_Key. */
  private follow (cursor: Cursor, navigation: ReferenceDef): Cursor {
    const { store } = this.ctx
    const get = cursor.get
    return {
      resource: this.ctx.model.get(navigation.target) as Resource,
      get: (row, lr) => {
        const guid = get(row, lr)?.[navigation.keyField]
        return typeof guid === 'string' && guid !== EMPTY_REF ? store.getByRef(navigation.target, guid) : undefined
      },
    }
  }
}

/**
 * The only Ref_Key values a row can have to pass the filter, when the filter says so (undefined when any
 * may): `Ref_Key eq guid'…'` as a conjunct of the whole filter (INTEG-A's `Ref_Key eq guid'…' and Тип eq
 * 'Телефон'`, onec-odata.md §7.3), or an `or` of such conditions (the proxy's owner reads). The store goes
 * straight to those objects, as 1C's index on the reference does.
 */
function requiredRefKeys (node: Node): string[] | undefined {
  if (node.type !== 'binary') return undefined
  if (node.op === 'and') {
    const left = requiredRefKeys(node.left)
    const right = requiredRefKeys(node.right)
    if (left === undefined || right === undefined) return left ?? right
    return left.length <= right.length ? left : right
  }
  if (node.op === 'or') {
    const left = requiredRefKeys(node.left)
    const right = requiredRefKeys(node.right)
    return left === undefined || right === undefined ? undefined : [...new Set([...left, ...right])]
  }
  if (node.op !== 'eq') return undefined
  const isRef = (n: Node): boolean => n.type === 'path' && n.base === null && n.segments.length === 1 && n.segments[0] === 'Ref_Key'
  const guidOf = (n: Node): string | undefined => (n.type === 'literal' && n.value instanceof GuidValue ? n.value.text : undefined)
  const guid = isRef(node.left) ? guidOf(node.right) : isRef(node.right) ? guidOf(node.left) : undefined
  return guid === undefined ? undefined : [guid]
}

/** eq with a fast path for a field compared with a string literal, the proxy's hot query. */
function equality (left: Compiled, right: Compiled, collation: Collation): Evaluate {
  const literal = typeof right.constant?.value === 'string' ? right : typeof left.constant?.value === 'string' ? left : undefined
  if (literal !== undefined) {
    const other = literal === right ? left : right
    const value = literal.constant?.value as string
    const key = collation.key(value)
    return (row, lr) => {
      const v = other.evaluate(row, lr)
      if (typeof v !== 'string') return valuesEqual(v, value, collation)
      return v === value || collation.key(v) === key
    }
  }
  return (row, lr) => valuesEqual(left.evaluate(row, lr), right.evaluate(row, lr), collation)
}

/** Reads a stored field as a filter value: GUIDs and dates tagged, Int64 as a number, composites as typed references. */
function fieldReader (cursor: Cursor, field: FieldDef): Evaluate {
  const { get } = cursor
  const name = field.name
  if (field.role === 'value' && field.property.composite !== undefined) {
    const typeName = `${name}_Type`
    return (row, lr) => {
      const entity = get(row, lr)
      if (entity === undefined) return null
      return compositeValue(entity[name], entity[typeName])
    }
  }
  const raw = (row: Entity, lr: Entity[]): unknown => get(row, lr)?.[name] ?? null
  switch (field.type) {
    case 'Edm.Guid':
      return (row, lr) => { const v = raw(row, lr); return typeof v === 'string' ? new GuidValue(v) : null }
    case 'Edm.DateTime':
      return (row, lr) => { const v = raw(row, lr); return typeof v === 'string' ? new DateTimeValue(v) : null }
    case 'Edm.Int64':
      return (row, lr) => { const v = raw(row, lr); return typeof v === 'string' ? Number(v) : typeof v === 'number' ? v : null }
    default:
      return (row, lr) => raw(row, lr) as Value
  }
}

function compositeValue (value: unknown, type: unknown): Value {
  if (typeof type !== 'string' || type === UNDEFINED_TYPE) return null
  if (type.startsWith('StandardODATA.')) return typeof value === 'string' ? new RefValue(type.slice('StandardODATA.'.length), value) : null
  if (type === 'Edm.DateTime' && typeof value === 'string') return new DateTimeValue(value)
  if (type === 'Edm.Guid' && typeof value === 'string') return new GuidValue(value)
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : null
}
