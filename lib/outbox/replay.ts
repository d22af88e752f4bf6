import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { listJournal, segmentName, snapshotName, unlinkIfPresent } from './files.js'
import { syncDir } from '../sync-dir.js'
import { parseLines } from './records.js'
import type { SegmentFile } from './segment-log.js'
import { loadSnapshot } from './snapshot.js'
import { OutboxState } from './state.js'
import type { OutboxWarning } from './types.js'

export interface Replayed<T> {
  state: OutboxState<T>
  /** Segments after the snapshot, ascending, with their sizes. */
  segments: SegmentFile[]
  nextSegmentId: number
  snapshotBytes: number
}

/**
 * Rebuilds the state from the newest sound snapshot and the segments after it, in id order (records inside
 * a segment are in seq order). Damaged lines are reported and skipped. Then removes what that state makes
 * redundant: segments the snapshot covers, older snapshots, a temp file from an interrupted compaction.
 */
export async function replay<T> (dir: string, durable: boolean, warn: (w: OutboxWarning) => void): Promise<Replayed<T>> {
  const files = await listJournal(dir)
  let state: OutboxState<T> | undefined
  let covers = 0
  let snapshotBytes = 0
  for (const c of [...files.snapshots].reverse()) {
    const loaded = await loadSnapshot<T>(dir, c)
    if (loaded.ok) {
      state = loaded.state
      covers = c
      snapshotBytes = loaded.bytes
      break
    }
    warn({ code: 'BAD_SNAPSHOT', message: `snapshot ${snapshotName(c)} ${loaded.reason}; using older data`, file: snapshotName(c) })
  }
  state ??= new OutboxState<T>()

  const segments: SegmentFile[] = []
  for (const id of files.segments) {
    if (id <= covers) continue
    const name = segmentName(id)
    const buf = await readFile(join(dir, name))
    const into = state
    parseLines(buf, {
      record (record, bytes, offset) {
        const contradiction = into.apply(record, bytes)
        if (contradiction !== undefined) warn({ code: 'INCONSISTENT_RECORD', message: `${name} at byte ${offset}: ${contradiction}`, file: name, offset })
      },
      bad (problem, offset, bytes) {
        if (problem === 'torn') {
          warn({ code: 'TORN_TAIL', message: `${name} ends in a half-written record (${bytes} bytes at ${offset}), ignored; it was never acknowledged`, file: name, offset })
        } else {
          warn({ code: 'CORRUPT_RECORD', message: `${name} has a damaged record at byte ${offset} (${problem}), skipped`, file: name, offset })
        }
      },
    })
    segments.push({ id, bytes: buf.length })
  }

  let removed = false
  for (const id of files.segments) {
    if (id > covers) break
    await unlinkIfPresent(join(dir, segmentName(id)))
    removed = true
  }
  for (const c of files.snapshots) {
    if (c >= covers) break
    await unlinkIfPresent(join(dir, snapshotName(c)))
    removed = true
  }
  for (const name of files.temps) {
    await unlinkIfPresent(join(dir, name))
    removed = true
  }
  if (removed && durable) await syncDir(dir)

  const lastId = Math.max(0, ...files.segments, ...files.snapshots)
  return { state, segments, nextSegmentId: lastId + 1, snapshotBytes }
}
