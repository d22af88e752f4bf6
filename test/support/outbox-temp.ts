import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Outbox } from '../../lib/outbox/index.js'

interface Teardown {
  teardown: (fn: () => unknown) => void
}

/** A fresh directory under the OS temp dir, removed when the test ends. */
export async function tempDir (t: Teardown): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'outbox-test-'))
  t.teardown(async () => { await rm(dir, { recursive: true, force: true }) })
  return dir
}

export async function segmentFiles (dir: string): Promise<string[]> {
  return (await readdir(dir)).filter(name => name.startsWith('seg-')).sort()
}

export async function snapshotFiles (dir: string): Promise<string[]> {
  return (await readdir(dir)).filter(name => name.startsWith('snap-')).sort()
}

/** Everything a user of the outbox can observe about its queue, for before/after comparisons. */
export function observable<T> (outbox: Outbox<T>): { pending: unknown[], dead: unknown[], pendingCount: number, deadCount: number, remembered: number } {
  const stats = outbox.stats()
  return {
    pending: outbox.pending(),
    dead: outbox.deadLetters(),
    pendingCount: stats.pending,
    deadCount: stats.dead,
    remembered: stats.remembered,
  }
}
