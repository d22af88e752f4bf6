import { getCountryCallingCode, isSupportedCountry, parsePhoneNumberFromString, validatePhoneNumberLength } from 'libphonenumber-js/max'
import type { CountryCode, PhoneNumber, ValidatePhoneNumberLengthResult } from 'libphonenumber-js/max'
import { hasDigit, isAnonymousText, splitExtension, unwrapUri } from './text.js'
import type { ParsedPhone, PhoneOptions } from './types.js'

// `/max` metadata: the default `min` metadata calls 7916123456 a valid number (peers.md §3.2 probe).

const DEFAULT_INTERNAL_MAX_DIGITS = 6

const EMPTY: ParsedPhone = Object.freeze({ kind: 'empty' })
const ANONYMOUS: ParsedPhone = Object.freeze({ kind: 'anonymous' })

// 3CX inserts [Number] into a GET URL unencoded, so a leading `+` arrives as a space (3cx-crm.md §1.7).
const SPACE_PLUS = /^ +\d/
// The separators people type inside numbers (\s includes no-break spaces; \u2010-\u2015 and \u2212 are
// typographic dashes). What is left after removing them must be digits with at most a leading `+`.
const SEPARATORS = /[\s().\-/\u2010-\u2015\u2212]/g
const PLAIN_NUMBER = /^\+?\d*$/
const LETTER = /\p{L}/u
const ONE_DIGIT_REPEATED = /^(\d)\1*$/

// Fast path for the commonest stored and received form, a Russian mobile in plain digits. Every national
// number 9[0-24-9]xxxxxxxx is a valid RU mobile in the libphonenumber metadata (`9(?:[0-24-9]\d{4}|3…)\d{4}`),
// so the answer is known without a parse (~0.3 µs instead of ~5 µs; the phone index parses ~300 000 rows).
// 93x… is left to the full parser because only parts of it are assigned.
const FAST_RU_MOBILE = /^(\+7|7|8)?(9[0-24-9]\d{8})$/

const LENGTH_REASONS: Record<ValidatePhoneNumberLengthResult, string> = {
  TOO_SHORT: 'too short',
  TOO_LONG: 'too long',
  INVALID_LENGTH: 'impossible length',
  INVALID_COUNTRY: 'unknown country code',
  NOT_A_NUMBER: 'not a number',
}

/** The reason of a number too short to be national when no DEFAULT_AREA_CODE completes it (peers.md §3.1). */
export const NO_AREA_CODE = 'local number without area code'

/**
 * Reads a phone number in any form 3CX sends or 1C stores. A leading space counts as `+` (see SPACE_PLUS);
 * callers reading stored values trim them first.
 */
export function parsePhone (raw: string | null | undefined, opts: PhoneOptions): ParsedPhone {
  if (raw === null || raw === undefined) return EMPTY
  const spacePlus = SPACE_PLUS.test(raw)
  const text = raw.trim()
  if (text === '') return EMPTY
  return fastRuMobile(spacePlus ? `+${text}` : text, opts.defaultCountry) ?? parseText(text, spacePlus, opts)
}

/** The matching key (E.164, e.g. '+74951234567'), or undefined when raw is not a full number. */
export function phoneKey (raw: string | null | undefined, opts: PhoneOptions): string | undefined {
  const parsed = parsePhone(raw, opts)
  return parsed.kind === 'number' ? parsed.e164 : undefined
}

function fastRuMobile (text: string, defaultCountry: string): ParsedPhone | undefined {
  const m = FAST_RU_MOBILE.exec(text)
  if (m === null) return undefined
  // Without `+7` the digits are national only where the default country dials +7.
  if (m[1] !== '+7' && defaultCountry !== 'RU' && defaultCountry !== 'KZ') return undefined
  const national = m[2] ?? ''
  return { kind: 'number', e164: `+7${national}`, country: 'RU', nationalNumber: national, extension: undefined }
}

function parseText (text: string, spacePlus: boolean, opts: PhoneOptions): ParsedPhone {
  const uri = unwrapUri(text)
  if (!hasDigit(uri.text)) {
    if (isAnonymousText(uri.text)) return ANONYMOUS
    return invalid(uri.text.trim() === '' ? 'no digits' : 'letters')
  }
  const { main, extension: ext } = splitExtension(uri.text)
  const extension = uri.extension ?? ext
  const compact = main.replace(SEPARATORS, '')
  if (!PLAIN_NUMBER.test(compact)) {
    if (LETTER.test(compact)) return invalid('letters')
    return invalid(compact.includes('+') ? 'misplaced plus' : 'unexpected characters')
  }
  const plus = compact.startsWith('+')
  let digits = plus ? compact.slice(1) : compact
  if (digits === '') return invalid('no digits')

  let international = spacePlus || plus
  // `00` is the international prefix of most of Europe but not of RU; libphonenumber with default RU reads
  // it as national digits (+70074951234567, peers.md §3.2), so it is taken off here. `810` (RU/KZ/BY) is
  // understood by libphonenumber itself.
  if (!international && digits.length > 2 && digits.startsWith('00')) {
    international = true
    digits = digits.slice(2)
  }
  if (international) {
    const parsed = parseInternational(digits, extension)
    // A stray leading space (not a lost `+`) in front of a national number gets one more chance.
    if (parsed.kind === 'number' || !spacePlus) return parsed
  }
  if (digits.length <= (opts.internalMaxDigits ?? DEFAULT_INTERNAL_MAX_DIGITS)) return { kind: 'internal', digits }
  return parseNational(digits, extension, opts)
}

function parseInternational (digits: string, extension: string | undefined): ParsedPhone {
  const e164 = `+${digits}`
  const n = parsePhoneNumberFromString(e164)
  if (n !== undefined) {
    const valid = n.isValid()
    if (valid || isNewRange(n)) return toParsed(n, valid, extension)
  }
  return invalid(lengthReason(e164))
}

function parseNational (digits: string, extension: string | undefined, opts: PhoneOptions): ParsedPhone {
  const plan = numberingPlan(opts.defaultCountry)
  if (plan === undefined) return invalid('unknown default country')
  const { country, home } = plan
  const n = parsePhoneNumberFromString(digits, country)
  if (n !== undefined) {
    const valid = n.isValid()
    if (valid || acceptNewRange(n, digits, country, home)) return toParsed(n, valid, extension)
  }

  // A possible number refused above has the right length; only the others have a length problem.
  const problem = n?.isPossible() === true ? undefined : validatePhoneNumberLength(digits, country)
  if (problem === 'TOO_SHORT') {
    const area = opts.defaultAreaCode
    if (area === undefined || area === '') return invalid(NO_AREA_CODE)
    const local = parsePhoneNumberFromString(area + digits, country)
    if (local !== undefined) {
      const valid = local.isValid()
      if (valid || acceptNewRange(local, area + digits, country, home)) return toParsed(local, valid, extension)
    }
    return invalid(`not a number with area code ${area}`)
  }
  // Too long to be national: the country code without `+`. BSP writes НомерТелефона so for foreign numbers
  // (country code + area code + number, peers.md §3.4), and some trunks send it. As nothing marks these
  // digits as international, a reading in another calling code must be valid, not merely possible.
  if (digits.length >= 11) {
    const intl = parsePhoneNumberFromString(`+${digits}`)
    if (intl !== undefined) {
      const valid = intl.isValid()
      if (valid || (intl.countryCallingCode === home && isNewRange(intl))) return toParsed(intl, valid, extension)
    }
  }
  return invalid(problem === undefined ? 'not a valid number' : LENGTH_REASONS[problem])
}

// libphonenumber builds its metadata wrapper on every isSupportedCountry/getCountryCallingCode call
// (~1.5 µs each); the default country is one of a handful per process.
const plans = new Map<string, { country: CountryCode, home: string } | null>()

function numberingPlan (defaultCountry: string): { country: CountryCode, home: string } | undefined {
  let plan = plans.get(defaultCountry)
  if (plan === undefined) {
    plan = isSupportedCountry(defaultCountry) ? { country: defaultCountry, home: getCountryCallingCode(defaultCountry) } : null
    plans.set(defaultCountry, plan)
  }
  return plan ?? undefined
}

/**
 * A national-form number that is not valid is taken only as a new range (see isNewRange) under the
 * default country's calling code. One exception: bare digits that the metadata gives to another country of the same calling
 * code without making them valid. `7916123456` with default RU reads as a Kazakh number (+7 7…, peers.md
 * §3.1) that is possible but not valid; it is far more likely a Russian number missing a digit, so it is
 * refused rather than turned into a KZ key. With a trunk prefix or the country code (`8 791…`, `7 791…`)
 * the length is complete and the number is taken.
 */
function acceptNewRange (n: PhoneNumber, digits: string, country: CountryCode, home: string): boolean {
  if (n.countryCallingCode !== home || !isNewRange(n)) return false
  return n.country === undefined || n.country === country || digits !== n.nationalNumber
}

/**
 * Numbers that are possible but not valid by the metadata are accepted: operators open ranges before
 * libphonenumber's metadata lists them. Placeholders are not new ranges: a national number that starts
 * with 0 (a trunk prefix almost everywhere; where it is not, the metadata marks such numbers valid) or
 * is one digit repeated (0000000000).
 */
function isNewRange (n: PhoneNumber): boolean {
  const national = n.nationalNumber
  return n.isPossible() && !national.startsWith('0') && !ONE_DIGIT_REPEATED.test(national)
}

function toParsed (n: PhoneNumber, valid: boolean, extension: string | undefined): ParsedPhone {
  // A country only for numbers the metadata places; a new range's owner is not known (+7 is RU or KZ).
  const country = valid ? n.country : undefined
  return { kind: 'number', e164: n.number, country, nationalNumber: n.nationalNumber, extension }
}

function lengthReason (e164: string): string {
  const problem = validatePhoneNumberLength(e164)
  return problem === undefined ? 'not a valid number' : LENGTH_REASONS[problem]
}

function invalid (reason: string): ParsedPhone {
  return { kind: 'invalid', reason }
}
