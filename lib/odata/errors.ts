import { XMLParser } from 'fast-xml-parser'
import { AppError } from '../errors.js'

/**
 * Turns what 1C answered into a typed error with a hint an administrator can act on. 1C reports errors
 * in the `odata.error` JSON envelope (code as a string) or as Atom/XML `m:error` (onec-odata.md §5).
 */
export interface OneCFault {
  /** 1C's internal code (onec-odata.md §5.2), when the body carried one. */
  code: string | undefined
  message: string | undefined
}

export interface OneCResponseInfo {
  status: number
  contentType: string | undefined
  body: string
  /** The entity set the request was about, for hints. */
  set: string | undefined
  /** The request carried an `ibsession` cookie (manual session mode). */
  withSession?: boolean
}

const xml = new XMLParser({ removeNSPrefix: true, ignoreAttributes: true, parseTagValue: false })

export function parseOneCFault (body: string, contentType?: string): OneCFault | undefined {
  const text = body.trim()
  if (text === '') return undefined
  if (text.startsWith('{') || (contentType ?? '').includes('json')) {
    try {
      const parsed = JSON.parse(text) as Record<string, unknown>
      const envelope = (parsed['odata.error'] ?? parsed.error) as Record<string, unknown> | undefined
      if (envelope === undefined || envelope === null || typeof envelope !== 'object') return undefined
      const message = envelope.message as Record<string, unknown> | string | undefined
      return {
        code: envelope.code === undefined ? undefined : String(envelope.code),
        message: typeof message === 'string' ? message : typeof message?.value === 'string' ? message.value : undefined,
      }
    } catch {
      return undefined
    }
  }
  if (text.startsWith('<') && /<(\w+:)?error[\s>]/.test(text)) {
    try {
      const parsed = xml.parse(text) as Record<string, unknown>
      const error = parsed.error as Record<string, unknown> | undefined
      if (error === undefined || typeof error !== 'object') return undefined
      const message = error.message
      return {
        code: error.code === undefined ? undefined : String(error.code).trim(),
        message: typeof message === 'string' ? message.trim() : undefined,
      }
    } catch {
      return undefined
    }
  }
  return undefined
}

export function looksLikeHtml (contentType: string | undefined, body: string): boolean {
  if ((contentType ?? '').toLowerCase().includes('text/html')) return true
  return /^\s*(<!doctype html|<html[\s>])/i.test(body.slice(0, 512))
}

const COMPOSITION_HINT = 'Add it to the composition of the standard OData interface: in a БСП configuration, ' +
  'Администрирование → Синхронизация данных → Настройки стандартного интерфейса OData; otherwise run ' +
  'УстановитьСоставСтандартногоИнтерфейсаOData() from an external data processor (see docs/).'

/** Maps a non-success answer from 1C to an AppError. */
export function classifyOneCResponse (info: OneCResponseInfo): AppError {
  const fault = parseOneCFault(info.body, info.contentType)
  const onec = { status: info.status, code: fault?.code, message: fault?.message, set: info.set }
  const said = fault?.message === undefined ? '' : ` 1C said: ${fault.message}`
  const what = info.set === undefined ? 'the publication' : info.set

  if (info.status === 401 && fault?.code === '20') {
    return new AppError('ONEC_ACCESS_DENIED', `1C denied access to ${what}.${said}`, {
      hint: `The 1C user lacks rights on ${what}. Give it read (and, for the journal, write) rights in a role.`,
      details: { onec },
    })
  }
  if (info.status === 401) {
    return new AppError('ONEC_AUTH_FAILED', `1C rejected the credentials (401).${said}`, {
      hint: 'Check the 1C user and password (ONEC_USER / ONEC_PASSWORD, or Usr/Pwd in default.vrd), and that the user may use the standard OData interface.',
      details: { onec },
    })
  }
  if (info.status === 403) {
    return new AppError('ONEC_ACCESS_DENIED', `1C denied access to ${what} (403).${said}`, {
      hint: `The 1C user lacks rights on ${what}, or the web server forbids the path.`,
      details: { onec },
    })
  }
  if (info.status === 406) {
    return new AppError('ONEC_SESSION_POOL_EXHAUSTED', `1C refused the request: the publication's session pool is exhausted (406).${said}`, {
      hint: 'Raise poolSize/poolTimeout of <standardOdata> in default.vrd, or lower ONEC_MAX_CONNECTIONS below the pool size.',
      details: { onec },
    })
  }
  if (info.status === 404 && (fault?.code === '9')) {
    return new AppError('ONEC_NOT_FOUND', `1C has no such object in ${what}.${said}`, { details: { onec } })
  }
  if (info.status === 404) {
    return new AppError('ONEC_SET_NOT_PUBLISHED', `1C does not publish ${what} over OData (404${fault?.code === undefined ? '' : `, code ${fault.code}`}).${said}`, {
      hint: `${what} is not in the OData composition, or ONEC_URL does not point at the infobase. ${COMPOSITION_HINT}`,
      details: { onec },
    })
  }
  if (info.status === 400 && info.withSession === true && fault === undefined) {
    return new AppError('ONEC_SESSION_EXPIRED', '1C no longer knows our session (400 on an ibsession cookie).', { details: { onec } })
  }
  if (fault?.code === '15') {
    return new AppError('ONEC_DUPLICATE_KEY', `1C already has a record with this key in ${what}.${said}`, { details: { onec } })
  }
  // A web server or reverse proxy in front of 1C answering for itself (no OData fault in the body): busy,
  // restarting or 1C down behind it. Passes by itself, like an unreachable 1C.
  if (fault === undefined && (info.status === 408 || info.status === 429 || info.status === 502 || info.status === 503 || info.status === 504)) {
    return new AppError('ONEC_UNAVAILABLE', `The web server publishing 1C answered ${info.status} for ${what}: busy, restarting, or 1C behind it is down.`, {
      hint: 'Usually passes by itself; if it lasts, check the 1C server and the web server (IIS or Apache) publishing the base, and their logs.',
      details: { onec: { status: info.status, set: info.set } },
    })
  }
  // Any other 4xx that is not 1C's own OData fault is the web server's page, not 1C judging our request.
  if (info.status >= 400 && info.status < 500 && fault === undefined && looksLikeHtml(info.contentType, info.body)) return notOData(info)
  if (info.status >= 400 && info.status < 500) {
    return new AppError('ONEC_BAD_REQUEST', `1C rejected the request to ${what} (${info.status}${fault?.code === undefined ? '' : `, code ${fault.code}`}).${said}`, {
      hint: 'The publication does not accept a query the proxy relies on: check the profile against the base ($metadata) with `3cx-1c-bridge check`.',
      details: { onec },
    })
  }
  if (info.status >= 500 && fault !== undefined) {
    return new AppError('ONEC_INTERNAL_ERROR', `1C failed to answer for ${what} (${info.status}${fault.code === undefined ? '' : `, code ${fault.code}`}).${said}`, {
      hint: 'An error inside 1C: see the 1C technological log and the event log (Журнал регистрации) of the base.',
      details: { onec },
    })
  }
  if (looksLikeHtml(info.contentType, info.body)) return notOData(info)
  return new AppError('ONEC_UNEXPECTED_RESPONSE', `1C answered ${info.status} with an unexpected body for ${what}.`, {
    hint: 'Check that ONEC_URL points at a 1C publication and that no proxy in between rewrites answers.',
    details: { onec: { status: info.status, set: info.set } },
  })
}

function notOData (info: OneCResponseInfo): AppError {
  return new AppError('ONEC_NOT_ODATA', `The address answered with an HTML page (${info.status}), not OData.`, {
    hint: 'ONEC_URL must be the infobase address the web client uses (e.g. http://server/ut11), and the base must be published with "Публиковать стандартный интерфейс OData" (standardOdata enable="true" in default.vrd).',
    details: { onec: { status: info.status, set: info.set } },
  })
}

/** Errors from the network layer: refused, reset, unknown host, deadline. */
export function classifyTransportError (err: unknown, set: string | undefined, timeoutMs: number): AppError {
  const e = err as { name?: string, code?: string, message?: string, cause?: { code?: string } }
  const code = e.code ?? e.cause?.code
  const what = set === undefined ? '1C' : `1C (${set})`
  if (e.name === 'TimeoutError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new AppError('ONEC_TIMEOUT', `${what} did not answer within ${timeoutMs} ms.`, {
      hint: 'The base is slow or overloaded; raise ONEC_TIMEOUT_MS only if 1C is known to be slow but healthy.',
      cause: err,
    })
  }
  return new AppError('ONEC_UNREACHABLE', `Cannot reach ${what}: ${code ?? e.message ?? 'network error'}.`, {
    hint: 'Check that the web server publishing 1C is running and reachable from the proxy (ONEC_URL, firewall, DNS).',
    cause: err,
    details: { transport: code },
  })
}
