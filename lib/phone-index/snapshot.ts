import { createHash } from 'node:crypto'
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { PhoneOptions } from '../phone.js'
import type { Profile } from '../profiles/types.js'
import { PhoneTable, type TableColumns } from './table.js'

/**
 * The index on disk (DATA_DIR/phone-index.json), so that the first ring after a restart is already
 * answered from memory. Versioned, and bound to what produced its keys: a snapshot made with another
 * profile or other phone settings (DEFAULT_COUNTRY, DEFAULT_AREA_CODE…) would answer wrongly, so it is
 * refused, as is one whose checksum does not match (a torn write, a disk error).
 */
export const SNAPSHOT_FORMAT = '3cx-1c-bridge/phone-index'
export const SNAPSHOT_VERSION = 1
export const SNAPSHOT_FILE = 'phone-index.json'

interface SnapshotFile {
  format: string
  version: number
  fingerprint: string
  syncedAt: number
  sha256: string
  columns: TableColumns
}

export function fingerprint (profile: Profile, phone: PhoneOptions): string {
  return createHash('sha256').update(JSON.stringify({ sources: profile.sources, contactInfo: profile.contactInfo, phone })).digest('hex').slice(0, 16)
}

export async function saveSnapshot (dir: string, table: PhoneTable, syncedAt: number, print: string): Promise<void> {
  await mkdir(dir, { recursive: true })
  const columns = table.columns()
  const body = JSON.stringify(columns)
  const file: Omit<SnapshotFile, 'columns'> = {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    fingerprint: print,
    syncedAt,
    sha256: createHash('sha256').update(body).digest('hex'),
  }
  // The header first, the columns last, so that a reader can check the checksum over the exact bytes.
  const text = `${JSON.stringify(file).slice(0, -1)},"columns":${body}}\n`
  const target = join(dir, SNAPSHOT_FILE)
  const temp = `${target}.tmp`
  const handle = await open(temp, 'w')
  try {
    await handle.writeFile(text)
    await handle.sync()
  } finally {
    await handle.close()
  }
  await rename(temp, target)
  const dirHandle = await open(dirname(target), 'r')
  try {
    await dirHandle.sync()
  } finally {
    await dirHandle.close()
  }
}

export type LoadedSnapshot = { table: PhoneTable, syncedAt: number } | { problem: string } | undefined

/** The snapshot, or why it cannot be used; undefined when there is none. */
export async function loadSnapshot (dir: string, profile: Profile, print: string): Promise<LoadedSnapshot> {
  const path = join(dir, SNAPSHOT_FILE)
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    return { problem: `cannot read ${path}: ${(err as Error).message}` }
  }
  const at = text.indexOf(',"columns":')
  let header: SnapshotFile
  try {
    header = JSON.parse(text) as SnapshotFile
  } catch {
    return { problem: `${path} is not complete JSON (a write was cut short?)` }
  }
  if (header.format !== SNAPSHOT_FORMAT) return { problem: `${path} is not a phone index snapshot` }
  if (header.version !== SNAPSHOT_VERSION) return { problem: `${path} has version ${String(header.version)}, this proxy reads ${SNAPSHOT_VERSION}` }
  if (header.fingerprint !== print) return { problem: `${path} was made with another profile or other phone settings` }
  const body = text.slice(at + ',"columns":'.length, text.lastIndexOf('}'))
  if (createHash('sha256').update(body).digest('hex') !== header.sha256) return { problem: `${path} fails its checksum` }
  try {
    return { table: PhoneTable.fromColumns(profile, header.columns), syncedAt: header.syncedAt }
  } catch (err) {
    return { problem: `${path} is inconsistent: ${(err as Error).message}` }
  }
}

export async function removeSnapshot (dir: string): Promise<void> {
  await rm(join(dir, SNAPSHOT_FILE), { force: true })
}
