/**
 * Navigation links of the 1C web client, `#e1cib/data/Справочник.Партнеры?ref=<32 hex>` (onec-odata.md §9).
 * These functions are also embedded, as they are, in the emulator's web-client page, so they use nothing
 * but plain JavaScript and call only each other.
 */

/** onec-odata.md §9: `GUID = ref[24:32]-ref[20:24]-ref[16:20]-ref[0:4]-ref[4:16]`. */
export function refToGuid (ref: string): string | null {
  if (!/^[0-9a-fA-F]{32}$/.test(ref)) return null
  const r = ref.toLowerCase()
  return r.slice(24, 32) + '-' + r.slice(20, 24) + '-' + r.slice(16, 20) + '-' + r.slice(0, 4) + '-' + r.slice(4, 16)
}

/** The inverse: `ref = g4 + g5 + g3 + g2 + g1` (onec-odata.md §9). */
export function guidToRef (guid: string): string | null {
  const m = /^([0-9a-fA-F]{8})-([0-9a-fA-F]{4})-([0-9a-fA-F]{4})-([0-9a-fA-F]{4})-([0-9a-fA-F]{12})$/.exec(guid)
  if (m === null) return null
  return (String(m[4]) + String(m[5]) + String(m[3]) + String(m[2]) + String(m[1])).toLowerCase()
}

/** `e1cib/data/<Тип>.<Имя>?ref=<hex>` → the OData entity set and the GUID; Russian and English type words. */
export function parseNavigationLink (link: string): { set: string, guid: string } | null {
  const m = /e1cib\/data\/([^.?#/]+)\.([^?#/&]+)\?ref=([0-9a-fA-F]{32})/.exec(link)
  if (m === null) return null
  const prefixes: Record<string, string> = { Справочник: 'Catalog', Документ: 'Document', Catalog: 'Catalog', Document: 'Document' }
  const prefix = prefixes[String(m[1])]
  const guid = refToGuid(String(m[3]))
  if (prefix === undefined || guid === null) return null
  return { set: prefix + '_' + String(m[2]), guid }
}
