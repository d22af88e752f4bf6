import type { Condition, TemplateExpr } from './expression.js'

/** Values 3CX provides to a scenario. Dates are .NET DateTimes (see formatDate); `*Timespan` numbers are seconds. */
export type TcxVariableValue = string | Date | number | null

export interface TcxCall {
  /** `''` runs the lookup by number. */
  scenarioId: string
  variables: Record<string, TcxVariableValue>
  /** What the 3CX administrator typed, by parameter name; the template's defaults fill the rest. */
  parameters?: Record<string, string>
}

export interface TcxRequest {
  method: string
  url: string
  /** Lower-case header names. */
  headers: Record<string, string>
  body: string | undefined
}

export interface TcxResult {
  /** No request was sent: every scenario run was skipped by its SkipIf. */
  skipped: boolean
  requests: TcxRequest[]
  /** Status and parsed answer of the last request sent. */
  status?: number
  response?: unknown
  /** One per record 3CX would keep: output type → value. */
  records: Array<Record<string, string>>
}

export interface TcxParameter {
  name: string
  type: string
  parent: string | undefined
  title: string
  default: string
  listValues: string[]
}

export interface TcxValueDef {
  key: string
  text: TemplateExpr
  passes: number
  type: 'String' | 'Integer'
  if: Condition | undefined
  skipIf: Condition | undefined
}

export interface TcxRequestDef {
  url: TemplateExpr
  skipIf: Condition | undefined
  method: 'GET' | 'POST'
  encoding: 'UrlEncoded' | 'Json'
  responseType: 'Json'
  contentType: string
  message: string
  headers: TcxValueDef[]
  postValues: TcxValueDef[]
}

export interface TcxRule {
  type: 'Any' | 'Equals' | 'Number'
  path: string
  ethalon: TemplateExpr | undefined
}

export interface TcxVariableDef {
  name: string
  path: string
  filter: TcxRule[]
}

export interface TcxOutputDef {
  type: string
  value: TemplateExpr
  passes: number
}

export interface TcxScenario {
  id: string
  entityId: string
  entityOrder: string
  request: TcxRequestDef
  rules: TcxRule[]
  variables: TcxVariableDef[]
  outputs: { allowEmpty: boolean, next: string | undefined, items: TcxOutputDef[] } | undefined
}

export type TcxAuthentication =
  | { type: 'No' }
  | { type: 'Basic', value: TemplateExpr }
  | { type: 'Scenario', scenarioId: string }

export interface ParsedTemplate {
  name: string
  version: string
  country: string
  /** All root attributes as written (SupportsEmojis, ListPageSize, ...). */
  attributes: Record<string, string>
  /** Root children in document order. */
  sections: string[]
  number: { prefix: string, maxLength: TemplateExpr } | undefined
  maxConcurrentRequests: number | undefined
  parameters: TcxParameter[]
  authentication: TcxAuthentication
  scenarios: TcxScenario[]
}
