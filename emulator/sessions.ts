import { randomBytes } from 'node:crypto'
import { HttpStatusOnly } from './errors.js'
import type { EmulatorUser, Settings } from './settings.js'

/**
 * Infobase sessions of the publication (onec-odata.md §6.2, DOC-INT §17.7):
 * - `autouse`: a pool per user and password; at most `poolSize` requests in service at once; a request that
 *   finds the pool full waits `poolTimeoutMs`, then gets 406; an idle session dies after `sessionMaxAgeMs`.
 * - `use`: the client drives sessions with `IBSession: start|finish` and the `ibsession` cookie; an unknown or
 *   expired id is 400; without header or cookie a session lives for one request.
 * - `dontuse`: a new session for every request.
 * Timers exist only while a request waits for the pool; expiry is checked lazily.
 */

export interface Lease {
  /** `Set-Cookie` to send, for `IBSession: start`. */
  setCookie?: string
  release: () => void
}

interface Session {
  id: string
  owner: string
  lastUsed: number
}

interface Waiter {
  resolve: (session: Session) => void
  reject: (error: Error) => void
  timer: NodeJS.Timeout
}

interface Pool {
  idle: Session[]
  busy: number
  waiters: Waiter[]
}

export interface SessionHeaders {
  ibsession?: string
  cookie?: string
}

const NO_OP: Lease = { release: () => {} }

export class SessionManager {
  private readonly settings: Settings
  private readonly now: () => number
  private readonly pools = new Map<string, Pool>()
  private readonly manual = new Map<string, Session>()
  private created = 0

  constructor (settings: Settings, now: () => number = Date.now) {
    this.settings = settings
    this.now = now
  }

  get sessionsCreated (): number {
    return this.created
  }

  resetCount (): void {
    this.created = 0
  }

  async acquire (user: EmulatorUser, headers: SessionHeaders): Promise<Lease> {
    const owner = `${user.name}\u0000${user.password}`
    switch (this.settings.sessionMode) {
      case 'dontuse':
        this.created += 1
        return NO_OP
      case 'use':
        return this.manualSession(owner, headers)
      case 'autouse':
        return this.pooledSession(owner)
    }
  }

  /** Rejects every request still waiting for the pool (the server is stopping). */
  close (): void {
    for (const pool of this.pools.values()) {
      for (const waiter of pool.waiters.splice(0)) {
        clearTimeout(waiter.timer)
        waiter.reject(new HttpStatusOnly(406, 'the publication is stopping'))
      }
    }
  }

  private newSession (owner: string): Session {
    this.created += 1
    return { id: randomBytes(16).toString('hex'), owner, lastUsed: this.now() }
  }

  private async pooledSession (owner: string): Promise<Lease> {
    let pool = this.pools.get(owner)
    if (pool === undefined) {
      pool = { idle: [], busy: 0, waiters: [] }
      this.pools.set(owner, pool)
    }
    const now = this.now()
    pool.idle = pool.idle.filter((s) => now - s.lastUsed < this.settings.sessionMaxAgeMs)
    const lease = (session: Session): Lease => ({ release: () => this.release(pool, session) })
    const idle = pool.idle.pop()
    if (idle !== undefined) {
      pool.busy += 1
      return lease(idle)
    }
    if (pool.busy + pool.idle.length < this.settings.poolSize) {
      pool.busy += 1
      return lease(this.newSession(owner))
    }
    const waiting = pool.waiters
    const session = await new Promise<Session>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          waiting.splice(waiting.indexOf(waiter), 1)
          reject(new HttpStatusOnly(406, 'the session pool is exhausted'))
        }, this.settings.poolTimeoutMs),
      }
      waiting.push(waiter)
    })
    return lease(session)
  }

  private release (pool: Pool, session: Session): void {
    const waiter = pool.waiters.shift()
    if (waiter !== undefined) {
      clearTimeout(waiter.timer)
      waiter.resolve(session)
      return
    }
    pool.busy -= 1
    session.lastUsed = this.now()
    pool.idle.push(session)
  }

  private manualSession (owner: string, headers: SessionHeaders): Lease {
    const now = this.now()
    for (const [id, session] of this.manual) {
      if (now - session.lastUsed >= this.settings.sessionMaxAgeMs) this.manual.delete(id)
    }
    const command = headers.ibsession?.trim().toLowerCase()
    const id = /(?:^|;\s*)ibsession=([^;]+)/i.exec(headers.cookie ?? '')?.[1]
    if (id !== undefined) {
      const session = this.manual.get(id)
      if (session === undefined || session.owner !== owner) throw new HttpStatusOnly(400, 'unknown or expired ibsession')
      session.lastUsed = now
      if (command === 'finish') return { release: () => { this.manual.delete(id) } }
      return { release: () => { session.lastUsed = this.now() } }
    }
    if (command === 'start') {
      const live = [...this.manual.values()].filter((s) => s.owner === owner).length
      if (live >= this.settings.poolSize) throw new HttpStatusOnly(406, 'cannot start another session')
      const session = this.newSession(owner)
      this.manual.set(session.id, session)
      return { setCookie: `ibsession=${session.id}`, release: () => { session.lastUsed = this.now() } }
    }
    this.created += 1
    return NO_OP
  }
}
