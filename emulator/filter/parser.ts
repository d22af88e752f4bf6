import { queryOptionError } from '../errors.js'
import { isGuid, parseDateTime } from '../values.js'
import type { BinaryOp, Node } from './ast.js'
import { tokenize, type Token } from './lexer.js'
import { DateTimeValue, GuidValue } from './values.js'

/**
 * Recursive-descent parser for $filter and $orderby. Precedence follows DOC §17.4.5.2 (highest first):
 * `/` navigation, unary `-`, `not`, `mul div`, `add sub`, `gt ge lt le`, `eq ne`, `and`, `or`.
 * Operators are matched case-insensitively (the DOC's table spells them `Not`, `Mul`, …).
 */

export interface OrderByItem {
  expression: Node
  descending: boolean
}

const MAX_DEPTH = 100
/** Left-deep chains of binary operators become deep trees; cap them like a web server caps URL length. */
const MAX_OPERATORS = 1000

const LEVELS: BinaryOp[][] = [['or'], ['and'], ['eq', 'ne'], ['gt', 'ge', 'lt', 'le'], ['add', 'sub'], ['mul', 'div', 'mod']]

export function parseFilter (text: string): Node {
  const parser = new Parser(text)
  const node = parser.expression()
  parser.expectEnd()
  return node
}

export function parseOrderBy (text: string): OrderByItem[] {
  const parser = new Parser(text)
  const items: OrderByItem[] = []
  for (;;) {
    const expression = parser.expression()
    const direction = parser.keyword('asc', 'desc')
    items.push({ expression, descending: direction === 'desc' })
    if (!parser.punct(',')) break
  }
  parser.expectEnd()
  return items
}

class Parser {
  private readonly tokens: Token[]
  private index = 0
  private depth = 0
  private operators = 0

  constructor (text: string) {
    this.tokens = tokenize(text)
  }

  expression (level = 0): Node {
    if (level === LEVELS.length) return this.unary()
    const ops = LEVELS[level] as BinaryOp[]
    let left = this.expression(level + 1)
    for (;;) {
      const op = this.keyword(...ops) as BinaryOp | undefined
      if (op === undefined) return left
      this.operators += 1
      if (this.operators > MAX_OPERATORS) throw queryOptionError('слишком сложное выражение')
      const right = this.expression(level + 1)
      left = { type: 'binary', op, left, right }
    }
  }

  expectEnd (): void {
    const token = this.peek()
    if (token.kind !== 'eof') throw this.unexpected(token)
  }

  /** Consumes a keyword (case-insensitive) if the next token is one of `words`. */
  keyword (...words: string[]): string | undefined {
    const token = this.peek()
    if (token.kind !== 'ident') return undefined
    const word = token.text.toLowerCase()
    if (!words.includes(word)) return undefined
    this.index += 1
    return word
  }

  punct (text: string): boolean {
    const token = this.peek()
    if (token.kind !== 'punct' || token.text !== text) return false
    this.index += 1
    return true
  }

  private unary (): Node {
    this.enter()
    try {
      if (this.keyword('not') !== undefined) return { type: 'unary', op: 'not', operand: this.unary() }
      if (this.punct('-')) {
        const operand = this.unary()
        if (operand.type === 'literal' && typeof operand.value === 'number') return { type: 'literal', value: -operand.value }
        return { type: 'unary', op: 'neg', operand }
      }
      return this.postfix(this.primary())
    } finally {
      this.depth -= 1
    }
  }

  private primary (): Node {
    const token = this.next()
    switch (token.kind) {
      case 'string':
        return { type: 'literal', value: token.value }
      case 'typed':
        return { type: 'literal', value: typedLiteral(token.prefix, token.value) }
      case 'number':
        return { type: 'literal', value: Number(token.text.replace(/[mMdDfFlL]$/, '')) }
      case 'punct': {
        if (token.text !== '(') throw this.unexpected(token)
        const inner = this.expression()
        this.expect(')')
        return inner
      }
      case 'ident': {
        const word = token.text.toLowerCase()
        if (word === 'true' || word === 'false') return { type: 'literal', value: word === 'true' }
        if (word === 'null') return { type: 'literal', value: null }
        if (this.punct('(')) return { type: 'call', name: word, args: this.arguments() }
        return { type: 'path', base: null, segments: [token.text] }
      }
      case 'eof':
        throw queryOptionError('выражение оборвано')
    }
  }

  private arguments (): Node[] {
    const args: Node[] = []
    if (this.punct(')')) return args
    for (;;) {
      args.push(this.expression())
      if (this.punct(')')) return args
      this.expect(',')
    }
  }

  /** Member access after a path or a cast(): `A/B/C`, and the lambdas `TS/any(...)`, `TS/all(...)`. */
  private postfix (node: Node): Node {
    let current = node
    while ((current.type === 'path' || current.type === 'call') && this.punct('/')) {
      const token = this.next()
      if (token.kind !== 'ident') throw this.unexpected(token)
      const word = token.text.toLowerCase()
      if ((word === 'any' || word === 'all') && this.punct('(')) {
        if (current.type !== 'path') throw queryOptionError(`${word}() применяется только к табличной части`)
        return this.lambda(word, current)
      }
      current = current.type === 'path'
        ? { ...current, segments: [...current.segments, token.text] }
        : { type: 'path', base: current, segments: [token.text] }
    }
    return current
  }

  private lambda (op: 'any' | 'all', collection: Node & { type: 'path' }): Node {
    if (this.punct(')')) {
      if (op === 'all') throw queryOptionError('all() требует условия')
      return { type: 'lambda', op, collection, variable: null, body: null }
    }
    const variable = this.next()
    if (variable.kind !== 'ident') throw this.unexpected(variable)
    this.expect(':')
    const body = this.expression()
    this.expect(')')
    return { type: 'lambda', op, collection, variable: variable.text, body }
  }

  private enter (): void {
    this.depth += 1
    if (this.depth > MAX_DEPTH) throw queryOptionError('слишком глубокая вложенность выражения')
  }

  private expect (text: string): void {
    if (!this.punct(text)) throw this.unexpected(this.peek(), `ожидалось "${text}"`)
  }

  private peek (): Token {
    return this.tokens[this.index] as Token
  }

  private next (): Token {
    const token = this.peek()
    if (token.kind !== 'eof') this.index += 1
    return token
  }

  private unexpected (token: Token, expected?: string): Error {
    const what = token.kind === 'eof' ? 'конец выражения' : `"${describe(token)}" в позиции ${token.pos + 1}`
    return queryOptionError(`неожиданный ${what}${expected === undefined ? '' : `, ${expected}`}`)
  }
}

function describe (token: Token): string {
  switch (token.kind) {
    case 'ident':
    case 'punct':
    case 'number': return token.text
    case 'string': return `'${token.value}'`
    case 'typed': return `${token.prefix}'${token.value}'`
    case 'eof': return ''
  }
}

/** `guid'…'` and `datetime'…'` (DOC §17.4.2). Other OData literal kinds are not part of 1C's dialect. */
function typedLiteral (prefix: string, text: string): GuidValue | DateTimeValue {
  if (prefix === 'guid') {
    if (!isGuid(text)) throw queryOptionError(`неверный идентификатор guid'${text}'`)
    return new GuidValue(text.toLowerCase())
  }
  if (prefix === 'datetime') {
    const parsed = parseDateTime(text)
    if (parsed === undefined) throw queryOptionError(`неверная дата datetime'${text}'`)
    return new DateTimeValue(parsed)
  }
  throw queryOptionError(`неизвестный вид литерала ${prefix}'…'`)
}
