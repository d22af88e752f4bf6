import { createHash } from 'node:crypto'
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises'
import { endianness } from 'node:os'
import { join } from 'node:path'
import { setImmediate as yieldToRings } from 'node:timers/promises'
import type { PhoneOptions } from '../phone.js'
import type { Profile } from '../profiles/types.js'
import { syncDir } from '../sync-dir.js'
import { PhoneTable, type TableColumns } from './table.js'

/**
 * The index on disk (DATA_DIR/phone-index.bin), so that the first ring after a restart is already answered
 * from memory. One JSON header line, then the table's columns as raw bytes: writing and reading it needs
 * no big intermediate strings, which matters with a few hundred thousand owners. Versioned, and bound to
 * what produced its keys: a snapshot made with another profile, other phone settings (DEFAULT_COUNTRY,
 * DEFAULT_AREA_CODE…) or another base would answer wrongly, so it is refused, as is one whose checksum does not match (a
 * torn write, a disk error) or one written on a machine of the other byte order.
 */
export const SNAPSHOT_FORMAT = '3cx-1c-bridge/phone-index'
export const SNAPSHOT_VERSION = 2
export const SNAPSHOT_FILE = 'phone-index.bin'

interface Header {
  format: string
  version: number
  fingerprint: string
  syncedAt: number
  endianness: string
  owners: number
  phones: number
  /** Byte length of each section, in SECTIONS order. */
  sections: number[]
  sha256: string
}

const SECTIONS = ['kind', 'flags', 'parent', 'phoneStart', 'phones', 'refs', 'names', 'emails'] as const
/** Names and e-mails are joined with a character 1C never stores in them. */
const SEPARATOR = '\u0000'
const SEPARATOR_BYTES = Buffer.from(SEPARATOR, 'utf8')

/**
 * What a snapshot is bound to. The infobase's address is part of it: pointed at another base (a test base
 * replaced by the production one), the proxy must not answer rings, or link journal records, with the
 * first base's owners. OData tells no identity of the base itself, so a base that moves to another
 * address is synced anew.
 */
export function fingerprint (profile: Profile, phone: PhoneOptions, infobaseUrl: string): string {
  const url = new URL(infobaseUrl)
  const base = `${url.host}${decodeURI(url.pathname).replace(/\/+$/, '')}`.toLowerCase()
  return createHash('sha256').update(JSON.stringify({ sources: profile.sources, contactInfo: profile.contactInfo, phone, base })).digest('hex').slice(0, 16)
}

function bytesOf (view: ArrayBufferView): Buffer {
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength)
}

/** Strings encoded per slice between pauses. */
const STRINGS_PER_SLICE = 5000

/**
 * The strings joined by SEPARATOR, as UTF-8: the bytes of one `Buffer.from(strings.join(…))`, in pieces
 * encoded a slice at a time with a pause between slices, and never copied into one buffer. In one go, the
 * ~300 000 names of a 100 000-partner base (Cyrillic, so every character is re-encoded) held the event
 * loop for ~200 ms at the end of each sync, and a ring arriving then waited that long; concatenating the
 * pieces held it another ~50 ms.
 */
async function utf8Joined (strings: readonly string[], pause: () => Promise<unknown>): Promise<Buffer[]> {
  const parts: Buffer[] = []
  for (let from = 0; from < strings.length; from += STRINGS_PER_SLICE) {
    if (from > 0) {
      parts.push(SEPARATOR_BYTES)
      await pause()
    }
    parts.push(Buffer.from(strings.slice(from, from + STRINGS_PER_SLICE).join(SEPARATOR), 'utf8'))
  }
  return parts
}

export async function saveSnapshot (dir: string, table: PhoneTable, syncedAt: number, print: string): Promise<void> {
  await mkdir(dir, { recursive: true })
  const c = table.columns()
  // Each section as the pieces its bytes are in, in SECTIONS order.
  const sections: Buffer[][] = [
    [bytesOf(c.kind)], [bytesOf(c.flags)], [bytesOf(c.parent)], [bytesOf(c.phoneStart)], [bytesOf(c.phones)], [c.refs],
    await utf8Joined(c.names, yieldToRings),
    await utf8Joined(c.emails.map(e => e ?? ''), yieldToRings),
  ]
  const hash = createHash('sha256')
  for (const piece of sections.flat()) hash.update(piece)
  const header: Header = {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    fingerprint: print,
    syncedAt,
    endianness: endianness(),
    owners: c.kind.length,
    phones: c.phones.length,
    sections: sections.map(pieces => pieces.reduce((length, piece) => length + piece.length, 0)),
    sha256: hash.digest('hex'),
  }
  const target = join(dir, SNAPSHOT_FILE)
  const temp = `${target}.tmp`
  const handle = await open(temp, 'w')
  try {
    await handle.write(`${JSON.stringify(header)}\n`)
    for (const piece of sections.flat()) await handle.write(piece)
    await handle.sync()
  } finally {
    await handle.close()
  }
  await rename(temp, target)
  await syncDir(dir)
}

export type LoadedSnapshot = { table: PhoneTable, syncedAt: number } | { problem: string } | undefined

/** The snapshot, or why it cannot be used; undefined when there is none. */
export async function loadSnapshot (dir: string, profile: Profile, print: string): Promise<LoadedSnapshot> {
  const path = join(dir, SNAPSHOT_FILE)
  let file: Buffer
  try {
    file = await readFile(path)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    return { problem: `cannot read ${path}: ${(err as Error).message}` }
  }
  const newline = file.indexOf(10)
  let header: Header
  try {
    header = JSON.parse(file.subarray(0, newline < 0 ? file.length : newline).toString('utf8')) as Header
  } catch {
    return { problem: `${path} has no readable header (a write was cut short?)` }
  }
  if (header.format !== SNAPSHOT_FORMAT) return { problem: `${path} is not a phone index snapshot` }
  if (header.version !== SNAPSHOT_VERSION) return { problem: `${path} has version ${String(header.version)}, this proxy reads ${SNAPSHOT_VERSION}` }
  if (header.fingerprint !== print) return { problem: `${path} was made with another profile or other phone settings` }
  if (header.endianness !== endianness()) return { problem: `${path} was written on a machine of the other byte order` }
  const body = file.subarray(newline + 1)
  const sizes = header.sections
  if (!Array.isArray(sizes) || sizes.length !== SECTIONS.length || sizes.reduce((a, b) => a + b, 0) !== body.length) {
    return { problem: `${path} is truncated or its sections do not add up` }
  }
  if (createHash('sha256').update(body).digest('hex') !== header.sha256) return { problem: `${path} fails its checksum` }
  const parts: Buffer[] = []
  let at = 0
  for (const size of sizes) {
    parts.push(body.subarray(at, at + size))
    at += size
  }
  // Copies, so that the typed arrays are aligned whatever their offset in the file.
  const copy = (b: Buffer): ArrayBuffer => b.buffer.slice(b.byteOffset, b.byteOffset + b.length) as ArrayBuffer
  const [kind, flags, parent, phoneStart, phones, refs, names, emails] = parts as [Buffer, Buffer, Buffer, Buffer, Buffer, Buffer, Buffer, Buffer]
  try {
    const n = header.owners
    const columns: TableColumns = {
      kind: new Uint8Array(copy(kind)),
      flags: new Uint8Array(copy(flags)),
      parent: new Int32Array(copy(parent)),
      phoneStart: new Int32Array(copy(phoneStart)),
      phones: new Float64Array(copy(phones)),
      refs: Buffer.from(copy(refs)),
      names: n === 0 ? [] : names.toString('utf8').split(SEPARATOR),
      emails: n === 0 ? [] : emails.toString('utf8').split(SEPARATOR).map(e => e === '' ? undefined : e),
    }
    return { table: PhoneTable.fromColumns(profile, columns), syncedAt: header.syncedAt }
  } catch (err) {
    return { problem: `${path} is inconsistent: ${(err as Error).message}` }
  }
}

export async function removeSnapshot (dir: string): Promise<void> {
  await rm(join(dir, SNAPSHOT_FILE), { force: true })
}
