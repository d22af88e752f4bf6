import type { XmlElement } from './xml.js'

/** The top group of the 3CX parameter editor (3cx-crm.md §1.4). */
export const GENERAL_CONFIGURATION = 'General Configuration'

export interface TemplateParameter {
  name: string
  type: 'String' | 'Password' | 'Boolean' | 'List'
  /** v20 wants a Parent on every parameter (3cx-crm.md §1.4): the top group or a Boolean parameter. */
  parent: string
  title: string
  default: string
  listValues?: string
}

/**
 * The parameters the 3CX administrator fills in. The journaling and contact-creation names follow the
 * official template's conventions (3cx-crm.md §1.4); the scenarios read them in SkipIf and PostValues.
 */
export function templateParameters (proxyUrl: string, tcxVersion: 18 | 20 = 20): TemplateParameter[] {
  return [
    { name: 'ProxyUrl', type: 'String', parent: GENERAL_CONFIGURATION, title: 'Bridge URL / Адрес моста 3cx-1c-bridge:', default: proxyUrl },
    { name: 'User', type: 'String', parent: GENERAL_CONFIGURATION, title: 'Bridge user (TCX_USER) / Пользователь моста:', default: '' },
    // Type="Password" is evidenced for v20 only (its XAPI enum and wizard output, 3cx-crm.md §1.0/§1.4); the
    // v16/v18 templates seen use String, Boolean, List and OAuth, so v18 gets String rather than risk a
    // rejected upload. The field is then shown in clear in v18's editor.
    { name: 'Password', type: tcxVersion === 20 ? 'Password' : 'String', parent: GENERAL_CONFIGURATION, title: 'Bridge password (TCX_PASSWORD) / Пароль моста:', default: '' },
    // On by default: journaling every call into 1C is what the bridge is for.
    { name: 'ReportCallEnabled', type: 'Boolean', parent: GENERAL_CONFIGURATION, title: 'Enable call journaling / Журнал звонков в 1С', default: 'True' },
    { name: 'CreateContactEnabled', type: 'Boolean', parent: GENERAL_CONFIGURATION, title: 'Enable contact creation / Создавать контакты в 1С', default: 'False' },
    {
      name: 'CreateOnCallDirection',
      type: 'List',
      parent: 'CreateContactEnabled',
      title: 'Create contacts on call direction / Создавать контакты при звонках:',
      default: 'Inbound',
      listValues: 'Inbound,Inbound/Outbound',
    },
    { name: 'CreateContactFirstName', type: 'String', parent: 'CreateContactEnabled', title: 'New contact first name / Имя нового контакта:', default: '' },
    // Expanded with Passes="2" in CreateContactRecord, so [Number] inside it becomes the caller's number.
    { name: 'CreateContactLastName', type: 'String', parent: 'CreateContactEnabled', title: 'New contact name / Наименование нового клиента:', default: 'Новый клиент 3CX [Number]' },
  ]
}

export function parameterElement (parameter: TemplateParameter): XmlElement {
  const attributes: Array<[string, string]> = [
    ['Name', parameter.name],
    ['Type', parameter.type],
    ['Parent', parameter.parent],
    ['Editor', 'String'],
    ['Title', parameter.title],
    ['Default', parameter.default],
  ]
  if (parameter.listValues !== undefined) attributes.push(['ListValues', parameter.listValues])
  return { name: 'Parameter', attributes }
}
