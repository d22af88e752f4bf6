import { badUrl } from './errors.js'

/**
 * The resource part of an OData URL (onec-odata.md §3.3): `Set`, `Set(<key>)`, then `/`-separated
 * segments such as a navigation property, a property, `$count`, `$value`, `Post`. A key predicate may
 * hold `/` and `)` inside quoted strings.
 */
export interface PathSegment {
  name: string
  /** The text between the parentheses, if the segment has them. */
  key?: string
}

export function parseResourcePath (path: string): PathSegment[] {
  const segments: PathSegment[] = []
  let pos = 0
  while (pos < path.length) {
    let end = pos
    while (end < path.length && path[end] !== '(' && path[end] !== '/') end += 1
    const name = path.slice(pos, end)
    if (name === '') throw badUrl(`пустой сегмент пути в позиции ${pos + 1}`)
    const segment: PathSegment = { name }
    pos = end
    if (path[pos] === '(') {
      const close = closingParenthesis(path, pos)
      segment.key = path.slice(pos + 1, close)
      pos = close + 1
    }
    segments.push(segment)
    if (pos < path.length) {
      if (path[pos] !== '/') throw badUrl(`неожиданный символ "${path[pos] as string}" после "${name}"`)
      pos += 1
    }
  }
  return segments
}

function closingParenthesis (path: string, open: number): number {
  let inQuote = false
  for (let i = open + 1; i < path.length; i += 1) {
    const ch = path[i]
    if (ch === "'") inQuote = !inQuote
    else if (ch === ')' && !inQuote) return i
  }
  throw badUrl('незакрытая скобка в ключе сущности')
}
