import type { Config } from '../config/types.js'
import { AppError } from '../errors.js'
import { isKeysetRefusal, pageQuery } from '../phone-index/sync.js'
import type { Profile, SourceProfile } from '../profiles/types.js'
import { index, type Problem, type SyncPart } from './messages.js'
import { row, skip } from './row.js'
import type { CheckClient, CheckRow } from './types.js'

/** Below every reference: the keyset filter of a sync's first page, so that one request tries it. */
const BEFORE_EVERY_REF = '00000000-0000-0000-0000-000000000000'

class KeysetRefused extends Error {
  constructor (readonly onec: string) { super('keyset refused') }
}

/**
 * The index step: what the proxy's first sync will cost this base, before 3CX rings. Per source it asks
 * 1C how many objects there are (`$count`) and reads the first two pages exactly as a sync does
 * (lib/phone-index/sync.ts), timed, and with $skip the last page too (syncPart: how they add up). With
 * keyset paging the first page tries `Ref_Key gt guid'…'`, whose acceptance by 1C is not documented
 * (onec-odata.md §3.1): the row says whether this 1C takes it.
 */
export async function checkIndex (ctx: { config: Config, profile: Profile, client: CheckClient }): Promise<CheckRow> {
  const { config } = ctx
  if (!config.index.enabled) return skip('index', 'INDEX_ENABLED=false', index.off().message)
  const pageSize = config.index.pageSize
  const refreshS = Math.round(config.index.refreshMs / 1000)
  let paging: 'keyset' | 'skip' = config.index.paging === 'skip' ? 'skip' : 'keyset'
  let refused: string | undefined
  const parts: SyncPart[] = []
  try {
    for (const source of ctx.profile.sources) {
      // As in the sync, a count 1C cannot give is not a failure: the estimate then counts one page.
      const objects = await ctx.client.count(source.set).catch(() => undefined)
      const pages = Math.max(1, Math.ceil((objects ?? 0) / pageSize))
      let timed: Timed
      try {
        timed = await timedPages(ctx, source, pageSize, paging, pages)
      } catch (err) {
        if (!(err instanceof KeysetRefused)) throw err
        if (config.index.paging === 'keyset') return row('index', 'INDEX_PAGING=keyset', 'fail', index.keysetRefused(err.onec, false))
        refused = err.onec
        paging = 'skip'
        timed = await timedPages(ctx, source, pageSize, paging, pages)
      }
      parts.push(syncPart(source.set, objects, pages, timed))
    }
  } catch (err) {
    if (!(err instanceof AppError)) throw err
    return row('index', '—', 'fail', index.failed(err.code, `${err.message}${err.hint === undefined ? '' : ` ${err.hint}`}`))
  }
  const totalMs = parts.reduce((sum, p) => sum + p.ms, 0)
  // A sync that fills half its interval or more keeps 1C busy with it most of the time.
  const slow = totalMs * 2 >= config.index.refreshMs
  const estimate = slow ? index.tooSlow(totalMs, refreshS, parts) : index.ok(paging, parts, totalMs, refreshS)
  const object = `INDEX_PAGING=${config.index.paging}`
  if (refused === undefined) return row('index', object, slow ? 'warn' : 'ok', estimate)
  const refusal = index.keysetRefused(refused, true)
  const fix = [refusal.fix, slow ? estimate.fix : undefined].filter(f => f !== undefined)
  const both: Problem = {
    message: { ru: `${refusal.message.ru} ${estimate.message.ru}`, en: `${refusal.message.en} ${estimate.message.en}` },
    ...(fix.length === 0 ? {} : { fix: { ru: fix.map(f => f.ru).join(' '), en: fix.map(f => f.en).join(' ') } }),
  }
  return row('index', object, 'warn', both)
}

interface Timed {
  firstMs: number
  /** The second page; undefined when the first was the only one. */
  nextMs: number | undefined
  /** $skip paging over three pages or more: the last page, which 1C reaches by reading past all the others. */
  lastMs?: number
}

/**
 * A source's share of the sync: the first page, then the others at the second's pace (keyset pages cost
 * alike), or with $skip growing evenly from the second's cost to the last's (1C reads and discards every
 * skipped row, so page k costs about a + b·k).
 */
export function syncPart (set: string, objects: number | undefined, pages: number, timed: Timed): SyncPart {
  const nextMs = timed.nextMs ?? timed.firstMs
  const rest = pages - 1
  const ms = timed.lastMs === undefined ? timed.firstMs + rest * nextMs : timed.firstMs + Math.round(rest * (nextMs + timed.lastMs) / 2)
  return { set, objects, pages, pageMs: nextMs, ...(timed.lastMs === undefined ? {} : { lastPageMs: timed.lastMs }), ms }
}

/**
 * The sync's first two pages of a source, timed, and with $skip its last page too. The first is dearer
 * than the rest (a new session and connection; 1C's and the DBMS's caches cold), so the second stands for
 * the keyset pages after it.
 */
async function timedPages (ctx: { profile: Profile, client: CheckClient }, source: SourceProfile, pageSize: number, paging: 'keyset' | 'skip', pages: number): Promise<Timed> {
  const read = async (after: string | undefined, skip: number): Promise<{ ms: number, rows: Array<Record<string, unknown>> }> => {
    const started = performance.now()
    const page = await ctx.client.list(pageQuery(source, ctx.profile, pageSize, paging === 'keyset' ? { paging, after: after ?? BEFORE_EVERY_REF } : { paging, skip }))
    return { ms: Math.round(performance.now() - started), rows: page.value }
  }
  let first
  try {
    first = await read(undefined, 0)
  } catch (err) {
    if (paging === 'keyset' && isKeysetRefusal(err)) {
      throw new KeysetRefused((err.details?.onec as { message?: string } | undefined)?.message ?? err.message)
    }
    throw err
  }
  if (first.rows.length < pageSize) return { firstMs: first.ms, nextMs: undefined }
  const next = await read(String(first.rows[first.rows.length - 1]?.Ref_Key), pageSize)
  if (paging === 'keyset' || pages < 3) return { firstMs: first.ms, nextMs: next.ms }
  const last = await read(undefined, (pages - 1) * pageSize)
  return { firstMs: first.ms, nextMs: next.ms, lastMs: last.ms }
}
