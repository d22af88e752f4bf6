/**
 * Fault injection for tests, demos and benchmarks: extra latency, a seeded error rate (500 code -1), and
 * a queue of failures for the next requests. Kinds: `500` internal error, `406` exhausted session pool,
 * `401` challenge, `html` a 200 text/html page like a broken publication (onec-odata.md §5.3 [3P HCB]),
 * `reset` a destroyed socket, `hang` no answer until the emulator stops, and the two answers §5.3 offers
 * for an exhausted licence, which no source documents: `licence` (500, code -1, a licence message) and
 * `503` (the web server's own page, as when the 1C server behind it does not answer).
 */
export const FAULT_KINDS = ['500', '406', '401', 'html', 'reset', 'hang', 'licence', '503'] as const
export type FaultKind = typeof FAULT_KINDS[number]

/** The HTTP-status kinds may also be given as numbers: failNext(1, 500). */
export type FaultKindInput = FaultKind | 500 | 406 | 401 | 503

export function isFaultKind (value: unknown): value is FaultKind {
  return typeof value === 'string' && (FAULT_KINDS as readonly string[]).includes(value)
}

/** mulberry32: small, fast, and the same sequence on every machine for a seed. */
function seededRandom (seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6D2B79F5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export class FaultInjector {
  latencyMs: number
  private errorRate = 0
  private random: () => number = seededRandom(1)
  private readonly queue: { kind: FaultKind, remaining: number }[] = []

  constructor (latencyMs: number, errorRate: number, seed: number) {
    this.latencyMs = latencyMs
    this.setErrorRate(errorRate, seed)
  }

  setLatency (ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new Error(`latency must be a number of ms >= 0, got ${ms}`)
    this.latencyMs = ms
  }

  setErrorRate (rate: number, seed = 1): void {
    if (!(rate >= 0 && rate <= 1)) throw new Error(`error rate must be between 0 and 1, got ${rate}`)
    this.errorRate = rate
    this.random = seededRandom(seed)
  }

  failNext (n: number, kindInput: FaultKindInput): void {
    const kind = typeof kindInput === 'number' ? String(kindInput) : kindInput
    if (!Number.isInteger(n) || n < 0) throw new Error(`failNext: n must be an integer >= 0, got ${n}`)
    if (!isFaultKind(kind)) throw new Error(`failNext: kind must be one of ${FAULT_KINDS.join(', ')}`)
    if (n > 0) this.queue.push({ kind, remaining: n })
  }

  /** The fault this request suffers, if any: queued failures first, then the error rate. */
  next (): FaultKind | undefined {
    const head = this.queue[0]
    if (head !== undefined) {
      head.remaining -= 1
      if (head.remaining === 0) this.queue.shift()
      return head.kind
    }
    if (this.errorRate > 0 && this.random() < this.errorRate) return '500'
    return undefined
  }

  clear (latencyMs: number): void {
    this.latencyMs = latencyMs
    this.errorRate = 0
    this.queue.length = 0
  }
}
