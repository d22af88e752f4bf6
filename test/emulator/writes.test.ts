import t from 'tap'
import { ids, odata, startTestEmulator } from '../support/emulator-base.js'

/** Keys (onec-odata.md §3.3) and writes (§4): create, update, delete, registers, read-only sets, posting. */

type Row = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON bodies, asserted field by field

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

t.test('§3.3 keys: (guid\'…\'), (Ref_Key=guid\'…\'), register dimensions by name, tabular rows by Ref_Key and LineNumber', async (t) => {
  const emulator = await startTestEmulator(t)
  const short = (await odata(emulator, `Catalog_Партнеры(guid'${ids.ivanov}')?$format=json`)).json()
  const named = (await odata(emulator, `Catalog_Партнеры(Ref_Key=guid'${ids.ivanov}')?$format=json`)).json()
  t.equal(short.Description, 'Иванов Иван Иванович')
  t.same(named, short)
  t.equal((await odata(emulator, `Catalog_Партнеры(guid'${ids.ivanov.toUpperCase()}')?$format=json`)).status, 200, 'GUID case does not matter')
  const byName = await odata(emulator, "InformationRegister_ЖурналЗвонков3CX(ИдентификаторЗвонка='call-0001')?$format=json")
  t.equal(byName.json()['odata.metadata'].endsWith('#InformationRegister_ЖурналЗвонков3CX/@Element'), true)
  t.equal((await odata(emulator, "InformationRegister_ЖурналЗвонков3CX('call-0001')?$format=json")).status, 200, 'one key part: the name may be omitted')
  const row = await odata(emulator, `Catalog_КонтактныеЛицаПартнеров_КонтактнаяИнформация(Ref_Key=guid'${ids.petrov}', LineNumber=2)?$format=json`)
  t.equal(row.json().НомерТелефона, '79165550011')
})

t.test('§3.3 §5.1 an entity that does not exist is 404 code 9 in the documented message shape', async (t) => {
  const emulator = await startTestEmulator(t)
  const json = await odata(emulator, `Catalog_Партнеры(guid'${ids.missing}')?$format=json`)
  t.equal(json.status, 404)
  t.same(json.json(), { 'odata.error': { code: '9', message: { lang: 'ru', value: 'Экземпляр сущности "Партнеры" не найден по переданному ключу.' } } })
  const atom = await odata(emulator, `Catalog_Партнеры(guid'${ids.missing}')`)
  t.equal(atom.headers['content-type'], 'application/xml;charset=utf-8')
  t.match(atom.text, '<m:error xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata">')
  t.match(atom.text, '<m:code>9</m:code>')
  t.match(atom.text, '<m:message>Экземпляр сущности &quot;Партнеры&quot; не найден по переданному ключу.</m:message>')
  t.equal((await odata(emulator, `Catalog_Партнеры_КонтактнаяИнформация(Ref_Key=guid'${ids.romashka}',LineNumber=9)?$format=json`)).json()['odata.error'].code, '9')
  t.equal((await odata(emulator, "InformationRegister_ЖурналЗвонков3CX(ИдентификаторЗвонка='нет')?$format=json")).status, 404)
})

t.test('§3.3 a malformed key is 400 with code 6, a missing key part 400 with code 7', async (t) => {
  const emulator = await startTestEmulator(t)
  const cases: [string, string][] = [
    ["Catalog_Партнеры(guid'xyz')", '6'],
    ['Catalog_Партнеры(123)', '6'],
    [`Catalog_Партнеры(Нет=guid'${ids.romashka}')`, '6'],
    [`Catalog_Партнеры(guid'${ids.romashka}'`, '6'],
    [`Catalog_Партнеры(guid'${ids.romashka}',guid'${ids.ivanov}')`, '6'],
    [`Catalog_Партнеры_КонтактнаяИнформация(Ref_Key=guid'${ids.romashka}')`, '7'],
    [`Catalog_Партнеры_КонтактнаяИнформация(guid'${ids.romashka}')`, '7'],
    [`Catalog_Партнеры_КонтактнаяИнформация(Ref_Key=guid'${ids.romashka}',LineNumber='x')`, '6'],
    ["InformationRegister_ЖурналЗвонков3CX(ИдентификаторЗвонка=1)", '6'],
  ]
  for (const [path, code] of cases) {
    const answer = await odata(emulator, `${path}?$format=json`)
    t.equal(answer.status, 400, path)
    t.equal(answer.json()['odata.error'].code, code, path)
  }
})

t.test('§4.1 POST creates a contact person: 201, absolute Location, the entity in the body with a fresh Ref_Key and DataVersion', async (t) => {
  const emulator = await startTestEmulator(t)
  const body = {
    Description: 'Смирнова Ольга',
    Owner_Key: ids.romashka,
    Нечто: 'unknown properties are ignored',
    'КонтактнаяИнформация@odata.type': 'Collection(StandardODATA.Catalog_КонтактныеЛицаПартнеров_КонтактнаяИнформация_RowType)',
    КонтактнаяИнформация: [{
      LineNumber: '1',
      Тип: 'Телефон',
      Вид_Key: ids.kindPhoneContact,
      Представление: '+7 (495) 222-33-44',
      НомерТелефона: '74952223344',
      НомерТелефонаБезКодов: '2223344',
      Значение: '{"value":"+7 (495) 222-33-44","type":"Телефон"}',
    }],
  }
  const created = await odata(emulator, 'Catalog_КонтактныеЛицаПартнеров?$format=json', { method: 'POST', body })
  t.equal(created.status, 201)
  const entity = created.json()
  t.match(entity.Ref_Key, GUID)
  t.match(entity.DataVersion, /^[A-Za-z0-9+/]{11}=$/)
  t.equal(entity['odata.metadata'].endsWith('#Catalog_КонтактныеЛицаПартнеров/@Element'), true)
  t.equal(entity.Description, 'Смирнова Ольга')
  t.notOk('Нечто' in entity)
  t.same(entity.КонтактнаяИнформация.map((r: Row) => [r.Ref_Key, r.LineNumber, r.НомерТелефона, r.ВидДляСписка_Key]),
    [[entity.Ref_Key, '1', '74952223344', '00000000-0000-0000-0000-000000000000']], 'rows belong to the new object; missing columns are empty')
  const location = created.headers.location as string
  t.equal(decodeURI(location), `${decodeURI(emulator.odataUrl)}/Catalog_КонтактныеЛицаПартнеров(guid'${entity.Ref_Key as string}')`)
  t.notMatch(location, /[^\x21-\x7e]/, 'the header is plain ASCII (percent-encoded)')
  t.equal((await odata(emulator, `Catalog_КонтактныеЛицаПартнеров(guid'${entity.Ref_Key as string}')?$format=json`)).json().Owner_Key, ids.romashka)
  const found = (await odata(emulator, "Catalog_КонтактныеЛицаПартнеров_КонтактнаяИнформация?$format=json&$filter=endswith(НомерТелефона,'4952223344')")).json()
  t.same(found.value.map((r: Row) => r.Ref_Key), [entity.Ref_Key], 'the new row is visible in the tabular-section set')
  t.equal(emulator.controls.entities('Catalog_КонтактныеЛицаПартнеров').length, 3)
})

t.test('§4.1 Code and Number are autonumbered, a document gets a date; without $format the answer is an Atom entry', async (t) => {
  const emulator = await startTestEmulator(t)
  const partner = await odata(emulator, 'Catalog_Партнеры', { method: 'POST', body: { Description: 'ИП Новиков', ЮрФизЛицо: 'ЧастноеЛицо' } })
  t.equal(partner.status, 201)
  t.equal(partner.headers['content-type'], 'application/atom+xml;type=entry;charset=utf-8', 'Atom unless JSON is asked for')
  t.match(partner.text, '<d:Code>00000000005</d:Code>')
  const call = (await odata(emulator, 'Document_ТелефонныйЗвонок?$format=json', {
    method: 'POST',
    body: { АбонентКакСвязаться: '+74952223344', АбонентКонтакт: ids.petrov, АбонентКонтакт_Type: 'StandardODATA.Catalog_КонтактныеЛицаПартнеров', Входящий: true, Тема: 'Входящий звонок', Описание: '' },
  })).json()
  t.equal(call.Number, '00000000008')
  t.match(call.Date, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/)
  t.not(call.Date, '0001-01-01T00:00:00')
  t.equal(call.Posted, false)
  t.equal(call.АбонентКонтакт_Type, 'StandardODATA.Catalog_КонтактныеЛицаПартнеров')
  const dataLoad = await odata(emulator, 'Catalog_Партнеры?$format=json', { method: 'POST', body: { Description: 'Загружен' }, headers: { '1C_OData-DataLoadMode': 'true' } })
  t.equal(dataLoad.status, 201, '1C_OData-DataLoadMode: true is accepted (DOC §17.4.13.1.6)')
})

t.test('§4.1 a Ref_Key sent with POST is honoured by default [UNCERTAIN]; clientRefKey=ignore makes a fresh one', async (t) => {
  const emulator = await startTestEmulator(t)
  const chosen = 'c0ffee00-0000-4000-8000-000000000001'
  t.equal((await odata(emulator, 'Catalog_Партнеры?$format=json', { method: 'POST', body: { Ref_Key: chosen, Description: 'A' } })).json().Ref_Key, chosen)
  const again = await odata(emulator, 'Catalog_Партнеры?$format=json', { method: 'POST', body: { Ref_Key: chosen, Description: 'B' } })
  t.equal(again.status, 400)
  t.equal(again.json()['odata.error'].code, '15', 'the same key twice is code 15')
  const ignoring = await startTestEmulator(t, { clientRefKey: 'ignore' })
  const fresh = (await odata(ignoring, 'Catalog_Партнеры?$format=json', { method: 'POST', body: { Ref_Key: chosen, Description: 'A' } })).json()
  t.not(fresh.Ref_Key, chosen)
  t.match(fresh.Ref_Key, GUID)
})

t.test('§4.1 written values are checked against the schema (code 4); long strings are cut like 1C attributes do, or refused', async (t) => {
  const emulator = await startTestEmulator(t)
  const invalid: [string, Row][] = [
    ['bad GUID', { Description: 'x', ОсновнойМенеджер_Key: 'nope' }],
    ['string for a boolean', { Description: 'x', Клиент: 'yes' }],
    ['unknown enum member', { Description: 'x', ЮрФизЛицо: 'Корпорация' }],
    ['impossible date', { Description: 'x', ДатаРегистрации: '2024-13-01T00:00:00' }],
    ['date with a zone', { Description: 'x', ДатаРегистрации: '2024-01-01T00:00:00Z' }],
    ['number for a string', { Description: 42 }],
    ['section that is not an array', { Description: 'x', КонтактнаяИнформация: {} }],
  ]
  for (const [what, body] of invalid) {
    const answer = await odata(emulator, 'Catalog_Партнеры?$format=json', { method: 'POST', body })
    t.equal(answer.status, 400, what)
    t.equal(answer.json()['odata.error'].code, '4', what)
  }
  const notJson = await odata(emulator, 'Catalog_Партнеры?$format=json', { method: 'POST', body: '{"Description": ' })
  t.equal(notJson.json()['odata.error'].code, '2', 'a body that is not JSON')
  t.equal((await odata(emulator, 'Catalog_Партнеры?$format=json', { method: 'POST', body: '[]' })).json()['odata.error'].code, '2')
  const long = 'Ж'.repeat(150)
  const cut = (await odata(emulator, 'Catalog_Партнеры?$format=json', { method: 'POST', body: { Description: long } })).json()
  t.equal(cut.Description, 'Ж'.repeat(100), 'Description(100) keeps 100 characters')
  const strict = await startTestEmulator(t, { longStrings: 'error' })
  t.equal((await odata(strict, 'Catalog_Партнеры?$format=json', { method: 'POST', body: { Description: long } })).json()['odata.error'].code, '4')
  t.equal(emulator.controls.entities('Catalog_Партнеры').length, 5, 'refused writes left nothing behind')
})

t.test('§4.1 composites are written as X + X_Type; a type outside the attribute\'s types is code 4', async (t) => {
  const emulator = await startTestEmulator(t)
  const bad = await odata(emulator, 'Document_ТелефонныйЗвонок?$format=json', {
    method: 'POST', body: { АбонентКонтакт: ids.call, АбонентКонтакт_Type: 'StandardODATA.Document_ТелефонныйЗвонок' },
  })
  t.equal(bad.json()['odata.error'].code, '4')
  const noGuid = await odata(emulator, 'Document_ТелефонныйЗвонок?$format=json', {
    method: 'POST', body: { АбонентКонтакт: 'Иванов', АбонентКонтакт_Type: 'StandardODATA.Catalog_Партнеры' },
  })
  t.equal(noGuid.json()['odata.error'].code, '4')
  const record = (await odata(emulator, 'InformationRegister_ЖурналЗвонков3CX?$format=json', {
    method: 'POST', body: { ИдентификаторЗвонка: 'call-0002', Контрагент: ids.romashkaLegal, Контрагент_Type: 'Catalog_Контрагенты' },
  })).json()
  t.equal(record.Контрагент_Type, 'StandardODATA.Catalog_Контрагенты', 'a bare set name gets the namespace')
  const cleared = (await odata(emulator, "InformationRegister_ЖурналЗвонков3CX(ИдентификаторЗвонка='call-0002')?$format=json", {
    method: 'PATCH', body: { Контрагент: '', Контрагент_Type: 'StandardODATA.Undefined' },
  })).json()
  t.same([cleared.Контрагент, cleared.Контрагент_Type], ['', 'StandardODATA.Undefined'])
})

t.test('§4.2 PATCH changes only the given properties, replaces a tabular section whole, binds references; PUT too', async (t) => {
  const emulator = await startTestEmulator(t)
  const before = (await odata(emulator, `Catalog_Партнеры(guid'${ids.romashka}')?$format=json`)).json()
  const patched = await odata(emulator, `Catalog_Партнеры(guid'${ids.romashka}')?$format=json`, {
    method: 'PATCH',
    body: {
      'odata.metadata': 'ignored',
      Description: 'ООО «Ромашка и партнёры»',
      DataVersion: 'ignored',
      'ОсновнойМенеджер@odata.bind': `Catalog_Пользователи(guid'${ids.managerPetrova}')`,
      КонтактнаяИнформация: [{ LineNumber: '1', Тип: 'Телефон', Представление: '+7 (495) 000-00-01', НомерТелефона: '74950000001' }],
    },
  })
  t.equal(patched.status, 200)
  const after = patched.json()
  t.equal(after.Description, 'ООО «Ромашка и партнёры»')
  t.equal(after.Комментарий, before.Комментарий, 'properties not sent keep their values')
  t.not(after.DataVersion, before.DataVersion, 'a new DataVersion')
  t.not(after.DataVersion, 'ignored')
  t.equal(after.ОсновнойМенеджер_Key, ids.managerPetrova)
  t.same(after.КонтактнаяИнформация.map((r: Row) => [r.LineNumber, r.НомерТелефона]), [['1', '74950000001']], 'the old two rows are gone')
  const absolute = await odata(emulator, `Catalog_Партнеры(guid'${ids.romashka}')?$format=json`, {
    method: 'PUT', body: { 'ОсновнойМенеджер@odata.bind': `${emulator.odataUrl}/Catalog_Пользователи(guid'${ids.managerIvanov}')`, DeletionMark: true },
  })
  t.equal(absolute.json().ОсновнойМенеджер_Key, ids.managerIvanov, '@odata.bind with an absolute URI')
  t.equal((await odata(emulator, `Catalog_Партнеры(guid'${ids.romashka}')?$format=json&$select=DeletionMark`)).json().DeletionMark, true,
    'PATCH/PUT {"DeletionMark": true} marks for deletion (§4.3)')
  const wrongBind = await odata(emulator, `Catalog_Партнеры(guid'${ids.romashka}')?$format=json`, {
    method: 'PATCH', body: { 'ОсновнойМенеджер@odata.bind': `Catalog_Партнеры(guid'${ids.ivanov}')` },
  })
  t.equal(wrongBind.json()['odata.error'].code, '4', 'a bind to a set of the wrong type')
})

t.test('§4.2 a tabular row without LineNumber fails with 500 code -1 and the captured text', async (t) => {
  const emulator = await startTestEmulator(t)
  const answer = await odata(emulator, `Catalog_Партнеры(guid'${ids.romashka}')?$format=json`, {
    method: 'PATCH', body: { КонтактнаяИнформация: [{ Тип: 'Телефон', НомерТелефона: '74950000001' }] },
  })
  t.equal(answer.status, 500)
  t.same(answer.json(), { 'odata.error': { code: '-1', message: { lang: 'ru', value: 'Произошла внутренняя ошибка OData сервиса. Дополнительные сведения можно найти в технологическом журнале.' } } })
  t.equal(emulator.controls.entities('Catalog_Партнеры_КонтактнаяИнформация').filter((r) => r.Ref_Key === ids.romashka).length, 2, 'nothing was written')
})

t.test('§4.2 If-Match with a stale DataVersion is 412 (DOC §17.4.13.1.5); ifMatch=ignore accepts it [3P HCB]', async (t) => {
  const emulator = await startTestEmulator(t)
  const current = (await odata(emulator, `Catalog_Пользователи(guid'${ids.managerIvanov}')?$format=json`)).json().DataVersion as string
  const ok = await odata(emulator, `Catalog_Пользователи(guid'${ids.managerIvanov}')?$format=json`, { method: 'PATCH', headers: { 'if-match': current }, body: { Комментарий: 'a' } })
  t.equal(ok.status, 200)
  const stale = await odata(emulator, `Catalog_Пользователи(guid'${ids.managerIvanov}')?$format=json`, { method: 'PATCH', headers: { 'if-match': current }, body: { Комментарий: 'b' } })
  t.equal(stale.status, 412)
  const staleDelete = await odata(emulator, `Catalog_Пользователи(guid'${ids.managerIvanov}')`, { method: 'DELETE', headers: { 'if-match': `"${current}"` } })
  t.equal(staleDelete.status, 412)
  t.equal((await odata(emulator, `Catalog_Пользователи(guid'${ids.managerIvanov}')?$format=json`)).json().Комментарий, 'a')
  const lax = await startTestEmulator(t, { ifMatch: 'ignore' })
  t.equal((await odata(lax, `Catalog_Пользователи(guid'${ids.managerIvanov}')?$format=json`, { method: 'PATCH', headers: { 'if-match': 'AAAAAAAAAAA=' }, body: { Комментарий: 'c' } })).status, 200)
})

t.test('§4.3 DELETE removes physically: 204, then 404', async (t) => {
  const emulator = await startTestEmulator(t)
  const deleted = await odata(emulator, `Catalog_КонтактныеЛицаПартнеров(guid'${ids.sidorova}')`, { method: 'DELETE' })
  t.equal(deleted.status, 204)
  t.equal(deleted.text, '')
  t.equal((await odata(emulator, `Catalog_КонтактныеЛицаПартнеров(guid'${ids.sidorova}')?$format=json`)).status, 404)
  t.equal((await odata(emulator, `Catalog_КонтактныеЛицаПартнеров(guid'${ids.sidorova}')`, { method: 'DELETE' })).status, 404)
  t.equal(emulator.controls.entities('Catalog_КонтактныеЛицаПартнеров').length, 1)
})

t.test('§1.3 §4.1 tabular-section sets are read-only: POST is code 13 with the captured text, PATCH/DELETE of a row code 19', async (t) => {
  const emulator = await startTestEmulator(t)
  const post = await odata(emulator, 'Catalog_Партнеры_КонтактнаяИнформация?$format=json', { method: 'POST', body: { Ref_Key: ids.romashka, Тип: 'Телефон' } })
  t.equal(post.status, 400)
  t.same(post.json()['odata.error'], { code: '13', message: { lang: 'ru', value: 'Cоздание строк табличной части напрямую не поддерживается' } })
  t.equal(post.json()['odata.error'].message.value.charCodeAt(0), 0x43, 'with the Latin "C" of the capture')
  for (const method of ['PATCH', 'DELETE'] as const) {
    const answer = await odata(emulator, `Catalog_Партнеры_КонтактнаяИнформация(Ref_Key=guid'${ids.romashka}',LineNumber=1)?$format=json`, { method, body: { Тип: 'Факс' } })
    t.equal(answer.status, 405, method)
    t.equal(answer.json()['odata.error'].code, '19', method)
  }
  const postToKey = await odata(emulator, `Catalog_Партнеры(guid'${ids.romashka}')?$format=json`, { method: 'POST', body: {} })
  t.equal(postToKey.json()['odata.error'].code, '19', 'POST to an entity is not allowed')
})

t.test('§4.5 the independent register: POST → 201 + Location by dimension, duplicate key → 400 code 15, PATCH and DELETE by key', async (t) => {
  const emulator = await startTestEmulator(t)
  const record = { ИдентификаторЗвонка: "it's-0002", ДатаНачала: '2024-05-14T13:00:00', ТипЗвонка: 'Outbound', Длительность: '42', ВнешнийНомер: '+79165550011', Агент: 'Петрова Анна' }
  const created = await odata(emulator, 'InformationRegister_ЖурналЗвонков3CX?$format=json', { method: 'POST', body: record })
  t.equal(created.status, 201)
  t.equal(decodeURI(created.headers.location as string), `${decodeURI(emulator.odataUrl)}/InformationRegister_ЖурналЗвонков3CX(ИдентификаторЗвонка='it''s-0002')`)
  t.equal(created.json().Длительность, '42')
  t.equal(created.json().ДатаЗаписи, '0001-01-01T00:00:00')
  const read = await odata(emulator, "InformationRegister_ЖурналЗвонков3CX(ИдентификаторЗвонка='it''s-0002')?$format=json")
  t.equal(read.json().Агент, 'Петрова Анна', 'the canonical key with a doubled quote reads it back')
  const duplicate = await odata(emulator, 'InformationRegister_ЖурналЗвонков3CX?$format=json', { method: 'POST', body: { ...record, ТипЗвонка: 'Missed' } })
  t.equal(duplicate.status, 400)
  t.same(duplicate.json()['odata.error'], { code: '15', message: { lang: 'ru', value: 'Сущность с таким ключом уже существует' } })
  const caseOnly = await odata(emulator, 'InformationRegister_ЖурналЗвонков3CX?$format=json', { method: 'POST', body: { ИдентификаторЗвонка: 'CALL-0001' } })
  t.equal(caseOnly.json()['odata.error']?.code, '15', 'keys differing only in case collide, as in the DBMS')
  const patched = await odata(emulator, "InformationRegister_ЖурналЗвонков3CX(ИдентификаторЗвонка='it''s-0002')?$format=json", {
    method: 'PATCH', body: { Длительность: 43, ИдентификаторЗвонка: 'moved' },
  })
  t.equal(patched.status, 200)
  t.same([patched.json().Длительность, patched.json().ИдентификаторЗвонка], ['43', "it's-0002"], 'the key comes from the URL')
  t.equal((await odata(emulator, "InformationRegister_ЖурналЗвонков3CX(ИдентификаторЗвонка='it''s-0002')", { method: 'DELETE' })).status, 204)
  t.same(emulator.controls.entities('InformationRegister_ЖурналЗвонков3CX').map((r) => r.ИдентификаторЗвонка), ['call-0001'])
})

t.test('§4.5 duplicate register keys: the status and a silent replace are switches [UNCERTAIN]', async (t) => {
  const conflict = await startTestEmulator(t, { duplicateKeyStatus: 409 })
  const answer = await odata(conflict, 'InformationRegister_ЖурналЗвонков3CX?$format=json', { method: 'POST', body: { ИдентификаторЗвонка: 'call-0001' } })
  t.equal(answer.status, 409)
  t.equal(answer.json()['odata.error'].code, '15')
  const replacing = await startTestEmulator(t, { duplicateRegisterKey: 'replace' })
  const replaced = await odata(replacing, 'InformationRegister_ЖурналЗвонков3CX?$format=json', { method: 'POST', body: { ИдентификаторЗвонка: 'call-0001', ТипЗвонка: 'Missed' } })
  t.equal(replaced.status, 201)
  t.same(replacing.controls.entities('InformationRegister_ЖурналЗвонков3CX').map((r) => [r.ИдентификаторЗвонка, r.ТипЗвонка, r.Длительность]), [['call-0001', 'Missed', '0']],
    'the record is replaced as a whole, like RecordManager.Write()')
})

t.test('§4.4 §8 Post/Unpost: ТелефонныйЗвонок may not be posted (code 11); a postable document is posted and unposted', async (t) => {
  const emulator = await startTestEmulator(t)
  const denied = await odata(emulator, `Document_ТелефонныйЗвонок(guid'${ids.call}')/Post?PostingModeOperational=false&$format=json`, { method: 'POST' })
  t.equal(denied.status, 400)
  t.equal(denied.json()['odata.error'].code, '11')
  const postable = await startTestEmulator(t, { postableDocuments: ['Document_ТелефонныйЗвонок'] })
  t.match((await odata(postable, '$metadata')).text, '<FunctionImport Name="Post" IsBindable="true" IsSideEffecting="true">')
  t.equal((await odata(postable, `Document_ТелефонныйЗвонок(guid'${ids.call}')/Post?PostingModeOperational=false`, { method: 'POST' })).status, 204)
  t.equal((await odata(postable, `Document_ТелефонныйЗвонок(guid'${ids.call}')?$format=json`)).json().Posted, true)
  t.equal((await odata(postable, `Document_ТелефонныйЗвонок(guid'${ids.call}')/Unpost`, { method: 'POST' })).status, 204)
  t.equal((await odata(postable, `Document_ТелефонныйЗвонок(guid'${ids.call}')?$format=json`)).json().Posted, false)
  t.equal((await odata(postable, `Document_ТелефонныйЗвонок(guid'${ids.missing}')/Post?$format=json`, { method: 'POST' })).status, 404)
})

t.test('§8 whether Posted is served for an unpostable document is a switch [UNCERTAIN]', async (t) => {
  const emulator = await startTestEmulator(t, { postedWhenPostingDenied: 'omit' })
  t.notOk('Posted' in (await odata(emulator, `Document_ТелефонныйЗвонок(guid'${ids.call}')?$format=json`)).json())
  t.notMatch((await odata(emulator, '$metadata')).text, '<Property Name="Posted"')
})
