import type { AddressInfo } from 'node:net'
import t from 'tap'
import { basic, METRICS, TCX } from './support/config.js'
import { captureLogs } from './support/log-sink.js'
import { startStack, waitUntil, type Stack } from './support/stack.js'

/** Prometheus text → { 'name{labels}': value } for the lines a test asks about. */
async function scrape (stack: Stack): Promise<(name: string, labels?: Record<string, string>) => number> {
  const res = await stack.app.inject({ url: '/metrics', headers: { authorization: basic(METRICS) } })
  if (res.statusCode !== 200) throw new Error(`/metrics answered ${res.statusCode}`)
  const lines = res.body.split('\n').filter(l => l !== '' && !l.startsWith('#'))
  return (name, labels = {}) => {
    let sum = 0
    for (const line of lines) {
      const m = /^([a-zA-Z_:][\w:]*)(\{([^}]*)\})? (\S+)$/.exec(line)
      if (m === null || m[1] !== name) continue
      const have = Object.fromEntries([...(m[3] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map(x => [x[1], x[2]]))
      if (Object.entries(labels).every(([k, v]) => have[k] === v)) sum += Number(m[4])
    }
    return sum
  }
}

t.test('metrics count lookups by outcome, the cache, 1C requests by set and status, and the journal', async t => {
  const stack = await startStack(t, { env: { LOOKUP_BUDGET_MS: '300' } })
  const lookup = async (number: string): Promise<void> => { await stack.tcx('lookup', { number }) }
  await lookup('+74952223344') // found, miss
  await lookup('84952223344') // found, hit
  await lookup('+79990000000') // not found
  await lookup('+73432223344') // ambiguous
  stack.emulator.controls.setLatency(2000)
  await lookup('+79161112233') // budget exceeded
  stack.emulator.controls.setLatency(0)
  stack.emulator.controls.failNext(3, '500')
  await lookup('+79031234567') // error
  let m = await scrape(stack)
  t.equal(m('bridge_lookups_total', { scenario: 'lookup', outcome: 'found' }), 2)
  t.equal(m('bridge_lookups_total', { scenario: 'lookup', outcome: 'not_found' }), 1)
  t.equal(m('bridge_lookups_total', { scenario: 'lookup', outcome: 'ambiguous' }), 1)
  t.equal(m('bridge_lookups_total', { scenario: 'lookup', outcome: 'budget_exceeded' }), 1)
  t.equal(m('bridge_lookups_total', { scenario: 'lookup', outcome: 'error' }), 1)
  t.equal(m('bridge_cache_requests_total', { result: 'hit' }), 1)
  t.equal(m('bridge_cache_requests_total', { result: 'miss' }), 5)
  t.ok(m('bridge_onec_requests_total', { set: 'Catalog_Партнеры_КонтактнаяИнформация', method: 'GET', status: '200' }) >= 3)
  t.ok(m('bridge_onec_requests_total', { status: '500' }) >= 1, 'failed 1C requests by status')
  t.ok(m('bridge_onec_request_duration_seconds_count', { set: 'Catalog_Партнеры' }) >= 1, 'latency histogram')
  t.ok(m('bridge_lookup_duration_seconds_count', { scenario: 'lookup' }) >= 6)

  // Journal: 1C down → the queue grows and ages, retries are counted; up → delivered.
  await stack.emulator.stop()
  await stack.tcx('report-call', { callType: 'Inbound', number: '+74952223344', agent: '101', start: '2026-12-01T06:00:00Z' })
  await stack.tcx('report-call', { callType: 'Missed', number: '+74952223344', agent: '101', start: '2026-12-01T06:05:00Z' })
  await stack.tcx('report-call', { callType: 'Missed', number: '+74952223344', agent: '101', start: '2026-12-01T06:05:00Z' })
  await waitUntil(t, 'a retry', () => (stack.app.journal.worker?.state.attempts ?? 0) >= 1)
  m = await scrape(stack)
  t.equal(m('bridge_journal_queue_depth'), 2)
  t.ok(m('bridge_journal_oldest_age_seconds') >= 0)
  t.equal(m('bridge_journal_accepted_total', { duplicate: 'false' }), 2)
  t.equal(m('bridge_journal_accepted_total', { duplicate: 'true' }), 1)
  t.ok(m('bridge_journal_retries_total') >= 1)
  await stack.emulator.start()
  stack.app.journal.worker?.kick()
  // The queue empties the moment a row is settled; the counter follows once that is on disk.
  await waitUntil(t, 'delivery', async () => (await scrape(stack))('bridge_journal_delivered_total', { result: 'delivered' }) === 2)
  m = await scrape(stack)
  t.equal(m('bridge_journal_delivered_total', { result: 'delivered' }), 2)
  t.equal(m('bridge_journal_queue_depth'), 0)
  t.equal(m('bridge_journal_dead_letters'), 0)
  t.ok(m('bridge_process_resident_memory_bytes') > 0, 'process metrics too')
})

t.test('1C session errors are counted; /metrics needs its credentials', async t => {
  const stack = await startStack(t)
  stack.emulator.controls.failNext(1, '406')
  await stack.tcx('lookup', { number: '+74952223344' })
  const m = await scrape(stack)
  t.equal(m('bridge_onec_session_errors_total', { kind: 'pool_exhausted' }), 1)
  t.equal((await stack.app.inject('/metrics')).statusCode, 401)
})

t.test('HTTP responses are counted by route pattern, method and status; requests no route serves as "unmatched"', async t => {
  const stack = await startStack(t)
  await stack.tcx('lookup', { number: '+74952223344' })
  await stack.tcx('lookup', { number: '84952223344' })
  await stack.tcx('lookup', { number: 74952223344 })
  await stack.app.inject({ method: 'POST', url: '/3cx/lookup', payload: { number: '+74952223344' } })
  await stack.app.inject({ method: 'GET', url: '/3cx/lookup?number=%2B74952223344', headers: { authorization: basic(TCX) } })
  await stack.app.inject({ method: 'GET', url: '/no/such/page' })
  await stack.app.inject({ method: 'DELETE', url: '/no/such/page' })
  const m = await scrape(stack)
  t.equal(m('bridge_http_requests_total', { route: '/3cx/lookup', method: 'POST', status: '200' }), 2)
  t.equal(m('bridge_http_requests_total', { route: '/3cx/lookup', method: 'POST', status: '400' }), 1)
  t.equal(m('bridge_http_requests_total', { route: '/3cx/lookup', method: 'POST', status: '401' }), 1, 'refused credentials count under the route')
  t.equal(m('bridge_http_requests_total', { route: '/3cx/lookup', method: 'GET', status: '200' }), 1)
  t.equal(m('bridge_http_requests_total', { route: 'unmatched', status: '404' }), 2)
  t.equal(m('bridge_http_requests_total', { route: 'unmatched', method: 'DELETE', status: '404' }), 1)
  t.equal(m('bridge_lookups_total', { scenario: 'lookup', outcome: 'found' }), 3, 'increments between scrapes are not lost')
  t.equal((await scrape(stack))('bridge_lookups_total', { scenario: 'lookup', outcome: 'found' }), 3, 'nor counted twice by a second scrape')
})

t.test('METRICS_PORT: a separate listener without credentials; without both, no /metrics at all', async t => {
  const probe = await startStack(t, { env: { METRICS_PASSWORD: '', METRICS_PORT: '1' } })
  await probe.app.close()
  // Pick a free port for the metrics listener.
  const { createServer } = await import('node:net')
  const port = await new Promise<number>(resolve => { const s = createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as AddressInfo).port; s.close(() => resolve(p)) }) })
  const stack = await startStack(t, { env: { METRICS_PASSWORD: '', METRICS_PORT: String(port), METRICS_HOST: '127.0.0.1' } })
  await stack.tcx('lookup', { number: '+74952223344' })
  const res = await fetch(`http://127.0.0.1:${port}/metrics`)
  t.equal(res.status, 200)
  t.match(await res.text(), /bridge_lookups_total\{scenario="lookup",outcome="found"\} 1/)
  t.equal((await stack.app.inject({ url: '/metrics', headers: { authorization: basic(METRICS) } })).statusCode, 404, 'not on the main port without METRICS_PASSWORD')
})

t.test('the technical log: one line per 3CX request and per 1C request, tied by reqId; numbers masked; no secrets', async t => {
  const sink = captureLogs('info')
  const stack = await startStack(t, { logger: sink.logger })
  await stack.app.inject({ method: 'POST', url: '/3cx/lookup', headers: { authorization: basic({ user: '3cx', password: 'tcx-secret-password' }), 'x-request-id': 'ring-1' }, payload: { number: '+74952223344' } })
  await stack.app.inject({ method: 'POST', url: '/3cx/lookup', headers: { authorization: basic({ user: '3cx', password: 'tcx-secret-password' }), 'x-request-id': 'ring-2' }, payload: { number: '84952223344' } })
  const lines = sink.lines()
  const tcx = lines.filter(l => l.msg === '3CX request')
  t.equal(tcx.length, 2, 'one line per 3CX request')
  t.match(tcx[0], { reqId: 'ring-1', scenario: 'lookup', outcome: 'found', cache: 'miss', status: 200, ms: Number, subject: '+7******3344' })
  t.match(tcx[1], { reqId: 'ring-2', cache: 'hit', subject: '*******3344' })
  t.notOk('reason' in tcx[0]!, 'a reason only where a request was not looked up')
  const onec = lines.filter(l => l.msg === '1C request' && l.reqId === 'ring-1')
  t.ok(onec.length >= 3, `${onec.length} lines for the 1C requests of the first ring`)
  t.match(onec[0], { onec: { method: 'GET', set: String, status: 200, ms: Number } })
  t.equal(lines.filter(l => l.msg === '1C request' && l.reqId === 'ring-2').length, 0, 'the cached ring asked 1C nothing')
  // What a subject is follows from the scenario, not from an `@` in it: a number sent as a SIP URI is a number.
  await stack.tcx('lookup', { number: 'sip:+74952223344@127.0.0.1' })
  await stack.tcx('lookup', { number: '<sip:84952223344@pbx.local>' })
  await stack.tcx('lookup', { number: 'tel:+74952223344;ext=12' })
  await stack.tcx('lookup', { number: '+7 495 222-33-4x' })
  await stack.tcx('lookup-by-email', { email: 'info@romashka.ru' })
  await stack.tcx('create-contact', { number: 'sip:+74957770044@pbx' })
  await stack.tcx('create-contact-from-client', { email: 'new.client@example.ru' })
  const more = sink.lines().filter(l => l.msg === '3CX request').slice(2)
  t.match(more.map(l => [l.scenario, l.subject]), [
    ['lookup', '+7******3344'],
    ['lookup', '*******3344'],
    ['lookup', '+7******3344'],
    ['lookup', '<not a number>'],
    ['lookup-by-email', 'info@romashka.ru'],
    ['create-contact', '+7******0044'],
    ['create-contact-from-client', 'new.client@example.ru'],
  ])
  t.match(more[3], { outcome: 'invalid', status: 200, reason: 'Not a phone number: letters.' }, 'an invalid number: the reason in the line, not the number')
  const text = sink.text()
  t.notMatch(text, /4952223344/, 'the number never appears whole')
  t.notMatch(text, /4957770044/, 'nor a number the proxy created a contact for')
  t.notMatch(text, /tcx-secret-password|odata:odata|Basic /)

  const full = captureLogs('info')
  const open = await startStack(t, { logger: full.logger, env: { LOG_PHONE_NUMBERS: 'full' } })
  await open.tcx('lookup', { number: '+74952223344' })
  t.match(full.lines().find(l => l.msg === '3CX request'), { subject: '+74952223344' }, 'LOG_PHONE_NUMBERS=full shows it')
})
