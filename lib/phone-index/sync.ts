import { setImmediate as yieldToRings } from 'node:timers/promises'
import { AppError } from '../errors.js'
import { gt, guid } from '../odata/filter.js'
import { ownerSelect, toOwnerRecord } from '../directory/owners.js'
import type { DirectoryContext, RequestContext } from '../directory/types.js'
import type { ListQuery } from '../odata/query.js'
import type { Profile, SourceProfile } from '../profiles/types.js'
import { PhoneTable } from './table.js'

/**
 * Reads every owner of the profile's sources with their contact information, page by page, and builds a
 * fresh table. Paging:
 * - `keyset` (the default): `$filter=Ref_Key gt guid'<last>'&$orderby=Ref_Key&$top=N`. In 1C's SQL this is
 *   a range read of the clustered index on the reference: each page costs its own rows, however deep.
 *   Whether 1C's OData accepts `gt` on a GUID is not documented (onec-odata.md §3.1 lists `gt` generally);
 *   1C's own query language pages this way (`Ссылка > &Последняя УПОРЯДОЧИТЬ ПО Ссылка`): ordering by a
 *   reference without АВТОУПОРЯДОЧИВАНИЕ sorts by the internal reference, the order `>` compares in
 *   (1c-dn.com, "Specifics of sorting by reference fields"). `check` tries the filter on the real base.
 * - `skip`: `$orderby=Ref_Key&$skip=K&$top=N`, which the reference does document (§3.2). The DBMS still
 *   reads and throws away K rows for every page, so a full pass costs O(rows²/N) rows read. Positions
 *   move when objects before the cursor go away between two pages (1C's nightly deletion of marked
 *   objects), so each page starts a few objects early (skipWindow).
 * - `auto`: keyset, and skip from the first page on if 1C refuses the keyset filter.
 * bench/ measures both against the emulator's cost model.
 *
 * Should a 1C accept the keyset filter but order the pages otherwise than it compares, keyset paging would
 * skip objects without an error. So a keyset pass over a source ends with `$count`: fewer objects read
 * than 1C counts (beyond what was created meanwhile) makes `auto` start over with `$skip`, and `keyset` fail.
 */
export type Paging = 'keyset' | 'skip' | 'auto'

export interface SyncOptions {
  pageSize: number
  paging: Paging
  signal?: AbortSignal
  /** Per page, for logs and progress. */
  onPage?: (page: { set: string, rows: number, paging: 'keyset' | 'skip' }) => void
  /** Before every request to 1C (a page or a count), so that a sync that fails can say how far it got. */
  onRequest?: () => void
  /** When auto falls back from keyset to skip. */
  onFallback?: (error: AppError) => void
}

/**
 * The longest the sync keeps the event loop while it reads a page's owners (their phones parsed one by
 * one): rings that arrive meanwhile are answered between slices, not after the page.
 */
const SLICE_MS = 2

/** Objects 1C may create while a source is read, behind the keyset cursor, before its count disagrees. */
function tolerance (counted: number): number {
  return Math.max(10, Math.ceil(counted / 1000))
}

/**
 * Objects a `$skip` page re-reads before the position where the last page ended. An object deleted
 * before that position meanwhile moves every later one a place back, and without the overlap the first
 * object of the next page would never be read: its owner's numbers would then be missing from the index
 * until the next sync (a shared number answered with the other owner). The objects read twice are passed
 * over by reference. Should none of them come back, more objects went away than the overlap covers, and
 * the page is asked again from further back (twice as far each time).
 */
const SKIP_OVERLAP = 16

/** Where a `$skip` page starts and how many objects it asks for, `back` objects before the cursor. */
function skipWindow (cursor: number, pageSize: number, back: number): { skip: number, top: number } {
  const skip = Math.max(0, cursor - back)
  return { skip, top: pageSize + (cursor - skip) }
}

export interface SyncResult {
  table: PhoneTable
  paging: 'keyset' | 'skip'
}

/**
 * One page of a sync: a source's owners with their contact information in Ref_Key order, after the
 * reference `after` (keyset; from the start without it) or after `skip` objects.
 */
export function pageQuery (source: SourceProfile, profile: Profile, pageSize: number, at: { paging: 'keyset', after: string | undefined } | { paging: 'skip', skip: number }): ListQuery {
  return {
    set: source.set,
    select: ownerSelect(source, profile.contactInfo),
    orderby: ['Ref_Key'],
    top: pageSize,
    ...(at.paging === 'skip' ? { skip: at.skip } : at.after === undefined ? {} : { filter: gt('Ref_Key', guid(at.after)) }),
  }
}

/** 1C's answer to a keyset page when it does not take `Ref_Key gt guid'…'`. */
export function isKeysetRefusal (err: unknown): err is AppError {
  return err instanceof AppError && err.code === 'ONEC_BAD_REQUEST'
}

/** Sources that other sources point at (partners): kept whole, with or without phones, for their names and deletion marks. */
function parentKinds (sources: readonly SourceProfile[]): Set<string> {
  return new Set(sources.flatMap(s => s.parent === undefined ? [] : [s.parent.source]))
}

export async function syncPhoneTable (dir: DirectoryContext, opts: SyncOptions): Promise<SyncResult> {
  const { profile } = dir
  const table = new PhoneTable(profile)
  const parents = parentKinds(profile.sources)
  const ordered = [...profile.sources].sort((a, b) => Number(parents.has(b.kind)) - Number(parents.has(a.kind)))
  // Parents are read first, so a child finds its parent's id as it arrives.
  // Per kind, by the owner's own Ref_Key string: no key string is built per owner.
  const idByRef = new Map<string, Map<string, number>>([...parents].map(kind => [kind, new Map()]))
  let paging: 'keyset' | 'skip' = opts.paging === 'skip' ? 'skip' : 'keyset'
  const ctx: RequestContext = { requestId: 'index-sync', ...(opts.signal === undefined ? {} : { signal: opts.signal }) }

  for (const source of ordered) {
    const keep = parents.has(source.kind)
    let last: string | undefined
    // $skip: the position (in 1C's current numbering) after the last object read, the references read
    // (to pass over what a page reads twice), and how far before the cursor the next page starts.
    let cursor = 0
    let readRefs = new Set<string>()
    let back = SKIP_OVERLAP
    let read = 0
    let lastPageRefs: string[] = []
    for (;;) {
      let page: Array<Record<string, unknown>>
      const window = skipWindow(cursor, opts.pageSize, back)
      try {
        opts.onRequest?.()
        page = (await dir.client.list(paging === 'keyset'
          ? pageQuery(source, profile, opts.pageSize, { paging, after: last })
          : pageQuery(source, profile, window.top, { paging, skip: window.skip }), ctx)).value
      } catch (err) {
        if (opts.paging === 'auto' && paging === 'keyset' && isKeysetRefusal(err)) {
          // Same order ($orderby=Ref_Key) either way: carry on after the rows already read.
          opts.onFallback?.(err)
          paging = 'skip'
          // 1C refuses the keyset filter at its first use, right after the first page: the last page's
          // references are every object read so far that a $skip window can reach back to.
          cursor = read
          readRefs = new Set(lastPageRefs)
          continue
        }
        throw err
      }
      const full = page.length === (paging === 'keyset' ? opts.pageSize : window.top)
      if (paging === 'skip') {
        const first = page[0]?.Ref_Key
        if (window.skip > 0 && first !== undefined && !readRefs.has(String(first))) {
          // More objects before the cursor went away than the window looks back: ask again from further back.
          back *= 2
          continue
        }
        back = SKIP_OVERLAP
        cursor = window.skip + page.length
        page = page.filter(entity => {
          const ref = String(entity.Ref_Key)
          if (readRefs.has(ref)) return false
          readRefs.add(ref)
          return true
        })
      }
      opts.onPage?.({ set: source.set, rows: page.length, paging })
      read += page.length
      if (paging === 'keyset') lastPageRefs = page.map(entity => String(entity.Ref_Key))
      const unread: Array<Record<string, unknown> | undefined> = page
      let slice = performance.now()
      for (let i = 0; i < unread.length; i++) {
        // Each object is let go as soon as it is read: the page's objects then die young, while the rest
        // of the page is read, instead of all of them being promoted to the old generation and kept there
        // until a full collection. That garbage is most of what a sync adds to the process's memory.
        const entity = unread[i] as Record<string, unknown>
        unread[i] = undefined
        if (performance.now() - slice > SLICE_MS) {
          await yieldToRings()
          slice = performance.now()
        }
        const owner = toOwnerRecord(entity, source, profile.contactInfo, dir.phone)
        if (owner === undefined) continue
        // Deletion-marked owners stay in: their numbers are then known to hold nobody live and are answered
        // "not found" from memory, instead of costing a live scan in 1C at every expiry of that answer.
        if (!keep && owner.phoneKeys.length === 0) continue
        const id = table.add(owner)
        if (keep) idByRef.get(source.kind)?.set(owner.ref, id)
        if (owner.parentRef !== undefined && source.parent !== undefined) {
          const parent = idByRef.get(source.parent.source)?.get(owner.parentRef)
          if (parent !== undefined) table.setParent(id, parent)
        }
      }
      if (!full) break
      if (paging === 'keyset') last = lastPageRefs[lastPageRefs.length - 1]
    }
    if (paging === 'keyset' && dir.client.count !== undefined) {
      opts.onRequest?.()
      // A check, not a step the sync needs: if 1C cannot count, the pages stand as read.
      const counted = await dir.client.count(source.set, ctx).catch((err: unknown) => {
        if (opts.signal?.aborted === true) throw err
        return undefined
      })
      if (counted !== undefined && read + tolerance(counted) < counted) {
        const error = new AppError('ONEC_UNEXPECTED_RESPONSE', `Keyset pages of ${source.set} (Ref_Key gt …, $orderby=Ref_Key) gave ${read} objects, but 1C counts ${counted}: this 1C orders references otherwise than it compares them.`, { hint: 'Set INDEX_PAGING=skip (or auto).' })
        if (opts.paging !== 'auto') throw error
        opts.onFallback?.(error)
        return await syncPhoneTable(dir, { ...opts, paging: 'skip' })
      }
    }
  }
  return { table: await table.sealSliced(yieldToRings), paging }
}
