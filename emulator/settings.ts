import { resolveCostModel } from './cost/config.js'
import type { CostModel } from './cost/constants.js'

/**
 * Behaviour switches of the emulator. Each one exists because the reference marks the behaviour
 * uncertain or because 1C's publication settings make it vary; the default is the documented guess
 * (onec-odata.md section cited per field).
 */

/** What a user may do, per main entity set ('*' = every set). Data-driven rights (onec-odata.md §5.2 code 20, §6.4). */
export interface UserRights {
  read?: '*' | string[]
  write?: '*' | string[]
}

export interface EmulatorUser {
  name: string
  password: string
  /** Default: read and write everything. */
  rights?: UserRights
}

export type SessionMode = 'autouse' | 'use' | 'dontuse'

export interface BehaviourOptions {
  /** 1C's DBMS compares strings case-insensitively (1c-dn.com "Specifics of database string comparison"). Default false. */
  caseSensitiveStrings?: boolean
  /**
   * eq/ne/gt/lt and $orderby ignore trailing spaces, as SQL's padded comparison that 1C's DBMS uses does
   * (fixed-length strings are stored padded, onec-odata.md §2.3). An inference, so a switch. Default false.
   */
  trailingSpacesSignificant?: boolean
  /** An unknown field in $filter: HCB saw an empty result [3P, onec-odata.md §3.1]. Default 'empty'; 'error' answers code 14. */
  unknownFilterField?: 'empty' | 'error'
  /** Comparing an unlimited-length string with eq/ne/gt/ge/lt/le or ordering by it. 1C cannot do it in a query. Default 'error' (code 14). */
  unlimitedStringComparison?: 'error' | 'allow'
  /** Decode `+` in the query string as a space. A client saw 1C keep it literally [3P, onec-odata.md §3.1]. Default false. */
  plusAsSpace?: boolean
  /** Internal code for a set that does not exist or is not published: 6 or 8 [UNCERTAIN, onec-odata.md §5.3]. Default '6'. */
  unknownSetCode?: string
  /** Whether POST keeps a `Ref_Key` the client sends [UNCERTAIN, onec-odata.md §4.1]. Default 'honour'. */
  clientRefKey?: 'honour' | 'ignore'
  /** POST of an existing independent-register key: error code 15 or a silent replace [UNCERTAIN, onec-odata.md §4.5]. Default 'error'. */
  duplicateRegisterKey?: 'error' | 'replace'
  /** HTTP status of the duplicate-key error [UNCERTAIN, onec-odata.md §4.5]. Default 400. */
  duplicateKeyStatus?: number
  /** If-Match with a stale DataVersion → 412 [DOC §4.2]; HCB saw real servers ignore it [3P]. Default 'honour'. */
  ifMatch?: 'honour' | 'ignore'
  /** A string longer than its attribute: 1C's attribute assignment cuts it to the length. Default 'truncate'; 'error' answers code 4. */
  longStrings?: 'truncate' | 'error'
  /** Documents whose posting is allowed (ТелефонныйЗвонок is "Deny", onec-odata.md §8). Default none. */
  postableDocuments?: string[]
  /** Whether `Posted` is served for a document whose posting is "Deny" [UNCERTAIN, onec-odata.md §8]. Default 'serve'. */
  postedWhenPostingDenied?: 'serve' | 'omit'
  /** `@navigationLinkUrl` with odata=nometadata: presumably omitted [UNCERTAIN, onec-odata.md §2.2]. Default false. */
  navigationLinksInNoMetadata?: boolean
  /** Rows of an embedded tabular section carry the owner's Ref_Key (MOON yes, ODIN no; onec-odata.md §1.5). Default true. */
  embeddedRowRefKey?: boolean
  /** Realm of the 401 challenge (onec-odata.md §5.3; "1C:Enterprise 8.5" on 8.5). */
  realm?: string
  /** Status of an access-right error (code 20): DOC §17.4.5.4 says 401. */
  accessDeniedStatus?: number
  /** default.vrd `reuseSessions` (onec-odata.md §6.1–6.2). Default 'autouse'. */
  sessionMode?: SessionMode
  /** default.vrd `poolSize`. Default 10. */
  poolSize?: number
  /** default.vrd `poolTimeout`, in ms. Default 5000. */
  poolTimeoutMs?: number
  /** default.vrd `sessionMaxAge`, in ms: an idle session dies after it. Default 20000. */
  sessionMaxAgeMs?: number
  /** Answer this share of OData requests with 500 code -1 from the start (0..1). Default 0. */
  errorRate?: number
  /** Seed of the error-rate generator, so runs repeat. Default 1. */
  errorSeed?: number
  /**
   * Charge each OData request what a real 1C base would spend on it (cost/constants.ts): true for the
   * defaults, an object to change some constants. Default false: requests cost only `latencyMs`.
   */
  costModel?: Partial<CostModel> | boolean
}

export type Settings = Required<BehaviourOptions>

export const DEFAULT_SETTINGS: Settings = {
  caseSensitiveStrings: false,
  trailingSpacesSignificant: false,
  unknownFilterField: 'empty',
  unlimitedStringComparison: 'error',
  plusAsSpace: false,
  unknownSetCode: '6',
  clientRefKey: 'honour',
  duplicateRegisterKey: 'error',
  duplicateKeyStatus: 400,
  ifMatch: 'honour',
  longStrings: 'truncate',
  postableDocuments: [],
  postedWhenPostingDenied: 'serve',
  navigationLinksInNoMetadata: false,
  embeddedRowRefKey: true,
  realm: '1C:Enterprise 8.3',
  accessDeniedStatus: 401,
  sessionMode: 'autouse',
  poolSize: 10,
  poolTimeoutMs: 5000,
  sessionMaxAgeMs: 20000,
  errorRate: 0,
  errorSeed: 1,
  costModel: false,
}

function check (ok: boolean, name: string, message: string): void {
  if (!ok) throw new Error(`emulator option ${name}: ${message}`)
}

export function resolveSettings (opts: BehaviourOptions): Settings {
  const settings: Settings = { ...DEFAULT_SETTINGS }
  for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]) {
    const value = opts[key]
    if (value !== undefined) (settings as unknown as Record<string, unknown>)[key] = value
  }
  const positive = (n: number): boolean => Number.isInteger(n) && n > 0
  check(positive(settings.poolSize), 'poolSize', 'a positive integer')
  check(Number.isFinite(settings.poolTimeoutMs) && settings.poolTimeoutMs >= 0, 'poolTimeoutMs', 'a number >= 0')
  check(Number.isFinite(settings.sessionMaxAgeMs) && settings.sessionMaxAgeMs > 0, 'sessionMaxAgeMs', 'a number > 0')
  check(settings.errorRate >= 0 && settings.errorRate <= 1, 'errorRate', 'between 0 and 1')
  check(Number.isInteger(settings.duplicateKeyStatus) && settings.duplicateKeyStatus >= 400 && settings.duplicateKeyStatus <= 599, 'duplicateKeyStatus', 'an HTTP error status')
  check(Number.isInteger(settings.accessDeniedStatus) && settings.accessDeniedStatus >= 400 && settings.accessDeniedStatus <= 599, 'accessDeniedStatus', 'an HTTP error status')
  resolveCostModel(settings.costModel)
  check(/^-?\d+$/.test(settings.unknownSetCode), 'unknownSetCode', 'a 1C error code such as "6" or "8"')
  return settings
}
