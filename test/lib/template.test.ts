/**
 * The CRM template builder: well-formed XML in the layout 3CX documents, the parameters the
 * administrator sees, the scenario set per 3CX version, escaping and option checks. What the scenarios
 * send and read is proved end to end in test/tcx-interpreter.test.ts.
 */
import { createHash } from 'node:crypto'
import t from 'tap'
import { XMLValidator } from 'fast-xml-parser'
import {
  buildTemplate,
  DEFAULT_TEMPLATE_NAME,
  normalisePublicUrl,
  TEMPLATE_SCENARIOS,
  TEMPLATE_VERSION,
  templateScenarios,
} from '../../lib/template/index.js'
import type { TemplateOptions } from '../../lib/template/index.js'
import { parseTemplate } from '../support/tcx-interpreter/index.js'

const PUBLIC_URL = 'https://bridge.example.local:8443'
const build = (opts: Partial<TemplateOptions> = {}): string => buildTemplate({ publicUrl: PUBLIC_URL, ...opts })

t.test('well-formed UTF-8 XML with the root and child order 3CX documents', async (t) => {
  const xml = build()
  t.equal(XMLValidator.validate(xml), true)
  t.ok(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<Crm '))
  t.notOk(xml.includes('<!--'), 'no comments: whether 3CX tolerates them is unknown')
  const tpl = parseTemplate(xml)
  t.strictSame(tpl.sections, ['Number', 'Connection', 'Parameters', 'Authentication', 'Scenarios'])
  t.equal(tpl.name, DEFAULT_TEMPLATE_NAME)
  t.equal(tpl.version, String(TEMPLATE_VERSION))
  t.equal(tpl.country, 'RU')
  t.match(tpl.attributes, { 'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance', 'xmlns:xsd': 'http://www.w3.org/2001/XMLSchema' })
  t.ok(xml.includes('<Number Prefix="AsIs" MaxLength="" />'), 'the number is kept whole')
  t.equal(tpl.maxConcurrentRequests, 16)
  t.equal(xml, build(), 'the same options give the same text')
})

t.test('the parameters the administrator fills in, every one with a Parent', async (t) => {
  const tpl = parseTemplate(build({ publicUrl: 'https://bridge.example.local:8443/' }))
  t.strictSame(tpl.parameters.map((p) => [p.name, p.type, p.parent, p.default]), [
    ['ProxyUrl', 'String', 'General Configuration', PUBLIC_URL],
    ['User', 'String', 'General Configuration', ''],
    ['Password', 'Password', 'General Configuration', ''],
    ['ReportCallEnabled', 'Boolean', 'General Configuration', 'True'],
    ['CreateContactEnabled', 'Boolean', 'General Configuration', 'False'],
    ['CreateOnCallDirection', 'List', 'CreateContactEnabled', 'Inbound'],
    ['CreateContactFirstName', 'String', 'CreateContactEnabled', ''],
    ['CreateContactLastName', 'String', 'CreateContactEnabled', 'Новый клиент 3CX [Number]'],
  ])
  t.strictSame(tpl.parameters.find((p) => p.name === 'CreateOnCallDirection')?.listValues, ['Inbound', 'Inbound/Outbound'])
  t.equal(tpl.parameters.find((p) => p.name === 'ReportCallEnabled')?.title, 'Enable call journaling / Журнал звонков в 1С')
  for (const parameter of tpl.parameters) t.match(parameter.title, /^[ -~]+ \/ .*[А-Яа-яЁё]/, `${parameter.name}: English / Russian title`)
  t.equal(tpl.authentication.type, 'Basic')
  t.equal(tpl.authentication.type === 'Basic' && tpl.authentication.value.source, '[User]:[Password]')
})

t.test('v18 gets the password as a String parameter: Type="Password" is known from v20 only', async (t) => {
  const v18 = parseTemplate(build({ tcxVersion: 18 }))
  t.equal(v18.parameters.find((p) => p.name === 'Password')?.type, 'String')
  t.notOk(build({ tcxVersion: 18 }).includes('Type="Password"'))
})

t.test('the generated XML is pinned to TEMPLATE_VERSION: 3CX updates an uploaded template by its Version', async (t) => {
  // A change to what the template says must come with a new TEMPLATE_VERSION; then update these digests.
  const digest = (tcxVersion: 18 | 20): string => createHash('sha256').update(build({ tcxVersion })).digest('hex')
  t.equal(TEMPLATE_VERSION, 2)
  t.equal(digest(20), '778f846bc03fda6a827858a3b8bc33afcc6d83bca2a6456c4aaf7369193f9171', 'v20 template of version 2')
  t.equal(digest(18), 'e10347b48cc00ff4b3f65c8cfdcdc79afe084f6e745db7f4c36050441e4211f3', 'v18 template of version 2')
})

t.test('scenarios: JSON POSTs to the proxy, SearchContacts on v20 only', async (t) => {
  t.strictSame(TEMPLATE_SCENARIOS, ['', 'LookupByEmail', 'SearchContacts', 'CreateContactRecord', 'CreateContactRecordFromClient', 'ReportCall'])
  t.strictSame(templateScenarios(20), TEMPLATE_SCENARIOS)
  t.strictSame(templateScenarios(18), TEMPLATE_SCENARIOS.filter((id) => id !== 'SearchContacts'))
  t.strictSame(parseTemplate(build()).scenarios.map((s) => s.id), templateScenarios(20))
  t.strictSame(parseTemplate(build({ tcxVersion: 20 })).scenarios.map((s) => s.id), templateScenarios(20))
  t.strictSame(parseTemplate(build({ tcxVersion: 18 })).scenarios.map((s) => s.id), templateScenarios(18))

  const paths: Record<string, string> = {
    '': '/3cx/lookup',
    LookupByEmail: '/3cx/lookup-by-email',
    SearchContacts: '/3cx/search',
    CreateContactRecord: '/3cx/create-contact',
    CreateContactRecordFromClient: '/3cx/create-contact-from-client',
    ReportCall: '/3cx/report-call',
  }
  for (const scenario of parseTemplate(build()).scenarios) {
    t.match(scenario.request, { method: 'POST', encoding: 'Json', responseType: 'Json', contentType: 'application/json', message: '' }, scenario.id)
    t.equal(scenario.request.url.source, `[ProxyUrl]${paths[scenario.id] ?? '?'}`)
  }
  const xml = build()
  const scenarioTags = xml.match(/<Scenario [^>]*>/g) ?? []
  for (const tag of scenarioTags) t.match(tag, /Type="REST"/)
  for (const tag of xml.match(/<Request [^>]*>/g) ?? []) {
    t.match(tag, /RequestEncoding="Json" RequestType="Post" ResponseType="Json"/)
    t.match(tag, /RequestContentType="application\/json"/)
  }
})

t.test('contact scenarios read the flat contact into the output types 3CX knows', async (t) => {
  for (const scenario of parseTemplate(build()).scenarios.filter((s) => s.id !== 'ReportCall')) {
    t.strictSame(scenario.rules.map((r) => [r.type, r.path]), [['Any', 'contacts.ContactID']], scenario.id)
    t.equal(scenario.outputs?.allowEmpty, false)
    t.equal(scenario.outputs?.next, undefined)
    const paths = new Map(scenario.variables.map((v) => [v.name, v.path]))
    const outputs = Object.fromEntries((scenario.outputs?.items ?? []).map((o) => [o.type, paths.get(o.value.source.slice(1, -1))]))
    t.strictSame(outputs, {
      ContactUrl: 'contacts.ContactUrl',
      FirstName: 'contacts.FirstName',
      LastName: 'contacts.LastName',
      CompanyName: 'contacts.CompanyName',
      Email: 'contacts.Email',
      PhoneBusiness: 'contacts.PhoneBusiness',
      PhoneMobile: 'contacts.PhoneMobile',
      PhoneOther: 'contacts.PhoneOther',
      EntityType: 'contacts.EntityType',
      EntityId: 'contacts.ContactID',
    })
  }
})

t.test('ReportCall: journaling switch only, UTC variables, no [DateTime], nothing read back', async (t) => {
  const xml = build()
  t.notOk(xml.includes('[DateTime]'))
  const reportCall = parseTemplate(xml).scenarios.find((s) => s.id === 'ReportCall')
  t.ok(reportCall)
  if (reportCall === undefined) return
  t.ok(xml.includes('SkipIf="[ReportCallEnabled]!=True" Url="[ProxyUrl]/3cx/report-call"'), 'unmatched calls ([EntityId] empty) are not skipped')
  t.strictSame(reportCall.variables, [])
  t.strictSame(reportCall.outputs, { allowEmpty: true, next: undefined, items: [] })
  t.strictSame(reportCall.request.postValues.map((v) => v.key), [
    'callType', 'direction', 'number', 'agent', 'agentName', 'agentEmail', 'start', 'answered', 'answered', 'end', 'duration', 'queue', 'contactId', 'contactType', 'name',
  ])
  const source = (key: string): string[] => reportCall.request.postValues.filter((v) => v.key === key).map((v) => v.text.source)
  t.strictSame(source('start'), ['[[CallStartTimeUTC].ToString("yyyy-MM-ddTHH:mm:ssZ")]'])
  t.strictSame(source('end'), ['[[CallEndTimeUTC].ToString("yyyy-MM-ddTHH:mm:ssZ")]'])
  t.strictSame(source('duration'), ['[[[DurationTimespan].get_TotalSeconds()].ToString("F0")]'])
  t.strictSame(source('agentName'), ['[AgentFirstName]'])
  t.ok(xml.includes('<Value Key="answered" If="[CallType]==Inbound"'))
  t.ok(xml.includes('<Value Key="answered" If="[CallType]==Outbound"'))

  const options = parseTemplate(build({ includeAgentLastName: true, sendAnsweredTime: false })).scenarios.find((s) => s.id === 'ReportCall')
  t.strictSame(options?.request.postValues.filter((v) => v.key === 'agentName').map((v) => v.text.source), ['[AgentFirstName] [AgentLastName]'])
  t.notOk(options?.request.postValues.some((v) => v.key === 'answered'))
})

t.test('contact creation keeps the official SkipIf and expands the name parameters', async (t) => {
  const xml = build()
  t.ok(xml.includes('SkipIf="[CreateContactEnabled]!=True||[IIf([CreateOnCallDirection]==Inbound,[CallDirection]!=Inbound,False)]==True"'))
  t.ok(xml.includes('<Value Key="lastName" Passes="2" Type="String">[[CreateContactLastName]]</Value>'))
  t.ok(xml.includes('<Value Key="direction" If="[CallDirection]!=&quot;&quot;" Passes="0" Type="String">[CallDirection]</Value>'), 'attribute quotes are escaped')
})

t.test('options: name, version, country, concurrency; text is escaped', async (t) => {
  const xml = build({ name: 'Ромашка & "Co" <1C>', version: 42, country: 'kz', maxConcurrentRequests: 4 })
  t.ok(xml.includes('Name="Ромашка &amp; &quot;Co&quot; &lt;1C&gt;"'))
  const tpl = parseTemplate(xml)
  t.equal(tpl.name, 'Ромашка & "Co" <1C>')
  t.equal(tpl.version, '42')
  t.equal(tpl.country, 'KZ')
  t.equal(tpl.maxConcurrentRequests, 4)
  const withAmpersand = parseTemplate(build({ publicUrl: 'https://bridge.example.local/a&b' }))
  t.equal(withAmpersand.parameters[0]?.default, 'https://bridge.example.local/a&b')
})

t.test('the public URL: trailing slashes go, a path prefix stays, unusable URLs are refused', async (t) => {
  t.equal(normalisePublicUrl('https://bridge.example.local:8443/'), PUBLIC_URL)
  t.equal(normalisePublicUrl('  http://127.0.0.1:3000//  '), 'http://127.0.0.1:3000')
  t.equal(normalisePublicUrl('https://gw.example.local/bridge/'), 'https://gw.example.local/bridge')
  for (const bad of ['', 'bridge.example.local', 'ftp://bridge.example.local', 'https://user:pw@bridge.example.local',
    'https://bridge.example.local/?a=1', 'https://bridge.example.local/#x', 'https://[::1]:8443']) {
    t.throws(() => build({ publicUrl: bad }), { name: 'AppError', code: 'CONFIG_INVALID', status: 500 }, `refused: "${bad}"`)
  }
})

t.test('other options out of range are refused', async (t) => {
  const bad: Array<Partial<TemplateOptions>> = [
    { tcxVersion: 19 as 20 },
    { version: 0 },
    { version: 1.5 },
    { maxConcurrentRequests: 0 },
    { country: 'RUS' },
    { name: '   ' },
    { name: 'bell\u0007' },
  ]
  for (const opts of bad) {
    t.throws(() => build(opts), { name: 'AppError', code: 'CONFIG_INVALID', status: 500 }, JSON.stringify(opts))
  }
})
