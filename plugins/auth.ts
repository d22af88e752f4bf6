import { hash, timingSafeEqual } from 'node:crypto'
import basicAuth from '@fastify/basic-auth'
import fp from 'fastify-plugin'
import type { onRequestHookHandler } from 'fastify'
import { AppError } from '../lib/errors.js'
import { sameSecret } from '../lib/same-secret.js'
import type { Credentials } from '../lib/config/types.js'

/** The Basic-auth guards: one for 3CX, one for the admin routes, one for /metrics. */
export interface AuthGuards {
  tcx: onRequestHookHandler
  /** undefined when ADMIN_PASSWORD is not set: the admin routes are off. */
  admin: onRequestHookHandler | undefined
  metrics: onRequestHookHandler | undefined
}

declare module 'fastify' {
  interface FastifyInstance {
    auth: AuthGuards
  }
}

// One-shot: no Hash object per check (each is a native object the GC has to track and release).
const digest = (value: string): Buffer => hash('sha256', value, 'buffer')

/**
 * A checker for one pair of credentials. It compares digests, so that neither the length nor the content
 * of a secret leaks through timing; the expected digest is computed once. Only headers other than the
 * canonical one 3CX sends come here (see the guard below).
 */
export function credentialsChecker (expected: Credentials): (user: string, password: string) => boolean {
  // A user name cannot contain ":" (RFC 7617), so "user:password" is unambiguous.
  const want = digest(`${expected.user}:${expected.password}`)
  return (user, password) => timingSafeEqual(digest(`${user}:${password}`), want)
}

export default fp(async (app) => {
  const guard = async (realm: string, creds: Credentials): Promise<onRequestHookHandler> => {
    let full: onRequestHookHandler | undefined
    const matches = credentialsChecker(creds)
    await app.register(async (scope) => {
      await scope.register(basicAuth, {
        authenticate: { realm },
        validate: (user, password, _request, _reply, done) => {
          done(matches(user, password) ? undefined : new AppError('UNAUTHORIZED', 'Wrong user name or password.'))
        },
      })
      full = scope.basicAuth
    })
    // 3CX sends the same header on every request: comparing it with the expected one settles the usual
    // case; anything else (other spelling, wrong credentials, none) goes through @fastify/basic-auth's parsing.
    const canonical = `Basic ${Buffer.from(`${creds.user}:${creds.password}`, 'utf8').toString('base64')}`
    const hook: onRequestHookHandler = function (request, reply, done) {
      const header = request.headers.authorization
      if (typeof header === 'string' && sameSecret(header, canonical)) {
        done()
        return
      }
      ;(full as onRequestHookHandler).call(this, request, reply, done)
    }
    return hook
  }
  const { tcx, admin, metrics } = app.config.auth
  app.decorate('auth', {
    tcx: await guard('3cx-1c-bridge', tcx),
    admin: admin === undefined ? undefined : await guard('3cx-1c-bridge admin', admin),
    metrics: metrics === undefined ? undefined : await guard('3cx-1c-bridge metrics', metrics),
  })
}, { name: 'auth', fastify: '5.x', dependencies: ['config'] })
