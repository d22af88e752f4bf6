import type { BaseData } from './types.js'
import { BaseBuilder } from './builder.js'
import type { Owner } from './builder.js'
import { innOrganisation, innPerson, kpp } from './legal.js'
import { POSITIONS, STREETS, drawBrand, drawPerson, translit } from './names.js'
import type { Person } from './names.js'
import { THREE_DIGIT_AREAS, drawCity, drawNumber, drawStyle } from './phone-plan.js'
import type { BareNumber, City, NumberClass } from './phone-plan.js'
import type { PhoneSpec } from './phone-spec.js'
import { Random, WeightedTable } from './random.js'
import type { PhoneTruthRow } from './truth.js'
import { EMPTY_DATE, EMPTY_REF, drawDate, drawDateTime } from './values.js'

export interface GenerateOptions {
  /** Partners to create (folders not counted). About 3 phone rows come per partner. */
  partners: number
  /** Default 1. The same options always give byte-identical data. */
  seed?: number
  /** See RenderOptions.countryCodePlus: an uncertain BSP detail, default false (onec-odata.md §7.1). */
  countryCodePlus?: boolean
}

export interface GeneratedBase {
  base: BaseData
  /** One row per phone row of the base, in creation order (truth.ts). */
  truth: PhoneTruthRow[]
}

/** The domain of our own company, for the users' e-mail. */
const OWN_DOMAIN = 'td-primer.ru'
const PUBLIC_MAIL = ['mail.ru', 'yandex.ru', 'gmail.com', 'bk.ru', 'inbox.ru', 'list.ru']
const COMPANY_MAILBOXES = ['info', 'office', 'sales', 'zakaz', 'mail', 'secretary']
const LEGAL_FORMS = new WeightedTable<'ООО' | 'АО' | 'ИП'>([['ООО', 60], ['АО', 10], ['ИП', 30]])
const COMPANY_NUMBERS = new WeightedTable<NumberClass>([['ru-fixed', 66], ['ru-mobile', 28], ['kz', 4], ['foreign', 2]])
const PERSON_NUMBERS = new WeightedTable<NumberClass>([['ru-mobile', 85], ['ru-fixed', 12], ['kz', 2], ['foreign', 1]])
const CONTACTS_PER_COMPANY = new WeightedTable<number>([[0, 20], [1, 35], [2, 30], [3, 15]])
const FULL_FORM = { ООО: 'Общество с ограниченной ответственностью', АО: 'Акционерное общество' }

/** How often the generator makes the cases a phone lookup has to cope with. */
const RATES = {
  company: 0.75,
  partnerSecondPhone: 0.33,
  tollFree: 0.02,
  /** A partner's number that another partner already has. */
  sharedAcrossPartners: 0.015,
  /** A new fixed number whose last 7 digits equal an earlier one's, with another area code. */
  suffixCollision: 0.005,
  counterpartyPhone: 0.45,
  /** The counterparty lists its partner's office number. */
  counterpartyReusesPartner: 0.4,
  contactPhone: 0.9,
  contactSecondPhone: 0.3,
  /** A contact person lists its partner's number. */
  contactSharesPartner: 0.1,
  /** All contact persons of a partner list the office number (some with extensions). */
  officeNumberOnContacts: 0.05,
  partnerDeleted: 0.025,
  counterpartyDeleted: 0.02,
  contactDeleted: 0.04,
  extension: 0.08,
}

/** A ring of recent partner numbers to share and to collide with. */
class RecentNumbers {
  private readonly items: BareNumber[] = []
  private next = 0
  constructor (private readonly size: number) {}

  add (number: BareNumber): void {
    if (this.items.length < this.size) this.items.push(number)
    else this.items[this.next] = number
    this.next = (this.next + 1) % this.size
  }

  pick (random: Random): BareNumber | undefined {
    return this.items.length === 0 ? undefined : random.pick(this.items)
  }
}

interface Context {
  random: Random
  builder: BaseBuilder
  managers: string[]
  folders: { clients: string, suppliers: string, persons: string, archive: string }
  companyFolders: WeightedTable<string>
  recent: RecentNumbers
}

function sexOf (person: Person): 'Мужской' | 'Женский' {
  return person.male ? 'Мужской' : 'Женский'
}

function address (random: Random, city: City): { presentation: string, region: string, city: string } {
  const index = city.postcode + random.digits(6 - city.postcode.length)
  const office = random.chance(0.6) ? `, офис ${random.between(1, 450)}` : ''
  return {
    presentation: `${index}, ${city.name} г, ${random.pick(STREETS)}, дом № ${random.between(1, 120)}${office}`,
    region: city.region,
    city: city.name,
  }
}

/** A number of the given class, now and then one that collides with an earlier number on its last 7 digits. */
function freshNumber (ctx: Context, cls: NumberClass, city: City): BareNumber {
  if (cls === 'ru-fixed' && ctx.random.chance(RATES.suffixCollision)) {
    const earlier = ctx.recent.pick(ctx.random)
    if (earlier !== undefined && earlier.region === 'RU' && earlier.type === 'fixed' && earlier.local.length === 7) {
      let area = ctx.random.pick(THREE_DIGIT_AREAS)
      if (area === earlier.area) area = earlier.area === '495' ? '812' : '495'
      return { ...earlier, area }
    }
  }
  return drawNumber(ctx.random, cls, city)
}

function spec (ctx: Context, number: BareNumber, extChance = RATES.extension): PhoneSpec {
  return drawStyle(ctx.random, number, extChance)
}

function mobileKind<K extends string> (random: Random, number: BareNumber, plain: K, mobile: K): K {
  return number.type === 'mobile' && random.chance(0.5) ? mobile : plain
}

function addPartnerPhones (ctx: Context, partner: Owner, company: boolean, city: City): BareNumber {
  const { random, builder } = ctx
  const shared = random.chance(RATES.sharedAcrossPartners) ? ctx.recent.pick(random) : undefined
  const cls: NumberClass = company
    ? random.weighted(COMPANY_NUMBERS)
    : random.weighted(PERSON_NUMBERS)
  const main = shared ?? freshNumber(ctx, cls, city)
  builder.addPhone(partner, spec(ctx, main), mobileKind(random, main, 'ТелефонПартнера', 'МобильныйТелефонПартнера'))
  ctx.recent.add(main)
  if (random.chance(RATES.partnerSecondPhone)) {
    const second = drawNumber(random, company && random.chance(0.5) ? 'ru-fixed' : 'ru-mobile', city)
    builder.addPhone(partner, spec(ctx, second), mobileKind(random, second, 'ТелефонПартнера', 'МобильныйТелефонПартнера'))
  }
  if (company && random.chance(RATES.tollFree)) {
    builder.addPhone(partner, spec(ctx, drawNumber(random, 'toll-free', city)), 'ТелефонПартнера')
  }
  return main
}

function addCompany (ctx: Context): void {
  const { random, builder } = ctx
  const city = drawCity(random)
  const form = random.weighted(LEGAL_FORMS)
  const brand = drawBrand(random)
  const owner = form === 'ИП' ? drawPerson(random) : undefined
  const legalName = owner !== undefined ? `ИП ${owner.fullName}` : `${form} «${brand}»`
  const description = owner !== undefined || random.chance(0.5) ? legalName : random.chance(0.3) ? `${brand} (${city.name})` : brand
  const folder = random.weighted(ctx.companyFolders)
  const archived = folder === ctx.folders.archive
  const deleted = archived ? random.chance(0.5) : random.chance(RATES.partnerDeleted)
  const partner = builder.addPartner({
    description,
    fullName: owner !== undefined ? `Индивидуальный предприниматель ${owner.fullName}` : `${FULL_FORM[form === 'ИП' ? 'ООО' : form]} «${brand}»`,
    kind: 'Компания',
    parentKey: folder,
    client: folder !== ctx.folders.suppliers,
    supplier: folder === ctx.folders.suppliers || random.chance(0.1),
    managerKey: random.pick(ctx.managers),
    registered: drawDateTime(random, '2015-01-01', '2025-01-01'),
    sex: '',
    birthDate: EMPTY_DATE,
    comment: random.chance(0.1) ? 'Работает по предоплате' : '',
    deletionMark: deleted,
  })
  const domain = `${translit(brand)}${random.chance(0.8) ? '.ru' : '.com'}`
  const main = addPartnerPhones(ctx, partner, true, city)
  if (random.chance(0.6)) builder.addEmail(partner, `${random.pick(COMPANY_MAILBOXES)}@${domain}`, 'EmailПартнера')
  if (random.chance(0.2)) builder.addAddress(partner, address(random, city), 'ФактАдресПартнера')

  // A second counterparty is a branch (обособленное подразделение) of the first: same ИНН, its own КПП.
  const counterparties = owner !== undefined || random.chance(0.8) ? 1 : 2
  let headKey = EMPTY_REF
  let headInn = ''
  for (let i = 0; i < counterparties; i++) {
    const branch = i > 0
    const inn = branch ? headInn : owner !== undefined ? innPerson(random) : innOrganisation(random)
    const counterparty = builder.addCounterparty({
      description: branch ? `${legalName} (${city.name})` : legalName,
      fullName: String(partner.entity.НаименованиеПолное),
      partnerKey: partner.partnerKey,
      legal: owner !== undefined ? 'ИндивидуальныйПредприниматель' : 'ЮрЛицо',
      inn,
      kpp: owner !== undefined ? '' : branch ? inn.slice(0, 4) + '02001' : kpp(inn),
      headKey,
      deletionMark: deleted ? random.chance(0.5) : random.chance(RATES.counterpartyDeleted),
    })
    if (!branch) {
      headKey = String(counterparty.entity.Ref_Key)
      headInn = inn
    }
    if (random.chance(RATES.counterpartyPhone)) {
      const number = random.chance(RATES.counterpartyReusesPartner) ? main : drawNumber(random, 'ru-fixed', city)
      builder.addPhone(counterparty, spec(ctx, number), 'ТелефонКонтрагента')
    }
    if (random.chance(0.3)) builder.addEmail(counterparty, `buh@${domain}`, 'EmailКонтрагента')
    if (random.chance(0.5)) builder.addAddress(counterparty, address(random, city), 'ЮрАдресКонтрагента')
  }

  const contacts = random.weighted(CONTACTS_PER_COMPANY)
  const officeNumber = contacts >= 2 && random.chance(RATES.officeNumberOnContacts)
  for (let i = 0; i < contacts; i++) {
    const person = drawPerson(random)
    const gone = random.chance(RATES.contactDeleted)
    const contact = builder.addContactPerson({
      ownerKey: partner.partnerKey,
      description: person.fullName,
      position: random.pick(POSITIONS),
      sex: sexOf(person),
      birthDate: random.chance(0.3) ? drawDate(random, '1955-01-01', '2002-01-01') : EMPTY_DATE,
      authorKey: random.pick(ctx.managers),
      registered: drawDateTime(random, '2015-01-01', '2025-01-01'),
      ended: gone && random.chance(0.5) ? drawDateTime(random, '2023-01-01', '2025-06-01') : EMPTY_DATE,
      comment: '',
      deletionMark: gone,
    })
    if (officeNumber) {
      const extension = main.type === 'fixed' && main.region === 'RU' ? 0.5 : 0
      builder.addPhone(contact, spec(ctx, main, extension), 'ТелефонКонтактногоЛицаПартнера')
    } else if (random.chance(RATES.contactSharesPartner)) {
      builder.addPhone(contact, spec(ctx, main, 0), 'ТелефонКонтактногоЛицаПартнера')
    } else if (random.chance(RATES.contactPhone)) {
      const number = drawNumber(random, random.chance(0.75) ? 'ru-mobile' : 'ru-fixed', city)
      builder.addPhone(contact, spec(ctx, number), mobileKind(random, number, 'ТелефонКонтактногоЛицаПартнера', 'МобильныйТелефонКонтактногоЛица'))
    }
    if (random.chance(RATES.contactSecondPhone)) {
      builder.addPhone(contact, spec(ctx, drawNumber(random, 'ru-mobile', city)), 'МобильныйТелефонКонтактногоЛица')
    }
    if (random.chance(0.5)) builder.addEmail(contact, `${translit(person.name).charAt(0)}.${translit(person.surname)}@${domain}`, 'EmailКонтактногоЛица')
  }
}

function addPrivatePerson (ctx: Context): void {
  const { random, builder } = ctx
  const city = drawCity(random)
  const person = drawPerson(random)
  const partner = builder.addPartner({
    description: person.fullName,
    fullName: person.fullName,
    kind: 'ЧастноеЛицо',
    parentKey: random.chance(0.8) ? ctx.folders.persons : EMPTY_REF,
    client: true,
    supplier: false,
    managerKey: random.pick(ctx.managers),
    registered: drawDateTime(random, '2015-01-01', '2025-01-01'),
    sex: sexOf(person),
    birthDate: random.chance(0.5) ? drawDate(random, '1950-01-01', '2005-01-01') : EMPTY_DATE,
    comment: '',
    deletionMark: random.chance(RATES.partnerDeleted),
  })
  addPartnerPhones(ctx, partner, false, city)
  if (random.chance(0.4)) {
    const mailbox = `${translit(person.name)}.${translit(person.surname)}${random.chance(0.5) ? random.between(1, 99) : ''}`
    builder.addEmail(partner, `${mailbox}@${random.pick(PUBLIC_MAIL)}`, 'EmailПартнера')
  }
  if (random.chance(0.1)) builder.addAddress(partner, address(random, city), 'ФактАдресПартнера')
}

function addUsers (ctx: Context, partners: number): void {
  const { random, builder } = ctx
  builder.addUser({ description: 'Администратор', service: false, invalid: false, comment: '' })
  builder.addUser({ description: 'Обмен с сайтом', service: true, invalid: false, comment: 'Служебный пользователь для обмена' })
  const count = Math.min(60, Math.max(3, Math.round(partners / 400)))
  for (let i = 0; i < count; i++) {
    const person = drawPerson(random)
    const user = builder.addUser({ description: person.fullName, service: false, invalid: random.chance(0.05), comment: '' })
    ctx.managers.push(String(user.entity.Ref_Key))
    builder.addEmail(user, `${translit(person.surname)}@${OWN_DOMAIN}`, 'АдресЭлектроннойПочтыПользователя')
    if (random.chance(0.8)) {
      const internal: PhoneSpec = { region: '', country: '', area: '', local: String(101 + i), ext: '', type: 'internal', style: 'internal', variant: 0, comment: '' }
      builder.addPhone(user, internal, 'ТелефонПользователя')
    }
  }
}

/** A generated base still open for more records (the demo adds curated ones). */
export interface Generation {
  builder: BaseBuilder
  folders: { clients: string, suppliers: string, persons: string, archive: string }
  /** Ref_Key of each manager user, in creation order. */
  managers: string[]
}

/** Generates into a builder and hands it back, so callers can append records from the same PRNG stream. */
export function generateInto (opts: GenerateOptions & { collectTruth: boolean }): Generation {
  if (!Number.isInteger(opts.partners) || opts.partners < 0) throw new RangeError(`partners must be a non-negative integer, got ${opts.partners}`)
  const random = new Random(opts.seed ?? 1)
  const builder = new BaseBuilder(random, { collectTruth: opts.collectTruth, countryCodePlus: opts.countryCodePlus ?? false })
  const folders = {
    clients: builder.addPartnerFolder('Клиенты'),
    suppliers: builder.addPartnerFolder('Поставщики'),
    persons: builder.addPartnerFolder('Частные лица'),
    archive: builder.addPartnerFolder('Архив'),
  }
  const companyFolders = new WeightedTable([[folders.clients, 60], [folders.suppliers, 20], [EMPTY_REF, 15], [folders.archive, 5]])
  const ctx: Context = { random, builder, managers: [], folders, companyFolders, recent: new RecentNumbers(512) }
  addUsers(ctx, opts.partners)
  for (let i = 0; i < opts.partners; i++) {
    if (random.chance(RATES.company)) addCompany(ctx)
    else addPrivatePerson(ctx)
  }
  return { builder, folders, managers: ctx.managers }
}

/** A UT-shaped base with `opts.partners` partners; the emulator serves it as is. */
export function generateBase (opts: GenerateOptions): BaseData {
  return generateInto({ ...opts, collectTruth: false }).builder.result().base
}

/** The same base as generateBase for the same options, plus the truth of every phone row. */
export function generateBaseWithTruth (opts: GenerateOptions): GeneratedBase {
  return generateInto({ ...opts, collectTruth: true }).builder.result()
}
