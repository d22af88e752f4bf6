/**
 * Patterns for 1C's `like` (ПОДОБНО: `%` any run, `_` one character, `[...]` a set, onec-odata.md §3.1).
 * Operator text must never act as a wildcard, so every character that means something to ПОДОБНО is
 * wrapped in a one-character set, inside which it is literal: `%` → `[%]`, `[` → `[[]`.
 *
 * Letters become `[Яя]`-style sets of both cases. 1C compares strings in the database case-insensitively
 * (1C:Enterprise developer docs, "Specifics of database string comparison"), so for a standard base this
 * changes nothing; it keeps a search independent of the operator's letter case even where a DBMS collation
 * is case-sensitive, which the documentation does not rule out for every DBMS.
 */
const SPECIAL = new Set(['%', '_', '[', ']', '^'])

export function likeLiteralPart (text: string, opts: { bothCases?: boolean } = {}): string {
  const bothCases = opts.bothCases ?? true
  let out = ''
  for (const ch of text) {
    if (SPECIAL.has(ch)) {
      out += ch === '^' || ch === ']' ? ch : `[${ch}]`
      continue
    }
    const lower = ch.toLowerCase()
    const upper = ch.toUpperCase()
    if (bothCases && lower !== upper && lower.length === 1 && upper.length === 1) {
      out += `[${upper}${lower}]`
    } else {
      out += ch
    }
  }
  return out
}

/** `%<text>%`: contains. */
export function likeContains (text: string, opts?: { bothCases?: boolean }): string {
  return `%${likeLiteralPart(text, opts)}%`
}

/** `<text>%`: starts with. */
export function likeStartsWith (text: string, opts?: { bothCases?: boolean }): string {
  return `${likeLiteralPart(text, opts)}%`
}
