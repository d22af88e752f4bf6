/**
 * One normaliser for what 3CX sends and what 1C holds: both sides meet on the E.164 key
 * (peers.md §3, 3cx-crm.md §4.4, onec-odata.md §7). Pure: no I/O, nothing happens at import.
 */
export type { ParsedPhone, PhoneOptions } from './phone/types.js'
export { NO_AREA_CODE, parsePhone, phoneKey } from './phone/parse.js'
export { formatPhoneForPeople } from './phone/format.js'
export { bspPhoneFields, storedPhoneKeys } from './phone/bsp.js'
export type { BspPhoneFields, StoredPhoneRow } from './phone/bsp.js'
export { indexSearchFragments, onecSearchSuffixes, phoneSearchDigits } from './phone/search.js'
export { maskPhone } from './phone/mask.js'
