import { AppError } from '../errors.js'
import { dedupe } from '../directory/policy.js'
import type { Candidate, DirectoryContext } from '../directory/types.js'
import { fingerprint, loadSnapshot, saveSnapshot } from './snapshot.js'
import { syncPhoneTable, type Paging } from './sync.js'
import type { PhoneIndexStats, PhoneTable } from './table.js'

/**
 * The phone index as a service: a snapshot at start, a full sync now and every `refreshMs`, swapped in
 * atomically (a failed sync keeps the old table), and a coalesced, rate-limited background refresh of the
 * numbers that ring, so that a number moved in 1C is corrected within seconds.
 */
export interface PhoneIndexLog {
  info: (obj: object, msg: string) => void
  warn: (obj: object, msg: string) => void
}

export interface PhoneIndexOptions {
  dir: DirectoryContext
  /** The infobase's address (ONEC_URL): a snapshot of another base is not loaded. */
  infobaseUrl: string
  dataDir: string
  pageSize: number
  paging: Paging
  refreshMs: number
  /**
   * The background refresh of one number: given the owners the index holds for it, who holds it now.
   * An empty answer makes the index forget the number, so that its next ring asks 1C live.
   */
  refresh: (key: string, current: Candidate[]) => Promise<Candidate[]>
  /** What the refresh found, for the lookup cache. */
  onRefreshed?: (key: string, candidates: Candidate[]) => void
  log: PhoneIndexLog
  /** After every full sync, good or failed (for metrics). */
  onSynced?: (sync: NonNullable<PhoneIndexState['lastSync']>) => void
  /** The first retry after a failed sync (default 30 s), doubling while syncs keep failing, up to refreshMs. */
  failedSyncRetryMs?: number
  /** One number is refreshed at most this often. */
  keyRefreshIntervalMs?: number
  /** Background refreshes running at once. */
  refreshConcurrency?: number
  /**
   * Background refreshes started per second at most, whatever the call volume: the point of the index
   * is that rings cost 1C next to nothing.
   */
  refreshPerSecond?: number
  now?: () => number
}

export interface PhoneIndexState {
  ready: boolean
  /** Where the table in use came from. */
  origin: 'snapshot' | 'sync' | undefined
  syncedAt: number | undefined
  syncing: boolean
  lastSync: { ok: boolean, at: number, durationMs: number, requests: number, paging: string, error?: string } | undefined
  stats: PhoneIndexStats
}

/** The state as an operator reads it (/admin/index, /ready): times as ISO strings, not epoch milliseconds. */
export function describeIndexState (state: PhoneIndexState): Record<string, unknown> {
  const iso = (ms: number | undefined): string | undefined => ms === undefined ? undefined : new Date(ms).toISOString()
  return {
    ready: state.ready,
    origin: state.origin,
    syncedAt: iso(state.syncedAt),
    syncing: state.syncing,
    lastSync: state.lastSync === undefined ? undefined : { ...state.lastSync, at: iso(state.lastSync.at) },
    ...state.stats,
  }
}

/** Numbers a search takes from the index at most: a fragment this common shows only a few of them anyway. */
const MAX_SEARCH_NUMBERS = 1000
/** Phone rows scanned between two turns of the event loop (a few milliseconds on a slow CPU). */
const SEARCH_SLICE = 20_000
const POWERS_OF_TEN = Array.from({ length: 17 }, (_, i) => 10 ** i)

/**
 * Whether the decimal digits of `number` (an E.164 number without `+`) hold the `length` digits of
 * `fragment` in a row, leading zeros included. Arithmetic, not strings: turning 300 000 doubles into
 * strings costs five times as long. Exact, as every value stays below 2^53.
 */
function containsDigits (number: number, fragment: number, length: number): boolean {
  const window = POWERS_OF_TEN[length] as number
  const least = POWERS_OF_TEN[length - 1] as number
  for (let rest = number; rest >= least; rest = (rest - rest % 10) / 10) {
    if (rest % window === fragment) return true
  }
  return false
}

export class PhoneIndexService {
  readonly #opts: PhoneIndexOptions
  readonly #now: () => number
  readonly #print: string
  #table: PhoneTable | undefined
  #origin: PhoneIndexState['origin']
  #syncedAt: number | undefined
  #lastSync: PhoneIndexState['lastSync']
  #paging: Paging
  #running: Promise<void> | undefined
  #abort = new AbortController()
  #timer: NodeJS.Timeout | undefined
  #stopped = false
  readonly #refreshedAt = new Map<string, number>()
  /**
   * What live lookups, creations and purges told the index while a sync was reading 1C: the sync may
   * have read those owners' pages before, so its table would not know of them (a contact created
   * meanwhile). Applied to the new table when it is swapped in.
   */
  #toldDuringSync: Map<string, Candidate[] | 'forgotten'> | undefined
  #failedInRow = 0
  /** Purges by number (a count each): a refresh that was in flight when its number was purged is dropped. */
  readonly #purges = new Map<string, number>()
  readonly #queue = new Set<string>()
  #refreshing = 0
  #startedAt: number[] = []
  #pumpTimer: NodeJS.Timeout | undefined

  constructor (opts: PhoneIndexOptions) {
    this.#opts = opts
    this.#now = opts.now ?? Date.now
    this.#print = fingerprint(opts.dir.profile, opts.dir.phone, opts.infobaseUrl)
    this.#paging = opts.paging
  }

  get state (): PhoneIndexState {
    return {
      ready: this.#table !== undefined,
      origin: this.#origin,
      syncedAt: this.#syncedAt,
      syncing: this.#running !== undefined,
      lastSync: this.#lastSync,
      stats: this.#table?.stats ?? { owners: 0, rows: 0, numbers: 0 },
    }
  }

  /** Loads the snapshot (if any and valid), then syncs in the background and every refreshMs. */
  async start (): Promise<void> {
    const loaded = await loadSnapshot(this.#opts.dataDir, this.#opts.dir.profile, this.#print)
    if (loaded !== undefined && 'problem' in loaded) {
      this.#opts.log.warn({ problem: loaded.problem }, 'phone index snapshot ignored; a full sync will rebuild it')
    } else if (loaded !== undefined) {
      this.#table = loaded.table
      this.#origin = 'snapshot'
      this.#syncedAt = loaded.syncedAt
      this.#opts.log.info({ ...loaded.table.stats, syncedAt: new Date(loaded.syncedAt).toISOString() }, 'phone index loaded from its snapshot')
    }
    void this.sync()
  }

  /** A full sync; a call while one runs waits for that one. */
  async sync (): Promise<void> {
    if (this.#stopped) return
    this.#running ??= this.#syncOnce().finally(() => {
      this.#running = undefined
      this.#schedule()
    })
    await this.#running
  }

  async stop (): Promise<void> {
    this.#stopped = true
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    if (this.#pumpTimer !== undefined) clearTimeout(this.#pumpTimer)
    this.#abort.abort()
    await this.#running?.catch(() => {})
  }

  /** Owners of a number from memory; undefined when the index does not know the number (or is not built yet). */
  candidates (key: string): Candidate[] | undefined {
    return this.#table?.candidates(key)
  }

  /**
   * Owners of every number whose digits (country code included, so the national number too) contain
   * `digits`, from memory: a SearchContacts phone fragment. Undefined while the index is not built. The
   * scan yields to the event loop between slices, so that rings are not held up by a search.
   */
  async ownersWithDigits (digits: string): Promise<Candidate[] | undefined> {
    const table = this.#table
    if (table === undefined) return undefined
    // Every number the table leads to is in its phone column, learned ones included (appended with their
    // owner); a number it has since forgotten has no candidates below. columns() gives views of the
    // table's arrays (only names and e-mails are copied, a small part of the scan's cost).
    const { phones } = table.columns()
    const fragment = Number(digits)
    const found = new Set<number>()
    for (let start = 0; start < phones.length && found.size < MAX_SEARCH_NUMBERS; start += SEARCH_SLICE) {
      if (start > 0) await new Promise(resolve => setImmediate(resolve))
      const end = Math.min(start + SEARCH_SLICE, phones.length)
      for (let row = start; row < end; row++) {
        const number = phones[row] as number
        if (containsDigits(number, fragment, digits.length)) found.add(number)
      }
    }
    return dedupe([...found].flatMap(number => table.candidates(`+${number}`) ?? []))
  }

  /** The fresh answer of a live lookup enters the index. */
  learn (key: string, candidates: Candidate[]): void {
    if (candidates.length > 0 || this.#table?.has(key) === true) this.#table?.learn(key, candidates)
    // "Nobody" is not carried over: the sync may have read an owner created after that answer.
    if (candidates.length > 0) this.#toldDuringSync?.set(key, candidates)
  }

  /**
   * Forgets what the index knows about one number, until a live lookup or the next full sync tells it
   * again (an administrator's purge of that number: its next ring must ask 1C). True when it was known.
   */
  forget (key: string): boolean {
    this.#toldDuringSync?.set(key, 'forgotten')
    if (this.#purges.size > 10_000) this.#purges.clear()
    this.#purges.set(key, (this.#purges.get(key) ?? 0) + 1)
    if (this.#table?.has(key) !== true) return false
    this.#table.learn(key, [])
    return true
  }

  /** Re-reads one number from 1C in the background, at most once per interval, a few at a time. */
  refreshSoon (key: string): void {
    const last = this.#refreshedAt.get(key)
    if (this.#stopped || (last !== undefined && this.#now() - last < (this.#opts.keyRefreshIntervalMs ?? 30_000))) return
    // Beyond this the number waits for its next ring or the next full sync.
    if (this.#queue.size >= 100) return
    this.#queue.add(key)
    this.#pump()
  }

  #pump (): void {
    // A refresh that ends after stop() must not start the next one: the 1C client is closing.
    if (this.#stopped) return
    const perSecond = this.#opts.refreshPerSecond ?? 1
    while (this.#refreshing < (this.#opts.refreshConcurrency ?? 1) && this.#queue.size > 0) {
      const key = this.#queue.values().next().value as string
      const current = this.#table?.candidates(key) ?? []
      if (current.length === 0) {
        // No live owner to re-read by key (a number of deletion-marked owners only, or one a live lookup
        // found nobody for): a refresh would conclude "nobody holds it" and send the next ring to a live
        // scan in 1C. The first kind waits for the next full sync; the second is asked live again when its
        // "not found" leaves the cache.
        this.#queue.delete(key)
        this.#markRefreshed(key)
        continue
      }
      const now = this.#now()
      this.#startedAt = this.#startedAt.filter(t => now - t < 1000)
      if (this.#startedAt.length >= perSecond) {
        if (this.#pumpTimer === undefined && !this.#stopped) {
          this.#pumpTimer = setTimeout(() => { this.#pumpTimer = undefined; this.#pump() }, 1000 - (now - (this.#startedAt[0] as number)))
          this.#pumpTimer.unref()
        }
        return
      }
      this.#startedAt.push(now)
      this.#queue.delete(key)
      this.#markRefreshed(key)
      this.#refreshing++
      const purges = this.#purges.get(key)
      this.#opts.refresh(key, current).then(candidates => {
        // Purged while 1C was asked: the administrator's purge wins, the next ring asks 1C live.
        if (this.#purges.get(key) !== purges) return
        this.#table?.learn(key, candidates)
        this.#opts.onRefreshed?.(key, candidates)
      }, err => {
        this.#opts.log.warn({ error: (err as Error).message }, 'phone index: background refresh of a number failed')
      }).finally(() => {
        this.#refreshing--
        this.#pump()
      })
    }
  }

  #markRefreshed (key: string): void {
    this.#refreshedAt.set(key, this.#now())
    if (this.#refreshedAt.size > 100_000) this.#refreshedAt.clear()
  }

  async #syncOnce (): Promise<void> {
    const started = this.#now()
    let requests = 0
    this.#toldDuringSync = new Map()
    try {
      const result = await syncPhoneTable(this.#opts.dir, {
        pageSize: this.#opts.pageSize,
        paging: this.#paging,
        signal: this.#abort.signal,
        onRequest: () => { requests++ },
        onFallback: (err) => this.#opts.log.warn({ error: err.message }, 'phone index: keyset paging does not work with this 1C; paging with $skip from now on'),
      })
      // What auto found out holds until a restart: the next syncs need not try keyset again.
      if (this.#paging === 'auto' && result.paging === 'skip') this.#paging = 'skip'
      const syncedAt = this.#now()
      // Saved before it takes any learned number: the snapshot is exactly what 1C held.
      try {
        await saveSnapshot(this.#opts.dataDir, result.table, syncedAt, this.#print)
      } catch (err) {
        this.#opts.log.warn({ error: (err as Error).message }, 'phone index snapshot could not be written')
      }
      this.#table = result.table
      this.#applyToldDuringSync(result.table)
      this.#origin = 'sync'
      this.#syncedAt = syncedAt
      this.#lastSync = { ok: true, at: syncedAt, durationMs: syncedAt - started, requests, paging: result.paging }
      this.#opts.log.info({ ...result.table.stats, durationMs: syncedAt - started, requests, paging: result.paging }, 'phone index synced')
      this.#opts.onSynced?.(this.#lastSync)
    } catch (err) {
      if (this.#stopped) return
      const message = err instanceof AppError ? `${err.code}: ${err.message}` : (err as Error).message
      this.#lastSync = { ok: false, at: this.#now(), durationMs: this.#now() - started, requests, paging: this.#paging, error: message }
      this.#opts.log.warn({ error: message, keptIndexOf: this.#syncedAt === undefined ? undefined : new Date(this.#syncedAt).toISOString() }, 'phone index sync failed; the previous index stays in use')
      this.#opts.onSynced?.(this.#lastSync)
    } finally {
      this.#toldDuringSync = undefined
    }
  }

  /**
   * Owners learned during the sync join those it read (a union: one it read is not dropped for an older
   * answer; an owner that has since let the number go is corrected by the number's next refresh); a
   * purge is repeated, so that the number's next ring asks 1C.
   */
  #applyToldDuringSync (table: PhoneTable): void {
    for (const [key, told] of this.#toldDuringSync ?? []) {
      if (told === 'forgotten') {
        if (table.has(key)) table.learn(key, [])
        continue
      }
      const read = table.candidates(key) ?? []
      const merged = dedupe([...read, ...told])
      if (merged.length > read.length) table.learn(key, merged)
    }
  }

  /**
   * The next sync: after a good one, in `refreshMs`; after failed ones, sooner (30 s, doubling up to
   * `refreshMs`), since without an index every ring of an unknown number is a scan in 1C (a proxy that
   * started while 1C was still down would otherwise wait a whole interval, up to a day).
   */
  #schedule (): void {
    if (this.#stopped) return
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#failedInRow = this.#lastSync?.ok === false ? this.#failedInRow + 1 : 0
    const delay = this.#failedInRow === 0
      ? this.#opts.refreshMs
      : Math.min(this.#opts.refreshMs, (this.#opts.failedSyncRetryMs ?? 30_000) * 2 ** Math.min(this.#failedInRow - 1, 20))
    this.#timer = setTimeout(() => { void this.sync() }, delay)
    this.#timer.unref()
  }
}
