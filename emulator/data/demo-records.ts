import type { AddressInput, CounterpartyInput } from './builder.js'
import type { KindId } from './kinds.js'
import { innOrganisationFrom, innPersonFrom, kpp } from './legal.js'
import type { NumberType, PhoneSpec, PhoneStyle } from './phone-spec.js'

/**
 * The curated records of the demo base: memorable names, each phone chosen to show one way a number is
 * stored in a real UT base. `shows` says what, for the demo README and for test writers.
 */

export interface DemoPhone {
  spec: PhoneSpec
  kind: KindId
  shows: string
}

export interface DemoContact {
  name: string
  position: string
  sex: 'Мужской' | 'Женский'
  deleted?: boolean
  phones: DemoPhone[]
  emails: string[]
}

export interface DemoCounterparty {
  description: string
  legal: CounterpartyInput['legal']
  inn: string
  deleted?: boolean
  phones: DemoPhone[]
  emails: string[]
}

export interface DemoPartner {
  description: string
  fullName: string
  kind: 'Компания' | 'ЧастноеЛицо'
  folder: 'clients' | 'suppliers' | 'persons' | 'archive'
  sex?: 'Мужской' | 'Женский'
  deleted?: boolean
  phones: DemoPhone[]
  emails: string[]
  address?: AddressInput
  counterparties: DemoCounterparty[]
  contacts: DemoContact[]
}

const FOREIGN_REGIONS: Record<string, string> = { 375: 'BY', 380: 'UA', 998: 'UZ', 49: 'DE' }
const KZ_MOBILE = ['700', '701', '702', '705', '707', '708', '747', '771', '775', '776', '777', '778']

function typeOf (country: string, area: string): { region: string, type: NumberType } {
  if (country !== '7') return { region: FOREIGN_REGIONS[country] ?? '', type: 'mobile' }
  if (area === '800') return { region: 'RU', type: 'toll-free' }
  if (area.startsWith('7')) return { region: 'KZ', type: KZ_MOBILE.includes(area) ? 'mobile' : 'fixed' }
  return { region: 'RU', type: area.startsWith('9') ? 'mobile' : 'fixed' }
}

interface PhoneOptions { ext?: string, variant?: number, comment?: string, kind?: KindId }

function phone (kind: KindId, style: PhoneStyle, country: string, area: string, local: string, shows: string, opts: PhoneOptions = {}): DemoPhone {
  return {
    spec: { ...typeOf(country, area), country, area, local, ext: opts.ext ?? '', style, variant: opts.variant ?? 0, comment: opts.comment ?? '' },
    kind: opts.kind ?? kind,
    shows,
  }
}

const partnerPhone = (style: PhoneStyle, country: string, area: string, local: string, shows: string, opts?: PhoneOptions): DemoPhone =>
  phone('ТелефонПартнера', style, country, area, local, shows, opts)
const contactPhone = (style: PhoneStyle, country: string, area: string, local: string, shows: string, opts?: PhoneOptions): DemoPhone =>
  phone('ТелефонКонтактногоЛицаПартнера', style, country, area, local, shows, opts)
const counterpartyPhone = (style: PhoneStyle, country: string, area: string, local: string, shows: string, opts?: PhoneOptions): DemoPhone =>
  phone('ТелефонКонтрагента', style, country, area, local, shows, opts)

function company (description: string, fullName: string, rest: Partial<DemoPartner>): DemoPartner {
  return { description, fullName, kind: 'Компания', folder: 'clients', phones: [], emails: [], counterparties: [], contacts: [], ...rest }
}

function llc (brand: string, inn: string, rest: Partial<DemoCounterparty> = {}): DemoCounterparty {
  return { description: `ООО «${brand}»`, legal: 'ЮрЛицо', inn, phones: [], emails: [], ...rest }
}

export const DEMO_PARTNERS: readonly DemoPartner[] = [
  company('ООО «Ромашка»', 'Общество с ограниченной ответственностью «Ромашка»', {
    phones: [
      partnerPhone('form', '7', '495', '1234567', 'The main demo number, entered in BSP\'s phone form'),
      partnerPhone('form', '7', '495', '1234569', 'Form entry with a comment, which BSP appends to the presentation', { comment: 'склад' }),
    ],
    emails: ['info@romashka.ru'],
    address: { presentation: '125009, Москва г, Тверская ул, дом № 7, офис 12', region: 'Москва', city: 'Москва' },
    counterparties: [llc('Ромашка', innOrganisationFrom('770112345'), {
      phones: [counterpartyPhone('text-national', '7', '495', '1234560', 'Typed as 8 (495) …: BSP takes 8 for the country code')],
      emails: ['buh@romashka.ru'],
    })],
    contacts: [
      {
        name: 'Петров Сергей Николаевич',
        position: 'Генеральный директор',
        sex: 'Мужской',
        phones: [
          contactPhone('form', '7', '495', '1234567', 'A contact person whose phone is also its partner\'s'),
          contactPhone('text-national', '7', '916', '1234567', 'A mobile typed as 8 (916) 123-45-67', { kind: 'МобильныйТелефонКонтактногоЛица' }),
        ],
        emails: ['s.petrov@romashka.ru'],
      },
      {
        name: 'Иванова Мария Петровна',
        position: 'Главный бухгалтер',
        sex: 'Женский',
        phones: [contactPhone('text-intl', '7', '495', '1234567', 'The office number with extension "доб. 123"', { ext: '123' })],
        emails: ['m.ivanova@romashka.ru'],
      },
      {
        name: 'Соколов Игорь Андреевич',
        position: 'Менеджер по закупкам',
        sex: 'Мужской',
        deleted: true,
        phones: [contactPhone('form', '7', '903', '7654321', 'A deletion-marked contact person: its phone row is still there')],
        emails: [],
      },
    ],
  }),
  company('АО «Василёк»', 'Акционерное общество «Василёк»', {
    phones: [partnerPhone('digits-8', '7', '495', '2223344', 'Digits without separators, starting with 8')],
    emails: ['office@vasilek.ru'],
    counterparties: [{ description: 'АО «Василёк»', legal: 'ЮрЛицо', inn: innOrganisationFrom('770498765'), phones: [], emails: [] }],
    contacts: [{
      name: 'Лебедева Ольга Игоревна',
      position: 'Офис-менеджер',
      sex: 'Женский',
      phones: [contactPhone('digits-7', '7', '495', '2223345', 'Digits without separators, starting with 7')],
      emails: ['o.lebedeva@vasilek.ru'],
    }],
  }),
  company('ООО «Колокольчик»', 'Общество с ограниченной ответственностью «Колокольчик»', {
    phones: [partnerPhone('local-text', '7', '495', '2345678', 'A 7-digit local number typed as 234-56-78 (Moscow, 495, by convention)')],
    counterparties: [llc('Колокольчик', innOrganisationFrom('770723456'))],
    contacts: [{
      name: 'Смирнов Олег Игоревич',
      position: 'Заведующий складом',
      sex: 'Мужской',
      phones: [contactPhone('local-digits', '7', '495', '2345679', 'A 7-digit local number typed as bare digits')],
      emails: [],
    }],
  }),
  {
    description: 'Кузнецова Анна Сергеевна',
    fullName: 'Кузнецова Анна Сергеевна',
    kind: 'ЧастноеЛицо',
    folder: 'persons',
    sex: 'Женский',
    phones: [partnerPhone('digits-10', '7', '916', '1112233', '10 digits without trunk or country code')],
    emails: ['anna.kuznetsova@mail.ru'],
    counterparties: [],
    contacts: [],
  },
  {
    description: 'Васильев Пётр Ильич',
    fullName: 'Васильев Пётр Ильич',
    kind: 'ЧастноеЛицо',
    folder: 'persons',
    sex: 'Мужской',
    phones: [partnerPhone('plus-digits', '7', '903', '1234567', '+7 and digits: BSP keeps it all as the country code, НомерТелефонаБезКодов is empty', { kind: 'МобильныйТелефонПартнера' })],
    emails: ['p.vasiliev@yandex.ru'],
    counterparties: [],
    contacts: [],
  },
  company('ООО «Одуванчик»', 'Общество с ограниченной ответственностью «Одуванчик»', {
    phones: [
      partnerPhone('trailing-space', '7', '812', '5551234', 'Trailing spaces kept in Представление', { variant: 2 }),
      partnerPhone('import-raw', '7', '812', '5551235', 'Written by an import: a trailing space inside НомерТелефона', { variant: 1 }),
    ],
    emails: ['info@oduvanchik.spb.ru'],
    counterparties: [llc('Одуванчик', innOrganisationFrom('781012345'))],
    contacts: [
      {
        name: 'Фёдоров Константин Павлович',
        position: 'Логист',
        sex: 'Мужской',
        phones: [contactPhone('form', '7', '812', '5551230', 'The office number with a form extension ", доб. 45"', { ext: '45' })],
        emails: ['k.fedorov@oduvanchik.spb.ru'],
      },
      {
        name: 'Беляева Дарья Сергеевна',
        position: 'Бухгалтер',
        sex: 'Женский',
        phones: [contactPhone('text-intl', '7', '812', '5551230', 'The same office number, extension typed after a comma', { ext: '46', variant: 1 })],
        emails: [],
      },
    ],
  }),
  company('ИП Морозов Дмитрий Андреевич', 'Индивидуальный предприниматель Морозов Дмитрий Андреевич', {
    phones: [partnerPhone('form', '7', '343', '2223344', 'One number on two partners (a family business)')],
    counterparties: [{ description: 'ИП Морозов Дмитрий Андреевич', legal: 'ИндивидуальныйПредприниматель', inn: innPersonFrom('6658123456'), phones: [], emails: [] }],
  }),
  {
    description: 'Морозова Елена Викторовна',
    fullName: 'Морозова Елена Викторовна',
    kind: 'ЧастноеЛицо',
    folder: 'persons',
    sex: 'Женский',
    phones: [partnerPhone('text-national', '7', '343', '2223344', 'The same number as ИП Морозов, typed as 8 (343) …')],
    emails: ['e.morozova@mail.ru'],
    counterparties: [],
    contacts: [],
  },
  company('ООО «Старый Клён»', 'Общество с ограниченной ответственностью «Старый Клён»', {
    folder: 'archive',
    deleted: true,
    phones: [partnerPhone('form', '7', '495', '9876543', 'A deletion-marked partner whose number now belongs to ООО «Новый Клён»')],
    counterparties: [llc('Старый Клён', innOrganisationFrom('772854321'), { deleted: true })],
  }),
  company('ООО «Новый Клён»', 'Общество с ограниченной ответственностью «Новый Клён»', {
    phones: [partnerPhone('text-national', '7', '495', '9876543', 'An active partner sharing its number with a deletion-marked one', { variant: 2 })],
    emails: ['hello@novyklen.ru'],
    counterparties: [llc('Новый Клён', innOrganisationFrom('772854322'))],
  }),
  company('ТОО «Алатау»', 'Товарищество с ограниченной ответственностью «Алатау»', {
    phones: [partnerPhone('form', '7', '727', '2501234', 'Kazakhstan (+7 7…): an Almaty fixed line')],
    emails: ['info@alatau.kz'],
    counterparties: [{ description: 'ТОО «Алатау»', legal: 'ЮрЛицоНеРезидент', inn: '', phones: [], emails: [] }],
    contacts: [
      {
        name: 'Нурланов Ерлан Серикович',
        position: 'Директор',
        sex: 'Мужской',
        phones: [contactPhone('form', '7', '701', '1234567', 'A Kazakhstan mobile, +7 (701) …')],
        emails: [],
      },
      {
        name: 'Ахметова Айгерим Болатовна',
        position: 'Менеджер по закупкам',
        sex: 'Женский',
        phones: [contactPhone('digits-8', '7', '701', '1234568', 'A Kazakhstan mobile typed as 8701…')],
        emails: ['a.akhmetova@alatau.kz'],
      },
    ],
  }),
  company('АО «Телеком-Сервис»', 'Акционерное общество «Телеком-Сервис»', {
    folder: 'suppliers',
    phones: [
      partnerPhone('text-national', '7', '800', '5553535', 'A toll-free 8-800 number', { variant: 1 }),
      partnerPhone('form', '7', '495', '6400000', 'The supplier\'s Moscow office'),
    ],
    emails: ['support@telecom-service.ru'],
    counterparties: [{ description: 'АО «Телеком-Сервис»', legal: 'ЮрЛицо', inn: innOrganisationFrom('770612121'), phones: [], emails: [] }],
  }),
  company('ООО «Невский Берег»', 'Общество с ограниченной ответственностью «Невский Берег»', {
    phones: [partnerPhone('form', '7', '812', '1234567', 'The same last 7 digits as ООО «Ромашка», another area code')],
    counterparties: [llc('Невский Берег', innOrganisationFrom('784112233'))],
  }),
  company('ЧУП «Белтрейд»', 'Частное унитарное предприятие «Белтрейд»', {
    folder: 'suppliers',
    phones: [partnerPhone('form', '375', '29', '1234567', 'A Belarus mobile, +375')],
    counterparties: [{ description: 'ЧУП «Белтрейд»', legal: 'ЮрЛицоНеРезидент', inn: '', phones: [], emails: [] }],
  }),
  company('ООО «Ташкент Текстиль»', 'Общество с ограниченной ответственностью «Ташкент Текстиль»', {
    folder: 'suppliers',
    phones: [partnerPhone('text-intl', '998', '90', '1234567', 'An Uzbekistan mobile, +998, typed as text')],
    counterparties: [{ description: 'ООО «Ташкент Текстиль»', legal: 'ЮрЛицоНеРезидент', inn: '', phones: [], emails: [] }],
  }),
  company('ООО «Импорт-Старт»', 'Общество с ограниченной ответственностью «Импорт-Старт»', {
    phones: [
      partnerPhone('presentation-only', '7', '495', '1112233', 'Imported with only Представление: НомерТелефона is empty'),
      partnerPhone('import-raw', '7', '495', '1112234', 'Imported into the columns with "+" and "-" removed, brackets kept', { variant: 2 }),
    ],
    counterparties: [llc('Импорт-Старт', innOrganisationFrom('770334455'))],
  }),
]

/** The КПП a demo counterparty gets: none for an ИП or a non-resident. */
export function demoKpp (counterparty: DemoCounterparty): string {
  return counterparty.legal === 'ЮрЛицо' ? kpp(counterparty.inn) : ''
}
