import { badRequest } from './errors.js'

/**
 * Representation of an answer (onec-odata.md §2.1): Atom/XML unless JSON is asked for with `$format=json`,
 * `$format=application/json[;odata=minimalmetadata|nometadata|fullmetadata]` or `Accept: application/json`.
 */
export type JsonMetadata = 'minimal' | 'none' | 'full'
export type Format = { kind: 'atom' } | { kind: 'json', metadata: JsonMetadata }

const LEVELS: Record<string, JsonMetadata> = { minimalmetadata: 'minimal', nometadata: 'none', fullmetadata: 'full' }

export function negotiateFormat (formatOption: string | undefined, accept: string | undefined): Format {
  if (formatOption !== undefined) {
    const value = formatOption.trim()
    const lower = value.toLowerCase()
    if (lower === 'json') return { kind: 'json', metadata: 'minimal' }
    if (lower === 'atom' || lower === 'xml' || lower.startsWith('application/atom+xml') || lower === 'application/xml') return { kind: 'atom' }
    if (lower.startsWith('application/json')) {
      const level = jsonLevel(value)
      if (level !== undefined) return { kind: 'json', metadata: level }
    }
    throw badRequest('3', `Запрошенный тип представления не поддерживается: ${value}`)
  }
  if (accept !== undefined) {
    const range = accept.split(',').find((r) => r.trim().toLowerCase().startsWith('application/json'))
    if (range !== undefined) return { kind: 'json', metadata: jsonLevel(range) ?? 'minimal' }
  }
  return { kind: 'atom' }
}

/** Without a valid format still answer an error in JSON when the client plainly asked for JSON. */
export function prefersJson (formatOption: string | undefined, accept: string | undefined): boolean {
  try {
    return negotiateFormat(formatOption, accept).kind === 'json'
  } catch {
    return (formatOption ?? '').toLowerCase().includes('json')
  }
}

function jsonLevel (mediaType: string): JsonMetadata | undefined {
  const param = /;\s*odata\s*=\s*([a-z]+)/i.exec(mediaType)
  if (param === null) return 'minimal'
  return LEVELS[(param[1] as string).toLowerCase()]
}
