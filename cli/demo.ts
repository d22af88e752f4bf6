import { isIP } from 'node:net'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { ConfigError, loadConfig } from '../lib/config/load.js'
import { createLogger } from '../lib/logger.js'
import { readyFields, startServer } from '../server.js'
import { runEmulator } from './emulator.js'
import { packageRoot } from './paths.js'
import { CliUsageError } from './usage.js'

export const demoHelp = `Usage: 3cx-1c-bridge demo [--port N] [--emulator-port M] [--data-dir DIR] [--host ADDR]

Starts the built-in 1C emulator with the demo base (fixtures/demo-base) and the proxy configured
against it, on 127.0.0.1. Prints the URLs and the credentials to use. Stop with Ctrl+C.

  --port N            proxy port (default 8080)
  --emulator-port M   emulator port (default 8081)
  --data-dir DIR      the proxy's DATA_DIR (default: DATA_DIR/demo if DATA_DIR is set, else ./data/demo)
  --host ADDR         the address the proxy listens on (default 127.0.0.1). In a container give
                      0.0.0.0 and publish the port to the host's loopback only:
                      docker run --rm -p 127.0.0.1:8080:8080 3cx-1c-bridge demo --host 0.0.0.0
                      The demo's passwords are printed here: do not open it to a network.
                      The emulator stays on 127.0.0.1.
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

/**
 * Where the demo proxy listens and the URL it prints and writes into its template. A wildcard address
 * (a container's 0.0.0.0) is reached from this machine as 127.0.0.1.
 */
export function demoAddress (host: string | undefined, proxyPort: number): { host: string, publicUrl: string, loopbackOnly: boolean } {
  const listen = host ?? '127.0.0.1'
  if (isIP(listen) === 0) throw new CliUsageError(`--host must be an IP address such as 127.0.0.1 or 0.0.0.0, not "${listen}".`)
  const wildcard = listen === '0.0.0.0' || listen === '::'
  // 3CX reads [...] in a template as an expression, so the template cannot name an IPv6 address.
  if (isIP(listen) === 6 && !wildcard) throw new CliUsageError(`--host must be an IPv4 address such as 127.0.0.1, or 0.0.0.0 or ::: a 3CX template cannot name an IPv6 address like "${listen}".`)
  return {
    host: listen,
    publicUrl: `http://${wildcard ? '127.0.0.1' : listen}:${proxyPort}`,
    loopbackOnly: listen.startsWith('127.'),
  }
}

/** The demo's DATA_DIR: a subdirectory of DATA_DIR when that is set (the container's /data volume; the image's /app is read-only to its user). */
export function demoDataDir (given: string | undefined, env: NodeJS.ProcessEnv): string {
  if (given !== undefined) return given
  const dataDir = env.DATA_DIR
  return dataDir !== undefined && dataDir !== '' ? join(dataDir, 'demo') : join(packageRoot(), 'data', 'demo')
}

/** The demo's settings; a bad one from the environment (LOG_LEVEL) ends the demo cleanly, emulator and all. */
async function loadDemoConfig (emulator: { close: () => Promise<void> }, env: Record<string, string>): Promise<ReturnType<typeof loadConfig>> {
  try {
    return loadConfig(env)
  } catch (err) {
    await emulator.close()
    if (err instanceof ConfigError) throw new CliUsageError(err.message, 2)
    throw err
  }
}

export async function demoCommand (argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { port: { type: 'string' }, 'emulator-port': { type: 'string' }, 'data-dir': { type: 'string' }, host: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  })
  if (values.help === true) {
    process.stdout.write(`${demoHelp}\n`)
    return
  }
  const proxyPort = port('--port', values.port, 8080)
  const address = demoAddress(values.host, proxyPort)
  const emulator = await runEmulator({ host: '127.0.0.1', port: port('--emulator-port', values['emulator-port'], 8081), users: [{ name: DEMO.onec.user, password: DEMO.onec.password }] })
  const { config } = await loadDemoConfig(emulator, {
    ONEC_URL: emulator.baseUrl,
    ONEC_USER: DEMO.onec.user,
    ONEC_PASSWORD: DEMO.onec.password,
    HOST: address.host,
    PORT: String(proxyPort),
    PUBLIC_URL: address.publicUrl,
    TCX_USER: DEMO.tcx.user,
    TCX_PASSWORD: DEMO.tcx.password,
    ADMIN_USER: DEMO.admin.user,
    ADMIN_PASSWORD: DEMO.admin.password,
    METRICS_USER: DEMO.metrics.user,
    METRICS_PASSWORD: DEMO.metrics.password,
    DEFAULT_AREA_CODE: '495',
    DATA_DIR: demoDataDir(values['data-dir'], process.env),
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
    address.loopbackOnly
      ? '3cx-1c-bridge demo is running (127.0.0.1 only).'
      : `3cx-1c-bridge demo is running, the proxy on ${address.host} (the emulator on 127.0.0.1). Its passwords are the public ones below: keep the port off any network you do not trust.`,
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
