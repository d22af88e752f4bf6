import { readFileSync } from 'node:fs'
import t from 'tap'
import { guidFromRef } from '../lib/navlink.js'
import { ut11Profile } from '../lib/profiles/ut11.js'
import { basic, TCX } from './support/config.js'
import { demoData, startStack, waitUntil } from './support/stack.js'

interface TruthOwner { ownerSet: string, ownerKey: string, ownerDescription: string, ownerDeletionMark: boolean, partnerKey: string }
interface TruthPhone extends TruthOwner { e164: string | null }
const expectations = JSON.parse(readFileSync(new URL('../fixtures/demo-base/expectations.json', import.meta.url), 'utf8')) as { phones: TruthPhone[] }

const sourceSets = new Set(ut11Profile.sources.map(s => s.set))
const EMPTY = '00000000-0000-0000-0000-000000000000'

/** Every form 3CX may send a number in (3cx-crm.md §1.7, §4.4; peers.md §3.3). */
function formsOf (e164: string): string[] {
  const digits = e164.slice(1)
  const forms = [e164, ` ${digits}`, `00${digits}`, `tel:${e164}`]
  if (e164.startsWith('+7') && !e164.startsWith('+77')) {
    const nsn = e164.slice(2)
    forms.push(`8${nsn}`, `7${nsn}`, nsn, `8 (${nsn.slice(0, 3)}) ${nsn.slice(3, 6)}-${nsn.slice(6, 8)}-${nsn.slice(8)}`, `+7 ${nsn.slice(0, 3)} ${nsn.slice(3, 6)}-${nsn.slice(6, 8)}-${nsn.slice(8)}`)
  } else if (e164.startsWith('+77')) {
    forms.push(`8${e164.slice(2)}`)
  }
  return forms
}

t.test('every phone of the demo base is found from every form 3CX may send, and the number comes back as sent', async t => {
  const stack = await startStack(t)
  const base = await demoData()
  const deleted = new Set<string>()
  for (const set of sourceSets) for (const e of base.sets[set] ?? []) if (e.DeletionMark === true) deleted.add(String(e.Ref_Key))
  const owners = new Map<string, TruthPhone[]>()
  for (const p of expectations.phones) {
    if (p.e164 === null || !sourceSets.has(p.ownerSet)) continue
    owners.set(p.e164, [...(owners.get(p.e164) ?? []), p])
  }
  let checked = 0
  for (const [e164, rows] of owners) {
    // Alive: not marked, and a contact person's partner not marked either.
    const alive = rows.filter(r => !r.ownerDeletionMark && !(r.ownerSet === 'Catalog_КонтактныеЛицаПартнеров' && deleted.has(r.partnerKey)))
    const refs = new Set(alive.map(r => r.ownerKey))
    const partners = new Set(alive.map(r => r.partnerKey).filter(k => k !== EMPTY))
    for (const form of formsOf(e164)) {
      const res = await stack.tcx('lookup', { number: form })
      t.equal(res.status, 200, `${form}`)
      const body = res.json()
      checked++
      if (refs.size === 0) {
        t.same(body.contacts, [], `${form}: only deleted owners → nobody`)
        continue
      }
      if (refs.size === 1) {
        t.equal(body.contacts[0]?.ContactID, [...refs][0], `${form} → ${alive[0]!.ownerDescription}`)
      } else {
        t.ok(body.outcome === 'ambiguous' || refs.has(body.contacts[0]?.ContactID) || partners.has(body.contacts[0]?.ContactID), `${form}: shared number follows the policy (${body.outcome})`)
      }
      const contact = body.contacts[0]
      if (contact !== undefined) {
        t.ok([contact.PhoneBusiness, contact.PhoneMobile, contact.PhoneOther].includes(form), `${form} is echoed as sent`)
        t.equal(guidFromRef(/ref=([0-9a-f]{32})$/.exec(contact.ContactUrl)![1]!), contact.ContactID, 'the card link points at the object')
      }
    }
  }
  t.ok(checked > 1000, `checked ${checked} lookups`)
})

t.test('curated cases: shared numbers, deleted owners, other countries, local numbers', async t => {
  const stack = await startStack(t)
  const lookup = async (number: string): Promise<any> => (await stack.tcx('lookup', { number })).json()

  // ООО «Ромашка», its two contact persons share the office number: the number is the company's.
  const romashka = await lookup('+74951234567')
  t.match(romashka, { outcome: 'found', contacts: [{ CompanyName: 'ООО «Ромашка»', EntityType: 'Partner', Email: 'info@romashka.ru' }] })
  t.match(romashka.contacts[0].ContactUrl, /\/ut11\/#e1cib\/data\/Справочник\.Партнеры\?ref=[0-9a-f]{32}$/)
  // A contact person's own mobile: the person, with the partner as the company.
  t.match(await lookup('89161234567'), { outcome: 'found', contacts: [{ LastName: 'Петров', FirstName: 'Сергей Николаевич', CompanyName: 'ООО «Ромашка»', EntityType: 'ContactPerson', PhoneMobile: '89161234567' }] })
  // Two partners (a family business) share a number: nobody, rather than a random one.
  t.match(await lookup('+7 343 222-33-44'), { outcome: 'ambiguous', contacts: [] })
  // A deleted partner's number now also belongs to an active one: the active one.
  t.match(await lookup('84959876543'), { outcome: 'found', contacts: [{ CompanyName: 'ООО «Новый Клён»' }] })
  // Only a deleted contact person has it.
  t.match(await lookup('+79037654321'), { outcome: 'not_found', contacts: [] })
  // Same last 7 digits, another city: never the Moscow company.
  t.match(await lookup('+78121234567'), { contacts: [{ CompanyName: 'ООО «Невский Берег»' }] })
  // A bare 7-digit local number stored in 1C, found with DEFAULT_AREA_CODE=495.
  t.match(await lookup('+74952345678'), { contacts: [{ CompanyName: 'ООО «Колокольчик»' }] })
  // Kazakhstan and Belarus.
  t.match(await lookup('87011234567'), { contacts: [{ LastName: 'Нурланов' }] })
  t.match(await lookup('+375291234567'), { contacts: [{ CompanyName: 'ЧУП «Белтрейд»' }] })
  // Only Представление filled by an import.
  t.match(await lookup('+74951112233'), { contacts: [{ CompanyName: 'ООО «Импорт-Старт»' }] })
  t.match(await lookup('+79990000000'), { outcome: 'not_found', contacts: [] })
})

t.test('AMBIGUITY_POLICY=first picks deterministically; =none shows nobody for the office number', async t => {
  const first = await startStack(t, { env: { AMBIGUITY_POLICY: 'first' } })
  const a = (await first.tcx('lookup', { number: '+73432223344' })).json()
  const b = (await first.tcx('lookup', { number: '83432223344' })).json()
  t.equal(a.outcome, 'found')
  t.equal(a.contacts[0].ContactID, b.contacts[0].ContactID)
  const ip = expectations.phones.find(p => p.ownerDescription === 'ИП Морозов Дмитрий Андреевич')
  t.equal(a.contacts[0].ContactID, ip?.ownerKey, 'by kind, then name: "ИП Морозов…" before "Морозова…"')
  const none = await startStack(t, { env: { AMBIGUITY_POLICY: 'none' } })
  t.match((await none.tcx('lookup', { number: '+74951234567' })).json(), { outcome: 'ambiguous', contacts: [] })
})

t.test('text that is no number is "nobody" with outcome invalid and the reason, never reaching 1C as syntax', async t => {
  const stack = await startStack(t)
  // Only requests about contacts count: the /ready probe may ask for the service document meanwhile.
  const contactRequests = (): number => Object.entries(stack.emulator.controls.stats().bySet)
    .filter(([set]) => set.startsWith('Catalog_')).reduce((sum, [, methods]) => sum + Object.values(methods).reduce((a, b) => a + b, 0), 0)
  // 3CX is known to take only `200 {"contacts":[]}` (or a 404) as "not found" (3cx-crm.md §4.2).
  for (const number of ["' or 1 eq 1", "495'1234567", 'abc', '%27%20or%201%20eq%201', '+7 6xx', "7495123456') or ('1", '+7 495 123\u0001', '9'.repeat(65)]) {
    const res = await stack.tcx('lookup', { number })
    t.equal(res.status, 200, number)
    t.match(res.json(), { contacts: [], outcome: 'invalid', reason: /^Not a phone number: |longer than 64/ }, number)
  }
  for (const number of ['', '   ']) {
    t.same((await stack.tcx('lookup', { number })).json(), { contacts: [], outcome: 'invalid', reason: 'The number is empty.' }, JSON.stringify(number))
  }
  const get = await stack.app.inject({ url: '/3cx/lookup?number=', headers: { authorization: basic(TCX) } })
  t.equal(get.statusCode, 200)
  t.match(get.json(), { contacts: [], outcome: 'invalid', reason: 'The number is empty.' }, 'GET with an empty number')
  t.equal(contactRequests(), 0, 'not one request reached 1C')
  t.match((await stack.tcx('lookup', { number: 'Anonymous' })).json(), { contacts: [], outcome: 'not_found' }, 'a withheld number is nobody, not an error')
  t.match((await stack.tcx('lookup', { number: '101' })).json(), { contacts: [] }, 'an internal extension is nobody')
  t.equal(contactRequests(), 0)
  // Structurally wrong bodies stay a 400: a missing number, a number that is not a string.
  t.match((await stack.tcx('lookup', {})).json(), { error: { code: 'VALIDATION_FAILED', field: 'number' } })
  const notText = await stack.tcx('lookup', { number: 74951234567 })
  t.equal(notText.status, 400)
  t.match(notText.json(), { error: { code: 'VALIDATION_FAILED', field: 'number' } })
  const unauth = await stack.app.inject({ method: 'POST', url: '/3cx/lookup', payload: { number: '+74951234567' } })
  t.equal(unauth.statusCode, 401)
  t.match(unauth.json(), { error: { code: 'UNAUTHORIZED' } })
  t.match(unauth.headers['www-authenticate'], /Basic realm="3cx-1c-bridge"/)
})

t.test('a local number without DEFAULT_AREA_CODE is nobody (not_found), with the reason', async t => {
  const stack = await startStack(t, { env: { DEFAULT_AREA_CODE: '' } })
  const res = await stack.tcx('lookup', { number: '2345678' })
  t.equal(res.status, 200)
  t.match(res.json(), { contacts: [], outcome: 'not_found', reason: /local number without an area code.*DEFAULT_AREA_CODE/ })
})

t.test('50 concurrent lookups of one uncached number make one round of 1C requests', async t => {
  const stack = await startStack(t, { emulator: { latencyMs: 50 } })
  stack.emulator.controls.resetStats()
  const answers = await Promise.all(Array.from({ length: 50 }, () => stack.tcx('lookup', { number: '+74952223344' })))
  t.ok(answers.every(a => a.json().contacts[0]?.CompanyName === 'АО «Василёк»'))
  const stats = stack.emulator.controls.stats()
  for (const source of ut11Profile.sources) t.equal(stats.bySet[source.contactSet]?.GET, 1, `${source.contactSet}: one request`)
  t.ok(stats.total <= 7, `${stats.total} requests in all (phone rows per source, owners per set, parents)`)
})

t.test('1C down: a warm cache still answers; 1C slower than the budget: answered within the budget, then cached', async t => {
  const stack = await startStack(t, { env: { CACHE_TTL_S: '0', LOOKUP_BUDGET_MS: '400' } })
  const first = (await stack.tcx('lookup', { number: '+74952223344' })).json()
  t.equal(first.contacts[0].CompanyName, 'АО «Василёк»')
  await stack.emulator.stop()
  const down = (await stack.tcx('lookup', { number: '+74952223344' })).json()
  t.equal(down.contacts[0]?.CompanyName, 'АО «Василёк»', 'the stale entry is served while 1C is down')
  t.equal(down.outcome, 'error')
  t.match((await stack.tcx('lookup', { number: '+79161112233' })).json(), { contacts: [], outcome: 'error' }, 'an unknown number while 1C is down: nobody, at once')
  await stack.emulator.start()

  stack.emulator.controls.setLatency(5000)
  const slow = (await stack.tcx('lookup', { number: '+79161112233' })).json()
  t.match(slow, { contacts: [], outcome: 'budget_exceeded' }, 'a 400 ms budget against a 5 s 1C: answered without 1C')
  stack.emulator.controls.setLatency(0)
  await waitUntil(t, 'the background answer to fill the cache', () => stack.app.directory.cache.peek('+79161112233') !== undefined, 15_000)
  const later = (await stack.tcx('lookup', { number: '+79161112233' })).json()
  t.match(later, { contacts: [{ LastName: 'Кузнецова' }] })
})

t.test('GET for people: a + that arrived as a space, and the card link in the thin client', async t => {
  const stack = await startStack(t, { env: { CONTACT_URL_MODE: 'thin', ONEC_THIN_CLIENT_URL: 'e1c://server/srv1c/ut11' } })
  const res = await stack.app.inject({ url: '/3cx/lookup?number= 74952223344', headers: { authorization: basic(TCX) } })
  t.equal(res.statusCode, 200)
  t.match(res.json().contacts[0].ContactUrl, /^e1c:\/\/server\/srv1c\/ut11#e1cib\/data\/Справочник\.Партнеры\?ref=[0-9a-f]{32}$/)
  t.equal(res.json().contacts[0].PhoneBusiness, ' 74952223344')
})
