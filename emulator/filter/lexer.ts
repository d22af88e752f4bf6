import { queryOptionError } from '../errors.js'

/**
 * Tokens of 1C's $filter/$orderby language (onec-odata.md §3.1): identifiers (Cyrillic included),
 * `'…'` strings with `''` as an escaped quote, typed literals such as `guid'…'` and `datetime'…'`,
 * numbers and punctuation. Anything else is a parse error, code 14.
 */
export type Token =
  | { kind: 'ident', text: string, pos: number }
  | { kind: 'string', value: string, pos: number }
  | { kind: 'typed', prefix: string, value: string, pos: number }
  | { kind: 'number', text: string, pos: number }
  | { kind: 'punct', text: '(' | ')' | ',' | '/' | ':' | '-', pos: number }
  | { kind: 'eof', pos: number }

const IDENT_START = /[\p{L}_$]/u
const IDENT_PART = /[\p{L}\p{N}_$]/u
const NUMBER = /^(?:\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)[mMdDfFlL]?/
const WHITESPACE = /\s/

export function tokenize (text: string): Token[] {
  const tokens: Token[] = []
  let pos = 0
  while (pos < text.length) {
    const ch = text[pos] as string
    if (WHITESPACE.test(ch)) { pos += 1; continue }
    if (ch === "'") {
      const { value, end } = readQuoted(text, pos)
      tokens.push({ kind: 'string', value, pos })
      pos = end
      continue
    }
    if (ch === '(' || ch === ')' || ch === ',' || ch === '/' || ch === ':') {
      tokens.push({ kind: 'punct', text: ch, pos })
      pos += 1
      continue
    }
    const number = NUMBER.exec(text.slice(pos, pos + 64))
    if (number !== null) {
      tokens.push({ kind: 'number', text: number[0], pos })
      pos += number[0].length
      continue
    }
    if (ch === '-') {
      tokens.push({ kind: 'punct', text: '-', pos })
      pos += 1
      continue
    }
    if (IDENT_START.test(ch)) {
      let end = pos + 1
      while (end < text.length && IDENT_PART.test(text[end] as string)) end += 1
      const word = text.slice(pos, end)
      if (text[end] === "'") {
        const { value, end: after } = readQuoted(text, end)
        tokens.push({ kind: 'typed', prefix: word.toLowerCase(), value, pos })
        pos = after
        continue
      }
      tokens.push({ kind: 'ident', text: word, pos })
      pos = end
      continue
    }
    throw queryOptionError(`недопустимый символ "${ch}" в позиции ${pos + 1}`)
  }
  tokens.push({ kind: 'eof', pos })
  return tokens
}

/** Reads `'…'` starting at the opening quote; `''` inside stands for one quote. */
function readQuoted (text: string, start: number): { value: string, end: number } {
  let value = ''
  let pos = start + 1
  while (pos < text.length) {
    const ch = text[pos] as string
    if (ch === "'") {
      if (text[pos + 1] === "'") { value += "'"; pos += 2; continue }
      return { value, end: pos + 1 }
    }
    value += ch
    pos += 1
  }
  throw queryOptionError(`незакрытая кавычка в позиции ${start + 1}`)
}
