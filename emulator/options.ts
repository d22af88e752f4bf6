import { parseArgs } from 'node:util'
import { DEFAULT_COST_MODEL, type CostModel } from './cost/constants.js'
import type { EmulatorOptions } from './server.js'
import { DEFAULT_SETTINGS, type EmulatorUser } from './settings.js'

/**
 * Command-line flags of `3cx-1c-bridge emulator` → EmulatorOptions. Every behaviour switch of settings.ts
 * has a flag. A bad value is an error that names the flag.
 */

export type EmulatorCliOptions = Omit<EmulatorOptions, 'data'> & { dataDir?: string, generate?: number, seed?: number }

export class EmulatorArgsError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'EmulatorArgsError'
  }
}

const d = DEFAULT_SETTINGS
const c = DEFAULT_COST_MODEL

/** The cost model's constants by flag; any of them also turns the model on. */
const COST_FLAGS: [flag: string, key: keyof CostModel][] = [
  ['--cost-base-ms', 'baseMs'],
  ['--cost-seek-ms', 'seekMs'],
  ['--cost-scan-us-per-row', 'scanUsPerRow'],
  ['--cost-index-us-per-row', 'indexUsPerRow'],
  ['--cost-skip-us-per-row', 'skipUsPerRow'],
  ['--cost-sort-us-per-row', 'sortUsPerRow'],
  ['--cost-row-us', 'rowUs'],
  ['--cost-tabular-row-us', 'tabularRowUs'],
]

const FLAGS: [flag: string, value: string, text: string][] = [
  ['--host', 'HOST', 'address to listen on (default 127.0.0.1)'],
  ['--port', 'N', 'port to listen on, 0 = any free port (default 8081)'],
  ['--base-path', 'PATH', 'infobase path; OData root is PATH/odata/standard.odata (default /ut11)'],
  ['--latency-ms', 'MS', 'delay added to every OData request (default 0)'],
  ['--data', 'DIR', 'load the base from DIR/<SetName>.json files'],
  ['--generate', 'N', 'generate a base with N partners instead of loading one'],
  ['--seed', 'S', 'seed of the generated base (default: the generator\'s)'],
  ['--user', 'NAME', 'OData user name (default odata)'],
  ['--password', 'PASSWORD', 'OData user password (default odata)'],
  ['--read-only-user', 'NAME:PASSWORD', 'add a user who may read but not write (repeatable; writes get code 20)'],
  ['--composition', 'SET1,SET2', 'publish only these main sets; their tabular sections follow (default: all)'],
  ['--case-sensitive-strings', '', `compare strings case-sensitively (default ${String(d.caseSensitiveStrings)}: 1C's DBMS ignores case)`],
  ['--trailing-spaces-significant', '', `eq/ordering do not ignore trailing spaces (default ${String(d.trailingSpacesSignificant)})`],
  ['--unknown-filter-field', 'empty|error', `unknown field in $filter: empty result or code 14 (default ${d.unknownFilterField})`],
  ['--unlimited-string-comparison', 'error|allow', `comparing unlimited strings: code 14 or allowed (default ${d.unlimitedStringComparison})`],
  ['--plus-as-space', '', `decode + in the query string as a space (default ${String(d.plusAsSpace)})`],
  ['--unknown-set-code', 'CODE', `1C code for an unknown or unpublished set, 6 or 8 (default ${d.unknownSetCode})`],
  ['--client-ref-key', 'honour|ignore', `keep a Ref_Key sent with POST (default ${d.clientRefKey})`],
  ['--duplicate-register-key', 'error|replace', `POST of an existing register key (default ${d.duplicateRegisterKey})`],
  ['--duplicate-key-status', 'STATUS', `HTTP status of the duplicate-key error, code 15 (default ${d.duplicateKeyStatus})`],
  ['--if-match', 'honour|ignore', `If-Match with a stale DataVersion gives 412, or is ignored (default ${d.ifMatch})`],
  ['--long-strings', 'truncate|error', `string longer than its attribute (default ${d.longStrings})`],
  ['--postable-documents', 'SET1,SET2', 'documents whose posting is allowed (default none)'],
  ['--posted-when-posting-denied', 'serve|omit', `serve Posted for documents that cannot be posted (default ${d.postedWhenPostingDenied})`],
  ['--nav-links-in-nometadata', '', `keep @navigationLinkUrl with odata=nometadata (default ${String(d.navigationLinksInNoMetadata)})`],
  ['--embedded-row-ref-key', 'include|omit', `Ref_Key in rows of embedded tabular sections (default ${d.embeddedRowRefKey ? 'include' : 'omit'})`],
  ['--realm', 'TEXT', `realm of the 401 challenge (default "${d.realm}")`],
  ['--access-denied-status', 'STATUS', `HTTP status of access-right errors, code 20 (default ${d.accessDeniedStatus})`],
  ['--session-mode', 'autouse|use|dontuse', `default.vrd reuseSessions (default ${d.sessionMode})`],
  ['--pool-size', 'N', `default.vrd poolSize (default ${d.poolSize})`],
  ['--pool-timeout-ms', 'MS', `wait for a pooled session before 406 (default ${d.poolTimeoutMs})`],
  ['--session-max-age-ms', 'MS', `idle session lifetime (default ${d.sessionMaxAgeMs})`],
  ['--error-rate', 'R', `answer this share of OData requests with 500 code -1, 0..1 (default ${d.errorRate})`],
  ['--error-seed', 'S', `seed of the error-rate sequence (default ${d.errorSeed})`],
  ['--cost-model', '', 'charge each request what a real 1C base would spend on it; any --cost-* flag turns it on (default off)'],
  ['--cost-base-ms', 'MS', `cost model: per request (default ${c.baseMs})`],
  ['--cost-seek-ms', 'MS', `cost model: per index seek, i.e. per key of a key lookup or per range (default ${c.seekMs})`],
  ['--cost-scan-us-per-row', 'US', `cost model: per row read in table order, e.g. by endswith/substringof scans (default ${c.scanUsPerRow})`],
  ['--cost-index-us-per-row', 'US', `cost model: per row read through a secondary index, on top of the scan cost (default ${c.indexUsPerRow})`],
  ['--cost-skip-us-per-row', 'US', `cost model: per row dropped by $skip, on top of reading it (default ${c.skipUsPerRow})`],
  ['--cost-sort-us-per-row', 'US', `cost model: per row sorted for an $orderby no index yields (default ${c.sortUsPerRow})`],
  ['--cost-row-us', 'US', `cost model: per entity returned (default ${c.rowUs})`],
  ['--cost-tabular-row-us', 'US', `cost model: per tabular-section row returned inside its owner (default ${c.tabularRowUs})`],
  ['--log', '', 'log requests (pino JSON)'],
  ['--help', '', 'show this help'],
]

export const emulatorHelp = [
  'Usage: 3cx-1c-bridge emulator [flags]',
  '',
  'Runs an emulated 1C:Enterprise 8.3 standard OData interface (UT 11) on HOST:PORT.',
  '',
  ...FLAGS.map(([flag, value, text]) => `  ${`${flag}${value === '' ? '' : ` ${value}`}`.padEnd(44)}${text}`),
  '',
].join('\n')

export function parseEmulatorArgs (argv: string[]): { options: EmulatorCliOptions, help: boolean } {
  const booleans = new Set(FLAGS.filter(([, value]) => value === '').map(([flag]) => flag.slice(2)))
  const config: Record<string, { type: 'string' | 'boolean', multiple?: boolean, short?: string }> = {}
  for (const [flag] of FLAGS) {
    const name = flag.slice(2)
    config[name] = { type: booleans.has(name) ? 'boolean' : 'string' }
  }
  config['read-only-user'] = { type: 'string', multiple: true }
  config.help = { type: 'boolean', short: 'h' }
  let values: Record<string, string | boolean | string[] | undefined>
  try {
    values = parseArgs({ args: argv, options: config, strict: true, allowPositionals: false }).values as typeof values
  } catch (error) {
    throw new EmulatorArgsError(`${(error as Error).message} (see --help)`)
  }
  const str = (name: string): string | undefined => values[name] as string | undefined
  const options: EmulatorCliOptions = {}
  const set = <K extends keyof EmulatorCliOptions>(key: K, value: EmulatorCliOptions[K] | undefined): void => {
    if (value !== undefined) options[key] = value
  }
  set('host', nonEmpty('--host', str('host')))
  set('port', integer('--port', str('port'), 0, 65535))
  set('basePath', str('base-path'))
  set('latencyMs', number('--latency-ms', str('latency-ms'), 0))
  set('dataDir', nonEmpty('--data', str('data')))
  set('generate', integer('--generate', str('generate'), 1, 10_000_000))
  set('seed', integer('--seed', str('seed'), 0, 2 ** 32 - 1))
  set('composition', list('--composition', str('composition')))
  if (options.dataDir !== undefined && options.generate !== undefined) throw new EmulatorArgsError('--data and --generate cannot be used together')
  const users: EmulatorUser[] = []
  const name = str('user')
  const password = str('password')
  if (name !== undefined || password !== undefined) users.push({ name: nonEmpty('--user', name) ?? 'odata', password: password ?? 'odata' })
  for (const entry of (values['read-only-user'] as string[] | undefined) ?? []) {
    const colon = entry.indexOf(':')
    if (colon <= 0) throw new EmulatorArgsError(`--read-only-user: expected NAME:PASSWORD, got "${entry}"`)
    users.push({ name: entry.slice(0, colon), password: entry.slice(colon + 1), rights: { read: '*', write: [] } })
  }
  if (users.length > 0) {
    if (name === undefined && password === undefined) users.unshift({ name: 'odata', password: 'odata' })
    options.users = users
  }
  if (values['case-sensitive-strings'] === true) options.caseSensitiveStrings = true
  if (values['trailing-spaces-significant'] === true) options.trailingSpacesSignificant = true
  if (values['plus-as-space'] === true) options.plusAsSpace = true
  if (values['nav-links-in-nometadata'] === true) options.navigationLinksInNoMetadata = true
  if (values.log === true) options.logger = true
  set('unknownFilterField', choice('--unknown-filter-field', str('unknown-filter-field'), ['empty', 'error'] as const))
  set('unlimitedStringComparison', choice('--unlimited-string-comparison', str('unlimited-string-comparison'), ['error', 'allow'] as const))
  set('unknownSetCode', choice('--unknown-set-code', str('unknown-set-code'), ['6', '8'] as const))
  set('clientRefKey', choice('--client-ref-key', str('client-ref-key'), ['honour', 'ignore'] as const))
  set('duplicateRegisterKey', choice('--duplicate-register-key', str('duplicate-register-key'), ['error', 'replace'] as const))
  set('duplicateKeyStatus', integer('--duplicate-key-status', str('duplicate-key-status'), 400, 599))
  set('ifMatch', choice('--if-match', str('if-match'), ['honour', 'ignore'] as const))
  set('longStrings', choice('--long-strings', str('long-strings'), ['truncate', 'error'] as const))
  set('postableDocuments', list('--postable-documents', str('postable-documents')))
  set('postedWhenPostingDenied', choice('--posted-when-posting-denied', str('posted-when-posting-denied'), ['serve', 'omit'] as const))
  const rowRef = choice('--embedded-row-ref-key', str('embedded-row-ref-key'), ['include', 'omit'] as const)
  if (rowRef !== undefined) options.embeddedRowRefKey = rowRef === 'include'
  set('realm', nonEmpty('--realm', str('realm')))
  set('accessDeniedStatus', integer('--access-denied-status', str('access-denied-status'), 400, 599))
  set('sessionMode', choice('--session-mode', str('session-mode'), ['autouse', 'use', 'dontuse'] as const))
  set('poolSize', integer('--pool-size', str('pool-size'), 1, 10_000))
  set('poolTimeoutMs', number('--pool-timeout-ms', str('pool-timeout-ms'), 0))
  set('sessionMaxAgeMs', number('--session-max-age-ms', str('session-max-age-ms'), 1))
  const rate = number('--error-rate', str('error-rate'), 0)
  if (rate !== undefined && rate > 1) throw new EmulatorArgsError(`--error-rate: expected a number from 0 to 1, got "${str('error-rate') ?? ''}"`)
  set('errorRate', rate)
  set('errorSeed', integer('--error-seed', str('error-seed'), 0, 2 ** 32 - 1))
  const costs: Partial<CostModel> = {}
  for (const [flag, key] of COST_FLAGS) {
    const value = number(flag, str(flag.slice(2)), 0)
    if (value !== undefined) costs[key] = value
  }
  if (Object.keys(costs).length > 0) options.costModel = costs
  else if (values['cost-model'] === true) options.costModel = true
  return { options, help: values.help === true }
}

function nonEmpty (flag: string, value: string | undefined): string | undefined {
  if (value !== undefined && value.trim() === '') throw new EmulatorArgsError(`${flag}: expected a value, got an empty string`)
  return value
}

function integer (flag: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!/^\d+$/.test(value.trim()) || n < min || n > max) throw new EmulatorArgsError(`${flag}: expected an integer from ${min} to ${max}, got "${value}"`)
  return n
}

function number (flag: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (value.trim() === '' || !Number.isFinite(n) || n < min) throw new EmulatorArgsError(`${flag}: expected a number >= ${min}, got "${value}"`)
  return n
}

function choice<T extends string> (flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined
  if (!(allowed as readonly string[]).includes(value)) throw new EmulatorArgsError(`${flag}: expected one of ${allowed.join(', ')}, got "${value}"`)
  return value as T
}

function list (flag: string, value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined
  const items = value.split(',').map((s) => s.trim()).filter((s) => s !== '')
  if (items.length === 0) throw new EmulatorArgsError(`${flag}: expected a comma-separated list of entity sets`)
  return items
}
