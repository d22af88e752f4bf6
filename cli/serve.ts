import { parseArgs } from 'node:util'
import { ConfigError, loadConfig, readEnvironment } from '../lib/config/load.js'
import { createLogger } from '../lib/logger.js'
import { startServer } from '../server.js'
import { CliUsageError } from './usage.js'

export const serveHelp = `Usage: 3cx-1c-bridge serve [--dotenv PATH]

Starts the proxy. Every setting comes from the environment; a .env file in the current directory
(or --dotenv PATH) is read first, and the real environment wins. See .env.example and docs/ for
the settings. Stops gracefully on SIGTERM/SIGINT.

  --dotenv PATH     read settings from PATH instead of ./.env (named so because Node 20 itself
                    takes --env-file wherever it appears on the command line)
  -h, --help        this text`

export async function serveCommand (argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { 'dotenv': { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true })
  if (values.help === true) {
    process.stdout.write(`${serveHelp}\n`)
    return
  }
  let loaded
  try {
    loaded = loadConfig(readEnvironment(process.env, values['dotenv'] ?? '.env', values['dotenv'] !== undefined))
  } catch (err) {
    if (err instanceof ConfigError) throw new CliUsageError(err.message, 2)
    throw err
  }
  const logger = createLogger(loaded.config.log.level)
  await startServer(loaded.config, logger, { warnings: loaded.warnings })
}
