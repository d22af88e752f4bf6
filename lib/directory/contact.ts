import { parsePhoneNumberFromString } from 'libphonenumber-js/max'
import { webClientLink, thinClientLink, type ScriptLanguage } from '../navlink.js'
import { memoize } from '../memo.js'
import { formatPhoneForPeople, phoneKey, type PhoneOptions } from '../phone.js'
import type { Candidate, TcxContact } from './types.js'

/** Builds card links: the web client (`…/#e1cib/data/…`) or the thin client (`e1c://…#e1cib/data/…`). */
export interface LinkOptions {
  mode: 'web' | 'thin'
  webUrl: string
  thinClientUrl: string | undefined
  language: ScriptLanguage
}

export function contactUrl (links: LinkOptions, set: string, ref: string): string {
  return links.mode === 'thin' && links.thinClientUrl !== undefined
    ? thinClientLink(links.thinClientUrl, set, ref, links.language)
    : webClientLink(links.webUrl, set, ref, links.language)
}

/**
 * "Иванов Иван Иванович" → last name "Иванов", first name "Иван Иванович" (order per profile). A name with
 * digits in it ("Новый клиент 3CX +79261112299", a placeholder) is not a person's name: it stays whole.
 */
export function splitName (full: string, order: 'last-first' | 'first-last'): { first: string, last: string } {
  const words = full.trim().split(/\s+/).filter(w => w !== '')
  if (words.length === 0) return { first: '', last: '' }
  if (words.length === 1 || /\d/.test(full)) return { first: '', last: words.join(' ') }
  return order === 'last-first'
    ? { last: words[0] as string, first: words.slice(1).join(' ') }
    : { first: words.slice(0, -1).join(' '), last: words[words.length - 1] as string }
}

export type PhoneField = 'PhoneBusiness' | 'PhoneMobile' | 'PhoneOther'
const PHONE_FIELDS: readonly PhoneField[] = ['PhoneBusiness', 'PhoneMobile', 'PhoneOther']
/** Which E.164 number each phone output holds, so that a ring can put its own form in place without parsing. */
export type PhoneSlots = Partial<Record<PhoneField, string>>

/** The contact 3CX shows for a chosen owner, phones formatted for people and sorted by kind. */
export function shapeContact (c: Candidate, links: LinkOptions): { contact: TcxContact, slots: PhoneSlots } {
  const person = c.owner.person
  const names = person ? splitName(c.owner.name, c.source.person.order) : { first: '', last: '' }
  const company = c.source.parent?.companyName === true ? c.parent?.name ?? '' : person ? '' : c.owner.name
  const phones: Record<PhoneField, string> = { PhoneBusiness: '', PhoneMobile: '', PhoneOther: '' }
  const slots: PhoneSlots = {}
  for (const key of c.owner.phoneKeys) {
    const field: PhoneField = isMobile(key) ? 'PhoneMobile' : 'PhoneBusiness'
    const slot = phones[field] === '' ? field : phones.PhoneOther === '' ? 'PhoneOther' : undefined
    if (slot === undefined) continue
    phones[slot] = formatPhoneForPeople(key)
    slots[slot] = key
  }
  const contact: TcxContact = {
    ContactID: c.owner.ref,
    FirstName: names.first,
    LastName: names.last,
    CompanyName: company,
    Email: c.owner.emails[0] ?? '',
    ...phones,
    EntityType: c.owner.kind,
    ContactUrl: contactUrl(links, c.owner.set, c.owner.ref),
  }
  return { contact, slots }
}

export function toTcxContact (c: Candidate, links: LinkOptions): TcxContact {
  return shapeContact(c, links).contact
}

/** Number types change only with libphonenumber's metadata: remembered, as a ring should not re-parse. */
const isMobile = memoize((e164: string): boolean => parsePhoneNumberFromString(e164)?.getType() === 'MOBILE', 50_000)

/**
 * 3CX registers a contact only when one of its phone outputs equals the number it searched for
 * (3cx-crm.md §4.2): put the number exactly as 3CX sent it in place of the stored number it matched.
 */
export function echoNumber (contact: TcxContact, raw: string, key: string, phone: PhoneOptions, slots?: PhoneSlots): TcxContact {
  const slot = PHONE_FIELDS.find(f => contact[f] !== '' && (slots === undefined ? phoneKey(contact[f], phone) : slots[f]) === key) ?? freeSlot(contact, key)
  return { ...contact, [slot]: raw }
}

/** Where a number the contact does not list goes: its type's field if empty, else the first empty one. */
function freeSlot (contact: TcxContact, key: string): PhoneField {
  const preferred: PhoneField = isMobile(key) ? 'PhoneMobile' : 'PhoneBusiness'
  return contact[preferred] === '' ? preferred : PHONE_FIELDS.find(f => contact[f] === '') ?? 'PhoneOther'
}
