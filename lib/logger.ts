import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino'

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

/**
 * pino's `isoTime`, formatted once per millisecond: at the default level every ring writes a line, and
 * formatting a date was the largest single part of writing one. Each logger keeps its own.
 */
export function isoTimeOncePerMs (clock: () => number = Date.now): () => string {
  let formattedAt = Number.NaN
  let field = ''
  return () => {
    const now = clock()
    if (now !== formattedAt) {
      formattedAt = now
      field = `,"time":"${new Date(now).toISOString()}"`
    }
    return field
  }
}

function loggerOptions (level: string, redact: boolean): LoggerOptions {
  return {
    level,
    base: { service: '3cx-1c-bridge' },
    timestamp: isoTimeOncePerMs(),
    ...(redact ? { redact: { paths: REDACT_PATHS, censor: '[redacted]' } } : {}),
    formatters: { level: (label) => ({ level: label }) },
    serializers: REQUEST_SERIALIZERS,
  }
}

export function createLogger (level: string, destination?: DestinationStream, opts: { redact?: boolean } = {}): Logger {
  // Only the emulator's and the demo's `ready` lines turn redaction off: they exist to print test credentials.
  return pino(loggerOptions(level, opts.redact !== false), destination ?? pino.destination({ dest: 1, sync: true }))
}

/**
 * For a line whose every field the code sets itself, none of them a secret (the 3CX access line): the same
 * destination, level and format as `logger`, without redaction. Redaction walks its paths, wildcards among
 * them, through every line it is given; on the access line, written for every ring at the default level,
 * that was ~9% of an index hit's time.
 */
export function unredactedSibling (logger: Logger): Logger {
  const destination = (logger as unknown as Record<symbol, DestinationStream>)[pino.symbols.streamSym]
  return pino(loggerOptions(logger.level, false), destination)
}
