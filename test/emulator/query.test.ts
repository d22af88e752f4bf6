import t from 'tap'
import { ids, odata, startTestEmulator } from '../support/emulator-base.js'

/** Query options other than $filter: onec-odata.md §3.2 (DOC §17.4.5–17.4.8) and the lookup patterns of §7.3. */

type Row = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON bodies, asserted field by field

const ROMASHKA = 'ООО «Ромашка»'
const IVANOV = 'Иванов Иван Иванович'
const LYUTIK = 'АО «Лютик»'
const FOLDER = 'Клиенты'

t.test('§3.2 no $top returns everything; $skip is applied before $top whatever their order in the URL', async (t) => {
  const emulator = await startTestEmulator(t)
  const names = async (query: string): Promise<string[]> => (await odata(emulator, `Catalog_Партнеры?$format=json&${query}`)).json().value.map((p: Row) => p.Description)
  t.same(await names(''), [FOLDER, ROMASHKA, IVANOV, LYUTIK])
  t.same(await names('$top=2&$skip=1'), [ROMASHKA, IVANOV])
  t.same(await names('$skip=1&$top=2'), [ROMASHKA, IVANOV], 'order in the URL does not matter (DOC §17.4.5.5)')
  t.same(await names('$top=0'), [])
  t.same(await names('$skip=10'), [])
  t.same(await names('$orderby=Code desc&$top=2&$skip=1'), [IVANOV, ROMASHKA], 'skip and top apply after ordering')
  for (const bad of ['$top=-1', '$top=abc', '$skip=1.5', '$top=']) {
    const answer = await odata(emulator, `Catalog_Партнеры?$format=json&${bad}`)
    t.equal(answer.status, 400, bad)
    t.equal(answer.json()['odata.error'].code, '14', bad)
  }
})

t.test('§3.2 $orderby=A asc, B desc with paths; ascending by default; nulls and empty values first', async (t) => {
  const emulator = await startTestEmulator(t)
  const names = async (set: string, orderby: string): Promise<string[]> =>
    (await odata(emulator, `${set}?$format=json&$orderby=${orderby}`)).json().value.map((p: Row) => p.Description)
  t.same(await names('Catalog_Партнеры', 'Description'), [LYUTIK, IVANOV, FOLDER, ROMASHKA])
  t.same(await names('Catalog_Партнеры', 'Description desc'), [ROMASHKA, FOLDER, IVANOV, LYUTIK])
  t.same(await names('Catalog_Партнеры', 'ЮрФизЛицо asc, Description desc'), [FOLDER, ROMASHKA, LYUTIK, IVANOV])
  t.same(await names('Catalog_Партнеры', 'ДатаРегистрации'), [FOLDER, LYUTIK, ROMASHKA, IVANOV], 'the empty date sorts first')
  t.same(await names('Catalog_Партнеры', 'ОсновнойМенеджер/Description desc, Code'), [IVANOV, ROMASHKA, FOLDER, LYUTIK], 'a path through a reference (DOC: Контрагент/ИНН asc); no manager sorts last when descending')
  t.same(await names('Catalog_КонтактныеЛицаПартнеров', 'Owner/Description'), ['Сидорова Мария', 'Петров Пётр Петрович'])
  for (const bad of ['Комментарий', 'Нет', 'Description sideways', 'Description,']) {
    const answer = await odata(emulator, `Catalog_Партнеры?$format=json&$orderby=${bad}`)
    t.equal(answer.status, 400, bad)
    t.equal(answer.json()['odata.error'].code, '14', `${bad}: unlimited strings, unknown fields and bad syntax are code 14`)
  }
})

t.test('§3.2 $select: a list, * (everything), ** (everything but tabular sections), TS/Field; precedence * > ** > list', async (t) => {
  const emulator = await startTestEmulator(t)
  const one = async (query: string): Promise<Row> => (await odata(emulator, `Catalog_Партнеры(guid'${ids.romashka}')?$format=json&$select=${query}`)).json()
  const list = await one('Ref_Key, Description')
  t.same(Object.keys(list), ['odata.metadata', 'Ref_Key', 'Description'], 'only the listed properties, no unselected links')
  const noSections = await one('**')
  t.notOk('КонтактнаяИнформация' in noSections)
  t.ok('Parent@navigationLinkUrl' in noSections)
  t.equal(noSections.Description, ROMASHKA)
  t.ok('КонтактнаяИнформация' in await one('*'))
  t.notOk('КонтактнаяИнформация' in await one('Description, **, КонтактнаяИнформация'), '** wins over a list')
  t.ok('КонтактнаяИнформация' in await one('**, *'), '* wins over **')
  const rows = await one('Description, КонтактнаяИнформация/НомерТелефона')
  t.same(rows.КонтактнаяИнформация, [{ НомерТелефона: '74951234567' }, { НомерТелефона: '' }])
  t.same(Object.keys(await one('ОсновнойМенеджер_Key')), ['odata.metadata', 'ОсновнойМенеджер_Key'], 'a reference key without its navigation link')
  t.same(Object.keys(await one('ОсновнойМенеджер')), ['odata.metadata', 'ОсновнойМенеджер@navigationLinkUrl'], 'a selected navigation property is its link')
  const call = (await odata(emulator, `Document_ТелефонныйЗвонок?$format=json&$select=Number, АбонентКонтакт`)).json().value[0]
  t.same(call, { Number: '00000000007', АбонентКонтакт: ids.romashka, АбонентКонтакт_Type: 'StandardODATA.Catalog_Партнеры' }, 'a composite brings its _Type')
  const atom = await odata(emulator, `Catalog_Партнеры(guid'${ids.romashka}')?$select=Code`)
  t.match(atom.text, '<d:Code>00000000002</d:Code>')
  t.notMatch(atom.text, '<d:Description>')
  for (const bad of ['Нет', 'КонтактнаяИнформация/Нет', 'Description/Нет', 'Description,,Code']) {
    const answer = await odata(emulator, `Catalog_Партнеры?$format=json&$select=${bad}`)
    t.equal(answer.json()['odata.error']?.code, '14', bad)
  }
})

t.test('§7.3 the lookup queries of real integrations work on tabular-section sets', async (t) => {
  const emulator = await startTestEmulator(t)
  const byNumber = (await odata(emulator, "Catalog_Партнеры_КонтактнаяИнформация?$format=json&$filter=Тип eq 'Телефон' and endswith(НомерТелефона,'4951234567')" +
    '&$select=Ref_Key,LineNumber,Вид_Key,Представление,НомерТелефона&$top=20')).json()
  t.equal(byNumber['odata.metadata'].endsWith('$metadata#Catalog_Партнеры_КонтактнаяИнформация'), true)
  t.same(byNumber.value, [{ Ref_Key: ids.romashka, LineNumber: '1', Вид_Key: ids.kindPhonePartner, Представление: '+7 (495) 123-45-67', НомерТелефона: '74951234567' }])
  const fallback = (await odata(emulator, "Catalog_КонтактныеЛицаПартнеров_КонтактнаяИнформация?$format=json&$filter=endswith(НомерТелефона,'4951234567') or НомерТелефонаБезКодов eq '1234567'")).json()
  t.same(fallback.value.map((r: Row) => r.Представление), ['+7 (495) 123-45-67 доб. 123'])
  const integA = (await odata(emulator, `Catalog_КонтактныеЛицаПартнеров_КонтактнаяИнформация?$format=json&$filter=Ref_Key eq guid'${ids.petrov}' and Тип eq 'Телефон'&$select=Тип,НомерТелефона,Представление`)).json()
  t.equal(integA.value.length, 2, 'INTEG-A pattern')
  t.equal((await odata(emulator, `Catalog_КонтактныеЛицаПартнеров_КонтактнаяИнформация/$count?$filter=guid'${ids.petrov}' eq Ref_Key`)).text, '2')
  t.same((await odata(emulator, `Catalog_Партнеры?$format=json&$filter=Ref_Key eq guid'${ids.ivanov}' and Клиент eq true&$select=Description`)).json().value,
    [{ Description: IVANOV }], 'a Ref_Key condition goes straight to the object')
  t.same((await odata(emulator, `Catalog_Партнеры?$format=json&$filter=Ref_Key eq guid'${ids.ivanov}' and Клиент eq false`)).json().value, [])
  t.same((await odata(emulator, `Catalog_Партнеры_КонтактнаяИнформация?$format=json&$filter=Ref_Key eq guid'${ids.missing}'`)).json().value, [])
  t.equal((await odata(emulator, `Catalog_Партнеры?$format=json&$filter=Ref_Key eq guid'${ids.ivanov}' or Code eq '00000000004'`)).json().value.length, 2, 'but not inside an or')
  // An or of Ref_Key conditions is read by key (1C's SQL seeks its clustered index once per key): the same
  // rows in the same (natural) order as the scan, missing keys and repeats changing nothing.
  const byKeys = async (set: string, filter: string): Promise<Row[]> => (await odata(emulator, `${set}?$format=json&$filter=${filter}`)).json().value
  const keyOr = (...keys: string[]): string => keys.map(k => `Ref_Key eq guid'${k}'`).join(' or ')
  t.same((await byKeys('Catalog_Партнеры', keyOr(ids.lyutik, ids.missing, ids.romashka, ids.lyutik))).map(p => p.Description), [ROMASHKA, LYUTIK])
  const allRows = await byKeys('Catalog_Партнеры_КонтактнаяИнформация', "Тип ne 'nothing'")
  t.same(await byKeys('Catalog_Партнеры_КонтактнаяИнформация', keyOr(ids.ivanov, ids.romashka)),
    allRows.filter(r => r.Ref_Key === ids.romashka || r.Ref_Key === ids.ivanov), 'tabular rows: every row of those owners, as the scan orders them')
  t.same((await byKeys('Catalog_Партнеры', `(${keyOr(ids.lyutik, ids.ivanov)}) and (${keyOr(ids.ivanov, ids.romashka)})`)).map(p => p.Description), [IVANOV], 'and of two key sets')
  const clients = (await byKeys('Catalog_Партнеры', 'Клиент eq true')).map(p => p.Description)
  t.same((await byKeys('Catalog_Партнеры', `(${keyOr(ids.lyutik, ids.ivanov)}) and Клиент eq true`)).map(p => p.Description),
    clients.filter(d => d === IVANOV || d === LYUTIK), 'the rest of the filter still applies')
  t.same((await odata(emulator, `Catalog_Партнеры?$format=json&$top=1&$filter=${keyOr(ids.lyutik, ids.romashka)}`)).json().value.map((p: Row) => p.Description), [ROMASHKA], '$top takes the first in natural order')
  const lambda = (await odata(emulator, "Catalog_Партнеры?$format=json&$filter=КонтактнаяИнформация/any(k: k/Тип eq 'Телефон' and endswith(k/НомерТелефона,'4951234567'))&$select=Ref_Key,Description")).json()
  t.same(lambda.value, [{ Ref_Key: ids.romashka, Description: ROMASHKA }])
  const owner = (await odata(emulator, `Catalog_КонтактныеЛицаПартнеров(guid'${ids.petrov}')?$format=json&$select=Owner_Key,Description`)).json()
  t.equal(owner.Owner_Key, ids.romashka, 'a contact person leads to its partner by Owner_Key (§7.4)')
  const row = (await odata(emulator, `Catalog_Партнеры_КонтактнаяИнформация(Ref_Key=guid'${ids.romashka}',LineNumber=2)?$format=json`)).json()
  t.equal(row['odata.metadata'].endsWith('#Catalog_Партнеры_КонтактнаяИнформация/@Element'), true)
  t.equal(row.АдресЭП, 'info@romashka.ru')
  t.equal(row['Вид@navigationLinkUrl'], `Catalog_Партнеры_КонтактнаяИнформация(Ref_Key=guid'${ids.romashka}',LineNumber=2)/Вид`)
})

t.test('§3.2 $expand of navigation properties on a collection; other forms are "not supported" (code 0)', async (t) => {
  const emulator = await startTestEmulator(t)
  const persons = (await odata(emulator, 'Catalog_КонтактныеЛицаПартнеров?$format=json&$expand=Owner&$select=Description,Owner_Key')).json()
  t.equal(persons.value[0].Owner.Description, ROMASHKA)
  t.notOk('Owner@navigationLinkUrl' in persons.value[0], 'an expanded link becomes the object')
  const all = (await odata(emulator, 'Catalog_Партнеры?$format=json&$expand=*&$filter=Code eq \'00000000004\'')).json().value[0]
  t.equal(all.Parent, null, 'an empty reference expands to null')
  const atom = await odata(emulator, 'Catalog_КонтактныеЛицаПартнеров?$expand=Owner&$top=1')
  t.match(atom.text, /<m:inline><entry>[\s\S]*<d:Description>ООО «Ромашка»<\/d:Description>[\s\S]*<\/entry><\/m:inline>/)
  const refused: [string, string][] = [
    [`Catalog_Партнеры(guid'${ids.romashka}')?$expand=Parent`, '0'],
    ['Catalog_Партнеры?$expand=Parent/Parent', '0'],
    ['Catalog_Партнеры_КонтактнаяИнформация?$expand=Вид', '0'],
    ['Catalog_Партнеры?$expand=Нет', '10'],
  ]
  for (const [path, code] of refused) {
    const answer = await odata(emulator, `${path}&$format=json`)
    t.equal(answer.status, 400, path)
    t.equal(answer.json()['odata.error'].code, code, path)
  }
})

t.test('§3.2 allowedOnly is accepted on GET of sets; unknown $options are code 14; plain parameters are ignored', async (t) => {
  const emulator = await startTestEmulator(t)
  for (const query of ['allowedOnly=true', '$allowedOnly=true', 'allowedOnly=false', 'someParam=1']) {
    const answer = await odata(emulator, `Catalog_Пользователи?$format=json&${query}`)
    t.equal(answer.status, 200, query)
    t.equal(answer.json().value.length, 2)
  }
  const unknown = await odata(emulator, 'Catalog_Пользователи?$format=json&$search=x')
  t.equal(unknown.status, 400)
  t.equal(unknown.json()['odata.error'].code, '14')
  const badFlag = await odata(emulator, 'Catalog_Пользователи?$format=json&allowedOnly=yes')
  t.equal(badFlag.json()['odata.error'].code, '14')
})

t.test('§3.1 "+" in the query string is not decoded as a space [3P]; the plusAsSpace switch decodes it', async (t) => {
  const emulator = await startTestEmulator(t)
  const plus = await odata(emulator, "Catalog_Партнеры?$format=json&$filter=Description+eq+'Клиенты'")
  t.equal(plus.status, 400, 'Description+eq+… is not a valid expression for 1C')
  t.equal(plus.json()['odata.error'].code, '14')
  const encoded = await odata(emulator, "Catalog_Партнеры?$format=json&$filter=Description%20eq%20'Клиенты'")
  t.same(encoded.json().value.map((p: Row) => p.Description), [FOLDER])
  const literal = await odata(emulator, "InformationRegister_ЖурналЗвонков3CX?$format=json&$filter=ВнешнийНомер eq '+74951234567'")
  t.equal(literal.json().value.length, 1, 'a raw + inside a literal stays a plus')
  const decoding = await startTestEmulator(t, { plusAsSpace: true })
  t.equal((await odata(decoding, "Catalog_Партнеры?$format=json&$filter=Description+eq+'Клиенты'")).json().value.length, 1)
  t.equal((await odata(decoding, "InformationRegister_ЖурналЗвонков3CX?$format=json&$filter=ВнешнийНомер eq '+74951234567'")).json().value.length, 0)
  const badEncoding = await odata(emulator, 'Catalog_Партнеры?$format=json&$filter=%E0%A4%A')
  t.equal(badEncoding.json()['odata.error'].code, '14')
})

t.test('§1.4 presentation fields come only when $select asks: X____Presentation, *____Presentation, Presentation (DOC §17.4.3)', async (t) => {
  const emulator = await startTestEmulator(t)
  const person = (await odata(emulator, `Catalog_КонтактныеЛицаПартнеров(guid'${ids.petrov}')?$format=json&$select=*, Owner____Presentation, Автор____Presentation`)).json()
  t.equal(person.Owner____Presentation, ROMASHKA, 'a reference presents as the target\'s description')
  t.equal(person.Автор____Presentation, 'Иванов Сергей (менеджер)', 'a composite presents its value')
  t.equal(person.Description, 'Петров Пётр Петрович', '* keeps the properties')
  t.notOk('Owner____Presentation' in (await odata(emulator, `Catalog_КонтактныеЛицаПартнеров(guid'${ids.petrov}')?$format=json&$select=*`)).json(), 'not with * alone')
  const call = (await odata(emulator, 'Document_ТелефонныйЗвонок?$format=json&$select=Ref_Key, Presentation, *____Presentation')).json().value[0]
  t.equal(call.Presentation, 'Телефонный звонок 00000000007 от 14.05.2024 12:30:00', 'a document: synonym, number and date')
  t.equal(call.АбонентКонтакт____Presentation, ROMASHKA)
  t.equal(call.Входящий____Presentation, 'Да')
  t.equal(call.Date____Presentation, '14.05.2024 12:30:00')
  t.equal(call.Ответственный____Presentation, '', 'an empty reference presents as ""')
  t.notOk('Number' in call, 'only what was listed')
  const atom = await odata(emulator, `Catalog_Партнеры(guid'${ids.romashka}')?$select=Parent____Presentation`)
  t.match(atom.text, '<d:Parent____Presentation>Клиенты</d:Parent____Presentation>')
  for (const bad of ['Нет____Presentation', 'Ref_Key____Presentation']) {
    t.equal((await odata(emulator, `Catalog_Партнеры?$format=json&$select=${bad}`)).json()['odata.error'].code, '14', bad)
  }
  t.equal((await odata(emulator, 'Catalog_Партнеры_КонтактнаяИнформация?$format=json&$select=Presentation')).json()['odata.error'].code, '14',
    'not available for tabular sections')
})
