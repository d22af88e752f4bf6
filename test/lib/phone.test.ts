import t from 'tap'
import {
  bspPhoneFields,
  formatPhoneForPeople,
  indexSearchFragments,
  maskPhone,
  onecSearchSuffixes,
  parsePhone,
  phoneKey,
  phoneSearchDigits,
  storedPhoneKeys,
} from '../../lib/phone.js'
import type { PhoneOptions } from '../../lib/phone.js'

const RU: PhoneOptions = { defaultCountry: 'RU' }
const RU495: PhoneOptions = { defaultCountry: 'RU', defaultAreaCode: '495' }

interface FormatCase {
  /** Where the form is seen: what 3CX sends, or what a 1C column holds. */
  from: '3cx' | '1c'
  raw: string
  key: string
  extension?: string
  opts?: PhoneOptions
}

// Real-world forms, both directions. Every one must land on the same E.164 key.
const FORMATS: FormatCase[] = [
  { from: '3cx', raw: '+74951234567', key: '+74951234567' },
  { from: '3cx', raw: '+7 495 123-45-67', key: '+74951234567' },
  { from: '3cx', raw: '84951234567', key: '+74951234567' },
  { from: '3cx', raw: '74951234567', key: '+74951234567' },
  { from: '3cx', raw: '4951234567', key: '+74951234567' },
  { from: '3cx', raw: ' 74951234567', key: '+74951234567' }, // `+` lost in an unencoded URL
  { from: '3cx', raw: ' 79161234567', key: '+79161234567' },
  { from: '3cx', raw: '0074951234567', key: '+74951234567' },
  { from: '3cx', raw: '00 375 29 123 45 67', key: '+375291234567' },
  { from: '3cx', raw: '81074951234567', key: '+74951234567' },
  { from: '3cx', raw: '8 10 375 29 123 45 67', key: '+375291234567' },
  { from: '3cx', raw: 'tel:+74951234567', key: '+74951234567' },
  { from: '3cx', raw: 'tel:+74951234567;ext=12', key: '+74951234567', extension: '12' },
  { from: '3cx', raw: 'sip:+74951234567@pbx.example;user=phone', key: '+74951234567' },
  { from: '3cx', raw: '8 (916) 123-45-67', key: '+79161234567' },
  { from: '3cx', raw: '89161234567', key: '+79161234567' },
  { from: '3cx', raw: '79161234567', key: '+79161234567' },
  { from: '3cx', raw: '9161234567', key: '+79161234567' },
  { from: '3cx', raw: '+79161234567', key: '+79161234567' },
  { from: '3cx', raw: '(+7) 916 123 45 67', key: '+79161234567' },
  { from: '3cx', raw: '1234567', key: '+74951234567', opts: RU495 },
  { from: '3cx', raw: '123-45-67', key: '+74951234567', opts: RU495 },
  { from: '3cx', raw: '+7 916 123-45-67 доб. 123', key: '+79161234567', extension: '123' },
  { from: '3cx', raw: '+7 916 123-45-67 доб 123', key: '+79161234567', extension: '123' },
  { from: '3cx', raw: '+7 916 123-45-67 ext 123', key: '+79161234567', extension: '123' },
  { from: '3cx', raw: '+7 916 123-45-67 ext. 123', key: '+79161234567', extension: '123' },
  { from: '3cx', raw: '+7 916 123-45-67 EXT. 123', key: '+79161234567', extension: '123' },
  { from: '3cx', raw: '+79161234567x123', key: '+79161234567', extension: '123' },
  { from: '3cx', raw: '+79161234567 x 123', key: '+79161234567', extension: '123' },
  { from: '3cx', raw: '+79161234567#123', key: '+79161234567', extension: '123' },
  { from: '3cx', raw: '+7(916)1234567,123', key: '+79161234567', extension: '123' },
  { from: '3cx', raw: '+77011234567', key: '+77011234567' },
  { from: '3cx', raw: '87011234567', key: '+77011234567' },
  { from: '3cx', raw: '+375291234567', key: '+375291234567' },
  { from: '3cx', raw: '+380 50 123 4567', key: '+380501234567' },
  { from: '3cx', raw: '+998 90 123-45-67', key: '+998901234567' },
  { from: '3cx', raw: '+49 30 1234567', key: '+49301234567' },
  { from: '3cx', raw: '+49 1512 3456789', key: '+4915123456789' },
  { from: '3cx', raw: '8 800 555 35 35', key: '+78005553535' },
  { from: '3cx', raw: '8(3012)12-34-56', key: '+73012123456' },
  { from: '3cx', raw: '+7 940 123 45 67', key: '+79401234567' },
  { from: '1c', raw: '74951234567', key: '+74951234567' },
  { from: '1c', raw: '84951234567', key: '+74951234567' },
  { from: '1c', raw: '89161234567', key: '+79161234567' },
  { from: '1c', raw: '9161234567', key: '+79161234567' },
  { from: '1c', raw: '1234567', key: '+74951234567', opts: RU495 },
  { from: '1c', raw: '+7 (495) 123-45-67', key: '+74951234567' },
  { from: '1c', raw: '8 (495) 123-45-67', key: '+74951234567' },
  { from: '1c', raw: '+7 (495) 123-45-67 доб. 123', key: '+74951234567', extension: '123' },
  { from: '1c', raw: '+7 (495) 123-45-67, доб. 123', key: '+74951234567', extension: '123' },
  { from: '1c', raw: '+7 (495) 123-45-67\nдоб. 123', key: '+74951234567', extension: '123' },
  { from: '1c', raw: '+7 (916) 123-45-67 (доб. 55)', key: '+79161234567', extension: '55' },
  { from: '1c', raw: '84951234567   ', key: '+74951234567' },
  { from: '1c', raw: '+7 (495) 123-45-67 ', key: '+74951234567' },
  { from: '1c', raw: '+7 495 111-11-11, +7 916 222-22-22', key: '+74951111111' },
  { from: '1c', raw: '+7 (495) 123-45-67, секретарь', key: '+74951234567' },
  { from: '1c', raw: '+7 (495) 123-45-67, доб. 123, секретарь', key: '+74951234567', extension: '123' },
  { from: '1c', raw: '375291234567', key: '+375291234567' }, // BSP НомерТелефона of a foreign number
  { from: '1c', raw: '+7 (7172) 12-34-56', key: '+77172123456' },
  { from: '1c', raw: '+7\u00a0495\u00a0123\u201145\u201167', key: '+74951234567' }, // no-break spaces, non-breaking hyphens
]

t.test('real-world formats from 3CX and from 1C meet on one E.164 key', async t => {
  t.ok(FORMATS.length >= 40)
  for (const c of FORMATS) {
    const parsed = parsePhone(c.raw, c.opts ?? RU)
    t.match(parsed, { kind: 'number', e164: c.key, extension: c.extension }, `${c.from}: ${JSON.stringify(c.raw)}`)
    t.equal(phoneKey(c.raw, c.opts ?? RU), c.key, `key of ${JSON.stringify(c.raw)}`)
  }
})

t.test('the extension is kept apart and never becomes part of the key', async t => {
  const parsed = parsePhone('+7 (916) 123-45-67 доб. 123', RU)
  t.same(parsed, { kind: 'number', e164: '+79161234567', country: 'RU', nationalNumber: '9161234567', extension: '123' })
  t.equal(phoneKey('+7 (916) 123-45-67 доб. 123', RU), phoneKey('+7 (916) 123-45-67', RU))
  t.same(parsePhone('+74951234567', RU), { kind: 'number', e164: '+74951234567', country: 'RU', nationalNumber: '4951234567', extension: undefined })
})

t.test('several numbers in one Представление: the first counts, as BSP cuts at the comma', async t => {
  t.same(parsePhone('+7 495 111-11-11, +7 916 222-22-22', RU), {
    kind: 'number', e164: '+74951111111', country: 'RU', nationalNumber: '4951111111', extension: undefined,
  })
  t.match(parsePhone('+7 495 111-11-11, 22', RU), { e164: '+74951111111', extension: '22' })
  t.match(parsePhone('+7 495 111-11-11, 2222222', RU), { e164: '+74951111111', extension: undefined })
})

t.test('withheld, empty, internal and impossible inputs are told apart', async t => {
  for (const raw of ['Anonymous', 'anonymous', 'ANONYMOUS', 'Withheld', 'Private', 'unknown', 'Unavailable', 'restricted',
    'Скрыт', 'Скрытый номер', 'Номер скрыт', 'Неизвестный', 'sip:anonymous@anonymous.invalid', '"Anonymous" <sip:anonymous@anonymous.invalid>']) {
    t.same(parsePhone(raw, RU), { kind: 'anonymous' }, raw)
  }
  for (const raw of ['', '   ', '\t\n', null, undefined]) {
    t.same(parsePhone(raw, RU), { kind: 'empty' }, JSON.stringify(raw))
  }
  for (const [raw, digits] of [['101', '101'], ['sip:101@pbx', '101'], ['"Reception" <sip:102@pbx.example>', '102'],
    ['12-34', '1234'], ['100500', '100500'], [' 101', '101']] as const) {
    t.same(parsePhone(raw, RU), { kind: 'internal', digits }, raw)
  }
  for (const raw of ['abc', '+7 6xx', 'Иванов', '+7 916 ABC 45 67', 'sip:reception@pbx', '+7 916 123 45 67 +1', '---', '()',
    '+7999123456', '+79161234567890', '+999123456789', '0000000000', '+70000000000', '88888888888']) {
    t.equal(parsePhone(raw, RU).kind, 'invalid', raw)
    t.equal(phoneKey(raw, RU), undefined, raw)
  }
  t.same(parsePhone('anonymous@anonymous.invalid', RU), { kind: 'anonymous' })
  t.same(parsePhone('101@pbx.example', RU), { kind: 'internal', digits: '101' })
  t.same(parsePhone('sips:103;transport=tls', RU), { kind: 'internal', digits: '103' })
  t.match(parsePhone('abc', RU), { reason: 'letters' })
  t.match(parsePhone('+7999123456', RU), { reason: 'too short' })
  t.match(parsePhone('+999123456789', RU), { reason: 'unknown country code' })
  t.match(parsePhone('+7 916 123 45 67 +1', RU), { reason: 'misplaced plus' })
})

t.test('long hostile input is refused without getting stuck', async t => {
  const spaces = ' '.repeat(100000)
  for (const raw of [`(${spaces}x`, `"a"${spaces}x`, `+7 916${spaces}y${spaces}1`, `1${spaces}доб${spaces}x`, `1 x${spaces}1${spaces}a`]) {
    t.equal(parsePhone(raw, RU).kind, 'invalid')
    t.equal(maskPhone(raw), '<not a number>')
  }
  t.equal(phoneSearchDigits(`1${spaces}x`), undefined)
})

t.test('a 7-digit local number needs DEFAULT_AREA_CODE; without it it is invalid, not internal', async t => {
  t.same(parsePhone('1234567', RU), { kind: 'invalid', reason: 'local number without area code' })
  t.equal(phoneKey('234-56-78', RU), undefined)
  t.equal(phoneKey('234-56-78', RU495), '+74952345678')
  t.equal(parsePhone('12345678', RU495).kind, 'invalid')
})

t.test('internalMaxDigits moves the line between extensions and numbers', async t => {
  t.same(parsePhone('1234', { defaultCountry: 'RU', internalMaxDigits: 4 }), { kind: 'internal', digits: '1234' })
  t.equal(parsePhone('12345', { defaultCountry: 'RU', internalMaxDigits: 4 }).kind, 'invalid')
  t.same(parsePhone('123456', RU), { kind: 'internal', digits: '123456' })
  t.same(parsePhone('123456', { defaultCountry: 'RU', defaultAreaCode: '3012', internalMaxDigits: 5 }),
    { kind: 'number', e164: '+73012123456', country: 'RU', nationalNumber: '3012123456', extension: undefined })
})

t.test('a default country libphonenumber does not know leaves only international numbers', async t => {
  const XX: PhoneOptions = { defaultCountry: 'XX' }
  t.same(parsePhone('84951234567', XX), { kind: 'invalid', reason: 'unknown default country' })
  t.equal(phoneKey('+74951234567', XX), '+74951234567')
  t.equal(phoneKey('0074951234567', XX), '+74951234567')
})

t.test('00 is an international prefix even where libphonenumber does not read it so', async t => {
  t.equal(phoneKey('0074951234567', RU), '+74951234567')
  t.equal(phoneKey('00 49 30 1234567', RU), '+49301234567')
})

t.test('Kazakhstan shares +7 and is never confused with Russia', async t => {
  for (const raw of ['+77011234567', '87011234567', '77011234567', '7011234567', '+7 (701) 123-45-67', ' 77011234567']) {
    t.match(parsePhone(raw, RU), { kind: 'number', e164: '+77011234567', country: 'KZ', nationalNumber: '7011234567' }, raw)
  }
  t.match(parsePhone('+77172123456', RU), { country: 'KZ' })
  // A bare 10-digit 7… that is no valid Kazakh number is most likely a Russian number missing a digit.
  t.match(parsePhone('7916123456', RU), { kind: 'invalid' })
  t.equal(phoneKey('7916123456', RU), undefined)
  t.equal(phoneKey('7916123456', RU495), undefined)
  // With its trunk prefix or country code the length is complete.
  t.equal(phoneKey('87916123456', RU), '+77916123456')
  t.not(phoneKey('9161234567', RU), phoneKey('7011234567', RU))
  t.equal(phoneKey('9161234567', { defaultCountry: 'KZ' }), '+79161234567')
  t.equal(phoneKey('87011234567', { defaultCountry: 'KZ' }), '+77011234567')
})

t.test('Belarus, Ukraine, Uzbekistan and Germany in international form', async t => {
  t.match(parsePhone('+375 29 123-45-67', RU), { e164: '+375291234567', country: 'BY', nationalNumber: '291234567' })
  t.match(parsePhone('+380 50 123 4567', RU), { e164: '+380501234567', country: 'UA', nationalNumber: '501234567' })
  t.match(parsePhone('+998 90 123 45 67', RU), { e164: '+998901234567', country: 'UZ', nationalNumber: '901234567' })
  t.match(parsePhone('+49 30 1234567', RU), { e164: '+49301234567', country: 'DE', nationalNumber: '301234567' })
  // National forms follow the default country.
  t.equal(phoneKey('80291234567', { defaultCountry: 'BY' }), '+375291234567')
  t.equal(phoneKey('0501234567', { defaultCountry: 'UA' }), '+380501234567')
})

t.test('possible but not yet valid ranges are keys; impossible lengths are not', async t => {
  t.same(parsePhone('+76012345678', RU), { kind: 'number', e164: '+76012345678', country: undefined, nationalNumber: '6012345678', extension: undefined })
  t.equal(phoneKey('6012345678', RU), '+76012345678')
  t.equal(phoneKey('86012345678', RU), '+76012345678')
  t.equal(phoneKey('76012345678', RU), '+76012345678')
  t.equal(phoneKey('+882123456789', RU), '+882123456789')
  t.match(parsePhone('+7601234567', RU), { kind: 'invalid', reason: 'too short' })
  t.match(parsePhone('+760123456789', RU), { kind: 'invalid' })
})

t.test('the plain-digits fast path answers exactly like the full parser', async t => {
  let seed = 12345
  const next = (): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed }
  for (let i = 0; i < 300; i++) {
    const national = `9${next() % 10}${String(next() % 100000000).padStart(8, '0')}`
    // Formatted text never takes the fast path.
    const formatted = parsePhone(`+7 (${national.slice(0, 3)}) ${national.slice(3, 6)}-${national.slice(6, 8)}-${national.slice(8)}`, RU)
    for (const raw of [national, `8${national}`, `7${national}`, `+7${national}`, ` 7${national}`]) {
      t.same(parsePhone(raw, RU), formatted, raw)
    }
    t.same(parsePhone(`+7${national}`, { defaultCountry: 'DE' }), formatted)
  }
  // Without +7, digits are national only for a +7 default country.
  t.equal(phoneKey('89161234567', { defaultCountry: 'DE' }), phoneKey('089161234567', { defaultCountry: 'DE' }))
  t.not(phoneKey('89161234567', { defaultCountry: 'DE' }), '+79161234567')
})

t.test('storedPhoneKeys reads a 1C contact-information row', async t => {
  t.same(storedPhoneKeys({ НомерТелефона: '74951234567', НомерТелефонаБезКодов: '1234567', Представление: '+7 (495) 123-45-67' }, RU495), ['+74951234567'])
  t.same(storedPhoneKeys({ НомерТелефона: '89161234567', НомерТелефонаБезКодов: '89161234567', Представление: '89161234567' }, RU), ['+79161234567'])
  t.same(storedPhoneKeys({ Представление: '+7 (916) 123-45-67 доб. 5' }, RU), ['+79161234567'])
  t.same(storedPhoneKeys({ НомерТелефона: '84951234567  ', Представление: null }, RU), ['+74951234567'])
  // The two columns disagree: both numbers are keys, НомерТелефона first.
  t.same(storedPhoneKeys({ НомерТелефона: '74951234567', Представление: '+7 (916) 123-45-67' }, RU), ['+74951234567', '+79161234567'])
  // БезКодов only when the others give nothing: its 7 digits with the default area code would otherwise
  // invent a Moscow number for a row of another city.
  t.same(storedPhoneKeys({ НомерТелефона: '73431234567', НомерТелефонаБезКодов: '1234567', Представление: '+7 (343) 123-45-67' }, RU495), ['+73431234567'])
  t.same(storedPhoneKeys({ НомерТелефона: '', НомерТелефонаБезКодов: '1234567', Представление: 'звонить секретарю' }, RU495), ['+74951234567'])
  t.same(storedPhoneKeys({ НомерТелефонаБезКодов: '1234567' }, RU), [])
  t.same(storedPhoneKeys({ НомерТелефонаБезКодов: '9161234567' }, RU), ['+79161234567'])
  t.same(storedPhoneKeys({}, RU), [])
  t.same(storedPhoneKeys({ НомерТелефона: null, НомерТелефонаБезКодов: null, Представление: null }, RU), [])
  t.same(storedPhoneKeys({ Представление: '+7 495 111-11-11, +7 916 222-22-22', НомерТелефона: '74951111111' }, RU), ['+74951111111'])
  // A leading space in a stored value is sloppy entry, not a lost `+` (which would make +8… out of it).
  t.same(storedPhoneKeys({ НомерТелефона: ' 84951234567' }, RU), ['+74951234567'])
  t.same(storedPhoneKeys({ НомерТелефона: '101', Представление: 'Anonymous' }, RU), [])
})

t.test('bspPhoneFields writes what BSP writes, and reads back to the same key', async t => {
  t.same(bspPhoneFields('+74951234567'), {
    Представление: '+7 (495) 123-45-67',
    НомерТелефона: '74951234567',
    НомерТелефонаБезКодов: '1234567',
    Значение: '{"version":4,"value":"+7 (495) 123-45-67","type":"Телефон","countryCode":"7","areaCode":"495","number":"123-45-67"}',
  })
  const withExt = bspPhoneFields('+79161234567', '123')
  t.equal(withExt.Представление, '+7 (916) 123-45-67, доб. 123')
  t.equal(withExt.НомерТелефона, '79161234567')
  t.same(JSON.parse(withExt.Значение), {
    version: 4, value: '+7 (916) 123-45-67, доб. 123', type: 'Телефон', countryCode: '7', areaCode: '916', number: '123-45-67', extNumber: '123',
  })
  t.match(bspPhoneFields('+77172123456'), { Представление: '+7 (7172) 12-34-56', НомерТелефона: '77172123456', НомерТелефонаБезКодов: '123456' })
  t.match(bspPhoneFields('+375291234567'), { Представление: '+375 (29) 123-45-67', НомерТелефона: '375291234567', НомерТелефонаБезКодов: '1234567' })

  const keys = ['+74951234567', '+79161234567', '+78005553535', '+73012123456', '+77011234567', '+77172123456', '+375291234567',
    '+380501234567', '+998901234567', '+49301234567', '+4930123456', '+4915123456789', '+12025550101', '+442079460958',
    '+76012345678', '+882123456789']
  for (const k of keys) {
    for (const opts of [RU, RU495, { defaultCountry: 'DE' }]) {
      t.same(storedPhoneKeys(bspPhoneFields(k), opts), [k], `${k} ${opts.defaultCountry}`)
      t.same(storedPhoneKeys(bspPhoneFields(k, '42'), opts), [k], `${k} with extension`)
    }
    t.match(parsePhone(bspPhoneFields(k, '42').Представление, RU), { e164: k, extension: '42' })
  }
})

t.test('formatPhoneForPeople', async t => {
  t.equal(formatPhoneForPeople('+74951234567'), '+7 (495) 123-45-67')
  t.equal(formatPhoneForPeople('+79161234567', '123'), '+7 (916) 123-45-67 доб. 123')
  t.equal(formatPhoneForPeople('+79161234567', ''), '+7 (916) 123-45-67')
  t.equal(formatPhoneForPeople('+78005553535'), '+7 (800) 555-35-35')
  t.equal(formatPhoneForPeople('+77011234567'), '+7 (701) 123-45-67')
  t.equal(formatPhoneForPeople('+77172123456'), '+7 (7172) 12-34-56')
  t.equal(formatPhoneForPeople('+76012345678'), '+7 (601) 234-56-78')
  t.equal(formatPhoneForPeople('+375291234567'), '+375 (29) 123-45-67')
  t.equal(formatPhoneForPeople('+998901234567'), '+998 (90) 123-45-67')
  t.equal(formatPhoneForPeople('+49301234567'), '+49 (30) 1234567')
  t.equal(formatPhoneForPeople('+12025550101'), '+1 (202) 555-0101')
  t.equal(formatPhoneForPeople('+882123456789'), '+882 123456789')
  t.equal(formatPhoneForPeople('not a number'), 'not a number')
  for (const k of ['+74951234567', '+77172123456', '+375291234567', '+49301234567', '+12025550101']) {
    t.equal(phoneKey(formatPhoneForPeople(k, '7'), RU), k)
  }
})

t.test('onecSearchSuffixes', async t => {
  t.same(onecSearchSuffixes('+74951234567'), { national: '4951234567', last7: '1234567' })
  t.same(onecSearchSuffixes('+79161234567'), { national: '9161234567', last7: '1234567' })
  t.same(onecSearchSuffixes('+77011234567'), { national: '7011234567', last7: '1234567' })
  t.same(onecSearchSuffixes('+375291234567'), { national: '291234567', last7: '1234567' })
  t.same(onecSearchSuffixes('+4930123456'), { national: '30123456', last7: '0123456' })
  // Every stored form of the number ends with the national number.
  const { national } = onecSearchSuffixes('+74951234567')
  for (const stored of ['74951234567', '84951234567', '4951234567']) t.ok(stored.endsWith(national), stored)
})

t.test('maskPhone hides all but the last 4 digits', async t => {
  t.equal(maskPhone('+74951234567'), '+7******4567')
  t.equal(maskPhone('+375291234567'), '+375*****4567')
  t.equal(maskPhone('84951234567'), '*******4567')
  t.equal(maskPhone(' 74951234567'), '+7******4567')
  t.equal(maskPhone('+7 (916) 123-45-67 доб. 123'), '+7******4567')
  t.equal(maskPhone('sip:+74951234567@pbx'), '+7******4567')
  t.equal(maskPhone('+999123456789'), '+********6789')
  t.equal(maskPhone('101'), '101')
  t.equal(maskPhone('Anonymous'), '<anonymous>')
  t.equal(maskPhone('Иванов Иван'), '<not a number>')
  t.equal(maskPhone('drop table 1234567'), '<not a number>')
  t.equal(maskPhone(''), '<empty>')
  t.equal(maskPhone(null), '<empty>')
  t.equal(maskPhone(undefined), '<empty>')
  for (const raw of ['+74951234567', '84951234567', '+7 (916) 123-45-67', '+380501234567']) {
    const masked = maskPhone(raw)
    t.notOk(masked.includes('123456'), masked)
    t.ok(masked.endsWith(raw.replace(/\D/g, '').slice(-4)), masked)
  }
})

t.test('phoneSearchDigits', async t => {
  t.equal(phoneSearchDigits('495 123'), '495123')
  t.equal(phoneSearchDigits('  495-123  '), '495123')
  // The +7 / trunk 8 prefix is dropped: 1C holds the number as 7…, 8… or bare.
  t.equal(phoneSearchDigits('+7 (916) 12'), '91612')
  t.equal(phoneSearchDigits('8 (916) 12'), '91612')
  t.equal(phoneSearchDigits('89161234567'), '9161234567')
  t.equal(phoneSearchDigits('79161234567'), '9161234567')
  for (const stored of ['79161234567', '89161234567', '9161234567']) t.ok(stored.includes(phoneSearchDigits('+7 (916) 12') ?? '-'), stored)
  t.equal(phoneSearchDigits('(+7) 916 12'), '91612')
  t.equal(phoneSearchDigits('+375 29 12'), '3752912')
  t.equal(phoneSearchDigits('+7 916 12 +3'), undefined)
  t.equal(phoneSearchDigits('916 12'), '91612')
  t.equal(phoneSearchDigits('1234'), undefined)
  t.equal(phoneSearchDigits('+7 91'), undefined)
  t.equal(phoneSearchDigits('1234', 4), '1234')
  t.equal(phoneSearchDigits('Иванов'), undefined)
  t.equal(phoneSearchDigits('ООО Ромашка 2'), undefined)
  t.equal(phoneSearchDigits('ivan@example.ru'), undefined)
  t.equal(phoneSearchDigits(''), undefined)
  t.equal(phoneSearchDigits('1234567890123456'), undefined)
})

t.test('indexSearchFragments: a fragment typed with the trunk prefix is also looked for with the country code', async t => {
  t.same(indexSearchFragments('8916123', 'RU'), ['8916123', '7916123'])
  t.same(indexSearchFragments('916123', 'RU'), ['916123'])
  t.same(indexSearchFragments('02079', 'GB'), ['02079', '442079'])
  t.same(indexSearchFragments('1212555', 'US'), ['1212555'], 'the US trunk 1 is its country code')
  t.same(indexSearchFragments('8916123', 'XX'), ['8916123'], 'a country the library does not know: as typed')
})
