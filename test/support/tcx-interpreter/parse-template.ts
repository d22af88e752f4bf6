import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { parseCondition, parseTemplateText } from './expression.js'
import type { Condition, TemplateExpr } from './expression.js'
import type {
  ParsedTemplate,
  TcxAuthentication,
  TcxOutputDef,
  TcxParameter,
  TcxRequestDef,
  TcxRule,
  TcxScenario,
  TcxValueDef,
  TcxVariableDef,
} from './types.js'

interface XNode {
  tag: string
  attrs: Record<string, string>
  children: XNode[]
  text: string
}

export class TemplateParseError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'TemplateParseError'
  }
}

const fail = (message: string): never => { throw new TemplateParseError(message) }

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  htmlEntities: true,
})

/** fast-xml-parser's ordered output (`[{Tag: [...children], ':@': {attrs}}, {'#text': ...}]`) as a tree. */
function toNodes (items: unknown[]): XNode[] {
  const nodes: XNode[] = []
  for (const item of items as Array<Record<string, unknown>>) {
    const tag = Object.keys(item).find((key) => key !== ':@')
    if (tag === undefined || tag === '#text') continue
    const raw = item[tag] as Array<Record<string, unknown>>
    const text = raw.filter((child) => '#text' in child).map((child) => String(child['#text'])).join('')
    nodes.push({ tag, attrs: (item[':@'] ?? {}) as Record<string, string>, children: toNodes(raw), text })
  }
  return nodes
}

function only (node: XNode, allowed: readonly string[], where: string): void {
  for (const child of node.children) {
    if (!allowed.includes(child.tag)) fail(`Unsupported element <${child.tag}> in ${where}`)
  }
}

function noText (node: XNode, where: string): void {
  if (node.text !== '') fail(`Unexpected text "${node.text}" in ${where}`)
}

function single (node: XNode, tag: string, where: string): XNode | undefined {
  const found = node.children.filter((child) => child.tag === tag)
  if (found.length > 1) fail(`More than one <${tag}> in ${where}`)
  return found[0]
}

function optionalCondition (source: string | undefined, where: string): Condition | undefined {
  if (source === undefined || source.trim() === '') return undefined
  return wrap(() => parseCondition(source), where)
}

function template (source: string, where: string): TemplateExpr {
  return wrap(() => parseTemplateText(source), where)
}

function wrap<T> (fn: () => T, where: string): T {
  try {
    return fn()
  } catch (error) {
    throw new TemplateParseError(`${where}: ${(error as Error).message}`)
  }
}

function passes (value: string | undefined, where: string): number {
  if (value === undefined || value === '') return 0
  if (!/^\d+$/.test(value)) fail(`${where}: Passes="${value}" is not a number`)
  return Number(value)
}

const PARAMETER_TYPES = ['String', 'Integer', 'Double', 'Boolean', 'DateTime', 'Password', 'OAuth', 'List']

function parseParameters (node: XNode | undefined): TcxParameter[] {
  if (node === undefined) return []
  only(node, ['Parameter'], '<Parameters>')
  return node.children.map((p) => {
    const name = p.attrs.Name ?? fail('<Parameter> without Name')
    const type = p.attrs.Type ?? 'String'
    if (!PARAMETER_TYPES.includes(type)) fail(`Parameter ${name}: unknown Type "${type}"`)
    return {
      name,
      type,
      parent: p.attrs.Parent,
      title: p.attrs.Title ?? '',
      default: p.attrs.Default ?? '',
      listValues: (p.attrs.ListValues ?? '') === '' ? [] : (p.attrs.ListValues as string).split(','),
    }
  })
}

function parseAuthentication (node: XNode | undefined): TcxAuthentication {
  if (node === undefined) return { type: 'No' }
  only(node, ['Value'], '<Authentication>')
  const value = single(node, 'Value', '<Authentication>')?.text ?? ''
  switch (node.attrs.Type) {
    case 'No': return { type: 'No' }
    case 'Basic': return { type: 'Basic', value: template(value, 'Authentication') }
    case 'Scenario': return { type: 'Scenario', scenarioId: value }
    default: return fail(`Unknown Authentication Type "${node.attrs.Type ?? ''}"`)
  }
}

function parseValues (node: XNode | undefined, where: string): TcxValueDef[] {
  if (node === undefined) return []
  only(node, ['Value'], where)
  if ((node.attrs.Key ?? '') !== '') fail(`${where}: a Key on the container is not supported`)
  return node.children.map((v) => {
    const key = v.attrs.Key ?? fail(`${where}: <Value> without Key`)
    const here = `${where} Value "${key}"`
    const type = v.attrs.Type ?? 'String'
    if (type !== 'String' && type !== 'Integer') fail(`${here}: Type "${type}" is not supported`)
    return {
      key,
      text: template(v.text, here),
      passes: passes(v.attrs.Passes, here),
      type: type as 'String' | 'Integer',
      if: optionalCondition(v.attrs.If, `${here} If`),
      skipIf: optionalCondition(v.attrs.SkipIf, `${here} SkipIf`),
    }
  })
}

function parseRequest (node: XNode, where: string): TcxRequestDef {
  only(node, ['Headers', 'PostValues', 'QueryParams', 'Values'], where)
  noText(node, where)
  for (const tag of ['QueryParams', 'Values']) {
    // Emitted empty by the v20 wizard (3cx-crm.md §1.7); their content has no documented meaning.
    const element = single(node, tag, where)
    if (element !== undefined && (element.children.length > 0 || element.text !== '')) fail(`${where}: a non-empty <${tag}> is not supported`)
  }
  const method = node.attrs.RequestType ?? 'Get'
  if (method !== 'Get' && method !== 'Post') fail(`${where}: RequestType "${method}" is not supported`)
  const encoding = node.attrs.RequestEncoding ?? 'UrlEncoded'
  if (encoding !== 'UrlEncoded' && encoding !== 'Json') fail(`${where}: RequestEncoding "${encoding}" is not supported`)
  const responseType = node.attrs.ResponseType ?? 'Json'
  if (responseType !== 'Json') fail(`${where}: ResponseType "${responseType}" is not supported`)
  return {
    url: template(node.attrs.Url ?? fail(`${where}: <Request> without Url`), `${where} Url`),
    skipIf: optionalCondition(node.attrs.SkipIf, `${where} SkipIf`),
    method: method === 'Get' ? 'GET' : 'POST',
    encoding: encoding as 'UrlEncoded' | 'Json',
    responseType: 'Json',
    contentType: node.attrs.RequestContentType ?? '',
    message: node.attrs.Message ?? '',
    headers: parseValues(single(node, 'Headers', where), `${where} Headers`),
    postValues: parseValues(single(node, 'PostValues', where), `${where} PostValues`),
  }
}

function parseRule (node: XNode, where: string): TcxRule {
  only(node, [], where)
  const type = node.attrs.Type ?? fail(`${where}: <Rule> without Type`)
  if (type !== 'Any' && type !== 'Equals' && type !== 'Number') fail(`${where}: Rule Type "${type}" is not supported`)
  const ethalon = node.attrs.Ethalon
  return {
    type: type as TcxRule['type'],
    path: node.text,
    ethalon: ethalon === undefined || (type === 'Any' && ethalon === '') ? undefined : template(ethalon, `${where} Ethalon`),
  }
}

function parseVariable (node: XNode, where: string): TcxVariableDef {
  only(node, ['Filter'], where)
  const name = node.attrs.Name ?? fail(`${where}: <Variable> without Name`)
  if ((node.attrs.LookupValue ?? '') !== '') fail(`${where}: Variable ${name}: LookupValue is not supported`)
  const filter = single(node, 'Filter', where)
  if (filter !== undefined) only(filter, ['Rule'], `${where} Filter`)
  return {
    name,
    // The path is either the Path attribute or the element's text (3cx-crm.md §1.9).
    path: (node.attrs.Path ?? '') !== '' ? node.attrs.Path as string : node.text,
    filter: (filter?.children ?? []).map((rule) => parseRule(rule, `${where} Variable ${name} Filter`)),
  }
}

function parseOutputs (node: XNode | undefined, where: string): TcxScenario['outputs'] {
  if (node === undefined) return undefined
  only(node, ['Output'], where)
  const allowEmpty = (node.attrs.AllowEmpty ?? 'false').toLowerCase()
  if (allowEmpty !== 'true' && allowEmpty !== 'false') fail(`${where}: AllowEmpty="${node.attrs.AllowEmpty ?? ''}"`)
  const next = node.attrs.Next ?? ''
  const items: TcxOutputDef[] = node.children.map((output) => {
    const type = output.attrs.Type ?? fail(`${where}: <Output> without Type`)
    return { type, value: template(output.attrs.Value ?? '', `${where} Output ${type}`), passes: passes(output.attrs.Passes, `${where} Output ${type}`) }
  })
  return { allowEmpty: allowEmpty === 'true', next: next === '' ? undefined : next, items }
}

function parseScenario (node: XNode): TcxScenario {
  const id = node.attrs.Id ?? ''
  const where = `Scenario "${id}"`
  only(node, ['Request', 'Rules', 'Variables', 'Outputs'], where)
  noText(node, where)
  if (node.attrs.Type !== 'REST') fail(`${where}: Type "${node.attrs.Type ?? ''}" is not supported (only REST)`)
  const request = single(node, 'Request', where) ?? fail(`${where} has no <Request>`)
  const rules = single(node, 'Rules', where)
  if (rules !== undefined) only(rules, ['Rule'], `${where} Rules`)
  const variables = single(node, 'Variables', where)
  if (variables !== undefined) only(variables, ['Variable'], `${where} Variables`)
  return {
    id,
    entityId: node.attrs.EntityId ?? '',
    entityOrder: node.attrs.EntityOrder ?? '',
    request: parseRequest(request, where),
    rules: (rules?.children ?? []).map((rule) => parseRule(rule, `${where} Rules`)),
    variables: (variables?.children ?? []).map((variable) => parseVariable(variable, `${where} Variables`)),
    outputs: parseOutputs(single(node, 'Outputs', where), `${where} Outputs`),
  }
}

/** Reads a CRM template. Throws TemplateParseError on anything the interpreter cannot interpret. */
export function parseTemplate (xml: string): ParsedTemplate {
  const valid = XMLValidator.validate(xml)
  if (valid !== true) fail(`Not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`)
  const roots = toNodes(parser.parse(xml) as unknown[])
  if (roots.length !== 1 || roots[0]?.tag !== 'Crm') fail('The root element must be <Crm>')
  const crm = roots[0] as XNode
  only(crm, ['Number', 'Connection', 'Parameters', 'Authentication', 'Scenarios'], '<Crm>')
  noText(crm, '<Crm>')

  const number = single(crm, 'Number', '<Crm>')
  const connection = single(crm, 'Connection', '<Crm>')
  const maxConcurrent = connection?.attrs.MaxConcurrentRequests
  if (maxConcurrent !== undefined && !/^\d+$/.test(maxConcurrent)) fail(`MaxConcurrentRequests="${maxConcurrent}" is not a number`)
  const scenariosNode = single(crm, 'Scenarios', '<Crm>')
  if (scenariosNode !== undefined) only(scenariosNode, ['Scenario'], '<Scenarios>')
  const scenarios = (scenariosNode?.children ?? []).map(parseScenario)

  const ids = new Set(scenarios.map((s) => s.id))
  for (const scenario of scenarios) {
    const next = scenario.outputs?.next
    if (next !== undefined && !ids.has(next)) fail(`Scenario "${scenario.id}" chains to a missing scenario "${next}"`)
  }
  const authentication = parseAuthentication(single(crm, 'Authentication', '<Crm>'))
  if (authentication.type === 'Scenario' && !ids.has(authentication.scenarioId)) fail(`Authentication names a missing scenario "${authentication.scenarioId}"`)

  return {
    name: crm.attrs.Name ?? '',
    version: crm.attrs.Version ?? '',
    country: crm.attrs.Country ?? '',
    attributes: { ...crm.attrs },
    sections: crm.children.map((child) => child.tag),
    number: number === undefined ? undefined : { prefix: number.attrs.Prefix ?? 'AsIs', maxLength: template(number.attrs.MaxLength ?? '', 'Number MaxLength') },
    maxConcurrentRequests: maxConcurrent === undefined ? undefined : Number(maxConcurrent),
    parameters: parseParameters(single(crm, 'Parameters', '<Crm>')),
    authentication,
    scenarios,
  }
}
