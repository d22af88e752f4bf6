import { open } from 'node:fs/promises'
import type { FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import { segmentName, unlinkIfPresent } from './files.js'
import { syncDir } from '../sync-dir.js'

export interface SegmentFile {
  readonly id: number
  bytes: number
}

interface ActiveSegment {
  readonly file: SegmentFile
  readonly fh: FileHandle
}

/**
 * The segment files. Writes go to one active segment; a new one is created on the first write after open
 * or after a roll, so a file that may end in a torn line (from before a crash) is never appended to.
 */
export class SegmentLog {
  fsyncs = 0
  private readonly files: SegmentFile[]
  private active: ActiveSegment | undefined
  private nextId: number
  private totalBytes: number

  constructor (
    private readonly dir: string,
    private readonly durable: boolean,
    existing: SegmentFile[],
    nextId: number,
  ) {
    this.files = [...existing]
    this.nextId = nextId
    this.totalBytes = existing.reduce((sum, f) => sum + f.bytes, 0)
  }

  get count (): number {
    return this.files.length
  }

  get bytes (): number {
    return this.totalBytes
  }

  /** The segment the next write lands in (created by that write if there is no active one). */
  get targetId (): number {
    return this.active?.file.id ?? this.nextId
  }

  /** Bytes already in the segment the next write lands in. */
  get targetBytes (): number {
    return this.active?.file.bytes ?? 0
  }

  /** The newest segment id written or replayed: everything up to it is in the state. */
  get lastId (): number {
    return this.active?.file.id ?? this.nextId - 1
  }

  /** Bytes of all segments up to and including `id`. */
  bytesUpTo (id: number): number {
    let sum = 0
    for (const f of this.files) if (f.id <= id) sum += f.bytes
    return sum
  }

  /**
   * One write and one data sync for the whole batch. `header` makes the first line of a new segment.
   * Resolves once the lines are durable (when `durable`).
   */
  async write (lines: Buffer[], header: (id: number) => Buffer): Promise<void> {
    let created = false
    if (this.active === undefined) {
      const id = this.nextId++
      const fh = await open(join(this.dir, segmentName(id)), 'wx')
      const file = { id, bytes: 0 }
      this.files.push(file)
      this.active = { file, fh }
      lines = [header(id), ...lines]
      created = true
    }
    const { file, fh } = this.active
    const buf = lines.length === 1 ? lines[0] as Buffer : Buffer.concat(lines)
    let done = 0
    while (done < buf.length) {
      const { bytesWritten } = await fh.write(buf, done, buf.length - done, file.bytes + done)
      done += bytesWritten
    }
    file.bytes += buf.length
    this.totalBytes += buf.length
    if (!this.durable) return
    await fh.datasync()
    this.fsyncs++
    if (created) await syncDir(this.dir)
  }

  /** The next write starts a new segment. */
  async roll (): Promise<void> {
    const active = this.active
    if (active === undefined) return
    this.active = undefined
    await active.fh.close()
  }

  /** Removes the closed segments up to and including `id`, oldest first. */
  async removeUpTo (id: number): Promise<void> {
    let removed = false
    while (this.files.length > 0) {
      const file = this.files[0] as SegmentFile
      if (file.id > id || file === this.active?.file) break
      await unlinkIfPresent(join(this.dir, segmentName(file.id)))
      this.files.shift()
      this.totalBytes -= file.bytes
      removed = true
    }
    if (removed && this.durable) await syncDir(this.dir)
  }

  async close (): Promise<void> {
    await this.roll()
  }
}
