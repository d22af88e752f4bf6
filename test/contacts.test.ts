import { readFileSync } from 'node:fs'
import t from 'tap'
import { ut11Profile } from '../lib/profiles/ut11.js'
import { demoData, startStack, waitUntil, type Stack } from './support/stack.js'

const names = (body: any): string[] => (body.contacts as Array<Record<string, string>>).map(c => c.CompanyName !== '' && c.EntityType !== 'ContactPerson' ? String(c.CompanyName) : `${c.LastName ?? ''} ${c.FirstName ?? ''}`.trim())

function contactRequestsWithStatus (stack: Stack, status: string): number {
  const byStatus = stack.emulator.controls.stats().byStatus
  return Object.values(byStatus).reduce((sum, statuses) => sum + (statuses[status] ?? 0), 0)
}

t.test('search by a name fragment in either letter case, by a phone fragment, by an e-mail; exact first; limits', async t => {
  const stack = await startStack(t)
  for (const text of ['ромаш', 'РОМАШ', 'Ромаш', 'рОмАш']) {
    const res = await stack.tcx('search', { text })
    t.equal(res.status, 200)
    t.ok(names(res.json()).some(n => n.includes('Ромашка')), `"${text}" finds ООО «Ромашка»`)
  }
  const exact = (await stack.tcx('search', { text: 'ООО «Ромашка»' })).json()
  t.equal(exact.contacts[0].CompanyName, 'ООО «Ромашка»', 'the exact name ranks first')
  t.equal(exact.contacts[0].EntityType, 'Partner')
  const words = (await stack.tcx('search', { text: 'петров сергей' })).json()
  t.match(words.contacts[0], { LastName: 'Петров', FirstName: 'Сергей Николаевич', CompanyName: 'ООО «Ромашка»' }, 'every word, any order of case')
  const phone = (await stack.tcx('search', { text: '495 222-33' })).json()
  t.ok(names(phone).some(n => n.includes('Василёк')), 'a phone fragment')
  const mail = (await stack.tcx('search', { text: 'info@romashka.ru' })).json()
  t.equal(mail.contacts[0].CompanyName, 'ООО «Ромашка»', 'an e-mail')
  t.ok(mail.contacts.every((c: { Email: string }) => c.Email !== ''))

  const limited = await startStack(t, { env: { SEARCH_LIMIT: '3' } })
  t.equal((await limited.tcx('search', { text: 'ООО' })).json().contacts.length, 3, 'SEARCH_LIMIT caps the list')
  t.ok((await stack.tcx('search', { text: 'ООО' })).json().contacts.length > 3)
})

t.test('text that cannot be searched (too short, too long, control characters) is "nobody" with outcome invalid and the reason, never a scan', async t => {
  const stack = await startStack(t)
  stack.emulator.controls.resetStats()
  // 3CX is known to take only `200 {"contacts":[]}` (or a 404) as "nothing found" (3cx-crm.md §4.2).
  const cases: Array<[string, RegExp]> = [
    ['', /at least 3 characters/],
    ['  ', /at least 3 characters/],
    ['ab', /at least 3 characters/],
    ['a b', /a word of at least 2 characters/],
    ['12', /at least 3 characters/],
    ['+7 495', /at least 5 digits/],
    ['1234567890123456', /more digits than a phone number/],
    ['ромашка '.repeat(13), /at most 100 characters/],
    ['ab\u0001cd', /control characters/],
    ['a\u0001@romashka.ru', /control characters/],
    ['рома\u007fшка', /control characters/],
  ]
  for (const [text, reason] of cases) {
    const res = await stack.tcx('search', { text })
    t.equal(res.status, 200, JSON.stringify(text))
    t.match(res.json(), { contacts: [], outcome: 'invalid', reason }, JSON.stringify(text))
  }
  t.equal(Object.keys(stack.emulator.controls.stats().bySet).filter(s => s.startsWith('Catalog_')).length, 0, 'no request reached 1C')
  t.match((await stack.tcx('search', {})).json(), { error: { code: 'VALIDATION_FAILED', field: 'text' } }, 'no text at all: a 400')
  t.equal((await stack.tcx('search', { text: ['ромашка'] })).status, 400, 'text that is not a string: a 400')
})

t.test('search with 1C down is "nobody" with outcome error, like a ring', async t => {
  const stack = await startStack(t)
  await stack.emulator.stop()
  for (const text of ['ромашка', '495 222-33', 'info@romashka.ru']) {
    const res = await stack.tcx('search', { text })
    t.equal(res.status, 200, text)
    t.same(res.json(), { contacts: [], outcome: 'error' }, text)
  }
  await stack.emulator.start()
  t.match((await stack.tcx('search', { text: 'ромашка' })).json(), { outcome: 'found' }, 'found again once 1C is back')
})

t.test('a phone fragment finds numbers 1C holds only as text (Представление), live and from the phone index', async t => {
  const expectations = JSON.parse(readFileSync(new URL('../fixtures/demo-base/expectations.json', import.meta.url), 'utf8')) as { phones: Array<{ style: string, e164: string | null, ownerKey: string, ownerSet: string, ownerDeletionMark: boolean, stored: Record<string, string> }> }
  const sets = new Set(ut11Profile.sources.map(s => s.set))
  const textOnly = expectations.phones.filter(p => p.style === 'presentation-only' && p.e164 !== null && !p.ownerDeletionMark && sets.has(p.ownerSet))
  t.ok(textOnly.length >= 5, `${textOnly.length} numbers the demo base holds only as text`)
  const live = await startStack(t, { env: { INDEX_ENABLED: 'false' } })
  const indexed = await startStack(t, { env: { INDEX_ENABLED: 'true' } })
  await waitUntil(t, 'the first sync', () => indexed.app.phoneIndex?.state.origin === 'sync')
  indexed.emulator.controls.resetStats()
  for (const p of textOnly) {
    // Seven digits from the middle: across the separators of `8-846-350-76-73` or `+7(8442)499274`.
    const fragment = (p.e164 as string).slice(3, 10)
    for (const [how, stack] of [['live', live], ['index', indexed]] as const) {
      const res = (await stack.tcx('search', { text: fragment })).json()
      t.ok(res.contacts.some((c: { ContactID: string }) => c.ContactID === p.ownerKey), `${how}: "${fragment}" finds the owner of ${p.stored.Представление}`)
    }
  }
  // Typed with the trunk 8 as operators dial (8 846 350 7…): the index holds +7, and finds it all the same.
  const trunk = textOnly.find(p => (p.e164 as string).startsWith('+7'))
  if (trunk !== undefined) {
    const dialled = `8${(trunk.e164 as string).slice(2, 9)}`
    t.ok((await indexed.tcx('search', { text: dialled })).json().contacts.some((c: { ContactID: string }) => c.ContactID === trunk.ownerKey), `index: "${dialled}" (trunk 8) finds the owner of ${trunk.e164 as string}`)
  }
  t.equal(Object.keys(indexed.emulator.controls.stats().bySet).filter(s => s.startsWith('Catalog_')).length, 0, 'the index answered every phone fragment without 1C')
  // Digits in that order but with other digits between are not the fragment.
  const spread = textOnly.find(p => p.stored.Представление === '8-846-350-76-73')
  if (spread !== undefined) {
    for (const stack of [live, indexed]) t.notOk((await stack.tcx('search', { text: '8463576' })).json().contacts.some((c: { ContactID: string }) => c.ContactID === spread.ownerKey), 'not a fragment of 8-846-350-76-73')
  }
})

t.test('hostile search text (quotes, %, _, [) is escaped and never becomes syntax', async t => {
  const data = structuredClone(await demoData())
  const partners = data.sets.Catalog_Партнеры as Array<Record<string, unknown>>
  const extra = [
    ['11111111-2222-3333-4444-000000000001', 'Скидки 50% на всё'],
    ['11111111-2222-3333-4444-000000000002', 'Склад_номер_1 [север]'],
    ['11111111-2222-3333-4444-000000000003', "O'Brien & Co"],
  ]
  for (const [ref, description] of extra) partners.push({ Ref_Key: ref, Description: description, ЮрФизЛицо: 'Компания', Клиент: true, DeletionMark: false, IsFolder: false, КонтактнаяИнформация: [] })
  const stack = await startStack(t, { data })
  stack.emulator.controls.resetStats()
  const only = async (text: string, expected: string): Promise<void> => {
    const res = await stack.tcx('search', { text })
    t.equal(res.status, 200, text)
    t.same(names(res.json()), [expected], `"${text}" finds only ${expected}`)
  }
  await only('50%', 'Скидки 50% на всё')
  await only('д_номер', 'Склад_номер_1 [север]')
  await only('[север]', 'Склад_номер_1 [север]')
  await only("o'brien", "O'Brien & Co")
  for (const text of ["' or 1 eq 1 or '", "%'%", '__%__', '[^а-я]', "')) or ((", '\\%%']) {
    const res = await stack.tcx('search', { text })
    t.equal(res.status, 200, text)
    t.same(res.json().contacts, [], `"${text}" matches nothing`)
  }
  t.equal(contactRequestsWithStatus(stack, '400'), 0, '1C never saw a malformed query')
})

t.test('lookup by e-mail: exact, domain in another case, unknown, invalid', async t => {
  const stack = await startStack(t)
  t.match((await stack.tcx('lookup-by-email', { email: 'info@romashka.ru' })).json(), { outcome: 'found', contacts: [{ CompanyName: 'ООО «Ромашка»', Email: 'info@romashka.ru' }] })
  const upper = (await stack.tcx('lookup-by-email', { email: 'info@ROMASHKA.RU' })).json()
  t.match(upper, { outcome: 'found', contacts: [{ CompanyName: 'ООО «Ромашка»', Email: 'info@ROMASHKA.RU' }] }, 'the domain ignores case; the address comes back as sent')
  t.match((await stack.tcx('lookup-by-email', { email: 's.petrov@romashka.ru' })).json(), { contacts: [{ LastName: 'Петров', EntityType: 'ContactPerson' }] })
  t.match((await stack.tcx('lookup-by-email', { email: 'nobody@nowhere.example' })).json(), { outcome: 'not_found', contacts: [] })
  stack.emulator.controls.resetStats()
  // 3CX is known to take only `200 {"contacts":[]}` (or a 404) as "not found" (3cx-crm.md §4.2).
  for (const email of ["x' or 1 eq 1", 'no-at-sign.example.ru', 'a\u0001b@example.ru', 'ivanov@example.ru\u0000', 'x'.repeat(90) + '@example.ru']) {
    const bad = await stack.tcx('lookup-by-email', { email })
    t.equal(bad.status, 200, JSON.stringify(email))
    t.same(bad.json(), { contacts: [], outcome: 'invalid', reason: 'Not an e-mail address.' }, JSON.stringify(email))
  }
  for (const email of ['', '  ']) t.same((await stack.tcx('lookup-by-email', { email })).json(), { contacts: [], outcome: 'invalid', reason: 'The e-mail address is empty.' })
  t.equal(Object.keys(stack.emulator.controls.stats().bySet).filter(s => s.startsWith('Catalog_')).length, 0, 'no request reached 1C')
  t.match((await stack.tcx('lookup-by-email', { email: 42 })).json(), { error: { code: 'VALIDATION_FAILED', field: 'email' } }, 'not a string: a 400')
})

t.test('create from an unknown number, then the next ring finds it with the right name at once', async t => {
  const stack = await startStack(t)
  const res = await stack.tcx('create-contact', { number: '+7 (926) 555-44-33', firstName: 'Анна', lastName: 'Смирнова', direction: 'Inbound' })
  t.equal(res.status, 200)
  const body = res.json()
  t.equal(body.outcome, 'created')
  t.match(body.contacts[0], { LastName: 'Смирнова', FirstName: 'Анна', EntityType: 'Partner', ContactUrl: /#e1cib\/data\/Справочник\.Партнеры\?ref=[0-9a-f]{32}$/ })
  t.ok([body.contacts[0].PhoneBusiness, body.contacts[0].PhoneMobile].includes('+7 (926) 555-44-33'), 'the number as sent')
  const created = stack.emulator.controls.entities('Catalog_Партнеры').find(p => p.Ref_Key === body.contacts[0].ContactID) as Record<string, unknown>
  const kinds = stack.emulator.controls.entities('Catalog_ВидыКонтактнойИнформации')
  const phoneKind = kinds.find(k => k.PredefinedDataName === 'ТелефонПартнера')?.Ref_Key
  t.match(created, { Description: 'Смирнова Анна', ЮрФизЛицо: 'ЧастноеЛицо', Клиент: true })
  t.match((created.КонтактнаяИнформация as unknown[])[0], { LineNumber: '1', Тип: 'Телефон', Вид_Key: phoneKind, Представление: '+7 (926) 555-44-33', НомерТелефона: '79265554433', НомерТелефонаБезКодов: '5554433' })

  stack.emulator.controls.resetStats()
  const ring = (await stack.tcx('lookup', { number: '89265554433' })).json()
  t.match(ring, { outcome: 'found', contacts: [{ LastName: 'Смирнова', FirstName: 'Анна' }] })
  t.equal(Object.keys(stack.emulator.controls.stats().bySet).filter(s => s.startsWith('Catalog_')).length, 0, 'answered from what the cache learned')

  const again = (await stack.tcx('create-contact', { number: '+79265554433', firstName: 'New', lastName: '3CX Contact' })).json()
  t.equal(again.outcome, 'existing', 'never a duplicate')
  t.equal(again.contacts[0].ContactID, body.contacts[0].ContactID)
  const known = (await stack.tcx('create-contact', { number: '+74952223344', firstName: 'New', lastName: 'X' })).json()
  t.match(known, { outcome: 'existing', contacts: [{ CompanyName: 'АО «Василёк»' }] })
})

t.test('concurrent creates for one number make one object', async t => {
  const stack = await startStack(t, { emulator: { latencyMs: 20 } })
  const before = stack.emulator.controls.entities('Catalog_Партнеры').length
  const answers = await Promise.all(Array.from({ length: 10 }, () => stack.tcx('create-contact', { number: '+79267778899', firstName: 'New', lastName: '3CX Contact +79267778899' })))
  t.equal(stack.emulator.controls.entities('Catalog_Партнеры').length, before + 1)
  t.equal(new Set(answers.map(a => a.json().contacts[0].ContactID)).size, 1)
})

t.test('from the client: with an e-mail, and as a contact person under a partner; bad input', async t => {
  const stack = await startStack(t)
  const romashka = stack.emulator.controls.entities('Catalog_Партнеры').find(p => p.Description === 'ООО «Ромашка»')?.Ref_Key as string
  const res = (await stack.tcx('create-contact-from-client', { number: '+79035550011', email: 'Olga@Example.RU', firstName: 'Ольга', lastName: 'Козлова', partnerId: romashka })).json()
  t.match(res, { outcome: 'created', contacts: [{ LastName: 'Козлова', CompanyName: 'ООО «Ромашка»', EntityType: 'ContactPerson', Email: 'Olga@example.ru' }] })
  const person = stack.emulator.controls.entities('Catalog_КонтактныеЛицаПартнеров').find(p => p.Ref_Key === res.contacts[0].ContactID) as Record<string, unknown>
  t.equal(person.Owner_Key, romashka)
  t.match((person.КонтактнаяИнформация as unknown[])[1], { LineNumber: '2', Тип: 'АдресЭлектроннойПочты', АдресЭП: 'Olga@example.ru', ДоменноеИмяСервера: 'example.ru' })
  t.match((await stack.tcx('lookup-by-email', { email: 'olga@example.ru' })).json(), { contacts: [{ LastName: 'Козлова' }] })

  t.match((await stack.tcx('create-contact-from-client', { firstName: 'X' })).json(), { error: { code: 'VALIDATION_FAILED', field: 'number' } })
  t.match((await stack.tcx('create-contact-from-client', { number: 'Anonymous' })).json(), { error: { code: 'INVALID_PHONE_NUMBER' } })
  t.match((await stack.tcx('create-contact-from-client', { number: '+79035550012', email: 'not-an-email' })).json(), { error: { code: 'INVALID_EMAIL' } })
  t.match((await stack.tcx('create-contact-from-client', { number: '+79035550013', partnerId: '00000000-0000-0000-0000-000000000001' })).json(), { error: { code: 'VALIDATION_FAILED', field: 'partnerId' } })
  t.match((await stack.tcx('create-contact-from-client', { number: '+79035550014', email: 'x\u0001@example.ru' })).json(), { error: { code: 'INVALID_EMAIL', field: 'email' } }, 'creation keeps its errors: a control character')
})

t.test('a partnerId that is no GUID is a 400 before any 1C request; a partner group is no partner', async t => {
  const stack = await startStack(t)
  const people = (): number => stack.emulator.controls.entities('Catalog_КонтактныеЛицаПартнеров').length
  const before = people()
  stack.emulator.controls.resetStats()
  for (const partnerId of ['not-a-guid', "x'", '1fa1a135-d89b-11e6-8343-40167e2531c3x']) {
    const res = await stack.tcx('create-contact-from-client', { number: '+74957650000', lastName: 'Тест', partnerId })
    t.equal(res.status, 400, partnerId)
    t.match(res.json(), { error: { code: 'VALIDATION_FAILED', field: 'partnerId' } }, partnerId)
  }
  // Only requests about contacts count: the /ready probe may ask for the service document meanwhile.
  t.equal(Object.keys(stack.emulator.controls.stats().bySet).filter(s => s.startsWith('Catalog_')).length, 0, 'not one request reached 1C')
  const folder = stack.emulator.controls.entities('Catalog_Партнеры').find(p => p.IsFolder === true)
  t.ok(folder, 'the demo base has a group of partners')
  const res = await stack.tcx('create-contact-from-client', { number: '+74957650002', lastName: 'Под Папкой', partnerId: String(folder?.Ref_Key) })
  t.equal(res.status, 400)
  t.match(res.json(), { error: { code: 'VALIDATION_FAILED', field: 'partnerId', message: /group \(folder\)/ } })
  t.equal(people(), before, 'no contact person was created under the group')
})

t.test('creation disabled gives a clear answer and writes nothing', async t => {
  const stack = await startStack(t, { env: { CONTACT_CREATION: 'disabled' } })
  const before = stack.emulator.controls.entities('Catalog_Партнеры').length
  const res = await stack.tcx('create-contact', { number: '+79260000001' })
  t.equal(res.status, 403)
  t.match(res.json(), { error: { code: 'CONTACT_CREATION_DISABLED', message: /CONTACT_CREATION=disabled/ } })
  t.equal(stack.emulator.controls.entities('Catalog_Партнеры').length, before)
  t.ok(ut11Profile.create.source === 'Partner')
})
