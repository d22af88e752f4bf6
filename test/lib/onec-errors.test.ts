/**
 * What an answer from 1C, or from the web server publishing it, means for the proxy. 1C's own errors carry
 * an OData fault (onec-odata.md §5); IIS, Apache or nginx in front of it answer with their own pages, which
 * say nothing about the request: such an answer must never make a call "rejected for good".
 */
import t from 'tap'
import { classifyOneCResponse } from '../../lib/odata/errors.js'

const SET = 'InformationRegister_ЖурналЗвонков3CX'
const html = (title: string): string => `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN">\r\n<HTML><HEAD><TITLE>${title}</TITLE></HEAD><BODY><h2>${title}</h2></BODY></HTML>`
const fault = (code: string, message: string): string => JSON.stringify({ 'odata.error': { code, message: { lang: 'ru', value: message } } })
const classify = (status: number, contentType: string, body: string): string => classifyOneCResponse({ status, contentType, body, set: SET }).code

t.test('the web server answering for itself: busy or 1C down behind it, which passes', async t => {
  t.equal(classify(408, 'text/html', html('Request Timeout')), 'ONEC_UNAVAILABLE')
  t.equal(classify(429, 'text/html', '<html><head><title>429 Too Many Requests</title></head></html>'), 'ONEC_UNAVAILABLE')
  t.equal(classify(502, 'text/html', '<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>'), 'ONEC_UNAVAILABLE')
  t.equal(classify(503, 'text/html; charset=us-ascii', html('Service Unavailable')), 'ONEC_UNAVAILABLE')
  t.equal(classify(504, 'text/html', '<html><head><title>504 Gateway Time-out</title></head></html>'), 'ONEC_UNAVAILABLE')
  t.equal(classify(503, 'text/plain', ''), 'ONEC_UNAVAILABLE', 'an empty 503 too')
  const error = classifyOneCResponse({ status: 503, contentType: 'text/html', body: html('Service Unavailable'), set: SET })
  t.equal(error.status, 503)
  t.match(error.message, /web server publishing 1C answered 503/)
})

t.test('any other 4xx page of the web server is not 1C judging the request: the address or the server is wrong', async t => {
  t.equal(classify(400, 'text/html; charset=us-ascii', html('Bad Request - Invalid URL')), 'ONEC_NOT_ODATA')
  t.equal(classify(413, 'text/html', '<html><head><title>413 Request Entity Too Large</title></head></html>'), 'ONEC_NOT_ODATA')
  t.equal(classify(200, 'text/html', '<html><body>IIS Windows Server</body></html>'), 'ONEC_NOT_ODATA')
})

t.test('1C\'s own faults keep their meaning', async t => {
  t.equal(classify(400, 'application/json', fault('4', 'Неверное значение свойства')), 'ONEC_BAD_REQUEST')
  t.equal(classify(400, 'application/json', fault('15', 'Сущность с таким ключом уже существует')), 'ONEC_DUPLICATE_KEY')
  t.equal(classify(500, 'application/json', fault('-1', 'Произошла внутренняя ошибка OData сервиса.')), 'ONEC_INTERNAL_ERROR')
  t.equal(classify(503, 'application/json', fault('-1', 'Сервер 1С:Предприятия не обнаружен')), 'ONEC_INTERNAL_ERROR', 'a fault from 1C is 1C\'s, whatever the status')
  t.equal(classify(404, 'application/json', fault('6', 'Неверный URL')), 'ONEC_SET_NOT_PUBLISHED')
  t.equal(classify(401, 'application/json', fault('20', 'Нет прав')), 'ONEC_ACCESS_DENIED')
  t.equal(classify(406, 'text/plain', ''), 'ONEC_SESSION_POOL_EXHAUSTED')
})
