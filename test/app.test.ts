import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import t, { type Test } from 'tap'
import { buildApp } from '../app.js'
import { basic, TCX, testConfig } from './support/config.js'
import { captureLogs } from './support/log-sink.js'
import { tempDir } from './support/outbox-temp.js'

/** A stand-in publication whose answer the test decides: enough for /ready; the emulator covers the rest. */
async function fakeOneC (t: Test): Promise<{ url: string, answer: (status: number, body: string, type?: string) => void }> {
  let reply = { status: 200, body: '{"value":[]}', type: 'application/json' }
  const server = createServer((_req, res) => {
    res.writeHead(reply.status, { 'content-type': reply.type })
    res.end(reply.body)
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>(resolve => { server.closeAllConnections(); server.close(() => resolve()) }))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/ut11`,
    answer: (status, body, type = 'application/json') => { reply = { status, body, type } },
  }
}

t.test('/health answers while the process lives; /ready follows 1C', async t => {
  const onec = await fakeOneC(t)
  const app = await buildApp(testConfig(onec.url, { DATA_DIR: await tempDir(t) }))
  t.teardown(() => app.close())
  await app.ready()
  t.same((await app.inject('/health')).json(), { status: 'ok' })

  await app.onec.entitySets()
  const ready = await app.inject('/ready')
  t.equal(ready.statusCode, 200)
  t.equal(ready.json().status, 'ready')

  onec.answer(401, 'Unauthorized', 'text/plain')
  await t.rejects(app.onec.entitySets())
  const down = await app.inject('/ready')
  t.equal(down.statusCode, 503)
  t.match(down.json().reasons[0], /^onec: 1C rejected the credentials.*ONEC_USER/)
  t.equal((await app.inject('/health')).statusCode, 200, 'liveness does not depend on 1C')

  onec.answer(200, '<html><body>Default web site</body></html>', 'text/html')
  await t.rejects(app.onec.entitySets())
  t.match((await app.inject('/ready')).json().reasons[0], /HTML page.*not OData/)

  onec.answer(200, '{"value":[]}')
  await app.onec.entitySets()
  t.equal((await app.inject('/ready')).statusCode, 200, 'and back')
})

t.test('errors are JSON with a machine code and a message', async t => {
  const onec = await fakeOneC(t)
  const app = await buildApp(testConfig(onec.url, { DATA_DIR: await tempDir(t) }))
  t.teardown(() => app.close())
  const res = await app.inject('/no/such/route?x=1')
  t.equal(res.statusCode, 404)
  t.same(res.json(), { error: { code: 'NOT_FOUND', message: 'No route GET /no/such/route.' } })
  t.match(res.headers['content-type'], /application\/json/)
})

t.test("with no logger, requests get Fastify's placeholder logger itself, not a child per request", async t => {
  const onec = await fakeOneC(t)
  const app = await buildApp(testConfig(onec.url, { DATA_DIR: await tempDir(t) }))
  t.teardown(() => app.close())
  app.get('/__log-probe', async (request) => ({ same: request.log === app.log }))
  await app.ready()
  t.same((await app.inject('/__log-probe')).json(), { same: true })
})

t.test('logs: JSON, a request id on request lines, no secret ever (1C password, 3CX password, Authorization)', async t => {
  const onec = await fakeOneC(t)
  const sink = captureLogs('trace')
  const config = testConfig(onec.url, { ONEC_PASSWORD: 'onec-pass-XYZ', TCX_PASSWORD: 'tcx-pass-XYZ-long', DATA_DIR: await tempDir(t) })
  const app = await buildApp(config, { logger: sink.logger })
  t.teardown(() => app.close())
  app.get('/__log-probe', async (request) => {
    // What a careless log call could contain: the request's headers and the configuration.
    request.log.info({ req: { headers: request.headers }, headers: request.headers, config }, 'probe')
    return { ok: true }
  })
  await app.ready()
  await app.inject({ url: '/__log-probe', headers: { authorization: basic({ user: TCX.user, password: 'tcx-pass-XYZ-long' }), 'x-request-id': 'req-42' } })
  onec.answer(401, 'no', 'text/plain')
  await t.rejects(app.onec.entitySets({ requestId: 'req-43' }))
  const text = sink.text()
  t.notMatch(text, /onec-pass-XYZ/)
  t.notMatch(text, /tcx-pass-XYZ-long/)
  t.notMatch(text, new RegExp(Buffer.from(`${TCX.user}:tcx-pass-XYZ-long`).toString('base64')))
  const lines = sink.lines()
  const probe = lines.find(l => l.msg === 'probe')
  t.equal(probe?.reqId, 'req-42', 'the request id is on the line')
  t.match(probe, { headers: { authorization: '[redacted]' } })
  t.notOk(JSON.stringify(probe).includes('Basic '), 'the request serializer leaves headers out altogether')
  t.notOk((probe?.req as Record<string, unknown> | undefined)?.headers, 'no headers under req')
  t.equal((probe?.config as { onec: { password: string } }).onec.password, '[redacted]')
  // (The start-up probe may also have met the 401; the line we caused carries our request id.)
  const onecLine = lines.find(l => l.msg === '1C request failed' && l.reqId === 'req-43')
  t.match(onecLine, { reqId: 'req-43', onec: { set: '(service)', status: 401, error: 'ONEC_AUTH_FAILED' } })
  for (const line of lines) t.equal(typeof line.time, 'string', 'every line is JSON with a time')
})
