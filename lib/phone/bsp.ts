import { joinParts, phoneParts } from './format.js'
import { parsePhone } from './parse.js'
import type { PhoneOptions } from './types.js'

/** The phone columns of a 1C contact-information row (onec-odata.md §7.1). */
export interface StoredPhoneRow {
  НомерТелефона?: string | null
  НомерТелефонаБезКодов?: string | null
  Представление?: string | null
}

export interface BspPhoneFields {
  Представление: string
  НомерТелефона: string
  НомерТелефонаБезКодов: string
  Значение: string
}

const NON_DIGITS = /\D/g

/**
 * Keys of one 1C contact-information row. НомерТелефона and Представление first; НомерТелефонаБезКодов
 * only when the other two give nothing (it is usually the bare local part, peers.md §3.4, and reading a
 * 7-digit БезКодов with the default area code would invent a false match for a number of another city).
 *
 * Each column yields at most one number. Where Представление lists several (`+7 495 111-11-11, +7 916
 * 222-22-22`) only the first counts: BSP cuts the number at the first comma when it fills НомерТелефона
 * (peers.md §3.4), so the text after the comma is read as an extension or dropped, and a lookup through
 * 1C's own columns could never find the second number either.
 */
export function storedPhoneKeys (row: StoredPhoneRow, opts: PhoneOptions): string[] {
  const keys: string[] = []
  const shown = storedKey(row.Представление, opts)
  // НомерТелефона is BSP's digits of the same number without `+`. When they are exactly the digits of
  // Представление's number they add nothing, and reading them alone could mislead: a German +49 30 123456
  // stored as '4930123456' reads as a Russian national number.
  const full = row.НомерТелефона
  const sameAsShown = shown !== undefined && typeof full === 'string' && full.replace(NON_DIGITS, '') === shown.slice(1)
  if (!sameAsShown) addKey(keys, storedKey(full, opts))
  addKey(keys, shown)
  if (keys.length === 0) addKey(keys, storedKey(row.НомерТелефонаБезКодов, opts))
  return keys
}

function storedKey (value: string | null | undefined, opts: PhoneOptions): string | undefined {
  if (value === null || value === undefined) return undefined
  // Trimmed first: a leading space in a stored value is sloppy entry, not a `+` lost in a URL.
  const parsed = parsePhone(value.trim(), opts)
  return parsed.kind === 'number' ? parsed.e164 : undefined
}

function addKey (keys: string[], key: string | undefined): void {
  if (key !== undefined && !keys.includes(key)) keys.push(key)
}

/**
 * What BSP writes into a contact-information row for this number (peers.md §3.4
 * FillTabularSectionAttributesForPhone; onec-odata.md §7.1 for `Значение`).
 *
 * - Представление as BSP's GeneratePhonePresentation builds it: `+7 (495) 123-45-67`, the extension after
 *   `, доб. ` (BSP joins it with a comma, unlike formatPhoneForPeople).
 * - НомерТелефона = digits of country code + area code + number, without `+` and without the extension;
 *   НомерТелефонаБезКодов = digits of the number alone.
 * - Значение: BSP's JSON (ContactsManagerClientServer.NewContactInformationDetails, written by
 *   ToJSONStringStructure, which leaves out empty fields). Its exact serialisation is marked uncertain
 *   in onec-odata.md §7.1; BSP reads it back field by field and strips `+` and separators again
 *   (countryCode '7' or '+7', number '123-45-67' or '1234567' give the same row), so no setting is needed.
 */
export function bspPhoneFields (e164: string, extension?: string): BspPhoneFields {
  const parts = phoneParts(e164) ?? { countryCode: '', areaCode: '', local: e164.replace(NON_DIGITS, '') }
  const ext = extension === undefined || extension === '' ? undefined : extension
  const presentation = (parts.countryCode === '' ? parts.local : joinParts(parts)) + (ext === undefined ? '' : `, доб. ${ext}`)
  const value: Record<string, string | number> = { version: 4, value: presentation, type: 'Телефон' }
  if (parts.countryCode !== '') value.countryCode = parts.countryCode
  if (parts.areaCode !== '') value.areaCode = parts.areaCode
  value.number = parts.local
  if (ext !== undefined) value.extNumber = ext
  return {
    Представление: presentation,
    НомерТелефона: (parts.countryCode + parts.areaCode + parts.local).replace(NON_DIGITS, ''),
    НомерТелефонаБезКодов: parts.local.replace(NON_DIGITS, ''),
    Значение: JSON.stringify(value),
  }
}
