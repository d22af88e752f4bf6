import t, { type Test } from 'tap'
import type { AddressInfo } from 'node:net'
import type { LightMyRequestResponse } from 'fastify'
import { startStack, waitUntil, type Stack } from './support/stack.js'
import { TCX } from './support/config.js'
import { parseTemplate, runScenario } from './support/tcx-interpreter/index.js'
import type { ParsedTemplate, TcxCall } from './support/tcx-interpreter/index.js'

/**
 * The template the proxy serves, run by the interpreter of test/support the way 3CX would run it, against
 * the proxy listening on 127.0.0.1 and the 1C emulator behind it: proof that template and endpoints fit.
 */
async function served (t: Test, env: Record<string, string> = {}, query = ''): Promise<{ stack: Stack, tpl: ParsedTemplate, run: (call: Omit<TcxCall, 'parameters'> & { parameters?: Record<string, string> }) => ReturnType<typeof runScenario> }> {
  const stack = await startStack(t, { env })
  await stack.app.listen({ host: '127.0.0.1', port: 0 })
  const url = `http://127.0.0.1:${(stack.app.server.address() as AddressInfo).port}`
  // What the 3CX administrator downloads: the template, pointed at the proxy.
  const res = await fetch(`${url}/3cx/template.xml${query}`)
  t.equal(res.status, 200)
  t.match(res.headers.get('content-type'), /application\/xml/)
  const tpl = parseTemplate(await res.text())
  const parameters = { ProxyUrl: url, User: TCX.user, Password: TCX.password }
  return { stack, tpl, run: async call => await runScenario(tpl, { ...call, parameters: { ...parameters, ...call.parameters } }) }
}

t.test('lookup by number: the outputs 3CX maps, the number echoed', async t => {
  const { run } = await served(t)
  const result = await run({ scenarioId: '', variables: { Number: '+74951234567', CallDirection: 'Inbound' } })
  t.equal(result.status, 200)
  t.equal(result.records.length, 1)
  t.match(result.records[0], { CompanyName: 'ООО «Ромашка»', PhoneBusiness: '+74951234567', EntityType: 'Partner', ContactUrl: /#e1cib\/data\/Справочник\.Партнеры\?ref=/ })
  t.match(result.requests[0], { method: 'POST', headers: { authorization: `Basic ${Buffer.from(`${TCX.user}:${TCX.password}`).toString('base64')}` } })
  const nobody = await run({ scenarioId: '', variables: { Number: '+79990000000', CallDirection: 'Inbound' } })
  t.same(nobody.records, [], 'not found: no record')
})

t.test('LookupByEmail and SearchContacts (v20)', async t => {
  const { run, tpl } = await served(t)
  t.match((await run({ scenarioId: 'LookupByEmail', variables: { Email: 'info@romashka.ru' } })).records, [{ CompanyName: 'ООО «Ромашка»', Email: 'info@romashka.ru' }])
  const found = await run({ scenarioId: 'SearchContacts', variables: { SearchText: 'ромаш' } })
  t.ok(found.records.length >= 2, `${found.records.length} records`)
  t.ok(found.records.every(r => r.ContactUrl !== ''))
  t.ok(tpl.scenarios.some(s => s.id === 'SearchContacts'))
})

t.test('CreateContactRecord when enabled (and only then), CreateContactRecordFromClient', async t => {
  const { run, stack } = await served(t)
  const off = await run({ scenarioId: 'CreateContactRecord', variables: { Number: '+79261112299', CallDirection: 'Inbound' } })
  t.equal(off.skipped, true, 'the template skips creation unless the 3CX administrator enables it')
  const created = await run({ scenarioId: 'CreateContactRecord', variables: { Number: '+79261112299', CallDirection: 'Inbound' }, parameters: { CreateContactEnabled: 'True' } })
  t.match(created.records, [{ FirstName: '', LastName: 'Новый клиент 3CX +79261112299', ContactUrl: /Справочник\.Партнеры/ }])
  const partner = stack.emulator.controls.entities('Catalog_Партнеры').find(p => p.Description === 'Новый клиент 3CX +79261112299')
  t.ok(partner, 'the partner is named after the template parameters')
  const outbound = await run({ scenarioId: 'CreateContactRecord', variables: { Number: '+79261112200', CallDirection: 'Outbound' }, parameters: { CreateContactEnabled: 'True' } })
  t.equal(outbound.skipped, true, 'inbound calls only, by default')
  const fromClient = await run({ scenarioId: 'CreateContactRecordFromClient', variables: { Number: '+79261112201', FirstName: 'Олег', LastName: 'Зайцев', Email: 'o.zaitsev@example.ru' }, parameters: { CreateContactEnabled: 'True' } })
  t.match(fromClient.records, [{ FirstName: 'Олег', LastName: 'Зайцев', Email: 'o.zaitsev@example.ru' }])
})

/** An inbound call agent 102 answered after 4 s and talked for 83 s, as 3CX reports it. */
const answeredCall = {
  CallType: 'Inbound',
  CallDirection: 'Inbound',
  Number: '+74952223344',
  Agent: '102',
  AgentFirstName: 'Мария',
  AgentEmail: 'm@example.ru',
  CallStartTimeUTC: new Date(Date.UTC(2026, 11, 1, 7, 0, 5)),
  CallEstablishedTimeUTC: new Date(Date.UTC(2026, 11, 1, 7, 0, 9)),
  CallEndTimeUTC: new Date(Date.UTC(2026, 11, 1, 7, 1, 32)),
  DurationTimespan: 83,
  QueueExtension: '',
  EntityId: '',
  EntityType: '',
  Name: '',
}

t.test('ReportCall: the call lands in the 1C journal with UTC times and the duration in seconds', async t => {
  const { run, stack } = await served(t)
  const result = await run({
    scenarioId: 'ReportCall',
    variables: answeredCall,
  })
  t.equal(result.status, 200)
  t.match(result.response, { accepted: true, callKey: '20261201070005-I-102-74952223344' })
  const missed = await run({
    scenarioId: 'ReportCall',
    variables: { CallType: 'Missed', CallDirection: 'Inbound', Number: '84952223344', Agent: '102', AgentFirstName: '', AgentEmail: '', CallStartTimeUTC: new Date(Date.UTC(2026, 11, 1, 7, 5, 0)), CallEstablishedTimeUTC: null, CallEndTimeUTC: new Date(Date.UTC(2026, 11, 1, 7, 5, 20)), DurationTimespan: 0, QueueExtension: '800', EntityId: '', EntityType: '', Name: '' },
  })
  t.equal(missed.status, 200, 'a missed call has no answer time and is still reported')
  await waitUntil(t, 'two calls in 1C', () => stack.emulator.controls.entities('InformationRegister_ЖурналЗвонков3CX').length === 2)
  const [first, second] = stack.emulator.controls.entities('InformationRegister_ЖурналЗвонков3CX')
  t.match(first, { ДатаНачала: '2026-12-01T10:00:05', ТипЗвонка: 'Входящий', ВнутреннийНомер: '102' })
  t.equal(Number(first?.Длительность), 83)
  t.match(second, { ТипЗвонка: 'Пропущенный', Очередь: '800' })
  const disabled = await run({ scenarioId: 'ReportCall', variables: { CallType: 'Inbound', Number: '+74952223344', Agent: '102', CallStartTimeUTC: new Date() }, parameters: { ReportCallEnabled: 'False' } })
  t.equal(disabled.skipped, true)
})

t.test('the download: v18, the two ReportCall options, and a clear 400 for what it does not know', async t => {
  const stack = await startStack(t)
  const get = async (query: string): Promise<LightMyRequestResponse> => await stack.app.inject({ method: 'GET', url: `/3cx/template.xml${query}` })
  const v18 = await get('?version=18')
  t.equal(v18.statusCode, 200)
  t.match(v18.headers['content-disposition'], /3cx-1c-bridge-v18\.xml/)
  t.notOk(parseTemplate(v18.body).scenarios.some(s => s.id === 'SearchContacts'), 'v18 has no SearchContacts')

  const plain = (await get('')).body
  t.notMatch(plain, /\[AgentLastName\]/, 'by default the agent is sent by first name')
  t.match(plain, /\[CallEstablishedTimeUTC\]/, 'by default the answer time is sent')
  const withLastName = (await get('?agentLastName=true')).body
  t.match(withLastName, /\[AgentFirstName\] \[AgentLastName\]/)
  const noAnswered = (await get('?answeredTime=false&version=20')).body
  t.notMatch(noAnswered, /CallEstablishedTimeUTC/)
  t.equal((await get('?agentLastName=false&answeredTime=true')).body, plain, 'the defaults spelled out give the same template')

  const answers = {
    '?agentLastName=yes': 'Invalid querystring: "agentLastName" must be one of: true, false.',
    '?answeredtime=false': 'Invalid querystring: "answeredtime" is not a known field.',
    '?version=19': 'Invalid querystring: "version" must be one of: 18, 20.',
  }
  for (const [query, message] of Object.entries(answers)) {
    const bad = await get(query)
    t.equal(bad.statusCode, 400, query)
    t.same(bad.json(), { error: { code: 'VALIDATION_FAILED', message, field: /[a-z]+/i.exec(query.slice(1))?.[0] } }, query)
  }
})

t.test('ReportCall from a template with the agent\'s last name and no answer time: the call still lands in 1C', async t => {
  const { run, stack } = await served(t, {}, '?agentLastName=true&answeredTime=false')
  const result = await run({ scenarioId: 'ReportCall', variables: { ...answeredCall, AgentLastName: 'Соколова', AgentEmail: '' } })
  t.equal(result.status, 200)
  t.notOk(Object.hasOwn(JSON.parse(result.requests[0]?.body ?? '{}') as object, 'answered'), 'no answer time was sent')
  await waitUntil(t, 'the call in 1C', () => stack.emulator.controls.entities('InformationRegister_ЖурналЗвонков3CX').length === 1)
  const [call] = stack.emulator.controls.entities('InformationRegister_ЖурналЗвонков3CX')
  t.match(call, { Агент: 'Мария Соколова (102)', ТипЗвонка: 'Входящий' })
  t.equal(Number(call?.Длительность), 83)
})
