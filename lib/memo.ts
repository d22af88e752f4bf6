/**
 * A function whose answers are remembered, for pure work that the same few inputs ask for again and again
 * (3CX sends each caller in the same form ring after ring). At most `maxEntries` answers are kept; past
 * that the memory starts over, which costs a re-computation, never a wrong answer.
 */
export function memoize<K, V> (compute: (key: K) => V, maxEntries: number): (key: K) => V {
  const known = new Map<K, V>()
  return (key) => {
    let value = known.get(key)
    if (value === undefined && !known.has(key)) {
      value = compute(key)
      if (known.size >= maxEntries) known.clear()
      known.set(key, value)
    }
    return value as V
  }
}
