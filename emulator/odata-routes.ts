import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { authenticate, challenge } from './auth.js'
import { COST_HEADER, formatCostHeader } from './cost/header.js'
import { RequestCost } from './cost/meter.js'
import { HttpStatusOnly, badUrl, internalError, licenceExhausted } from './errors.js'
import type { FaultKind } from './faults.js'
import { negotiateFormat, prefersJson } from './format.js'
import { dispatch } from './odata-dispatch.js'
import { readQueryOptions } from './query/options.js'
import { sendError } from './render-error.js'
import { parseResourcePath } from './resource-path.js'
import type { EmulatorState } from './state.js'
import { decodePath, parseQuery, splitUrl } from './url.js'
import { brokenPublicationPage, serviceUnavailablePage } from './web-client.js'

/**
 * The OData interface under `<basePath>/odata/standard.odata`. Every request goes through the same
 * pipeline: count it, apply an injected fault, authenticate (Basic), take an infobase session, spend the
 * configured latency inside it, then dispatch, and, with the cost model on, spend the charge inside the
 * session too before the answer leaves. Bodies are read as text so that a malformed one is 1C's error, not
 * Fastify's.
 */
export async function registerODataRoutes (app: FastifyInstance, state: EmulatorState): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers()
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => { done(null, body) })
    // Counted on arrival, before the body is read, so that even a request Fastify refuses is counted.
    const pathOf = new WeakMap<FastifyRequest, { set: string, relative: string | undefined }>()
    scope.addHook('onRequest', async (request) => {
      let relative: string | undefined
      try {
        relative = decodePath(splitUrl(request.raw.url ?? '/').pathname).slice(state.odataRoot.length).replace(/^\//, '')
      } catch {
        relative = undefined
      }
      const set = relative === undefined ? '$unknown' : statsKey(relative)
      pathOf.set(request, { set, relative })
      state.stats.request(set, request.method)
    })
    // dispatch() sends synchronously; with the cost model on, the answer is held until its charge is spent.
    const held = new WeakMap<FastifyRequest, Promise<void>>()
    scope.addHook('onSend', async (request, _reply, payload) => {
      const charging = held.get(request)
      if (charging !== undefined) await charging
      return payload
    })
    scope.addHook('onResponse', async (request, reply) => {
      const path = pathOf.get(request)
      if (path !== undefined) state.stats.response(path.set, reply.statusCode)
    })
    // Fastify's own failures (an oversized body, a broken stream) still answer in 1C's way.
    scope.setErrorHandler((error: unknown, request, reply) => {
      const statusCode = (error as { statusCode?: unknown } | null)?.statusCode
      const status = typeof statusCode === 'number' ? statusCode : 500
      sendError(reply, status < 500 ? new HttpStatusOnly(status, String((error as Error).message)) : internalError(), wantsJson(state, request))
    })
    const handler = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
      await handleRequest(state, request, reply, pathOf.get(request)?.relative, held)
    }
    scope.all(state.odataRoot, handler)
    scope.all(`${state.odataRoot}/*`, handler)
  })
}

async function handleRequest (state: EmulatorState, request: FastifyRequest, reply: FastifyReply, relative: string | undefined, held: WeakMap<FastifyRequest, Promise<void>>): Promise<void> {
  const fault = state.faults.next()
  if (fault !== undefined) return injectFault(state, fault, request, reply)
  reply.header('DataServiceVersion', '3.0')
  const json = wantsJson(state, request)
  try {
    const user = authenticate(request.headers.authorization, state.users)
    if (user === undefined) throw challenge(state.settings.realm)
    const lease = await state.sessions.acquire(user, {
      ibsession: headerValue(request, 'ibsession'),
      cookie: headerValue(request, 'cookie'),
    })
    const hold = new Hold()
    try {
      // 1C's processing time is spent inside a session: a slow base also fills the session pool.
      const latency = state.faults.latencyMs
      if (latency > 0) await sleep(latency, undefined, { signal: state.shutdown.signal }).catch(() => {})
      if (lease.setCookie !== undefined) reply.header('Set-Cookie', lease.setCookie)
      if (relative === undefined) throw badUrl('неверная кодировка адреса')
      const query = readQueryOptions(parseQuery(splitUrl(request.raw.url ?? '/').search, state.settings.plusAsSpace))
      const model = state.costModel
      const cost = model === undefined ? undefined : new RequestCost(model)
      if (cost !== undefined) held.set(request, hold.promise)
      dispatch({
        state,
        request,
        reply,
        user,
        method: request.method === 'HEAD' ? 'GET' : request.method,
        segments: parseResourcePath(relative),
        query,
        format: negotiateFormat(query.format, headerValue(request, 'accept')),
        render: state.renderContext(`http://${request.headers.host ?? 'localhost'}${state.odataRoot}`),
        cost,
      })
      if (cost !== undefined) await spendCharge(state, reply, cost)
    } finally {
      lease.release()
      hold.release()
    }
  } catch (error) {
    sendError(reply, error, json)
  }
}

/**
 * The charge is spent as an awaited timer, not a busy loop, so that the emulator's own CPU does not distort
 * a benchmark, and inside the infobase session, as a real 1C session is busy while its SQL runs: a burst of
 * expensive lookups queues for the pool and may get 406, as in life. Failed requests are not charged.
 */
async function spendCharge (state: EmulatorState, reply: FastifyReply, cost: RequestCost): Promise<void> {
  const charge = cost.finish()
  reply.header(COST_HEADER, formatCostHeader(charge))
  state.costs.add(charge)
  await sleep(charge.ms, undefined, { signal: state.shutdown.signal }).catch(() => {})
}

/** A promise the onSend hook waits on, released once the request's session is given back. */
class Hold {
  readonly promise: Promise<void>
  release: () => void = () => {}

  constructor () {
    this.promise = new Promise<void>((resolve) => { this.release = resolve })
  }
}

function injectFault (state: EmulatorState, fault: FaultKind, request: FastifyRequest, reply: FastifyReply): void {
  switch (fault) {
    case '500':
    case 'licence':
      reply.header('DataServiceVersion', '3.0')
      return sendError(reply, fault === '500' ? internalError() : licenceExhausted(), wantsJson(state, request))
    case '503':
      reply.code(503).type('text/html; charset=iso-8859-1').send(serviceUnavailablePage())
      return
    case '406':
      return sendError(reply, new HttpStatusOnly(406, 'the session pool is exhausted'), false)
    case '401':
      return sendError(reply, challenge(state.settings.realm), false)
    case 'html':
      reply.code(200).type('text/html;charset=utf-8').send(brokenPublicationPage())
      return
    case 'reset':
      reply.hijack()
      request.raw.socket.destroy()
      return
    case 'hang': {
      reply.hijack()
      const socket = request.raw.socket
      state.hung.add(socket)
      socket.once('close', () => state.hung.delete(socket))
    }
  }
}

/** The error envelope follows the asked-for format even when the request itself is broken. */
function wantsJson (state: EmulatorState, request: FastifyRequest): boolean {
  let format: string | undefined
  for (const part of splitUrl(request.raw.url ?? '/').search.split('&')) {
    if (!part.startsWith('$format=')) continue
    try {
      format = parseQuery(part, state.settings.plusAsSpace).get('$format')
    } catch {
      format = undefined
    }
    break
  }
  return prefersJson(format, headerValue(request, 'accept'))
}

/** Counters are kept per entity set: the first path segment without its key; the root is `$service`. */
function statsKey (relative: string): string {
  const name = /^[^/(]*/.exec(relative)?.[0] ?? ''
  return name === '' ? '$service' : name
}

function headerValue (request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name]
  return Array.isArray(value) ? value.join(', ') : value
}
