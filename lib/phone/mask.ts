import { parsePhoneNumberFromString } from 'libphonenumber-js/max'
import { hasDigit, isAnonymousText, splitExtension, unwrapUri } from './text.js'

const NON_DIGITS = /\D/g
const LETTER = /\p{L}/u
const SPACE_PLUS = /^ +\d/
const VISIBLE_DIGITS = 4

/**
 * For logs (conventions.md: never a full phone number): every digit but the last 4 becomes `*`, one star
 * per digit; the `+` and the country calling code stay readable, as they tell where a call came from
 * without telling who: '+74951234567' → '+7******4567', '84951234567' → '*******4567'. Numbers of 4 digits
 * or fewer (extensions) have nothing to hide. Anything that is not a number comes back as a short marker,
 * never as the text itself, so log lines cannot carry what a caller typed.
 */
export function maskPhone (raw: string | null | undefined): string {
  if (raw === null || raw === undefined || raw.trim() === '') return '<empty>'
  const plus = SPACE_PLUS.test(raw)
  const { text } = unwrapUri(raw.trim())
  if (!hasDigit(text)) return isAnonymousText(text) ? '<anonymous>' : '<not a number>'
  const { main } = splitExtension(text)
  if (LETTER.test(main)) return '<not a number>'
  const digits = main.replace(NON_DIGITS, '')
  if (digits.length <= VISIBLE_DIGITS) return digits === '' ? '<not a number>' : digits

  let prefix = ''
  let hidden = digits
  if (plus || main.includes('+')) {
    prefix = '+'
    const code = parsePhoneNumberFromString(`+${digits}`)?.countryCallingCode
    if (code !== undefined && digits.length - code.length > VISIBLE_DIGITS) {
      prefix += code
      hidden = digits.slice(code.length)
    }
  }
  return prefix + '*'.repeat(hidden.length - VISIBLE_DIGITS) + hidden.slice(-VISIBLE_DIGITS)
}
