import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { loadConfig } from '../lib/config/load.js'
import { createLogger } from '../lib/logger.js'
import { readyFields, startServer } from '../server.js'
import { runEmulator } from './emulator.js'
import { packageRoot } from './paths.js'
import { CliUsageError } from './usage.js'

export const demoHelp = `Usage: 3cx-1c-bridge demo [--port N] [--emulator-port M] [--data-dir DIR]

Starts the built-in 1C emulator with the demo base (fixtures/demo-base) and the proxy configured
against it, on 127.0.0.1. Prints the URLs and the credentials to use. Stop with Ctrl+C.

  --port N            proxy port (default 8080)
  --emulator-port M   emulator port (default 8081)
  --data-dir DIR      the proxy's DATA_DIR (default ./data/demo)
  -h, --help          this text`

/** Credentials of the demo: fixed, so that the README's curl lines work as printed; 127.0.0.1 only. */
export const DEMO = {
  tcx: { user: '3cx', password: 'demo-3cx-password' },
  admin: { user: 'admin', password: 'demo-admin-password' },
  metrics: { user: 'metrics', password: 'demo-metrics' },
  onec: { user: 'odata', password: 'odata' },
}

function port (flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new CliUsageError(`${flag} must be a port number (0-65535), not "${value}".`)
  return n
}

export async function demoCommand (argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { port: { type: 'string' }, 'emulator-port': { type: 'string' }, 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  })
  if (values.help === true) {
    process.stdout.write(`${demoHelp}\n`)
    return
  }
  const proxyPort = port('--port', values.port, 8080)
  const emulator = await runEmulator({ host: '127.0.0.1', port: port('--emulator-port', values['emulator-port'], 8081), users: [{ name: DEMO.onec.user, password: DEMO.onec.password }] })
  const { config } = loadConfig({
    ONEC_URL: emulator.baseUrl,
    ONEC_USER: DEMO.onec.user,
    ONEC_PASSWORD: DEMO.onec.password,
    HOST: '127.0.0.1',
    PORT: String(proxyPort),
    PUBLIC_URL: `http://127.0.0.1:${proxyPort}`,
    TCX_USER: DEMO.tcx.user,
    TCX_PASSWORD: DEMO.tcx.password,
    ADMIN_USER: DEMO.admin.user,
    ADMIN_PASSWORD: DEMO.admin.password,
    METRICS_USER: DEMO.metrics.user,
    METRICS_PASSWORD: DEMO.metrics.password,
    DEFAULT_AREA_CODE: '495',
    DATA_DIR: values['data-dir'] ?? join(packageRoot(), 'data', 'demo'),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
  })
  const logger = createLogger(config.log.level)
  let server
  try {
    server = await startServer(config, logger, { handleSignals: false, announce: false })
  } catch (err) {
    await emulator.close()
    throw err
  }
  const base = server.url
  createLogger('info', undefined, { redact: false }).info({
    ...readyFields(config, base, server.app.onec.odataRoot),
    infobase: emulator.baseUrl,
    tcx: DEMO.tcx,
    admin: DEMO.admin,
    metrics: DEMO.metrics,
    onec: DEMO.onec,
  }, 'ready')
  process.stderr.write([
    '',
    '3cx-1c-bridge demo is running (127.0.0.1 only).',
    `  proxy      ${base}            3CX user "${DEMO.tcx.user}", password "${DEMO.tcx.password}"`,
    `  template   ${base}/3cx/template.xml`,
    `  1C (emul.) ${emulator.baseUrl}/       OData ${emulator.odataUrl} (user "${DEMO.onec.user}", password "${DEMO.onec.password}")`,
    `  admin      ${base}/admin/journal      user "${DEMO.admin.user}", password "${DEMO.admin.password}"`,
    `  metrics    ${base}/metrics            user "${DEMO.metrics.user}", password "${DEMO.metrics.password}"`,
    '',
    'Try:',
    `  curl -s -u ${DEMO.tcx.user}:${DEMO.tcx.password} '${base}/3cx/lookup?number=%2B74951234567'`,
    '',
  ].join('\n'))
  const stop = async (): Promise<void> => {
    await server.close()
    await emulator.close()
  }
  process.once('SIGTERM', () => { void stop() })
  process.once('SIGINT', () => { void stop() })
}
