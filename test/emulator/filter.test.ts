import t from 'tap'
import { makeCollation } from '../../emulator/collation.js'
import { ODataFault } from '../../emulator/errors.js'
import { compileFilter, type FilterContext } from '../../emulator/filter/compile.js'
import { likeToRegExp } from '../../emulator/filter/like.js'
import { parseFilter } from '../../emulator/filter/parser.js'
import { Publication } from '../../emulator/publication.js'
import { ResourceModel, type Resource } from '../../emulator/resources.js'
import { ut11Schema } from '../../emulator/schema/ut11.js'
import { Store } from '../../emulator/store.js'
import type { Entity } from '../../emulator/data/types.js'
import { ids, odata, smallBase, startTestEmulator } from '../support/emulator-base.js'

/**
 * $filter (onec-odata.md §3.1, DOC §17.4.5.2): the lexer → parser → evaluator pipeline on a store built
 * from the small hand-made base, hostile input included, and the HTTP error envelopes it leads to.
 */

interface Switches { caseSensitiveStrings?: boolean, trailingSpacesSignificant?: boolean, unknownField?: 'empty' | 'error', unlimitedComparison?: 'error' | 'allow' }

function engine (switches: Switches = {}): { ctx: FilterContext, model: ResourceModel } {
  const model = new ResourceModel(ut11Schema)
  const collation = makeCollation({ caseSensitiveStrings: switches.caseSensitiveStrings ?? false, trailingSpacesSignificant: switches.trailingSpacesSignificant ?? false })
  const ctx: FilterContext = {
    model,
    publication: new Publication(model),
    store: new Store(model, smallBase(), collation),
    collation,
    caseSensitive: switches.caseSensitiveStrings ?? false,
    unknownField: switches.unknownField ?? 'empty',
    unlimitedComparison: switches.unlimitedComparison ?? 'error',
  }
  return { ctx, model }
}

const defaults = engine()

/** What a filter selects: Descriptions (or the register key, or owner:line for tabular rows). */
function pick (set: string, filter: string, switches?: Switches): string[] {
  const { ctx, model } = switches === undefined ? defaults : engine(switches)
  const resource = model.get(set) as Resource
  const compiled = compileFilter(filter, resource, ctx)
  const out: string[] = []
  ctx.store.scan(resource, (entity: Entity) => {
    if (!compiled.test(entity)) return
    if (resource.kind === 'TabularSection') out.push(`${String(entity.Ref_Key).slice(-2)}:${String(entity.LineNumber)}`)
    else out.push(String(entity.Description ?? entity.Number ?? entity.ИдентификаторЗвонка))
  })
  return out
}

const partners = (filter: string, switches?: Switches): string[] => pick('Catalog_Партнеры', filter, switches)

function fault (fn: () => unknown): { code: string, status: number } | undefined {
  try {
    fn()
  } catch (error) {
    if (error instanceof ODataFault) return { code: error.code, status: error.status }
    throw error
  }
  return undefined
}

const ROMASHKA = 'ООО «Ромашка»'
const IVANOV = 'Иванов Иван Иванович'
const LYUTIK = 'АО «Лютик»'
const FOLDER = 'Клиенты'

t.test('§3.1 comparison and logical operators, parentheses and precedence (DOC §17.4.5.2)', async (t) => {
  t.same(partners("Code eq '00000000002'"), [ROMASHKA])
  t.same(partners("Code ne '00000000002'"), [FOLDER, IVANOV, LYUTIK])
  t.same(partners("Code gt '00000000002'"), [IVANOV, LYUTIK])
  t.same(partners("Code ge '00000000003' and Code le '00000000003'"), [IVANOV])
  t.same(partners("Code lt '00000000002'"), [FOLDER])
  t.same(partners('Клиент eq true'), [ROMASHKA, IVANOV])
  t.same(partners('not Клиент'), [FOLDER, LYUTIK])
  t.same(partners('not (Клиент eq true) and DeletionMark eq true'), [LYUTIK])
  t.same(partners("Клиент eq true and ЮрФизЛицо eq 'Компания' or DeletionMark eq true"), [ROMASHKA, LYUTIK], 'and binds tighter than or')
  t.same(partners("Клиент eq true and (ЮрФизЛицо eq 'Компания' or DeletionMark eq true)"), [ROMASHKA])
  t.same(partners("Клиент EQ true AND Code Eq '00000000003'"), [IVANOV], 'operators in any case, as the DOC table spells them')
})

t.test('§3.1 arithmetic add sub mul div on Int64 values', async (t) => {
  const calls = (filter: string): string[] => pick('InformationRegister_ЖурналЗвонков3CX', filter)
  t.same(calls('Длительность eq 95'), ['call-0001'], 'Int64 served as a string compares as a number')
  t.same(calls('Длительность eq 95L'), ['call-0001'])
  t.same(calls('Длительность add 5 eq 100'), ['call-0001'])
  t.same(calls('Длительность sub 95 eq 0'), ['call-0001'])
  t.same(calls('Длительность mul 2 gt 189.5'), ['call-0001'])
  t.same(calls('Длительность div 5 eq 19'), ['call-0001'])
  t.same(calls('Длительность div 0 eq 0'), [], 'division by zero matches nothing')
  t.same(calls('-Длительность lt 0 and (Длительность add 1) mul 2 eq 192'), ['call-0001'])
  t.same(fault(() => calls('Длительность mod 2 eq 1')), { code: '21', status: 400 }, 'mod is not in 1C\'s list')
})

t.test('§3.1 strings compare case-insensitively by default, like 1C database operations; caseSensitiveStrings flips it', async (t) => {
  t.same(partners("Description eq 'ооо «ромашка»'"), [ROMASHKA])
  t.same(partners("Description eq 'ооо «ромашка»'", { caseSensitiveStrings: true }), [])
  t.same(partners("startswith(Description, 'ооо')"), [ROMASHKA])
  t.same(partners("startswith(Description, 'ооо')", { caseSensitiveStrings: true }), [])
  t.same(partners("endswith(Description, 'ИВАНОВИЧ')"), [IVANOV])
  t.same(partners("like(Description, 'иванов%')"), [IVANOV])
  t.same(partners("like(Description, 'иванов%')", { caseSensitiveStrings: true }), [])
  t.same(partners("Description gt 'а' and Description lt 'б'"), [LYUTIK], 'ordering is case-insensitive as well')
})

t.test('§3.1 substringof(needle, haystack) takes the needle first; startswith and endswith', async (t) => {
  t.same(partners("substringof('ромашк', Description)"), [ROMASHKA])
  t.same(partners("substringof(Description, 'ромашк')"), [], 'swapped arguments find nothing')
  t.same(partners("substringof('ромашк', Description) eq true"), [ROMASHKA], 'the DOC writes "… eq true" too')
  t.same(pick('Catalog_Партнеры_КонтактнаяИнформация', "endswith(НомерТелефона, '1234567')"), ['21:1', '22:1'])
  t.same(pick('Catalog_Партнеры_КонтактнаяИнформация', "startswith(НомерТелефона, '8')"), ['22:1', '23:1'])
})

t.test('§3.1 like() uses ПОДОБНО templates: % _ [abc] [а-я] [^…], every character inside brackets is literal', async (t) => {
  t.same(partners("like(Description, 'ООО%')"), [ROMASHKA])
  t.same(partners("like(Description, '%Ромашка_')"), [ROMASHKA], '_ is exactly one character (the closing »)')
  t.same(partners("like(Description, 'ООО')"), [], 'the whole value must match')
  t.same(partners("like(Description, '[А-Я]%')"), [FOLDER, ROMASHKA, IVANOV, LYUTIK])
  t.same(partners("like(Description, '[^АК]%')"), [ROMASHKA, IVANOV])
  t.same(partners("like(Description, '%[«]%')"), [ROMASHKA, LYUTIK])
  t.same(partners("like(Description, '[%]%')"), [], '[%] is a literal percent sign')
  t.same(partners("like(Code, '___________')"), [FOLDER, ROMASHKA, IVANOV, LYUTIK], 'eleven _ for an 11-character code')
  t.same(partners("like(Code, '[0-9][0-9]%4')"), [LYUTIK])
  t.same(partners("like(Description, concat(substring(Code, 11, 1), '%')) or like('АО «Лютик»', concat(substring(Description, 1, 2), '%'))"), [LYUTIK],
    'a template computed per row')
  t.same(partners("like(Description, concat(Description, '['))"), [], 'a malformed computed template simply does not match')
  t.ok(likeToRegExp('a.b(c)*', true).test('a.b(c)*'), 'regular-expression characters are literal')
  t.notOk(likeToRegExp('a.b', true).test('axb'))
  t.ok(likeToRegExp('[-a]', true).test('-'), 'a dash at the edge of a set is literal')
  t.ok(likeToRegExp('[\\]', true).test('\\'), 'a backslash inside brackets is literal')
  t.same(fault(() => likeToRegExp('ab[cd', false)), { code: '14', status: 400 }, 'an unclosed [ is a parse error')
  t.same(fault(() => likeToRegExp('[]', false)), { code: '14', status: 400 })
  t.same(fault(() => likeToRegExp('[я-а]', false)), { code: '14', status: 400 }, 'a reversed range')
  t.same(fault(() => partners("like(Description, 'ab[')")), { code: '14', status: 400 })
})

t.test('§3.1 concat() and substring() — substring counts from 1 as in the DOC example substring(ИНН, 1, 2) eq \'77\'', async (t) => {
  t.same(partners("concat(concat(Description, ' / '), Code) eq 'ООО «Ромашка» / 00000000002'"), [ROMASHKA])
  t.same(pick('Catalog_Контрагенты', "substring(ИНН, 1, 2) eq '77'"), [ROMASHKA])
  t.same(partners("substring(Description, 5) eq '«Ромашка»'"), [ROMASHKA])
  t.same(partners("substring(Code, 11, 1) eq '4'"), [LYUTIK])
})

t.test('§3.1 date functions: year month day hour minute second quarter dayofweek dayofyear dateadd datedifference', async (t) => {
  t.same(partners('year(ДатаРегистрации) eq 2019'), [ROMASHKA])
  t.same(partners('month(ДатаРегистрации) eq 11'), [IVANOV])
  t.same(partners('day(ДатаРегистрации) eq 30'), [LYUTIK])
  t.same(partners('hour(ДатаРегистрации) eq 10'), [ROMASHKA])
  t.same(partners('minute(ДатаРегистрации) eq 30'), [IVANOV])
  t.same(partners('second(ДатаРегистрации) eq 0 and year(ДатаРегистрации) gt 1'), [ROMASHKA, IVANOV, LYUTIK])
  t.same(partners('quarter(ДатаРегистрации) eq 2'), [LYUTIK])
  t.same(partners('dayofweek(ДатаРегистрации) eq 1 and year(ДатаРегистрации) gt 1'), [IVANOV], '15.11.2021 is a Monday: 1C counts Monday as 1')
  t.same(partners('dayofweek(ДатаРегистрации) eq 2'), [LYUTIK], '30.06.2015 is a Tuesday')
  t.same(partners('dayofyear(ДатаРегистрации) eq 60'), [ROMASHKA])
  t.same(partners("dateadd(ДатаРегистрации, 'month', 1) eq datetime'2019-04-01T10:00:00'"), [ROMASHKA])
  t.same(partners("dateadd(ДатаРегистрации, 'day', -1) eq datetime'2019-02-28T10:00:00'"), [ROMASHKA])
  t.same(partners("dateadd(datetime'2024-01-31T00:00:00', 'month', 1) eq datetime'2024-02-29T00:00:00' and Code eq '00000000001'"), [FOLDER], 'month ends clamp')
  t.same(partners("datedifference(ДатаРегистрации, datetime'2019-03-02T00:00:00', 'day') eq 1"), [ROMASHKA])
  t.same(partners("datedifference(ДатаРегистрации, datetime'2022-01-01T00:00:00', 'year') eq 1"), [IVANOV])
  t.same(partners("ДатаРегистрации gt datetime'2020-01-01T00:00:00'"), [IVANOV])
  t.same(partners("ДатаРегистрации eq datetime'0001-01-01T00:00:00'"), [FOLDER])
  t.same(fault(() => partners("dateadd(ДатаРегистрации, 'fortnight', 1) eq ДатаРегистрации")), { code: '21', status: 400 })
})

t.test('§3.1 literals: doubled quotes, guid, datetime, numbers, true/false, null', async (t) => {
  t.same(partners("endswith(concat(Description, ''''), '»''')"), [ROMASHKA, LYUTIK], "'' stands for one quote")
  t.same(partners(`Ref_Key eq guid'${ids.ivanov.toUpperCase()}'`), [IVANOV])
  t.same(partners(`Parent_Key eq guid'${ids.folderClients}' and Code ne '00000000002'`), [IVANOV])
  t.same(partners('ОсновнойМенеджер_Key eq null'), [], 'references are never null')
  t.same(partners('null eq null and IsFolder'), [FOLDER])
  t.same(fault(() => partners("Ref_Key eq guid'not-a-guid'")), { code: '14', status: 400 })
  t.same(fault(() => partners("ДатаРегистрации eq datetime'2019-02-30T00:00:00'")), { code: '14', status: 400 })
  t.same(fault(() => partners("ДатаРегистрации eq datetimeoffset'2019-02-01T00:00:00Z'")), { code: '14', status: 400 })
})

t.test('§3.1 paths through references: Owner/Description, Parent/…, chains, and cast(…)/Field', async (t) => {
  t.same(pick('Catalog_КонтактныеЛицаПартнеров', "Owner/Description eq 'ООО «Ромашка»'"), ['Петров Пётр Петрович'])
  t.same(pick('Catalog_КонтактныеЛицаПартнеров', "Owner/ОсновнойМенеджер/Description eq 'Петрова Анна'"), ['Сидорова Мария'])
  t.same(partners("Parent/Description eq 'Клиенты'"), [ROMASHKA, IVANOV])
  t.same(partners("ОсновнойМенеджер/Description eq 'Петрова Анна'"), [IVANOV])
  t.same(pick('Catalog_КонтактныеЛицаПартнеров_КонтактнаяИнформация', "Вид/PredefinedDataName eq 'ТелефонКонтактногоЛицаПартнера'"), ['41:1', '41:2'])
  t.same(pick('Document_ТелефонныйЗвонок', "cast(АбонентКонтакт, 'Catalog_Партнеры')/Description eq 'ООО «Ромашка»'"), ['00000000007'])
  t.same(pick('Catalog_КонтактныеЛицаПартнеров', `Owner eq cast(guid'${ids.romashka}', 'Catalog_Партнеры')`), ['Петров Пётр Петрович'], 'a path ending on a navigation is a typed reference')
  t.same(pick('Catalog_КонтактныеЛицаПартнеров', "isof(Owner, 'Catalog_Партнеры') and cast(Owner, 'Catalog_Партнеры')/Code eq '00000000003'"), ['Сидорова Мария'])
  t.same(pick('Catalog_Контрагенты', "Партнер/Description eq 'ООО «Ромашка»'"), [],
    'Партнер_Key has no navigation property in real UT metadata, so the path is an unknown field (empty result)')
  t.same(fault(() => pick('Catalog_КонтактныеЛицаПартнеров', "Автор/Description eq 'x'")), { code: '14', status: 400 }, 'a composite needs cast()')
})

t.test('§3.1 composite fields: X eq guid\'…\' is always false, X eq cast(guid\'…\', \'Set\') matches, isof() checks the type', async (t) => {
  const calls = (filter: string): number => pick('Document_ТелефонныйЗвонок', filter).length
  t.equal(calls(`АбонентКонтакт eq guid'${ids.romashka}'`), 0, 'DOC: "всегда вернет пустой результат"')
  t.equal(calls(`АбонентКонтакт eq cast(guid'${ids.romashka}', 'Catalog_Партнеры')`), 1)
  t.equal(calls(`АбонентКонтакт eq cast(guid'${ids.romashka}', 'Catalog_Контрагенты')`), 0, 'same GUID, other type')
  t.equal(calls("isof(АбонентКонтакт, 'Catalog_Партнеры')"), 1)
  t.equal(calls("isof(АбонентКонтакт, 'Catalog_Контрагенты')"), 0)
  t.equal(calls("isof('Document_ТелефонныйЗвонок')"), 1, 'one-argument isof tests the entity itself')
  t.same(pick('Catalog_КонтактныеЛицаПартнеров', "isof(Автор, 'Catalog_Пользователи')"), ['Петров Пётр Петрович'])
  t.same(pick('InformationRegister_ЖурналЗвонков3CX', `Контрагент eq cast(guid'${ids.romashka}', 'Catalog_Партнеры')`), ['call-0001'])
  t.same(partners("cast(Code, 'Number') eq 4"), [LYUTIK], 'cast to a primitive type')
  t.same(fault(() => calls("isof(АбонентКонтакт, 'Catalog_Нет')")), { code: '8', status: 400 }, 'an unknown type is code 8')
})

t.test('§3.1 lambdas any/all over tabular sections (DOC, since 8.3.8)', async (t) => {
  t.same(partners("КонтактнаяИнформация/any(k: k/Тип eq 'Телефон' and endswith(k/НомерТелефона, '1234567'))"), [ROMASHKA, IVANOV])
  t.same(partners('КонтактнаяИнформация/any()'), [ROMASHKA, IVANOV, LYUTIK], 'any() = not empty')
  t.same(partners("КонтактнаяИнформация/all(k: k/Тип eq 'Телефон')"), [FOLDER, IVANOV, LYUTIK], 'all() over an empty section is true')
  t.same(partners("КонтактнаяИнформация/any(k: k/НомерТелефонаБезКодов eq '1234567' and ЮрФизЛицо eq 'ЧастноеЛицо')"), [IVANOV], 'outer fields inside the lambda')
  t.same(partners("КонтактнаяИнформация/any(k: k/Вид/Description eq 'Email')"), [ROMASHKA], 'navigation inside the lambda')
  t.same(pick('Catalog_КонтактныеЛицаПартнеров', "Owner/КонтактнаяИнформация/any(k: k/АдресЭП eq 'info@romashka.ru')"), ['Петров Пётр Петрович'])
  t.same(partners("КонтактнаяИнформация/any(k: k/Тип eq 'Телефон') and ДополнительныеРеквизиты/any() eq false"), [ROMASHKA, IVANOV, LYUTIK])
  t.same(partners('Нет/any()'), [], 'an unknown section is an unknown field')
  t.same(fault(() => partners("Description/any(d: d eq 'x')")), { code: '14', status: 400 })
  t.same(fault(() => partners('КонтактнаяИнформация/all()')), { code: '14', status: 400 })
  t.same(fault(() => partners("КонтактнаяИнформация eq 'x'")), { code: '14', status: 400 }, 'a section is not a value')
})

t.test('§3.1 functions 1C does not implement, unknown ones and wrong argument counts are code 21', async (t) => {
  for (const call of ["tolower(Description) eq 'x'", "toupper(Description) eq 'X'", 'length(Description) gt 1', "indexof(Description, 'a') eq 1",
    "replace(Description, 'a', 'b') eq 'x'", "trim(Description) eq 'x'", 'years(ДатаРегистрации) eq 1', 'days(ДатаРегистрации) eq 1',
    'hours(ДатаРегистрации) eq 1', 'seconds(ДатаРегистрации) eq 1', 'floor(1.5) eq 1', 'ceiling(1.5) eq 2', "contains(Description, 'a')",
    "нетакой(Description) eq 'x'", "substringof('a')", "startswith(Description, 'a', 'b')", 'year() eq 1']) {
    t.same(fault(() => partners(call)), { code: '21', status: 400 }, call)
  }
  t.same(partners('round(2.5) eq 3 and round(-2.5) eq -3 and IsFolder'), [FOLDER], 'round() is supported (half away from zero)')
})

t.test('§3.1 hostile input is a parse error (code 14), never a crash, and never changes the query', async (t) => {
  for (const filter of ["Description eq 'abc", "' or 1 eq 1", "Description eq '' or 1 eq 1'", "(Description eq 'a'", "Description eq 'a')",
    'Description eq', "eq 'a'", "Description+eq+'x'", "Description eq 'a' && Code eq 'b'", 'Description eq "a"', "Description eq 'a';",
    "Description eq 'a' or", 'Ref_Key eq guid\'', '', '   ', "Description eq 'a' Code eq 'b'", '((((', ',', 'Owner/', "any(d: d eq 'x')"]) {
    t.same(fault(() => partners(filter)), { code: '14', status: 400 }, JSON.stringify(filter))
  }
  t.same(partners("Description eq ''' or 1 eq 1 or Description eq '''"), [], 'quotes doubled inside a literal stay inside it')
  t.same(partners(`Description eq '${'я'.repeat(100_000)}'`), [], 'a very long literal is just a literal')
  t.same(fault(() => partners(`${'('.repeat(5000)}Клиент${')'.repeat(5000)}`)), { code: '14', status: 400 }, 'deep nesting is refused, not a stack overflow')
  t.same(fault(() => partners(Array.from({ length: 5000 }, (_, i) => `Code eq '${i}'`).join(' or '))), { code: '14', status: 400 })
  t.same(partners(Array.from({ length: 200 }, (_, i) => `Code eq '${String(i).padStart(11, '0')}'`).join(' or ')), [FOLDER, ROMASHKA, IVANOV, LYUTIK],
    'a long but reasonable or-chain works')
  t.same(partners("like(Description, '%')"), [FOLDER, ROMASHKA, IVANOV, LYUTIK], 'a bare % matches everything, on purpose')
  t.ok(parseFilter("ДатаРегистрации/Год eq 'x'"), 'Cyrillic identifiers and paths parse')
})

t.test('§3.1 an unknown field gives an empty result by default [3P HCB]; unknownFilterField=error makes it code 14', async (t) => {
  t.same(partners("Нет eq 'x' or Клиент eq true"), [])
  t.same(partners("КонтактнаяИнформация/any(k: k/Нет eq 'x')"), [], 'also inside a lambda')
  t.same(fault(() => partners("Нет eq 'x'", { unknownField: 'error' })), { code: '14', status: 400 })
})

t.test('§3.1 unlimited-length strings cannot be compared (code 14); like-family functions work on them; the switch allows it', async (t) => {
  t.same(fault(() => partners("Комментарий eq 'ключевой клиент'")), { code: '14', status: 400 })
  t.same(fault(() => partners("Комментарий gt 'a'")), { code: '14', status: 400 })
  t.same(partners("substringof('ключев', Комментарий)"), [ROMASHKA])
  t.same(partners("like(Комментарий, 'ключ%')"), [ROMASHKA])
  t.same(partners('Комментарий eq null'), [], 'a null test is not a comparison')
  t.same(partners("Комментарий eq 'ключевой клиент'", { unlimitedComparison: 'allow' }), [ROMASHKA])
  t.same(partners("Description eq 'Клиенты'"), [FOLDER], 'Description has a length: comparable')
  t.same(partners("ЮрФизЛицо eq 'Компания'"), [ROMASHKA, LYUTIK], 'enums are comparable')
})

t.test('§2.3 equality ignores trailing spaces like the DBMS does (fixed strings are padded); the switch makes them count', async (t) => {
  const calls = (filter: string, switches?: Switches): string[] => pick('InformationRegister_ЖурналЗвонков3CX', filter, switches)
  t.same(calls("ВнутреннийНомер eq '101  '"), ['call-0001'])
  t.same(calls("ВнутреннийНомер eq '101  '", { trailingSpacesSignificant: true }), [])
  t.same(calls("endswith(ВнутреннийНомер, '01 ')"), [], 'like-family functions see the spaces')
})

t.test('§5.2 filter errors reach the client in 1C\'s envelope with status 400', async (t) => {
  const emulator = await startTestEmulator(t)
  const unsupported = await odata(emulator, "Catalog_Партнеры?$format=json&$filter=tolower(Description) eq 'x'")
  t.equal(unsupported.status, 400)
  t.equal(unsupported.json()['odata.error'].code, '21')
  t.equal(unsupported.json()['odata.error'].message.lang, 'ru')
  const broken = await odata(emulator, "Catalog_Партнеры?$filter=Description eq 'x")
  t.equal(broken.status, 400)
  t.match(broken.text, /<m:code>14<\/m:code>/)
  const unknown = await odata(emulator, "Catalog_Партнеры?$format=json&$filter=Нет eq 'x'")
  t.same(unknown.json().value, [])
  const strict = await startTestEmulator(t, { unknownFilterField: 'error' })
  const refused = await odata(strict, "Catalog_Партнеры?$format=json&$filter=Нет eq 'x'")
  t.equal(refused.status, 400)
  t.equal(refused.json()['odata.error'].code, '14')
})
