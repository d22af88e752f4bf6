import { open, readFile, rename } from 'node:fs/promises'
import type { FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import { listJournal, SNAPSHOT_TEMP, snapshotName, unlinkIfPresent } from './files.js'
import { syncDir } from '../sync-dir.js'
import { encodeAppend, encodeRecord, parseLines } from './records.js'
import type { Capture } from './state.js'
import { OutboxState } from './state.js'

const CHUNK_BYTES = 1 << 20

/**
 * Writes `capture` as the snapshot replacing every segment up to `covers`: temp file, sync, atomic rename,
 * directory sync. A crash before the rename leaves only the temp file, which replay ignores; after it, the
 * snapshot is complete and the older files it replaces are merely waiting to be removed. Returns its size.
 */
export async function writeSnapshot<T> (dir: string, capture: Capture<T>, covers: number, durable: boolean): Promise<number> {
  const temp = join(dir, SNAPSHOT_TEMP)
  const fh = await open(temp, 'w')
  const out = new ChunkWriter(fh)
  try {
    await out.put(encodeRecord({ t: 'S', v: 1, covers, next: capture.next }))
    for (const r of capture.remembered) await out.put(encodeRecord({ t: 'k', s: r.seq, k: r.key, at: r.at }))
    for (const [i, slot] of capture.slots.entries()) {
      await out.put(encodeAppend(slot.seq, slot.key, slot.acceptedAt, slot.payloadJson))
      const dead = capture.deads[i]
      if (dead !== undefined) await out.put(encodeRecord({ t: 'x', s: slot.seq, at: dead.deadAt, r: dead.reason }))
    }
    await out.put(encodeRecord({ t: 'E', lines: out.lines }))
    await out.flush()
    if (durable) await fh.sync()
  } finally {
    await fh.close()
  }
  await rename(temp, join(dir, snapshotName(covers)))
  if (durable) await syncDir(dir)
  return out.bytes
}

/** Removes snapshots older than the one covering `covers` (including damaged ones) and a stray temp file. */
export async function removeOlderSnapshots (dir: string, covers: number): Promise<void> {
  const files = await listJournal(dir)
  for (const c of files.snapshots) if (c < covers) await unlinkIfPresent(join(dir, snapshotName(c)))
  for (const name of files.temps) await unlinkIfPresent(join(dir, name))
}

export type LoadedSnapshot<T> = { ok: true, state: OutboxState<T>, bytes: number } | { ok: false, reason: string }

/** A snapshot is all or nothing: every line must check out, from its header to its trailer. */
export async function loadSnapshot<T> (dir: string, covers: number): Promise<LoadedSnapshot<T>> {
  let buf: Buffer
  try {
    buf = await readFile(join(dir, snapshotName(covers)))
  } catch (err) {
    return { ok: false, reason: `cannot be read (${(err as Error).message})` }
  }
  const state = new OutboxState<T>()
  let problem: string | undefined
  let lines = 0
  let ended = false
  parseLines(buf, {
    record (record, bytes, offset) {
      if (problem !== undefined) return
      if (ended) problem = `has data after its end at byte ${offset}`
      else if (lines === 0 && (record.t !== 'S' || record.covers !== covers)) problem = 'does not start with its header'
      else if (lines > 0 && (record.t === 'S' || record.t === 'h')) problem = `has a misplaced header at byte ${offset}`
      else if (record.t === 'E') {
        if (record.lines !== lines) problem = `ends after ${lines} lines but says ${record.lines}`
        ended = true
      } else {
        const contradiction = state.apply(record, bytes)
        if (contradiction !== undefined) problem = contradiction
      }
      lines++
    },
    bad (kind, offset) {
      problem ??= `has a ${kind === 'torn' ? 'torn' : 'damaged'} line at byte ${offset}`
    },
  })
  if (problem === undefined && !ended) problem = 'is incomplete'
  return problem === undefined ? { ok: true, state, bytes: buf.length } : { ok: false, reason: problem }
}

class ChunkWriter {
  bytes = 0
  lines = 0
  private chunk: Buffer[] = []
  private chunkBytes = 0

  constructor (private readonly fh: FileHandle) {}

  async put (line: Buffer): Promise<void> {
    this.chunk.push(line)
    this.chunkBytes += line.length
    this.lines++
    if (this.chunkBytes >= CHUNK_BYTES) await this.flush()
  }

  async flush (): Promise<void> {
    const buf = Buffer.concat(this.chunk)
    this.chunk = []
    this.chunkBytes = 0
    let done = 0
    while (done < buf.length) {
      const { bytesWritten } = await this.fh.write(buf, done, buf.length - done, this.bytes + done)
      done += bytesWritten
    }
    this.bytes += buf.length
  }
}
