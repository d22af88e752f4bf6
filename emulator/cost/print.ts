import type { Node } from '../filter/ast.js'
import { DateTimeValue, GuidValue, RefValue } from '../filter/values.js'

/**
 * A parsed $filter back as $filter text, fully parenthesised, so that a part of a filter (the condition an
 * index applies) can be compiled by filter/compile.ts with exactly the semantics of the whole.
 */
export function printFilter (node: Node): string {
  switch (node.type) {
    case 'literal': {
      const value = node.value
      if (value === null) return 'null'
      if (typeof value === 'string') return `'${value.replace(/'/g, "''")}'`
      if (typeof value === 'number' || typeof value === 'boolean') return String(value)
      if (value instanceof GuidValue) return `guid'${value.text}'`
      if (value instanceof DateTimeValue) return `datetime'${value.text}'`
      // The parser never makes one: typed references come from cast(), a call.
      if (value instanceof RefValue) throw new Error('a reference literal has no $filter text')
      throw new Error('unknown literal')
    }
    case 'path': {
      const segments = node.segments.join('/')
      return node.base === null ? segments : `${printFilter(node.base)}/${segments}`
    }
    case 'call':
      return `${node.name}(${node.args.map(printFilter).join(', ')})`
    case 'binary':
      return `(${printFilter(node.left)} ${node.op} ${printFilter(node.right)})`
    case 'unary':
      return node.op === 'not' ? `not (${printFilter(node.operand)})` : `-(${printFilter(node.operand)})`
    case 'lambda': {
      const body = node.variable === null || node.body === null ? '' : `${node.variable}: ${printFilter(node.body)}`
      return `${printFilter(node.collection)}/${node.op}(${body})`
    }
  }
}
