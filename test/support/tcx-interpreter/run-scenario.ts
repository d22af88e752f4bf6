import { Buffer } from 'node:buffer'
import { evaluateCondition, renderTemplate } from './expression.js'
import type { Condition, Scope, TcxValue, TemplateExpr } from './expression.js'
import { commonPrefixLength, firstArrayDepth, isPresent, scalarText, splitPath, startsWith, walk } from './json-path.js'
import { TimeSpan } from './net-format.js'
import type { ParsedTemplate, TcxCall, TcxOutputDef, TcxRequest, TcxResult, TcxRule, TcxScenario, TcxValueDef, TcxVariableDef } from './types.js'

export interface RunOptions {
  fetch?: typeof fetch
}

/** Chains deeper than this are a loop in the template. */
const MAX_CHAIN_DEPTH = 16

class MapScope implements Scope {
  constructor (private readonly values: ReadonlyMap<string, TcxValue>, private readonly parent?: Scope) {}

  get (name: string): TcxValue | undefined {
    return this.values.has(name) ? this.values.get(name) : this.parent?.get(name)
  }
}

interface RunState {
  tpl: ParsedTemplate
  fetch: typeof fetch
  requests: TcxRequest[]
  last: { status: number, response: unknown } | undefined
}

function condition (cond: Condition | undefined, scope: Scope): boolean | undefined {
  return cond === undefined ? undefined : evaluateCondition(cond, { scope, passes: 0 })
}

function render (template: TemplateExpr, scope: Scope, passes = 0): string {
  return renderTemplate(template, { scope, passes })
}

function resolveParameters (tpl: ParsedTemplate, overrides: Record<string, string> = {}): Map<string, TcxValue> {
  const values = new Map<string, TcxValue>(tpl.parameters.map((p) => [p.name, p.default]))
  for (const [name, value] of Object.entries(overrides)) {
    if (!values.has(name)) throw new Error(`The template has no parameter "${name}"`)
    values.set(name, value)
  }
  return values
}

function callVariables (variables: TcxCall['variables']): Map<string, TcxValue> {
  // A .NET TimeSpan such as [DurationTimespan] is given in seconds.
  return new Map(Object.entries(variables).map(([name, value]) => [name, typeof value === 'number' && /Timespan$/.test(name) ? new TimeSpan(value) : value]))
}

/** Values of PostValues or Headers that apply, as [key, text, type]; duplicate keys must have exclusive Ifs. */
function applicableValues (defs: TcxValueDef[], scope: Scope, where: string): Array<[string, string | number]> {
  const out = new Map<string, string | number>()
  for (const def of defs) {
    if (condition(def.if, scope) === false || condition(def.skipIf, scope) === true) continue
    if (out.has(def.key)) throw new Error(`${where}: two Values with Key "${def.key}" apply at once`)
    const text = render(def.text, scope, def.passes)
    if (def.type === 'Integer') {
      if (!/^-?\d+$/.test(text.trim())) throw new Error(`${where}: Value "${def.key}" is Type="Integer" but rendered "${text}"`)
      out.set(def.key, Number(text.trim()))
    } else {
      out.set(def.key, text)
    }
  }
  return [...out]
}

function buildRequest (state: RunState, scenario: TcxScenario, scope: Scope): TcxRequest {
  const where = `Scenario "${scenario.id}"`
  const def = scenario.request
  if (def.message !== '') throw new Error(`${where}: a raw Message body is outside the supported subset`)
  let url = render(def.url, scope)
  const headers: Record<string, string> = {}
  const auth = state.tpl.authentication
  if (auth.type === 'Basic') headers.authorization = 'Basic ' + Buffer.from(render(auth.value, scope), 'utf8').toString('base64')
  if (auth.type === 'Scenario') throw new Error('Authentication Type="Scenario" is outside the supported subset')
  for (const [key, value] of applicableValues(def.headers, scope, `${where} Headers`)) headers[key.toLowerCase()] = String(value)

  const values = applicableValues(def.postValues, scope, `${where} PostValues`)
  let body: string | undefined
  if (def.encoding === 'Json') {
    if (def.method === 'GET') throw new Error(`${where}: a Json body on a Get request is outside the supported subset`)
    body = JSON.stringify(Object.fromEntries(values))
    headers['content-type'] = def.contentType !== '' ? def.contentType : 'application/json'
  } else {
    const form = new URLSearchParams(values.map(([key, value]): [string, string] => [key, String(value)])).toString()
    if (def.method === 'GET') {
      if (form !== '') url += (url.includes('?') ? '&' : '?') + form
    } else {
      body = form
      headers['content-type'] = def.contentType !== '' ? def.contentType : 'application/x-www-form-urlencoded'
    }
  }
  // 3CX puts variables into the URL as they are (3cx-crm.md §1.7); an unusable URL must fail loudly here.
  if (!URL.canParse(url)) throw new Error(`${where}: "${url}" is not a URL`)
  return { method: def.method, url, headers, body }
}

async function send (state: RunState, request: TcxRequest): Promise<{ status: number, json: unknown }> {
  state.requests.push(request)
  const init: RequestInit = { method: request.method, headers: request.headers, redirect: 'manual' }
  if (request.body !== undefined) init.body = request.body
  const response = await state.fetch(request.url, init)
  const text = await response.text()
  let json: unknown
  let parsed = false
  if (text.trim() !== '') {
    try {
      json = JSON.parse(text)
      parsed = true
    } catch {
      json = text
    }
  }
  state.last = { status: response.status, response: json }
  if (response.ok && text.trim() !== '' && !parsed) throw new Error(`${request.method} ${request.url} answered ${response.status} with a body that is not JSON`)
  return { status: response.status, json }
}

function ruleHolds (rule: TcxRule, values: unknown[], scope: Scope): boolean {
  switch (rule.type) {
    case 'Any': return values.some(isPresent)
    case 'Equals': {
      const ethalon = rule.ethalon === undefined ? '' : render(rule.ethalon, scope)
      return values.some((value) => scalarText(value) === ethalon)
    }
    default: throw new Error(`Rule Type="${rule.type}" is outside the supported subset`)
  }
}

/**
 * Values at `path` for one record. `base` is the path of the record array (undefined when the answer
 * has none and the record is the whole answer); paths through it are read from the record's element.
 */
function valuesFor (json: unknown, record: unknown, base: string[] | undefined, path: string, keep?: (depth: number, element: unknown) => boolean): unknown[] {
  const segments = splitPath(path)
  if (base === undefined) return walk(json, segments, 0, keep)
  return startsWith(segments, base) ? walk(record, segments, base.length, keep) : walk(json, segments, 0, keep)
}

function variableValue (json: unknown, record: unknown, base: string[] | undefined, variable: TcxVariableDef, scope: Scope): string {
  const segments = splitPath(variable.path)
  // A Filter rule picks, in an array the variable and the rule both pass through, the element where
  // the rule holds (3cx-crm.md §1.9: the phone whose label is "work").
  const keep = variable.filter.length === 0
    ? undefined
    : (depth: number, element: unknown): boolean => variable.filter.every((rule) => {
        const ruleSegments = splitPath(rule.path)
        if (depth > commonPrefixLength(segments, ruleSegments)) return true
        return ruleHolds(rule, walk(element, ruleSegments, depth), scope)
      })
  for (const value of valuesFor(json, record, base, variable.path, keep)) {
    const text = scalarText(value)
    if (text !== undefined) return text
  }
  return ''
}

/** The records a response yields: each element of the array the first Rule's path runs through (3cx-crm.md §1.8). */
function matchRecords (scenario: TcxScenario, json: unknown, scope: Scope): Array<Map<string, TcxValue>> {
  const first = scenario.rules[0]
  if (first === undefined) return []
  const firstSegments = splitPath(first.path)
  const depth = firstArrayDepth(json, firstSegments)
  const base = depth < 0 ? undefined : firstSegments.slice(0, depth)
  const candidates = base === undefined ? [json] : recordArray(json, base)
  const records: Array<Map<string, TcxValue>> = []
  for (const candidate of candidates) {
    if (!scenario.rules.every((rule) => ruleHolds(rule, valuesFor(json, candidate, base, rule.path), scope))) continue
    records.push(new Map(scenario.variables.map((variable) => [variable.name, variableValue(json, candidate, base, variable, scope)])))
  }
  return records
}

/** The array at `base`, which firstArrayDepth found behind plain objects. */
function recordArray (json: unknown, base: string[]): unknown[] {
  let node = json
  for (const segment of base) node = (node as Record<string, unknown>)[segment]
  return node as unknown[]
}

async function runOne (state: RunState, scenario: TcxScenario, scope: Scope, depth: number): Promise<Array<Record<string, string>>> {
  if (depth > MAX_CHAIN_DEPTH) throw new Error(`Scenario chain deeper than ${MAX_CHAIN_DEPTH}: a loop through "${scenario.id}"?`)
  let matches: Array<Map<string, TcxValue>> = []
  if (condition(scenario.request.skipIf, scope) !== true) {
    const { status, json } = await send(state, buildRequest(state, scenario, scope))
    // A non-2xx answer is "nothing found" (a 404 for not found works in production, 3cx-crm.md §4.2).
    if (status >= 200 && status < 300) matches = matchRecords(scenario, json, scope)
  }
  const outputs = scenario.outputs ?? { allowEmpty: false, next: undefined, items: [] }
  const next = outputs.next === undefined ? undefined : state.tpl.scenarios.find((s) => s.id === outputs.next) as TcxScenario
  if (matches.length === 0) {
    // AllowEmpty lets the chain go on with what it has (TKD's ReportCall chain, one scenario per CallType).
    // Whether an empty scenario still yields its Outputs from inherited variables is not known: it does not.
    return outputs.allowEmpty && next !== undefined ? await runOne(state, next, scope, depth + 1) : []
  }
  const records: Array<Record<string, string>> = []
  for (const match of matches) {
    const recordScope = new MapScope(match, scope)
    const record = evaluateOutputs(outputs.items, recordScope)
    if (next === undefined) {
      if (Object.keys(record).length > 0) records.push(record)
      continue
    }
    // A chained scenario runs once per record, inherits its variables (3cx-crm.md §1.9) and decides
    // whether the record survives: what the end of the chain yields is the result.
    for (const child of await runOne(state, next, recordScope, depth + 1)) records.push({ ...record, ...child })
  }
  return records
}

function evaluateOutputs (items: TcxOutputDef[], scope: Scope): Record<string, string> {
  const record: Record<string, string> = {}
  // A later Output of the same Type wins.
  for (const output of items) record[output.type] = render(output.value, scope, output.passes)
  return record
}

function entryScenarios (tpl: ParsedTemplate, scenarioId: string): TcxScenario[] {
  const found = tpl.scenarios.filter((s) => s.id === scenarioId)
  if (found.length === 0) throw new Error(`The template has no scenario "${scenarioId}"`)
  return found
}

/**
 * Runs one scenario (and its chain) the way 3CX would, sending real HTTP requests. Several unnamed
 * lookup scenarios run in document order with [FoundRecordCount] set (EntityOrder is not interpreted).
 */
export async function runScenario (tpl: ParsedTemplate, call: TcxCall, opts: RunOptions = {}): Promise<TcxResult> {
  const state: RunState = { tpl, fetch: opts.fetch ?? globalThis.fetch, requests: [], last: undefined }
  const base = new MapScope(callVariables(call.variables), new MapScope(resolveParameters(tpl, call.parameters)))
  if (tpl.number !== undefined && (tpl.number.prefix !== 'AsIs' || render(tpl.number.maxLength, base) !== '')) {
    // 3cx-crm.md §1.2: what 3CX does to [Number] here is only partly documented.
    throw new Error(`<Number Prefix="${tpl.number.prefix}" MaxLength="${tpl.number.maxLength.source}"> is outside the supported subset (AsIs, empty MaxLength)`)
  }
  const records: Array<Record<string, string>> = []
  for (const scenario of entryScenarios(tpl, call.scenarioId)) {
    const scope = new MapScope(new Map([['FoundRecordCount', records.length]]), base)
    records.push(...await runOne(state, scenario, scope, 0))
  }
  const result: TcxResult = { skipped: state.requests.length === 0, requests: state.requests, records }
  if (state.last !== undefined) {
    result.status = state.last.status
    result.response = state.last.response
  }
  return result
}
