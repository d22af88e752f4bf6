import type { Dispatcher } from 'undici'
import type { Config } from '../config/types.js'
import type { OneCClient } from '../onec/client.js'
import type { Profile } from '../profiles/types.js'
import type { Vrd } from '../vrd.js'

/**
 * The publication check (`3cx-1c-bridge check`): each step returns rows with a verdict, the problem in
 * both languages and the fix in the 1C administrator's words. The command picks the language.
 */
export type Verdict = 'ok' | 'warn' | 'fail' | 'skip'

export const STEP_NAMES = ['address', 'odata', 'credentials', 'metadata', 'sets', 'fields', 'rights', 'lookup', 'index', 'journal', 'session'] as const
export type StepName = typeof STEP_NAMES[number]

export type Lang = 'ru' | 'en'

/** One text in both languages the command speaks. */
export interface Text {
  ru: string
  en: string
}

export interface CheckRow {
  step: StepName
  /** What the row is about: an address, a user name, an entity set. Never a secret. */
  object: string
  verdict: Verdict
  message: Text
  /** What to do; absent when there is nothing to do. */
  fix?: Text
}

/** What the 1C-facing steps need of the client. */
export type CheckClient = Pick<OneCClient, 'raw' | 'metadataXml' | 'list' | 'get' | 'count' | 'odataRoot'>

export interface CheckContext {
  config: Config
  profile: Profile
  client: CheckClient
  /** The connection pool under the client; the address step asks the web server's root through it. */
  dispatcher: Dispatcher
  /** The publication's default.vrd when ONEC_VRD names it. */
  vrd: Vrd | undefined
  /** What the lookup step looks up; default: the first phone found in the base. */
  sampleNumber: string | undefined
}
