import { AppError } from '../errors.js'
import { and, eq, bool, like, or, str, substringof, type FilterExpr } from '../odata/filter.js'
import { likeContains } from '../odata/like.js'
import { phoneSearchDigits } from '../phone.js'
import type { SourceProfile } from '../profiles/types.js'
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

export function parseSearchText (raw: string, minLength: number): SearchQuery {
  const text = raw.replace(/\s+/g, ' ').trim()
  const tooShort = (what: string): AppError => new AppError('SEARCH_TEXT_TOO_SHORT', `Search text must have at least ${what}.`, { details: { field: 'text', minLength } })
  if (text.length < minLength) throw tooShort(`${minLength} characters`)
  if (text.includes('@')) return { kind: 'email', text, words: [text] }
  if (/^[\d\s()+\-.]+$/.test(text)) {
    const digits = phoneSearchDigits(text, Math.max(5, minLength))
    if (digits === undefined) throw tooShort(`${Math.max(5, minLength)} digits for a phone number`)
    return { kind: 'phone', text, words: [], digits }
  }
  const words = text.split(' ').filter(w => w.length > 0)
  // One-letter words would turn into a near scan of the base; the other words still narrow it.
  const useful = words.filter(w => w.length >= 2)
  if (useful.length === 0) throw tooShort(`${minLength} characters`)
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
    const filter = query.kind === 'phone'
      ? and(eq(info.typeField, str(info.phoneType)), or(substringof(str(query.digits as string), info.phoneField), substringof(str(query.digits as string), info.phoneWithoutCodesField)))
      : and(eq(info.typeField, str(info.emailType)), or(substringof(str(query.text), info.emailField), substringof(str(query.text), info.presentationField)))
    const rows = await deps.client.list({ set: source.contactSet, filter, select: ['Ref_Key'], top }, ctx)
    return { source, refs: [...new Set(rows.value.map(r => String(r.Ref_Key).toLowerCase()))] }
  }))
  const candidates = await candidatesFor(deps, matches, ctx)
  return rank(candidates, query).slice(0, limit)
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
