import t, { type Test } from 'tap'
import { request } from 'undici'
import { generateBase } from '../../emulator/data/generate.js'
import { EmulatorArgsError, emulatorHelp, parseEmulatorArgs } from '../../emulator/options.js'
import { DEFAULT_COST_MODEL, buildEmulator, parseCostHeader, type Charge, type RunningEmulator } from '../../emulator/server.js'
import { basicAuth, odata, startTestEmulator, type HttpAnswer } from '../support/emulator-base.js'

/**
 * The emulator's cost model (emulator/cost/): off by default; with it on, each OData request is charged
 * what a real 1C base would spend (key lookups and indexed ranges cheap, suffix searches a scan of the
 * whole tabular-section table, $skip a read of every skipped row), reported in X-Emulator-Cost-Ms and the
 * cost statistics, and spent inside the infobase session. Assertions are on the charged cost, not on time.
 */

const PHONES = 'Catalog_Партнеры_КонтактнаяИнформация'
const NO_SUCH_NUMBER = "endswith(НомерТелефона,'0000000000')"

function charge (answer: HttpAnswer): Charge {
  const parsed = parseCostHeader(answer.headers['x-emulator-cost-ms'])
  if (parsed === undefined) throw new Error(`no cost header (status ${answer.status}): ${answer.text.slice(0, 200)}`)
  return parsed
}

async function charged (emulator: RunningEmulator, path: string): Promise<Charge> {
  const answer = await odata(emulator, path)
  if (answer.status !== 200) throw new Error(`${path}: ${answer.status} ${answer.text.slice(0, 300)}`)
  return charge(answer)
}

const refs = (emulator: RunningEmulator, set: string): string[] => emulator.controls.entities(set).map((e) => String(e.Ref_Key)).sort()

/** Yields to the event loop until `done()`; the emulator runs in this process, so its requests progress meanwhile. */
async function until (t: Test, what: string, done: () => boolean): Promise<void> {
  for (let i = 0; i < 100_000 && !done(); i += 1) await new Promise<void>((resolve) => setImmediate(resolve))
  t.ok(done(), what)
}

t.test('off by default: no header, nothing charged; switched on and off at run time, in process and over HTTP', async (t) => {
  const emulator = await startTestEmulator(t)
  const plain = await odata(emulator, 'Catalog_Партнеры?$format=json')
  t.equal(plain.status, 200)
  t.equal(plain.headers['x-emulator-cost-ms'], undefined, 'no cost header')
  t.equal(emulator.controls.costModel(), undefined)
  t.same(emulator.controls.costStats().requests, 0, 'nothing charged')

  emulator.controls.setCostModel(true)
  t.same(emulator.controls.costModel(), DEFAULT_COST_MODEL, 'true means the defaults')
  const on = charge(await odata(emulator, 'Catalog_Партнеры?$format=json'))
  t.ok(on.ms >= DEFAULT_COST_MODEL.baseMs, 'at least the base cost')
  t.equal(on.returned, 4)
  t.equal(emulator.controls.costStats().requests, 1)
  t.equal(emulator.controls.costStats().ms, on.ms, 'the statistics add up what the headers say')

  emulator.controls.setCostModel({ baseMs: 7, rowUs: 0, scanUsPerRow: 0, tabularRowUs: 0 })
  t.equal(charge(await odata(emulator, 'Catalog_Партнеры?$format=json')).ms, 7, 'changed constants apply to the next request')
  t.equal(charge(await odata(emulator, '$metadata')).path, 'none', 'requests that read no data cost the base only')

  const admin = async (method: 'GET' | 'POST', body?: unknown): Promise<any> => { // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON asserted field by field
    const response = await request(`${emulator.url}/__emulator/cost`, {
      method,
      headers: { authorization: basicAuth(), 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    return { status: response.statusCode, body: await response.body.json() }
  }
  const over = await admin('GET')
  t.equal(over.body.model.baseMs, 7)
  t.equal(over.body.stats.requests, 3)
  t.equal(over.body.stats.byPath.none.requests, 1)
  t.equal((await admin('POST', { model: { scanUsPerRow: -1 } })).status, 400, 'a bad constant is refused')
  t.match((await admin('POST', { model: { scanUsPerRow: -1 } })).body.error, /costModel\.scanUsPerRow/)
  t.same((await admin('POST', { model: false })).body, { model: null })
  t.equal((await odata(emulator, 'Catalog_Партнеры?$format=json')).headers['x-emulator-cost-ms'], undefined, 'off again')
  emulator.controls.resetStats()
  t.equal(emulator.controls.costStats().requests, 0, 'resetStats clears the cost statistics too')
})

t.test('key lookups are seeks and eq on an indexed field a range, each charged little; a low-selectivity index is not used', async (t) => {
  const emulator = await startTestEmulator(t, { data: generateBase({ partners: 300 }), costModel: true })
  const base = DEFAULT_COST_MODEL.baseMs
  const partners = refs(emulator, 'Catalog_Партнеры')
  const [a, b, c] = partners as [string, string, string]
  const phoneScan = await charged(emulator, `${PHONES}?$format=json&$filter=${NO_SUCH_NUMBER}&$top=20`)

  const entity = await charged(emulator, `Catalog_Партнеры(guid'${a}')?$format=json&$select=Ref_Key,Description`)
  t.match(entity, { path: 'seek', seeks: 1, read: 1, returned: 1 }, 'Set(guid) is one seek')
  const byKey = await charged(emulator, `Catalog_Партнеры?$format=json&$filter=Ref_Key eq guid'${a}'&$select=Ref_Key`)
  t.match(byKey, { path: 'seek', seeks: 1, read: 1, returned: 1 }, 'Ref_Key eq guid is one seek')
  const batch = await charged(emulator, `Catalog_Партнеры?$format=json&$filter=Ref_Key eq guid'${a}' or Ref_Key eq guid'${b}' or Ref_Key eq guid'${c}'&$select=Ref_Key`)
  t.match(batch, { path: 'seek', seeks: 3, read: 3, returned: 3 }, 'an or of keys is a seek per key')
  const rows = await charged(emulator, `${PHONES}?$format=json&$filter=Ref_Key eq guid'${a}' and Тип eq 'Телефон'`)
  t.match(rows, { path: 'seek', seeks: 1 }, 'the rows of one owner (onec-odata.md §7.3) are one seek on the clustered index')
  const register = await charged(emulator, "InformationRegister_ЖурналЗвонков3CX?$format=json&$filter=ИдентификаторЗвонка eq 'call-1'")
  t.equal(register.path, 'seek', 'a register dimension eq is a seek')

  const contacts = emulator.controls.entities('Catalog_КонтактныеЛицаПартнеров')
  const owner = String(contacts[0]?.Owner_Key)
  const ownerRows = contacts.filter((e) => e.Owner_Key === owner).length
  const byOwner = await charged(emulator, `Catalog_КонтактныеЛицаПартнеров?$format=json&$filter=Owner_Key eq guid'${owner}'&$select=Ref_Key`)
  t.match(byOwner, { path: 'range', seeks: 1, read: ownerRows, returned: ownerRows }, 'Owner_Key eq is a range of its index')
  const name = String(emulator.controls.entities('Catalog_Партнеры').find((e) => e.IsFolder !== true)?.Description)
  const byName = await charged(emulator, `Catalog_Партнеры?$format=json&$filter=Description eq '${name.replace(/'/g, "''")}'&$select=Ref_Key`)
  t.match(byName, { path: 'range', seeks: 1 }, 'Description eq is a range of its index')

  for (const cheap of [entity, byKey, batch, rows, register, byOwner, byName]) {
    t.ok(cheap.ms < base + 1, `charged little: ${cheap.ms} ms`)
    t.ok(cheap.ms < phoneScan.ms, 'less than a suffix search')
  }

  const phones = emulator.controls.entities(PHONES).length
  t.match(await charged(emulator, `${PHONES}?$format=json&$filter=Тип eq 'Телефон'&$select=Ref_Key&$top=1000`), { path: 'scan', read: phones },
    'Тип is indexed in UT 11, but most rows are phones: the scan is cheaper than the index')
  t.match(await charged(emulator, `Catalog_Партнеры?$format=json&$filter=startswith(Description, '${name.slice(0, 12).replace(/'/g, "''")}')&$orderby=Description&$select=Ref_Key`),
    { path: 'range', sorted: 0 }, 'startswith with a constant prefix is a range of the index, in its order (LIKE \'prefix%\')')
  for (const filter of [
    `Description ne '${name.replace(/'/g, "''")}'`,
    `Owner_Key eq guid'${owner}' or ДолжностьПоВизитке eq 'Директор'`,
    `not (Owner_Key eq guid'${owner}')`,
    "substringof('ООО', Description)",
    "like(Description, '%25ООО%25')",
  ]) {
    const set = filter.includes('Owner_Key') ? 'Catalog_КонтактныеЛицаПартнеров' : 'Catalog_Партнеры'
    t.equal((await charged(emulator, `${set}?$format=json&$filter=${filter}&$select=Ref_Key`)).path, 'scan', filter)
  }
})

t.test('a suffix search over a tabular-section set is a scan charged per row of that set: twice the base, twice the charge', async (t) => {
  const model = DEFAULT_COST_MODEL
  const small = await startTestEmulator(t, { data: generateBase({ partners: 150 }), costModel: model })
  const large = await startTestEmulator(t, { data: generateBase({ partners: 300 }), costModel: model })
  const scanned: Record<string, number[]> = {}
  for (const emulator of [small, large]) {
    const rows = emulator.controls.entities(PHONES).length
    const owners = emulator.controls.entities('Catalog_Партнеры').length
    const queries = {
      endswith: `${PHONES}?$format=json&$filter=Тип eq 'Телефон' and ${NO_SUCH_NUMBER}&$top=20`,
      substringof: `${PHONES}?$format=json&$filter=substringof('0000000000', НомерТелефона) or substringof('0000000000', Представление)&$top=20`,
      count: `${PHONES}/$count?$filter=${NO_SUCH_NUMBER}`,
      lambda: `Catalog_Партнеры?$format=json&$filter=КонтактнаяИнформация/any(k: ${NO_SUCH_NUMBER.replace('НомерТелефона', 'k/НомерТелефона')})&$select=Ref_Key`,
    }
    for (const [name, path] of Object.entries(queries)) {
      const cost = await charged(emulator, path)
      const expectedRows = name === 'lambda' ? owners + rows : rows
      t.match(cost, { path: 'scan', read: expectedRows, returned: 0 }, `${name}: every row read (${expectedRows})`)
      t.equal(cost.ms, Math.round((model.baseMs + expectedRows * model.scanUsPerRow / 1000) * 1000) / 1000, `${name}: base + rows × scan cost`)
      ;(scanned[name] ??= []).push(cost.ms - model.baseMs)
    }
  }
  const rowRatio = large.controls.entities(PHONES).length / small.controls.entities(PHONES).length
  t.ok(rowRatio > 1.7 && rowRatio < 2.3, `the larger base has about twice the rows (${rowRatio.toFixed(2)})`)
  for (const [name, [first, second]] of Object.entries(scanned)) {
    const ratio = (second as number) / (first as number)
    t.ok(ratio > 1.7 && ratio < 2.3, `${name}: the scan part of the charge about doubles (${ratio.toFixed(2)})`)
  }
})

t.test('$skip is charged per skipped row, so deep pages cost more; keyset paging stays flat', async (t) => {
  const emulator = await startTestEmulator(t, { data: generateBase({ partners: 300 }), costModel: true })
  const keys = refs(emulator, 'Catalog_Партнеры')
  const skipped: Charge[] = []
  for (const n of [0, 100, 200]) {
    const cost = await charged(emulator, `Catalog_Партнеры?$format=json&$orderby=Ref_Key&$top=10&$skip=${n}&$select=Ref_Key`)
    t.match(cost, { skipped: n, read: n + 10, returned: 10, sorted: 0 }, `$skip=${n}: the skipped rows are read and dropped`)
    skipped.push(cost)
  }
  t.ok((skipped[0] as Charge).ms < (skipped[1] as Charge).ms && (skipped[1] as Charge).ms < (skipped[2] as Charge).ms, `grows with $skip: ${skipped.map((c) => c.ms).join(' < ')}`)

  const keyset: Charge[] = []
  for (const k of [0, 100, 200]) {
    const cost = await charged(emulator, `Catalog_Партнеры?$format=json&$filter=Ref_Key gt guid'${keys[k] as string}'&$orderby=Ref_Key&$top=10&$select=Ref_Key`)
    t.match(cost, { path: 'range', seeks: 1, read: 10, returned: 10, sorted: 0, skipped: 0 }, `Ref_Key gt the ${k}th key: a clustered range of 10 rows`)
    keyset.push(cost)
  }
  t.same(new Set(keyset.map((c) => c.ms)).size, 1, `flat: ${keyset.map((c) => c.ms).join(' = ')}`)
  t.ok((keyset[2] as Charge).ms < (skipped[2] as Charge).ms, 'a deep keyset page costs less than the same page by $skip')

  const sorted = await charged(emulator, 'Catalog_Партнеры?$format=json&$orderby=НаименованиеПолное&$top=10&$select=Ref_Key')
  t.match(sorted, { path: 'scan', read: keys.length, sorted: keys.length }, 'an $orderby no index yields reads and sorts everything')
  const rows = emulator.controls.entities(PHONES)
  const owner = String(rows[0]?.Ref_Key)
  const tabular = await charged(emulator, `${PHONES}?$format=json&$filter=Ref_Key gt guid'${owner}' or (Ref_Key eq guid'${owner}' and LineNumber gt 1)&$orderby=Ref_Key,LineNumber&$top=10`)
  t.match(tabular, { path: 'range', seeks: 2, sorted: 0, returned: 10 }, 'keyset paging of tabular rows by (Ref_Key, LineNumber) is one ordered clustered range')
  // The owner's rows up to the last line seen are read too: the model narrows by the leading column only.
  t.ok(tabular.read >= 10 && tabular.read <= 10 + Number(rows[0]?.LineNumber ?? 0) + 5, `about one page read (${tabular.read})`)
})

t.test('the session pool is held while the charge is spent: a cheap request waits behind an expensive one, or gets 406', async (t) => {
  const data = generateBase({ partners: 150 })
  // About 300 rows at 1 ms each: the scan holds the only session for a good fraction of a second.
  const costModel = { scanUsPerRow: 1000 }
  const expensive = `${PHONES}?$format=json&$filter=${NO_SUCH_NUMBER}&$top=20`

  const patient = await startTestEmulator(t, { data, costModel, poolSize: 1, poolTimeoutMs: 60_000 })
  const key = refs(patient, 'Catalog_Партнеры')[0] as string
  const finished: string[] = []
  const scan = odata(patient, expensive).then((answer) => { finished.push('scan'); return answer })
  await until(t, 'the scan is being charged', () => patient.controls.costStats().requests === 1)
  const lookup = odata(patient, `Catalog_Партнеры(guid'${key}')?$format=json`).then((answer) => { finished.push('lookup'); return answer })
  const [scanned, looked] = await Promise.all([scan, lookup])
  t.equal(scanned.status, 200)
  t.equal(looked.status, 200)
  t.equal(charge(looked).path, 'seek')
  t.ok(charge(scanned).ms > 10 * charge(looked).ms, 'the scan is charged far more than the lookup')
  t.same(finished, ['scan', 'lookup'], 'the lookup waited for the session the scan held')
  t.equal(patient.controls.stats().sessionsCreated, 1)

  const impatient = await startTestEmulator(t, { data, costModel, poolSize: 1, poolTimeoutMs: 0 })
  const first = odata(impatient, expensive)
  await until(t, 'the scan is being charged', () => impatient.controls.costStats().requests === 1)
  const refused = await odata(impatient, `Catalog_Партнеры(guid'${key}')?$format=json`)
  t.equal(refused.status, 406, 'with no pool timeout the second request is refused')
  t.equal(refused.headers['x-emulator-cost-ms'], undefined, 'a refused request is not charged')
  t.equal((await first).status, 200)
})

t.test('flags: --cost-model and one flag per constant, each documented; bad values name the flag', async (t) => {
  t.same(parseEmulatorArgs(['--cost-model']).options, { costModel: true })
  t.same(parseEmulatorArgs([
    '--cost-base-ms', '4', '--cost-seek-ms', '0.2', '--cost-scan-us-per-row', '1.5', '--cost-index-us-per-row', '6',
    '--cost-skip-us-per-row', '3', '--cost-sort-us-per-row', '0', '--cost-row-us', '25', '--cost-tabular-row-us', '7',
  ]).options, {
    costModel: { baseMs: 4, seekMs: 0.2, scanUsPerRow: 1.5, indexUsPerRow: 6, skipUsPerRow: 3, sortUsPerRow: 0, rowUs: 25, tabularRowUs: 7 },
  })
  t.same(parseEmulatorArgs(['--cost-model', '--cost-scan-us-per-row', '2']).options, { costModel: { scanUsPerRow: 2 } }, 'the rest keep their defaults')
  for (const [flag, key] of [['--cost-base-ms', 'baseMs'], ['--cost-seek-ms', 'seekMs'], ['--cost-scan-us-per-row', 'scanUsPerRow'],
    ['--cost-index-us-per-row', 'indexUsPerRow'], ['--cost-skip-us-per-row', 'skipUsPerRow'], ['--cost-sort-us-per-row', 'sortUsPerRow'],
    ['--cost-row-us', 'rowUs'], ['--cost-tabular-row-us', 'tabularRowUs']] as const) {
    t.match(emulatorHelp, new RegExp(`^ {2}${flag} [A-Z]+\\s+.*\\(default ${DEFAULT_COST_MODEL[key]}\\)$`, 'm'), `${flag} documented with its default`)
    t.throws(() => parseEmulatorArgs([`${flag}=-1`]), new RegExp(`^${flag}: expected a number >= 0, got "-1"$`))
    t.throws(() => parseEmulatorArgs([flag, 'fast']), EmulatorArgsError)
  }
  t.match(emulatorHelp, /^ {2}--cost-model\s+.*\(default off\)$/m)
  t.throws(() => parseEmulatorArgs(['--cost-model=yes']), /cost-model/)

  await t.rejects(buildEmulator({ data: { sets: {} }, costModel: { scanUsPerRow: -1 } }), /costModel\.scanUsPerRow: a number >= 0/)
  await t.rejects(buildEmulator({ data: { sets: {} }, costModel: { scanUsPerRowz: 1 } as never }), /costModel\.scanUsPerRowz: not a cost constant/)
  const emulator = await startTestEmulator(t)
  t.throws(() => emulator.controls.setCostModel({ seekMs: Number.NaN }), /costModel\.seekMs/)
  t.equal(emulator.controls.costModel(), undefined, 'a refused model leaves the old one')
})
