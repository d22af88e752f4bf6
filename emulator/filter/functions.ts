import { ODataFault, unsupportedFunction } from '../errors.js'
import type { Entity } from '../data/types.js'
import type { Collation } from '../collation.js'
import { isGuid, parseDateTime } from '../values.js'
import { likeToRegExp } from './like.js'
import { DateTimeValue, GuidValue, RefValue, typeNameOf, type Value } from './values.js'

/**
 * The functions of 1C's $filter dialect (DOC §17.4.5.2, onec-odata.md §3.1). What 1C does not implement —
 * the OData functions it lists as unsupported and any unknown name — is error code 21, as is a wrong
 * number of arguments.
 */

export type Evaluate = (row: Entity, lambdaRows: Entity[]) => Value

export interface CompiledArg {
  evaluate: Evaluate
  /** Set when the argument is a literal. */
  constant?: { value: Value }
}

export interface FunctionContext {
  collation: Collation
  caseSensitive: boolean
  /** The entity set a type name stands for in cast()/isof(), or undefined if there is none. */
  entityType: (name: string) => string | undefined
  /** The entity set the filtered resource belongs to (for the one-argument isof('Type')). */
  ownType: string
}

export interface CompiledCall {
  evaluate: Evaluate
  /** For cast(x, 'Catalog_X'): the set the result references, so that `cast(…)/Description` can navigate. */
  refSet?: string
}

/** Listed as not supported in DOC §17.4.5.2 ("lenght" is the DOC's spelling). OData v4's contains is not listed as supported. */
const UNSUPPORTED = new Set(['length', 'lenght', 'indexof', 'replace', 'tolower', 'toupper', 'trim', 'years', 'days', 'hours',
  'minutes', 'seconds', 'floor', 'ceiling', 'contains', 'now', 'totaloffsetminutes', 'fractionalseconds', 'date', 'time'])

const DATE_UNITS = ['second', 'minute', 'hour', 'day', 'month', 'quarter', 'year'] as const
type DateUnit = typeof DATE_UNITS[number]

const PRIMITIVE_TYPES = new Set(['String', 'Number', 'Boolean', 'Date'])

type Builder = (args: CompiledArg[], ctx: FunctionContext) => CompiledCall

const FUNCTIONS: Record<string, { min: number, max: number, build: Builder }> = {
  substringof: { min: 2, max: 2, build: ([needle, haystack], ctx) => stringTest(haystack as CompiledArg, needle as CompiledArg, ctx, (s, n) => s.includes(n)) },
  startswith: { min: 2, max: 2, build: ([s, prefix], ctx) => stringTest(s as CompiledArg, prefix as CompiledArg, ctx, (v, p) => v.startsWith(p)) },
  endswith: { min: 2, max: 2, build: ([s, suffix], ctx) => stringTest(s as CompiledArg, suffix as CompiledArg, ctx, (v, p) => v.endsWith(p)) },
  like: { min: 2, max: 2, build: buildLike },
  concat: { min: 2, max: 2, build: ([a, b]) => binaryString(a as CompiledArg, b as CompiledArg, (x, y) => x + y) },
  substring: { min: 2, max: 3, build: buildSubstring },
  year: datePart((d) => d.getUTCFullYear()),
  month: datePart((d) => d.getUTCMonth() + 1),
  day: datePart((d) => d.getUTCDate()),
  hour: datePart((d) => d.getUTCHours()),
  minute: datePart((d) => d.getUTCMinutes()),
  second: datePart((d) => d.getUTCSeconds()),
  quarter: datePart((d) => Math.floor(d.getUTCMonth() / 3) + 1),
  // 1C's ДЕНЬНЕДЕЛИ: Monday 1 … Sunday 7 (DOC example `dayofweek(…) eq 7`).
  dayofweek: datePart((d) => ((d.getUTCDay() + 6) % 7) + 1),
  dayofyear: datePart((d) => Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1),
  dateadd: { min: 3, max: 3, build: buildDateAdd },
  datedifference: { min: 3, max: 3, build: buildDateDifference },
  round: { min: 1, max: 1, build: ([n]) => ({ evaluate: (row, lr) => { const v = (n as CompiledArg).evaluate(row, lr); return typeof v === 'number' ? Math.sign(v) * Math.round(Math.abs(v)) : null } }) },
  cast: { min: 2, max: 2, build: buildCast },
  isof: { min: 1, max: 2, build: buildIsOf },
}

export function buildCall (name: string, args: CompiledArg[], ctx: FunctionContext): CompiledCall {
  if (UNSUPPORTED.has(name)) throw unsupportedFunction(`функция ${name}() не поддерживается`)
  const fn = FUNCTIONS[name]
  if (fn === undefined) throw unsupportedFunction(`неизвестная функция ${name}()`)
  if (args.length < fn.min || args.length > fn.max) {
    throw unsupportedFunction(`неверное количество аргументов функции ${name}(): ${args.length}`)
  }
  return fn.build(args, ctx)
}

function constantString (arg: CompiledArg, what: string): string {
  const value = arg.constant?.value
  if (typeof value !== 'string') throw unsupportedFunction(`${what} должен быть строковым литералом`)
  return value
}

function stringTest (subject: CompiledArg, operand: CompiledArg, ctx: FunctionContext, test: (s: string, o: string) => boolean): CompiledCall {
  const { fold } = ctx.collation
  const constant = operand.constant?.value
  if (typeof constant === 'string') {
    const folded = fold(constant)
    return { evaluate: (row, lr) => { const s = subject.evaluate(row, lr); return typeof s === 'string' ? test(fold(s), folded) : null } }
  }
  return {
    evaluate: (row, lr) => {
      const s = subject.evaluate(row, lr)
      const o = operand.evaluate(row, lr)
      return typeof s === 'string' && typeof o === 'string' ? test(fold(s), fold(o)) : null
    },
  }
}

function buildLike ([subject, template]: CompiledArg[], ctx: FunctionContext): CompiledCall {
  const s = subject as CompiledArg
  const t = template as CompiledArg
  if (typeof t.constant?.value === 'string') {
    const pattern = likeToRegExp(t.constant.value, ctx.caseSensitive)
    return { evaluate: (row, lr) => { const v = s.evaluate(row, lr); return typeof v === 'string' ? pattern.test(v) : null } }
  }
  const cache = new Map<string, RegExp | null>()
  return {
    evaluate: (row, lr) => {
      const v = s.evaluate(row, lr)
      const tv = t.evaluate(row, lr)
      if (typeof v !== 'string' || typeof tv !== 'string') return null
      let pattern = cache.get(tv)
      if (pattern === undefined) {
        // A template that comes from the data and is malformed simply does not match.
        try { pattern = likeToRegExp(tv, ctx.caseSensitive) } catch (error) { if (!(error instanceof ODataFault)) throw error; pattern = null }
        if (cache.size < 1000) cache.set(tv, pattern)
      }
      return pattern === null ? false : pattern.test(v)
    },
  }
}

function binaryString (a: CompiledArg, b: CompiledArg, op: (x: string, y: string) => string): CompiledCall {
  return {
    evaluate: (row, lr) => {
      const x = a.evaluate(row, lr)
      const y = b.evaluate(row, lr)
      return typeof x === 'string' && typeof y === 'string' ? op(x, y) : null
    },
  }
}

/** substring(s, start[, length]) counts from 1, like ПОДСТРОКА: the DOC's example `substring(ИНН, 1, 2) eq '77'`. */
function buildSubstring ([s, start, length]: CompiledArg[]): CompiledCall {
  return {
    evaluate: (row, lr) => {
      const text = (s as CompiledArg).evaluate(row, lr)
      const from = (start as CompiledArg).evaluate(row, lr)
      const count = length === undefined ? undefined : length.evaluate(row, lr)
      if (typeof text !== 'string' || typeof from !== 'number') return null
      const begin = Math.max(Math.trunc(from), 1) - 1
      if (count === undefined) return text.slice(begin)
      return typeof count === 'number' ? text.slice(begin, begin + Math.max(Math.trunc(count), 0)) : null
    },
  }
}

function toDate (value: Value): Date | undefined {
  const text = value instanceof DateTimeValue ? value.text : typeof value === 'string' ? parseDateTime(value) : undefined
  return text === undefined ? undefined : new Date(text + 'Z')
}

function fromDate (date: Date): DateTimeValue {
  return new DateTimeValue(date.toISOString().slice(0, 19))
}

function datePart (part: (d: Date) => number): { min: number, max: number, build: Builder } {
  return {
    min: 1,
    max: 1,
    build: ([arg]) => ({ evaluate: (row, lr) => { const d = toDate((arg as CompiledArg).evaluate(row, lr)); return d === undefined ? null : part(d) } }),
  }
}

function dateUnit (arg: CompiledArg): DateUnit {
  const unit = constantString(arg, 'вид периода').toLowerCase()
  if (!(DATE_UNITS as readonly string[]).includes(unit)) throw unsupportedFunction(`неизвестный вид периода '${unit}'`)
  return unit as DateUnit
}

/** dateadd(dt, 'month', n): months clamp to the month's last day, like ДОБАВИТЬКДАТЕ. */
function buildDateAdd ([dt, unitArg, amount]: CompiledArg[]): CompiledCall {
  const unit = dateUnit(unitArg as CompiledArg)
  return {
    evaluate: (row, lr) => {
      const d = toDate((dt as CompiledArg).evaluate(row, lr))
      const n = (amount as CompiledArg).evaluate(row, lr)
      if (d === undefined || typeof n !== 'number') return null
      const k = Math.trunc(n)
      const seconds: Partial<Record<DateUnit, number>> = { second: 1, minute: 60, hour: 3600, day: 86_400 }
      const step = seconds[unit]
      if (step !== undefined) return fromDate(new Date(d.getTime() + k * step * 1000))
      const months = unit === 'month' ? k : unit === 'quarter' ? 3 * k : 12 * k
      const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()))
      const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate()
      target.setUTCDate(Math.min(d.getUTCDate(), lastDay))
      return fromDate(target)
    },
  }
}

/** datedifference(dt1, dt2, unit) = dt2 − dt1 counted in whole units after cutting both dates to the unit, like РАЗНОСТЬДАТ. */
function buildDateDifference ([first, second, unitArg]: CompiledArg[]): CompiledCall {
  const unit = dateUnit(unitArg as CompiledArg)
  const monthIndex = (d: Date): number => d.getUTCFullYear() * 12 + d.getUTCMonth()
  return {
    evaluate: (row, lr) => {
      const a = toDate((first as CompiledArg).evaluate(row, lr))
      const b = toDate((second as CompiledArg).evaluate(row, lr))
      if (a === undefined || b === undefined) return null
      const seconds: Partial<Record<DateUnit, number>> = { second: 1, minute: 60, hour: 3600, day: 86_400 }
      const step = seconds[unit]
      if (step !== undefined) return Math.floor(b.getTime() / 1000 / step) - Math.floor(a.getTime() / 1000 / step)
      if (unit === 'month') return monthIndex(b) - monthIndex(a)
      if (unit === 'quarter') return Math.floor(monthIndex(b) / 3) - Math.floor(monthIndex(a) / 3)
      return b.getUTCFullYear() - a.getUTCFullYear()
    },
  }
}

function typeArgument (arg: CompiledArg, ctx: FunctionContext): { primitive?: string, set?: string } {
  const name = constantString(arg, 'тип').replace(/^StandardODATA\./, '')
  const primitive = name.replace(/^Edm\./, '')
  if (PRIMITIVE_TYPES.has(primitive)) return { primitive }
  if (primitive === 'DateTime') return { primitive: 'Date' }
  const set = ctx.entityType(name)
  if (set === undefined) throw new ODataFault('8', 400, `Тип сущности не найден: ${name}`)
  return { set }
}

/** cast(x, 'Type') (DOC §17.4.5.2): a GUID cast to an entity type becomes a typed reference. */
function buildCast ([value, typeArg]: CompiledArg[], ctx: FunctionContext): CompiledCall {
  const v = value as CompiledArg
  const type = typeArgument(typeArg as CompiledArg, ctx)
  if (type.set !== undefined) {
    const set = type.set
    return {
      refSet: set,
      evaluate: (row, lr) => {
        const x = v.evaluate(row, lr)
        if (x instanceof RefValue) return x.set === set ? x : null
        if (x instanceof GuidValue) return new RefValue(set, x.text)
        if (typeof x === 'string' && isGuid(x)) return new RefValue(set, x.toLowerCase())
        return null
      },
    }
  }
  const castTo = type.primitive as string
  return {
    evaluate: (row, lr) => {
      const x = v.evaluate(row, lr)
      if (x === null) return null
      switch (castTo) {
        case 'String':
          if (typeof x === 'string') return x
          if (typeof x === 'number') return String(x)
          if (x instanceof GuidValue || x instanceof DateTimeValue) return x.text
          return null
        case 'Number': {
          if (typeof x === 'number') return x
          const n = typeof x === 'string' && x.trim() !== '' ? Number(x) : NaN
          return Number.isFinite(n) ? n : null
        }
        case 'Boolean':
          return typeof x === 'boolean' ? x : null
        default: {
          if (x instanceof DateTimeValue) return x
          const d = typeof x === 'string' ? parseDateTime(x) : undefined
          return d === undefined ? null : new DateTimeValue(d)
        }
      }
    },
  }
}

/** isof(x, 'Type') checks a value's type (e.g. a composite's); isof('Type') checks the entity's own set. */
function buildIsOf (args: CompiledArg[], ctx: FunctionContext): CompiledCall {
  if (args.length === 1) {
    const type = typeArgument(args[0] as CompiledArg, ctx)
    const result = type.set === ctx.ownType
    return { evaluate: () => result }
  }
  const [value, typeArg] = args as [CompiledArg, CompiledArg]
  const type = typeArgument(typeArg, ctx)
  const expected = type.set ?? type.primitive
  return { evaluate: (row, lr) => typeNameOf(value.evaluate(row, lr)) === expected }
}
