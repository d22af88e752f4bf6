/**
 * Every setting the proxy reads, in one table: the JSON schema that validates the environment, the
 * messages that tell an administrator what to fix, `.env.example` and the settings table in docs/ are all
 * checked against this list (test/lib/config.test.ts).
 */
export type SettingType = 'string' | 'secret' | 'integer' | 'boolean' | 'url' | 'enum' | 'path'

export interface SettingDef {
  name: string
  type: SettingType
  group: 'onec' | 'server' | 'security' | 'logging' | 'lookup' | 'journal' | 'contacts' | 'index'
  description: string
  /** A right value, shown in error messages and in .env.example. */
  example: string
  default?: string | number | boolean
  required?: boolean
  minimum?: number
  maximum?: number
  values?: readonly string[]
  pattern?: string
  /** What the pattern means, for the error message. */
  patternText?: string
}

export const SETTINGS: readonly SettingDef[] = [
  // 1C
  { name: 'ONEC_URL', type: 'url', group: 'onec', required: true, example: 'http://1c.example.local/ut11', description: 'The infobase address as the 1C web client uses it (without /odata/standard.odata). With ONEC_VRD and no path here, the publication path is taken from default.vrd.' },
  { name: 'ONEC_USER', type: 'string', group: 'onec', example: 'odata', description: '1C user the proxy logs in as (HTTP Basic). Falls back to Usr in the ib string of ONEC_VRD.' },
  { name: 'ONEC_PASSWORD', type: 'secret', group: 'onec', example: 'a-long-secret', description: 'Password of ONEC_USER. Falls back to Pwd in the ib string of ONEC_VRD. Never logged.' },
  { name: 'ONEC_VRD', type: 'path', group: 'onec', example: '/var/www/ut11/default.vrd', description: 'Optional path to the publication\'s default.vrd: gives the publication path, Usr/Pwd, and a warning when OData is not enabled.' },
  { name: 'ONEC_TIMEOUT_MS', type: 'integer', group: 'onec', default: 10000, minimum: 100, maximum: 600000, example: '10000', description: 'Deadline of one request to 1C, connect to last byte.' },
  { name: 'ONEC_MAX_CONNECTIONS', type: 'integer', group: 'onec', default: 8, minimum: 1, maximum: 256, example: '8', description: 'Connections to the publication at most. Keep it at or below the publication\'s poolSize (default.vrd), or 1C answers 406.' },
  { name: 'ONEC_TIMEZONE', type: 'string', group: 'onec', default: 'Europe/Moscow', example: 'Europe/Moscow', description: 'IANA time zone of the base\'s local time: 1C dates carry no zone, so call times are converted to it.' },
  { name: 'ONEC_SESSION_MODE', type: 'enum', group: 'onec', default: 'auto', values: ['auto', 'manual'], example: 'auto', description: 'auto: the publication pools sessions (reuseSessions="autouse"); manual: the proxy keeps 1C sessions itself with the IBSession header and ibsession cookie.' },
  { name: 'ONEC_TLS_REJECT_UNAUTHORIZED', type: 'boolean', group: 'onec', default: true, example: 'true', description: 'Verify the TLS certificate of an https ONEC_URL. Turn off only for a self-signed test server.' },
  { name: 'ONEC_WEB_URL', type: 'url', group: 'onec', example: 'https://1c.example.ru/ut11', description: 'The infobase address operators open in a browser, if it differs from ONEC_URL; used for card links.' },
  { name: 'CONTACT_URL_MODE', type: 'enum', group: 'onec', default: 'web', values: ['web', 'thin'], example: 'web', description: 'Card links for 3CX: web (…/#e1cib/data/…, opens the web client) or thin (e1c://…, opens the thin client).' },
  { name: 'ONEC_THIN_CLIENT_URL', type: 'string', group: 'onec', example: 'e1c://server/srv1c/ut11', pattern: '^e1c://', patternText: 'must start with e1c://', description: 'Base of thin-client links (everything before #). Default: from Srvr/Ref (or File) of ONEC_VRD.' },
  { name: 'ONEC_SCRIPT_LANGUAGE', type: 'enum', group: 'onec', default: 'ru', values: ['ru', 'en'], example: 'ru', description: 'Script language of the configuration: ru gives Справочник.Партнеры in links, en gives Catalog.Партнеры.' },

  // The proxy's own HTTP server
  { name: 'HOST', type: 'string', group: 'server', default: '0.0.0.0', example: '0.0.0.0', description: 'Address the proxy listens on.' },
  { name: 'PORT', type: 'integer', group: 'server', default: 8080, minimum: 0, maximum: 65535, example: '8080', description: 'Port the proxy listens on.' },
  { name: 'PUBLIC_URL', type: 'url', group: 'server', example: 'https://bridge.example.local:8443', description: 'How 3CX reaches the proxy; written into the generated 3CX template. Default: http://<HOST>:<PORT>.' },
  { name: 'DATA_DIR', type: 'path', group: 'server', default: './data', example: '/var/lib/3cx-1c-bridge', description: 'Where the proxy keeps its durable state: the call-journal queue and the phone index snapshot. One proxy per directory (a lock file refuses a second one).' },

  // Who may call the proxy
  { name: 'TCX_USER', type: 'string', group: 'security', default: '3cx', example: '3cx', description: 'User name 3CX presents (HTTP Basic), entered in the 3CX template\'s parameters.' },
  { name: 'TCX_PASSWORD', type: 'secret', group: 'security', required: true, minimum: 12, example: 'change-me-to-a-long-secret', description: 'Password 3CX presents. At least 12 characters; Latin letters, digits and punctuation only (how 3CX encodes other characters in Basic auth is not known). Never logged.' },
  { name: 'ADMIN_USER', type: 'string', group: 'security', default: 'admin', example: 'admin', description: 'User name for the admin routes (/admin/...).' },
  { name: 'ADMIN_PASSWORD', type: 'secret', group: 'security', minimum: 12, example: 'another-long-secret', description: 'Password for the admin routes; without it the admin routes are off.' },
  { name: 'METRICS_USER', type: 'string', group: 'security', default: 'metrics', example: 'metrics', description: 'User name for GET /metrics on the main port.' },
  { name: 'METRICS_PASSWORD', type: 'secret', group: 'security', minimum: 8, example: 'scrape-secret', description: 'Password for GET /metrics on the main port. Without it and without METRICS_PORT, metrics are not served.' },
  { name: 'METRICS_PORT', type: 'integer', group: 'security', minimum: 1, maximum: 65535, example: '9464', description: 'Serve /metrics without credentials on a separate listener at METRICS_HOST:METRICS_PORT instead.' },
  { name: 'METRICS_HOST', type: 'string', group: 'security', default: '127.0.0.1', example: '127.0.0.1', description: 'Address of the separate metrics listener.' },

  // Logs
  { name: 'LOG_LEVEL', type: 'enum', group: 'logging', default: 'info', values: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], example: 'info', description: 'pino log level.' },
  { name: 'LOG_PHONE_NUMBERS', type: 'enum', group: 'logging', default: 'masked', values: ['masked', 'full'], example: 'masked', description: 'masked: phone numbers in logs show only their last 4 digits; full: whole numbers.' },

  // Caller lookup
  { name: 'DEFAULT_COUNTRY', type: 'string', group: 'lookup', default: 'RU', pattern: '^[A-Z]{2}$', patternText: 'must be a two-letter ISO country code in capitals', example: 'RU', description: 'Country of numbers written without a country code.' },
  { name: 'DEFAULT_AREA_CODE', type: 'string', group: 'lookup', pattern: '^[0-9]{3,5}$', patternText: 'must be 3 to 5 digits', example: '495', description: 'Area code of 7-digit local numbers stored in 1C or sent by 3CX. Without it such numbers are not matched.' },
  { name: 'EXTENSION_MAX_DIGITS', type: 'integer', group: 'lookup', default: 6, minimum: 2, maximum: 9, example: '6', description: 'Numbers with at most this many digits are PBX extensions, never looked up in 1C. Lower it when DEFAULT_AREA_CODE has 4-5 digits (local numbers then have 5-6).' },
  { name: 'PROFILE', type: 'string', group: 'lookup', default: 'ut11', example: 'ut11', description: 'Where the configuration keeps contacts: a built-in profile name (ut11) or the path of a profile JSON file.' },
  { name: 'AMBIGUITY_POLICY', type: 'enum', group: 'lookup', default: 'priority', values: ['priority', 'none', 'first'], example: 'priority', description: 'When one number belongs to several owners: priority = the most specific kind (profile order); among several of that kind, their partner if they all belong to one, else none; none = no name at all; first = the first by kind, name and key.' },
  { name: 'LOOKUP_BUDGET_MS', type: 'integer', group: 'lookup', default: 1500, minimum: 50, maximum: 30000, example: '1500', description: 'The longest 3CX waits for a lookup answer. When 1C is slower, the cached value or "not found" is answered and 1C\'s answer still fills the cache.' },
  { name: 'CACHE_TTL_S', type: 'integer', group: 'lookup', default: 600, minimum: 0, maximum: 604800, example: '600', description: 'How long a found contact is served from the cache without asking 1C.' },
  { name: 'CACHE_NEGATIVE_TTL_S', type: 'integer', group: 'lookup', default: 60, minimum: 0, maximum: 86400, example: '60', description: 'How long "not found" is served from the cache.' },
  { name: 'CACHE_STALE_S', type: 'integer', group: 'lookup', default: 86400, minimum: 0, maximum: 2592000, example: '86400', description: 'How long an expired entry may still be served while 1C is down or slower than the budget.' },
  { name: 'CACHE_MAX_ENTRIES', type: 'integer', group: 'lookup', default: 50000, minimum: 100, maximum: 10000000, example: '50000', description: 'Cache size bound (least recently used entries go first).' },

  // Call journal
  { name: 'JOURNAL_TARGET', type: 'enum', group: 'journal', default: 'register', values: ['register', 'document', 'off'], example: 'register', description: 'Where calls go: register = InformationRegister_ЖурналЗвонков3CX; document = БСП Document_ТелефонныйЗвонок; off = not journaled.' },
  { name: 'JOURNAL_RETRY_MIN_MS', type: 'integer', group: 'journal', default: 1000, minimum: 10, maximum: 600000, example: '1000', description: 'First delay before a failed delivery to 1C is retried (doubles up to JOURNAL_RETRY_MAX_MS, with jitter).' },
  { name: 'JOURNAL_RETRY_MAX_MS', type: 'integer', group: 'journal', default: 300000, minimum: 100, maximum: 3600000, example: '300000', description: 'Longest delay between delivery retries.' },
  { name: 'JOURNAL_MAX_ATTEMPTS', type: 'integer', group: 'journal', default: 10, minimum: 1, maximum: 1000, example: '10', description: 'Attempts at one call that 1C answers with an error of its own (500 with an OData fault, an answer that is not OData) before the call goes to the dead letters, so that the calls after it move on. An outage (1C unreachable, timeouts, 406, 502-504) is retried without limit.' },
  { name: 'JOURNAL_FSYNC', type: 'boolean', group: 'journal', default: true, example: 'true', description: 'fsync every accepted report before answering 3CX. Turn off only on disposable test machines.' },

  // Contacts: search and creation
  { name: 'SEARCH_LIMIT', type: 'integer', group: 'contacts', default: 20, minimum: 1, maximum: 200, example: '20', description: 'Most contacts a search from the 3CX client returns.' },
  { name: 'SEARCH_MIN_LENGTH', type: 'integer', group: 'contacts', default: 3, minimum: 2, maximum: 20, example: '3', description: 'Shortest search text searched; shorter text gets an empty answer (outcome invalid) rather than a scan of the base.' },
  { name: 'CONTACT_CREATION', type: 'enum', group: 'contacts', default: 'enabled', values: ['enabled', 'disabled'], example: 'enabled', description: 'Whether 3CX may create partners (and contact persons) in 1C.' },

  // Phone index
  { name: 'INDEX_ENABLED', type: 'boolean', group: 'index', default: true, example: 'true', description: 'Keep an in-memory index of every phone in the base, synced from 1C, so rings are answered without asking 1C.' },
  { name: 'INDEX_REFRESH_S', type: 'integer', group: 'index', default: 900, minimum: 30, maximum: 86400, example: '900', description: 'Seconds between full index syncs.' },
  { name: 'INDEX_PAGING', type: 'enum', group: 'index', default: 'auto', values: ['auto', 'keyset', 'skip'], example: 'auto', description: 'How a sync pages through 1C: keyset (Ref_Key gt …, a range read in 1C\'s SQL), skip ($skip, which 1C reads and throws away: slower on big bases), auto = keyset, and skip from then on if 1C refuses it or its pages miss objects 1C counts.' },
  { name: 'INDEX_PAGE_SIZE', type: 'integer', group: 'index', default: 1000, minimum: 100, maximum: 100000, example: '1000', description: 'Objects (with their contact information) per OData request during an index sync: bigger pages mean fewer requests but more memory at once.' },
]

export const SETTING_NAMES: readonly string[] = SETTINGS.map(s => s.name)
