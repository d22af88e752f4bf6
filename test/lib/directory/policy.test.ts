import t from 'tap'
import { choose } from '../../../lib/directory/policy.js'
import { echoNumber, splitName, toTcxContact, type LinkOptions } from '../../../lib/directory/contact.js'
import type { Candidate, OwnerRecord } from '../../../lib/directory/types.js'
import { ut11Profile } from '../../../lib/profiles/ut11.js'

const phone = { defaultCountry: 'RU' }
const links: LinkOptions = { mode: 'web', webUrl: 'http://1c.local/ut11', thinClientUrl: 'e1c://server/srv/ut11', language: 'ru' }

function owner (kind: OwnerRecord['kind'], ref: string, name: string, extra: Partial<OwnerRecord> = {}): OwnerRecord {
  const source = ut11Profile.sources.find(s => s.kind === kind)!
  return { kind, set: source.set, ref, name, deleted: false, person: kind === 'ContactPerson', parentRef: undefined, phoneKeys: [], emails: [], ...extra }
}
function candidate (o: OwnerRecord, parent?: OwnerRecord): Candidate {
  const priority = ut11Profile.sources.findIndex(s => s.kind === o.kind)
  return { owner: o, source: ut11Profile.sources[priority]!, priority, parent }
}
const ref = (n: number): string => `00000000-0000-0000-0000-${String(n).padStart(12, '0')}`

t.test('one owner is found whatever the policy', async t => {
  for (const policy of ['priority', 'none', 'first'] as const) {
    const r = choose([candidate(owner('Partner', ref(1), 'ООО Ромашка'))], policy, ut11Profile.sources)
    t.equal(r.status, 'found', policy)
  }
  t.equal(choose([], 'priority', ut11Profile.sources).status, 'not_found')
})

t.test('priority: the most specific kind wins; among equals nobody, unless they share one client', async t => {
  const partner = owner('Partner', ref(1), 'ООО Ромашка')
  const person = owner('ContactPerson', ref(2), 'Иванов Иван', { parentRef: ref(1) })
  const r1 = choose([candidate(partner), candidate(person, partner)], 'priority', ut11Profile.sources)
  t.equal(r1.status === 'found' && r1.candidate.owner.ref, ref(2), 'contact person over its partner')

  const other = owner('Partner', ref(3), 'ООО Лютик')
  t.equal(choose([candidate(partner), candidate(other)], 'priority', ut11Profile.sources).status, 'ambiguous', 'two partners: nobody')

  // A switchboard shared by two contact persons of one partner belongs to that partner.
  const colleague = owner('ContactPerson', ref(4), 'Петров Пётр', { parentRef: ref(1) })
  const shared = choose([candidate(person, partner), candidate(colleague, partner)], 'priority', ut11Profile.sources)
  t.equal(shared.status, 'found')
  t.equal(shared.status === 'found' && shared.candidate.owner.ref, ref(1))
  t.equal(shared.status === 'found' && shared.candidate.owner.kind, 'Partner')

  const stranger = owner('ContactPerson', ref(5), 'Сидоров', { parentRef: ref(3) })
  t.equal(choose([candidate(person, partner), candidate(stranger, other)], 'priority', ut11Profile.sources).status, 'ambiguous', 'persons of two clients: nobody')

  const legal = owner('Counterparty', ref(6), 'ООО "Ромашка"', { parentRef: ref(1) })
  const legal2 = owner('Counterparty', ref(7), 'ИП Ромашкин', { parentRef: ref(1) })
  const both = choose([candidate(legal, partner), candidate(legal2, partner)], 'priority', ut11Profile.sources)
  t.equal(both.status === 'found' && both.candidate.owner.ref, ref(1), 'two counterparties of one partner: the partner')
})

t.test('none and first', async t => {
  const a = owner('Partner', ref(2), 'Б')
  const b = owner('Partner', ref(1), 'А')
  const c = owner('ContactPerson', ref(3), 'Я', { parentRef: ref(9) })
  t.equal(choose([candidate(a), candidate(c)], 'none', ut11Profile.sources).status, 'ambiguous')
  const first = choose([candidate(a), candidate(b)], 'first', ut11Profile.sources)
  t.equal(first.status === 'found' && first.candidate.owner.name, 'А', 'by name among equals')
  const byKind = choose([candidate(a), candidate(c)], 'first', ut11Profile.sources)
  t.equal(byKind.status === 'found' && byKind.candidate.owner.kind, 'ContactPerson', 'kind first')
  t.same(choose([candidate(a), candidate(a)], 'none', ut11Profile.sources).status, 'found', 'the same owner twice is one owner')
})

t.test('the contact 3CX gets: names split for persons, company from the parent, the card link', async t => {
  t.same(splitName('Иванов Иван Иванович', 'last-first'), { last: 'Иванов', first: 'Иван Иванович' })
  t.same(splitName('  Cher ', 'last-first'), { last: 'Cher', first: '' })
  t.same(splitName('John Ronald Tolkien', 'first-last'), { first: 'John Ronald', last: 'Tolkien' })
  t.same(splitName('Новый клиент 3CX +79261112299', 'last-first'), { first: '', last: 'Новый клиент 3CX +79261112299' }, 'a placeholder is not a person')

  const partner = owner('Partner', '51012ccc-397d-11de-b595-00055d80a2b9', 'ООО Ромашка', { person: false, emails: ['info@romashka.ru'] })
  const person = owner('ContactPerson', '1fa1a135-d89b-11e6-8343-40167e2531c3', 'Иванов Иван', {
    parentRef: partner.ref,
    phoneKeys: ['+74951234567', '+79161234567'],
  })
  const contact = toTcxContact(candidate(person, partner), links)
  t.same(contact, {
    ContactID: '1fa1a135-d89b-11e6-8343-40167e2531c3',
    FirstName: 'Иван',
    LastName: 'Иванов',
    CompanyName: 'ООО Ромашка',
    Email: '',
    PhoneBusiness: '+7 (495) 123-45-67',
    PhoneMobile: '+7 (916) 123-45-67',
    PhoneOther: '',
    EntityType: 'ContactPerson',
    ContactUrl: 'http://1c.local/ut11/#e1cib/data/Справочник.КонтактныеЛицаПартнеров?ref=834340167e2531c311e6d89b1fa1a135',
  })
  const company = toTcxContact(candidate(partner), { ...links, mode: 'thin' })
  t.match(company, { FirstName: '', LastName: '', CompanyName: 'ООО Ромашка', Email: 'info@romashka.ru', EntityType: 'Partner' })
  t.equal(company.ContactUrl, 'e1c://server/srv/ut11#e1cib/data/Справочник.Партнеры?ref=b59500055d80a2b911de397d51012ccc')
  const privatePerson = toTcxContact(candidate(owner('Partner', ref(8), 'Сидорова Анна', { person: true })), links)
  t.match(privatePerson, { FirstName: 'Анна', LastName: 'Сидорова', CompanyName: '' })
  t.equal(toTcxContact(candidate(owner('Counterparty', ref(9), 'ООО "Ромашка"')), links).CompanyName, 'ООО "Ромашка"')

  // 3CX registers the contact only if a phone output equals the number it searched, as it sent it.
  t.equal(echoNumber(contact, '84951234567', '+74951234567', phone).PhoneBusiness, '84951234567')
  t.equal(echoNumber(contact, '+79161234567', '+79161234567', phone).PhoneMobile, '+79161234567')
  const unmatched = echoNumber(company, '+74959999999', '+74959999999', phone)
  t.equal(unmatched.PhoneBusiness, '+74959999999')
})
