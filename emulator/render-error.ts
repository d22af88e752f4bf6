import type { FastifyReply } from 'fastify'
import { HttpStatusOnly, ODataFault, internalError } from './errors.js'
import { METADATA_NS, XML_DECLARATION, escapeXml } from './xml.js'

/**
 * 1C's error envelopes (onec-odata.md §5.1): `{"odata.error":{"code":"9","message":{"lang":"ru","value":"…"}}}`
 * when JSON was asked for, `<m:error>` otherwise. The code is a string. Anything unexpected becomes the
 * internal error, 500 code -1 with the exact captured text.
 */
export function sendError (reply: FastifyReply, error: unknown, json: boolean): void {
  if (error instanceof HttpStatusOnly) {
    reply.code(error.status).headers(error.headers).send('')
    return
  }
  let fault: ODataFault
  if (error instanceof ODataFault) {
    fault = error
  } else {
    reply.log.error({ err: error }, 'emulator: unexpected error, answered as 1C internal error')
    fault = internalError()
  }
  reply.code(fault.status)
  if (json) {
    reply.type('application/json;charset=utf-8')
      .send(JSON.stringify({ 'odata.error': { code: fault.code, message: { lang: 'ru', value: fault.message } } }))
    return
  }
  reply.type('application/xml;charset=utf-8').send([
    XML_DECLARATION,
    `<m:error xmlns:m="${METADATA_NS}">`,
    `<m:code>${escapeXml(fault.code)}</m:code>`,
    `<m:message>${escapeXml(fault.message)}</m:message>`,
    '</m:error>',
  ].join('\n'))
}
