import type { FileHandle } from 'node:fs/promises'
import { createRequire, syncBuiltinESMExports } from 'node:module'
import { resolve, sep } from 'node:path'

const require = createRequire(import.meta.url)
// The CommonJS face of node:fs/promises: what syncBuiltinESMExports copies into the ES-module imports.
const fsp = require('node:fs/promises') as typeof import('node:fs/promises') & Record<string, unknown>

interface Teardown {
  teardown: (fn: () => unknown) => void
}

export interface FullDisk {
  /** From now on, files under the directory cannot be created, opened for writing or written to. */
  fill: () => void
  free: () => void
}

function noSpace (syscall: string): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(`ENOSPC: no space left on device, ${syscall}`)
  err.code = 'ENOSPC'
  err.errno = -28
  err.syscall = syscall
  return err
}

/**
 * A disk that fills up and gets room again, for everything under `dir` only: while full, opening a file
 * there for writing and writing through a handle opened there fail with ENOSPC, as on a real full disk;
 * reading, removing and syncing go on working. node:fs/promises is patched for this process until the
 * test ends; call it before anything opens files under `dir`.
 */
export async function diskUnder (t: Teardown, dir: string): Promise<FullDisk> {
  const root = resolve(dir)
  const inside = (path: unknown): boolean => typeof path === 'string' && (resolve(path) === root || resolve(path).startsWith(root + sep))
  const probe = await fsp.open(root, 'r')
  const proto = Object.getPrototypeOf(probe) as FileHandle
  await probe.close()
  const realOpen = fsp.open
  const realWrite = proto.write
  const handles = new WeakSet<FileHandle>()
  let full = false

  fsp.open = (async (path: Parameters<typeof realOpen>[0], flags?: string | number, mode?: number) => {
    const writing = typeof flags === 'string' && /[wa+]/.test(flags)
    if (full && writing && inside(path)) throw noSpace('open')
    const fh = await realOpen(path, flags, mode)
    if (inside(path)) handles.add(fh)
    return fh
  }) as typeof realOpen
  // A FileHandle's write has several overloads; the patch passes any of them through.
  proto.write = function (this: FileHandle, ...args: unknown[]) {
    if (full && handles.has(this)) return Promise.reject(noSpace('write'))
    return (realWrite as (...a: unknown[]) => unknown).apply(this, args)
  } as FileHandle['write']
  syncBuiltinESMExports()
  t.teardown(() => {
    fsp.open = realOpen
    proto.write = realWrite
    syncBuiltinESMExports()
  })
  return {
    fill: () => { full = true },
    free: () => { full = false },
  }
}
