import type { Profile, SourceProfile } from '../profiles/types.js'
import type { Candidate, OwnerRecord } from '../directory/types.js'

/**
 * Every phone of the base in memory, compact enough for a 100 000-partner base (≈300 000 phone rows) to
 * cost well under 150 MB: owners are stored column by column (kinds and flags in byte arrays, the GUID as
 * 16 bytes, the phones as E.164 numbers in one Float64Array), and the phone map is keyed by the number as a
 * double (an E.164 number has at most 15 digits, well inside 2^53).
 */
const DELETED = 1
const PERSON = 2
const NO_PARENT = -1

export interface PhoneIndexStats {
  owners: number
  /** Phone rows held (one per owner and number). */
  rows: number
  /** Distinct numbers. */
  numbers: number
}

/** The columns, as a snapshot stores them (views of the table's own arrays, not copies). */
export interface TableColumns {
  kind: Uint8Array
  flags: Uint8Array
  parent: Int32Array
  refs: Buffer
  phoneStart: Int32Array
  phones: Float64Array
  names: string[]
  emails: Array<string | undefined>
}

export class PhoneTable {
  readonly #sources: readonly SourceProfile[]
  #kind: Uint8Array
  #flags: Uint8Array
  #parent: Int32Array
  #refs: Buffer
  #names: string[] = []
  #emails: Array<string | undefined> = []
  #phoneStart: Int32Array
  #phones: Float64Array
  #phoneCount = 0
  #count = 0
  readonly #byNumber = new Map<number, number | number[]>()

  constructor (profile: Profile, capacity = 1024) {
    this.#sources = profile.sources
    this.#kind = new Uint8Array(capacity)
    this.#flags = new Uint8Array(capacity)
    this.#parent = new Int32Array(capacity)
    this.#refs = Buffer.alloc(capacity * 16)
    this.#phoneStart = new Int32Array(capacity + 1)
    this.#phones = new Float64Array(capacity * 2)
  }

  get stats (): PhoneIndexStats {
    return { owners: this.#count, rows: this.#phoneCount, numbers: this.#byNumber.size }
  }

  has (key: string): boolean {
    return this.#byNumber.has(toNumber(key))
  }

  /** Adds an owner; its phones (or only `linked`) enter the map. Returns its id. */
  add (owner: OwnerRecord, parentId: number = NO_PARENT, linked: readonly string[] = owner.phoneKeys): number {
    const source = this.#sources.findIndex(s => s.kind === owner.kind)
    if (source === -1) throw new TypeError(`no source for ${owner.kind}`)
    this.#reserve(this.#count + 1, this.#phoneCount + owner.phoneKeys.length)
    const id = this.#count++
    this.#kind[id] = source
    this.#flags[id] = (owner.deleted ? DELETED : 0) | (owner.person ? PERSON : 0)
    this.#parent[id] = parentId
    writeGuid(this.#refs, id * 16, owner.ref)
    // NUL separates names in the snapshot; 1C never stores it, but an import might.
    this.#names[id] = owner.name.includes('\u0000') ? owner.name.replace(/\u0000/g, ' ') : owner.name
    const email = owner.emails[0]
    this.#emails[id] = email?.includes('\u0000') === true ? email.replace(/\u0000/g, '') : email
    this.#phoneStart[id] = this.#phoneCount
    for (const key of owner.phoneKeys) this.#phones[this.#phoneCount++] = toNumber(key)
    for (const key of linked) this.#link(toNumber(key), id)
    this.#phoneStart[id + 1] = this.#phoneCount
    return id
  }

  setParent (id: number, parentId: number): void {
    this.#parent[id] = parentId
  }

  /** The candidates for a number, exactly as a live lookup would build them; undefined if the number is unknown. */
  candidates (key: string): Candidate[] | undefined {
    const entry = this.#byNumber.get(toNumber(key))
    if (entry === undefined) return undefined
    const ids = typeof entry === 'number' ? [entry] : entry
    const out: Candidate[] = []
    for (const id of ids) {
      if (((this.#flags[id] as number) & DELETED) !== 0) continue
      const source = this.#sources[this.#kind[id] as number] as SourceProfile
      const parentId = this.#parent[id] as number
      const parent = parentId === NO_PARENT ? undefined : this.#record(parentId)
      // As the live lookup: a contact person of a deleted partner is not a live client either.
      if (parent?.deleted === true && source.parent?.companyName === true) continue
      out.push({ owner: this.#record(id), source, priority: this.#kind[id] as number, parent })
    }
    return out
  }

  /** Replaces what the index knows about one number (the fresh answer of a live lookup). */
  learn (key: string, candidates: Candidate[]): void {
    const number = toNumber(key)
    this.#byNumber.delete(number)
    // Appended, not updated in place: the next full sync rebuilds the table and drops what this leaves behind.
    for (const c of candidates) {
      const parent = c.parent === undefined ? NO_PARENT : this.add(c.parent, NO_PARENT, [])
      this.add(c.owner, parent, [key])
    }
  }

  columns (): TableColumns {
    const n = this.#count
    return {
      kind: this.#kind.subarray(0, n),
      flags: this.#flags.subarray(0, n),
      parent: this.#parent.subarray(0, n),
      refs: this.#refs.subarray(0, n * 16),
      phoneStart: this.#phoneStart.subarray(0, n + 1),
      phones: this.#phones.subarray(0, this.#phoneCount),
      names: this.#names.slice(0, n),
      emails: this.#emails.slice(0, n),
    }
  }

  static fromColumns (profile: Profile, c: TableColumns): PhoneTable {
    const n = c.kind.length
    if (c.flags.length !== n || c.parent.length !== n || c.names.length !== n || c.emails.length !== n || c.phoneStart.length !== n + 1 || c.refs.length !== n * 16) {
      throw new TypeError('the columns disagree in length')
    }
    const table = new PhoneTable(profile, Math.max(n, 1))
    table.#kind.set(c.kind)
    table.#flags.set(c.flags)
    table.#parent.set(c.parent)
    c.refs.copy(table.#refs)
    table.#names = c.names.slice()
    table.#emails = c.emails.slice()
    table.#count = n
    table.#reserve(n, c.phones.length)
    table.#phoneStart.set(c.phoneStart)
    table.#phones.set(c.phones)
    table.#phoneCount = c.phones.length
    for (let id = 0; id < n; id++) {
      if ((c.kind[id] as number) >= profile.sources.length || (c.parent[id] as number) >= n) throw new TypeError(`owner ${id} is out of range`)
      for (let p = c.phoneStart[id] as number; p < (c.phoneStart[id + 1] as number); p++) table.#link(c.phones[p] as number, id)
    }
    return table
  }

  #record (id: number): OwnerRecord {
    const source = this.#sources[this.#kind[id] as number] as SourceProfile
    const parentId = this.#parent[id] as number
    const phoneKeys: string[] = []
    for (let p = this.#phoneStart[id] as number; p < (this.#phoneStart[id + 1] as number); p++) phoneKeys.push(`+${this.#phones[p] as number}`)
    const email = this.#emails[id]
    return {
      kind: source.kind,
      set: source.set,
      ref: readGuid(this.#refs, id * 16),
      name: this.#names[id] as string,
      deleted: ((this.#flags[id] as number) & DELETED) !== 0,
      person: ((this.#flags[id] as number) & PERSON) !== 0,
      parentRef: parentId === NO_PARENT ? undefined : readGuid(this.#refs, parentId * 16),
      phoneKeys,
      emails: email === undefined ? [] : [email],
    }
  }

  #link (number: number, id: number): void {
    const entry = this.#byNumber.get(number)
    if (entry === undefined) this.#byNumber.set(number, id)
    else if (typeof entry === 'number') { if (entry !== id) this.#byNumber.set(number, [entry, id]) }
    else if (!entry.includes(id)) entry.push(id)
  }

  #reserve (owners: number, phones: number): void {
    if (owners > this.#kind.length) {
      const size = Math.max(owners, this.#kind.length * 2)
      this.#kind = grow(this.#kind, size)
      this.#flags = grow(this.#flags, size)
      this.#parent = grow(this.#parent, size)
      const refs = Buffer.alloc(size * 16)
      this.#refs.copy(refs)
      this.#refs = refs
      this.#phoneStart = grow(this.#phoneStart, size + 1)
    }
    if (phones > this.#phones.length) this.#phones = grow(this.#phones, Math.max(phones, this.#phones.length * 2))
  }
}

function grow<T extends Uint8Array | Int32Array | Float64Array> (array: T, size: number): T {
  const next = new (array.constructor as new (n: number) => T)(size)
  next.set(array)
  return next
}

function toNumber (e164: string): number {
  return Number(e164.slice(1))
}

function writeGuid (buffer: Buffer, offset: number, guid: string): void {
  const hex = guid.replace(/-/g, '')
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new TypeError(`not a GUID: ${guid}`)
  buffer.write(hex, offset, 16, 'hex')
}

function readGuid (buffer: Buffer, offset: number): string {
  const h = buffer.toString('hex', offset, offset + 16)
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`
}
