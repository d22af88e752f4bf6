import type { FilterExpr } from './filter.js'
import { guidLiteral, stringLiteral } from './literals.js'

/**
 * Builds resource paths and query strings for the standard OData interface. Names are percent-encoded
 * UTF-8 (Cyrillic set and field names), spaces as %20 because some 1C publications do not decode `+`
 * (onec-odata.md §3.1).
 */
export interface ListQuery {
  set: string
  filter?: FilterExpr
  select?: readonly string[]
  orderby?: readonly string[]
  top?: number
  skip?: number
  inlineCount?: boolean
  /** `allowedOnly=true`: skip rows hidden by RLS instead of failing with code 20 (onec-odata.md §3.2). */
  allowedOnly?: boolean
}

export type KeyValue = { kind: 'guid', value: string } | { kind: 'string', value: string }

const NAME = /^[\p{L}_][\p{L}\p{N}_]*$/u
const SELECT_ITEM = /^(\*\*?|[\p{L}_][\p{L}\p{N}_]*(\/[\p{L}_][\p{L}\p{N}_]*|\/\*)?)$/u
const ORDER_ITEM = /^[\p{L}_][\p{L}\p{N}_]*(\/[\p{L}_][\p{L}\p{N}_]*)*( (asc|desc))?$/u

/** The JSON flavour we ask for: no metadata, the smallest answer 1C gives (onec-odata.md §2.1). */
export const JSON_FORMAT = 'application/json;odata=nometadata'

export function entitySetName (name: string): string {
  if (!NAME.test(name)) throw new TypeError(`not an entity-set name: ${JSON.stringify(name)}`)
  return name
}

/** `Catalog_Партнеры(guid'…')` or `InformationRegister_X(Dim='…')`, encoded for a URL path. */
export function entityPath (set: string, key: string | Record<string, KeyValue>): string {
  const name = encodeURIComponent(entitySetName(set))
  if (typeof key === 'string') return `${name}(${guidLiteral(key)})`
  const parts = Object.entries(key).map(([k, v]) => {
    const literal = v.kind === 'guid' ? guidLiteral(v.value) : stringLiteral(v.value)
    return `${encodeURIComponent(entitySetName(k))}=${encodeURIComponent(literal)}`
  })
  if (parts.length === 0) throw new TypeError('a key needs at least one part')
  return `${name}(${parts.join(',')})`
}

export function collectionPath (set: string): string {
  return encodeURIComponent(entitySetName(set))
}

export function listQueryString (q: ListQuery): string {
  const params: Array<[string, string]> = [['$format', JSON_FORMAT]]
  if (q.filter !== undefined) params.push(['$filter', q.filter.toString()])
  if (q.select !== undefined && q.select.length > 0) {
    for (const item of q.select) if (!SELECT_ITEM.test(item)) throw new TypeError(`bad $select item: ${JSON.stringify(item)}`)
    params.push(['$select', q.select.join(',')])
  }
  if (q.orderby !== undefined && q.orderby.length > 0) {
    for (const item of q.orderby) if (!ORDER_ITEM.test(item)) throw new TypeError(`bad $orderby item: ${JSON.stringify(item)}`)
    params.push(['$orderby', q.orderby.join(',')])
  }
  // 1C applies $skip before $top whatever their order (onec-odata.md §3.2); we write them in that order too.
  if (q.skip !== undefined) params.push(['$skip', String(nonNegativeInteger(q.skip, '$skip'))])
  if (q.top !== undefined) params.push(['$top', String(nonNegativeInteger(q.top, '$top'))])
  if (q.inlineCount === true) params.push(['$inlinecount', 'allpages'])
  if (q.allowedOnly === true) params.push(['allowedOnly', 'true'])
  return encodeParams(params)
}

export function formatQueryString (extra: Array<[string, string]> = []): string {
  return encodeParams([['$format', JSON_FORMAT], ...extra])
}

export function selectQueryString (select?: readonly string[]): string {
  if (select === undefined || select.length === 0) return formatQueryString()
  for (const item of select) if (!SELECT_ITEM.test(item)) throw new TypeError(`bad $select item: ${JSON.stringify(item)}`)
  return formatQueryString([['$select', select.join(',')]])
}

function encodeParams (params: Array<[string, string]>): string {
  // `$` stays literal in option names; values are fully percent-encoded (encodeURIComponent leaves
  // `'`, `(`, `)`, `*` as they are, which 1C reads literally).
  return params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')
}

function nonNegativeInteger (value: number, name: string): number {
  if (!Number.isInteger(value) || value < 0) throw new TypeError(`${name} must be a non-negative integer`)
  return value
}
