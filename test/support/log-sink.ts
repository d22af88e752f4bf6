import { Writable } from 'node:stream'
import { createLogger } from '../../lib/logger.js'
import type { Logger } from 'pino'

/** A logger whose JSON lines a test can read back (the pino test pattern: assert on structured records). */
export function captureLogs (level = 'trace'): { logger: Logger, lines: () => Array<Record<string, unknown>>, text: () => string } {
  const chunks: string[] = []
  const stream = new Writable({
    write (chunk, _enc, done) {
      chunks.push(String(chunk))
      done()
    },
  })
  const logger = createLogger(level, stream)
  const text = (): string => chunks.join('')
  return {
    logger,
    text,
    lines: () => text().split('\n').filter(l => l.trim() !== '').map(l => JSON.parse(l) as Record<string, unknown>),
  }
}
