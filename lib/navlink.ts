/**
 * 1C navigation links (onec-odata.md §9). A link's `ref` prints the 16 bytes of the object's reference in
 * the order 1C stores them (UUID v1 clock-sequence and node first), so the GUID that OData serves as
 * `Ref_Key` has to be re-ordered: ref = g4 + g5 + g3 + g2 + g1.
 */
const GUID = /^([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})$/i
const REF = /^[0-9a-f]{32}$/i

export function refFromGuid (guid: string): string {
  const m = GUID.exec(guid)
  if (m === null) throw new TypeError(`not a GUID: ${JSON.stringify(guid)}`)
  const [, g1, g2, g3, g4, g5] = m as unknown as [string, string, string, string, string, string]
  return (g4 + g5 + g3 + g2 + g1).toLowerCase()
}

export function guidFromRef (ref: string): string {
  if (!REF.test(ref)) throw new TypeError(`not a navigation-link ref: ${JSON.stringify(ref)}`)
  const r = ref.toLowerCase()
  return `${r.slice(24, 32)}-${r.slice(20, 24)}-${r.slice(16, 20)}-${r.slice(0, 4)}-${r.slice(4, 16)}`
}

/** OData prefixes and the metadata class names the link uses, in the configuration's script language. */
const CLASS_NAMES: Record<string, { ru: string, en: string }> = {
  Catalog: { ru: 'Справочник', en: 'Catalog' },
  Document: { ru: 'Документ', en: 'Document' },
  ChartOfCharacteristicTypes: { ru: 'ПланВидовХарактеристик', en: 'ChartOfCharacteristicTypes' },
  ExchangePlan: { ru: 'ПланОбмена', en: 'ExchangePlan' },
  BusinessProcess: { ru: 'БизнесПроцесс', en: 'BusinessProcess' },
  Task: { ru: 'Задача', en: 'Task' },
}

export type ScriptLanguage = 'ru' | 'en'

/** `Catalog_Партнеры` → `Справочник.Партнеры` (or `Catalog.Партнеры` in an English-language configuration). */
export function metadataPath (entitySet: string, language: ScriptLanguage = 'ru'): string {
  const sep = entitySet.indexOf('_')
  const prefix = sep === -1 ? '' : entitySet.slice(0, sep)
  const names = CLASS_NAMES[prefix]
  if (names === undefined || sep === entitySet.length - 1) {
    throw new TypeError(`no navigation link for entity set ${JSON.stringify(entitySet)}`)
  }
  return `${names[language]}.${entitySet.slice(sep + 1)}`
}

/** The part after `#`: `e1cib/data/Справочник.Партнеры?ref=<32 hex>`. */
export function internalLink (entitySet: string, guid: string, language: ScriptLanguage = 'ru'): string {
  return `e1cib/data/${metadataPath(entitySet, language)}?ref=${refFromGuid(guid)}`
}

/**
 * A link that opens the object in the web client: `<infobase address>/#e1cib/...`. The infobase address
 * is what a user types to open the web client, e.g. `http://1c.example.local/ut11`.
 */
export function webClientLink (infobaseUrl: string, entitySet: string, guid: string, language: ScriptLanguage = 'ru'): string {
  return `${infobaseUrl.replace(/\/+$/, '')}/#${internalLink(entitySet, guid, language)}`
}

/**
 * A link for the thin client (`e1c://server/<host>/<base>#e1cib/...`), opened by 1cestart. `thinClientBase`
 * is everything before `#`, e.g. `e1c://server/srv1c/ut11`.
 */
export function thinClientLink (thinClientBase: string, entitySet: string, guid: string, language: ScriptLanguage = 'ru'): string {
  return `${thinClientBase.replace(/\/+$/, '')}#${internalLink(entitySet, guid, language)}`
}

/** The thin-client base for a connection string: `Srvr`+`Ref` → e1c://server/…, `File` → e1c://filev/…. */
export function thinClientBaseFromConnection (ib: Record<string, string>): string | undefined {
  const get = (name: string): string | undefined => {
    const key = Object.keys(ib).find(k => k.toLowerCase() === name.toLowerCase())
    return key === undefined ? undefined : ib[key]
  }
  const server = get('Srvr')
  const ref = get('Ref')
  if (server !== undefined && ref !== undefined && server !== '' && ref !== '') return `e1c://server/${server}/${ref}`
  const file = get('File')
  // e1c://filev/ for file bases is uncertain (onec-odata.md §9); ONEC_THIN_CLIENT_URL overrides it.
  if (file !== undefined && file !== '') return `e1c://filev/${file.replace(/\\/g, '/').replace(/^\/+/, '')}`
  return undefined
}
