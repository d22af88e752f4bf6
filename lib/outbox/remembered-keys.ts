/** The key of a delivered or dropped entry, remembered since `at`. */
export interface RememberedKey {
  readonly key: string
  readonly seq: number
  readonly at: number
}

/**
 * Keys of finished entries in the order they finished, so that expiry only looks at the oldest. A Map
 * alone would do, but a V8 Map walked from its start after many deletions from the front skips every
 * deleted slot first (measured: ~50 µs per append at 100 000 keys), so the order lives in an array;
 * an array slot whose key was since forgotten or re-remembered is skipped.
 */
export class RememberedKeys {
  private readonly byKey = new Map<string, RememberedKey>()
  private order: RememberedKey[] = []
  private head = 0

  get size (): number {
    return this.byKey.size
  }

  get (key: string): RememberedKey | undefined {
    return this.byKey.get(key)
  }

  delete (key: string): boolean {
    return this.byKey.delete(key)
  }

  /** Returns whether the key was already remembered (it now counts from `at`). */
  set (key: string, seq: number, at: number): boolean {
    const r = { key, seq, at }
    const had = this.byKey.has(key)
    this.byKey.set(key, r)
    this.order.push(r)
    return had
  }

  /** Forgets the keys remembered at or before `cutoff`; calls `forgotten` for each. */
  forgetBefore (cutoff: number, forgotten: (key: string) => void): void {
    while (this.head < this.order.length) {
      const r = this.order[this.head] as RememberedKey
      if (this.byKey.get(r.key) === r) {
        if (r.at > cutoff) break
        this.byKey.delete(r.key)
        forgotten(r.key)
      }
      this.head++
    }
    if (this.head > 1024 && this.head * 2 > this.order.length) {
      this.order = this.order.slice(this.head)
      this.head = 0
    }
  }

  /** Oldest first. */
  values (): RememberedKey[] {
    const out: RememberedKey[] = []
    for (let i = this.head; i < this.order.length; i++) {
      const r = this.order[i] as RememberedKey
      if (this.byKey.get(r.key) === r) out.push(r)
    }
    return out
  }
}
