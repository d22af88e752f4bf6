/**
 * Lexical steps shared by the parser and the log masker: unwrapping URIs, recognising withheld numbers,
 * and splitting an extension off. Nothing here knows about numbering plans.
 */

// `"Name" <sip:101@pbx;transport=udp>`, `sip:+74951234567@pbx`, `tel:+74951234567;ext=12`.
const URI = /^(?:"[^"]*"\s*)?(?:<\s*)?(sips?|tel):([^>]*)>?$/i
const TEL_EXT_PARAM = /^ext=(\d{1,10})$/i

const HAS_DIGIT = /\d/

// Stems of what PBXs, trunks and people write instead of a withheld number. Matched against the
// lower-cased text, which holds no digits (3cx-crm.md §4.4: 3CX sends `Anonymous`).
const ANONYMOUS = /^(?:anonym|withheld|private|unknown|unavailable|restricted|blocked|hidden|no ?caller|not available|out of area|скрыт|номер скрыт|неизвест|аноним|не ?определ|нет номера|засекреч)/

// An extension written after the number: `доб. 123`, `доб 123`, `ext 123`, `ext. 123`, `x123`, `#123`,
// `вн. 123`, possibly in brackets. No two neighbouring parts of these patterns match the same character,
// so a long run of spaces cannot make them backtrack quadratically.
const EXT_MARKED = /(?:\(\s*)?(?:доб(?:авочный)?|ext(?:ension)?|вн(?:утр(?:енний)?)?|x|#)\s*(?:[.:=]\s*)?(\d{1,10})\s*(?:\)\s*)?$/i
// What may follow the comma that ends the number (BSP cuts the number at the first comma, peers.md §3.4):
// an extension with or without a marker. A longer digit run or any other text is a comment or a second
// number, and is dropped just as BSP drops it from НомерТелефона.
const TAIL_EXT = /^\s*(?:(?:доб(?:авочный)?|ext(?:ension)?|вн(?:утр(?:енний)?)?|x|#)\s*(?:[.:=]\s*)?(\d{1,10})|(\d{1,6}))\s*(?:\)\s*)?$/i
const TAIL_START = /[,;\n]/
const QUOTES = /["'<>]/g
const SPACE_RUNS = /\s+/g

export interface Unwrapped {
  text: string
  /** An extension carried as a `tel:` URI parameter. */
  extension: string | undefined
}

/** The user part of a SIP/tel URI, or the text itself; `101@pbx` becomes `101`. */
export function unwrapUri (text: string): Unwrapped {
  const m = URI.exec(text)
  if (m === null) {
    const at = text.indexOf('@')
    return { text: at >= 0 ? text.slice(0, at) : text, extension: undefined }
  }
  const scheme = (m[1] ?? '').toLowerCase()
  const rest = m[2] ?? ''
  if (scheme === 'tel') {
    const [number = '', ...params] = rest.split(';')
    let extension: string | undefined
    for (const param of params) {
      const ext = TEL_EXT_PARAM.exec(param.trim())
      if (ext !== null) extension = ext[1]
    }
    return { text: number, extension }
  }
  const at = rest.indexOf('@')
  const user = at >= 0 ? rest.slice(0, at) : rest
  const semi = user.indexOf(';')
  return { text: semi >= 0 ? user.slice(0, semi) : user, extension: undefined }
}

export function hasDigit (text: string): boolean {
  return HAS_DIGIT.test(text)
}

/** For text without digits: is it one of the ways of saying "number withheld"? */
export function isAnonymousText (text: string): boolean {
  const words = text.replace(QUOTES, '').trim().replace(SPACE_RUNS, ' ').toLowerCase()
  return ANONYMOUS.test(words)
}

export interface SplitNumber {
  main: string
  extension: string | undefined
}

/** Splits `+7 (495) 123-45-67 доб. 123` or `…, 123` into the number and its extension. */
export function splitExtension (text: string): SplitNumber {
  const cut = text.search(TAIL_START)
  const main = cut >= 0 ? text.slice(0, cut) : text
  const marked = EXT_MARKED.exec(main)
  if (marked !== null) {
    return { main: main.slice(0, marked.index), extension: marked[1] }
  }
  if (cut >= 0) {
    // Only up to the next comma: BSP's presentation puts a comment after the extension (`…, доб. 12, Иван`).
    const rest = text.slice(cut + 1)
    const next = rest.search(TAIL_START)
    const tail = TAIL_EXT.exec(next >= 0 ? rest.slice(0, next) : rest)
    if (tail !== null) return { main, extension: tail[1] ?? tail[2] }
  }
  return { main, extension: undefined }
}
