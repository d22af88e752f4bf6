import type { ConfigurationSchema, EntitySetDef, PropertyDef, TabularSectionDef } from './model.js'

/**
 * The part of a "Управление торговлей 11" base that the proxy touches, shaped after the real UT
 * `$metadata` (fixtures/onec/ut-real-edmx-excerpt.xml), the UT 11 dump of КонтактныеЛицаПартнеров and
 * BSP's ТелефонныйЗвонок (onec-odata.md §7, §8), plus the call-journal register our 1C administrator
 * adds (docs/: the register).
 */

const guidKey: PropertyDef = { name: 'Ref_Key', type: 'Edm.Guid', nullable: false, indexed: true }

function catalogStandard (opts: { code?: number, description: number, hierarchical?: boolean, owner?: string }): PropertyDef[] {
  const props: PropertyDef[] = [
    guidKey,
    { name: 'DataVersion', type: 'Edm.String', readOnly: true },
    { name: 'DeletionMark', type: 'Edm.Boolean' },
    { name: 'Predefined', type: 'Edm.Boolean', readOnly: true },
    { name: 'PredefinedDataName', type: 'Edm.String', readOnly: true },
  ]
  if (opts.code !== undefined) props.push({ name: 'Code', type: 'Edm.String', length: opts.code, indexed: true })
  props.push({ name: 'Description', type: 'Edm.String', length: opts.description, indexed: true })
  if (opts.hierarchical === true) {
    props.push({ name: 'Parent_Key', type: 'Edm.Guid', indexed: true })
    props.push({ name: 'IsFolder', type: 'Edm.Boolean' })
  }
  if (opts.owner !== undefined) props.push({ name: 'Owner_Key', type: 'Edm.Guid', ref: opts.owner, indexed: true })
  return props
}

/** BSP's КонтактнаяИнформация tabular section (onec-odata.md §7.1; lengths from the UT 11 dump). */
function contactInformation (withValidFrom: boolean): TabularSectionDef {
  const properties: PropertyDef[] = [
    { name: 'Тип', type: 'Edm.String', enumName: 'ТипыКонтактнойИнформации', indexed: true },
    { name: 'Вид_Key', type: 'Edm.Guid', ref: 'Catalog_ВидыКонтактнойИнформации', indexed: true },
    { name: 'Представление', type: 'Edm.String', length: 500 },
    { name: 'ЗначенияПолей', type: 'Edm.String' },
    { name: 'Страна', type: 'Edm.String', length: 100 },
    { name: 'Регион', type: 'Edm.String', length: 50 },
    { name: 'Город', type: 'Edm.String', length: 50 },
    { name: 'АдресЭП', type: 'Edm.String', length: 100 },
    { name: 'ДоменноеИмяСервера', type: 'Edm.String', length: 100 },
    { name: 'НомерТелефона', type: 'Edm.String', length: 20 },
    { name: 'НомерТелефонаБезКодов', type: 'Edm.String', length: 20 },
    { name: 'ВидДляСписка_Key', type: 'Edm.Guid', ref: 'Catalog_ВидыКонтактнойИнформации' },
  ]
  if (withValidFrom) properties.push({ name: 'ДействуетС', type: 'Edm.DateTime' })
  properties.push({ name: 'Значение', type: 'Edm.String' })
  return { name: 'КонтактнаяИнформация', properties }
}

const additionalAttributes: TabularSectionDef = {
  name: 'ДополнительныеРеквизиты',
  properties: [
    { name: 'Свойство_Key', type: 'Edm.Guid' },
    { name: 'Значение', type: 'Edm.String', composite: [] },
    { name: 'ТекстоваяСтрока', type: 'Edm.String' },
  ],
}

const partners: EntitySetDef = {
  name: 'Catalog_Партнеры',
  kind: 'Catalog',
  key: ['Ref_Key'],
  properties: [
    ...catalogStandard({ code: 11, description: 100, hierarchical: true }),
    { name: 'НаименованиеПолное', type: 'Edm.String', length: 200 },
    { name: 'ЮрФизЛицо', type: 'Edm.String', enumName: 'КомпанияЧастноеЛицо' },
    { name: 'Клиент', type: 'Edm.Boolean' },
    { name: 'Поставщик', type: 'Edm.Boolean' },
    { name: 'ПрочиеОтношения', type: 'Edm.Boolean' },
    { name: 'ОсновнойМенеджер_Key', type: 'Edm.Guid', ref: 'Catalog_Пользователи' },
    { name: 'ДатаРегистрации', type: 'Edm.DateTime' },
    { name: 'Пол', type: 'Edm.String', enumName: 'ПолФизическогоЛица' },
    { name: 'ДатаРождения', type: 'Edm.DateTime' },
    { name: 'Комментарий', type: 'Edm.String' },
  ],
  tabularSections: [contactInformation(false), additionalAttributes],
}

const counterparties: EntitySetDef = {
  name: 'Catalog_Контрагенты',
  kind: 'Catalog',
  key: ['Ref_Key'],
  properties: [
    // UT's Контрагенты has CodeLength 0, so no Code (onec-odata.md §1.4).
    ...catalogStandard({ description: 100 }),
    { name: 'НаименованиеПолное', type: 'Edm.String' },
    { name: 'ОбособленноеПодразделение', type: 'Edm.Boolean' },
    { name: 'ЮридическоеФизическоеЛицо', type: 'Edm.String', enumName: 'ЮридическоеФизическоеЛицо' },
    { name: 'ГоловнойКонтрагент_Key', type: 'Edm.Guid', ref: 'Catalog_Контрагенты' },
    { name: 'ИНН', type: 'Edm.String', length: 12, indexed: true },
    { name: 'КПП', type: 'Edm.String', length: 9 },
    { name: 'ДополнительнаяИнформация', type: 'Edm.String' },
    // Real UT metadata has no navigation property for Партнер_Key (onec-odata.md §1.4): `ref` is left out on purpose.
    { name: 'Партнер_Key', type: 'Edm.Guid', indexed: true },
    { name: 'ЮрФизЛицо', type: 'Edm.String', enumName: 'ЮрФизЛицо' },
  ],
  tabularSections: [contactInformation(true), additionalAttributes],
}

const contactPersons: EntitySetDef = {
  name: 'Catalog_КонтактныеЛицаПартнеров',
  kind: 'Catalog',
  key: ['Ref_Key'],
  properties: [
    // CodeLength 0, DescriptionLength 100, a single owner type Партнеры (onec-odata.md §7.4).
    ...catalogStandard({ description: 100, owner: 'Catalog_Партнеры' }),
    { name: 'ДатаРегистрацииСвязи', type: 'Edm.DateTime' },
    { name: 'ДатаПрекращенияСвязи', type: 'Edm.DateTime' },
    { name: 'Автор', type: 'Edm.String', composite: ['Catalog_Пользователи'] },
    { name: 'Комментарий', type: 'Edm.String' },
    { name: 'ДолжностьПоВизитке', type: 'Edm.String', length: 100 },
    { name: 'Пол', type: 'Edm.String', enumName: 'ПолФизическогоЛица' },
    { name: 'ДатаРождения', type: 'Edm.DateTime' },
  ],
  tabularSections: [contactInformation(false), additionalAttributes],
}

const contactKinds: EntitySetDef = {
  name: 'Catalog_ВидыКонтактнойИнформации',
  kind: 'Catalog',
  key: ['Ref_Key'],
  properties: [
    ...catalogStandard({ description: 100, hierarchical: true }),
    { name: 'Тип', type: 'Edm.String', enumName: 'ТипыКонтактнойИнформации' },
    { name: 'Используется', type: 'Edm.Boolean' },
    { name: 'ИмяПредопределенногоВида', type: 'Edm.String', length: 150 },
    { name: 'РеквизитДопУпорядочивания', type: 'Edm.Int64' },
  ],
  tabularSections: [],
}

const users: EntitySetDef = {
  name: 'Catalog_Пользователи',
  kind: 'Catalog',
  key: ['Ref_Key'],
  properties: [
    ...catalogStandard({ description: 100 }),
    { name: 'Недействителен', type: 'Edm.Boolean' },
    { name: 'Служебный', type: 'Edm.Boolean' },
    { name: 'ИдентификаторПользователяИБ', type: 'Edm.Guid' },
    { name: 'Комментарий', type: 'Edm.String' },
  ],
  tabularSections: [contactInformation(false)],
}

const interactionContacts = ['Catalog_Партнеры', 'Catalog_КонтактныеЛицаПартнеров', 'Catalog_Контрагенты', 'Catalog_Пользователи']

const phoneCallDocument: EntitySetDef = {
  name: 'Document_ТелефонныйЗвонок',
  kind: 'Document',
  key: ['Ref_Key'],
  properties: [
    guidKey,
    { name: 'DataVersion', type: 'Edm.String', readOnly: true },
    { name: 'DeletionMark', type: 'Edm.Boolean' },
    { name: 'Number', type: 'Edm.String', length: 11, indexed: true },
    { name: 'Date', type: 'Edm.DateTime', indexed: true },
    // Posting is "Deny" for this document; whether `Posted` is still served is uncertain (onec-odata.md §8).
    { name: 'Posted', type: 'Edm.Boolean', readOnly: true },
    { name: 'АбонентКакСвязаться', type: 'Edm.String', length: 100 },
    { name: 'АбонентКонтакт', type: 'Edm.String', composite: interactionContacts },
    { name: 'АбонентПредставление', type: 'Edm.String', length: 1024 },
    { name: 'Автор_Key', type: 'Edm.Guid', ref: 'Catalog_Пользователи' },
    { name: 'Важность', type: 'Edm.String', enumName: 'ВариантыВажностиВзаимодействия' },
    { name: 'Входящий', type: 'Edm.Boolean' },
    { name: 'Описание', type: 'Edm.String' },
    { name: 'Ответственный_Key', type: 'Edm.Guid', ref: 'Catalog_Пользователи' },
    { name: 'Тема', type: 'Edm.String', length: 1024 },
    { name: 'Комментарий', type: 'Edm.String' },
    { name: 'Рассмотрено', type: 'Edm.Boolean' },
    { name: 'ВзаимодействиеОснование', type: 'Edm.String', composite: ['Document_ТелефонныйЗвонок'] },
  ],
  tabularSections: [additionalAttributes],
}

/** The independent, non-periodic register the 1C administrator adds (issue 2, "The call journal register"). */
const callJournal: EntitySetDef = {
  name: 'InformationRegister_ЖурналЗвонков3CX',
  kind: 'InformationRegister',
  key: ['ИдентификаторЗвонка'],
  properties: [
    { name: 'ИдентификаторЗвонка', type: 'Edm.String', length: 64, nullable: false, indexed: true },
    { name: 'ДатаНачала', type: 'Edm.DateTime' },
    { name: 'ТипЗвонка', type: 'Edm.String', length: 20 },
    { name: 'Длительность', type: 'Edm.Int64' },
    { name: 'ВнешнийНомер', type: 'Edm.String', length: 32 },
    { name: 'ВнутреннийНомер', type: 'Edm.String', length: 16 },
    { name: 'Агент', type: 'Edm.String', length: 150 },
    { name: 'Контрагент', type: 'Edm.String', composite: ['Catalog_Партнеры', 'Catalog_Контрагенты', 'Catalog_КонтактныеЛицаПартнеров'] },
    { name: 'Очередь', type: 'Edm.String', length: 16 },
    { name: 'ДатаЗаписи', type: 'Edm.DateTime' },
  ],
  tabularSections: [],
}

export const ut11Schema: ConfigurationSchema = {
  name: 'УправлениеТорговлей',
  sets: [partners, counterparties, contactPersons, contactKinds, users, phoneCallDocument, callJournal],
  enums: [
    { name: 'ТипыКонтактнойИнформации', members: ['Адрес', 'АдресЭлектроннойПочты', 'ВебСтраница', 'Телефон', 'Факс', 'Skype', 'Другое'] },
    { name: 'КомпанияЧастноеЛицо', members: ['Компания', 'ЧастноеЛицо'] },
    { name: 'ЮридическоеФизическоеЛицо', members: ['ЮридическоеЛицо', 'ФизическоеЛицо'] },
    { name: 'ЮрФизЛицо', members: ['ЮрЛицо', 'ФизЛицо', 'ИндивидуальныйПредприниматель', 'ЮрЛицоНеРезидент'] },
    { name: 'ПолФизическогоЛица', members: ['Мужской', 'Женский'] },
    { name: 'ВариантыВажностиВзаимодействия', members: ['Высокая', 'Обычная', 'Низкая'] },
  ],
}
