import { AppError } from '../errors.js'
import { parseOneCFault } from '../odata/errors.js'
import { formatQueryString } from '../odata/query.js'
import { address, credentials, odata, skipped, type Problem } from './messages.js'
import { row, skip, userName } from './row.js'
import type { CheckContext, CheckRow } from './types.js'

/** The address step: does anything answer HTTP at ONEC_URL's origin? Any status counts as an answer. */
export async function checkAddress (ctx: Pick<CheckContext, 'config' | 'dispatcher'>): Promise<CheckRow> {
  const url = new URL(ctx.config.onec.url)
  const timeoutMs = ctx.config.onec.timeoutMs
  try {
    const res = await ctx.dispatcher.request({ origin: url.origin, path: '/', method: 'GET', signal: AbortSignal.timeout(timeoutMs) })
    await res.body.dump()
    return row('address', url.origin, 'ok', address.ok(res.statusCode))
  } catch (err) {
    return row('address', url.origin, 'fail', transportProblem(err, url.host, timeoutMs))
  }
}

const TLS = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/

function transportProblem (err: unknown, host: string, timeoutMs: number): Problem {
  const e = err as { name?: string, code?: string, message?: string, cause?: { code?: string } }
  const code = e.code ?? e.cause?.code
  if (e.name === 'TimeoutError' || e.name === 'AbortError' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'ETIMEDOUT') {
    return address.timeout(host, timeoutMs)
  }
  if (code === 'ECONNREFUSED') return address.refused(host)
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return address.dns(host)
  if (code !== undefined && TLS.test(code)) return address.tls(host, code)
  return address.other(host, code ?? e.message ?? 'network error')
}

export interface ServiceOutcome {
  odata: CheckRow
  credentials: CheckRow
  /** The service document came back: the credentials work and later steps may run. */
  loggedIn: boolean
  /** The odata step itself failed (credentials were then not checked). */
  odataFailed: boolean
}

/**
 * The odata and credentials steps, from one request for the service document: its answer tells both
 * whether the address is OData (JSON with `value`, not HTML, not 404) and whether 1C let us in.
 */
export async function checkService (ctx: Pick<CheckContext, 'config' | 'client' | 'vrd'>): Promise<ServiceOutcome> {
  const root = ctx.client.odataRoot
  const user = ctx.config.onec.user
  const who = userName(user)
  const failOdata = (problem: Problem): ServiceOutcome => ({
    odata: row('odata', root, 'fail', problem),
    credentials: skip('credentials', who, skipped.after('odata')),
    loggedIn: false,
    odataFailed: true,
  })

  let res
  try {
    res = await ctx.client.raw('', formatQueryString())
  } catch (err) {
    if (!(err instanceof AppError)) throw err
    const status = (err.details?.onec as { status?: number } | undefined)?.status
    if (err.code === 'ONEC_NOT_ODATA') return failOdata(odata.html(root, status ?? 200))
    if (err.code === 'ONEC_UNREACHABLE' || err.code === 'ONEC_TIMEOUT') return failOdata(odata.transport(err.message))
    return failOdata(odata.notServiceDocument(status ?? 0, undefined))
  }

  const fault = parseOneCFault(res.body, res.contentType)
  if (res.status === 200) {
    const sets = serviceSets(res.body)
    if (sets === undefined) return failOdata(odata.notServiceDocument(res.status, res.contentType))
    return {
      odata: row('odata', root, 'ok', odata.ok(sets)),
      credentials: row('credentials', who, 'ok', user === undefined || user === '' ? credentials.okAnonymous() : credentials.ok(who)),
      loggedIn: true,
      odataFailed: false,
    }
  }
  if ((res.status === 401 || res.status === 403) && fault?.code === '20') {
    return {
      odata: row('odata', root, 'ok', odata.answeredWithFault(res.status)),
      credentials: row('credentials', who, 'fail', credentials.noODataRight(who, fault.message)),
      loggedIn: false,
      odataFailed: false,
    }
  }
  if (res.status === 401) {
    const challenge = header(res.headers['www-authenticate'])
    const realm = /realm="([^"]*)"/i.exec(challenge ?? '')?.[1] ?? ''
    // 1C's own challenge says `Basic realm="1C:Enterprise 8.3"` (onec-odata.md §5.3).
    const fromOneC = /1C|1С/i.test(realm) || fault !== undefined
    return {
      odata: fromOneC ? row('odata', root, 'ok', odata.asksLogin()) : row('odata', root, 'warn', odata.foreignLogin(realm)),
      credentials: row('credentials', who, 'fail', user === undefined || user === '' ? credentials.noUser() : credentials.rejected(who)),
      loggedIn: false,
      odataFailed: false,
    }
  }
  if (res.status === 404) {
    const off = ctx.vrd !== undefined && ctx.vrd.standardOdata?.enable !== true ? ctx.config.onec.vrdPath : undefined
    return failOdata(odata.notPublished(root, off))
  }
  if (res.status === 403) return failOdata(odata.forbidden(res.status))
  if (res.status === 406) return failOdata(odata.poolExhausted())
  if (res.status >= 500) return failOdata(odata.serverError(res.status, fault?.message))
  return failOdata(odata.notServiceDocument(res.status, res.contentType))
}

function header (value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value
}

/** The number of sets in an OData service document, or undefined when the body is not one. */
function serviceSets (body: string): number | undefined {
  try {
    const parsed = JSON.parse(body) as { value?: unknown }
    return Array.isArray(parsed.value) ? parsed.value.length : undefined
  } catch {
    return undefined
  }
}
