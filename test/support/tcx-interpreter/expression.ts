/**
 * The 3CX template expression language, as far as the bridge's template and the reference (3cx-crm.md
 * §1.7, §1.11) describe it:
 *   text with `[Var]` substitutions; `[[Var]]` expands the variable's text once more (needs Passes ≥ 1);
 *   method calls on a bracketed value: `[[Var].Replace("a","b")]`, `[[Date].ToString("yyyy-MM-dd")]`,
 *   `[[[DurationTimespan].get_TotalSeconds()].ToString("F0")]`; `[IIf(cond,then,else)]`;
 *   conditions with `==`, `!=`, `>`, `||`, `&&`, literals `True`/`False` and `""`.
 * Parsing accepts any method or function name so real templates parse; evaluating one outside the
 * subset throws.
 */
import { formatDate, formatNumber, formatTimeSpan, numberToString, TimeSpan } from './net-format.js'

export type TcxValue = string | number | Date | null | TimeSpan

/** Where `[Name]` is looked up. `undefined` = unknown variable, which renders empty like in 3CX. */
export interface Scope {
  get (name: string): TcxValue | undefined
}

export interface TemplateExpr {
  readonly source: string
  readonly parts: ReadonlyArray<{ kind: 'text', text: string } | { kind: 'expr', expr: BracketExpr }>
}

export type Primary =
  | { kind: 'var', name: string }
  | { kind: 'bracket', inner: BracketExpr }
  | { kind: 'call', name: string, args: Operand[] }

export interface BracketExpr {
  readonly primary: Primary
  readonly methods: ReadonlyArray<{ name: string, args: string[] }>
}

export type Operand = { kind: 'template', template: TemplateExpr } | { kind: 'condition', condition: Condition }

export type Condition =
  | { kind: 'or' | 'and', items: Condition[] }
  | { kind: 'compare', op: '==' | '!=' | '>', left: TemplateExpr, right: TemplateExpr }
  | { kind: 'value', operand: TemplateExpr }

export class ExpressionError extends Error {
  constructor (message: string, readonly source: string) {
    super(`${message} in "${source}"`)
    this.name = 'ExpressionError'
  }
}

// ---------------------------------------------------------------------------------------------
// Scanning

/** Index of the bracket or parenthesis closing the one at `open`, skipping nested ones and "strings". */
function findClosing (src: string, open: number): number {
  const stack: string[] = []
  for (let i = open; i < src.length; i++) {
    const ch = src[i] as string
    if (ch === '"' && i > open) {
      const end = src.indexOf('"', i + 1)
      if (end < 0) return -1
      i = end
    } else if (ch === '[' || ch === '(') {
      stack.push(ch === '[' ? ']' : ')')
    } else if (ch === ']' || ch === ')') {
      if (stack.pop() !== ch) return -1
      if (stack.length === 0) return i
    }
  }
  return -1
}

/**
 * Walks `src` and calls `visit` at every position that stands outside brackets, parentheses and
 * "strings"; `visit` returns how many characters it consumed beyond the current one.
 */
function walkTopLevel (src: string, visit: (i: number) => number): void {
  let depth = 0
  for (let i = 0; i < src.length; i++) {
    const ch = src[i] as string
    if (ch === '"') {
      const end = src.indexOf('"', i + 1)
      if (end < 0) throw new ExpressionError('Unbalanced "', src)
      i = end
    } else if (ch === '[' || ch === '(') {
      depth++
    } else if (ch === ']' || ch === ')') {
      depth--
    } else if (depth === 0) {
      i += visit(i)
    }
  }
  if (depth !== 0) throw new ExpressionError('Unbalanced brackets', src)
}

/** Splits at separators that stand outside brackets, parentheses and "strings". */
function splitTopLevel (src: string, separator: string): string[] {
  const pieces: string[] = []
  let start = 0
  walkTopLevel(src, i => {
    if (!src.startsWith(separator, i)) return 0
    pieces.push(src.slice(start, i))
    start = i + separator.length
    return separator.length - 1
  })
  pieces.push(src.slice(start))
  return pieces
}

/** Top-level comparison operators in `src`, with their positions. */
function topLevelOperators (src: string): Array<{ op: string, at: number }> {
  const found: Array<{ op: string, at: number }> = []
  walkTopLevel(src, i => {
    const two = src.slice(i, i + 2)
    if (['==', '!=', '>=', '<=', '||', '&&'].includes(two)) {
      found.push({ op: two, at: i })
      return 1
    }
    const ch = src[i] as string
    if (ch === '>' || ch === '<' || ch === '=') found.push({ op: ch, at: i })
    return 0
  })
  return found
}

// ---------------------------------------------------------------------------------------------
// Parsing

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_.:]*$/
const FUNCTION_CALL = /^([A-Za-z_][A-Za-z0-9_]*)\(/
const METHOD_CALL = /^\.([A-Za-z_][A-Za-z0-9_]*)\(/

export function parseTemplateText (source: string): TemplateExpr {
  const parts: Array<TemplateExpr['parts'][number]> = []
  let i = 0
  while (i < source.length) {
    const open = source.indexOf('[', i)
    if (open < 0) {
      parts.push({ kind: 'text', text: source.slice(i) })
      break
    }
    if (open > i) parts.push({ kind: 'text', text: source.slice(i, open) })
    const close = findClosing(source, open)
    if (close < 0) throw new ExpressionError('Unclosed [', source)
    parts.push({ kind: 'expr', expr: parseBracketBody(source.slice(open + 1, close), source) })
    i = close + 1
  }
  return { source, parts }
}

function parseBracketBody (body: string, source: string): BracketExpr {
  let primary: Primary
  let rest: string
  const call = FUNCTION_CALL.exec(body)
  if (body.startsWith('[')) {
    const close = findClosing(body, 0)
    if (close < 0) throw new ExpressionError('Unclosed [', source)
    primary = { kind: 'bracket', inner: parseBracketBody(body.slice(1, close), source) }
    rest = body.slice(close + 1)
  } else if (call !== null) {
    const open = call[0].length - 1
    const close = findClosing(body, open)
    if (close < 0) throw new ExpressionError('Unclosed (', source)
    const args = splitTopLevel(body.slice(open + 1, close), ',').map((arg) => parseOperand(arg))
    primary = { kind: 'call', name: call[1] as string, args }
    rest = body.slice(close + 1)
  } else {
    const name = body.trim()
    if (!VARIABLE_NAME.test(name)) throw new ExpressionError(`"[${body}]" is neither a variable nor an expression`, source)
    return { primary: { kind: 'var', name }, methods: [] }
  }
  const methods: Array<{ name: string, args: string[] }> = []
  while (rest !== '') {
    const method = METHOD_CALL.exec(rest)
    if (method === null) throw new ExpressionError(`Unexpected "${rest}" after an expression`, source)
    const open = method[0].length - 1
    const close = findClosing(rest, open)
    if (close < 0) throw new ExpressionError('Unclosed (', source)
    const inside = rest.slice(open + 1, close)
    const args = inside.trim() === '' ? [] : splitTopLevel(inside, ',').map((arg) => parseStringLiteral(arg, source))
    methods.push({ name: method[1] as string, args })
    rest = rest.slice(close + 1)
  }
  return { primary, methods }
}

function parseStringLiteral (arg: string, source: string): string {
  const trimmed = arg.trim()
  // 3CX strings have no escapes: "\" is one backslash (the official template's Replace("\","")).
  if (trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"') && !trimmed.slice(1, -1).includes('"')) return trimmed.slice(1, -1)
  throw new ExpressionError(`Method arguments must be "quoted strings", not ${arg}`, source)
}

function parseOperand (text: string): Operand {
  const operators = topLevelOperators(text)
  return operators.length > 0 ? { kind: 'condition', condition: parseCondition(text) } : { kind: 'template', template: parseTemplateText(text.trim()) }
}

/** A SkipIf / If / IIf condition. */
export function parseCondition (source: string): Condition {
  const or = splitTopLevel(source, '||')
  if (or.length > 1) return { kind: 'or', items: or.map((item) => parseCondition(item)) }
  const and = splitTopLevel(source, '&&')
  if (and.length > 1) return { kind: 'and', items: and.map((item) => parseCondition(item)) }
  const operators = topLevelOperators(source)
  if (operators.length === 0) return { kind: 'value', operand: parseTemplateText(source.trim()) }
  const first = operators[0] as { op: string, at: number }
  if (operators.length > 1 || (first.op !== '==' && first.op !== '!=' && first.op !== '>')) {
    throw new ExpressionError(`Unsupported comparison "${operators.map((o) => o.op).join(' ')}"`, source)
  }
  return {
    kind: 'compare',
    op: first.op,
    left: parseTemplateText(source.slice(0, first.at).trim()),
    right: parseTemplateText(source.slice(first.at + first.op.length).trim()),
  }
}

// ---------------------------------------------------------------------------------------------
// Evaluation

export interface EvalContext {
  scope: Scope
  /** Extra evaluation passes left (the Passes attribute); `[[Var]]` spends one. */
  passes: number
}

function describe (value: TcxValue): string {
  if (value === null) return 'null'
  if (value instanceof Date) return 'a DateTime'
  if (value instanceof TimeSpan) return 'a TimeSpan'
  return typeof value === 'number' ? 'a number' : `the string "${value}"`
}

/** The text a value becomes inside a string. */
export function stringify (value: TcxValue, source: string): string {
  if (value === null) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'number') return numberToString(value)
  if (value instanceof TimeSpan) return formatTimeSpan(value)
  // A DateTime without ToString(format) renders in the PBX culture (3cx-crm.md §3): not reproducible.
  throw new ExpressionError('A DateTime rendered without .ToString(format) depends on the PBX locale', source)
}

function callMethod (target: TcxValue, name: string, args: string[], source: string): TcxValue {
  const fail = (why: string): never => { throw new ExpressionError(`.${name}(${args.map((a) => `"${a}"`).join(',')}) ${why}`, source) }
  switch (name) {
    case 'Replace': {
      if (args.length !== 2) fail('takes two arguments')
      if (target instanceof Date || target instanceof TimeSpan) fail(`cannot be called on ${describe(target)}`)
      const [from, to] = args as [string, string]
      if (from === '') fail('cannot replace an empty string')
      return stringify(target, source).split(from).join(to)
    }
    case 'ToString': {
      if (args.length !== 1) fail('needs exactly one format in this interpreter')
      if (target === null) fail('on a null value fails in 3CX')
      if (target instanceof Date) return formatDate(target, args[0] as string)
      if (typeof target === 'number') return formatNumber(target, args[0] as string)
      return fail(`cannot be called on ${describe(target)}`)
    }
    case 'get_TotalSeconds':
    case 'get_TotalMinutes': {
      if (args.length !== 0) fail('takes no arguments')
      if (!(target instanceof TimeSpan)) return fail(`needs a TimeSpan, got ${describe(target)}`)
      return name === 'get_TotalSeconds' ? target.totalSeconds : target.totalSeconds / 60
    }
    default:
      return fail('is outside the supported subset')
  }
}

function evaluateBracket (expr: BracketExpr, ctx: EvalContext, source: string): TcxValue {
  let value: TcxValue
  const { primary } = expr
  if (primary.kind === 'var') {
    const known = ctx.scope.get(primary.name)
    // Unknown renders empty; a known null stays null (formatting it fails, as in 3CX).
    value = known === undefined ? '' : known
  } else if (primary.kind === 'call') {
    value = callFunction(primary.name, primary.args, ctx, source)
  } else {
    value = evaluateBracket(primary.inner, ctx, source)
    if (expr.methods.length === 0) {
      // [[Var]]: the variable's text is a template itself (a parameter default like "3CX Contact [Number]").
      if (ctx.passes < 1) throw new ExpressionError('[[...]] needs Passes of at least 1', source)
      if (typeof value === 'string') value = renderTemplate(parseTemplateText(value), { scope: ctx.scope, passes: ctx.passes - 1 })
    }
  }
  for (const method of expr.methods) value = callMethod(value, method.name, method.args, source)
  return value
}

function stripQuotes (text: string): string {
  const trimmed = text.trim()
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1) : trimmed
}

function callFunction (name: string, args: Operand[], ctx: EvalContext, source: string): TcxValue {
  if (name !== 'IIf') throw new ExpressionError(`Function ${name}() is outside the supported subset`, source)
  if (args.length !== 3) throw new ExpressionError('IIf takes three arguments', source)
  const [test, then, otherwise] = args as [Operand, Operand, Operand]
  const branch = operandIsTrue(test, ctx) ? then : otherwise
  // A branch that is itself a comparison yields True/False, as in the official CreateContactRecord SkipIf.
  if (branch.kind === 'condition') return evaluateCondition(branch.condition, ctx) ? 'True' : 'False'
  return stripQuotes(renderTemplate(branch.template, ctx))
}

function operandIsTrue (operand: Operand, ctx: EvalContext): boolean {
  return operand.kind === 'condition' ? evaluateCondition(operand.condition, ctx) : truthy(operand.template, ctx)
}

export function renderTemplate (template: TemplateExpr, ctx: EvalContext): string {
  let out = ''
  for (const part of template.parts) out += part.kind === 'text' ? part.text : stringify(evaluateBracket(part.expr, ctx, template.source), template.source)
  return out
}

function operandText (template: TemplateExpr, ctx: EvalContext): string {
  return stripQuotes(renderTemplate(template, ctx))
}

function truthy (template: TemplateExpr, ctx: EvalContext): boolean {
  const text = operandText(template, ctx)
  if (/^true$/i.test(text)) return true
  if (/^false$/i.test(text) || text === '') return false
  throw new ExpressionError(`"${text}" is not a boolean`, template.source)
}

function equal (left: string, right: string): boolean {
  // Booleans come as .NET's True/False from 3CX but may be typed in any case by an administrator.
  if (/^(true|false)$/i.test(left) && /^(true|false)$/i.test(right)) return left.toLowerCase() === right.toLowerCase()
  return left === right
}

export function evaluateCondition (condition: Condition, ctx: EvalContext): boolean {
  switch (condition.kind) {
    case 'or': return condition.items.some((item) => evaluateCondition(item, ctx))
    case 'and': return condition.items.every((item) => evaluateCondition(item, ctx))
    case 'value': return truthy(condition.operand, ctx)
    case 'compare': {
      const left = operandText(condition.left, ctx)
      const right = operandText(condition.right, ctx)
      if (condition.op === '==') return equal(left, right)
      if (condition.op === '!=') return !equal(left, right)
      const l = Number(left)
      const r = Number(right)
      if (left === '' || right === '' || Number.isNaN(l) || Number.isNaN(r)) {
        throw new ExpressionError(`">" needs numbers, got "${left}" and "${right}"`, condition.left.source + '>' + condition.right.source)
      }
      return l > r
    }
  }
}
