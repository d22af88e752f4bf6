/**
 * Response paths as 3CX walks them (3cx-crm.md §1.8): dot-separated keys, arrays walked implicitly
 * (every element is visited), no positional indexing (`a[0]` is just a key that does not exist).
 */

export function splitPath (path: string): string[] {
  const trimmed = path.trim()
  return trimmed === '' ? [] : trimmed.split('.')
}

/**
 * Every value reached by `segments[from..]` starting at `node`. Arrays met on the way are flattened;
 * `keep(depth, element)` can drop elements of an array met after `depth` segments.
 */
export function walk (node: unknown, segments: readonly string[], from = 0, keep?: (depth: number, element: unknown) => boolean): unknown[] {
  if (Array.isArray(node)) {
    return node.filter((element) => keep === undefined || keep(from, element)).flatMap((element) => walk(element, segments, from, keep))
  }
  if (from === segments.length) return [node]
  if (node === null || typeof node !== 'object') return []
  const key = segments[from] as string
  if (!Object.hasOwn(node, key)) return []
  return walk((node as Record<string, unknown>)[key], segments, from + 1, keep)
}

/** Whether a reached value counts as "has a value" for a Rule of type Any. */
export function isPresent (value: unknown): boolean {
  return value !== null && value !== undefined && value !== ''
}

/** A JSON scalar as the text a 3CX variable gets; objects and null give nothing. */
export function scalarText (value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (typeof value === 'number') return String(value)
  if (typeof value === 'boolean') return value ? 'True' : 'False'
  return undefined
}

/** Number of leading segments after which the path first meets an array, or -1 if it never does. */
export function firstArrayDepth (root: unknown, segments: readonly string[]): number {
  let node = root
  for (let depth = 0; depth <= segments.length; depth++) {
    if (Array.isArray(node)) return depth
    if (depth === segments.length || node === null || typeof node !== 'object') return -1
    node = (node as Record<string, unknown>)[segments[depth] as string]
  }
  return -1
}

export function startsWith (segments: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length <= segments.length && prefix.every((segment, i) => segments[i] === segment)
}

export function commonPrefixLength (a: readonly string[], b: readonly string[]): number {
  let n = 0
  while (n < a.length && n < b.length && a[n] === b[n]) n++
  return n
}
