import type { Bindings, ChildLoggerOptions, Logger } from 'pino'

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace'

/**
 * Fastify gives every request a child logger carrying its id. Building a pino child (bindings serialised,
 * redaction prepared) costs more than a cached lookup itself, and most requests never log at all: this
 * child is built on first use only. It is one small object of a class (methods on the prototype): an
 * object literal with a dozen closures per request measurably lengthened the young-generation GC pauses
 * that set the p99 of a ring (bench/, "index hit at 1 000 req/s").
 */
class LazyChild {
  readonly #parent: Logger
  readonly #bindings: Bindings
  readonly #opts: ChildLoggerOptions | undefined
  #real: Logger | undefined

  constructor (parent: Logger, bindings: Bindings, opts: ChildLoggerOptions | undefined) {
    this.#parent = parent
    this.#bindings = bindings
    this.#opts = opts
  }

  #get (): Logger {
    return (this.#real ??= this.#parent.child(this.#bindings, this.#opts))
  }

  #log (level: Level, args: unknown[]): void {
    if (!this.isLevelEnabled(level)) return
    ;(this.#get()[level] as (...a: unknown[]) => void)(...args)
  }

  get level (): string { return this.#real?.level ?? this.#parent.level }
  set level (value: string) { this.#get().level = value }
  isLevelEnabled (level: string): boolean { return (this.#real ?? this.#parent).isLevelEnabled(level) }
  fatal (...args: unknown[]): void { this.#log('fatal', args) }
  error (...args: unknown[]): void { this.#log('error', args) }
  warn (...args: unknown[]): void { this.#log('warn', args) }
  info (...args: unknown[]): void { this.#log('info', args) }
  debug (...args: unknown[]): void { this.#log('debug', args) }
  trace (...args: unknown[]): void { this.#log('trace', args) }
  silent (): void {}
  child (bindings: Bindings, opts?: ChildLoggerOptions): Logger { return this.#get().child(bindings, opts) }
  bindings (): Bindings { return { ...this.#parent.bindings(), ...this.#bindings } }
}

export function lazyChild (parent: Logger, bindings: Bindings, opts?: ChildLoggerOptions): Logger {
  return new LazyChild(parent, bindings, opts) as unknown as Logger
}
