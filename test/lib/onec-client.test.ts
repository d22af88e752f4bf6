import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import t, { type Test } from 'tap'
import { MockAgent, Pool } from 'undici'
import { OneCClient, type OneCRequestEvent } from '../../lib/onec/client.js'
import { AppError } from '../../lib/errors.js'
import { and, eq, str, endswith } from '../../lib/odata/filter.js'

const ORIGIN = 'http://1c.test'
const ROOT = `/ut11/odata/standard.odata`
const enc = (s: string): string => encodeURIComponent(s)

function mock (t: Test): { agent: MockAgent, pool: ReturnType<MockAgent['get']> } {
  const agent = new MockAgent()
  agent.disableNetConnect()
  t.teardown(async () => { await agent.close() })
  return { agent, pool: agent.get(ORIGIN) }
}

function client (agent: MockAgent, extra: Partial<ConstructorParameters<typeof OneCClient>[0]> = {}): OneCClient {
  return new OneCClient({ baseUrl: `${ORIGIN}/ut11/`, user: 'Интеграция', password: 'p:w', dispatcher: agent, timeoutMs: 2000, ...extra })
}

async function rejectsWith (t: Test, p: Promise<unknown>, code: string): Promise<AppError> {
  try {
    await p
  } catch (err) {
    t.type(err, AppError)
    t.equal((err as AppError).code, code)
    return err as AppError
  }
  t.fail(`expected ${code}`)
  throw new Error('unreachable')
}

t.test('list: encoded path and options, Basic auth in UTF-8, JSON without metadata', async t => {
  const { agent, pool } = mock(t)
  const filter = and(eq('Тип', str('Телефон')), endswith('НомерТелефона', str('4951234567')))
  let seen: { path: string, headers: Record<string, string> } | undefined
  pool.intercept({ path: p => p.startsWith(`${ROOT}/${enc('Catalog_Партнеры_КонтактнаяИнформация')}?`), method: 'GET' })
    .reply(200, (opts) => {
      seen = { path: String(opts.path), headers: opts.headers as Record<string, string> }
      return { value: [{ Ref_Key: 'a', LineNumber: '1' }], 'odata.count': '7' }
    }, { headers: { 'content-type': 'application/json;charset=utf-8' } })
  const res = await client(agent).list({ set: 'Catalog_Партнеры_КонтактнаяИнформация', filter, select: ['Ref_Key', 'LineNumber'], top: 20 })
  t.same(res.value, [{ Ref_Key: 'a', LineNumber: '1' }])
  t.equal(res.count, 7)
  const query = new URLSearchParams(seen!.path.split('?')[1])
  t.equal(query.get('$filter'), "Тип eq 'Телефон' and endswith(НомерТелефона,'4951234567')")
  t.equal(query.get('$format'), 'application/json;odata=nometadata')
  t.equal(seen!.headers.authorization, `Basic ${Buffer.from('Интеграция:p:w', 'utf8').toString('base64')}`)
  t.equal(seen!.headers.accept, 'application/json')
})

t.test('get: an object, or undefined for 404 code 9; 404 without code 9 means "not published"', async t => {
  const { agent, pool } = mock(t)
  const guid = '51012ccc-397d-11de-b595-00055d80a2b9'
  pool.intercept({ path: p => p.includes(`(guid'${guid}')`), method: 'GET' }).reply(200, { Ref_Key: guid, Description: 'Ромашка' })
  pool.intercept({ path: p => p.includes('(guid'), method: 'GET' })
    .reply(404, { 'odata.error': { code: '9', message: { lang: 'ru', value: 'Экземпляр сущности не найден' } } }, { headers: { 'content-type': 'application/json' } })
  pool.intercept({ path: p => p.includes(enc('Catalog_Нет')), method: 'GET' })
    .reply(404, { 'odata.error': { code: '6', message: { lang: 'ru', value: 'Неверный URL' } } }, { headers: { 'content-type': 'application/json' } })
  const c = client(agent)
  t.same(await c.get('Catalog_Партнеры', guid), { Ref_Key: guid, Description: 'Ромашка' })
  t.equal(await c.get('Catalog_Партнеры', '9d5c422d-8c4c-11db-a9b0-00055d49b45e'), undefined)
  const err = await rejectsWith(t, c.get('Catalog_Нет', guid), 'ONEC_SET_NOT_PUBLISHED')
  t.match(err.hint, /composition of the standard OData interface/)
})

t.test('count: Set/$count as a plain number; anything else is "not known", not an error', async t => {
  const { agent, pool } = mock(t)
  const path = `${ROOT}/${enc('Catalog_Партнеры')}/$count`
  pool.intercept({ path, method: 'GET' }).reply(200, '100004', { headers: { 'content-type': 'text/plain;charset=utf-8' } })
  pool.intercept({ path, method: 'GET' }).reply(200, '{"odata.count":"1"}', { headers: { 'content-type': 'application/json' } })
  pool.intercept({ path, method: 'GET' }).reply(200, '', { headers: { 'content-type': 'text/plain' } })
  pool.intercept({ path, method: 'GET' }).reply(400, '{"odata.error":{"code":"14","message":{"lang":"ru","value":"Неправильный запрос"}}}', { headers: { 'content-type': 'application/json' } })
  const c = client(agent)
  t.equal(await c.count('Catalog_Партнеры'), 100004)
  t.equal(await c.count('Catalog_Партнеры'), undefined, 'JSON instead of a number')
  t.equal(await c.count('Catalog_Партнеры'), undefined, 'an empty body')
  t.equal(await c.count('Catalog_Партнеры'), undefined, '1C does not support $count here')
})

t.test('1C errors become typed errors with hints (onec-odata.md §5)', async t => {
  const { agent, pool } = mock(t)
  const c = client(agent)
  const list = (): Promise<unknown> => c.list({ set: 'Catalog_Партнеры', top: 1 })
  pool.intercept({ path: () => true }).reply(401, 'Unauthorized', { headers: { 'www-authenticate': 'Basic realm="1C:Enterprise 8.3"' } })
  t.match((await rejectsWith(t, list(), 'ONEC_AUTH_FAILED')).hint, /ONEC_USER/)
  pool.intercept({ path: () => true }).reply(406, '')
  t.match((await rejectsWith(t, list(), 'ONEC_SESSION_POOL_EXHAUSTED')).hint, /poolSize/)
  pool.intercept({ path: () => true }).reply(500, '{"odata.error":{"code":"-1","message":{"lang":"ru","value":"Произошла внутренняя ошибка OData сервиса."}}}', { headers: { 'content-type': 'application/json;charset=utf-8' } })
  t.match((await rejectsWith(t, list(), 'ONEC_INTERNAL_ERROR')).message, /Произошла внутренняя ошибка/)
  pool.intercept({ path: () => true }).reply(400, '<?xml version="1.0"?><m:error xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata"><m:code>21</m:code><m:message>Вызов нереализованной функции</m:message></m:error>', { headers: { 'content-type': 'application/xml' } })
  const bad = await rejectsWith(t, list(), 'ONEC_BAD_REQUEST')
  t.match(bad.message, /code 21.*нереализованной/)
  pool.intercept({ path: () => true }).reply(200, '<!DOCTYPE html><html><body>IIS Welcome</body></html>', { headers: { 'content-type': 'text/html' } })
  t.match((await rejectsWith(t, list(), 'ONEC_NOT_ODATA')).hint, /ONEC_URL/)
  pool.intercept({ path: () => true }).reply(401, { 'odata.error': { code: '20', message: { lang: 'ru', value: 'Нарушение прав доступа' } } }, { headers: { 'content-type': 'application/json' } })
  await rejectsWith(t, list(), 'ONEC_ACCESS_DENIED')
  pool.intercept({ path: () => true, method: 'POST' }).reply(400, { 'odata.error': { code: '15', message: { lang: 'ru', value: 'Сущность с таким ключом уже существует' } } }, { headers: { 'content-type': 'application/json' } })
  await rejectsWith(t, c.create('InformationRegister_ЖурналЗвонков3CX', { ИдентификаторЗвонка: 'k' }), 'ONEC_DUPLICATE_KEY')
  pool.intercept({ path: () => true }).replyWithError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))
  await rejectsWith(t, list(), 'ONEC_UNREACHABLE')
})

t.test('a GET on a keep-alive socket the server closed is repeated once', async t => {
  const { agent, pool } = mock(t)
  pool.intercept({ path: () => true }).replyWithError(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }))
  pool.intercept({ path: () => true }).reply(200, { value: [] })
  t.same((await client(agent).list({ set: 'Catalog_Партнеры', top: 1 })).value, [])
  pool.intercept({ path: () => true, method: 'POST' }).replyWithError(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }))
  await rejectsWith(t, client(agent).create('Catalog_Партнеры', {}), 'ONEC_UNREACHABLE')
})

t.test('manual sessions: IBSession start, the cookie reused, a new session when 1C forgets it (onec-odata.md §6.2)', async t => {
  const { agent, pool } = mock(t)
  const seen: Array<Record<string, string>> = []
  const ok = () => (opts: { headers?: unknown }) => {
    seen.push(opts.headers as Record<string, string>)
    return { value: [] }
  }
  pool.intercept({ path: () => true }).reply(200, ok(), { headers: { 'set-cookie': 'ibsession=S1; Path=/ut11' } })
  pool.intercept({ path: () => true }).reply(200, ok())
  pool.intercept({ path: () => true }).reply((opts) => { seen.push(opts.headers as Record<string, string>); return { statusCode: 400, data: 'Bad Request' } })
  pool.intercept({ path: () => true }).reply(200, ok(), { headers: { 'set-cookie': 'ibsession=S2; Path=/ut11' } })
  pool.intercept({ path: () => true }).reply(200, ok())
  const events: OneCRequestEvent[] = []
  const c = client(agent, { sessionMode: 'manual', observer: e => events.push(e) })
  const q = { set: 'Catalog_Партнеры', top: 1 }
  await c.list(q)
  await c.list(q)
  await c.list(q)
  await c.list(q)
  t.equal(seen[0]?.IBSession ?? seen[0]?.ibsession, 'start')
  t.equal(seen[1]?.cookie, 'ibsession=S1')
  t.equal(seen[2]?.cookie, 'ibsession=S1', 'the forgotten session')
  t.equal(seen[3]?.IBSession ?? seen[3]?.ibsession, 'start', 'then a new one')
  t.equal(seen[4]?.cookie, 'ibsession=S2')
  t.equal(events.filter(e => e.sessionStarted).length, 2)
  pool.intercept({ path: () => true }).reply(200, (opts) => { seen.push(opts.headers as Record<string, string>); return '' })
  await c.close()
  t.equal(seen[5]?.IBSession ?? seen[5]?.ibsession, 'finish')
  t.equal(seen[5]?.cookie, 'ibsession=S2')
})

t.test('auto sessions send no session headers; the observer sees every request', async t => {
  const { agent, pool } = mock(t)
  let headers: Record<string, string> = {}
  pool.intercept({ path: () => true }).reply(200, (opts) => { headers = opts.headers as Record<string, string>; return { value: [{ name: 'Catalog_Партнеры', url: 'Catalog_Партнеры' }] } })
  const events: OneCRequestEvent[] = []
  const sets = await client(agent, { observer: e => events.push(e) }).entitySets({ requestId: 'r1' })
  t.same(sets, ['Catalog_Партнеры'])
  t.notOk('ibsession' in headers || 'IBSession' in headers)
  t.equal(events.length, 1)
  t.match(events[0], { method: 'GET', ok: true, status: 200, requestId: 'r1' })
})

// Real sockets for what a mock cannot show: precise deadlines and refused connections.
async function listen (t: Test, handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server: Server = createServer(handler)
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>(resolve => { server.closeAllConnections(); server.close(() => resolve()) }))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

t.test('a hanging 1C is abandoned at the deadline and the pool stays usable', async t => {
  let calls = 0
  const url = await listen(t, (_req, res) => {
    calls++
    if (calls === 1) return // never answers
    res.setHeader('content-type', 'application/json')
    res.end('{"value":[]}')
  })
  const pool = new Pool(url, { connections: 2 })
  t.teardown(() => pool.close())
  const c = new OneCClient({ baseUrl: `${url}/ut11`, user: 'u', password: 'p', dispatcher: pool, timeoutMs: 5000 })
  await rejectsWith(t, c.list({ set: 'Catalog_Партнеры', top: 1 }, { timeoutMs: 150 }), 'ONEC_TIMEOUT')
  t.same((await c.list({ set: 'Catalog_Партнеры', top: 1 })).value, [])
})

t.test('a closed port is ONEC_UNREACHABLE', async t => {
  const probe = createServer()
  await new Promise<void>(resolve => probe.listen(0, '127.0.0.1', resolve))
  const closed = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`
  await new Promise<void>(resolve => probe.close(() => resolve()))
  const pool = new Pool(closed)
  t.teardown(() => pool.close())
  const c = new OneCClient({ baseUrl: `${closed}/ut11`, user: 'u', password: 'p', dispatcher: pool, timeoutMs: 2000 })
  await rejectsWith(t, c.list({ set: 'Catalog_Партнеры', top: 1 }), 'ONEC_UNREACHABLE')
})

t.test('$metadata is asked for as XML (1C does not serve it as JSON, onec-odata.md §2.1); data as JSON', async t => {
  const { agent, pool } = mock(t)
  const c = client(agent)
  const edmx = '<?xml version="1.0" encoding="UTF-8"?><edmx:Edmx xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx" Version="1.0"></edmx:Edmx>'
  pool.intercept({ path: `${ROOT}/$metadata`, headers: { accept: 'application/xml' } }).reply(200, edmx, { headers: { 'content-type': 'application/xml;charset=utf-8' } })
  t.equal(await c.metadataXml(), edmx)
  pool.intercept({ path: (p: string) => p.startsWith(`${ROOT}/${enc('Catalog_Партнеры')}`), headers: { accept: 'application/json' } }).reply(200, { value: [] }, { headers: { 'content-type': 'application/json' } })
  t.same((await c.list({ set: 'Catalog_Партнеры', top: 1 })).value, [])
})
