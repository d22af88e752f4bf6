import t from 'tap'
import { CachedLookup } from '../../../lib/directory/cached-lookup.js'

function deferred<T> (): { promise: Promise<T>, resolve: (v: T) => void, reject: (e: unknown) => void } {
  let resolve!: (v: T) => void
  let reject!: (e: unknown) => void
  const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej })
  return { promise, resolve, reject }
}

function make (now: { t: number }, onBackgroundError?: (k: string, e: unknown) => void): CachedLookup<string> {
  return new CachedLookup<string>({ ttlMs: 1000, negativeTtlMs: 100, staleMs: 10_000, maxEntries: 3, now: () => now.t, ...(onBackgroundError === undefined ? {} : { onBackgroundError }) })
}

t.test('fresh hits, negative entries expire sooner, stale entries kept for the bad days', async t => {
  const now = { t: 0 }
  const cache = make(now)
  let calls = 0
  const fetch = async (): Promise<string | null> => { calls++; return 'Ромашка' }
  t.match(await cache.lookup('a', fetch, 1000), { kind: 'answer', value: 'Ромашка', cache: 'miss' })
  t.match(await cache.lookup('a', fetch, 1000), { kind: 'answer', cache: 'hit' })
  t.equal(calls, 1)
  now.t = 1500
  t.match(await cache.lookup('a', fetch, 1000), { kind: 'answer', cache: 'stale' }, 'expired: asked again')
  t.equal(calls, 2)
  t.match(await cache.lookup('nobody', async () => null, 1000), { value: null, cache: 'miss' })
  now.t += 150
  t.match(await cache.lookup('nobody', async () => null, 1000), { cache: 'stale' }, '"not found" is kept only negativeTtlMs')
  now.t += 20_000
  t.equal(cache.peek('a'), undefined, 'beyond the stale window it is gone')
})

t.test('concurrent lookups of one key share one round trip', async t => {
  const cache = make({ t: 0 })
  const d = deferred<string | null>()
  let calls = 0
  const fetch = (): Promise<string | null> => { calls++; return d.promise }
  const all = Array.from({ length: 50 }, () => cache.lookup('k', fetch, 10_000))
  d.resolve('X')
  const results = await Promise.all(all)
  t.equal(calls, 1)
  t.ok(results.every(r => r.kind === 'answer' && r.value === 'X'))
})

t.test('the budget: stale value or nothing, and the late answer still fills the cache', async t => {
  const now = { t: 0 }
  const cache = make(now)
  const slow = deferred<string | null>()
  const r = await cache.lookup('k', () => slow.promise, 20)
  t.match(r, { kind: 'budget_exceeded', value: null, cache: 'miss' })
  slow.resolve('late')
  await slow.promise
  await new Promise(resolve => setImmediate(resolve))
  t.match(cache.peek('k'), { value: 'late', fresh: true })

  now.t = 5000
  const slower = deferred<string | null>()
  t.match(await cache.lookup('k', () => slower.promise, 20), { kind: 'budget_exceeded', value: 'late', cache: 'stale' }, 'stale served within the budget')
  slower.resolve('newer')
})

t.test('1C failing: the stale value if any; the error goes to the caller waiting for it, and is reported only when nobody waits', async t => {
  const now = { t: 0 }
  const errors: string[] = []
  const cache = make(now, (key) => errors.push(key))
  const settle = async (): Promise<void> => { await new Promise(resolve => setImmediate(resolve)) }
  await cache.lookup('k', async () => 'old', 100)
  now.t = 2000
  const boom = new Error('1C down')
  t.match(await cache.lookup('k', async () => { throw boom }, 100), { kind: 'error', value: 'old', cache: 'stale', error: boom })
  t.match(await cache.lookup('other', async () => { throw boom }, 100), { kind: 'error', value: null })
  await settle()
  t.same(errors, [], 'the callers got the errors (and answer "error"): nothing failed "after 3CX was answered"')

  const late = deferred<string | null>()
  t.match(await cache.lookup('late', () => late.promise, 10), { kind: 'budget_exceeded', value: null })
  late.reject(boom)
  await settle()
  t.same(errors, ['late'], 'failed after the only caller\'s budget ran out: reported, once')

  // Two rings share one round trip: the first gives up at its budget, the second still waits and gets the error.
  const shared = deferred<string | null>()
  const first = cache.lookup('shared', () => shared.promise, 10)
  const second = cache.lookup('shared', () => shared.promise, 60_000)
  t.match(await first, { kind: 'budget_exceeded' })
  shared.reject(boom)
  t.match(await second, { kind: 'error', error: boom })
  await settle()
  t.same(errors, ['late'], 'a caller still waited: not reported in the background')
})

t.test('a purge during a round trip is not undone by its late answer; LRU bound', async t => {
  const cache = make({ t: 0 })
  const d = deferred<string | null>()
  const p = cache.lookup('k', () => d.promise, 1000)
  cache.delete('k')
  d.resolve('from before the purge')
  await p
  t.equal(cache.peek('k'), undefined)
  for (const k of ['a', 'b', 'c', 'd']) cache.set(k, k)
  t.equal(cache.size, 3)
  t.equal(cache.peek('a'), undefined, 'least recently used went first')
})

t.test('freshEntry: the same entry while the value stays; a new one after each set; none once stale', async t => {
  const now = { t: 0 }
  const cache = make(now)
  cache.set('k', 'first')
  const entry = cache.freshEntry('k')
  t.match(entry, { value: 'first', storedAt: 0, freshUntil: 1000 })
  now.t = 999
  t.equal(cache.freshEntry('k'), entry, 'the same object while fresh: what was built from it is current')
  cache.set('k', 'first')
  t.not(cache.freshEntry('k'), entry, 'set again, even to an equal value: a new entry')
  now.t = 2000
  t.equal(cache.freshEntry('k'), undefined, 'past the TTL: none, though the stale value is still kept')
  t.match(cache.peek('k'), { value: 'first', fresh: false })
  cache.set('nobody', null)
  t.match(cache.freshEntry('nobody'), { value: null, freshUntil: 2100 }, '"not found" is fresh for negativeTtlMs only')
  cache.delete('nobody')
  t.equal(cache.freshEntry('nobody'), undefined)
})
