import type { Profile } from './types.js'

/**
 * "Управление торговлей 11" on БСП (onec-odata.md §7): partners are the clients, contact persons belong to
 * a partner (Owner_Key), counterparties are the legal entities of a partner (Партнер_Key); each keeps
 * phones and e-mails in its КонтактнаяИнформация tabular section.
 */
export const ut11Profile: Profile = {
  name: 'ut11',
  sources: [
    {
      kind: 'ContactPerson',
      set: 'Catalog_КонтактныеЛицаПартнеров',
      contactSection: 'КонтактнаяИнформация',
      contactSet: 'Catalog_КонтактныеЛицаПартнеров_КонтактнаяИнформация',
      nameField: 'Description',
      person: { when: 'always', order: 'last-first' },
      parent: { field: 'Owner_Key', source: 'Partner', companyName: true },
      deletionMarkField: 'DeletionMark',
    },
    {
      kind: 'Partner',
      set: 'Catalog_Партнеры',
      contactSection: 'КонтактнаяИнформация',
      contactSet: 'Catalog_Партнеры_КонтактнаяИнформация',
      nameField: 'Description',
      searchFields: ['Description', 'НаименованиеПолное'],
      person: { when: { field: 'ЮрФизЛицо', values: ['ЧастноеЛицо'] }, order: 'last-first' },
      extraFields: ['ЮрФизЛицо'],
      deletionMarkField: 'DeletionMark',
      folderField: 'IsFolder',
    },
    {
      kind: 'Counterparty',
      set: 'Catalog_Контрагенты',
      contactSection: 'КонтактнаяИнформация',
      contactSet: 'Catalog_Контрагенты_КонтактнаяИнформация',
      nameField: 'Description',
      searchFields: ['Description', 'НаименованиеПолное'],
      person: { when: 'never', order: 'last-first' },
      parent: { field: 'Партнер_Key', source: 'Partner', companyName: false },
      deletionMarkField: 'DeletionMark',
    },
  ],
  contactInfo: {
    typeField: 'Тип',
    kindField: 'Вид_Key',
    phoneType: 'Телефон',
    emailType: 'АдресЭлектроннойПочты',
    phoneField: 'НомерТелефона',
    phoneWithoutCodesField: 'НомерТелефонаБезКодов',
    presentationField: 'Представление',
    valueField: 'Значение',
    emailField: 'АдресЭП',
  },
  kindsSet: 'Catalog_ВидыКонтактнойИнформации',
  create: {
    // A caller 1C does not know is most often a private person; a manager turns it into a company later.
    source: 'Partner',
    defaults: { Клиент: true, ЮрФизЛицо: 'ЧастноеЛицо' },
    phoneKind: 'ТелефонПартнера',
    emailKind: 'EmailПартнера',
    contactPerson: {
      source: 'ContactPerson',
      ownerField: 'Owner_Key',
      defaults: {},
      phoneKind: 'ТелефонКонтактногоЛицаПартнера',
      emailKind: 'EmailКонтактногоЛица',
    },
  },
  journal: {
    register: 'InformationRegister_ЖурналЗвонков3CX',
    document: 'Document_ТелефонныйЗвонок',
  },
}
