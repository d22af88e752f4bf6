import { parsePhoneNumberFromString } from 'libphonenumber-js/max'

/** A full number cut the way BSP keeps it: country code, area code, and the rest as people write it. */
export interface PhoneParts {
  countryCode: string
  /** Empty where the metadata knows no grouping for the number. */
  areaCode: string
  /** The subscriber part with dashes, e.g. '123-45-67'. */
  local: string
}

const AREA_IN_BRACKETS = /\((\d+)\)/
const ONLY_DIGITS = /^\d+$/
const NON_DIGITS = /\D/g

/**
 * Splits an E.164 number for display. For +7 the area code is what libphonenumber's national format puts
 * in brackets (`8 (495) 123-45-67`, `8 (7172) 12 34 56`) and the rest is grouped the Russian way; elsewhere
 * the first group of the international format is the area code. Undefined when e164 is not a number.
 */
export function phoneParts (e164: string): PhoneParts | undefined {
  const n = parsePhoneNumberFromString(e164)
  if (n === undefined) return undefined
  const countryCode = n.countryCallingCode
  const national = n.nationalNumber
  if (countryCode === '7') {
    const bracketed = AREA_IN_BRACKETS.exec(n.formatNational())?.[1]
    let areaCode = ''
    if (bracketed !== undefined && national.startsWith(bracketed)) areaCode = bracketed
    else if (national.length === 10) areaCode = national.slice(0, 3)
    return { countryCode, areaCode, local: groupRussian(national.slice(areaCode.length)) }
  }
  const groups = n.formatInternational().split(' ').slice(1)
  const [first, ...rest] = groups
  if (first !== undefined && rest.length > 0 && ONLY_DIGITS.test(first) && groups.join('').replace(NON_DIGITS, '') === national) {
    return { countryCode, areaCode: first, local: rest.join('-') }
  }
  return { countryCode, areaCode: '', local: national }
}

/** '1234567' → '123-45-67', '123456' → '12-34-56', '12345' → '1-23-45'. */
function groupRussian (digits: string): string {
  switch (digits.length) {
    case 7: return `${digits.slice(0, 3)}-${digits.slice(3, 5)}-${digits.slice(5)}`
    case 6: return `${digits.slice(0, 2)}-${digits.slice(2, 4)}-${digits.slice(4)}`
    case 5: return `${digits.slice(0, 1)}-${digits.slice(1, 3)}-${digits.slice(3)}`
    default: return digits
  }
}

/** '+7 (495) 123-45-67' (no area code: '+882 123456789'). */
export function joinParts (parts: PhoneParts): string {
  const area = parts.areaCode === '' ? '' : ` (${parts.areaCode})`
  return `+${parts.countryCode}${area} ${parts.local}`
}

/** For people and for 1C's Представление: '+7 (495) 123-45-67', '+7 (916) 123-45-67 доб. 123'. */
export function formatPhoneForPeople (e164: string, extension?: string): string {
  const parts = phoneParts(e164)
  const number = parts === undefined ? e164 : joinParts(parts)
  return extension === undefined || extension === '' ? number : `${number} доб. ${extension}`
}
