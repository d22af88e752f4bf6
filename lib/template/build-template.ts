import { AppError } from '../errors.js'
import { parameterElement, templateParameters } from './parameters.js'
import {
  CREATE_CONTACT_FROM_CLIENT_SCENARIO,
  CREATE_CONTACT_SCENARIO,
  LOOKUP_BY_EMAIL_SCENARIO,
  LOOKUP_SCENARIO,
  REPORT_CALL_SCENARIO,
  scenarioElements,
  SEARCH_CONTACTS_SCENARIO,
} from './scenarios.js'
import { isXmlSafe, renderXmlDocument } from './xml.js'
import type { XmlElement } from './xml.js'

/** The template's `Version` attribute. Bump it on every change to the generated XML. */
export const TEMPLATE_VERSION = 2

export const DEFAULT_TEMPLATE_NAME = '1C:Enterprise (3cx-1c-bridge)'

export type TcxVersion = 18 | 20

export interface TemplateOptions {
  /** How 3CX reaches the proxy, e.g. `https://bridge.example.local:8443`; becomes the ProxyUrl default. */
  publicUrl: string
  /** Default 20; v18 gets no SearchContacts (a v20 feature, 3cx-crm.md §2). */
  tcxVersion?: TcxVersion
  /** Default `1C:Enterprise (3cx-1c-bridge)`. */
  name?: string
  /** The template `Version` attribute; default TEMPLATE_VERSION. */
  version?: number
  /** Default 16, as the official template. */
  maxConcurrentRequests?: number
  /** Two-letter country code; 3CX requires the attribute but does not use it (3cx-crm.md §1.1). Default RU. */
  country?: string
  /**
   * Send `[AgentFirstName] [AgentLastName]` as agentName instead of `[AgentFirstName]` alone. Default false:
   * [AgentLastName] is uncertain (3cx-crm.md §3), turn it on after seeing it on a real PBX.
   */
  includeAgentLastName?: boolean
  /**
   * Send `answered` from [CallEstablishedTimeUTC] for answered calls. Default true. The variable is known
   * from third parties only (3cx-crm.md §3): turn it off if ReportCall fails on a real PBX.
   */
  sendAnsweredTime?: boolean
}

/** Scenario Ids of a v20 template, `''` for the lookup by number. */
export const TEMPLATE_SCENARIOS: readonly string[] = Object.freeze([
  LOOKUP_SCENARIO,
  LOOKUP_BY_EMAIL_SCENARIO,
  SEARCH_CONTACTS_SCENARIO,
  CREATE_CONTACT_SCENARIO,
  CREATE_CONTACT_FROM_CLIENT_SCENARIO,
  REPORT_CALL_SCENARIO,
])

/** Scenario Ids the template for this 3CX version contains. */
export function templateScenarios (tcxVersion: TcxVersion = 20): readonly string[] {
  return tcxVersion === 20 ? TEMPLATE_SCENARIOS : TEMPLATE_SCENARIOS.filter((id) => id !== SEARCH_CONTACTS_SCENARIO)
}

function invalid (message: string, hint?: string): AppError {
  return new AppError('CONFIG_INVALID', message, hint === undefined ? {} : { hint })
}

/** The public URL without a trailing slash, so that `[ProxyUrl]/3cx/lookup` has exactly one. */
export function normalisePublicUrl (publicUrl: string): string {
  let url: URL
  try {
    url = new URL(publicUrl.trim())
  } catch (cause) {
    throw new AppError('CONFIG_INVALID', `The public URL "${publicUrl}" is not a URL`, {
      hint: 'Give the address 3CX uses to reach the bridge, e.g. https://bridge.example.local:8443',
      cause,
    })
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalid(`The public URL must be http or https, not ${url.protocol}`)
  if (url.username !== '' || url.password !== '') {
    throw invalid('The public URL must not contain credentials', 'The template sends them from its User and Password parameters')
  }
  if (url.search !== '' || url.hash !== '') throw invalid('The public URL must not have a query or a fragment: the template appends paths to it')
  // 3CX reads [...] as an expression everywhere in the template, so an IPv6 literal cannot be written.
  if (url.host.includes('[')) throw invalid('The public URL cannot use an IPv6 address literal', 'Use a host name for the bridge')
  return url.origin + url.pathname.replace(/\/+$/, '')
}

function checkText (what: string, value: string): string {
  if (value.trim() === '' || !isXmlSafe(value)) throw invalid(`The template ${what} must be non-empty printable text`)
  return value
}

function checkPositiveInteger (what: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max) throw invalid(`The template ${what} must be an integer from 1 to ${max}, not ${value}`)
  return value
}

/** The CRM template XML (UTF-8 text) that the 3CX administrator uploads. */
export function buildTemplate (opts: TemplateOptions): string {
  const tcxVersion = opts.tcxVersion ?? 20
  if (tcxVersion !== 18 && tcxVersion !== 20) throw invalid(`Unsupported 3CX version ${String(tcxVersion)}: use 18 or 20`)
  const proxyUrl = normalisePublicUrl(opts.publicUrl)
  const name = checkText('name', opts.name ?? DEFAULT_TEMPLATE_NAME)
  const version = checkPositiveInteger('version', opts.version ?? TEMPLATE_VERSION, 2 ** 31 - 1)
  const maxConcurrentRequests = checkPositiveInteger('maxConcurrentRequests', opts.maxConcurrentRequests ?? 16, 1000)
  const country = (opts.country ?? 'RU').toUpperCase()
  if (!/^[A-Z]{2}$/.test(country)) throw invalid(`The template country must be a two-letter code, not "${country}"`)

  const root: XmlElement = {
    name: 'Crm',
    attributes: [
      ['xmlns:xsi', 'http://www.w3.org/2001/XMLSchema-instance'],
      ['xmlns:xsd', 'http://www.w3.org/2001/XMLSchema'],
      ['Country', country],
      ['Name', name],
      ['Version', String(version)],
      ['SupportsEmojis', 'false'],
    ],
    // Child order as 3CX documents it (3cx-crm.md §1.1).
    children: [
      // Keep the number whole and normalise it in the proxy (3cx-crm.md §1.2, §4.4).
      { name: 'Number', attributes: [['Prefix', 'AsIs'], ['MaxLength', '']] },
      { name: 'Connection', attributes: [['MaxConcurrentRequests', String(maxConcurrentRequests)]] },
      { name: 'Parameters', children: templateParameters(proxyUrl, tcxVersion).map(parameterElement) },
      { name: 'Authentication', attributes: [['Type', 'Basic']], children: [{ name: 'Value', text: '[User]:[Password]' }] },
      {
        name: 'Scenarios',
        children: scenarioElements({
          includeSearch: tcxVersion === 20,
          includeAgentLastName: opts.includeAgentLastName ?? false,
          sendAnsweredTime: opts.sendAnsweredTime ?? true,
        }),
      },
    ],
  }
  return renderXmlDocument(root)
}
