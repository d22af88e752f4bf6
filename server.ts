import { isIP } from 'node:net'
import closeWithGrace from 'close-with-grace'
import type { FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import { buildApp } from './app.js'
import type { Config } from './lib/config/types.js'
import { createLogger } from './lib/logger.js'

/** What the `ready` line tells: the URLs the proxy serves. */
export function readyFields (config: Config, url: string, odata: string): Record<string, string> {
  return { proxy: url, template: `${url}/3cx/template.xml`, publicUrl: config.server.publicUrl, odata }
}

export interface RunningServer {
  app: FastifyInstance
  url: string
  close: () => Promise<void>
}

/**
 * Starts the proxy: builds the app, listens, and on SIGTERM/SIGINT stops taking requests, lets in-flight
 * ones finish and closes every plugin (the journal is flushed by its onClose) before exiting.
 */
export async function startServer (config: Config, logger: Logger, opts: { handleSignals?: boolean, graceMs?: number, warnings?: string[], announce?: boolean } = {}): Promise<RunningServer> {
  const app = await buildApp(config, { logger })
  try {
    await app.listen({ host: config.server.host, port: config.server.port })
  } catch (err) {
    // What opened before the main port (the metrics listener, the 1C probe) would keep the process alive:
    // a service that cannot serve must exit, so that its supervisor sees it.
    await app.close()
    throw err
  }
  const address = app.server.address()
  const port = typeof address === 'object' && address !== null ? address.port : config.server.port
  const host = config.server.host === '0.0.0.0' || config.server.host === '::' ? '127.0.0.1' : config.server.host
  const url = `http://${isIP(host) === 6 ? `[${host}]` : host}:${port}`
  if (opts.handleSignals !== false) {
    closeWithGrace({ delay: opts.graceMs ?? 10_000, logger }, async ({ signal, err }) => {
      if (err !== undefined) logger.error({ err }, 'shutting down after an error')
      else logger.info({ signal }, 'shutting down')
      await app.close()
    })
  }
  // Start-up warnings wait until the port is open: tools read the first lines to learn that we are up.
  for (const warning of opts.warnings ?? []) logger.warn({ component: 'config' }, warning)
  // Tools wait for this line: it is written whatever LOG_LEVEL says.
  if (opts.announce !== false) (logger.isLevelEnabled('info') ? logger : createLogger('info')).info(readyFields(config, url, app.onec.odataRoot), 'ready')
  return { app, url, close: async () => { await app.close() } }
}
