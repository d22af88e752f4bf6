import type { Profile, SourceProfile } from '../profiles/types.js'
import type { Candidate, OwnerRecord } from '../directory/types.js'
import { orderByPhone, orderByPhoneSliced } from './order.js'

/**
 * Every phone of the base in memory, compact enough for a 100 000-partner base (≈300 000 phone rows) to
 * cost well under 150 MB: owners are stored column by column (kinds and flags in byte arrays, the GUID as
 * 16 bytes, the phones as E.164 numbers in one Float64Array: an E.164 number has at most 15 digits, well
 * inside 2^53). The way from a number to its owners is two more columns sorted by number, built once the
 * table is complete (`seal`) and searched by bisection: a Map of 300 000 entries cost ~20 MB with its
 * number keys boxed, and its rehashing as it grew left as much again to the GC right after a sync.
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
  /** Every (number, owner) pair of the sealed table, sorted by number then owner. */
  #numbers = new Float64Array(0)
  #owners = new Int32Array(0)
  #distinct = 0
  /** Numbers learned after sealing (a live lookup, a refresh): their owners now; empty: unknown again. */
  readonly #learned = new Map<number, number[]>()
  /** Rows `learn` appended, by the record they hold. */
  readonly #appended = new Map<string, number>()

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
    let numbers = this.#distinct
    for (const [number, ids] of this.#learned) numbers += Number(ids.length > 0) - Number(this.#sealedOwners(number) !== undefined)
    return { owners: this.#count, rows: this.#phoneCount, numbers }
  }

  has (key: string): boolean {
    return this.#ownersOf(toNumber(key)) !== undefined
  }

  /** Adds an owner with its phones. Returns its id. Its numbers lead to it once the table is sealed. */
  add (owner: OwnerRecord, parentId: number = NO_PARENT): number {
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
    this.#phoneStart[id + 1] = this.#phoneCount
    return id
  }

  /** Builds the columns from number to owner out of every owner's phones: the table is complete. */
  seal (): this {
    return this.#sealIn(orderByPhone(this.#phones, this.#phoneCount))
  }

  /** The same, with `pause()` awaited between the steps of the sort, for a table built while rings are answered. */
  async sealSliced (pause: () => Promise<unknown>): Promise<this> {
    return this.#sealIn(await orderByPhoneSliced(this.#phones, this.#phoneCount, pause))
  }

  /** `order`: the rows by number. Rows are added owner by owner, so rows of one number are in owner order. */
  #sealIn (order: Uint32Array): this {
    const rows = this.#phoneCount
    const ownerOfRow = new Int32Array(rows)
    for (let id = 0; id < this.#count; id++) ownerOfRow.fill(id, this.#phoneStart[id] as number, this.#phoneStart[id + 1] as number)
    const phones = this.#phones
    const numbers = new Float64Array(rows)
    const owners = new Int32Array(rows)
    let n = 0
    let distinct = 0
    for (const row of order) {
      const number = phones[row] as number
      const id = ownerOfRow[row] as number
      // An owner listing one number twice is one candidate.
      if (n > 0 && numbers[n - 1] === number && owners[n - 1] === id) continue
      if (n === 0 || numbers[n - 1] !== number) distinct++
      numbers[n] = number
      owners[n++] = id
    }
    // Views, not copies: only an owner listing a number twice makes n smaller than rows.
    this.#numbers = numbers.subarray(0, n)
    this.#owners = owners.subarray(0, n)
    this.#distinct = distinct
    this.#learned.clear()
    this.#appended.clear()
    return this
  }

  setParent (id: number, parentId: number): void {
    this.#parent[id] = parentId
  }

  /** The candidates for a number, exactly as a live lookup would build them; undefined if the number is unknown. */
  candidates (key: string): Candidate[] | undefined {
    const ids = this.#ownersOf(toNumber(key))
    if (ids === undefined) return undefined
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
    // Appended, not updated in place: the next full sync rebuilds the table and drops what this leaves behind.
    const ids = candidates.map(c => this.#appendOnce(c.owner, c.parent === undefined ? NO_PARENT : this.#appendOnce(c.parent, NO_PARENT)))
    this.#learned.set(toNumber(key), ids)
  }

  /**
   * An owner appended by `learn`, or the row an earlier learn appended for exactly the same record: a
   * number refreshed once a second with the same answer must not add a row each time (until a sync,
   * which may fail for days, nothing else reclaims them).
   */
  #appendOnce (owner: OwnerRecord, parentId: number): number {
    const record = JSON.stringify([owner.kind, owner.ref, owner.name, owner.deleted, owner.person, parentId, owner.phoneKeys, owner.emails[0] ?? ''])
    let id = this.#appended.get(record)
    if (id === undefined) {
      id = this.add(owner, parentId)
      this.#appended.set(record, id)
    }
    return id
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
    if (c.flags.length !== n || c.parent.length !== n || c.names.length !== n || c.emails.length !== n || c.phoneStart.length !== n + 1 || c.refs.length !== n * 16 || c.phoneStart[0] !== 0 || c.phoneStart[n] !== c.phones.length) {
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
      const start = c.phoneStart[id] as number
      const end = c.phoneStart[id + 1] as number
      if ((c.kind[id] as number) >= profile.sources.length || (c.parent[id] as number) >= n || start > end || end > c.phones.length) throw new TypeError(`owner ${id} is out of range`)
    }
    return table.seal()
  }

  /** The owners of a number: as learned since sealing, else from the sorted columns; undefined if unknown. */
  #ownersOf (number: number): number[] | undefined {
    const learned = this.#learned.get(number)
    if (learned !== undefined) return learned.length === 0 ? undefined : learned
    return this.#sealedOwners(number)
  }

  #sealedOwners (number: number): number[] | undefined {
    const numbers = this.#numbers
    let low = 0
    let high = numbers.length
    while (low < high) {
      const middle = (low + high) >>> 1
      if ((numbers[middle] as number) < number) low = middle + 1
      else high = middle
    }
    if (low === numbers.length || numbers[low] !== number) return undefined
    const ids: number[] = []
    for (let i = low; i < numbers.length && numbers[i] === number; i++) ids.push(this.#owners[i] as number)
    return ids
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
