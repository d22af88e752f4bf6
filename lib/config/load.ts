import { readFileSync } from 'node:fs'
import { isIP } from 'node:net'
import { parseEnv } from 'node:util'
import { Ajv, type ErrorObject } from 'ajv'
import { isSupportedCountry } from 'libphonenumber-js/max'
import { thinClientBaseFromConnection } from '../navlink.js'
import { parseVrd, VrdError, type Vrd } from '../vrd.js'
import type { AppError } from '../errors.js'
import { normalisePublicUrl } from '../template/build-template.js'
import { SETTINGS, type SettingDef } from './settings.js'
import type { Config } from './types.js'

/** The configuration is wrong; `problems` are one line each, naming the setting and a right value. */
export class ConfigError extends Error {
  readonly problems: string[]

  constructor (problems: string[]) {
    super(`Invalid configuration:\n${problems.map(p => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
    this.problems = problems
  }
}

export interface LoadedConfig {
  config: Config
  /** Things that work but that an administrator should know, logged at start. */
  warnings: string[]
}

type Raw = Record<string, string | number | boolean | undefined>

const schema = {
  type: 'object',
  properties: Object.fromEntries(SETTINGS.map(s => [s.name, jsonSchemaOf(s)])),
  required: SETTINGS.filter(s => s.required === true).map(s => s.name),
}

const ajv = new Ajv({ allErrors: true, coerceTypes: true, useDefaults: true, strict: false })
const validate = ajv.compile(schema)

/**
 * Reads `.env` (if given and present) under the real environment, which wins. A file the administrator
 * named (`--dotenv PATH`, `mustExist`) must be there: a typo in its path would otherwise read as every
 * setting missing.
 */
export function readEnvironment (env: NodeJS.ProcessEnv, dotenvPath?: string, mustExist = false): Record<string, string | undefined> {
  const merged: Record<string, string | undefined> = {}
  if (dotenvPath !== undefined) {
    let text: string | undefined
    try {
      text = readFileSync(dotenvPath, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
      if (mustExist) throw new ConfigError([`--dotenv: there is no file "${dotenvPath}".`])
    }
    if (text !== undefined) Object.assign(merged, parseEnv(text))
  }
  for (const [k, v] of Object.entries(env)) if (v !== undefined) merged[k] = v
  return merged
}

export function loadConfig (env: Record<string, string | undefined>): LoadedConfig {
  const raw: Raw = {}
  for (const s of SETTINGS) {
    const value = env[s.name]?.trim()
    // An empty value means "not set", as an administrator who writes `ONEC_VRD=` expects.
    if (value !== undefined && value !== '') raw[s.name] = s.type === 'boolean' ? normaliseBoolean(value) : value
  }
  const problems: string[] = []
  if (!validate(raw)) {
    // One line per setting: a value may fail several keywords, the administrator needs one message.
    const seen = new Set<string>()
    for (const error of validate.errors ?? []) {
      const name = settingOf(error)
      if (seen.has(name)) continue
      seen.add(name)
      problems.push(describe(error, env))
    }
  }
  // A setting the schema already refused is named once.
  const named = (name: string): boolean => problems.some(p => p.startsWith(`${name}:`))
  for (const s of SETTINGS) {
    if (raw[s.name] === undefined || named(s.name)) continue
    const problem = s.type === 'url' ? urlProblem(s, String(raw[s.name])) : s.type === 'secret' ? exampleSecretProblem(s, String(raw[s.name])) : undefined
    if (problem !== undefined) problems.push(problem)
  }
  if (raw.METRICS_PORT !== undefined && raw.METRICS_PORT === raw.PORT) {
    problems.push(`METRICS_PORT: ${String(raw.METRICS_PORT)} is PORT as well; the metrics listener needs a port of its own. Example: METRICS_PORT=9464`)
  }
  if (raw.DEFAULT_COUNTRY !== undefined && !named('DEFAULT_COUNTRY') && !isSupportedCountry(String(raw.DEFAULT_COUNTRY))) {
    problems.push(`DEFAULT_COUNTRY: "${String(raw.DEFAULT_COUNTRY)}" is not a country code the phone-number library knows (the United Kingdom is GB). Example: DEFAULT_COUNTRY=RU`)
  }
  const timezone = String(raw.ONEC_TIMEZONE)
  if (!named('ONEC_TIMEZONE') && !isTimeZone(timezone)) {
    problems.push(`ONEC_TIMEZONE: "${timezone}" is not an IANA time zone. Example: ONEC_TIMEZONE=Europe/Moscow`)
  }
  const warnings: string[] = []
  let vrd: Vrd | undefined
  if (raw.ONEC_VRD !== undefined) {
    try {
      vrd = parseVrd(readFileSync(String(raw.ONEC_VRD), 'utf8'))
      warnings.push(...vrd.warnings.map(w => `ONEC_VRD (${String(raw.ONEC_VRD)}): ${w}`))
    } catch (err) {
      const reason = err instanceof VrdError ? err.message : (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message
      problems.push(`ONEC_VRD: cannot read "${String(raw.ONEC_VRD)}": ${reason}. Example: ONEC_VRD=/var/www/ut11/default.vrd`)
    }
  }
  problems.push(...crossProblems(raw, vrd, named))
  if (problems.length > 0) throw new ConfigError(problems)
  return { config: build(raw, vrd, warnings), warnings }
}

/** PUBLIC_URL as set, or the address the proxy listens on. */
function publicUrlOf (raw: Raw): string {
  const host = String(raw.HOST)
  return raw.PUBLIC_URL === undefined ? `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host}:${String(raw.PORT)}` : String(raw.PUBLIC_URL)
}

/** The thin-client base for contact links: as set, or from default.vrd's connection string. */
function thinClientBase (raw: Raw, vrd: Vrd | undefined): string | undefined {
  return raw.ONEC_THIN_CLIENT_URL === undefined ? (vrd === undefined ? undefined : thinClientBaseFromConnection(vrd.ib)) : String(raw.ONEC_THIN_CLIENT_URL)
}

/** Settings that are wrong only together: named in the same run as every other wrong setting. */
function crossProblems (raw: Raw, vrd: Vrd | undefined, named: (name: string) => boolean): string[] {
  const problems: string[] = []
  const host = String(raw.HOST)
  if (raw.PUBLIC_URL === undefined && isIP(host) === 6 && host !== '::') {
    problems.push(`PUBLIC_URL: HOST=${host} is an IPv6 address, which a 3CX template cannot name ([...] is an expression there). Set PUBLIC_URL to a host name that reaches the proxy, e.g. PUBLIC_URL=http://bridge.example.local:${String(raw.PORT)}`)
  } else if (!named('PUBLIC_URL') && !named('HOST') && !named('PORT')) {
    // Checked now rather than at the first template download, which would answer a 500.
    try {
      normalisePublicUrl(publicUrlOf(raw))
    } catch (err) {
      const e = err as AppError
      problems.push(`PUBLIC_URL: ${e.message}.${e.hint === undefined ? '' : ` ${e.hint}.`}`)
    }
  }
  if (raw.CONTACT_URL_MODE === 'thin' && thinClientBase(raw, vrd) === undefined && !named('ONEC_VRD')) {
    problems.push('ONEC_THIN_CLIENT_URL: CONTACT_URL_MODE=thin needs the thin-client base (or ONEC_VRD with Srvr/Ref). Example: ONEC_THIN_CLIENT_URL=e1c://server/srv1c/ut11')
  }
  return problems
}

function build (raw: Raw, vrd: Vrd | undefined, warnings: string[]): Config {
  const str = (name: string): string | undefined => raw[name] === undefined ? undefined : String(raw[name])
  const int = (name: string): number => Number(raw[name])
  const bool = (name: string): boolean => raw[name] === true

  const onecUrl = infobaseUrl(String(raw.ONEC_URL), vrd, warnings)
  const user = str('ONEC_USER') ?? vrd?.user
  const password = str('ONEC_PASSWORD') ?? vrd?.password
  if (user === undefined) {
    warnings.push('ONEC_USER is not set and default.vrd has no Usr: requests to 1C carry no credentials, which works only if the publication logs in by itself.')
  }
  const maxConnections = int('ONEC_MAX_CONNECTIONS')
  const poolSize = vrd?.standardOdata?.poolSize
  if (poolSize !== undefined && maxConnections > poolSize) {
    warnings.push(`ONEC_MAX_CONNECTIONS=${maxConnections} is above the publication's poolSize=${poolSize} (default.vrd): 1C will answer 406 under load. Lower it or raise poolSize.`)
  }
  const host = String(raw.HOST)
  const port = int('PORT')
  // crossProblems has refused what would not normalise.
  const publicUrl = normalisePublicUrl(publicUrlOf(raw))
  if (raw.PUBLIC_URL === undefined) {
    warnings.push(`PUBLIC_URL is not set: the 3CX template will point at ${publicUrl}. Set PUBLIC_URL to the address 3CX uses to reach the proxy.`)
  }
  const tcxPassword = String(raw.TCX_PASSWORD)
  const adminPassword = str('ADMIN_PASSWORD')
  const metricsPassword = str('METRICS_PASSWORD')
  const metricsPort = raw.METRICS_PORT === undefined ? undefined : int('METRICS_PORT')
  if (metricsPassword === undefined && metricsPort === undefined) {
    warnings.push('Neither METRICS_PASSWORD nor METRICS_PORT is set: /metrics is not served.')
  }
  const areaCode = str('DEFAULT_AREA_CODE')
  if (areaCode !== undefined && 10 - areaCode.length <= int('EXTENSION_MAX_DIGITS')) {
    warnings.push(`DEFAULT_AREA_CODE=${areaCode} makes local numbers ${10 - areaCode.length} digits long, which EXTENSION_MAX_DIGITS=${int('EXTENSION_MAX_DIGITS')} treats as PBX extensions: set EXTENSION_MAX_DIGITS=${9 - areaCode.length} or lower.`)
  }
  const contactUrlMode = str('CONTACT_URL_MODE') as Config['onec']['contactUrlMode']
  return {
    onec: {
      url: onecUrl,
      user,
      password,
      vrdPath: str('ONEC_VRD'),
      timeoutMs: int('ONEC_TIMEOUT_MS'),
      maxConnections,
      timezone: String(raw.ONEC_TIMEZONE),
      sessionMode: str('ONEC_SESSION_MODE') as Config['onec']['sessionMode'],
      sessionMaxAgeMs: (vrd?.standardOdata?.sessionMaxAge ?? 20) * 1000,
      tlsRejectUnauthorized: bool('ONEC_TLS_REJECT_UNAUTHORIZED'),
      webUrl: (str('ONEC_WEB_URL') ?? onecUrl).replace(/\/+$/, ''),
      contactUrlMode,
      thinClientUrl: thinClientBase(raw, vrd),
      scriptLanguage: str('ONEC_SCRIPT_LANGUAGE') as Config['onec']['scriptLanguage'],
    },
    server: { host, port, publicUrl },
    dataDir: String(raw.DATA_DIR),
    auth: {
      tcx: { user: String(raw.TCX_USER), password: tcxPassword },
      admin: adminPassword === undefined ? undefined : { user: String(raw.ADMIN_USER), password: adminPassword },
      metrics: metricsPassword === undefined ? undefined : { user: String(raw.METRICS_USER), password: metricsPassword },
    },
    metrics: { port: metricsPort, host: String(raw.METRICS_HOST) },
    log: { level: String(raw.LOG_LEVEL), phoneNumbers: str('LOG_PHONE_NUMBERS') as Config['log']['phoneNumbers'] },
    phone: { defaultCountry: String(raw.DEFAULT_COUNTRY), defaultAreaCode: str('DEFAULT_AREA_CODE'), extensionMaxDigits: int('EXTENSION_MAX_DIGITS') },
    lookup: {
      profile: String(raw.PROFILE),
      policy: str('AMBIGUITY_POLICY') as Config['lookup']['policy'],
      budgetMs: int('LOOKUP_BUDGET_MS'),
    },
    cache: {
      ttlMs: int('CACHE_TTL_S') * 1000,
      negativeTtlMs: int('CACHE_NEGATIVE_TTL_S') * 1000,
      staleMs: int('CACHE_STALE_S') * 1000,
      maxEntries: int('CACHE_MAX_ENTRIES'),
    },
    journal: {
      target: str('JOURNAL_TARGET') as Config['journal']['target'],
      retryMinMs: int('JOURNAL_RETRY_MIN_MS'),
      retryMaxMs: Math.max(int('JOURNAL_RETRY_MAX_MS'), int('JOURNAL_RETRY_MIN_MS')),
      maxAttempts: int('JOURNAL_MAX_ATTEMPTS'),
      fsync: bool('JOURNAL_FSYNC'),
    },
    contacts: {
      searchLimit: int('SEARCH_LIMIT'),
      searchMinLength: int('SEARCH_MIN_LENGTH'),
      creation: str('CONTACT_CREATION') === 'enabled',
    },
    index: {
      enabled: bool('INDEX_ENABLED'),
      refreshMs: int('INDEX_REFRESH_S') * 1000,
      pageSize: int('INDEX_PAGE_SIZE'),
      paging: str('INDEX_PAGING') as Config['index']['paging'],
    },
  }
}

/** ONEC_URL, with the publication path from default.vrd when ONEC_URL has none. */
function infobaseUrl (value: string, vrd: Vrd | undefined, warnings: string[]): string {
  const url = new URL(value)
  let path = url.pathname.replace(/\/+$/, '')
  const odata = /\/odata\/standard\.odata(\/.*)?$/i
  if (odata.test(path)) {
    path = path.replace(odata, '')
    warnings.push(`ONEC_URL ends with /odata/standard.odata: using ${url.origin}${path} as the infobase address (the proxy adds the OData part itself).`)
  }
  if (vrd !== undefined) {
    if (path === '') {
      path = vrd.base.replace(/\/+$/, '')
    } else if (decodeURIComponent(path) !== decodeURIComponent(vrd.base.replace(/\/+$/, ''))) {
      warnings.push(`ONEC_URL path "${decodeURIComponent(path)}" differs from the publication path "${vrd.base}" in default.vrd.`)
    }
  }
  return `${url.origin}${path}`
}

/** A URL as it may be shown: any user name and password in it replaced. */
function withoutUserInfo (value: string): string {
  return value.replace(/^(\s*[a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1***@')
}

function urlProblem ({ name, example }: SettingDef, value: string): string | undefined {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return `${name}: ${JSON.stringify(withoutUserInfo(value))} is not an http(s) URL. Example: ${name}=${example}`
  }
  // PUBLIC_URL says why in its own words (normalisePublicUrl, below).
  if (name !== 'PUBLIC_URL' && (url.username !== '' || url.password !== '')) {
    return `${name}: must not hold a user name or password; the proxy sends ONEC_USER and ONEC_PASSWORD. Example: ${name}=${example}`
  }
  return undefined
}

/** The secrets .env.example shows are public: a proxy started with one is open to anyone who read it. */
function exampleSecretProblem (s: SettingDef, value: string): string | undefined {
  return value === s.example ? `${s.name}: is the example from .env.example, which anyone can read; choose a secret of your own.` : undefined
}

function jsonSchemaOf (s: SettingDef): Record<string, unknown> {
  const base: Record<string, unknown> = {}
  if (s.default !== undefined) base.default = s.default
  switch (s.type) {
    case 'integer':
      return { ...base, type: 'integer', minimum: s.minimum, maximum: s.maximum }
    case 'boolean':
      return { ...base, type: 'boolean' }
    case 'enum':
      return { ...base, type: 'string', enum: s.values }
    case 'url':
      // Parsed by urlProblem: ajv's "uri" format is ASCII-only and refuses http://server/УТ11 as browsers show it.
      return { ...base, type: 'string', pattern: '^https?://' }
    case 'secret':
    case 'string':
    case 'path': {
      const out: Record<string, unknown> = { ...base, type: 'string' }
      if (s.minimum !== undefined) out.minLength = s.minimum
      if (s.pattern !== undefined) out.pattern = s.pattern
      return out
    }
  }
}

function settingOf (error: ErrorObject): string {
  return error.keyword === 'required'
    ? String((error.params as { missingProperty: string }).missingProperty)
    : error.instancePath.replace(/^\//, '')
}

function describe (error: ErrorObject, env: Record<string, string | undefined>): string {
  const name = settingOf(error)
  const def = SETTINGS.find(s => s.name === name)
  const example = def === undefined ? '' : ` Example: ${def.name}=${def.example}`
  const shown = def?.type === 'secret' ? '(hidden)' : JSON.stringify(def?.type === 'url' ? withoutUserInfo(env[name] ?? '') : env[name] ?? '')
  switch (error.keyword) {
    case 'required':
      return `${name}: is required (${def?.description ?? ''}).${example}`
    case 'type':
      return `${name}: ${shown} is not ${error.params.type === 'integer' ? 'a whole number' : error.params.type === 'boolean' ? 'true or false' : `a ${String(error.params.type)}`}.${example}`
    case 'minimum':
    case 'maximum':
      return `${name}: ${shown} must be ${error.keyword === 'minimum' ? 'at least' : 'at most'} ${String(error.params.limit)}.${example}`
    case 'enum':
      return `${name}: ${shown} is not one of ${(def?.values ?? []).join(', ')}.${example}`
    case 'minLength':
      return `${name}: must be at least ${String(error.params.limit)} characters long.${example}`
    case 'format':
    case 'pattern':
      return `${name}: ${shown} ${def?.type === 'url' ? 'is not an http(s) URL' : def?.patternText ?? 'has the wrong form'}.${example}`
    default:
      return `${name}: ${error.message ?? 'is invalid'}.${example}`
  }
}

function normaliseBoolean (value: string): string | boolean {
  const v = value.toLowerCase()
  if (['true', '1', 'yes', 'on'].includes(v)) return true
  if (['false', '0', 'no', 'off'].includes(v)) return false
  return value
}

function isTimeZone (name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name }).format(0)
    return true
  } catch {
    return false
  }
}
