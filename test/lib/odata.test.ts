import t from 'tap'
import { and, any, cast, endswith, eq, field, guid, like, not, or, str, substringof, datetime, num } from '../../lib/odata/filter.js'
import { likeContains, likeLiteralPart } from '../../lib/odata/like.js'
import { datetimeLiteral, guidLiteral, MAX_STRING_LITERAL, ODataLiteralError, stringLiteral } from '../../lib/odata/literals.js'
import { entityPath, listQueryString } from '../../lib/odata/query.js'

t.test('string literals double single quotes and never end early (onec-odata.md §2.3)', async t => {
  t.equal(stringLiteral("O'Brien"), "'O''Brien'")
  t.equal(stringLiteral("' or 1 eq 1 or '"), "''' or 1 eq 1 or '''")
  t.equal(stringLiteral('Ромашка'), "'Ромашка'")
  t.equal(stringLiteral(''), "''")
  t.throws(() => stringLiteral('x'.repeat(MAX_STRING_LITERAL + 1)), ODataLiteralError)
  t.throws(() => stringLiteral('a\u0000b'), ODataLiteralError)
  t.doesNotThrow(() => stringLiteral('x'.repeat(MAX_STRING_LITERAL)))
})

t.test('guid and datetime literals are validated, not trusted', async t => {
  t.equal(guidLiteral('1FA1A135-D89B-11E6-8343-40167E2531C3'), "guid'1fa1a135-d89b-11e6-8343-40167e2531c3'")
  t.throws(() => guidLiteral("1fa1a135-d89b-11e6-8343-40167e2531c3') or (1 eq 1"))
  t.throws(() => guidLiteral(''))
  t.equal(datetimeLiteral('2026-12-01T09:15:02'), "datetime'2026-12-01T09:15:02'")
  t.throws(() => datetimeLiteral('2026-12-01T09:15:02Z'), 'no zone (1C dates carry none)')
  t.throws(() => datetimeLiteral('2026-02-30T00:00:00'), 'not a real date')
  t.throws(() => datetimeLiteral("2026-12-01T09:15:02' or '"))
})

t.test('filters are built from typed parts; hostile text stays a literal', async t => {
  const hostile = "4951234567') or (1 eq 1"
  const f = and(eq('Тип', str('Телефон')), or(endswith('НомерТелефона', str(hostile)), eq('НомерТелефонаБезКодов', str('1234567'))))
  t.equal(f.toString(), "Тип eq 'Телефон' and (endswith(НомерТелефона,'4951234567'') or (1 eq 1') or НомерТелефонаБезКодов eq '1234567')")
  t.equal(not(eq('DeletionMark', field('true'))).toString(), 'not (DeletionMark eq true)')
  t.equal(substringof(str('иван'), 'Description').toString(), "substringof('иван',Description)")
  t.equal(eq('Контрагент', cast(guid('51012ccc-397d-11de-b595-00055d80a2b9'), 'Catalog_Партнеры')).toString(),
    "Контрагент eq cast(guid'51012ccc-397d-11de-b595-00055d80a2b9','Catalog_Партнеры')")
  t.equal(any('КонтактнаяИнформация', 'k', row => and(eq(row('Тип'), str('Телефон')), endswith(row('НомерТелефона'), str('4951234567')))).toString(),
    "КонтактнаяИнформация/any(k: k/Тип eq 'Телефон' and endswith(k/НомерТелефона,'4951234567'))")
  t.equal(and(eq('Date', datetime('2026-01-01T00:00:00')), eq('Длительность', num(5))).toString(), "Date eq datetime'2026-01-01T00:00:00' and Длительность eq 5")
  t.throws(() => field("Description') or ('a"), 'a field name is never free text')
  t.throws(() => field('Description eq 1'))
  t.throws(() => and())
  t.equal(and(undefined, false, eq('a', num(1))).toString(), 'a eq 1', 'absent parts are skipped')
})

t.test('like patterns: wildcards in operator text are literal, letters match both cases', async t => {
  t.equal(likeLiteralPart('50%_[x]', { bothCases: false }), '50[%][_][[]x]')
  t.equal(likeLiteralPart('Ив'), '[Ии][Вв]')
  t.equal(likeLiteralPart('a^b'), '[Aa]^[Bb]')
  t.equal(likeContains('ООО', { bothCases: false }), '%ООО%')
  t.equal(like('Description', str(likeContains("д'А"))).toString(), "like(Description,'%[Дд]''[Аа]%')")
})

t.test('query strings: percent-encoded UTF-8, spaces as %20, $skip before $top', async t => {
  const qs = listQueryString({
    set: 'Catalog_Партнеры',
    filter: eq('Description', str('Рога & Копыта #1 + 50%')),
    select: ['Ref_Key', 'Description', 'КонтактнаяИнформация/Тип'],
    top: 20,
    skip: 40,
    orderby: ['Description asc'],
  })
  t.notOk(qs.includes('+'), 'no + ever: 1C may not decode it as a space')
  t.notOk(qs.includes(' '))
  t.notOk(/[#&]1/.test(qs.replace(/&\$/g, '')), '& and # in values are encoded')
  t.ok(qs.indexOf('$skip=40') < qs.indexOf('$top=20'))
  const params = new URLSearchParams(qs)
  t.equal(params.get('$filter'), "Description eq 'Рога & Копыта #1 + 50%'")
  t.equal(params.get('$format'), 'application/json;odata=nometadata')
  t.equal(params.get('$select'), 'Ref_Key,Description,КонтактнаяИнформация/Тип')
  t.throws(() => listQueryString({ set: 'Catalog_Партнеры', select: ['Ref_Key,1'] }))
  t.throws(() => listQueryString({ set: 'Catalog_Партнеры', top: -1 }))
  t.throws(() => listQueryString({ set: 'Catalog_Партнеры', orderby: ['Description; drop'] }))
})

t.test('entity paths: GUID keys and named register keys, escaped', async t => {
  t.equal(entityPath('Catalog_Партнеры', '51012ccc-397d-11de-b595-00055d80a2b9'),
    `${encodeURIComponent('Catalog_Партнеры')}(guid'51012ccc-397d-11de-b595-00055d80a2b9')`)
  const p = entityPath('InformationRegister_ЖурналЗвонков3CX', { ИдентификаторЗвонка: { kind: 'string', value: "a'b" } })
  t.equal(decodeURIComponent(p), "InformationRegister_ЖурналЗвонков3CX(ИдентификаторЗвонка='a''b')")
  t.throws(() => entityPath('Catalog_X/../secret', '51012ccc-397d-11de-b595-00055d80a2b9'))
  t.throws(() => entityPath('Catalog_X', "x') or ('1"))
})
