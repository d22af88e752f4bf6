import { open, readdir, unlink } from 'node:fs/promises'
import { join } from 'node:path'

/**
 * Journal directory layout:
 *   seg-000000000001.log   segments, written in id order, never modified once closed
 *   snap-000000000007.snap a snapshot of the state after every segment up to id 7 (those are then removed)
 *   snapshot.tmp           a snapshot being written; never read, removed on open
 *   write-check.tmp        written and removed to see whether the disk takes writes again; never read,
 *                          removed on open if a crash left it
 */
const SEGMENT = /^seg-(\d{12})\.log$/
const SNAPSHOT = /^snap-(\d{12})\.snap$/
export const SNAPSHOT_TEMP = 'snapshot.tmp'
const WRITE_CHECK = 'write-check.tmp'
/** About one file-system block: a disk that takes this may still be nearly full, but it takes writes. */
const WRITE_CHECK_BYTES = 4096

export function segmentName (id: number): string {
  return `seg-${String(id).padStart(12, '0')}.log`
}

export function snapshotName (covers: number): string {
  return `snap-${String(covers).padStart(12, '0')}.snap`
}

export interface JournalFiles {
  /** Ascending ids. */
  segments: number[]
  /** Ascending `covers` ids. */
  snapshots: number[]
  temps: string[]
}

export async function listJournal (dir: string): Promise<JournalFiles> {
  const files: JournalFiles = { segments: [], snapshots: [], temps: [] }
  for (const name of await readdir(dir)) {
    const seg = SEGMENT.exec(name)
    const snap = SNAPSHOT.exec(name)
    if (seg?.[1] !== undefined) files.segments.push(Number(seg[1]))
    else if (snap?.[1] !== undefined) files.snapshots.push(Number(snap[1]))
    else if (name === SNAPSHOT_TEMP || name === WRITE_CHECK) files.temps.push(name)
  }
  files.segments.sort((a, b) => a - b)
  files.snapshots.sort((a, b) => a - b)
  return files
}

export async function unlinkIfPresent (path: string): Promise<void> {
  try {
    await unlink(path)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
}

/** Writes (and syncs, when `durable`) a small file in `dir`, then removes it; rejects as the write would. */
export async function checkWritable (dir: string, durable: boolean): Promise<void> {
  const path = join(dir, WRITE_CHECK)
  const fh = await open(path, 'w')
  try {
    await fh.write(Buffer.alloc(WRITE_CHECK_BYTES), 0, WRITE_CHECK_BYTES, 0)
    if (durable) await fh.datasync()
  } finally {
    await fh.close()
    await unlinkIfPresent(path)
  }
}
