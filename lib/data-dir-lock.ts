import { randomUUID } from 'node:crypto'
import { mkdir, open, readFile, rename, rm, stat, utimes } from 'node:fs/promises'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { AppError } from './errors.js'

/**
 * One proxy per DATA_DIR. Two processes appending to the same journal segments would interleave and
 * lose calls, and two snapshots written at once would tear. The lock is a file naming its holder (host,
 * process, start) whose modification time the holder renews; it is taken over when its holder is gone:
 * - on this host, when that process no longer runs (a crash, a kill -9), at once;
 * - on another host sharing the directory, or when the process cannot be checked, once it has not been
 *   renewed for `staleMs`.
 */
export const LOCK_FILE = 'bridge.lock'

interface Holder {
  host: string
  pid: number
  startedAt: string
  /** Tells two holders apart when a process id is reused (a container restarted with the same pid). */
  token: string
}

/** Tokens of the locks this process holds: a second app of this process on the same DATA_DIR is refused too. */
const heldHere = new Set<string>()

export interface DataDirLockOptions {
  /** A lock not renewed for this long is taken over (default 30 s); it is renewed at a third of it. */
  staleMs?: number
  /** Called when the lock file was removed or taken over while held: another proxy may be writing. */
  onLost?: (holder: Partial<Holder> | undefined) => void
}

export interface DataDirLock {
  readonly path: string
  release: () => Promise<void>
}

export async function lockDataDir (dir: string, opts: DataDirLockOptions = {}): Promise<DataDirLock> {
  const staleMs = opts.staleMs ?? 30_000
  await mkdir(dir, { recursive: true })
  const path = join(dir, LOCK_FILE)
  const me: Holder = { host: hostname(), pid: process.pid, startedAt: new Date().toISOString(), token: randomUUID() }
  const text = `${JSON.stringify(me)}\n`

  if (!await createExclusive(path, text)) {
    const current = await readHolder(path)
    if (current !== undefined && !isStale(current, staleMs)) {
      throw new AppError('DATA_DIR_IN_USE', `DATA_DIR ${dir} is in use by another proxy (${describe(current.holder)}).`, {
        hint: 'Two proxies must not share a DATA_DIR: stop the other one, or give this one its own DATA_DIR.',
      })
    }
    // Stale: replaced in one step, then read back, so that of two takers at once only one goes on.
    const temp = `${path}.${me.token}`
    await writeSynced(temp, text)
    await rename(temp, path)
    const after = await readHolder(path)
    if (after?.holder.token !== me.token) {
      throw new AppError('DATA_DIR_IN_USE', `DATA_DIR ${dir} was taken by another proxy starting at the same time (${describe(after?.holder)}).`, {
        hint: 'Two proxies must not share a DATA_DIR.',
      })
    }
  }

  heldHere.add(me.token)
  let released = false
  let lost = false
  // Said once: a lost lock does not come back by itself.
  const loseTo = (holder: Partial<Holder> | undefined): void => {
    if (released || lost) return
    lost = true
    opts.onLost?.(holder)
  }
  // A renewal that fails once (a busy network share) is tried again; failing for staleMs, the lock may
  // already look stale to another host.
  let failingSince: number | undefined
  const renew = async (): Promise<void> => {
    const current = await readHolder(path)
    if (current?.holder.token !== me.token) {
      loseTo(current?.holder)
      return
    }
    const now = new Date()
    await utimes(path, now, now)
    failingSince = undefined
  }
  const timer = setInterval(() => {
    if (lost) return
    renew().catch(() => {
      failingSince ??= Date.now()
      if (Date.now() - failingSince >= staleMs) loseTo(undefined)
    })
  }, Math.max(1, Math.floor(staleMs / 3)))
  timer.unref()

  return {
    path,
    release: async () => {
      if (released) return
      released = true
      clearInterval(timer)
      heldHere.delete(me.token)
      // Only our own lock is removed: one that was taken over belongs to its new holder.
      if ((await readHolder(path))?.holder.token === me.token) await rm(path, { force: true })
    },
  }
}

/** Writes the lock file only if there is none; false when there is. */
async function createExclusive (path: string, text: string): Promise<boolean> {
  try {
    await writeSynced(path, text, 'wx')
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw err
  }
}

async function writeSynced (path: string, text: string, flag: 'w' | 'wx' = 'w'): Promise<void> {
  const handle = await open(path, flag)
  try {
    await handle.writeFile(text)
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/** The holder named in the lock file, with the file's age; undefined when there is no file any more. */
async function readHolder (path: string): Promise<{ holder: Partial<Holder>, ageMs: number } | undefined> {
  try {
    const [raw, info] = await Promise.all([readFile(path, 'utf8'), stat(path)])
    let holder: Partial<Holder> = {}
    try {
      holder = JSON.parse(raw) as Partial<Holder>
    } catch {
      // A lock file cut short by a crash while it was written: judged by its age alone.
    }
    return { holder, ageMs: Date.now() - info.mtimeMs }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
}

function isStale ({ holder, ageMs }: { holder: Partial<Holder>, ageMs: number }, staleMs: number): boolean {
  if (holder.token !== undefined && heldHere.has(holder.token)) return false
  // Our own pid with a token we do not hold: this process's previous life (a container restarted).
  if (holder.host === hostname() && typeof holder.pid === 'number' && (holder.pid === process.pid || !isRunning(holder.pid))) return true
  return ageMs > staleMs
}

function isRunning (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function describe (holder: Partial<Holder> | undefined): string {
  if (holder?.pid === undefined) return 'holder unknown'
  return `process ${holder.pid} on ${holder.host ?? '?'}, started ${holder.startedAt ?? '?'}`
}
