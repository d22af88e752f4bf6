import t from 'tap'
import { HttpStatusOnly } from '../../emulator/errors.js'
import { SessionManager } from '../../emulator/sessions.js'
import { DEFAULT_SETTINGS } from '../../emulator/settings.js'
import { basicAuth, call, ids, odata, startTestEmulator } from '../support/emulator-base.js'

/**
 * Authentication (onec-odata.md §5.3, §6.4), access rights (§5.2 code 20), infobase sessions (§6.2), the
 * composition (§6.3), fault injection, request counters and the admin routes.
 */

type Row = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON bodies, asserted field by field

t.test('§5.3 §6.4 a missing or wrong login is 401 with WWW-Authenticate: Basic realm="1C:Enterprise 8.3"', async (t) => {
  const emulator = await startTestEmulator(t, { users: [{ name: 'odata', password: 'odata' }, { name: 'Администратор', password: 'пароль' }] })
  for (const [what, auth] of [['no header', false], ['wrong password', basicAuth('odata', 'nope')], ['unknown user', basicAuth('who', 'odata')], ['not Basic', 'Bearer x'], ['garbage', 'Basic !!!']] as const) {
    const answer = await odata(emulator, 'Catalog_Пользователи?$format=json', { auth })
    t.equal(answer.status, 401, what)
    t.equal(answer.headers['www-authenticate'], 'Basic realm="1C:Enterprise 8.3"', what)
  }
  t.equal((await odata(emulator, '$metadata', { auth: false })).status, 401, 'the metadata needs a login too')
  t.equal((await odata(emulator, 'Catalog_Пользователи?$format=json', { auth: basicAuth('Администратор', 'пароль') })).status, 200, 'Cyrillic user names (UTF-8)')
  const v85 = await startTestEmulator(t, { realm: '1C:Enterprise 8.5' })
  t.equal((await odata(v85, '', { auth: false })).headers['www-authenticate'], 'Basic realm="1C:Enterprise 8.5"')
})

t.test('§5.2 rights are data-driven: a read-only user reads but writes fail with code 20 (status 401 per DOC §17.4.5.4)', async (t) => {
  const emulator = await startTestEmulator(t, {
    users: [
      { name: 'odata', password: 'odata' },
      { name: 'reader', password: 'r', rights: { read: '*', write: [] } },
      { name: 'journal', password: 'j', rights: { read: ['Catalog_Партнеры'], write: ['InformationRegister_ЖурналЗвонков3CX'] } },
    ],
  })
  const reader = basicAuth('reader', 'r')
  t.equal((await odata(emulator, 'Catalog_Партнеры?$format=json', { auth: reader })).status, 200)
  const write = await odata(emulator, 'Catalog_Партнеры?$format=json', { auth: reader, method: 'POST', body: { Description: 'x' } })
  t.equal(write.status, 401)
  t.equal(write.json()['odata.error'].code, '20')
  t.equal(write.headers['www-authenticate'], undefined, 'an access error is not a login challenge')
  const journal = basicAuth('journal', 'j')
  t.equal((await odata(emulator, 'Catalog_Партнеры_КонтактнаяИнформация?$format=json', { auth: journal })).status, 200, 'a tabular-section set follows its owner')
  t.equal((await odata(emulator, 'Catalog_Пользователи?$format=json', { auth: journal })).json()['odata.error'].code, '20')
  t.equal((await odata(emulator, `Catalog_КонтактныеЛицаПартнеров(guid'${ids.petrov}')/Owner?$format=json`, { auth: journal })).json()['odata.error'].code, '20')
  t.equal((await odata(emulator, 'InformationRegister_ЖурналЗвонков3CX?$format=json', { auth: journal, method: 'POST', body: { ИдентификаторЗвонка: 'x' } })).status, 201)
  const forbidden = await startTestEmulator(t, { accessDeniedStatus: 403, users: [{ name: 'odata', password: 'odata', rights: { write: [] } }] })
  t.equal((await odata(forbidden, 'Catalog_Партнеры?$format=json', { method: 'POST', body: {} })).status, 403, 'the status is a switch')
})

t.test('§6.2 autouse pool: sessions are reused; a full pool makes a request wait, then 406 after poolTimeout', async (t) => {
  const emulator = await startTestEmulator(t)
  for (let i = 0; i < 5; i += 1) await odata(emulator, 'Catalog_Пользователи?$format=json')
  t.equal(emulator.controls.stats().sessionsCreated, 1, 'sequential requests reuse one pooled session')
  await odata(emulator, 'Catalog_Пользователи?$format=json', { auth: basicAuth('odata', 'wrong') })
  t.equal(emulator.controls.stats().sessionsCreated, 1, 'a refused login takes no session')

  // 400 ms in service against a 0 ms pool timeout: whichever request comes second must be refused.
  const full = await startTestEmulator(t, { poolSize: 1, poolTimeoutMs: 0, latencyMs: 400 })
  const statuses = await Promise.all([odata(full, 'Catalog_Пользователи?$format=json'), odata(full, 'Catalog_Пользователи?$format=json')])
  t.same(statuses.map((a) => a.status).sort(), [200, 406], 'one served, one 406 Not Acceptable')
  t.equal(full.controls.stats().sessionsCreated, 1)

  const patient = await startTestEmulator(t, { poolSize: 1, poolTimeoutMs: 10_000, latencyMs: 100 })
  const waited = await Promise.all([1, 2, 3].map(async () => await odata(patient, 'Catalog_Пользователи?$format=json')))
  t.same(waited.map((a) => a.status), [200, 200, 200], 'within the pool timeout a request waits its turn')
  t.equal(patient.controls.stats().sessionsCreated, 1)

  const perUser = await startTestEmulator(t, { poolSize: 1, poolTimeoutMs: 0, latencyMs: 300, users: [{ name: 'a', password: 'a' }, { name: 'b', password: 'b' }] })
  const both = await Promise.all([odata(perUser, '', { auth: basicAuth('a', 'a') }), odata(perUser, '', { auth: basicAuth('b', 'b') })])
  t.same(both.map((a) => a.status), [200, 200], 'pools are per user')
})

t.test('§6.2 session pool mechanics: idle sessions die after sessionMaxAge, a released session goes to a waiter', async (t) => {
  let now = 1_000
  const manager = new SessionManager({ ...DEFAULT_SETTINGS, poolSize: 1, poolTimeoutMs: 60_000, sessionMaxAgeMs: 20_000 }, () => now)
  t.teardown(() => manager.close())
  const user = { name: 'odata', password: 'odata' }
  const first = await manager.acquire(user, {})
  const second = manager.acquire(user, {})
  first.release()
  ;(await second).release()
  t.equal(manager.sessionsCreated, 1, 'the waiter got the released session')
  now += 19_999
  ;(await manager.acquire(user, {})).release()
  t.equal(manager.sessionsCreated, 1, 'still alive just before sessionMaxAge')
  now += 20_000
  ;(await manager.acquire(user, {})).release()
  t.equal(manager.sessionsCreated, 2, 'an idle session older than sessionMaxAge is replaced')
  const holder = await manager.acquire(user, {})
  const waiting = manager.acquire(user, {})
  manager.close()
  await t.rejects(waiting, HttpStatusOnly, 'stopping the publication refuses waiting requests')
  holder.release()

  const manual = new SessionManager({ ...DEFAULT_SETTINGS, sessionMode: 'use', sessionMaxAgeMs: 20_000 }, () => now)
  const started = await manual.acquire(user, { ibsession: 'start' })
  started.release()
  const id = String(started.setCookie).split('=')[1] as string
  now += 19_999
  ;(await manual.acquire(user, { cookie: `ibsession=${id}` })).release()
  now += 20_000
  await t.rejects(manual.acquire(user, { cookie: `other=1; ibsession=${id}` }), { message: 'unknown or expired ibsession' }, 'an id idle longer than sessionMaxAge is expired: 400')
  const other = await manual.acquire({ name: 'x', password: 'y' }, { ibsession: 'start' })
  await t.rejects(manual.acquire(user, { cookie: String(other.setCookie) }), { message: 'unknown or expired ibsession' }, 'another user\'s session is unknown')
})

t.test('§6.2 manual sessions: IBSession: start sets the ibsession cookie, unknown ids are 400, finish ends the session', async (t) => {
  const emulator = await startTestEmulator(t, { sessionMode: 'use' })
  const started = await odata(emulator, 'Catalog_Пользователи?$format=json', { headers: { IBSession: 'start' } })
  t.equal(started.status, 200)
  const cookie = /^ibsession=([0-9a-f]+)$/.exec(String(started.headers['set-cookie']))
  t.ok(cookie, 'Set-Cookie: ibsession=<id>')
  const id = cookie?.[1] as string
  for (let i = 0; i < 3; i += 1) t.equal((await odata(emulator, '', { headers: { cookie: `ibsession=${id}` } })).status, 200)
  t.equal(emulator.controls.stats().sessionsCreated, 1, 'the cookie reuses the session')
  t.equal((await odata(emulator, '', { headers: { cookie: 'ibsession=feedface' } })).status, 400, 'an unknown id is 400 Bad Request')
  t.equal((await odata(emulator, '', { headers: { cookie: `ibsession=${id}` }, auth: basicAuth('odata', 'odata') })).status, 200)
  t.equal((await odata(emulator, '', { headers: { cookie: `ibsession=${id}`, IBSession: 'finish' } })).status, 200)
  t.equal((await odata(emulator, '', { headers: { cookie: `ibsession=${id}` } })).status, 400, 'a finished session is unknown')
  await odata(emulator, '')
  await odata(emulator, '')
  t.equal(emulator.controls.stats().sessionsCreated, 3, 'without header or cookie every request is its own session')
  const limited = await startTestEmulator(t, { sessionMode: 'use', poolSize: 1 })
  t.equal((await odata(limited, '', { headers: { IBSession: 'start' } })).status, 200)
  t.equal((await odata(limited, '', { headers: { IBSession: 'start' } })).status, 406, 'IBSession: start that cannot create a session')
  const plain = await startTestEmulator(t, { sessionMode: 'dontuse' })
  for (let i = 0; i < 3; i += 1) await odata(plain, '')
  t.equal(plain.controls.stats().sessionsCreated, 3, 'dontuse: a session per request')
})

t.test('§6.3 the composition: sets outside it are 404 (code 6 by default, 8 as a switch) and can change at run time', async (t) => {
  const emulator = await startTestEmulator(t)
  t.equal((await odata(emulator, 'Catalog_Партнеры?$format=json')).status, 200)
  emulator.controls.setComposition(['Catalog_Контрагенты'])
  for (const path of ['Catalog_Партнеры', 'Catalog_Партнеры_КонтактнаяИнформация', `Catalog_Партнеры(guid'${ids.romashka}')`, 'Catalog_Нет']) {
    const answer = await odata(emulator, `${path}?$format=json`)
    t.equal(answer.status, 404, path)
    t.equal(answer.json()['odata.error'].code, '6', path)
  }
  t.same((await odata(emulator, '?$format=json')).json().value.map((s: Row) => s.name),
    ['Catalog_Контрагенты', 'Catalog_Контрагенты_КонтактнаяИнформация', 'Catalog_Контрагенты_ДополнительныеРеквизиты'])
  t.throws(() => emulator.controls.setComposition(['Catalog_Партнеры_КонтактнаяИнформация']), /tabular section/)
  emulator.controls.setComposition(undefined)
  t.equal((await odata(emulator, 'Catalog_Партнеры?$format=json')).status, 200)
  const eight = await startTestEmulator(t, { unknownSetCode: '8' })
  t.equal((await odata(eight, 'Catalog_Нет?$format=json')).json()['odata.error'].code, '8')
  const deeper = await odata(emulator, 'Catalog_Партнеры/Лишнее?$format=json')
  t.same([deeper.status, deeper.json()['odata.error'].code], [404, '6'], 'an unknown URL is code 6')
  const metadataPost = await odata(emulator, '$metadata?$format=json', { method: 'POST', body: {} })
  t.same([metadataPost.status, metadataPost.json()['odata.error'].code], [405, '19'])
})

t.test('faults: failNext(500|406|401|html|licence|503|reset|hang) hits the next requests in order, then service is normal', async (t) => {
  const emulator = await startTestEmulator(t)
  const path = 'Catalog_Пользователи?$format=json'
  emulator.controls.failNext(1, '500')
  emulator.controls.failNext(1, 406)
  emulator.controls.failNext(1, '401')
  emulator.controls.failNext(2, 'html')
  const internal = await odata(emulator, path)
  t.equal(internal.status, 500)
  t.same(internal.json(), { 'odata.error': { code: '-1', message: { lang: 'ru', value: 'Произошла внутренняя ошибка OData сервиса. Дополнительные сведения можно найти в технологическом журнале.' } } })
  t.equal((await odata(emulator, path)).status, 406)
  const challenge = await odata(emulator, path)
  t.equal(challenge.status, 401)
  t.equal(challenge.headers['www-authenticate'], 'Basic realm="1C:Enterprise 8.3"')
  for (let i = 0; i < 2; i += 1) {
    const html = await odata(emulator, path)
    t.equal(html.status, 200, 'a broken publication answers 200…')
    t.equal(html.headers['content-type'], 'text/html;charset=utf-8', '…with an HTML page')
  }
  t.equal((await odata(emulator, path)).status, 200)
  emulator.controls.failNext(1, 'licence')
  emulator.controls.failNext(1, 503)
  const licence = await odata(emulator, path)
  t.same([licence.status, licence.json()['odata.error'].code], [500, '-1'], 'no free licence: one of the answers §5.3 offers')
  t.match(licence.json()['odata.error'].message.value, /лицензия/)
  const unavailable = await odata(emulator, path)
  t.same([unavailable.status, unavailable.headers['content-type']], [503, 'text/html; charset=iso-8859-1'], 'the web server\'s own 503 page')
  t.match(unavailable.text, /Service Unavailable/)
  emulator.controls.failNext(1, 'reset')
  await t.rejects(odata(emulator, path), 'reset: the socket is destroyed')
  t.equal((await odata(emulator, path)).status, 200)
  emulator.controls.failNext(1, 'hang')
  await t.rejects(call(`${emulator.odataUrl}/Catalog_Пользователи?$format=json`, { signal: AbortSignal.timeout(300) }), 'hang: no answer at all')
  t.equal((await odata(emulator, path)).status, 200)
  t.throws(() => emulator.controls.failNext(1, 'boom' as never), /kind/)

  // A hung request holds its connection until the emulator stops.
  const before = emulator.controls.stats().total
  emulator.controls.failNext(1, 'hang')
  const hung = call(`${emulator.odataUrl}/Catalog_Пользователи?$format=json`)
  // There is no event for "the server has read the request"; the request counter is the observable trace.
  for (let i = 0; i < 10_000 && emulator.controls.stats().total === before; i += 1) await new Promise<void>((resolve) => setImmediate(resolve))
  t.equal(emulator.controls.stats().total, before + 1, 'the hung request reached the emulator')
  await emulator.stop()
  await t.rejects(hung, 'stopping drops the hung connection')
})

t.test('faults: a seeded error rate repeats, latency delays, clearFaults restores normal service', async (t) => {
  const emulator = await startTestEmulator(t)
  const path = 'Catalog_Пользователи?$format=json'
  const run = async (): Promise<number[]> => {
    const statuses: number[] = []
    for (let i = 0; i < 20; i += 1) statuses.push((await odata(emulator, path)).status)
    return statuses
  }
  emulator.controls.setErrorRate(0.5, 42)
  const first = await run()
  emulator.controls.setErrorRate(0.5, 42)
  t.same(await run(), first, 'the same seed gives the same sequence')
  t.ok(first.includes(500) && first.includes(200), `about half fail: ${first.join(',')}`)
  emulator.controls.setErrorRate(1)
  t.same(await run(), Array(20).fill(500))
  emulator.controls.clearFaults()
  t.same(await run(), Array(20).fill(200))
  t.throws(() => emulator.controls.setErrorRate(2), /between 0 and 1/)
  emulator.controls.setLatency(2000)
  await t.rejects(call(`${emulator.odataUrl}/${path}`, { signal: AbortSignal.timeout(200) }), '2 s of latency against a 200 ms deadline')
  emulator.controls.clearFaults()
  t.equal((await odata(emulator, path)).status, 200)
  const configured = await startTestEmulator(t, { errorRate: 1 })
  t.equal((await odata(configured, path)).status, 500, 'errorRate as an option')
})

t.test('stop()/start() and refuseConnections close and reopen the same port; data and counters survive', async (t) => {
  const emulator = await startTestEmulator(t)
  const created = (await odata(emulator, 'Catalog_Партнеры?$format=json', { method: 'POST', body: { Description: 'Переживёт перезапуск' } })).json()
  await emulator.stop()
  await t.rejects(odata(emulator, 'Catalog_Партнеры?$format=json'), { code: 'ECONNREFUSED' })
  await emulator.start()
  t.equal((await odata(emulator, `Catalog_Партнеры(guid'${created.Ref_Key as string}')?$format=json`)).json().Description, 'Переживёт перезапуск')
  t.equal(emulator.controls.stats().bySet.Catalog_Партнеры?.POST, 1, 'counters kept')
  await emulator.controls.refuseConnections(true)
  await t.rejects(odata(emulator, ''), { code: 'ECONNREFUSED' })
  await emulator.controls.refuseConnections(false)
  t.equal((await odata(emulator, '')).status, 200)
  await emulator.close()
  await t.rejects(emulator.start(), /closed/)
})

t.test('counters: every OData request counts per set, method and status, failed ones included; resetStats clears them', async (t) => {
  const emulator = await startTestEmulator(t)
  await odata(emulator, 'Catalog_Партнеры?$format=json')
  await odata(emulator, `Catalog_Партнеры(guid'${ids.missing}')?$format=json`)
  await odata(emulator, 'Catalog_Партнеры?$format=json', { auth: false })
  await odata(emulator, 'InformationRegister_ЖурналЗвонков3CX?$format=json', { method: 'POST', body: { ИдентификаторЗвонка: 'c-9' } })
  emulator.controls.failNext(1, '500')
  await odata(emulator, 'InformationRegister_ЖурналЗвонков3CX?$format=json', { method: 'POST', body: { ИдентификаторЗвонка: 'c-10' } })
  await odata(emulator, '$metadata')
  await odata(emulator, '')
  await call(`${emulator.baseUrl}/`, { auth: false })
  const stats = emulator.controls.stats()
  t.equal(stats.total, 7, 'the web-client page is not an OData request')
  t.same(stats.bySet, {
    Catalog_Партнеры: { GET: 3 },
    InformationRegister_ЖурналЗвонков3CX: { POST: 2 },
    $metadata: { GET: 1 },
    $service: { GET: 1 },
  })
  t.same(stats.byStatus.Catalog_Партнеры, { 200: 1, 401: 1, 404: 1 })
  t.same(stats.byStatus.InformationRegister_ЖурналЗвонков3CX, { 201: 1, 500: 1 })
  t.equal(stats.sessionsCreated, 1)
  emulator.controls.resetStats()
  t.same(emulator.controls.stats(), { total: 0, bySet: {}, byStatus: {}, sessionsCreated: 0 })
  t.same(emulator.controls.entities('InformationRegister_ЖурналЗвонков3CX').map((r) => r.ИдентификаторЗвонка), ['call-0001', 'c-9'])
  const copy = emulator.controls.entities('Catalog_Пользователи')
  ;(copy[0] as Row).Description = 'changed'
  t.not(emulator.controls.entities('Catalog_Пользователи')[0]?.Description, 'changed', 'entities() returns a copy')
  t.throws(() => emulator.controls.entities('Catalog_Нет'), /not an entity set/)
})

t.test('admin routes /__emulator/* expose the controls over HTTP with the same Basic users; they are not counted', async (t) => {
  const emulator = await startTestEmulator(t)
  const admin = async (path: string, body?: unknown, auth?: string | false): Promise<{ status: number, json: () => Row }> =>
    await call(`${emulator.url}/__emulator/${path}`, { method: body === undefined ? 'GET' : 'POST', body, ...(auth === undefined ? {} : { auth }) })
  t.equal((await admin('stats', undefined, false)).status, 401)
  t.equal((await admin('fail-next', { n: 1, kind: '500' })).status, 200)
  t.equal((await odata(emulator, '')).status, 500)
  t.equal((await admin('fail-next', { n: 1, kind: 'boom' })).status, 400, 'the body is validated')
  t.same((await admin('composition', { sets: ['Catalog_Пользователи'] })).json(), { sets: ['Catalog_Пользователи'] })
  t.equal((await odata(emulator, 'Catalog_Партнеры')).status, 404)
  t.equal((await admin('composition', { sets: ['Нет'] })).status, 400)
  t.same((await admin('composition', { sets: null })).json().sets.length, 7)
  t.equal((await admin('latency', { ms: 0 })).status, 200)
  t.equal((await admin('error-rate', { rate: 1, seed: 3 })).status, 200)
  t.equal((await odata(emulator, '')).status, 500)
  t.equal((await admin('clear-faults', {})).status, 200)
  t.equal((await odata(emulator, '')).status, 200)
  t.same((await admin('entities/InformationRegister_ЖурналЗвонков3CX'.replace('InformationRegister_ЖурналЗвонков3CX', encodeURIComponent('InformationRegister_ЖурналЗвонков3CX')))).json().map((r: Row) => r.ИдентификаторЗвонка), ['call-0001'])
  const stats = (await admin('stats')).json()
  t.equal(stats.total, 4, 'admin calls are not OData requests')
  t.equal((await admin('stats/reset', {})).status, 200)
  t.equal((await admin('stats')).json().total, 0)
  t.same((await admin('refuse-connections', { forMs: 600000 })).json(), { ok: true, reopensInMs: 600000 })
  await t.rejects(odata(emulator, ''), { code: 'ECONNREFUSED' })
  await emulator.start()
  t.equal((await odata(emulator, '')).status, 200)
})
