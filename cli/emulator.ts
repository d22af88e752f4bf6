import { generateBase } from '../emulator/data/generate.js'
import { loadBase } from '../emulator/data/load.js'
import type { BaseData } from '../emulator/data/types.js'
import { EmulatorArgsError, emulatorHelp, parseEmulatorArgs, type EmulatorCliOptions } from '../emulator/options.js'
import { DEFAULT_USERS, startEmulator, type RunningEmulator } from '../emulator/server.js'
import { createLogger } from '../lib/logger.js'
import { demoBaseDir } from './paths.js'
import { CliUsageError } from './usage.js'

/** The base the emulator serves: --data DIR, --generate N, or the demo base. */
export async function emulatorData (options: EmulatorCliOptions): Promise<BaseData> {
  if (options.generate !== undefined) return generateBase({ partners: options.generate, ...(options.seed === undefined ? {} : { seed: options.seed }) })
  return await loadBase(options.dataDir ?? demoBaseDir())
}

export function parseOrExplain (argv: string[]): { options: EmulatorCliOptions, help: boolean } {
  try {
    return parseEmulatorArgs(argv)
  } catch (err) {
    if (err instanceof EmulatorArgsError) throw new CliUsageError(`${err.message}\n\n${emulatorHelp}`)
    throw err
  }
}

/** Stops on SIGTERM/SIGINT: the listener closes, in-flight answers finish. */
export function closeOnSignals (close: () => Promise<void>): void {
  const stop = (): void => {
    close().then(() => { process.exitCode = 0 }, () => { process.exitCode = 1 })
  }
  process.once('SIGTERM', stop)
  process.once('SIGINT', stop)
}

export async function runEmulator (options: EmulatorCliOptions): Promise<RunningEmulator> {
  const { dataDir: _dataDir, generate: _generate, seed: _seed, ...rest } = options
  return await startEmulator({ ...rest, data: await emulatorData(options) })
}

export async function emulatorCommand (argv: string[]): Promise<void> {
  const { options, help } = parseOrExplain(argv)
  if (help) {
    process.stdout.write(`${emulatorHelp}\n`)
    return
  }
  const emulator = await runEmulator(options)
  const user = options.users?.[0] ?? DEFAULT_USERS[0] as { name: string, password: string }
  createLogger('info', undefined, { redact: false }).info({ odata: emulator.odataUrl, infobase: emulator.baseUrl, user: user.name, password: user.password }, 'ready')
  closeOnSignals(emulator.close)
}
