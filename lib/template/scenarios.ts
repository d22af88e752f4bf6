import type { XmlElement } from './xml.js'

/** The scenario Ids of the template; `''` is the lookup by number (3cx-crm.md §2). */
export const LOOKUP_SCENARIO = ''
export const LOOKUP_BY_EMAIL_SCENARIO = 'LookupByEmail'
export const SEARCH_CONTACTS_SCENARIO = 'SearchContacts'
export const CREATE_CONTACT_SCENARIO = 'CreateContactRecord'
export const CREATE_CONTACT_FROM_CLIENT_SCENARIO = 'CreateContactRecordFromClient'
export const REPORT_CALL_SCENARIO = 'ReportCall'

export interface ScenarioOptions {
  includeSearch: boolean
  includeAgentLastName: boolean
  sendAnsweredTime: boolean
}

/**
 * Every proxy answer carries `{"contacts": [Contact, ...]}` with one flat key per 3CX output
 * (docs/3cx-api.md). Variables get a prefix so that they never shadow what 3CX itself provides in the
 * same scenario (`[FirstName]`, `[Email]` in CreateContactRecordFromClient).
 */
const CONTACT_OUTPUTS: ReadonlyArray<readonly [output: string, field: string]> = [
  ['ContactUrl', 'ContactUrl'],
  ['FirstName', 'FirstName'],
  ['LastName', 'LastName'],
  ['CompanyName', 'CompanyName'],
  ['Email', 'Email'],
  ['PhoneBusiness', 'PhoneBusiness'],
  ['PhoneMobile', 'PhoneMobile'],
  ['PhoneOther', 'PhoneOther'],
  ['EntityType', 'EntityType'],
  // 3cx-crm.md §4.1: EntityId is the output 3CX hands back to ReportCall as [EntityId].
  ['EntityId', 'ContactID'],
]

const VARIABLE_PREFIX = 'Crm'

/** The .NET format of the UTC timestamps (3cx-crm.md §3); `T` and `Z` are literals there. */
const UTC_FORMAT = '"yyyy-MM-ddTHH:mm:ssZ"'

interface PostValue {
  key: string
  value: string
  passes?: number
  condition?: string
}

function postValue ({ key, value, passes = 0, condition }: PostValue): XmlElement {
  const attributes: Array<[string, string]> = [['Key', key]]
  if (condition !== undefined) attributes.push(['If', condition])
  attributes.push(['Passes', String(passes)], ['Type', 'String'])
  return { name: 'Value', attributes, text: value }
}

/** A JSON POST: 3CX puts variables into URLs unescaped, JSON bodies avoid the `+` trap (3cx-crm.md §1.7). */
function jsonPost (path: string, values: PostValue[], skipIf?: string): XmlElement {
  const attributes: Array<[string, string]> = []
  if (skipIf !== undefined) attributes.push(['SkipIf', skipIf])
  attributes.push(
    ['Url', `[ProxyUrl]${path}`],
    ['MessagePasses', '0'],
    ['RequestContentType', 'application/json'],
    ['RequestEncoding', 'Json'],
    ['RequestType', 'Post'],
    ['ResponseType', 'Json'],
  )
  return { name: 'Request', attributes, children: [{ name: 'PostValues', children: values.map(postValue) }] }
}

function scenario (id: string, request: XmlElement, rest: XmlElement[]): XmlElement {
  return { name: 'Scenario', attributes: [['Id', id], ['Type', 'REST']], children: [request, ...rest] }
}

/** Rules, Variables and Outputs that turn `{"contacts": [...]}` into one 3CX record per contact. */
function contactAnswer (): XmlElement[] {
  const fields = [...new Set(CONTACT_OUTPUTS.map(([, field]) => field))]
  return [
    { name: 'Rules', children: [{ name: 'Rule', attributes: [['Type', 'Any']], text: 'contacts.ContactID' }] },
    {
      name: 'Variables',
      children: fields.map((field) => ({
        name: 'Variable',
        attributes: [['Name', VARIABLE_PREFIX + field], ['Path', `contacts.${field}`]],
        children: [{ name: 'Filter' }],
      })),
    },
    {
      name: 'Outputs',
      attributes: [['AllowEmpty', 'false']],
      children: CONTACT_OUTPUTS.map(([output, field]) => ({
        name: 'Output',
        attributes: [['Type', output], ['Passes', '0'], ['Value', `[${VARIABLE_PREFIX}${field}]`]],
      })),
    },
  ]
}

function reportCallValues (options: ScenarioOptions): PostValue[] {
  // 3cx-crm.md §3: [AgentLastName] is not seen in any real template, so it is opt-in.
  const agentName = options.includeAgentLastName ? '[AgentFirstName] [AgentLastName]' : '[AgentFirstName]'
  const values: PostValue[] = [
    { key: 'callType', value: '[CallType]' },
    { key: 'direction', value: '[CallDirection]' },
    { key: 'number', value: '[Number]' },
    { key: 'agent', value: '[Agent]' },
    { key: 'agentName', value: agentName },
    { key: 'agentEmail', value: '[AgentEmail]' },
    // Never [DateTime]: its text depends on the PBX locale (3cx-crm.md §3).
    { key: 'start', value: `[[CallStartTimeUTC].ToString(${UTC_FORMAT})]` },
  ]
  if (options.sendAnsweredTime) {
    // [CallEstablishedTimeUTC] is reportedly null for missed and unanswered calls, and formatting a null
    // fails; only answered calls carry it. Two Values with exclusive Ifs, as the official template does.
    for (const callType of ['Inbound', 'Outbound']) {
      values.push({ key: 'answered', value: `[[CallEstablishedTimeUTC].ToString(${UTC_FORMAT})]`, condition: `[CallType]==${callType}` })
    }
  }
  values.push(
    { key: 'end', value: `[[CallEndTimeUTC].ToString(${UTC_FORMAT})]` },
    { key: 'duration', value: '[[[DurationTimespan].get_TotalSeconds()].ToString("F0")]' },
    { key: 'queue', value: '[QueueExtension]' },
    { key: 'contactId', value: '[EntityId]' },
    { key: 'contactType', value: '[EntityType]' },
    { key: 'name', value: '[Name]' },
  )
  return values
}

/** The official template's SkipIf: creation off, or "Inbound only" and the call is not inbound (3cx-crm.md §2). */
const CREATE_CONTACT_SKIP_IF = '[CreateContactEnabled]!=True||[IIf([CreateOnCallDirection]==Inbound,[CallDirection]!=Inbound,False)]==True'

export function scenarioElements (options: ScenarioOptions): XmlElement[] {
  const scenarios: XmlElement[] = [
    scenario(LOOKUP_SCENARIO, jsonPost('/3cx/lookup', [
      { key: 'number', value: '[Number]' },
      // Only one community template reads [CallDirection] during the lookup; leave it out when 3CX has none.
      { key: 'direction', value: '[CallDirection]', condition: '[CallDirection]!=""' },
    ]), contactAnswer()),
    scenario(LOOKUP_BY_EMAIL_SCENARIO, jsonPost('/3cx/lookup-by-email', [{ key: 'email', value: '[Email]' }]), contactAnswer()),
  ]
  if (options.includeSearch) {
    scenarios.push(scenario(SEARCH_CONTACTS_SCENARIO, jsonPost('/3cx/search', [{ key: 'text', value: '[SearchText]' }]), contactAnswer()))
  }
  scenarios.push(
    scenario(CREATE_CONTACT_SCENARIO, jsonPost('/3cx/create-contact', [
      { key: 'number', value: '[Number]' },
      { key: 'direction', value: '[CallDirection]' },
      { key: 'firstName', value: '[[CreateContactFirstName]]', passes: 2 },
      { key: 'lastName', value: '[[CreateContactLastName]]', passes: 2 },
    ], CREATE_CONTACT_SKIP_IF), contactAnswer()),
    scenario(CREATE_CONTACT_FROM_CLIENT_SCENARIO, jsonPost('/3cx/create-contact-from-client', [
      { key: 'number', value: '[Number]' },
      { key: 'firstName', value: '[FirstName]' },
      { key: 'lastName', value: '[LastName]' },
      { key: 'email', value: '[Email]' },
    ], '[CreateContactEnabled]!=True'), contactAnswer()),
    // No `[EntityId]==""` in SkipIf, unlike the official template: unmatched calls belong in the journal too.
    scenario(REPORT_CALL_SCENARIO, jsonPost('/3cx/report-call', reportCallValues(options), '[ReportCallEnabled]!=True'), [
      { name: 'Variables' },
      { name: 'Outputs', attributes: [['AllowEmpty', 'true']] },
    ]),
  )
  return scenarios
}
