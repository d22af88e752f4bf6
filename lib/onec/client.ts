import type { Dispatcher } from 'undici'
import { AppError } from '../errors.js'
import { classifyOneCResponse, classifyTransportError, looksLikeHtml } from '../odata/errors.js'
import { collectionPath, entityPath, formatQueryString, listQueryString, selectQueryString, type KeyValue, type ListQuery } from '../odata/query.js'
import { SessionPool, type SessionMode } from './sessions.js'

/**
 * The client of one 1C publication's standard OData interface. It owns no connection pool: it is given
 * an undici dispatcher (a Pool in production, a MockAgent in unit tests), so that the plugin decides the
 * pool's limits and tests decide the transport.
 */
export interface OneCClientOptions {
  /** The infobase address as the web client uses it, e.g. `http://1c.example.local/ut11`. */
  baseUrl: string
  user: string | undefined
  password: string | undefined
  dispatcher: Dispatcher
  /** Deadline of one request, connect to last byte. */
  timeoutMs: number
  sessionMode?: SessionMode
  /** Idle sessions older than this are not reused (the publication's sessionMaxAge). */
  sessionMaxAgeMs?: number
  /** Answers larger than this are refused; UT's $metadata is about 15 MB. */
  maxResponseBytes?: number
  observer?: (event: OneCRequestEvent) => void
}

export interface RequestContext {
  signal?: AbortSignal
  /** Ties the 1C request to the 3CX request in logs and metrics. */
  requestId?: string
  /** A deadline tighter than the client's own, e.g. what remains of a lookup budget. */
  timeoutMs?: number
}

export interface OneCRequestEvent {
  method: string
  set: string | undefined
  path: string
  status: number | undefined
  durationMs: number
  ok: boolean
  errorCode: string | undefined
  error: AppError | undefined
  requestId: string | undefined
  sessionStarted: boolean
}

export interface RawResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  contentType: string | undefined
  body: string
}

interface Call {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE'
  set: string | undefined
  resource: string
  query: string
  body?: unknown
  /** Statuses that are answers, not errors (e.g. 404 on a key read). */
  accept?: readonly number[]
  /** The Accept header; JSON unless said otherwise. */
  mediaType?: string
}

export class OneCClient {
  readonly baseUrl: string
  readonly odataRoot: string
  readonly #origin: string
  readonly #rootPath: string
  readonly #authorization: string | undefined
  readonly #dispatcher: Dispatcher
  readonly #timeoutMs: number
  readonly #maxResponseBytes: number
  readonly #sessions: SessionPool
  readonly #observer: ((event: OneCRequestEvent) => void) | undefined

  constructor (opts: OneCClientOptions) {
    const url = new URL(opts.baseUrl)
    this.baseUrl = `${url.origin}${url.pathname.replace(/\/+$/, '')}`
    this.#origin = url.origin
    this.#rootPath = `${url.pathname.replace(/\/+$/, '')}/odata/standard.odata`
    this.odataRoot = `${this.#origin}${this.#rootPath}`
    this.#authorization = opts.user === undefined || opts.user === ''
      ? undefined
      : `Basic ${Buffer.from(`${opts.user}:${opts.password ?? ''}`, 'utf8').toString('base64')}`
    this.#dispatcher = opts.dispatcher
    this.#timeoutMs = opts.timeoutMs
    this.#maxResponseBytes = opts.maxResponseBytes ?? 64 * 1024 * 1024
    this.#sessions = new SessionPool(opts.sessionMode ?? 'auto', opts.sessionMaxAgeMs ?? 20_000)
    this.#observer = opts.observer
  }

  async list<T = Record<string, unknown>> (q: ListQuery, ctx: RequestContext = {}): Promise<{ value: T[], count: number | undefined }> {
    const res = await this.#json({ method: 'GET', set: q.set, resource: collectionPath(q.set), query: listQueryString(q) }, ctx)
    const body = res as { value?: unknown, 'odata.count'?: unknown }
    if (!Array.isArray(body.value)) throw unexpected(q.set, 'a collection without "value"')
    const count = body['odata.count'] === undefined ? undefined : Number(body['odata.count'])
    return { value: body.value as T[], count }
  }

  /**
   * How many objects a set holds (`Set/$count`, a plain number: onec-odata.md §2.2); undefined when 1C
   * answers anything but a number, so that a caller can go on without it.
   */
  async count (set: string, ctx: RequestContext = {}): Promise<number | undefined> {
    const res = await this.#request({ method: 'GET', set, resource: `${collectionPath(set)}/$count`, query: '', accept: [400, 404, 501] }, ctx)
    const text = res.body.trim()
    const n = Number(text)
    return res.status === 200 && text !== '' && Number.isInteger(n) && n >= 0 ? n : undefined
  }

  /** One object by its key; undefined when 1C has none (404, code 9). */
  async get<T = Record<string, unknown>> (set: string, key: string | Record<string, KeyValue>, select?: readonly string[], ctx: RequestContext = {}): Promise<T | undefined> {
    const res = await this.#request({ method: 'GET', set, resource: entityPath(set, key), query: selectQueryString(select), accept: [404] }, ctx)
    if (res.status === 404) {
      const error = classifyOneCResponse({ status: 404, contentType: res.contentType, body: res.body, set })
      if (error.code === 'ONEC_NOT_FOUND') return undefined
      throw error
    }
    return parseJson(res, set) as T
  }

  async create<T = Record<string, unknown>> (set: string, body: Record<string, unknown>, ctx: RequestContext = {}): Promise<T> {
    return await this.#json({ method: 'POST', set, resource: collectionPath(set), query: formatQueryString(), body }, ctx) as T
  }

  async patch<T = Record<string, unknown>> (set: string, key: string | Record<string, KeyValue>, body: Record<string, unknown>, ctx: RequestContext = {}): Promise<T> {
    return await this.#json({ method: 'PATCH', set, resource: entityPath(set, key), query: formatQueryString(), body }, ctx) as T
  }

  /** `$metadata` (XML only, onec-odata.md §2.1: 1C does not serve it as JSON, so it is not asked for JSON). */
  async metadataXml (ctx: RequestContext = {}): Promise<string> {
    const res = await this.#request({ method: 'GET', set: undefined, resource: '$metadata', query: '', mediaType: 'application/xml' }, ctx)
    if (looksLikeHtml(res.contentType, res.body) || !/<(\w+:)?Edmx[\s>]/.test(res.body.slice(0, 2048))) {
      throw classifyOneCResponse({ status: res.status, contentType: res.contentType, body: res.body, set: undefined })
    }
    return res.body
  }

  /** Names of the published entity sets, from the service document. */
  async entitySets (ctx: RequestContext = {}): Promise<string[]> {
    const body = await this.#json({ method: 'GET', set: undefined, resource: '', query: formatQueryString() }, ctx) as { value?: unknown }
    if (!Array.isArray(body.value)) throw unexpected(undefined, 'a service document without "value"')
    return body.value.map(item => String((item as { name?: unknown }).name))
  }

  /** Any GET under the OData root, answered as it came (for `check`). */
  async raw (resource: string, query: string, ctx: RequestContext = {}): Promise<RawResponse> {
    return await this.#request({ method: 'GET', set: undefined, resource, query, accept: [200, 201, 204, 400, 401, 403, 404, 406, 500, 501, 502, 503] }, ctx)
  }

  /** Ends manual-mode sessions so that 1C frees their licences now rather than at sessionMaxAge. */
  async close (): Promise<void> {
    for (const cookie of this.#sessions.drain()) {
      try {
        await this.#send({ method: 'GET', set: undefined, resource: '', query: formatQueryString() }, { 'IBSession': 'finish', cookie }, AbortSignal.timeout(2000))
      } catch {
        // The session expires on its own at sessionMaxAge; nothing else to do.
      }
    }
  }

  async #json (call: Call, ctx: RequestContext): Promise<unknown> {
    return parseJson(await this.#request(call, ctx), call.set)
  }

  async #request (call: Call, ctx: RequestContext): Promise<RawResponse> {
    const timeoutMs = Math.min(ctx.timeoutMs ?? this.#timeoutMs, this.#timeoutMs)
    const deadline = AbortSignal.timeout(timeoutMs)
    const signal = ctx.signal === undefined ? deadline : AbortSignal.any([ctx.signal, deadline])
    const started = performance.now()
    let status: number | undefined
    let sessionStarted = false
    try {
      const res = await this.#withSession(call, signal, started => { sessionStarted = started })
      status = res.status
      const accepted = (res.status >= 200 && res.status < 300) || (call.accept?.includes(res.status) ?? false)
      // No OData resource is HTML: a web page means ONEC_URL points elsewhere or the publication is broken.
      if (!accepted || looksLikeHtml(res.contentType, res.body)) {
        throw classifyOneCResponse({ status: res.status, contentType: res.contentType, body: res.body, set: call.set })
      }
      this.#observe(call, ctx, started, status, undefined, sessionStarted)
      return res
    } catch (err) {
      const error = err instanceof AppError ? err : classifyTransportError(err, call.set, timeoutMs)
      this.#observe(call, ctx, started, status, error, sessionStarted)
      throw error
    }
  }

  async #withSession (call: Call, signal: AbortSignal, noteStart: (started: boolean) => void): Promise<RawResponse> {
    const lease = this.#sessions.acquire()
    noteStart(lease.starting)
    let res: RawResponse
    try {
      res = await this.#sendRetryingStaleSocket(call, lease.headers, signal)
    } catch (err) {
      lease.discard()
      throw err
    }
    if (lease.cookie !== undefined && res.status === 400 && !hasFault(res)) {
      // 1C forgot the session (expired or restarted): start a new one once (DOC-INT §17.7).
      lease.discard()
      const fresh = this.#sessions.acquire()
      noteStart(true)
      try {
        res = await this.#sendRetryingStaleSocket(call, fresh.headers, signal)
      } catch (err) {
        fresh.discard()
        throw err
      }
      fresh.release(res.headers['set-cookie'])
      return res
    }
    lease.release(res.headers['set-cookie'])
    return res
  }

  async #sendRetryingStaleSocket (call: Call, headers: Record<string, string>, signal: AbortSignal): Promise<RawResponse> {
    try {
      return await this.#send(call, headers, signal)
    } catch (err) {
      // A keep-alive socket the web server closed while idle fails on first use; a GET is safe to repeat.
      const code = (err as { code?: string }).code
      if (call.method === 'GET' && !signal.aborted && (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET')) {
        return await this.#send(call, headers, signal)
      }
      throw err
    }
  }

  async #send (call: Call, extraHeaders: Record<string, string>, signal: AbortSignal): Promise<RawResponse> {
    const headers: Record<string, string> = { accept: call.mediaType ?? 'application/json', ...extraHeaders }
    if (this.#authorization !== undefined) headers.authorization = this.#authorization
    let body: string | undefined
    if (call.body !== undefined) {
      body = JSON.stringify(call.body)
      headers['content-type'] = 'application/json;charset=utf-8'
    }
    const path = `${this.#rootPath}/${call.resource}${call.query === '' ? '' : `?${call.query}`}`
    const res = await this.#dispatcher.request({ origin: this.#origin, path, method: call.method, headers, body, signal })
    const text = await readBody(res.body, this.#maxResponseBytes)
    const contentType = res.headers['content-type']
    return {
      status: res.statusCode,
      headers: res.headers,
      contentType: Array.isArray(contentType) ? contentType[0] : contentType,
      body: text,
    }
  }

  #observe (call: Call, ctx: RequestContext, started: number, status: number | undefined, error: AppError | undefined, sessionStarted: boolean): void {
    this.#observer?.({
      method: call.method,
      set: call.set,
      path: call.resource,
      status,
      durationMs: performance.now() - started,
      ok: error === undefined,
      errorCode: error?.code,
      error,
      requestId: ctx.requestId,
      sessionStarted,
    })
  }
}

async function readBody (body: Dispatcher.ResponseData['body'], limit: number): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of body) {
    size += (chunk as Buffer).length
    if (size > limit) {
      body.destroy()
      throw new AppError('ONEC_UNEXPECTED_RESPONSE', `1C's answer is larger than ${limit} bytes.`)
    }
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

function parseJson (res: RawResponse, set: string | undefined): unknown {
  if (looksLikeHtml(res.contentType, res.body)) {
    throw classifyOneCResponse({ status: res.status, contentType: res.contentType, body: res.body, set })
  }
  try {
    return JSON.parse(res.body)
  } catch {
    throw unexpected(set, `a body that is not JSON (content-type ${res.contentType ?? 'none'})`)
  }
}

function hasFault (res: RawResponse): boolean {
  return /odata\.error|<(\w+:)?error[\s>]/.test(res.body.slice(0, 512))
}

function unexpected (set: string | undefined, what: string): AppError {
  return new AppError('ONEC_UNEXPECTED_RESPONSE', `1C answered${set === undefined ? '' : ` for ${set}`} with ${what}.`, {
    hint: 'Check that ONEC_URL points at the infobase publication and nothing in between rewrites answers.',
  })
}
