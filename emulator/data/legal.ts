import type { Random } from './random.js'

/** Russian taxpayer numbers with valid check digits, so that they look real to anyone who checks. */

const W10 = [2, 4, 10, 3, 5, 9, 4, 6, 8]
const W11 = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8]
const W12 = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]

function checkDigit (digits: string, weights: readonly number[]): string {
  let sum = 0
  weights.forEach((w, i) => { sum += w * Number(digits.charAt(i)) })
  return String((sum % 11) % 10)
}

/** Tax office codes (region + inspection) the numbers start with. */
const TAX_OFFICES = ['7701', '7704', '7707', '7713', '7714', '7728', '7743', '5003', '5024', '7802', '7810', '7842', '6658', '6670', '5406', '1655', '5260', '6316', '6164', '0274']

/** A 10-digit ИНН of an organisation. */
export function innOrganisation (random: Random, office = random.pick(TAX_OFFICES)): string {
  return innOrganisationFrom(office + random.digits(5))
}

/** A 12-digit ИНН of a person (an ИП). */
export function innPerson (random: Random, office = random.pick(TAX_OFFICES)): string {
  return innPersonFrom(office + random.digits(6))
}

/** A КПП of the head office registered at the same tax office as the ИНН. */
export function kpp (inn: string): string {
  return inn.slice(0, 4) + '01001'
}

/** A 10-digit organisation ИНН from its first nine digits, for memorable demo records. */
export function innOrganisationFrom (nineDigits: string): string {
  return nineDigits + checkDigit(nineDigits, W10)
}

/** A 12-digit personal ИНН from its first ten digits. */
export function innPersonFrom (tenDigits: string): string {
  const n11 = checkDigit(tenDigits, W11)
  return tenDigits + n11 + checkDigit(tenDigits + n11, W12)
}
