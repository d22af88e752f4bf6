import { getCountryCallingCode, isSupportedCountry, Metadata, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max'

const NON_DIGITS = /\D/g
// Digits and the separators people type; anything else (a letter, `@`) makes the text a name or an e-mail.
const SEPARATORS = /[\s().\-/\u2010-\u2015\u2212]/g
const FRAGMENT = /^\+?\d+$/
const RU_TRUNK_IN_BRACKETS = /^8\s*\(/
const MAX_E164_DIGITS = 15

/**
 * Digit strings to search 1C's stored columns with (onec-odata.md §7.2 design rule): the national
 * significant number (10 digits for RU), and the last 7 digits.
 */
export function onecSearchSuffixes (e164: string): { national: string, last7: string } {
  const digits = e164.replace(NON_DIGITS, '')
  let national: string
  if (e164.startsWith('+7') && digits.length === 11) {
    national = digits.slice(1)
  } else {
    national = parsePhoneNumberFromString(`+${digits}`)?.nationalNumber ?? digits
  }
  return { national, last7: digits.slice(-7) }
}

/**
 * Search text → digits worth a phone-fragment search (at least `minDigits`, default 5), or undefined when
 * the text is not a phone fragment (e.g. a name). '495 123' → '495123'.
 *
 * A +7 prefix is dropped: НомерТелефона holds the same number as 7…, 8… or the bare 10 digits depending on
 * how it was entered (peers.md §3.4), so '+7 (916) 12' searches '91612', which is inside all three. The
 * same goes for a Russian trunk `8` that is unmistakable (`8 (916) 12`, or 8/7 and ten more digits).
 * Other country codes stay: BSP keeps them as typed (`+375 29 12` → '3752912').
 */
export function phoneSearchDigits (text: string, minDigits = 5): string | undefined {
  const t = text.trim()
  const compact = t.replace(SEPARATORS, '')
  if (!FRAGMENT.test(compact)) return undefined
  const plus = compact.startsWith('+')
  let digits = plus ? compact.slice(1) : compact
  if (compact.startsWith('+7') || RU_TRUNK_IN_BRACKETS.test(t) || (!plus && digits.length === 11 && (digits[0] === '7' || digits[0] === '8'))) {
    digits = digits.slice(1)
  }
  if (digits.length < minDigits || digits.length > MAX_E164_DIGITS) return undefined
  return digits
}

/**
 * A search fragment as the phone index can match it: the index holds E.164 digits (country code first),
 * so a fragment typed with the default country's trunk prefix (`8916123` in Russia, `02079` in Britain)
 * is also looked for with the country code in place of the prefix (`7916123`, `442079`). The fragment as
 * typed stays: it may as well be the middle of a number.
 */
export function indexSearchFragments (digits: string, defaultCountry: string): string[] {
  if (!isSupportedCountry(defaultCountry)) return [digits]
  const metadata = new Metadata()
  metadata.selectNumberingPlan(defaultCountry as CountryCode)
  // nationalPrefix() is in libphonenumber-js's metadata but not in its typings; the tests pin RU and GB.
  const plan = metadata.numberingPlan as unknown as { nationalPrefix: () => string | undefined } | undefined
  const trunk = plan?.nationalPrefix()
  if (trunk === undefined || trunk === '' || !digits.startsWith(trunk)) return [digits]
  const international = `${getCountryCallingCode(defaultCountry as CountryCode)}${digits.slice(trunk.length)}`
  return international === digits ? [digits] : [digits, international]
}
