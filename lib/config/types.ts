import type { ScriptLanguage } from '../navlink.js'
import type { SessionMode } from '../onec/sessions.js'

export interface Credentials { user: string, password: string }

/** The validated configuration, built once at start (lib/config/load.ts). */
export interface Config {
  onec: {
    /** Infobase address, no trailing slash, e.g. http://1c.example.local/ut11. */
    url: string
    user: string | undefined
    password: string | undefined
    vrdPath: string | undefined
    timeoutMs: number
    maxConnections: number
    timezone: string
    sessionMode: SessionMode
    sessionMaxAgeMs: number
    tlsRejectUnauthorized: boolean
    /** Where card links point (web client), no trailing slash. */
    webUrl: string
    contactUrlMode: 'web' | 'thin'
    thinClientUrl: string | undefined
    scriptLanguage: ScriptLanguage
  }
  server: { host: string, port: number, publicUrl: string }
  dataDir: string
  auth: { tcx: Credentials, admin: Credentials | undefined, metrics: Credentials | undefined }
  metrics: { port: number | undefined, host: string }
  log: { level: string, phoneNumbers: 'masked' | 'full' }
  phone: { defaultCountry: string, defaultAreaCode: string | undefined, extensionMaxDigits: number }
  lookup: { profile: string, policy: 'priority' | 'none' | 'first', budgetMs: number }
  cache: { ttlMs: number, negativeTtlMs: number, staleMs: number, maxEntries: number }
  journal: { target: 'register' | 'document' | 'off', retryMinMs: number, retryMaxMs: number, maxAttempts: number, fsync: boolean }
  contacts: { searchLimit: number, searchMinLength: number, creation: boolean }
  index: { enabled: boolean, refreshMs: number, pageSize: number, paging: 'auto' | 'keyset' | 'skip' }
}
