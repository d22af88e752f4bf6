import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { AppError } from '../lib/errors.js'
import { syncPhoneTable } from '../lib/phone-index/sync.js'
import { SNAPSHOT_FILE } from '../lib/phone-index/snapshot.js'
import { PhoneIndexService } from '../lib/phone-index/service.js'
import { ut11Profile } from '../lib/profiles/ut11.js'
import type { ListQuery } from '../lib/odata/query.js'
import type { OneCReader } from '../lib/directory/types.js'
import type { BaseData } from '../emulator/data/types.js'
import { demoData, startStack, waitUntil, type Stack } from './support/stack.js'
import { odata } from './support/emulator-base.js'

interface TruthPhone { e164: string | null, ownerSet: string }
const expectations = JSON.parse(readFileSync(new URL('../fixtures/demo-base/expectations.json', import.meta.url), 'utf8')) as { phones: TruthPhone[] }
const sourceSets = new Set(ut11Profile.sources.map(s => s.set))
const numbers = [...new Set(expectations.phones.filter(p => p.e164 !== null && sourceSets.has(p.ownerSet)).map(p => p.e164 as string))]

/**
 * Numbers an import left in Представление alone, grouped three and four (`765 4321`), which the demo base
 * lacks: a live lookup must find them as the index (which reads every presentation with lib/phone) does.
 */
const THREE_FOUR = [
  { ref: '11111111-2222-3333-4444-000000000341', name: 'ООО «Импорт Три-Четыре»', rows: [['+7 495 765 4321', '+74957654321'], ['8-916-765-4321', '+79167654321']] },
  { ref: '11111111-2222-3333-4444-000000000342', name: 'ИП Точкин Павел', rows: [['+7 (812) 333.4455', '+78123334455']] },
] as const

async function withThreeFourRows (): Promise<BaseData> {
  const data = structuredClone(await demoData())
  const partners = data.sets.Catalog_Партнеры as Array<Record<string, unknown>>
  const template = partners.find(p => p.IsFolder !== true && (p.КонтактнаяИнформация as Array<Record<string, unknown>>).some(r => r.Тип === 'Телефон'))!
  const phoneRow = (template.КонтактнаяИнформация as Array<Record<string, unknown>>).find(r => r.Тип === 'Телефон')!
  for (const { ref, name, rows } of THREE_FOUR) {
    const info = rows.map(([shown], i) => ({ ...phoneRow, Ref_Key: ref, LineNumber: String(i + 1), Представление: shown, НомерТелефона: '', НомерТелефонаБезКодов: '', Значение: '' }))
    partners.push({ ...template, Ref_Key: ref, Description: name, НаименованиеПолное: name, DeletionMark: false, КонтактнаяИнформация: info })
  }
  return data
}

function formsOf (e164: string): string[] {
  const forms = [e164, ` ${e164.slice(1)}`, `00${e164.slice(1)}`]
  if (e164.startsWith('+7') && !e164.startsWith('+77')) forms.push(`8${e164.slice(2)}`, e164.slice(2), `+7 (${e164.slice(2, 5)}) ${e164.slice(5, 8)}-${e164.slice(8, 10)}-${e164.slice(10)}`)
  return forms
}

const indexed = (stack: Stack): boolean => stack.app.phoneIndex?.state.origin === 'sync'
const contactRequests = (stack: Stack): number => Object.entries(stack.emulator.controls.stats().bySet)
  .filter(([set]) => set.startsWith('Catalog_')).reduce((sum, [, m]) => sum + Object.values(m).reduce((a, b) => a + b, 0), 0)

for (const policy of ['priority', 'none', 'first']) {
  t.test(`AMBIGUITY_POLICY=${policy}: the index answers exactly what a live lookup answers, for every phone in every form`, async t => {
    // Two emulators: card links name the same web client so that answers compare field by field.
    const web = { ONEC_WEB_URL: 'http://1c.example.local/ut11' }
    const withIndex = await startStack(t, { env: { INDEX_ENABLED: 'true', AMBIGUITY_POLICY: policy, ...web }, data: await withThreeFourRows() })
    const live = await startStack(t, { env: { INDEX_ENABLED: 'false', AMBIGUITY_POLICY: policy, ...web }, data: await withThreeFourRows() })
    await waitUntil(t, 'the first sync', () => indexed(withIndex))
    for (const { ref, rows } of THREE_FOUR) {
      for (const [shown, e164] of rows) t.equal((await live.tcx('lookup', { number: e164 })).json().contacts[0]?.ContactID, ref, `live: ${shown} is found`)
    }
    let compared = 0
    let fromIndex = 0
    for (const number of [...numbers, ...THREE_FOUR.flatMap(o => o.rows.map(([, e164]) => e164))]) {
      const liveAnswers = new Map<string, unknown>()
      for (const form of formsOf(number)) {
        const a = (await withIndex.tcx('lookup', { number: form })).json()
        const b = (await live.tcx('lookup', { number: form })).json()
        t.same(a, b, form)
        liveAnswers.set(form, b)
        compared++
      }
      // Rung again, each form after the others: the answer remembered per form, still its own echo.
      for (const [form, b] of liveAnswers) t.same((await withIndex.tcx('lookup', { number: form })).json(), b, `${form}, again`)
      fromIndex++
    }
    t.ok(compared > 900, `${compared} answers compared over ${fromIndex} numbers`)
  })
}

t.test('an index hit asks 1C nothing and answers at once, even when 1C is slow; a moved number is corrected after its next ring', async t => {
  const stack = await startStack(t, { env: { INDEX_ENABLED: 'true' } })
  await waitUntil(t, 'the first sync', () => indexed(stack))
  stack.emulator.controls.resetStats()
  stack.emulator.controls.setLatency(3000)
  const answers = await Promise.all(Array.from({ length: 20 }, () => stack.tcx('lookup', { number: '+79161112233' })))
  // Waiting for a 3 s 1C would have run out the lookup budget and answered nobody.
  t.ok(answers.every(a => a.json().contacts[0]?.LastName === 'Кузнецова' && a.json().outcome === 'found'), 'answered from the index')
  t.ok(contactRequests(stack) <= 1, `20 rings of one number: ${contactRequests(stack)} request (one background refresh, by key)`)
  stack.emulator.controls.setLatency(0)

  // The number moves in 1C from АО «Василёк» to ООО «Колокольчик».
  const partners = stack.emulator.controls.entities('Catalog_Партнеры')
  const vasilek = partners.find(p => p.Description === 'АО «Василёк»')!
  const kolokolchik = partners.find(p => p.Description === 'ООО «Колокольчик»')!
  const auth = `Basic ${Buffer.from('odata:odata').toString('base64')}`
  const patch = async (ref: unknown, rows: Array<Record<string, unknown>>): Promise<void> => {
    const res = await fetch(`${stack.emulator.odataUrl}/Catalog_Партнеры(guid'${String(ref)}')?$format=json`, { method: 'PATCH', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify({ КонтактнаяИнформация: rows.map((r, i) => ({ ...r, Ref_Key: ref, LineNumber: String(i + 1) })) }) })
    t.equal(res.status, 200)
  }
  const vasilekRows = vasilek.КонтактнаяИнформация as Array<Record<string, unknown>>
  const moved = vasilekRows.find(r => r.НомерТелефона === '84952223344')!
  await patch(vasilek.Ref_Key, vasilekRows.filter(r => r !== moved))
  await patch(kolokolchik.Ref_Key, [...(kolokolchik.КонтактнаяИнформация as Array<Record<string, unknown>>), moved])

  // The ring right after the move still shows the old owner (from memory), and sends 1C a cheap question
  // about it (by key); the rings after that show the new owner.
  t.match((await stack.tcx('lookup', { number: '+74952223344' })).json(), { contacts: [{ CompanyName: 'АО «Василёк»' }] })
  await waitUntil(t, 'the correction', async () => (await stack.tcx('lookup', { number: '+74952223344' })).json().contacts[0]?.CompanyName === 'ООО «Колокольчик»')
  t.pass('the moved number shows its new owner')
})

t.test('a number the administrator purges asks 1C at its next ring: a second owner added in 1C shows at once', async t => {
  const stack = await startStack(t, { env: { INDEX_ENABLED: 'true' } })
  await waitUntil(t, 'the first sync', () => indexed(stack))
  t.match((await stack.tcx('lookup', { number: '+74952223344' })).json(), { contacts: [{ CompanyName: 'АО «Василёк»' }], outcome: 'found' })

  // The same number is added to a second partner in 1C. The background refresh re-reads the owners the
  // index knows, by key, so it cannot see the new one: until the next full sync, only a purge of the number does.
  const partners = stack.emulator.controls.entities('Catalog_Партнеры')
  const vasilek = partners.find(p => p.Description === 'АО «Василёк»')!
  const kolokolchik = partners.find(p => p.Description === 'ООО «Колокольчик»')!
  const shared = (vasilek.КонтактнаяИнформация as Array<Record<string, unknown>>).find(r => r.НомерТелефона === '84952223344')!
  const rows = [...(kolokolchik.КонтактнаяИнформация as Array<Record<string, unknown>>), shared].map((r, i) => ({ ...r, Ref_Key: kolokolchik.Ref_Key, LineNumber: String(i + 1) }))
  const res = await fetch(`${stack.emulator.odataUrl}/Catalog_Партнеры(guid'${String(kolokolchik.Ref_Key)}')?$format=json`, { method: 'PATCH', headers: { authorization: `Basic ${Buffer.from('odata:odata').toString('base64')}`, 'content-type': 'application/json' }, body: JSON.stringify({ КонтактнаяИнформация: rows }) })
  t.equal(res.status, 200)

  // The cost model tells a scan (a live lookup) from a read by key (a background refresh).
  stack.emulator.controls.setCostModel(true)
  const scans = (): number => stack.emulator.controls.costStats().byPath.scan.requests
  const purged = await stack.admin('DELETE', `cache/${encodeURIComponent('8 (495) 222-33-44')}`)
  t.same(purged.json(), { purged: 1 }, 'the number is purged in any form 3CX may send')
  stack.emulator.controls.resetStats()
  t.match((await stack.tcx('lookup', { number: '+74952223344' })).json(), { contacts: [], outcome: 'ambiguous' }, 'two partners now hold it: nobody is shown (AMBIGUITY_POLICY=priority)')
  t.ok(scans() > 0, 'the ring after the purge asked 1C live')
  stack.emulator.controls.resetStats()
  t.match((await stack.tcx('lookup', { number: '84952223344' })).json(), { outcome: 'ambiguous' }, 'the live answer entered the cache and the index')
  t.equal(scans(), 0, 'the next ring: no live lookup')

  t.same((await stack.admin('DELETE', `cache/${encodeURIComponent('+74957770002')}`)).json(), { purged: 0 }, 'a number neither cache nor index knows')
  // Purging the whole cache keeps the index: otherwise every ring would become a scan in 1C.
  await stack.admin('DELETE', 'cache')
  stack.emulator.controls.resetStats()
  t.match((await stack.tcx('lookup', { number: '+79161112233' })).json(), { contacts: [{ LastName: 'Кузнецова' }] })
  t.equal(scans(), 0, 'answered from the index after a full purge')
  t.equal(stack.app.phoneIndex?.state.origin, 'sync')
})

t.test('numbers no live owner holds cost 1C nothing once answered, ring after ring', async t => {
  const stack = await startStack(t, { env: { INDEX_ENABLED: 'true' } })
  await waitUntil(t, 'the first sync', () => indexed(stack))
  const unknown = '+74957770001'
  // Its only owner deletion-marked (fixtures/demo-base): known to the index, so not even its first ring asks 1C.
  const ofDeletedOwner = '+79037654321'
  stack.emulator.controls.resetStats()
  t.match((await stack.tcx('lookup', { number: unknown })).json(), { contacts: [], outcome: 'not_found' }, 'an unknown caller is asked of 1C live, once')
  t.ok(contactRequests(stack) > 0, 'the unknown caller\'s first ring asked 1C')
  stack.emulator.controls.resetStats()
  t.match((await stack.tcx('lookup', { number: ofDeletedOwner })).json(), { contacts: [], outcome: 'not_found' }, 'a deleted owner\'s number, first ring')
  for (let ring = 2; ring <= 4; ring++) {
    for (const number of [unknown, ofDeletedOwner]) {
      t.match((await stack.tcx('lookup', { number })).json(), { contacts: [], outcome: 'not_found' }, `${number}, ring ${ring}`)
    }
    // Room for a background refresh (one a second at most) to run, had a ring started one.
    await new Promise(resolve => setTimeout(resolve, 1200))
  }
  t.equal(contactRequests(stack), 0, 'no request to 1C: no refresh that forgets the answer, so no live scan after it')
})

t.test('a contact created for a number the index holds with no live owner is found from the index once the cache forgets it', async t => {
  const stack = await startStack(t, { env: { INDEX_ENABLED: 'true' } })
  await waitUntil(t, 'the first sync', () => indexed(stack))
  // Its only owner is deletion-marked (fixtures/demo-base): the index knows it and answers nobody.
  const number = '+79037654321'
  t.match((await stack.tcx('lookup', { number })).json(), { contacts: [], outcome: 'not_found' })
  const created = (await stack.tcx('create-contact', { number, lastName: 'Новый клиент 3CX' })).json()
  t.equal(created.outcome, 'created')
  const ref = created.contacts[0].ContactID
  t.match((await stack.tcx('lookup', { number: '89037654321' })).json(), { outcome: 'found', contacts: [{ ContactID: ref }] }, 'the next ring, from the cache')
  // The cache forgets (its TTL runs out; here the administrator's purge of the whole cache, which keeps the index).
  await stack.admin('DELETE', 'cache')
  t.match((await stack.tcx('lookup', { number })).json(), { outcome: 'found', contacts: [{ ContactID: ref, LastName: 'Новый клиент 3CX' }] }, 'the index learned the new owner')
})

t.test('the index survives a restart: a snapshot answers the first ring while 1C is down; bad snapshots are ignored', async t => {
  const first = await startStack(t, { env: { INDEX_ENABLED: 'true' } })
  await waitUntil(t, 'sync and snapshot', () => indexed(first))
  const dataDir = first.dataDir
  await first.app.close()
  const snapshot = readFileSync(join(dataDir, SNAPSHOT_FILE))
  const headerEnd = snapshot.indexOf(10)
  const header = snapshot.subarray(0, headerEnd).toString('utf8')
  t.match(header, /^\{"format":"3cx-1c-bridge\/phone-index","version":2,/)
  const withHeader = (text: string): Buffer => Buffer.concat([Buffer.from(text), snapshot.subarray(headerEnd)])

  // The same base at the same address, down when the proxy starts.
  const address = Number(new URL(first.emulator.baseUrl).port)
  await first.emulator.stop()
  const second = await startStack(t, { env: { INDEX_ENABLED: 'true' }, dataDir, emulator: { port: address } })
  await second.emulator.stop()
  t.equal(second.app.phoneIndex?.state.origin, 'snapshot')
  t.match((await second.tcx('lookup', { number: '84952223344' })).json(), { outcome: 'found', contacts: [{ CompanyName: 'АО «Василёк»' }] })
  await second.app.close()

  const damaged = Buffer.from(snapshot)
  damaged[damaged.length - 100] = (damaged[damaged.length - 100] as number) ^ 0xff
  writeFileSync(join(dataDir, SNAPSHOT_FILE), damaged)
  const third = await startStack(t, { env: { INDEX_ENABLED: 'true' }, dataDir })
  t.equal(third.app.phoneIndex?.state.origin, undefined, 'a snapshot that fails its checksum is not used')
  await third.app.close()
  writeFileSync(join(dataDir, SNAPSHOT_FILE), withHeader(header.replace('"version":2', '"version":99')))
  const fourth = await startStack(t, { env: { INDEX_ENABLED: 'true' }, dataDir })
  t.equal(fourth.app.phoneIndex?.state.origin, undefined, 'nor one of another version')
  await fourth.app.close()
  writeFileSync(join(dataDir, SNAPSHOT_FILE), snapshot.subarray(0, snapshot.length - 10))
  const truncated = await startStack(t, { env: { INDEX_ENABLED: 'true' }, dataDir })
  t.equal(truncated.app.phoneIndex?.state.origin, undefined, 'nor a truncated one')
  await truncated.app.close()
  writeFileSync(join(dataDir, SNAPSHOT_FILE), snapshot)
  const fifth = await startStack(t, { env: { INDEX_ENABLED: 'true', DEFAULT_AREA_CODE: '812' }, dataDir, emulator: { port: address } })
  t.equal(fifth.app.phoneIndex?.state.origin, undefined, 'nor one made with other phone settings')
  await fifth.app.close()
  await fifth.emulator.stop()
  // Another base (here: another address): its rings must not be answered with the first base's owners.
  const otherBase = await startStack(t, { env: { INDEX_ENABLED: 'true' }, dataDir })
  await otherBase.emulator.stop()
  t.equal(otherBase.app.phoneIndex?.state.origin, undefined, 'nor one of another base')
})

t.test('a failed sync keeps the old index and says so in /ready and the metrics; admin starts a sync', async t => {
  const stack = await startStack(t, { env: { INDEX_ENABLED: 'true' } })
  await waitUntil(t, 'sync', () => indexed(stack))
  stack.emulator.controls.failNext(1000, '500')
  const res = await stack.admin('POST', 'index/sync')
  t.equal(res.status, 202)
  await waitUntil(t, 'the failed sync', () => stack.app.phoneIndex?.state.lastSync?.ok === false)
  const ready = (await stack.app.inject('/ready')).json()
  t.ok(ready.warnings.some((w: string) => /phone index sync failed.*previous index stays in use/.test(w)))
  t.match((await stack.tcx('lookup', { number: '+74952223344' })).json(), { outcome: 'found' }, 'rings still answered from the old index')
  const isoTime = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/
  t.match((await stack.admin('GET', 'index')).json(), { ready: true, origin: 'sync', syncedAt: isoTime, lastSync: { ok: false, at: isoTime, error: /./ }, rows: Number, numbers: Number }, 'the admin view, with readable times')
  stack.emulator.controls.clearFaults()
  await stack.admin('POST', 'index/sync')
  await waitUntil(t, 'a good sync again', () => stack.app.phoneIndex?.state.lastSync?.ok === true)
  const metrics = await stack.app.inject({ url: '/metrics', headers: { authorization: `Basic ${Buffer.from('metrics:metrics-secret').toString('base64')}` } })
  t.match(metrics.body, /bridge_index_syncs_total\{result="failed"\} 1/)
  t.match(metrics.body, /bridge_index_rows \d+/)
  t.match(metrics.body, /bridge_index_age_seconds \d/)
})

t.test('paging: keyset by Ref_Key, $skip, and auto falling back to $skip when 1C refuses the keyset filter', async t => {
  const data = await demoData()
  const live = await startStack(t, { data: structuredClone(data) })
  const dir = { client: live.app.onec, profile: ut11Profile, phone: live.app.phoneOptions }
  let keysetRequests = 0
  const keyset = await syncPhoneTable(dir, { pageSize: 7, paging: 'keyset', onRequest: () => { keysetRequests++ } })
  const skip = await syncPhoneTable(dir, { pageSize: 7, paging: 'skip' })
  t.same(keyset.table.stats, skip.table.stats, 'both pagings read the same base')
  t.ok(keysetRequests > 20, `${keysetRequests} pages of 7`)
  const refusing: OneCReader = {
    list: async <T>(q: ListQuery): Promise<{ value: T[], count: number | undefined }> => {
      if (q.filter !== undefined) throw new AppError('ONEC_BAD_REQUEST', '1C rejected the request (400, code 14).')
      return await live.app.onec.list<T>(q)
    },
    get: live.app.onec.get.bind(live.app.onec),
  }
  let fellBack = 0
  const auto = await syncPhoneTable({ ...dir, client: refusing }, { pageSize: 7, paging: 'auto', onFallback: () => { fellBack++ } })
  t.equal(auto.paging, 'skip')
  t.equal(fellBack, 1)
  t.same(auto.table.stats, keyset.table.stats)
  await t.rejects(syncPhoneTable({ ...dir, client: refusing }, { pageSize: 7, paging: 'keyset' }), { code: 'ONEC_BAD_REQUEST' })

  // A 1C that takes the keyset filter but orders pages otherwise than it compares (here: pages by name,
  // `gt` by reference) would skip objects silently; the count at the end of each source catches it.
  const misordered: OneCReader = {
    get: live.app.onec.get.bind(live.app.onec),
    count: live.app.onec.count.bind(live.app.onec),
    list: async <T>(q: ListQuery): Promise<{ value: T[], count: number | undefined }> => {
      const all = (await live.app.onec.list<Record<string, unknown>>({ ...q, filter: undefined, skip: undefined, top: 100_000 })).value
      const byName = all.sort((a, b) => String(a.Description).localeCompare(String(b.Description)))
      const after = /guid'([0-9a-f-]{36})'/.exec(q.filter?.toString() ?? '')?.[1]
      const rows = after === undefined ? byName : byName.filter(r => String(r.Ref_Key) > after)
      const from = q.skip ?? 0
      return { value: rows.slice(from, from + (q.top ?? rows.length)) as T[], count: undefined }
    },
  }
  const reasons: string[] = []
  const recovered = await syncPhoneTable({ ...dir, client: misordered }, { pageSize: 7, paging: 'auto', onFallback: err => { reasons.push(err.message) } })
  t.equal(recovered.paging, 'skip', 'auto started over with $skip')
  t.same(recovered.table.stats, keyset.table.stats, 'and read the whole base')
  t.match(reasons, [/Keyset pages of Catalog_\S+ .* gave \d+ objects, but 1C counts \d+/])
  await t.rejects(syncPhoneTable({ ...dir, client: misordered }, { pageSize: 7, paging: 'keyset' }), { code: 'ONEC_UNEXPECTED_RESPONSE', hint: /INDEX_PAGING=skip/ })
  // The proxy's service remembers what auto found out: its next sync does not try keyset again.
  const keysetTries = { n: 0 }
  const counting: OneCReader = { ...misordered, list: async <T>(q: ListQuery) => { if (q.filter !== undefined) keysetTries.n++; return await misordered.list<T>(q) } }
  const warnings: string[] = []
  const serviceDir = mkdtempSync(join(tmpdir(), 'bridge-index-'))
  t.teardown(() => { rmSync(serviceDir, { recursive: true, force: true }) })
  const service = new PhoneIndexService({ dir: { ...dir, client: counting }, infobaseUrl: live.emulator.baseUrl, dataDir: serviceDir, pageSize: 7, paging: 'auto', refreshMs: 3_600_000, refresh: async () => [], log: { info: () => {}, warn: (_o, msg) => { warnings.push(msg) } } })
  t.teardown(async () => { await service.stop() })
  await service.sync()
  t.match(service.state.lastSync, { ok: true, paging: 'skip' })
  t.match(warnings, [/keyset paging does not work with this 1C; paging with \$skip from now on/])
  const triesBefore = keysetTries.n
  await service.sync()
  t.match(service.state.lastSync, { ok: true, paging: 'skip' })
  t.equal(keysetTries.n, triesBefore, 'the second sync paged with $skip from its first request')
  const cannotCount: OneCReader = { list: live.app.onec.list.bind(live.app.onec), get: live.app.onec.get.bind(live.app.onec), count: async () => { throw new AppError('ONEC_INTERNAL_ERROR', '1C answered 500.') } }
  const uncounted = await syncPhoneTable({ ...dir, client: cannotCount }, { pageSize: 7, paging: 'keyset' })
  t.same(uncounted.table.stats, keyset.table.stats, 'a 1C that cannot count: the pages stand as read')
  let fellBackOnEmulator = 0
  await syncPhoneTable(dir, { pageSize: 7, paging: 'auto', onFallback: () => { fellBackOnEmulator++ } })
  t.equal(fellBackOnEmulator, 0, 'the emulator orders and compares references alike: no fallback')
})

t.test('$skip paging reads every object still in 1C when objects it has already passed are deleted between its pages', async t => {
  // 1C's nightly deletion of marked objects can run during a sync: every later object moves back a place.
  // 3 deleted: within the objects each page reads again; 40: more, so the page is asked again from further back.
  for (const deleted of [3, 40]) {
    const live = await startStack(t, { data: structuredClone(await demoData()) })
    const dir = { client: live.app.onec, profile: ut11Profile, phone: live.app.phoneOptions }
    const inBase = Object.fromEntries(ut11Profile.sources.map(s => [s.set, live.emulator.controls.entities(s.set).length]))
    const seen: string[] = []
    let made = 0
    const deleting: OneCReader = {
      get: live.app.onec.get.bind(live.app.onec),
      list: async <T>(q: ListQuery): Promise<{ value: T[], count: number | undefined }> => {
        made++
        const answer = await live.app.onec.list<T>(q)
        if (q.set !== 'Catalog_Партнеры' || seen.length >= deleted + 2) return answer
        for (const row of answer.value as Array<Record<string, unknown>>) if (!seen.includes(String(row.Ref_Key))) seen.push(String(row.Ref_Key))
        if (seen.length >= deleted + 2) {
          for (const ref of seen.slice(0, deleted)) t.equal((await odata(live.emulator, `Catalog_Партнеры(guid'${ref}')`, { method: 'DELETE' })).status, 204)
        }
        return answer
      },
    }
    const read: Record<string, number> = {}
    let requests = 0
    const skipped = await syncPhoneTable({ ...dir, client: deleting }, { pageSize: 7, paging: 'skip', onRequest: () => { requests++ }, onPage: p => { read[p.set] = (read[p.set] ?? 0) + p.rows } })
    t.equal(live.emulator.controls.entities('Catalog_Партнеры').length, inBase.Catalog_Партнеры as number - deleted, `${deleted} partners were deleted during the sync`)
    t.same(read, inBase, 'every object was read once: those deleted before they went, and every one still there')
    t.equal(requests, made, 'every request counted, the pages asked again included')
    // The contact persons of a deleted partner are ownerless afterwards; every other owner of a number must be there.
    const after = await syncPhoneTable(dir, { pageSize: 7, paging: 'keyset' })
    const owners = (table: typeof after.table, number: string): string[] => (table.candidates(number) ?? []).filter(c => c.source.parent === undefined || c.parent !== undefined).map(c => `${c.owner.kind}:${c.owner.ref}`)
    t.same(numbers.filter(number => owners(after.table, number).some(owner => !owners(skipped.table, number).includes(owner))), [], 'no owner of any number is missing')
  }
})

t.test('a sync that fails says how many requests it made', async t => {
  const live = await startStack(t)
  const dir = { client: live.app.onec, profile: ut11Profile, phone: live.app.phoneOptions }
  const serviceDir = mkdtempSync(join(tmpdir(), 'bridge-index-'))
  t.teardown(() => { rmSync(serviceDir, { recursive: true, force: true }) })
  const service = new PhoneIndexService({ dir, infobaseUrl: live.emulator.baseUrl, dataDir: serviceDir, pageSize: 7, paging: 'keyset', refreshMs: 3_600_000, refresh: async () => [], log: { info: () => {}, warn: () => {} } })
  t.teardown(async () => { await service.stop() })
  live.emulator.controls.failNext(1000, '500')
  await service.sync()
  t.match(service.state.lastSync, { ok: false, requests: 1 }, 'the first request failed: one request, not zero')
  live.emulator.controls.clearFaults()
})

t.test('what rings, creations and purges tell the index while a sync reads 1C is not lost when its table is swapped in', async t => {
  const live = await startStack(t)
  const dir = { client: live.app.onec, profile: ut11Profile, phone: live.app.phoneOptions }
  // The sync's first page waits until the test has told the index its news.
  let open: () => void = () => {}
  const gate = new Promise<void>(resolve => { open = resolve })
  const gated: OneCReader = { ...dir.client, get: live.app.onec.get.bind(live.app.onec), count: live.app.onec.count.bind(live.app.onec), list: async <T>(q: ListQuery) => { await gate; return await live.app.onec.list<T>(q) } }
  const serviceDir = mkdtempSync(join(tmpdir(), 'bridge-index-'))
  t.teardown(() => { rmSync(serviceDir, { recursive: true, force: true }) })
  const service = new PhoneIndexService({ dir: { ...dir, client: gated }, infobaseUrl: live.emulator.baseUrl, dataDir: serviceDir, pageSize: 1000, paging: 'keyset', refreshMs: 3_600_000, refresh: async () => [], log: { info: () => {}, warn: () => {} } })
  t.teardown(async () => { await service.stop() })
  const syncing = service.sync()

  // A partner created in 1C after the sync read its page (here: one the emulator never had).
  const partners = ut11Profile.sources.findIndex(s => s.kind === 'Partner')
  const createdRef = '11111111-2222-3333-4444-000000000777'
  const created = {
    owner: { kind: 'Partner' as const, set: 'Catalog_Партнеры', ref: createdRef, name: 'Новый клиент 3CX', deleted: false, person: false, parentRef: undefined, phoneKeys: ['+79035550101'], emails: [] },
    source: ut11Profile.sources[partners]!,
    priority: partners,
    parent: undefined,
  }
  service.learn('+79035550101', [created])
  // A number held in the base; an administrator purges it meanwhile.
  service.forget('+74952223344')
  open()
  await syncing
  t.match(service.state.lastSync, { ok: true })
  t.same(service.candidates('+79035550101')?.map(c => c.owner.ref), [createdRef], 'the contact created during the sync is still known')
  t.equal(service.candidates('+74952223344'), undefined, 'the purge holds: the next ring asks 1C')
  t.ok((service.candidates('+74951234567') ?? []).length > 0, 'the rest is what the sync read')
})

t.test('a failed sync is retried soon, not a whole INDEX_REFRESH_S later (a proxy that started while 1C was down)', async t => {
  const live = await startStack(t)
  const dir = { client: live.app.onec, profile: ut11Profile, phone: live.app.phoneOptions }
  let down = true
  const flaky: OneCReader = { get: live.app.onec.get.bind(live.app.onec), count: live.app.onec.count.bind(live.app.onec), list: async <T>(q: ListQuery) => { if (down) throw new AppError('ONEC_UNREACHABLE', 'Cannot reach 1C: ECONNREFUSED.'); return await live.app.onec.list<T>(q) } }
  const serviceDir = mkdtempSync(join(tmpdir(), 'bridge-index-'))
  t.teardown(() => { rmSync(serviceDir, { recursive: true, force: true }) })
  const service = new PhoneIndexService({ dir: { ...dir, client: flaky }, infobaseUrl: live.emulator.baseUrl, dataDir: serviceDir, pageSize: 1000, paging: 'keyset', refreshMs: 3_600_000, failedSyncRetryMs: 20, refresh: async () => [], log: { info: () => {}, warn: () => {} } })
  t.teardown(async () => { await service.stop() })
  await service.sync()
  t.match(service.state.lastSync, { ok: false })
  down = false
  await waitUntil(t, 'a retry that succeeds, with no admin request', () => service.state.lastSync?.ok === true)
  t.ok((service.candidates('+74951234567') ?? []).length > 0)
})

t.test('a background refresh in flight when its number is purged does not bring the number back', async t => {
  const live = await startStack(t)
  const dir = { client: live.app.onec, profile: ut11Profile, phone: live.app.phoneOptions }
  let open: () => void = () => {}
  const answered = new Promise<void>(resolve => { open = resolve })
  let asked = false
  const serviceDir = mkdtempSync(join(tmpdir(), 'bridge-index-'))
  t.teardown(() => { rmSync(serviceDir, { recursive: true, force: true }) })
  const service = new PhoneIndexService({
    dir, infobaseUrl: live.emulator.baseUrl, dataDir: serviceDir, pageSize: 1000, paging: 'keyset', refreshMs: 3_600_000,
    // 1C still names the same owners, but answers only after the purge.
    refresh: async (_key, current) => { asked = true; await answered; return current },
    log: { info: () => {}, warn: () => {} },
  })
  t.teardown(async () => { await service.stop() })
  await service.sync()
  const number = '+74951234567'
  t.ok((service.candidates(number) ?? []).length > 0)
  service.refreshSoon(number)
  await waitUntil(t, 'the refresh to ask 1C', () => asked)
  service.forget(number)
  open()
  // 1C's answer is handled within the microtasks that follow: past them once the next macrotask runs.
  await new Promise(resolve => setImmediate(resolve))
  t.equal(service.candidates(number), undefined, 'still purged: the next ring asks 1C')
})

t.test('INDEX_ENABLED=false: no index, admin says so', async t => {
  const stack = await startStack(t, { env: { INDEX_ENABLED: 'false' } })
  t.equal(stack.app.phoneIndex, undefined)
  t.equal((await stack.admin('GET', 'index')).status, 404)
})
