import type { StoredPhone } from './phone-row.js'
import type { NumberType, PhoneSpec, PhoneStyle } from './phone-spec.js'
import { LOCAL_AREA_CODE } from './phone-plan.js'

/**
 * The ground truth about every phone row of a generated base: what is stored, and which real number it
 * is. The number comes from how the generator built the row, never from parsing the stored text, so the
 * proxy's normaliser can be checked against it.
 */

export type OwnerSet = 'Catalog_Партнеры' | 'Catalog_Контрагенты' | 'Catalog_КонтактныеЛицаПартнеров' | 'Catalog_Пользователи'

export interface PhoneTruthRow {
  /** The tabular-section entity set the row is served from, e.g. `Catalog_Партнеры_КонтактнаяИнформация`. */
  set: string
  ownerSet: OwnerSet
  ownerKey: string
  ownerDescription: string
  ownerDeletionMark: boolean
  /**
   * The partner the owner belongs to: the partner itself, a contact person's `Owner_Key`, a counterparty's
   * `Партнер_Key`; the empty reference for a user.
   */
  partnerKey: string
  lineNumber: string
  /** The contact-information kind: its PredefinedDataName, or the generator's id for a kind an administrator added. */
  kind: string
  /** How the number was entered (phone-spec.ts). */
  style: PhoneStyle
  stored: StoredPhone
  /** The true number in E.164, `null` when the row carries no area information (an internal extension). */
  e164: string | null
  /** The extension digits, `null` when none. */
  extension: string | null
  /** ISO region of the number, `null` for an internal extension. */
  region: string | null
  numberType: NumberType
}

/**
 * The true E.164 of a spec. A number typed without its area code is still a Moscow number the generator
 * built with LOCAL_AREA_CODE, so it is known in full.
 */
export function trueE164 (spec: PhoneSpec): string | null {
  if (spec.type === 'internal') return null
  const area = spec.area === '' && spec.country === '7' ? LOCAL_AREA_CODE : spec.area
  return `+${spec.country}${area}${spec.local}`
}

export type SharedOwner = Pick<PhoneTruthRow, 'set' | 'ownerSet' | 'ownerKey' | 'ownerDescription' | 'ownerDeletionMark' | 'partnerKey' | 'lineNumber' | 'extension'> & {
  presentation: string
}

export interface SharedNumber {
  e164: string
  /** Distinct owners (set + key), each with every row that holds the number, in truth order. */
  owners: SharedOwner[]
}

/** Numbers held by two or more different objects, whatever the formatting or extension. */
export function sharedNumbers (truth: readonly PhoneTruthRow[]): SharedNumber[] {
  const byNumber = new Map<string, PhoneTruthRow[]>()
  for (const row of truth) {
    if (row.e164 === null) continue
    const rows = byNumber.get(row.e164)
    if (rows === undefined) byNumber.set(row.e164, [row])
    else rows.push(row)
  }
  const shared: SharedNumber[] = []
  for (const [e164, rows] of byNumber) {
    const owners = new Set(rows.map((r) => `${r.ownerSet}/${r.ownerKey}`))
    if (owners.size < 2) continue
    shared.push({
      e164,
      owners: rows.map((r) => ({
        set: r.set,
        ownerSet: r.ownerSet,
        ownerKey: r.ownerKey,
        ownerDescription: r.ownerDescription,
        ownerDeletionMark: r.ownerDeletionMark,
        partnerKey: r.partnerKey,
        lineNumber: r.lineNumber,
        presentation: r.stored.Представление,
        extension: r.extension,
      })),
    })
  }
  return shared.sort((a, b) => (a.e164 < b.e164 ? -1 : a.e164 > b.e164 ? 1 : 0))
}

export interface SuffixCollision {
  /** The last 7 digits several different numbers share. */
  last7: string
  numbers: string[]
}

/** Different +7 numbers that end in the same 7 digits: a match on the last 7 digits alone would confuse them. */
export function suffixCollisions (truth: readonly PhoneTruthRow[]): SuffixCollision[] {
  const byTail = new Map<string, Set<string>>()
  for (const row of truth) {
    if (row.e164 === null || !row.e164.startsWith('+7')) continue
    const tail = row.e164.slice(-7)
    const numbers = byTail.get(tail)
    if (numbers === undefined) byTail.set(tail, new Set([row.e164]))
    else numbers.add(row.e164)
  }
  const collisions: SuffixCollision[] = []
  for (const [last7, numbers] of byTail) {
    if (numbers.size > 1) collisions.push({ last7, numbers: [...numbers].sort() })
  }
  return collisions.sort((a, b) => (a.last7 < b.last7 ? -1 : a.last7 > b.last7 ? 1 : 0))
}
