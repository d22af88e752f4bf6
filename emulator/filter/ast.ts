import type { Value } from './values.js'

/** The syntax tree of a $filter or $orderby expression (onec-odata.md §3.1). */
export type Node =
  | { type: 'literal', value: Value }
  /** A member path such as `Owner/Description` or `d/НомерТелефона`; `base` is a cast() call or null for the entity itself. */
  | { type: 'path', base: Node | null, segments: string[] }
  | { type: 'call', name: string, args: Node[] }
  | { type: 'binary', op: BinaryOp, left: Node, right: Node }
  | { type: 'unary', op: 'not' | 'neg', operand: Node }
  /** `TS/any(d: …)`, `TS/all(d: …)`, `TS/any()`. */
  | { type: 'lambda', op: 'any' | 'all', collection: Node & { type: 'path' }, variable: string | null, body: Node | null }

export type BinaryOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le' | 'and' | 'or' | 'add' | 'sub' | 'mul' | 'div' | 'mod'
