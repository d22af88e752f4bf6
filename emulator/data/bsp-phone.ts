/**
 * How BSP turns a phone into the stored columns of a `КонтактнаяИнформация` row, ported from BSP's
 * ContactsManagerInternal / ContactsManagerClientServer (peers.md §3.4): the phone form's presentation,
 * the heuristic split of a typed presentation, and the filling of НомерТелефона / НомерТелефонаБезКодов.
 * This is 1C's own storage logic, used to make realistic stored values; the true number of each row is
 * known separately from how the generator built it (truth.ts), never from these functions.
 */

/** The phone fields of BSP's contact-information structure (`Значение` JSON keys, onec-odata.md §7.1). */
export interface BspPhoneFields {
  countryCode: string
  areaCode: string
  number: string
  extNumber: string
}

function isDigit (ch: string): boolean {
  return ch >= '0' && ch <= '9'
}

/** BSP FindDigitSubstring: skip to the first digit, take digits (and `allowed`), drop trailing `allowed`. */
function findDigitSubstring (text: string, start: number, allowed: string): { value: string, next: number } {
  let pos = start
  let result = ''
  let searching = true
  while (pos < text.length) {
    const ch = text.charAt(pos)
    if (searching) {
      if (isDigit(ch)) {
        result += ch
        searching = false
      }
    } else if (isDigit(ch) || (allowed !== '' && allowed.includes(ch))) {
      result += ch
    } else {
      break
    }
    pos++
  }
  let end = result.length
  while (end > 0 && !isDigit(result.charAt(end - 1))) end--
  return { value: result.slice(0, end), next: pos }
}

function trimLeadingNonDigits (text: string): string {
  let i = 0
  while (i < text.length && !isDigit(text.charAt(i))) i++
  return text.slice(i)
}

/**
 * BSP PhoneFaxDeserializationInJSON, the branch that splits a presentation typed as text: first digit run
 * = country code, second = area code, third (spaces and dashes allowed) = number, the rest = extension.
 * The Russian configuration strips a leading "ДОБ" where the English translation strips "EXT" (inferred
 * from the translation; the same "." handling follows it).
 */
export function splitTypedPhone (presentation: string): BspPhoneFields {
  const country = findDigitSubstring(presentation, 0, '')
  const cityBeginning = country.next
  const area = findDigitSubstring(presentation, country.next, '')
  const number = findDigitSubstring(presentation, area.next, ' -')
  let ext = presentation.slice(number.next).trim()
  if (ext.startsWith(',')) ext = ext.slice(1).trimStart()
  if (ext.slice(0, 3).toUpperCase() === 'ДОБ') ext = ext.slice(3).trimStart()
  if (ext.startsWith('.')) ext = ext.slice(1).trimStart()
  const fields: BspPhoneFields = { countryCode: country.value, areaCode: area.value, number: number.value, extNumber: ext.trim() }
  if (fields.number.trim() === '') {
    if (presentation.trimStart().startsWith('+')) {
      return { countryCode: fields.countryCode, areaCode: '', number: trimLeadingNonDigits(presentation.slice(cityBeginning)), extNumber: '' }
    }
    return { countryCode: '', areaCode: '', number: presentation, extNumber: '' }
  }
  return fields
}

/**
 * BSP GeneratePhonePresentation: what the phone form shows and stores as `Представление`
 * (`+7 (495) 123-45-67, доб. 123, comment`).
 */
export function formPresentation (fields: BspPhoneFields, comment: string): string {
  let text = fields.countryCode.trim()
  if (text !== '' && !text.startsWith('+')) text = '+' + text
  const join = (sep: string, part: string): void => { text = text + (text === '' ? '' : sep) + part }
  if (fields.areaCode.trim() !== '') join(' ', `(${fields.areaCode.trim()})`)
  if (fields.number.trim() !== '') join(' ', fields.number.trim())
  if (fields.extNumber.trim() !== '') join(', ', `доб. ${fields.extNumber.trim()}`)
  if (comment.trim() !== '') join(', ', comment.trim())
  return text
}

/**
 * BSP RemoveSeparatorsFromPhoneNumber: cut at ",", drop "-", " " and "+". Older BSP copies also drop "(";
 * the numbers built here never carry one past the split, so both versions store the same digits.
 */
function removeSeparators (text: string): string {
  const comma = text.indexOf(',')
  const head = comma >= 0 ? text.slice(0, comma) : text
  return head.replace(/[- +]/g, '')
}

/** BSP FillTabularSectionAttributesForPhone (peers.md §3.4). */
export function phoneColumns (fields: BspPhoneFields): { НомерТелефона: string, НомерТелефонаБезКодов: string } {
  const countryCode = fields.countryCode.startsWith('+') ? fields.countryCode.slice(1) : fields.countryCode
  const cut = fields.number.search(/[,\n]/)
  const number = cut >= 0 ? fields.number.slice(0, cut) : fields.number
  return {
    НомерТелефона: removeSeparators(countryCode + fields.areaCode + number),
    НомерТелефонаБезКодов: removeSeparators(number),
  }
}

/**
 * The `Значение` JSON of a phone. Keys and their order follow onec-odata.md §7.1; like BSP's
 * ToJSONStringStructure, empty fields are left out. The exact serialisation is uncertain (§7.1), and
 * nothing in the proxy should depend on it.
 */
export function phoneValueJson (presentation: string, fields: BspPhoneFields, comment: string): string {
  const value: Record<string, string | number> = { version: 4, value: presentation }
  if (comment !== '') value.comment = comment
  value.type = 'Телефон'
  if (fields.countryCode !== '') value.countryCode = fields.countryCode
  if (fields.areaCode !== '') value.areaCode = fields.areaCode
  if (fields.number !== '') value.number = fields.number
  if (fields.extNumber !== '') value.extNumber = fields.extNumber
  return JSON.stringify(value)
}
