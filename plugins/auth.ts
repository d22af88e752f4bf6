import { createHash, timingSafeEqual } from 'node:crypto'
import basicAuth from '@fastify/basic-auth'
import fp from 'fastify-plugin'
import type { onRequestHookHandler } from 'fastify'
import { AppError } from '../lib/errors.js'
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

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest()

/** Compares digests so that neither the length nor the content of a secret leaks through timing. */
export function credentialsMatch (expected: Credentials, user: string, password: string): boolean {
  const userOk = timingSafeEqual(digest(user), digest(expected.user))
  const passwordOk = timingSafeEqual(digest(password), digest(expected.password))
  return userOk && passwordOk
}

export default fp(async (app) => {
  const guard = async (realm: string, creds: Credentials): Promise<onRequestHookHandler> => {
    let hook: onRequestHookHandler | undefined
    await app.register(async (scope) => {
      await scope.register(basicAuth, {
        authenticate: { realm },
        validate: async (user, password) => {
          if (!credentialsMatch(creds, user, password)) {
            throw new AppError('UNAUTHORIZED', 'Wrong user name or password.')
          }
        },
      })
      hook = scope.basicAuth
    })
    return hook as onRequestHookHandler
  }
  const { tcx, admin, metrics } = app.config.auth
  app.decorate('auth', {
    tcx: await guard('3cx-1c-bridge', tcx),
    admin: admin === undefined ? undefined : await guard('3cx-1c-bridge admin', admin),
    metrics: metrics === undefined ? undefined : await guard('3cx-1c-bridge metrics', metrics),
  })
}, { name: 'auth', fastify: '5.x', dependencies: ['config'] })
