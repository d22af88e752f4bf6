import { booleanLiteral, datetimeLiteral, guidLiteral, numberLiteral, stringLiteral } from './literals.js'

/**
 * A `$filter` expression. Instances only come from the functions below, so a value can enter a filter
 * only through a literal function that escapes or validates it: there is no way to splice raw text.
 */
export class FilterExpr {
  readonly #text: string
  /** Binding strength of the outermost operator, to put parentheses only where OData needs them. */
  readonly precedence: Precedence

  /** @internal use the builder functions */
  constructor (token: typeof BUILDER, text: string, precedence: Precedence) {
    if (token !== BUILDER) throw new TypeError('FilterExpr is built with the functions of lib/odata/filter')
    this.#text = text
    this.precedence = precedence
  }

  toString (): string {
    return this.#text
  }

  /** Text safe as an operand of an operator that binds with `strength`. */
  within (strength: Precedence): string {
    return this.precedence >= strength ? this.#text : `(${this.#text})`
  }
}

/** OData operator precedence, weakest first: or < and < comparison < not/atom. */
const enum Precedence { Or = 0, And = 1, Comparison = 2, Unary = 3, Atom = 4 }

const BUILDER = Symbol('filter-builder')
const make = (text: string, precedence: Precedence): FilterExpr => new FilterExpr(BUILDER, text, precedence)

// Property paths are metadata names (Cyrillic or Latin), joined by `/` for navigation (onec-odata.md §3.1).
const PATH = /^[\p{L}_][\p{L}\p{N}_]*(\/[\p{L}_][\p{L}\p{N}_]*)*$/u
const TYPE_NAME = /^[\p{L}_][\p{L}\p{N}_.]*$/u

export function field (path: string): FilterExpr {
  if (!PATH.test(path)) throw new TypeError(`not an OData property path: ${JSON.stringify(path)}`)
  return make(path, Precedence.Atom)
}

export const str = (value: string): FilterExpr => make(stringLiteral(value), Precedence.Atom)
export const guid = (value: string): FilterExpr => make(guidLiteral(value), Precedence.Atom)
export const datetime = (value: string): FilterExpr => make(datetimeLiteral(value), Precedence.Atom)
export const num = (value: number): FilterExpr => make(numberLiteral(value), Precedence.Atom)
export const bool = (value: boolean): FilterExpr => make(booleanLiteral(value), Precedence.Atom)

type Operand = FilterExpr | string

/** A bare string operand names a property: `eq('Тип', str('Телефон'))`. */
function operand (value: Operand): FilterExpr {
  return typeof value === 'string' ? field(value) : value
}

function comparison (op: string) {
  return (left: Operand, right: FilterExpr): FilterExpr =>
    make(`${operand(left).within(Precedence.Unary)} ${op} ${right.within(Precedence.Unary)}`, Precedence.Comparison)
}

export const eq = comparison('eq')
export const ne = comparison('ne')
export const gt = comparison('gt')
export const ge = comparison('ge')
export const lt = comparison('lt')
export const le = comparison('le')

function junction (op: 'and' | 'or', strength: Precedence) {
  return (...parts: Array<FilterExpr | undefined | false>): FilterExpr => {
    const present = parts.filter((p): p is FilterExpr => p instanceof FilterExpr)
    if (present.length === 0) throw new TypeError(`${op}() needs at least one expression`)
    if (present.length === 1) return present[0] as FilterExpr
    return make(present.map(p => p.within(strength)).join(` ${op} `), strength)
  }
}

export const and = junction('and', Precedence.And)
export const or = junction('or', Precedence.Or)
export const not = (expr: FilterExpr): FilterExpr => make(`not ${expr.within(Precedence.Atom)}`, Precedence.Unary)

function call (name: string, ...args: FilterExpr[]): FilterExpr {
  return make(`${name}(${args.map(a => a.toString()).join(',')})`, Precedence.Atom)
}

export const endswith = (path: Operand, suffix: FilterExpr): FilterExpr => call('endswith', operand(path), suffix)
export const startswith = (path: Operand, prefix: FilterExpr): FilterExpr => call('startswith', operand(path), prefix)
/** Note 1C's (OData v2/v3) argument order: the needle first (onec-odata.md §3.1). */
export const substringof = (needle: FilterExpr, path: Operand): FilterExpr => call('substringof', needle, operand(path))
/** ПОДОБНО: build `pattern` with lib/odata/like.ts so that user text cannot become wildcards. */
export const like = (path: Operand, pattern: FilterExpr): FilterExpr => call('like', operand(path), pattern)

/** `cast(guid'…','Catalog_X')`: how a composite attribute is compared (onec-odata.md §3.1). */
export function cast (value: FilterExpr, typeName: string): FilterExpr {
  if (!TYPE_NAME.test(typeName)) throw new TypeError(`not a type name: ${JSON.stringify(typeName)}`)
  return call('cast', value, make(stringLiteral(typeName), Precedence.Atom))
}

/** `Section/any(v: …)` over a tabular section (8.3.8+, onec-odata.md §3.1). */
export function any (section: string, variable: string, body: (row: (name: string) => FilterExpr) => FilterExpr): FilterExpr {
  if (!PATH.test(section) || !PATH.test(variable) || variable.includes('/')) {
    throw new TypeError(`bad lambda: ${JSON.stringify(section)} / ${JSON.stringify(variable)}`)
  }
  const expr = body(name => field(`${variable}/${name}`))
  return make(`${section}/any(${variable}: ${expr.toString()})`, Precedence.Atom)
}
