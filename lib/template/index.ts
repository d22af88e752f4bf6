export {
  buildTemplate,
  DEFAULT_TEMPLATE_NAME,
  normalisePublicUrl,
  TEMPLATE_SCENARIOS,
  TEMPLATE_VERSION,
  templateScenarios,
} from './build-template.js'
export type { TcxVersion, TemplateOptions } from './build-template.js'
export {
  CREATE_CONTACT_FROM_CLIENT_SCENARIO,
  CREATE_CONTACT_SCENARIO,
  LOOKUP_BY_EMAIL_SCENARIO,
  LOOKUP_SCENARIO,
  REPORT_CALL_SCENARIO,
  SEARCH_CONTACTS_SCENARIO,
} from './scenarios.js'
