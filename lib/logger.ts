import pino, { type DestinationStream, type Logger } from 'pino'

/**
 * The JSON logger. Secrets are redacted by path wherever they could appear: credentials in headers,
 * anything named like a password, the configuration's own secret fields. Writes are synchronous so that
 * the last lines before an exit (a fatal configuration error, the shutdown) are never lost.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'authorization',
  'password',
  '*.password',
  '*.*.password',
  'config.onec.password',
  'config.auth.*.password',
  'ONEC_PASSWORD',
  'TCX_PASSWORD',
  'ADMIN_PASSWORD',
  'METRICS_PASSWORD',
]

/**
 * A request or reply put on a line is reduced to what identifies it, headers left out altogether (the
 * serializers Fastify gives its own logger, which the app does not use: see app.ts).
 */
const REQUEST_SERIALIZERS = {
  req: (req: { method?: string, url?: string, ip?: string, socket?: { remoteAddress?: string, remotePort?: number } }) => ({
    method: req.method,
    url: req.url,
    remoteAddress: req.ip ?? req.socket?.remoteAddress,
    remotePort: req.socket?.remotePort,
  }),
  res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
  err: pino.stdSerializers.err,
}

export function createLogger (level: string, destination?: DestinationStream, opts: { redact?: boolean } = {}): Logger {
  return pino({
    level,
    base: { service: '3cx-1c-bridge' },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Only the emulator's and the demo's `ready` lines turn this off: they exist to print test credentials.
    ...(opts.redact === false ? {} : { redact: { paths: REDACT_PATHS, censor: '[redacted]' } }),
    formatters: { level: (label) => ({ level: label }) },
    serializers: REQUEST_SERIALIZERS,
  }, destination ?? pino.destination({ dest: 1, sync: true }))
}
