import { WeightedTable } from './random.js'
import type { Random } from './random.js'
import type { PhoneSpec, PhoneStyle } from './phone-spec.js'

/**
 * Numbering facts the generator draws from (peers.md §3.1): RU and KZ share +7, the national significant
 * number is 10 digits, area codes are 3–5 digits, mobiles are 9xx, toll-free is 800; KZ is 7xx.
 */

/** 7-digit numbers typed without an area code are Moscow numbers here; their truth uses this code. */
export const LOCAL_AREA_CODE = '495'

export interface City {
  name: string
  region: string
  /** Area codes; the subscriber number has 10 − length digits. */
  areas: readonly string[]
  postcode: string
}

export const CITIES: readonly City[] = [
  { name: 'Москва', region: 'Москва', areas: ['495', '499'], postcode: '1' },
  { name: 'Санкт-Петербург', region: 'Санкт-Петербург', areas: ['812'], postcode: '19' },
  { name: 'Екатеринбург', region: 'Свердловская обл', areas: ['343'], postcode: '620' },
  { name: 'Новосибирск', region: 'Новосибирская обл', areas: ['383'], postcode: '630' },
  { name: 'Казань', region: 'Татарстан Респ', areas: ['843'], postcode: '420' },
  { name: 'Нижний Новгород', region: 'Нижегородская обл', areas: ['831'], postcode: '603' },
  { name: 'Самара', region: 'Самарская обл', areas: ['846'], postcode: '443' },
  { name: 'Ростов-на-Дону', region: 'Ростовская обл', areas: ['863'], postcode: '344' },
  { name: 'Уфа', region: 'Башкортостан Респ', areas: ['347'], postcode: '450' },
  { name: 'Красноярск', region: 'Красноярский край', areas: ['391'], postcode: '660' },
  { name: 'Пермь', region: 'Пермский край', areas: ['342'], postcode: '614' },
  { name: 'Воронеж', region: 'Воронежская обл', areas: ['473'], postcode: '394' },
  { name: 'Краснодар', region: 'Краснодарский край', areas: ['861'], postcode: '350' },
  { name: 'Челябинск', region: 'Челябинская обл', areas: ['351'], postcode: '454' },
  { name: 'Владивосток', region: 'Приморский край', areas: ['423'], postcode: '690' },
  { name: 'Омск', region: 'Омская обл', areas: ['3812'], postcode: '644' },
  { name: 'Волгоград', region: 'Волгоградская обл', areas: ['8442'], postcode: '400' },
  { name: 'Саратов', region: 'Саратовская обл', areas: ['8452'], postcode: '410' },
  { name: 'Тюмень', region: 'Тюменская обл', areas: ['3452'], postcode: '625' },
  { name: 'Ижевск', region: 'Удмуртская Респ', areas: ['3412'], postcode: '426' },
  { name: 'Барнаул', region: 'Алтайский край', areas: ['3852'], postcode: '656' },
  { name: 'Иркутск', region: 'Иркутская обл', areas: ['3952'], postcode: '664' },
  { name: 'Калининград', region: 'Калининградская обл', areas: ['4012'], postcode: '236' },
  { name: 'Улан-Удэ', region: 'Бурятия Респ', areas: ['3012'], postcode: '670' },
  { name: 'Киров', region: 'Кировская обл', areas: ['8332'], postcode: '610' },
  { name: 'Тула', region: 'Тульская обл', areas: ['4872'], postcode: '300' },
  { name: 'Ярославль', region: 'Ярославская обл', areas: ['4852'], postcode: '150' },
  { name: 'Серов', region: 'Свердловская обл', areas: ['34385'], postcode: '624' },
  { name: 'Сысерть', region: 'Свердловская обл', areas: ['34374'], postcode: '624' },
  { name: 'Берёзовский', region: 'Свердловская обл', areas: ['34369'], postcode: '623' },
]

/** Moscow and St Petersburg hold most customers of a typical UT base; the rest share the remainder. */
const CITY_WEIGHTS = new WeightedTable<City>(CITIES.map((city, i) => [city, i === 0 ? 35 : i === 1 ? 12 : 53 / (CITIES.length - 2)]))

/** Area codes with 7-digit subscriber numbers, used to build numbers that collide on their last 7 digits. */
export const THREE_DIGIT_AREAS: readonly string[] = ['495', '499', '812', '343', '383', '843', '831', '846', '863', '347']

const RU_MOBILE = [
  '900', '901', '902', '903', '904', '905', '906', '908', '909', '910', '911', '912', '913', '914', '915', '916',
  '917', '918', '919', '920', '921', '922', '923', '924', '925', '926', '927', '928', '929', '930', '931', '932',
  '950', '951', '952', '953', '958', '960', '961', '962', '963', '964', '965', '966', '967', '968', '977', '978',
  '980', '981', '982', '983', '985', '987', '988', '989', '991', '992', '993', '995', '996', '999',
]
const KZ_MOBILE = ['700', '701', '702', '705', '707', '708', '747', '771', '775', '776', '777', '778']
const KZ_FIXED = ['727', '7172', '7212', '7252']

interface ForeignPlan { region: string, country: string, areas: readonly string[], mobile: readonly string[] }
const FOREIGN: readonly ForeignPlan[] = [
  { region: 'BY', country: '375', areas: ['17'], mobile: ['29', '33', '44', '25'] },
  { region: 'UA', country: '380', areas: ['44'], mobile: ['50', '67', '97'] },
  { region: 'UZ', country: '998', areas: ['71'], mobile: ['90', '91', '93', '94'] },
  { region: 'DE', country: '49', areas: ['30', '40', '89'], mobile: [] },
]

export type NumberClass = 'ru-fixed' | 'ru-mobile' | 'kz' | 'foreign' | 'toll-free'

/** A number without a style yet. */
export type BareNumber = Pick<PhoneSpec, 'region' | 'country' | 'area' | 'local' | 'type'>

export function ruFixed (random: Random, city: City): BareNumber {
  const area = random.pick(city.areas)
  return { region: 'RU', country: '7', area, local: random.digits(10 - area.length, '23456'), type: 'fixed' }
}

export function drawCity (random: Random): City {
  return random.weighted(CITY_WEIGHTS)
}

export function drawNumber (random: Random, cls: NumberClass, city: City): BareNumber {
  switch (cls) {
    case 'ru-fixed': return ruFixed(random, city)
    case 'ru-mobile': return { region: 'RU', country: '7', area: random.pick(RU_MOBILE), local: random.digits(7), type: 'mobile' }
    case 'toll-free': return { region: 'RU', country: '7', area: '800', local: random.digits(7, '123456789'), type: 'toll-free' }
    case 'kz': {
      if (random.chance(0.6)) return { region: 'KZ', country: '7', area: random.pick(KZ_MOBILE), local: random.digits(7), type: 'mobile' }
      const area = random.pick(KZ_FIXED)
      return { region: 'KZ', country: '7', area, local: random.digits(10 - area.length, '2345'), type: 'fixed' }
    }
    case 'foreign': {
      const plan = random.pick(FOREIGN)
      const mobile = plan.mobile.length > 0 && random.chance(0.6)
      const area = mobile ? random.pick(plan.mobile) : random.pick(plan.areas)
      return { region: plan.region, country: plan.country, area, local: random.digits(7, '2345'), type: mobile ? 'mobile' : 'fixed' }
    }
  }
}

const RU_STYLES = new WeightedTable<PhoneStyle>([
  ['form', 34], ['text-intl', 8], ['text-national', 12], ['digits-8', 8], ['digits-7', 5], ['digits-10', 6],
  ['plus-digits', 3], ['local-text', 2], ['local-digits', 2], ['trailing-space', 3], ['import-raw', 3], ['presentation-only', 4],
])
const KZ_STYLES = new WeightedTable<PhoneStyle>([
  ['form', 50], ['text-intl', 20], ['digits-8', 10], ['plus-digits', 10], ['presentation-only', 10],
])
const FOREIGN_STYLES = new WeightedTable<PhoneStyle>([['form', 60], ['text-intl', 30], ['plus-digits', 10]])
const TOLL_FREE_STYLES = new WeightedTable<PhoneStyle>([['form', 30], ['text-national', 50], ['digits-8', 20]])

const COMMENTS = ['рабочий', 'бухгалтерия', 'склад', 'приёмная', 'после 14:00', 'отдел закупок', 'секретарь']

/** Styles that can carry an extension in what 1C stores. */
function takesExtension (style: PhoneStyle): boolean {
  return style === 'form' || style === 'text-intl' || style === 'text-national'
}

/**
 * Chooses how `number` was entered. Local styles only fit Moscow numbers (LOCAL_AREA_CODE); extensions
 * only fixed lines.
 */
export function drawStyle (random: Random, number: BareNumber, extChance: number): PhoneSpec {
  let style: PhoneStyle
  if (number.type === 'toll-free') style = random.weighted(TOLL_FREE_STYLES)
  else if (number.region === 'KZ') style = random.weighted(KZ_STYLES)
  else if (number.region !== 'RU') style = random.weighted(FOREIGN_STYLES)
  else style = random.weighted(RU_STYLES)
  if ((style === 'local-text' || style === 'local-digits') && number.area !== LOCAL_AREA_CODE) style = 'form'
  const variant = random.int(4)
  const ext = number.type === 'fixed' && takesExtension(style) && random.chance(extChance) ? random.digits(random.between(2, 4), '123456789') : ''
  const comment = style === 'form' && random.chance(0.04) ? random.pick(COMMENTS) : ''
  return { region: number.region, country: number.country, area: number.area, local: number.local, type: number.type, ext, style, variant, comment }
}
