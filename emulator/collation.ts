/**
 * How the emulated DBMS compares strings. 1C's database operations compare case-insensitively
 * (1c-dn.com "Specifics of database string comparison"); equality and ordering also ignore trailing
 * spaces like SQL's padded comparison, unless the settings say otherwise.
 */
export interface Collation {
  /** The form two strings are compared in by eq/ne/gt/ge/lt/le, $orderby and unique keys. */
  key: (text: string) => string
  /** The form of like/substringof/startswith/endswith operands: case only. */
  fold: (text: string) => string
}

const identity = (text: string): string => text
const lower = (text: string): string => text.toLowerCase()

export function makeCollation (opts: { caseSensitiveStrings: boolean, trailingSpacesSignificant: boolean }): Collation {
  const fold = opts.caseSensitiveStrings ? identity : lower
  const key = opts.trailingSpacesSignificant ? fold : (text: string): string => fold(text).trimEnd()
  return { key, fold }
}
