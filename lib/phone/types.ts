export interface PhoneOptions {
  /** ISO 3166 alpha-2, e.g. 'RU' (setting DEFAULT_COUNTRY): the country of numbers written without a country code. */
  defaultCountry: string
  /** e.g. '495': makes a local number (too short to be national) a full number (setting DEFAULT_AREA_CODE). */
  defaultAreaCode?: string
  /** Numbers with at most this many digits are PBX extensions; default 6. */
  internalMaxDigits?: number
}

export type ParsedPhone =
  | { kind: 'number', e164: string, country: string | undefined, nationalNumber: string, extension: string | undefined }
  /** A 3CX extension such as 101. */
  | { kind: 'internal', digits: string }
  /** Anonymous, withheld, private, unknown, "Скрыт"... */
  | { kind: 'anonymous' }
  | { kind: 'empty' }
  /** Cannot be a phone number: letters, impossible length, ... `reason` is short English text for logs. */
  | { kind: 'invalid', reason: string }
