/**
 * The test interpreter of 3CX CRM templates: its expression language, path walking, parsing of real
 * templates, and runs of every scenario of buildTemplate() against a fake of the proxy's 3CX API
 * (docs/3cx-api.md) on 127.0.0.1.
 */
import t from 'tap'
import { Buffer } from 'node:buffer'
import { readdirSync, readFileSync } from 'node:fs'
import Fastify from 'fastify'
import type { FastifyError, FastifyInstance } from 'fastify'
import { buildTemplate } from '../lib/template/index.js'
import type { TemplateOptions } from '../lib/template/index.js'
import type { TcxContact } from '../lib/directory/types.js'
import {
  evaluateCondition,
  parseCondition,
  parseTemplate,
  parseTemplateText,
  renderTemplate,
  runScenario,
  splitPath,
  TimeSpan,
  walk,
} from './support/tcx-interpreter/index.js'
import type { ParsedTemplate, Scope, TcxCall, TcxValue } from './support/tcx-interpreter/index.js'

const SAMPLES = '/work/shared/samples/3cx/'

// ---------------------------------------------------------------------------------------------
// The fake of the proxy's 3CX endpoints: strict JSON schemas (no extra keys, no coercion), Basic
// auth, canned 1C contacts; it records every body exactly as it arrived.

interface ReceivedRequest {
  path: string
  authorization: string | undefined
  contentType: string | undefined
  body: unknown
}

const FAKE_USER = 'tcx'
const FAKE_PASSWORD = 'p@ss:w0rd'

const PARTNER: TcxContact = {
  ContactID: '1fa1a135-d89b-11e6-8343-40167e2531c3',
  FirstName: '',
  LastName: '',
  CompanyName: 'ООО Ромашка',
  Email: 'info@romashka.example',
  PhoneBusiness: '+74951234567',
  PhoneMobile: '',
  PhoneOther: '',
  EntityType: 'Partner',
  ContactUrl: 'http://1c.example/ut/#e1cib/data/Справочник.Партнеры?ref=834340167e2531c311e6d89b1fa1a135',
}

const PERSON: TcxContact = {
  ContactID: '5c2e8a10-0b3f-11ef-8f1a-0050569f1c2d',
  FirstName: 'Иван',
  LastName: 'Иванов',
  CompanyName: 'ООО Ромашка',
  Email: 'ivanov@romashka.example',
  PhoneBusiness: '',
  PhoneMobile: '+79161234567',
  PhoneOther: '',
  EntityType: 'ContactPerson',
  ContactUrl: 'http://1c.example/ut/#e1cib/data/Справочник.КонтактныеЛицаПартнеров?ref=8f1a0050569f1c2d11ef0b3f5c2e8a10',
}

const CREATED_ID = '9d0b7c3e-5a41-11ef-8f1a-0050569f1c2d'

const str = { type: 'string' } as const
const utc = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$' } as const
const direction = { type: 'string', enum: ['Inbound', 'Outbound'] } as const

function body (properties: Record<string, unknown>, required: string[]): { body: Record<string, unknown> } {
  return { body: { type: 'object', properties, required, additionalProperties: false } }
}

interface FakeApi {
  url: string
  received: ReceivedRequest[]
  app: FastifyInstance
}

async function startFake3cxApi (): Promise<FakeApi> {
  const app = Fastify({ ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: true } } })
  const received: ReceivedRequest[] = []
  const expected = 'Basic ' + Buffer.from(`${FAKE_USER}:${FAKE_PASSWORD}`).toString('base64')

  app.addHook('preValidation', async (request, reply) => {
    received.push({
      path: request.url,
      authorization: request.headers.authorization,
      contentType: request.headers['content-type'],
      body: structuredClone(request.body),
    })
    if (request.headers.authorization !== expected) {
      return await reply.code(401).send({ error: { code: 'UNAUTHORIZED', message: 'Wrong user or password' } })
    }
  })
  app.setErrorHandler(async (error: FastifyError, _request, reply) => {
    return await reply.code(error.statusCode ?? 500).send({ error: { code: 'VALIDATION_FAILED', message: error.message } })
  })

  const contacts = (list: TcxContact[]): { contacts: TcxContact[] } => ({ contacts: list })

  app.post<{ Body: { number: string } }>('/3cx/lookup', { schema: body({ number: str, direction }, ['number']) },
    async (request) => contacts(request.body.number === PARTNER.PhoneBusiness ? [PARTNER] : []))
  app.post<{ Body: { email: string } }>('/3cx/lookup-by-email', { schema: body({ email: str }, ['email']) },
    async (request) => contacts(request.body.email === PERSON.Email ? [PERSON] : []))
  app.post<{ Body: { text: string } }>('/3cx/search', { schema: body({ text: { type: 'string', minLength: 2 } }, ['text']) },
    async (request) => contacts(request.body.text.toLowerCase().includes('ромашка') ? [PERSON, PARTNER] : []))
  app.post<{ Body: { number: string, firstName: string, lastName: string } }>('/3cx/create-contact',
    { schema: body({ number: str, direction, firstName: str, lastName: str }, ['number', 'direction', 'firstName', 'lastName']) },
    async (request) => contacts([{
      ...PERSON,
      ContactID: CREATED_ID,
      FirstName: request.body.firstName,
      LastName: request.body.lastName,
      CompanyName: '',
      Email: '',
      PhoneMobile: request.body.number,
    }]))
  app.post<{ Body: { number: string, firstName: string, lastName: string, email: string } }>('/3cx/create-contact-from-client',
    { schema: body({ number: str, firstName: str, lastName: str, email: str }, ['number', 'firstName', 'lastName', 'email']) },
    async (request) => contacts([{
      ...PERSON,
      ContactID: CREATED_ID,
      FirstName: request.body.firstName,
      LastName: request.body.lastName,
      CompanyName: '',
      Email: request.body.email,
      PhoneMobile: request.body.number,
    }]))
  app.post('/3cx/report-call', {
    schema: body({
      callType: { type: 'string', enum: ['Inbound', 'Outbound', 'Missed', 'Notanswered'] },
      direction: { type: 'string', enum: ['Inbound', 'Outbound', ''] },
      number: { type: 'string', minLength: 1 },
      agent: { type: 'string', minLength: 1 },
      agentName: str,
      agentEmail: str,
      start: utc,
      answered: utc,
      end: { anyOf: [utc, { const: '' }] },
      duration: { type: 'string', pattern: '^\\d+$' },
      queue: str,
      contactId: str,
      contactType: str,
      name: str,
    }, ['callType', 'number', 'agent', 'start']),
  }, async () => ({ accepted: true, callKey: 'k-1', duplicate: false }))

  await app.listen({ host: '127.0.0.1', port: 0 })
  const address = app.server.address()
  if (address === null || typeof address === 'string') throw new Error('The fake 3CX API did not get a TCP port')
  return { url: `http://127.0.0.1:${address.port}`, received, app }
}

// ---------------------------------------------------------------------------------------------
// Expressions

function scopeOf (variables: Record<string, TcxValue>): Scope {
  return { get: (name) => (Object.hasOwn(variables, name) ? variables[name] : undefined) }
}

const VARS: Record<string, TcxValue> = {
  Number: '+74951234567',
  Email: 'a+b@example.ru',
  CallType: 'Missed',
  CallDirection: 'Inbound',
  ReportCallEnabled: 'True',
  CreateContactEnabled: 'False',
  CreateOnCallDirection: 'Inbound',
  CreateContactLastName: '3CX Contact [Number]',
  CreateContactCompany: 'ООО Ромашка',
  EntityId: '',
  FoundRecordCount: 0,
  CallStartTimeUTC: new Date('2026-12-01T09:15:02Z'),
  CallEstablishedTimeUTC: null,
  DurationTimespan: new TimeSpan(155.6),
}

const render = (source: string, passes = 0): string => renderTemplate(parseTemplateText(source), { scope: scopeOf(VARS), passes })
const holds = (source: string): boolean => evaluateCondition(parseCondition(source), { scope: scopeOf(VARS), passes: 0 })

t.test('expressions render the way the 3CX template engine renders them', async (t) => {
  const table: Array<[source: string, expected: string, passes?: number]> = [
    ['plain text (no expression)', 'plain text (no expression)'],
    ['[Number]', '+74951234567'],
    ['tel:[Number];[Number]', 'tel:+74951234567;+74951234567'],
    ['[NoSuchVariable]', ''],
    ['[Contact::ContactID]', ''],
    ['[customer.id]', ''],
    ['[CallEstablishedTimeUTC]', ''],
    ['[[Number].Replace("+","%2B")]', '%2B74951234567'],
    ['[[Email].Replace("+","\\%2B")]', 'a\\%2Bb@example.ru'],
    ['[[CallStartTimeUTC].ToString("yyyy-MM-ddTHH:mm:ssZ")]', '2026-12-01T09:15:02Z'],
    ['[[CallStartTimeUTC].ToString("yyyy-MM-dd")]', '2026-12-01'],
    ['[[CallStartTimeUTC].ToString("yyyyMMddHHmmss")]', '20261201091502'],
    ['[[[DurationTimespan].get_TotalSeconds()].ToString("F0")]', '156'],
    ['[DurationTimespan]', '00:02:35.6000000'],
    ['[IIf([CallType]==Missed,in,out)]', 'in'],
    ['[IIf([CallType]==Inbound||[CallType]==Outbound,in,out)]', 'out'],
    ['[IIf([CallDirection]!=Inbound,yes,"")]', ''],
    ['[IIf([CreateOnCallDirection]==Inbound,"[CreateContactCompany]","")]', 'ООО Ромашка'],
    ['[IIf([CreateOnCallDirection]==Inbound,[CallDirection]!=Inbound,False)]', 'False'],
    ['[CreateContactLastName]', '3CX Contact [Number]'],
    ['[[CreateContactLastName]]', '3CX Contact +74951234567', 2],
  ]
  for (const [source, expected, passes] of table) t.equal(render(source, passes), expected, source)
})

t.test('conditions compare rendered text, with True/False and "" literals', async (t) => {
  const table: Array<[source: string, expected: boolean]> = [
    ['[ReportCallEnabled]!=True', false],
    ['[CreateContactEnabled]!=True', true],
    ['[CreateContactEnabled]==false', true],
    ['[EntityId]==""', true],
    ['[Number]==""', false],
    [' [CallType] == Missed ', true],
    ['[ReportCallEnabled]!=True||[EntityId]==""', true],
    ['[ReportCallEnabled]==True&&[CallType]==Missed', true],
    ['[ReportCallEnabled]==True&&[CallType]==Inbound', false],
    ['[CallType]==Inbound||[CallType]==Missed&&[EntityId]!=""', false],
    ['[IIf([FoundRecordCount]>0,True,False)]', false],
    ['[CreateContactEnabled]!=True||[IIf([CreateOnCallDirection]==Inbound,[CallDirection]!=Inbound,False)]==True', true],
    ['True', true],
    ['False', false],
  ]
  for (const [source, expected] of table) t.equal(holds(source), expected, source)
})

t.test('anything outside the subset throws instead of guessing', async (t) => {
  const renders: Array<[string, RegExp, number?]> = [
    ['[[CallStartTimeUTC].ToString("t")]', /outside the supported subset/],
    ['[[CallStartTimeUTC].ToString("dd.MM.yyyy")]', /outside the supported subset/],
    ['[CallStartTimeUTC]', /PBX locale/],
    ['[[CallEstablishedTimeUTC].ToString("yyyy-MM-ddTHH:mm:ssZ")]', /null/],
    ['[[NoSuchVariable].ToString("yyyy")]', /cannot be called/],
    ['[[Number].Trim()]', /outside the supported subset/],
    ['[[[DurationTimespan].get_TotalSeconds()].ToString("F2")]', /F0/],
    ['[[Number].get_TotalSeconds()]', /needs a TimeSpan/],
    ['[Format([Number])]', /Format\(\) is outside the supported subset/],
    ['[[CreateContactLastName]]', /Passes/],
    ['[Number', /Unclosed \[/],
    ['[a b]', /neither a variable nor an expression/],
    ['[[Number].Replace(+,x)]', /quoted strings/],
  ]
  for (const [source, error, passes] of renders) t.throws(() => render(source, passes), error, source)
  const conditions: Array<[string, RegExp]> = [
    ['[CallType]>5', /needs numbers/],
    ['[CallType]>=Missed', /Unsupported comparison/],
    ['[CallType]=Missed', /Unsupported comparison/],
    ['[CallType]', /not a boolean/],
  ]
  for (const [source, error] of conditions) t.throws(() => holds(source), error, source)
})

t.test('paths walk arrays implicitly and cannot index them', async (t) => {
  const json = {
    contacts: [
      { id: 1, phones: ['+7 1', '+7 2'], org: { name: 'A' } },
      { id: 2, phones: [], org: null },
    ],
    phoneNumbers: { 0: 'x', 1: 'y' },
    list: ['a', 'b'],
  }
  t.strictSame(walk(json, splitPath('contacts.id')), [1, 2])
  t.strictSame(walk(json, splitPath('contacts.phones')), ['+7 1', '+7 2'])
  t.strictSame(walk(json, splitPath('contacts.org.name')), ['A'])
  t.strictSame(walk(json, splitPath('phoneNumbers.0')), ['x'], 'an object keyed "0" works (TKD4)')
  t.strictSame(walk(json, splitPath('list.0')), [], 'arrays are not indexed')
  t.strictSame(walk(json, splitPath('list[0]')), [])
  t.strictSame(walk(json, splitPath('missing.id')), [])
})

// ---------------------------------------------------------------------------------------------
// Parsing

t.test('every real template in the samples parses', async (t) => {
  const files = readdirSync(SAMPLES).filter((file) => file.endsWith('.xml'))
  t.equal(files.length, 13)
  for (const file of files) {
    const tpl = parseTemplate(readFileSync(SAMPLES + file, 'utf8'))
    t.ok(tpl.scenarios.length > 0, `${file}: ${tpl.scenarios.length} scenarios`)
  }
  const official = parseTemplate(readFileSync(SAMPLES + 'salesforce-v2-official-3cx-v18-build461__improcom.xml', 'utf8'))
  t.equal(official.name, 'SalesforceV2')
  t.equal(official.authentication.type, 'Scenario')
  t.equal(official.scenarios.filter((s) => s.id === '').length, 3, 'three lookups by number')
  t.equal(official.scenarios.find((s) => s.id === 'CreateCallActivity')?.request.postValues.filter((v) => v.key === 'CallType').length, 4)
})

t.test('parseTemplate rejects what it cannot interpret', async (t) => {
  const wrap = (scenarios: string, extra = ''): string =>
    `<?xml version="1.0"?><Crm Country="RU" Name="x" Version="1">${extra}<Authentication Type="No" /><Scenarios>${scenarios}</Scenarios></Crm>`
  const ok = '<Scenario Id="" Type="REST"><Request Url="http://127.0.0.1:9/x" RequestType="Get" ResponseType="Json" /></Scenario>'
  t.ok(parseTemplate(wrap(ok)))
  t.throws(() => parseTemplate('<Crm><Scenarios>'), /Not well-formed XML/)
  t.throws(() => parseTemplate('<Template />'), /root element must be <Crm>/)
  t.throws(() => parseTemplate(wrap(ok, '<Database />')), /Unsupported element <Database>/)
  t.throws(() => parseTemplate(wrap('<Scenario Id="" Type="SQLDatabase"><Request Url="x" /></Scenario>')), /only REST/)
  t.throws(() => parseTemplate(wrap('<Scenario Id="" Type="REST"><Request Url="x"><Query>select 1</Query></Request></Scenario>')), /Unsupported element <Query>/)
  t.throws(() => parseTemplate(wrap('<Scenario Id="" Type="REST"><Request Url="x" RequestType="Delete" /></Scenario>')), /RequestType "Delete"/)
  t.throws(() => parseTemplate(wrap('<Scenario Id="" Type="REST"><Request Url="x" /><Outputs Next="Nowhere" AllowEmpty="true" /></Scenario>')), /missing scenario "Nowhere"/)
  t.throws(() => parseTemplate(wrap('<Scenario Id="" Type="REST"><Request Url="x" SkipIf="[A]&gt;=1" /></Scenario>')), /Unsupported comparison/)
  t.throws(() => parseTemplate(wrap('<Scenario Id="" Type="REST"><Request Url="[x" /></Scenario>')), /Unclosed \[/)
})

// ---------------------------------------------------------------------------------------------
// The generated template against the fake proxy API

const api = await startFake3cxApi()
t.teardown(async () => { await api.app.close() })

const BASIC = 'Basic ' + Buffer.from(`${FAKE_USER}:${FAKE_PASSWORD}`).toString('base64')
const CREDENTIALS = { User: FAKE_USER, Password: FAKE_PASSWORD }

function template (opts: Partial<TemplateOptions> = {}): ParsedTemplate {
  return parseTemplate(buildTemplate({ publicUrl: api.url, ...opts }))
}

const v20 = template()

async function run (call: TcxCall, tpl = v20): Promise<{ result: Awaited<ReturnType<typeof runScenario>>, received: ReceivedRequest[] }> {
  const before = api.received.length
  const result = await runScenario(tpl, { ...call, parameters: { ...CREDENTIALS, ...call.parameters } })
  return { result, received: api.received.slice(before) }
}

function outputsOf (contact: TcxContact): Record<string, string> {
  return {
    ContactUrl: contact.ContactUrl,
    FirstName: contact.FirstName,
    LastName: contact.LastName,
    CompanyName: contact.CompanyName,
    Email: contact.Email,
    PhoneBusiness: contact.PhoneBusiness,
    PhoneMobile: contact.PhoneMobile,
    PhoneOther: contact.PhoneOther,
    EntityType: contact.EntityType,
    EntityId: contact.ContactID,
  }
}

const answeredInbound = {
  CallType: 'Inbound',
  CallDirection: 'Inbound',
  Number: '+74951234567',
  Agent: '101',
  AgentFirstName: 'Иван',
  AgentLastName: 'Петров',
  AgentEmail: 'petrov@example.ru',
  Name: 'ООО Ромашка',
  DateTime: '01.12.2026 12:15',
  Duration: '00:02:36',
  CallStartTimeUTC: new Date('2026-12-01T09:15:02Z'),
  CallEstablishedTimeUTC: new Date('2026-12-01T09:15:09Z'),
  CallEndTimeUTC: new Date('2026-12-01T09:17:45Z'),
  CallStartTimeLocal: new Date('2026-12-01T12:15:02Z'),
  DurationTimespan: 156,
  QueueExtension: '800',
  EntityId: PARTNER.ContactID,
  EntityType: 'Partner',
}

t.test('lookup by number: JSON POST with Basic auth, the contact becomes 3CX outputs', async (t) => {
  const { result, received } = await run({ scenarioId: '', variables: { Number: '+74951234567', CallDirection: 'Inbound' } })
  t.equal(result.skipped, false)
  t.equal(result.requests.length, 1)
  const request = result.requests[0]
  t.equal(request?.method, 'POST')
  t.equal(request?.url, `${api.url}/3cx/lookup`)
  t.equal(request?.headers.authorization, BASIC)
  t.strictSame(received, [{ path: '/3cx/lookup', authorization: BASIC, contentType: 'application/json', body: { number: '+74951234567', direction: 'Inbound' } }])
  t.equal(result.status, 200)
  t.strictSame(result.records, [outputsOf(PARTNER)])
})

t.test('lookup by number: no direction when 3CX has none; an unknown number gives no record', async (t) => {
  const { result, received } = await run({ scenarioId: '', variables: { Number: '+74950000000' } })
  t.strictSame(received.map((r) => r.body), [{ number: '+74950000000' }])
  t.equal(result.status, 200)
  t.strictSame(result.records, [])
})

t.test('a wrong password is refused by the proxy and 3CX gets no contact', async (t) => {
  const { result } = await run({ scenarioId: '', variables: { Number: '+74951234567' }, parameters: { Password: 'wrong' } })
  t.equal(result.status, 401)
  t.strictSame(result.records, [])
})

t.test('LookupByEmail posts the e-mail', async (t) => {
  const { result, received } = await run({ scenarioId: 'LookupByEmail', variables: { Email: PERSON.Email } })
  t.strictSame(received, [{ path: '/3cx/lookup-by-email', authorization: BASIC, contentType: 'application/json', body: { email: PERSON.Email } }])
  t.strictSame(result.records, [outputsOf(PERSON)])
})

t.test('SearchContacts posts the text and every contact becomes a record', async (t) => {
  const { result, received } = await run({ scenarioId: 'SearchContacts', variables: { SearchText: 'Ромашка' } })
  t.strictSame(received.map((r) => [r.path, r.body]), [['/3cx/search', { text: 'Ромашка' }]])
  t.strictSame(result.records, [outputsOf(PERSON), outputsOf(PARTNER)])
})

t.test('CreateContactRecord sends the parameter names, expanded with the caller number', async (t) => {
  const variables = { Number: '+74957654321', CallDirection: 'Inbound' }
  const defaults = await run({ scenarioId: 'CreateContactRecord', variables, parameters: { CreateContactEnabled: 'True' } })
  t.strictSame(defaults.received, [{
    path: '/3cx/create-contact',
    authorization: BASIC,
    contentType: 'application/json',
    body: { number: '+74957654321', direction: 'Inbound', firstName: '', lastName: 'Новый клиент 3CX +74957654321' },
  }])
  t.equal(defaults.result.records.length, 1)
  t.match(defaults.result.records[0], { EntityId: '9d0b7c3e-5a41-11ef-8f1a-0050569f1c2d', FirstName: '', LastName: 'Новый клиент 3CX +74957654321', PhoneMobile: '+74957654321' })

  const typed = await run({
    scenarioId: 'CreateContactRecord',
    variables,
    parameters: { CreateContactEnabled: 'True', CreateContactFirstName: 'Новый', CreateContactLastName: 'Абонент [Number]' },
  })
  t.strictSame(typed.received.map((r) => r.body), [{ number: '+74957654321', direction: 'Inbound', firstName: 'Новый', lastName: 'Абонент +74957654321' }])
})

t.test('CreateContactRecordFromClient sends what the user typed', async (t) => {
  const { result, received } = await run({
    scenarioId: 'CreateContactRecordFromClient',
    variables: { Number: '+79031112233', FirstName: 'Пётр', LastName: 'Сидоров', Email: 'sidorov@example.ru' },
    parameters: { CreateContactEnabled: 'True' },
  })
  t.strictSame(received.map((r) => [r.path, r.body]), [['/3cx/create-contact-from-client', { number: '+79031112233', firstName: 'Пётр', lastName: 'Сидоров', email: 'sidorov@example.ru' }]])
  t.match(result.records, [{ FirstName: 'Пётр', LastName: 'Сидоров', Email: 'sidorov@example.ru', PhoneMobile: '+79031112233', EntityType: 'ContactPerson' }])
})

t.test('ReportCall journals an answered call with UTC times and whole seconds', async (t) => {
  const { result, received } = await run({ scenarioId: 'ReportCall', variables: answeredInbound })
  t.strictSame(received, [{
    path: '/3cx/report-call',
    authorization: BASIC,
    contentType: 'application/json',
    body: {
      callType: 'Inbound',
      direction: 'Inbound',
      number: '+74951234567',
      agent: '101',
      agentName: 'Иван',
      agentEmail: 'petrov@example.ru',
      start: '2026-12-01T09:15:02Z',
      answered: '2026-12-01T09:15:09Z',
      end: '2026-12-01T09:17:45Z',
      duration: '156',
      queue: '800',
      contactId: PARTNER.ContactID,
      contactType: 'Partner',
      name: 'ООО Ромашка',
    },
  }])
  t.equal(result.status, 200)
  t.strictSame(result.response, { accepted: true, callKey: 'k-1', duplicate: false })
  t.strictSame(result.records, [])
})

t.test('ReportCall journals missed, unanswered and unmatched calls without an answer time', async (t) => {
  const missed = await run({
    scenarioId: 'ReportCall',
    variables: { ...answeredInbound, CallType: 'Missed', CallEstablishedTimeUTC: null, DurationTimespan: 0, QueueExtension: null, EntityId: '', EntityType: '', Name: '' },
  })
  t.equal(missed.result.status, 200, 'the proxy accepts it')
  t.strictSame(missed.received[0]?.body, {
    callType: 'Missed',
    direction: 'Inbound',
    number: '+74951234567',
    agent: '101',
    agentName: 'Иван',
    agentEmail: 'petrov@example.ru',
    start: '2026-12-01T09:15:02Z',
    end: '2026-12-01T09:17:45Z',
    duration: '0',
    queue: '',
    contactId: '',
    contactType: '',
    name: '',
  })
  const notAnswered = await run({ scenarioId: 'ReportCall', variables: { ...answeredInbound, CallType: 'Notanswered', CallDirection: 'Outbound', CallEstablishedTimeUTC: null } })
  t.notOk(Object.hasOwn(notAnswered.received[0]?.body as object, 'answered'))
  const outbound = await run({ scenarioId: 'ReportCall', variables: { ...answeredInbound, CallType: 'Outbound', CallDirection: 'Outbound' } })
  t.match(outbound.received[0]?.body, { callType: 'Outbound', direction: 'Outbound', answered: '2026-12-01T09:15:09Z' })
})

t.test('ReportCall options: agent last name, no answer time', async (t) => {
  const withLastName = await run({ scenarioId: 'ReportCall', variables: answeredInbound }, template({ includeAgentLastName: true }))
  t.match(withLastName.received[0]?.body, { agentName: 'Иван Петров' })
  const withoutAnswered = await run({ scenarioId: 'ReportCall', variables: answeredInbound }, template({ sendAnsweredTime: false }))
  t.notOk(Object.hasOwn(withoutAnswered.received[0]?.body as object, 'answered'))
  t.equal(withoutAnswered.result.status, 200)
})

t.test('SkipIf: journaling disabled', async (t) => {
  const { result, received } = await run({ scenarioId: 'ReportCall', variables: answeredInbound, parameters: { ReportCallEnabled: 'False' } })
  t.equal(result.skipped, true)
  t.strictSame(result.requests, [])
  t.strictSame(received, [])
})

t.test('SkipIf: contact creation disabled (the default) and the direction filter', async (t) => {
  const inbound = { Number: '+74957654321', CallDirection: 'Inbound' }
  const outbound = { Number: '+74957654321', CallDirection: 'Outbound' }
  t.equal((await run({ scenarioId: 'CreateContactRecord', variables: inbound })).result.skipped, true, 'disabled by default')
  t.equal((await run({ scenarioId: 'CreateContactRecordFromClient', variables: { ...inbound, FirstName: 'A', LastName: 'B', Email: '' } })).result.skipped, true)
  const enabled = { CreateContactEnabled: 'True' }
  t.equal((await run({ scenarioId: 'CreateContactRecord', variables: outbound, parameters: enabled })).result.skipped, true, 'inbound only: outbound call skipped')
  t.equal((await run({ scenarioId: 'CreateContactRecord', variables: inbound, parameters: enabled })).result.skipped, false, 'inbound only: inbound call created')
  const both = await run({ scenarioId: 'CreateContactRecord', variables: outbound, parameters: { ...enabled, CreateOnCallDirection: 'Inbound/Outbound' } })
  t.equal(both.result.skipped, false)
  t.match(both.received[0]?.body, { direction: 'Outbound' })
})

t.test('v18 has no SearchContacts, v20 has; the other scenarios are the same', async (t) => {
  const v18 = template({ tcxVersion: 18 })
  await t.rejects(run({ scenarioId: 'SearchContacts', variables: { SearchText: 'Ромашка' } }, v18), /no scenario "SearchContacts"/)
  const { result } = await run({ scenarioId: '', variables: { Number: '+74951234567' } }, v18)
  t.strictSame(result.records, [outputsOf(PARTNER)])
  t.strictSame(v18.scenarios.map((s) => s.id), v20.scenarios.map((s) => s.id).filter((id) => id !== 'SearchContacts'))
})

// ---------------------------------------------------------------------------------------------
// Interpreter mechanics on other templates: query strings, forms, Integer values, filters, chains

interface Seen { method: string, url: string, contentType: string | undefined, body: unknown }

async function startGenericApi (): Promise<{ url: string, seen: Seen[], app: FastifyInstance }> {
  const app = Fastify()
  const seen: Seen[] = []
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => { done(null, body) })
  app.addHook('preHandler', async (request) => {
    seen.push({ method: request.method, url: request.url, contentType: request.headers['content-type'], body: request.body })
  })
  app.get<{ Querystring: { term?: string } }>('/persons', async (request) => ({
    data: {
      org: { name: 'ООО Ромашка' },
      items: request.query.term !== '+74951234567'
        ? []
        : [
            { id: 7, name: 'Иван', phones: [{ label: 'mobile', value: '+79160000001' }, { label: 'work', value: '+74950000001' }] },
            { id: 8, name: 'Пётр', phones: [{ label: 'work', value: '+74950000002' }] },
            { name: 'без id' },
          ],
    },
  }))
  app.get<{ Params: { id: string } }>('/persons/:id', async (request, reply) => {
    if (request.params.id === '8') return await reply.code(404).send({ error: 'gone' })
    return { id: Number(request.params.id), email: `p${request.params.id}@example.ru` }
  })
  app.get('/fallback', async () => ({ id: 'F' }))
  app.get('/text', async (_request, reply) => await reply.type('text/plain').send('not json'))
  app.post('/journal', async () => ({ ok: true }))
  app.post('/form', async () => ({ ok: true }))
  // cloudbeds (hotelito) endpoints
  app.get<{ Querystring: { Number?: string } }>('/api/v1/3cx/lookupbynumber', async (request) => ({
    contact: request.query.Number === ' 74951234567'
      ? { id: 42, firstname: 'Иван', lastname: 'Иванов', company: '', email: 'i@example.ru', mobilephone: '+74951234567' }
      : {},
  }))
  app.post('/api/v1/3cx/outbound_call', async () => ({ ok: true }))
  app.post('/api/v1/call', async () => ({ ok: true }))
  await app.listen({ host: '127.0.0.1', port: 0 })
  const address = app.server.address()
  if (address === null || typeof address === 'string') throw new Error('no TCP port')
  return { url: `http://127.0.0.1:${address.port}`, seen, app }
}

const generic = await startGenericApi()
t.teardown(async () => { await generic.app.close() })

const GENERIC_TEMPLATE = `<?xml version="1.0"?>
<Crm Country="RU" Name="generic" Version="1">
  <Parameters>
    <Parameter Name="Base" Type="String" Parent="General Configuration" Editor="String" Title="Base" Default="${generic.url}" />
  </Parameters>
  <Authentication Type="No" />
  <Scenarios>
    <Scenario Id="" Type="REST">
      <Request Url="[Base]/persons?term=[[Number].Replace(&quot;+&quot;,&quot;%2B&quot;)]" RequestEncoding="UrlEncoded" RequestType="Get" ResponseType="Json">
        <Headers><Value Key="X-Api-Key" Passes="0" Type="String">k-[Number]</Value></Headers>
        <PostValues><Value Key="limit" Passes="0" Type="String">5</Value></PostValues>
      </Request>
      <Rules><Rule Type="Any">data.items.id</Rule></Rules>
      <Variables>
        <Variable Name="Id" Path="data.items.id"><Filter /></Variable>
        <Variable Name="PersonName">data.items.name<Filter /></Variable>
        <Variable Name="WorkPhone" Path="data.items.phones.value"><Filter><Rule Type="Equals" Ethalon="work">data.items.phones.label</Rule></Filter></Variable>
        <Variable Name="Org" Path="data.org.name"><Filter /></Variable>
      </Variables>
      <Outputs Next="Details" AllowEmpty="false">
        <Output Type="EntityId" Passes="0" Value="[Id]" />
      </Outputs>
    </Scenario>
    <Scenario Id="" Type="REST">
      <Request SkipIf="[IIf([FoundRecordCount]&gt;0,True,False)]" Url="[Base]/fallback" RequestType="Get" ResponseType="Json" />
      <Rules><Rule Type="Any">id</Rule></Rules>
      <Variables><Variable Name="Id" Path="id" /></Variables>
      <Outputs AllowEmpty="false"><Output Type="EntityId" Passes="0" Value="[Id]" /></Outputs>
    </Scenario>
    <Scenario Id="Details" Type="REST">
      <Request Url="[Base]/persons/[Id]" RequestEncoding="UrlEncoded" RequestType="Get" ResponseType="Json" />
      <Rules><Rule Type="Equals" Ethalon="[Id]">id</Rule></Rules>
      <Variables><Variable Name="Mail" Path="email"><Filter /></Variable></Variables>
      <Outputs AllowEmpty="false">
        <Output Type="FirstName" Passes="0" Value="[PersonName]" />
        <Output Type="Email" Passes="0" Value="[Mail]" />
        <Output Type="PhoneBusiness" Passes="0" Value="[WorkPhone]" />
        <Output Type="CompanyName" Passes="0" Value="[Org]" />
      </Outputs>
    </Scenario>
    <Scenario Id="Journal" Type="REST">
      <Request SkipIf="[CallType]==Missed" Url="[Base]/journal" RequestEncoding="Json" RequestType="Post" ResponseType="Json">
        <PostValues>
          <Value Key="done" Passes="0" Type="Integer">[Seconds]</Value>
          <Value Key="kind" If="[CallType]==Inbound" Passes="0" Type="String">in</Value>
          <Value Key="kind" If="[CallType]==Outbound" Passes="0" Type="String">out</Value>
          <Value Key="agent" SkipIf="[Agent]==&quot;&quot;" Passes="0" Type="String">[Agent]</Value>
        </PostValues>
      </Request>
      <Variables />
      <Outputs Next="Form" AllowEmpty="true" />
    </Scenario>
    <Scenario Id="Form" Type="REST">
      <Request Url="[Base]/form" RequestEncoding="UrlEncoded" RequestType="Post" ResponseType="Json">
        <PostValues><Value Key="who" Passes="0" Type="String">[Agent] &amp; co</Value></PostValues>
      </Request>
      <Outputs AllowEmpty="true" />
    </Scenario>
    <Scenario Id="Clash" Type="REST">
      <Request Url="[Base]/journal" RequestEncoding="Json" RequestType="Post" ResponseType="Json">
        <PostValues>
          <Value Key="kind" If="[CallType]==Inbound" Passes="0" Type="String">in</Value>
          <Value Key="kind" If="[CallDirection]==Inbound" Passes="0" Type="String">inbound</Value>
        </PostValues>
      </Request>
    </Scenario>
    <Scenario Id="Text" Type="REST">
      <Request Url="[Base]/text" RequestType="Get" ResponseType="Json" />
    </Scenario>
  </Scenarios>
</Crm>`

const genericTemplate = parseTemplate(GENERIC_TEMPLATE)

async function runGeneric (call: TcxCall, tpl = genericTemplate): Promise<{ result: Awaited<ReturnType<typeof runScenario>>, seen: Seen[] }> {
  const before = generic.seen.length
  const result = await runScenario(tpl, call)
  return { result, seen: generic.seen.slice(before) }
}

t.test('records: one per array element with the Rule path; Filter picks the element; chains inherit per record', async (t) => {
  const { result, seen } = await runGeneric({ scenarioId: '', variables: { Number: '+74951234567' } })
  t.strictSame(seen.map((s) => s.url), ['/persons?term=%2B74951234567&limit=5', '/persons/7', '/persons/8'], 'PostValues of a Get become the query')
  t.equal(result.requests[0]?.headers['x-api-key'], 'k-+74951234567')
  t.strictSame(result.records, [
    { EntityId: '7', FirstName: 'Иван', Email: 'p7@example.ru', PhoneBusiness: '+74950000001', CompanyName: 'ООО Ромашка' },
  ], 'person 8 answered 404 in the chain, the element without id is no record, the fallback lookup was skipped')
})

t.test('several lookups: the next one runs only while [FoundRecordCount] is 0', async (t) => {
  const { result, seen } = await runGeneric({ scenarioId: '', variables: { Number: '+74959999999' } })
  t.strictSame(seen.map((s) => s.url), ['/persons?term=%2B74959999999&limit=5', '/fallback'])
  t.strictSame(result.records, [{ EntityId: 'F' }])
})

t.test('Json bodies: Integer values, exclusive duplicate keys, If and SkipIf; AllowEmpty chains past a skip', async (t) => {
  const inbound = await runGeneric({ scenarioId: 'Journal', variables: { CallType: 'Inbound', Seconds: '83', Agent: '' } })
  t.strictSame(inbound.seen.map((s) => [s.url, s.contentType, s.body]), [
    ['/journal', 'application/json', { done: 83, kind: 'in' }],
    ['/form', 'application/x-www-form-urlencoded', 'who=+%26+co'],
  ])
  const missed = await runGeneric({ scenarioId: 'Journal', variables: { CallType: 'Missed', Agent: '101' } })
  t.equal(missed.result.skipped, false, 'the chained Form still ran')
  t.strictSame(missed.seen.map((s) => [s.url, s.body]), [['/form', 'who=101+%26+co']])
  await t.rejects(runGeneric({ scenarioId: 'Journal', variables: { CallType: 'Inbound', Seconds: '' } }), /Type="Integer" but rendered ""/)
  await t.rejects(runGeneric({ scenarioId: 'Clash', variables: { CallType: 'Inbound', CallDirection: 'Inbound' } }), /two Values with Key "kind"/)
  await t.rejects(runGeneric({ scenarioId: 'Text', variables: {} }), /not JSON/)
  await t.rejects(runGeneric({ scenarioId: 'Nope', variables: {} }), /no scenario "Nope"/)
  await t.rejects(runGeneric({ scenarioId: 'Text', variables: {}, parameters: { Typo: 'x' } }), /no parameter "Typo"/)
})

t.test('a real template runs: cloudbeds (hotelito) lookup and its ReportCall chain', async (t) => {
  // create_3cx_template.sh in that repository fills the placeholder the same way.
  const xml = readFileSync(SAMPLES + 'cloudbeds__olegromanchuk_hotelito.xml', 'utf8').replaceAll('TEMPLATE_API_URL', generic.url)
  const tpl = parseTemplate(xml)
  const lookup = await runGeneric({ scenarioId: '', variables: { Number: '+74951234567', CallDirection: 'Inbound' } }, tpl)
  t.equal(lookup.seen[0]?.url, '/api/v1/3cx/lookupbynumber?Number=+74951234567&CallDirection=Inbound',
    'the number goes into the URL unescaped, so the server reads " 74951234567" (3cx-crm.md §1.7)')
  t.match(lookup.result.records, [{ ContactID: '42', FirstName: 'Иван', PhoneBusiness: '+74951234567', EntityType: 'Contacts' }])

  const call = { Number: '+74951234567', CallType: 'Inbound', CallDirection: 'Inbound', Name: 'Иван', Agent: '101', AgentFirstName: 'Анна', DateTime: '01.12.2026 12:15', EntityId: '42' }
  const off = await runGeneric({ scenarioId: 'ReportCall', variables: call }, tpl)
  t.equal(off.result.skipped, true, 'journaling is off by default there')
  const on = await runGeneric({ scenarioId: 'ReportCall', variables: call, parameters: { ReportCallEnabled: 'True' } }, tpl)
  t.strictSame(on.seen.map((s) => [s.url, s.body]), [['/api/v1/3cx/outbound_call', { Number: '+74951234567', CallType: 'Inbound', CallDirection: 'Inbound', Name: 'Иван', Agent: '101', AgentFirstName: 'Анна', DateTime: '01.12.2026 12:15' }]])
  const unmatched = await runGeneric({ scenarioId: 'ReportCall', variables: { ...call, EntityId: '' }, parameters: { ReportCallEnabled: 'True' } }, tpl)
  t.equal(unmatched.result.skipped, true, 'that template skips calls without a matched contact')
})
