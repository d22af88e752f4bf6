/**
 * 1C session reuse (onec-odata.md §6.2, DOC-INT §17.7). In `auto` the publication pools sessions itself
 * (reuseSessions="autouse") and the client sends nothing special. In `manual` the client asks for a
 * session with `IBSession: start`, keeps the `ibsession` cookie 1C sets, and sends it back; each session
 * serves one request at a time, so the client keeps a small free list, one session per concurrent request.
 */
export type SessionMode = 'auto' | 'manual'

export interface SessionLease {
  /** Headers to send with this request. */
  headers: Record<string, string>
  /** The session cookie in use (`ibsession=…`), if any. */
  cookie: string | undefined
  /** This request asks 1C to start a new session. */
  starting: boolean
  /** The request finished: keep the session for the next one. */
  release: (setCookie: string | string[] | undefined) => void
  /** The session is unusable (transport error, 1C forgot it). */
  discard: () => void
}

interface IdleSession { cookie: string, idleSince: number }

const NO_SESSION: SessionLease = { headers: {}, cookie: undefined, starting: false, release: () => {}, discard: () => {} }

export class SessionPool {
  readonly #mode: SessionMode
  readonly #maxIdleMs: number
  readonly #idle: IdleSession[] = []
  readonly #now: () => number

  constructor (mode: SessionMode, maxIdleMs: number, now: () => number = Date.now) {
    this.#mode = mode
    // Leave a margin: a session 1C is about to drop would cost a failed request and a retry.
    this.#maxIdleMs = Math.max(0, maxIdleMs - 2000)
    this.#now = now
  }

  acquire (): SessionLease {
    if (this.#mode === 'auto') return NO_SESSION
    const now = this.#now()
    while (this.#idle.length > 0) {
      const session = this.#idle.pop() as IdleSession
      if (now - session.idleSince <= this.#maxIdleMs) return this.#lease(session.cookie)
    }
    return this.#lease(undefined)
  }

  /** Cookies of idle sessions, removed from the pool (to finish them on shutdown). */
  drain (): string[] {
    return this.#idle.splice(0).map(s => s.cookie)
  }

  get idleCount (): number {
    return this.#idle.length
  }

  #lease (cookie: string | undefined): SessionLease {
    let done = false
    return {
      headers: cookie === undefined ? { IBSession: 'start' } : { cookie },
      cookie,
      starting: cookie === undefined,
      release: (setCookie) => {
        if (done) return
        done = true
        const kept = sessionCookie(setCookie) ?? cookie
        if (kept !== undefined) this.#idle.push({ cookie: kept, idleSince: this.#now() })
      },
      discard: () => { done = true },
    }
  }
}

/** `ibsession=<id>` from Set-Cookie header(s), without attributes. */
export function sessionCookie (setCookie: string | string[] | undefined): string | undefined {
  const values = setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [setCookie]
  for (const value of values) {
    const m = /(?:^|[;,]\s*)ibsession=([^;,\s]+)/i.exec(value)
    if (m !== null) return `ibsession=${m[1] as string}`
  }
  return undefined
}
