/**
 * E-mail addresses as mail systems treat them (RFC 5321): the domain is case-insensitive, the local part
 * may in theory be case-sensitive. The key keeps the local part as written and lowers the domain; a match
 * prefers the exact local part and falls back to ignoring its case, which is what every common mail
 * system does in practice.
 */
// No control characters either (\p{Cc}): no mail system takes them, and lib/odata/literals.ts refuses them
// in a query, which would turn a bad address into a failed lookup instead of an invalid one.
const SHAPE = /^[^\s\p{Cc}@"<>(),;:\\[\]]{1,64}@[^\s\p{Cc}@"<>(),;:\\[\]]+\.[^\s\p{Cc}@"<>(),;:\\[\]]+$/u

/** 1C keeps e-mails in АдресЭП, String(100) (onec-odata.md §7.1). */
export const MAX_EMAIL_LENGTH = 100

export function emailKey (raw: string): string | undefined {
  const text = raw.trim()
  if (text.length > MAX_EMAIL_LENGTH || !SHAPE.test(text)) return undefined
  const at = text.lastIndexOf('@')
  return `${text.slice(0, at)}@${text.slice(at + 1).toLowerCase()}`
}

export type EmailMatch = 'exact' | 'caseless' | 'none'

export function compareEmail (key: string, stored: string): EmailMatch {
  const other = emailKey(stored)
  if (other === undefined) return 'none'
  if (other === key) return 'exact'
  return other.toLowerCase() === key.toLowerCase() ? 'caseless' : 'none'
}

export function emailDomain (key: string): string {
  return key.slice(key.lastIndexOf('@') + 1)
}
