/**
 * CRC-32 (IEEE 802.3, the zlib/PNG polynomial). Node 20 has no `zlib.crc32`, and every journal line carries
 * one so that a torn or flipped record is recognised on replay. Slicing-by-8 keeps replay of a large
 * journal well under a second.
 */
const TABLES = buildTables()

function buildTables (): Int32Array[] {
  const tables: Int32Array[] = []
  const t0 = new Int32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = (c & 1) !== 0 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    t0[n] = c
  }
  tables.push(t0)
  for (let i = 1; i < 8; i++) {
    const prev = tables[i - 1] as Int32Array
    const next = new Int32Array(256)
    for (let n = 0; n < 256; n++) {
      const p = prev[n] as number
      next[n] = (t0[p & 0xff] as number) ^ (p >>> 8)
    }
    tables.push(next)
  }
  return tables
}

/** CRC-32 of `bytes[start, end)` as an unsigned 32-bit number. */
export function crc32 (bytes: Uint8Array, start = 0, end = bytes.length): number {
  const [t0, t1, t2, t3, t4, t5, t6, t7] = TABLES as [Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array]
  let crc = -1
  let i = start
  const fast = end - 8
  // The `as number` casts are sound: every index is masked to 0..255 or bounded by `end`.
  while (i <= fast) {
    const a = (bytes[i] as number) | ((bytes[i + 1] as number) << 8) | ((bytes[i + 2] as number) << 16) | ((bytes[i + 3] as number) << 24)
    crc ^= a
    crc = (t7[crc & 0xff] as number) ^ (t6[(crc >>> 8) & 0xff] as number) ^ (t5[(crc >>> 16) & 0xff] as number) ^
      (t4[crc >>> 24] as number) ^ (t3[bytes[i + 4] as number] as number) ^ (t2[bytes[i + 5] as number] as number) ^
      (t1[bytes[i + 6] as number] as number) ^ (t0[bytes[i + 7] as number] as number)
    i += 8
  }
  while (i < end) {
    crc = (t0[(crc ^ (bytes[i] as number)) & 0xff] as number) ^ (crc >>> 8)
    i++
  }
  return (crc ^ -1) >>> 0
}
