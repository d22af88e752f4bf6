import { and, eq, bool, like, or, str, substringof, type FilterExpr } from '../odata/filter.js'
import { likeContains } from '../odata/like.js'
import { phoneSearchDigits } from '../phone.js'
import type { ContactInfoProfile, SourceProfile } from '../profiles/types.js'
import { candidatesFor } from './find-by-phone.js'
import type { Candidate, DirectoryContext, RequestContext } from './types.js'

/**
 * SearchContacts from the 3CX client: a name fragment, a phone fragment or an e-mail. Every word of a
 * name must appear (in any of the source's search fields); letters match in either case (see
 * lib/odata/like.ts), and `%`, `_`, `[` typed by the operator are literal. Exact matches rank first.
 */
export type SearchKind = 'name' | 'phone' | 'email'

export interface SearchQuery {
  kind: SearchKind
  text: string
  words: string[]
  /** For a phone fragment: the digits searched. */
  digits?: string
}

/** Text that cannot be searched, and why (a sentence for the operator and the log). */
export interface InvalidSearch {
  kind: 'invalid'
  reason: string
}

/** Longer text is no name, number or e-mail anyone types; it would only make 1C's LIKE patterns long. */
export const MAX_SEARCH_LENGTH = 100

/** Digits of the longest E.164 number. */
const MAX_PHONE_DIGITS = 15

// Tabs and line breaks are folded to spaces first; the other C0 controls and DEL cannot be in a 1C string
// and would be refused by lib/odata/literals.ts deep inside the query builder.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/
const NON_DIGITS = /\D/g
// What people put between the digits of a number in Представление (as lib/phone reads them), and the `+`.
const PHONE_SEPARATORS = /[\s().\-/+\u2010-\u2015\u2212]/g

/** Phone rows read per source for a digit fragment: the Представление pattern is a wide net the proxy narrows. */
const PHONE_ROWS_PER_SOURCE = 200

export function parseSearchText (raw: string, minLength: number): SearchQuery | InvalidSearch {
  const text = raw.replace(/\s+/g, ' ').trim()
  const invalid = (reason: string): InvalidSearch => ({ kind: 'invalid', reason })
  if (CONTROL.test(text)) return invalid('Search text must not contain control characters.')
  if (text.length < minLength) return invalid(`Search text must have at least ${minLength} characters.`)
  if (text.length > MAX_SEARCH_LENGTH) return invalid(`Search text must have at most ${MAX_SEARCH_LENGTH} characters.`)
  if (text.includes('@')) return { kind: 'email', text, words: [text] }
  if (/^[\d\s()+\-.]+$/.test(text)) {
    const minDigits = Math.max(5, minLength)
    const digits = phoneSearchDigits(text, minDigits)
    if (digits === undefined) {
      return invalid(text.replace(NON_DIGITS, '').length > MAX_PHONE_DIGITS
        ? 'Search text has more digits than a phone number.'
        : `Search text must have at least ${minDigits} digits for a phone number.`)
    }
    return { kind: 'phone', text, words: [], digits }
  }
  const words = text.split(' ').filter(w => w.length > 0)
  // One-letter words would turn into a near scan of the base; the other words still narrow it.
  const useful = words.filter(w => w.length >= 2)
  if (useful.length === 0) return invalid('Search text must have a word of at least 2 characters.')
  return { kind: 'name', text, words: useful }
}

export async function searchCandidates (deps: DirectoryContext, query: SearchQuery, limit: number, ctx: RequestContext = {}): Promise<Candidate[]> {
  const { profile } = deps
  const info = profile.contactInfo
  // A few more than asked per source: ranking merges sources, and deleted owners are dropped later.
  const top = limit * 2
  const matches = await Promise.all(profile.sources.map(async source => {
    if (query.kind === 'name') {
      const rows = await deps.client.list({ set: source.set, filter: nameFilter(source, query.words), select: ['Ref_Key'], top }, ctx)
      return { source, refs: rows.value.map(r => String(r.Ref_Key).toLowerCase()) }
    }
    if (query.kind === 'phone') return { source, refs: await phoneFragmentRefs(deps, source, query.digits as string, top, ctx) }
    const filter = and(eq(info.typeField, str(info.emailType)), or(substringof(str(query.text), info.emailField), substringof(str(query.text), info.presentationField)))
    const rows = await deps.client.list({ set: source.contactSet, filter, select: ['Ref_Key'], top }, ctx)
    return { source, refs: [...new Set(rows.value.map(r => String(r.Ref_Key).toLowerCase()))] }
  }))
  const candidates = await candidatesFor(deps, matches, ctx)
  return rankCandidates(candidates, query, limit)
}

/** The best `limit` of candidates found by any means (1C or the phone index), exact matches first. */
export function rankCandidates (candidates: Candidate[], query: SearchQuery, limit: number): Candidate[] {
  return rank(candidates, query).slice(0, limit)
}

/** Owners of the phone rows of one source that hold a digit fragment (phoneFragmentFilter, then re-checked). */
async function phoneFragmentRefs (deps: DirectoryContext, source: SourceProfile, digits: string, top: number, ctx: RequestContext): Promise<string[]> {
  const info = deps.profile.contactInfo
  const select = ['Ref_Key', info.phoneField, info.phoneWithoutCodesField, info.presentationField]
  const rows = await deps.client.list({ set: source.contactSet, filter: phoneFragmentFilter(info, digits), select, top: PHONE_ROWS_PER_SOURCE }, ctx)
  const refs = new Set<string>()
  for (const row of rows.value) {
    if (refs.size >= top) break
    if (rowHoldsDigits(row, info, digits)) refs.add(String(row.Ref_Key).toLowerCase())
  }
  return [...refs]
}

/**
 * Phone rows that may hold a digit fragment. НомерТелефона and НомерТелефонаБезКодов hold digits (peers.md
 * §3.4), so the fragment is a substring of them. A row an import filled with Представление alone
 * (`8-846-350-76-73`, `+7(8442)499274`, fixtures/demo-base) has separators wherever the writer put them,
 * and 1C's $filter cannot remove them (no `replace`, onec-odata.md §3.1): for such rows `like` with `%`
 * between the digits finds them in order with anything between (ПОДОБНО, §3.1), and rowHoldsDigits keeps
 * only rows where nothing but separators is between. Limited to rows with an empty НомерТелефона, the
 * only ones whose digits are not in the columns, so that the wide net does not crowd the real matches
 * out of the rows 1C returns.
 */
export function phoneFragmentFilter (info: ContactInfoProfile, digits: string): FilterExpr {
  return and(
    eq(info.typeField, str(info.phoneType)),
    or(
      substringof(str(digits), info.phoneField),
      substringof(str(digits), info.phoneWithoutCodesField),
      // `digits` holds digits only: nothing in it means anything to ПОДОБНО.
      and(eq(info.phoneField, str('')), like(info.presentationField, str(`%${[...digits].join('%')}%`))),
    ),
  )
}

function rowHoldsDigits (row: Record<string, unknown>, info: ContactInfoProfile, digits: string): boolean {
  const text = (field: string): string => typeof row[field] === 'string' ? row[field] as string : ''
  return text(info.phoneField).includes(digits) ||
    text(info.phoneWithoutCodesField).includes(digits) ||
    text(info.presentationField).replace(PHONE_SEPARATORS, '').includes(digits)
}

function nameFilter (source: SourceProfile, words: string[]): FilterExpr {
  const fields = source.searchFields ?? [source.nameField]
  const parts: FilterExpr[] = words.map(word => or(...fields.map(f => like(f, str(likeContains(word))))))
  parts.push(eq(source.deletionMarkField, bool(false)))
  if (source.folderField !== undefined) parts.push(eq(source.folderField, bool(false)))
  return and(...parts)
}

/** 0 exact, 1 starts with the text, 2 every word starts a word of the name, 3 contains. */
function score (c: Candidate, query: SearchQuery): number {
  const name = c.owner.name.toLowerCase().replace(/\s+/g, ' ')
  const text = query.text.toLowerCase()
  switch (query.kind) {
    case 'email':
      return c.owner.emails.some(e => e.trim().toLowerCase() === text) ? 0 : 3
    case 'phone': {
      const digits = query.digits as string
      const keys = c.owner.phoneKeys
      if (keys.some(k => k.endsWith(digits) && k.replace('+', '').length - digits.length <= 1)) return 0
      return keys.some(k => k.includes(digits)) ? 2 : 3
    }
    case 'name': {
      if (name === text) return 0
      if (name.startsWith(text)) return 1
      const nameWords = name.split(/[\s«»"'().,-]+/).filter(w => w !== '')
      return query.words.every(w => nameWords.some(n => n.startsWith(w.toLowerCase()))) ? 2 : 3
    }
  }
}

function rank (candidates: Candidate[], query: SearchQuery): Candidate[] {
  return candidates
    .map(c => ({ c, s: score(c, query) }))
    .sort((a, b) => a.s - b.s || a.c.priority - b.c.priority || a.c.owner.name.localeCompare(b.c.owner.name, 'ru') || (a.c.owner.ref < b.c.owner.ref ? -1 : 1))
    .map(x => x.c)
}
