import { badUrl, queryOptionError } from './errors.js'

/**
 * The raw request URL, read by hand rather than by a generic query-string parser, because 1C does not
 * decode `+` as a space (onec-odata.md §3.1 [3P]) and Cyrillic names arrive percent-encoded UTF-8.
 */
export function splitUrl (rawUrl: string): { pathname: string, search: string } {
  const mark = rawUrl.indexOf('?')
  return mark === -1 ? { pathname: rawUrl, search: '' } : { pathname: rawUrl.slice(0, mark), search: rawUrl.slice(mark + 1) }
}

export function decodePath (pathname: string): string {
  try {
    return decodeURIComponent(pathname)
  } catch {
    throw badUrl('неверная кодировка адреса')
  }
}

/** Query options in order of appearance; a repeated option keeps its first value. */
export function parseQuery (search: string, plusAsSpace: boolean): Map<string, string> {
  const options = new Map<string, string>()
  for (const part of search.split('&')) {
    if (part === '') continue
    const eq = part.indexOf('=')
    const rawName = eq === -1 ? part : part.slice(0, eq)
    const rawValue = eq === -1 ? '' : part.slice(eq + 1)
    const name = decodeComponent(rawName, plusAsSpace)
    if (!options.has(name)) options.set(name, decodeComponent(rawValue, plusAsSpace))
  }
  return options
}

function decodeComponent (text: string, plusAsSpace: boolean): string {
  try {
    return decodeURIComponent(plusAsSpace ? text.replace(/\+/g, ' ') : text)
  } catch {
    throw queryOptionError('неверная кодировка параметров запроса')
  }
}

/** Percent-encodes a canonical URL for a header, keeping the OData punctuation readable. */
export function encodeUrlPath (path: string): string {
  return encodeURIComponent(path).replace(/%(2F|28|29|27|3D|2C|3A|24)/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)))
}
