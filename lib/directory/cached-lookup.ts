import { LRUCache } from 'lru-cache'

/**
 * The cache in front of 1C, with the rules a ringing phone needs:
 * - a found value is fresh for `ttlMs`, "not found" (null) for `negativeTtlMs`;
 * - past that, an entry is kept `staleMs` longer and served when 1C is down or slower than the budget;
 * - concurrent lookups of one key share one round trip to 1C;
 * - the caller never waits longer than the budget: the round trip goes on in the background and fills the
 *   cache for the next ring.
 */
export interface CacheOptions {
  ttlMs: number
  negativeTtlMs: number
  staleMs: number
  maxEntries: number
  now?: () => number
}

export interface CachedLookupOptions<V> extends CacheOptions {
  /** Values kept only `negativeTtlMs` ("nobody"); by default null. */
  isNegative?: (value: V | null) => boolean
  /**
   * A round trip failed when no caller waited for it any more (every one had its budget run out): nobody
   * gets the error, so it is only reported. A caller still waiting gets it as `kind: 'error'` instead.
   */
  onBackgroundError?: (key: string, err: unknown) => void
}

/** One cached value. Each `set` stores a new entry, so an entry's identity tells one stored value from the next. */
export interface CacheEntry<V> {
  readonly value: V | null
  readonly storedAt: number
  /** storedAt plus the TTL of this kind of value (found, or negative). */
  readonly freshUntil: number
}

export type CacheState = 'hit' | 'stale' | 'miss'

export type LookupResult<V> =
  /** 1C answered in time (or the cache was fresh). */
  | { kind: 'answer', value: V | null, cache: CacheState }
  /** 1C did not answer within the budget: the stale value if there was one. */
  | { kind: 'budget_exceeded', value: V | null, cache: CacheState }
  /** 1C failed: the stale value if there was one. */
  | { kind: 'error', value: V | null, cache: CacheState, error: unknown }

/** A round trip in flight, with the number of callers still waiting for it within their budget. */
interface Flight<V> {
  readonly promise: Promise<V | null>
  waiting: number
}

export class CachedLookup<V> {
  readonly #cache: LRUCache<string, CacheEntry<V>>
  readonly #inflight = new Map<string, Flight<V>>()
  readonly #opts: Required<CacheOptions>
  readonly #onBackgroundError: (key: string, err: unknown) => void
  readonly #isNegative: (value: V | null) => boolean
  /** Bumped by every purge: an answer to a question asked before a purge is not cached. */
  #generation = 0

  constructor (opts: CachedLookupOptions<V>) {
    this.#opts = { now: opts.now ?? Date.now, ttlMs: opts.ttlMs, negativeTtlMs: opts.negativeTtlMs, staleMs: opts.staleMs, maxEntries: opts.maxEntries }
    this.#cache = new LRUCache<string, CacheEntry<V>>({ max: opts.maxEntries })
    this.#onBackgroundError = opts.onBackgroundError ?? (() => {})
    this.#isNegative = opts.isNegative ?? (value => value === null)
  }

  get size (): number {
    return this.#cache.size
  }

  /** The cached value if it is fresh, without asking anyone. */
  peek (key: string): { value: V | null, fresh: boolean } | undefined {
    const entry = this.#read(key)
    return entry === undefined ? undefined : { value: entry.value, fresh: this.#fresh(entry) }
  }

  /** The entry itself while it is fresh, for callers that keep something built from it (Directory). */
  freshEntry (key: string): CacheEntry<V> | undefined {
    const entry = this.#cache.get(key)
    return entry !== undefined && this.#fresh(entry) ? entry : undefined
  }

  set (key: string, value: V | null): void {
    const storedAt = this.#opts.now()
    this.#cache.set(key, { value, storedAt, freshUntil: storedAt + (this.#isNegative(value) ? this.#opts.negativeTtlMs : this.#opts.ttlMs) })
  }

  delete (key: string): boolean {
    this.#generation++
    return this.#cache.delete(key)
  }

  clear (): void {
    this.#generation++
    this.#cache.clear()
  }

  /** Fresh cache, or one shared call of `fetch` raced against `budgetMs`. */
  async lookup (key: string, fetch: () => Promise<V | null>, budgetMs: number): Promise<LookupResult<V>> {
    const entry = this.#read(key)
    if (entry !== undefined && this.#fresh(entry)) return { kind: 'answer', value: entry.value, cache: 'hit' }
    const cache: CacheState = entry === undefined ? 'miss' : 'stale'
    const fallback = entry === undefined ? null : entry.value
    const flight = this.#shared(key, fetch)
    flight.waiting++

    let timer: NodeJS.Timeout | undefined
    // The caller stops waiting the moment its budget runs out, not when its code resumes after it.
    const budget = new Promise<'budget'>(resolve => { timer = setTimeout(() => { flight.waiting--; resolve('budget') }, budgetMs) })
    try {
      const outcome = await Promise.race([flight.promise.then(value => ({ value }), (error: unknown) => ({ error })), budget])
      if (outcome === 'budget') return { kind: 'budget_exceeded', value: fallback, cache }
      if ('error' in outcome) return { kind: 'error', value: fallback, cache, error: outcome.error }
      return { kind: 'answer', value: outcome.value, cache }
    } finally {
      clearTimeout(timer)
    }
  }

  #shared (key: string, fetch: () => Promise<V | null>): Flight<V> {
    const running = this.#inflight.get(key)
    if (running !== undefined) return running
    const started = this.#opts.now()
    const generation = this.#generation
    const promise = fetch().then(value => {
      // A purge while the round trip ran must not be undone by its late answer, nor a newer value
      // (e.g. a contact just created) be overwritten by an older one.
      const current = this.#cache.get(key)
      if (generation === this.#generation && (current === undefined || current.storedAt <= started)) this.set(key, value)
      return value
    })
    const flight: Flight<V> = { promise, waiting: 0 }
    this.#inflight.set(key, flight)
    // Registered before any caller's handlers, so this runs first: a caller still counted as waiting is
    // about to get the error itself (and the route logs it), so only a failure nobody waits for is reported.
    promise.then(() => {}, err => { if (flight.waiting === 0) this.#onBackgroundError(key, err) }).finally(() => this.#inflight.delete(key))
    return flight
  }

  #read (key: string): CacheEntry<V> | undefined {
    const entry = this.#cache.get(key)
    if (entry === undefined) return undefined
    if (this.#opts.now() > entry.freshUntil + this.#opts.staleMs) {
      this.#cache.delete(key)
      return undefined
    }
    return entry
  }

  #fresh (entry: CacheEntry<V>): boolean {
    return this.#opts.now() < entry.freshUntil
  }
}
