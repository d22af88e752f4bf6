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
 * (lib/phone-index/sync.ts), timed: a full sync is about the first page plus the others at the second's
 * pace. With keyset paging the first page tries `Ref_Key gt guid'…'`, whose acceptance by 1C is not
 * documented (onec-odata.md §3.1): the row says whether this 1C takes it.
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
      let timed: { firstMs: number, nextMs: number | undefined }
      try {
        timed = await firstPages(ctx, source, pageSize, paging)
      } catch (err) {
        if (!(err instanceof KeysetRefused)) throw err
        if (config.index.paging === 'keyset') return row('index', 'INDEX_PAGING=keyset', 'fail', index.keysetRefused(err.onec, false))
        refused = err.onec
        paging = 'skip'
        timed = await firstPages(ctx, source, pageSize, paging)
      }
      const pages = Math.max(1, Math.ceil((objects ?? 0) / pageSize))
      parts.push({ set: source.set, objects, pages, pageMs: timed.nextMs ?? timed.firstMs, ms: timed.firstMs + (pages - 1) * (timed.nextMs ?? timed.firstMs) })
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

/**
 * The sync's first two pages of a source, timed. The first is dearer than the rest (a new session and
 * connection; 1C's and the DBMS's caches cold), so the second stands for the pages after it.
 */
async function firstPages (ctx: { profile: Profile, client: CheckClient }, source: SourceProfile, pageSize: number, paging: 'keyset' | 'skip'): Promise<{ firstMs: number, nextMs: number | undefined }> {
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
  return { firstMs: first.ms, nextMs: next.ms }
}
