import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { Pool } from 'undici'
import { allPassed, runChecks, runOfflineChecks } from '../lib/check/run.js'
import { renderTable, toReport } from '../lib/check/render.js'
import { sampleKey } from '../lib/check/lookup.js'
import type { CheckRow, Lang } from '../lib/check/types.js'
import { ConfigError, loadConfig, readEnvironment } from '../lib/config/load.js'
import { SETTINGS } from '../lib/config/settings.js'
import type { Config } from '../lib/config/types.js'
import { OneCClient } from '../lib/onec/client.js'
import { loadProfile, ProfileError } from '../lib/profiles/load.js'
import type { Profile } from '../lib/profiles/types.js'
import { parseVrd } from '../lib/vrd.js'

export const checkHelp = `Usage: 3cx-1c-bridge check [--lang ru|en] [--json] [--dotenv PATH] [--sample-number NUMBER]
       3cx-1c-bridge check --metadata FILE [--lang ru|en] [--json] [--dotenv PATH]

Checks the 1C publication the proxy will use, step by step, before 3CX ever rings: the address answers,
it is the standard OData interface (not a web page), the credentials work, $metadata parses, every entity
set and property the profile needs is published with the right type, the user may read them, a sample
lookup works, how long the phone index's full sync will take (two pages read per source, three with
$skip), and the call journal's target is ready (nothing is ever written). Each problem comes with the
fix in the 1C administrator's words. Settings are read as "serve" reads them.

  --lang ru|en            language of the messages (default ru)
  --json                  print one JSON document {ok, steps:[{step, object, verdict, message, fix}]}
  --dotenv PATH           read settings from PATH instead of ./.env
  --sample-number NUMBER  the number the sample lookup looks up (default: the first phone in the base)
  --metadata FILE         check a saved $metadata file instead of asking 1C (sets and fields only)
  -h, --help              this text

Exit code: 0 when everything the profile needs is there, 1 when a step fails, 2 for a usage or
configuration error.`

export interface CheckIo {
  stdout: { write: (text: string) => unknown, columns?: number }
  stderr: { write: (text: string) => unknown }
  env: Record<string, string | undefined>
}

/** `check` without the process around it: returns the exit code (tests call it in-process). */
export async function runCheck (argv: string[], io: CheckIo): Promise<number> {
  let values: { lang?: string, json?: boolean, 'dotenv'?: string, 'sample-number'?: string, metadata?: string, help?: boolean }
  try {
    values = parseArgs({
      args: argv,
      options: {
        lang: { type: 'string' },
        json: { type: 'boolean' },
        'dotenv': { type: 'string' },
        'sample-number': { type: 'string' },
        metadata: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values
  } catch (err) {
    io.stderr.write(`${(err as Error).message}\n\n${checkHelp}\n`)
    return 2
  }
  if (values.help === true) {
    io.stdout.write(`${checkHelp}\n`)
    return 0
  }
  const lang = values.lang ?? 'ru'
  if (lang !== 'ru' && lang !== 'en') {
    io.stderr.write(`--lang: expected ru or en, got "${lang}"\n`)
    return 2
  }
  const offline = values.metadata !== undefined
  if (offline && values['sample-number'] !== undefined) {
    io.stderr.write('--sample-number has no effect with --metadata: a saved $metadata holds no data to look up.\n')
    return 2
  }

  let config: Config
  let profile: Profile
  try {
    const env = readEnvironment(io.env, values['dotenv'] ?? '.env', values['dotenv'] !== undefined)
    config = loadConfig(offline ? withOfflineDefaults(env) : env).config
    profile = loadProfile(config.lookup.profile)
  } catch (err) {
    if (err instanceof ConfigError || err instanceof ProfileError) {
      io.stderr.write(`${err.message}\n`)
      return 2
    }
    throw err
  }

  let rows: CheckRow[]
  if (values.metadata !== undefined) {
    let xml: string
    try {
      xml = readFileSync(values.metadata, 'utf8')
    } catch (err) {
      io.stderr.write(`--metadata: cannot read "${values.metadata}": ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}\n`)
      return 2
    }
    rows = runOfflineChecks(xml, values.metadata, profile, config)
  } else {
    const sample = values['sample-number']
    if (sample !== undefined && sampleKey(sample, config) === undefined) {
      io.stderr.write(`--sample-number: "${sample}" is not a full phone number (DEFAULT_COUNTRY=${config.phone.defaultCountry}). Example: --sample-number +74951234567\n`)
      return 2
    }
    rows = await online(config, profile, sample)
  }

  io.stdout.write(values.json === true ? `${JSON.stringify(toReport(rows, lang as Lang), null, 2)}\n` : renderTable(rows, lang as Lang, io.stdout.columns ?? 120))
  return allPassed(rows) ? 0 : 1
}

async function online (config: Config, profile: Profile, sampleNumber: string | undefined): Promise<CheckRow[]> {
  const { onec } = config
  // loadConfig has read this file already and would have refused a broken one.
  const vrd = onec.vrdPath === undefined ? undefined : parseVrd(readFileSync(onec.vrdPath, 'utf8'))
  // The same pool settings the server's plugin uses (plugins/onec.ts), so the check sees what it will see.
  const pool = new Pool(new URL(onec.url).origin, {
    connections: onec.maxConnections,
    pipelining: 1,
    headersTimeout: onec.timeoutMs + 1_000,
    bodyTimeout: onec.timeoutMs + 1_000,
    connect: { timeout: Math.min(onec.timeoutMs, 10_000), rejectUnauthorized: onec.tlsRejectUnauthorized },
  })
  const client = new OneCClient({
    baseUrl: onec.url,
    user: onec.user,
    password: onec.password,
    dispatcher: pool,
    timeoutMs: onec.timeoutMs,
    sessionMode: onec.sessionMode,
    sessionMaxAgeMs: onec.sessionMaxAgeMs,
  })
  try {
    return await runChecks({ config, profile, client, dispatcher: pool, vrd, sampleNumber })
  } finally {
    await client.close()
    await pool.close()
  }
}

/**
 * A saved $metadata needs no 1C address and no 3CX password; only the profile and the journal target
 * matter. Required settings that are missing get their documented example so the rest is still checked
 * as the server checks it.
 */
function withOfflineDefaults (env: Record<string, string | undefined>): Record<string, string | undefined> {
  const out = { ...env }
  for (const s of SETTINGS) {
    // A secret's example is refused by loadConfig (it is public); offline nothing uses it, so any stand-in will do.
    if (s.required === true && (out[s.name] ?? '').trim() === '') out[s.name] = s.type === 'secret' ? `offline-${s.example}` : s.example
  }
  return out
}

export async function checkCommand (argv: string[]): Promise<void> {
  process.exitCode = await runCheck(argv, { stdout: process.stdout, stderr: process.stderr, env: process.env })
}
