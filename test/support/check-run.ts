import { fileURLToPath } from 'node:url'
import { runCheck } from '../../cli/check.js'
import { loadBase } from '../../emulator/data/load.js'
import type { BaseData } from '../../emulator/data/types.js'
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../emulator/server.js'
import { STEP_NAMES } from '../../lib/check/types.js'

/** The emulator user's password in these tests: distinctive, so a test can prove it is never printed. */
export const ONEC_PASSWORD = 'Odata-Secret-7319'

export const DEMO_BASE = fileURLToPath(new URL('../../fixtures/demo-base', import.meta.url))
export const REAL_EDMX = fileURLToPath(new URL('../../fixtures/onec/ut-real-edmx-excerpt.xml', import.meta.url))

let demo: Promise<BaseData> | undefined

/** The demo base, read once per test file; every emulator gets its own copy. */
export async function demoBase (): Promise<BaseData> {
  demo ??= loadBase(DEMO_BASE)
  return structuredClone(await demo)
}

interface Tap {
  teardown: (fn: () => unknown) => void
}

/** The emulator with the demo base on 127.0.0.1:0, user odata / ONEC_PASSWORD, closed when the test ends. */
export async function startDemoEmulator (t: Tap, opts: Partial<EmulatorOptions> = {}): Promise<RunningEmulator> {
  const emulator = await startEmulator({ port: 0, data: await demoBase(), users: [{ name: 'odata', password: ONEC_PASSWORD }], ...opts })
  t.teardown(async () => { await emulator.close() })
  return emulator
}

/** The settings an administrator would write for this 1C; `extra` adds or overrides. */
export function checkEnv (onecUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ONEC_URL: onecUrl,
    ONEC_USER: 'odata',
    ONEC_PASSWORD,
    TCX_PASSWORD: 'tcx-secret-password',
    PUBLIC_URL: 'http://127.0.0.1:8080',
    ONEC_TIMEOUT_MS: '5000',
    ...extra,
  }
}

export interface CheckRun {
  code: number
  stdout: string
  stderr: string
}

/**
 * `3cx-1c-bridge check` in-process. `--dotenv /dev/null` (an empty file) so that a `.env` in the working
 * directory never leaks into a test.
 */
export async function check (argv: string[], env: Record<string, string | undefined>): Promise<CheckRun> {
  let stdout = ''
  let stderr = ''
  const code = await runCheck(['--dotenv', '/dev/null', ...argv], {
    stdout: { write: (text: string) => { stdout += text } },
    stderr: { write: (text: string) => { stderr += text } },
    env,
  })
  return { code, stdout, stderr }
}

export interface TableRow {
  step: string
  object: string
  verdict: string
  /** The row's text: message and fix, lines joined by spaces. */
  text: string
}

const ROW = new RegExp(`^(${STEP_NAMES.join('|')})\\s{2,}(\\S+)\\s{2,}(ok|warn|fail|skip)\\s{2,}(.*)$`)

/** Reads the rows back out of the printed table (continuation lines belong to the row above). */
export function parseTable (text: string): TableRow[] {
  const rows: TableRow[] = []
  for (const line of text.split('\n')) {
    const m = ROW.exec(line)
    if (m !== null) {
      rows.push({ step: m[1] as string, object: m[2] as string, verdict: m[3] as string, text: (m[4] as string).trim() })
      continue
    }
    const last = rows[rows.length - 1]
    if (last !== undefined && /^\s{20,}\S/.test(line)) last.text += ` ${line.trim()}`
  }
  return rows
}

export interface JsonStep {
  step: string
  object: string
  verdict: string
  message: string
  fix: string | null
}

export function parseJson (text: string): { ok: boolean, steps: JsonStep[] } {
  return JSON.parse(text) as { ok: boolean, steps: JsonStep[] }
}
