import type { Bindings, ChildLoggerOptions, Logger } from 'pino'

/**
 * Fastify gives every request a child logger carrying its id. Building a pino child (bindings serialised,
 * redaction prepared) costs more than a cached lookup itself, and most requests never log at all: this
 * child is built on first use only.
 */
export function lazyChild (parent: Logger, bindings: Bindings, opts?: ChildLoggerOptions): Logger {
  // Fastify's placeholder logger (logging off) is not pino: its children cost nothing already.
  if (typeof parent.isLevelEnabled !== 'function') return parent.child(bindings, opts)
  let real: Logger | undefined
  const get = (): Logger => (real ??= parent.child(bindings, opts))
  const forward = (level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace') =>
    (...args: unknown[]): void => {
      if (!parent.isLevelEnabled(level)) return
      ;(get()[level] as (...a: unknown[]) => void)(...args)
    }
  return {
    get level () { return real?.level ?? parent.level },
    set level (value: string) { get().level = value },
    isLevelEnabled: (level: string) => (real ?? parent).isLevelEnabled(level),
    fatal: forward('fatal'),
    error: forward('error'),
    warn: forward('warn'),
    info: forward('info'),
    debug: forward('debug'),
    trace: forward('trace'),
    silent: () => {},
    child: (b: Bindings, o?: ChildLoggerOptions) => get().child(b, o),
    bindings: () => ({ ...parent.bindings(), ...bindings }),
  } as unknown as Logger
}
