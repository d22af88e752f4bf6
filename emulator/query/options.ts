import { queryOptionError } from '../errors.js'

/** The system query options 1C understands (onec-odata.md §3.2); anything else starting with `$` is code 14. */
export interface QueryOptions {
  filter?: string
  select?: string
  orderby?: string
  top?: number
  skip?: number
  /** `$inlinecount=allpages`: count in the answer, and `$top`/`$skip` ignored (DOC §17.4.6.2). */
  inlineCount: boolean
  expand?: string
  format?: string
  /** `allowedOnly` / `$allowedOnly` (DOC §17.4.5.4). */
  allowedOnly: boolean
  /** Parameters without `$`, e.g. `PostingModeOperational`. */
  params: Map<string, string>
}

const KNOWN = new Set(['$filter', '$select', '$orderby', '$top', '$skip', '$inlinecount', '$expand', '$format', '$allowedonly'])

export function readQueryOptions (query: Map<string, string>): QueryOptions {
  const options: QueryOptions = { inlineCount: false, allowedOnly: false, params: new Map() }
  for (const [name, value] of query) {
    const lower = name.toLowerCase()
    if (!name.startsWith('$')) {
      if (lower === 'allowedonly') options.allowedOnly = flag(name, value)
      else options.params.set(name, value)
      continue
    }
    if (!KNOWN.has(lower)) throw queryOptionError(`неизвестный параметр ${name}`)
    switch (lower) {
      case '$filter': options.filter = value; break
      case '$select': options.select = value; break
      case '$orderby': options.orderby = value; break
      case '$expand': options.expand = value; break
      case '$format': options.format = value; break
      case '$top': options.top = count(name, value); break
      case '$skip': options.skip = count(name, value); break
      case '$allowedonly': options.allowedOnly = flag(name, value); break
      case '$inlinecount':
        if (value !== 'allpages' && value !== 'none') throw queryOptionError(`${name} должен быть allpages или none`)
        options.inlineCount = value === 'allpages'
        break
    }
  }
  return options
}

function count (name: string, value: string): number {
  if (!/^\d{1,9}$/.test(value.trim())) throw queryOptionError(`${name} должен быть неотрицательным целым числом`)
  return Number(value.trim())
}

function flag (name: string, value: string): boolean {
  if (value !== 'true' && value !== 'false') throw queryOptionError(`${name} должен быть true или false`)
  return value === 'true'
}
