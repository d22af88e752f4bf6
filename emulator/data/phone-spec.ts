/**
 * What the generator decides about a phone before anything is written: the real number (country, area
 * code, subscriber digits, extension) and how a person or an import entered it. The stored columns are
 * rendered from this (phone-row.ts); the true E.164 comes straight from it (truth.ts).
 */

/**
 * How the number reached 1C (peers.md §3.4, onec-odata.md §7.2):
 * - `form`: BSP's phone form, fields filled separately; presentation `+7 (495) 123-45-67[, доб. 123]`.
 * - `text-intl`: typed into the field as `+7 …` (several spacings), BSP splits the text.
 * - `text-national`: typed as `8 …`; BSP takes "8" for the country code, so НомерТелефона starts with 8.
 * - `digits-8` / `digits-7` / `digits-10`: digits without separators (`84951234567`, `74951234567`,
 *   `9161234567`); BSP finds no codes, both columns hold the digits.
 * - `plus-digits`: `+79161234567`; BSP keeps it all as the country code, НомерТелефонаБезКодов stays empty.
 * - `local-text` / `local-digits`: a 7-digit Moscow number without area code (`123-45-67`, `1234567`).
 * - `trailing-space`: typed text with trailing spaces kept in Представление.
 * - `import-raw`: an import wrote the columns itself: "+" and "-" removed, spaces (even trailing) kept.
 * - `presentation-only`: an import filled only Представление; the number columns and Значение are empty.
 * - `internal`: a 3-digit internal extension typed alone; it carries no area information.
 */
export type PhoneStyle =
  | 'form'
  | 'text-intl'
  | 'text-national'
  | 'digits-8'
  | 'digits-7'
  | 'digits-10'
  | 'plus-digits'
  | 'local-text'
  | 'local-digits'
  | 'trailing-space'
  | 'import-raw'
  | 'presentation-only'
  | 'internal'

export const PHONE_STYLES: readonly PhoneStyle[] = [
  'form', 'text-intl', 'text-national', 'digits-8', 'digits-7', 'digits-10', 'plus-digits',
  'local-text', 'local-digits', 'trailing-space', 'import-raw', 'presentation-only', 'internal',
]

export type NumberType = 'fixed' | 'mobile' | 'toll-free' | 'internal'

export interface PhoneSpec {
  /** ISO 3166 region of the number: RU, KZ, BY, UA, UZ, DE; `''` for an internal extension. */
  region: string
  /** Country calling code without "+": `7`, `375`… */
  country: string
  /** Area or operator code: `495`, `916`, `3812`; `''` for an internal extension. */
  area: string
  /** Subscriber digits, so that area + local is the national significant number. */
  local: string
  /** Extension digits, `''` when none. */
  ext: string
  type: NumberType
  style: PhoneStyle
  /** Picks one of the spellings a style allows (spacing, brackets), 0–3. */
  variant: number
  /** BSP's comment of the row (form entry appends it to the presentation), `''` when none. */
  comment: string
}

/** Subscriber digits grouped the Russian way: `123-45-67`, `12-34-56`, `1-23-45`. */
export function groupLocal (local: string): string {
  switch (local.length) {
    case 7: return `${local.slice(0, 3)}-${local.slice(3, 5)}-${local.slice(5)}`
    case 6: return `${local.slice(0, 2)}-${local.slice(2, 4)}-${local.slice(4)}`
    case 5: return `${local.slice(0, 1)}-${local.slice(1, 3)}-${local.slice(3)}`
    default: return local
  }
}
