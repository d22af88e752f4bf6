/**
 * A small seeded PRNG (sfc32, seeded through splitmix32) so that a base generated from the same seed is
 * byte-identical on every run and machine. Only 32-bit integer arithmetic is used, which JavaScript
 * engines compute identically everywhere.
 */
const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1')
const VARIANT = Buffer.from('89ab', 'latin1')
const DASH = 0x2d
const ONE = 0x31
const GUID_BUFFER = Buffer.alloc(36)

/** `[value, weight]` pairs prepared once for repeated weighted picks. */
export class WeightedTable<T> {
  readonly values: readonly T[]
  readonly cumulative: readonly number[]
  readonly total: number

  constructor (entries: readonly (readonly [T, number])[]) {
    if (entries.length === 0) throw new RangeError('a weighted table needs entries')
    const values: T[] = []
    const cumulative: number[] = []
    let total = 0
    for (const [value, weight] of entries) {
      total += weight
      values.push(value)
      cumulative.push(total)
    }
    this.values = values
    this.cumulative = cumulative
    this.total = total
  }
}

export class Random {
  private a: number
  private b: number
  private c: number
  private d: number

  constructor (seed: number) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`)
    let s = seed >>> 0
    const splitmix = (): number => {
      s = (s + 0x9e3779b9) | 0
      let z = s
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
      return (z ^ (z >>> 16)) >>> 0
    }
    this.a = splitmix()
    this.b = splitmix()
    this.c = splitmix()
    this.d = splitmix()
    // sfc32's first outputs still echo the seed; its authors recommend discarding a few.
    for (let i = 0; i < 12; i++) this.uint32()
  }

  uint32 (): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0
    this.d = (this.d + 1) | 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) | 0
    this.c = (this.c << 21) | (this.c >>> 11)
    this.c = (this.c + t) | 0
    return t >>> 0
  }

  /** A float in [0, 1). */
  float (): number {
    return this.uint32() / 4294967296
  }

  /** An integer in [0, n). */
  int (n: number): number {
    return Math.floor(this.float() * n)
  }

  /** An integer in [min, max], both included. */
  between (min: number, max: number): number {
    return min + this.int(max - min + 1)
  }

  chance (p: number): boolean {
    return this.float() < p
  }

  pick<T> (items: readonly T[]): T {
    const item = items[this.int(items.length)]
    if (item === undefined) throw new RangeError('pick from an empty list')
    return item
  }

  /** Picks a value with probability proportional to its weight. */
  weighted<T> (table: WeightedTable<T>): T {
    const roll = this.float() * table.total
    const { cumulative, values } = table
    let i = 0
    while (i < cumulative.length - 1 && roll >= (cumulative[i] ?? 0)) i++
    return values[i] as T
  }

  /** `n` decimal digits; the first one is drawn from `first` (default 0–9). */
  digits (n: number, first = '0123456789'): string {
    let out = n > 0 ? first.charAt(this.int(first.length)) : ''
    for (let i = 1; i < n; i++) out += String(this.int(10))
    return out
  }

  /**
   * A lowercase GUID shaped like the version-1 GUIDs 1C hands out for references (version nibble 1,
   * RFC variant), so that navigation-link conversion sees realistic values (onec-odata.md §9).
   */
  guid (): string {
    // Written into a buffer so that the result is one flat string: a base holds hundreds of thousands.
    const out = GUID_BUFFER
    let pos = 0
    for (let w = 0; w < 4; w++) {
      const word = this.uint32()
      for (let shift = 28; shift >= 0; shift -= 4) {
        if (pos === 8 || pos === 13 || pos === 18 || pos === 23) out[pos++] = DASH
        out[pos++] = HEX_DIGITS[(word >>> shift) & 0xf] ?? 0
      }
    }
    out[14] = ONE
    out[19] = VARIANT[(out[19] ?? 0) & 3] ?? 0
    return out.toString('latin1')
  }
}
