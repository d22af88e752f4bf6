import t, { type Test } from 'tap'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ut11Schema } from '../../emulator/schema/ut11.js'
import type { EntitySetDef, PropertyDef } from '../../emulator/schema/model.js'
import type { BaseData, Entity } from '../../emulator/data/types.js'
import { generateBase, generateBaseWithTruth } from '../../emulator/data/generate.js'
import { BaseLoadError, loadBase, writeBase } from '../../emulator/data/load.js'
import { buildDemoBase } from '../../emulator/data/demo-base.js'
import { writeDemoBase } from '../../emulator/data/write-demo.js'
import { renderPhone } from '../../emulator/data/phone-row.js'
import { PHONE_STYLES } from '../../emulator/data/phone-spec.js'
import type { PhoneSpec } from '../../emulator/data/phone-spec.js'
import type { PhoneTruthRow } from '../../emulator/data/truth.js'

const DEMO_DIR = fileURLToPath(new URL('../../fixtures/demo-base/', import.meta.url))
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/
const EMPTY_REF = '00000000-0000-0000-0000-000000000000'
const PHONE_OWNERS = ['Catalog_Партнеры', 'Catalog_Контрагенты', 'Catalog_КонтактныеЛицаПартнеров', 'Catalog_Пользователи']

async function tempDir (t: Test): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'demo-base-'))
  t.teardown(async () => { await rm(dir, { recursive: true, force: true }) })
  return dir
}

function enumMembers (name: string): string[] {
  return ut11Schema.enums.find((e) => e.name === name)?.members ?? []
}

/** Problems with one value against its property definition; refs are checked separately. */
function valueProblems (where: string, p: PropertyDef, value: unknown): string[] {
  const bad = (what: string): string[] => [`${where}.${p.name}: ${what}, got ${JSON.stringify(value)}`]
  switch (p.type) {
    case 'Edm.Guid': return typeof value === 'string' && GUID.test(value) ? [] : bad('not a lowercase GUID')
    case 'Edm.DateTime': return typeof value === 'string' && DATE_TIME.test(value) ? [] : bad('not YYYY-MM-DDTHH:mm:ss')
    case 'Edm.Int64': return typeof value === 'string' && /^-?\d+$/.test(value) ? [] : bad('not an Int64 string')
    case 'Edm.Boolean': return typeof value === 'boolean' ? [] : bad('not a boolean')
    case 'Edm.Int16': case 'Edm.Int32': case 'Edm.Double': return typeof value === 'number' ? [] : bad('not a number')
    case 'Edm.String': {
      if (typeof value !== 'string') return bad('not a string')
      if (p.length !== undefined && value.length > p.length) return bad(`longer than ${p.length}`)
      if (p.enumName !== undefined && value !== '' && !enumMembers(p.enumName).includes(value)) return bad(`not a member of ${p.enumName}`)
      if (p.composite !== undefined && p.composite.length > 0 && value !== '' && !GUID.test(value)) return bad('composite value is not a GUID')
      return []
    }
  }
}

function expectedKeys (props: readonly PropertyDef[]): string[] {
  return props.flatMap((p) => (p.composite !== undefined ? [p.name, `${p.name}_Type`] : [p.name]))
}

/** Every problem of a base against ut11.ts and types.ts: property sets, value shapes, references, row numbering. */
function shapeProblems (base: BaseData): string[] {
  const problems: string[] = []
  const keys = new Map<string, Map<string, Entity>>()
  const allKeys = new Set<string>()
  for (const def of ut11Schema.sets) {
    const list = base.sets[def.name]
    if (list === undefined) {
      problems.push(`set ${def.name} is missing`)
      continue
    }
    const byKey = new Map<string, Entity>()
    for (const e of list) {
      const key = String(e.Ref_Key)
      if (allKeys.has(key)) problems.push(`${def.name}: duplicate Ref_Key ${key}`)
      allKeys.add(key)
      byKey.set(key, e)
    }
    keys.set(def.name, byKey)
  }
  for (const name of Object.keys(base.sets)) {
    if (!ut11Schema.sets.some((s) => s.name === name)) problems.push(`unknown set ${name}`)
  }
  const exists = (set: string, key: unknown): boolean => typeof key === 'string' && (keys.get(set)?.has(key) ?? false)
  const kinds = keys.get('Catalog_ВидыКонтактнойИнформации') ?? new Map<string, Entity>()

  const checkRefs = (where: string, props: readonly PropertyDef[], e: Entity): void => {
    for (const p of props) {
      const value = e[p.name]
      if (p.ref !== undefined && value !== EMPTY_REF && !exists(p.ref, value)) problems.push(`${where}.${p.name}: ${String(value)} is not in ${p.ref}`)
      if (p.composite !== undefined && p.composite.length > 0 && value !== '' && value !== EMPTY_REF) {
        const type = String(e[`${p.name}_Type`])
        const target = type.replace(/^StandardODATA\./, '')
        if (!p.composite.includes(target) || !exists(target, value)) problems.push(`${where}.${p.name}: ${String(value)} (${type}) does not exist`)
      }
    }
  }

  for (const def of ut11Schema.sets as EntitySetDef[]) {
    for (const e of base.sets[def.name] ?? []) {
      const where = `${def.name}(${String(e.Ref_Key)})`
      const want = [...expectedKeys(def.properties), ...def.tabularSections.map((s) => s.name)].sort()
      const have = Object.keys(e).sort()
      if (JSON.stringify(want) !== JSON.stringify(have)) problems.push(`${where}: properties ${have.join(',')} instead of ${want.join(',')}`)
      for (const p of def.properties) problems.push(...valueProblems(where, p, e[p.name]))
      checkRefs(where, def.properties, e)
      if (def.name === 'Catalog_Контрагенты' && !exists('Catalog_Партнеры', e.Партнер_Key)) problems.push(`${where}.Партнер_Key does not exist`)
      if (def.name === 'Catalog_Партнеры' && e.Parent_Key !== EMPTY_REF && keys.get('Catalog_Партнеры')?.get(String(e.Parent_Key))?.IsFolder !== true) {
        problems.push(`${where}.Parent_Key is not a folder`)
      }
      for (const section of def.tabularSections) {
        const rows = e[section.name]
        if (!Array.isArray(rows)) {
          problems.push(`${where}.${section.name} is not an array`)
          continue
        }
        if (e.IsFolder === true && rows.length > 0) problems.push(`${where}: a folder with ${section.name} rows`)
        const rowKeys = ['Ref_Key', 'LineNumber', ...expectedKeys(section.properties)].sort()
        rows.forEach((row: Entity, i) => {
          const rowWhere = `${where}.${section.name}[${i}]`
          if (JSON.stringify(Object.keys(row).sort()) !== JSON.stringify(rowKeys)) problems.push(`${rowWhere}: properties ${Object.keys(row).join(',')}`)
          if (row.Ref_Key !== e.Ref_Key) problems.push(`${rowWhere}: Ref_Key is not the owner's`)
          if (row.LineNumber !== String(i + 1)) problems.push(`${rowWhere}: LineNumber ${String(row.LineNumber)} instead of ${i + 1}`)
          for (const p of section.properties) problems.push(...valueProblems(rowWhere, p, row[p.name]))
          checkRefs(rowWhere, section.properties, row)
          if (section.name === 'КонтактнаяИнформация' && kinds.get(String(row.Вид_Key))?.Тип !== row.Тип) problems.push(`${rowWhere}: Тип differs from its kind's`)
        })
      }
    }
  }
  return problems
}

function phoneRows (base: BaseData): Array<{ set: string, owner: Entity, row: Entity }> {
  const out: Array<{ set: string, owner: Entity, row: Entity }> = []
  for (const set of PHONE_OWNERS) {
    for (const owner of base.sets[set] ?? []) {
      for (const row of (owner.КонтактнаяИнформация ?? []) as Entity[]) if (row.Тип === 'Телефон') out.push({ set, owner, row })
    }
  }
  return out
}

const spec = (style: PhoneSpec['style'], area: string, local: string, more: Partial<PhoneSpec> = {}): PhoneSpec =>
  ({ region: 'RU', country: '7', area, local, ext: '', type: area.startsWith('9') ? 'mobile' : 'fixed', style, variant: 0, comment: '', ...more })

t.test('stored columns follow BSP for each way of entering a number (peers.md §3.4)', async (t) => {
  const render = (s: PhoneSpec): [string, string, string] => {
    const r = renderPhone(s, { countryCodePlus: false })
    return [r.Представление, r.НомерТелефона, r.НомерТелефонаБезКодов]
  }
  t.same(render(spec('form', '495', '1234567')), ['+7 (495) 123-45-67', '74951234567', '1234567'])
  t.same(render(spec('text-national', '916', '1234567')), ['8 (916) 123-45-67', '89161234567', '1234567'])
  t.same(render(spec('digits-8', '495', '1234567')), ['84951234567', '84951234567', '84951234567'])
  t.same(render(spec('digits-7', '495', '1234567')), ['74951234567', '74951234567', '74951234567'])
  t.same(render(spec('digits-10', '916', '1234567')), ['9161234567', '9161234567', '9161234567'])
  t.same(render(spec('local-digits', '495', '1234567')), ['1234567', '1234567', '1234567'])
  t.equal(render(spec('local-text', '495', '1234567'))[0], '123-45-67')
  t.same(render(spec('form', '495', '1234567', { ext: '123' })), ['+7 (495) 123-45-67, доб. 123', '74951234567', '1234567'])
  t.same(render(spec('text-intl', '495', '1234567', { ext: '123' })), ['+7 (495) 123-45-67 доб. 123', '74951234567', '1234567'])
  t.same(render(spec('text-intl', '495', '1234567', { ext: '123', variant: 1 })), ['+7 495 123-45-67, 123', '74951234567', '1234567'])
  t.same(render(spec('presentation-only', '495', '1234567')), ['+7 (495) 123-45-67', '', ''])
  t.match(render(spec('trailing-space', '495', '1234567'))[0], /\S {1,2}$/)

  const value = JSON.parse(renderPhone(spec('form', '495', '1234567', { ext: '12' }), { countryCodePlus: false }).Значение) as Record<string, unknown>
  t.same(value, { version: 4, value: '+7 (495) 123-45-67, доб. 12', type: 'Телефон', countryCode: '7', areaCode: '495', number: '123-45-67', extNumber: '12' })
  const plus = JSON.parse(renderPhone(spec('form', '495', '1234567'), { countryCodePlus: true }).Значение) as Record<string, unknown>
  t.equal(plus.countryCode, '+7', 'the uncertain "+" in countryCode is an option')
})

t.test('the same options give byte-identical data, another seed other data', async (t) => {
  const a = JSON.stringify(generateBase({ partners: 300, seed: 42 }))
  const b = JSON.stringify(generateBase({ partners: 300, seed: 42 }))
  const c = JSON.stringify(generateBase({ partners: 300, seed: 43 }))
  t.ok(a === b, 'same seed, same bytes')
  t.not(a, c, 'different seed, different data')
  t.ok(JSON.stringify(generateBaseWithTruth({ partners: 300, seed: 42 }).base) === a, 'collecting the truth does not change the base')
  t.throws(() => generateBase({ partners: -1 }), RangeError)
})

t.test('a generated base has the shape of ut11.ts and types.ts', async (t) => {
  const base = generateBase({ partners: 1500, seed: 7 })
  const problems = shapeProblems(base)
  t.same(problems.slice(0, 20), [], `${problems.length} shape problems`)
  const partners = base.sets.Catalog_Партнеры ?? []
  const people = partners.filter((p) => p.ЮрФизЛицо === 'ЧастноеЛицо').length
  const companies = partners.filter((p) => p.ЮрФизЛицо === 'Компания').length
  t.ok(companies / (companies + people) > 0.65 && companies / (companies + people) < 0.85, 'about 75% companies')
  t.ok(partners.filter((p) => p.IsFolder === true).length >= 3, 'a handful of folders')
  t.ok((base.sets.Catalog_КонтактныеЛицаПартнеров ?? []).every((c) => partners.find((p) => p.Ref_Key === c.Owner_Key)?.ЮрФизЛицо === 'Компания'), 'contact persons belong to companies')
  const counterparties = base.sets.Catalog_Контрагенты ?? []
  t.ok(counterparties.every((c) => /^(ООО|АО|ИП) /.test(String(c.Description))), 'legal forms ООО/АО/ИП')
  t.ok(counterparties.every((c) => (c.ЮрФизЛицо === 'ИндивидуальныйПредприниматель' ? /^\d{12}$/ : /^\d{10}$/).test(String(c.ИНН))), 'ИНН digits')
  const kinds = (base.sets.Catalog_ВидыКонтактнойИнформации ?? []).map((k) => k.PredefinedDataName)
  for (const name of ['ТелефонПартнера', 'EmailПартнера', 'ТелефонКонтактногоЛицаПартнера', 'EmailКонтактногоЛица', 'ТелефонКонтрагента', 'EmailКонтрагента', 'АдресЭлектроннойПочтыПользователя']) {
    t.ok(kinds.includes(name), `predefined kind ${name}`)
  }
})

t.test('the truth describes every phone row, from how it was built', async (t) => {
  const { base, truth } = generateBaseWithTruth({ partners: 3000, seed: 11 })
  const rows = phoneRows(base)
  t.equal(truth.length, rows.length, 'one truth row per phone row')
  const index = new Map(rows.map((r) => [`${r.set}/${String(r.owner.Ref_Key)}/${String(r.row.LineNumber)}`, r]))
  const mismatches = truth.filter((x) => {
    const r = index.get(`${x.ownerSet}/${x.ownerKey}/${x.lineNumber}`)
    return r === undefined || r.set + '_КонтактнаяИнформация' !== x.set || r.owner.Description !== x.ownerDescription ||
      r.owner.DeletionMark !== x.ownerDeletionMark || r.row.Представление !== x.stored.Представление ||
      r.row.НомерТелефона !== x.stored.НомерТелефона || r.row.НомерТелефонаБезКодов !== x.stored.НомерТелефонаБезКодов || r.row.Значение !== x.stored.Значение
  })
  t.same(mismatches.slice(0, 5), [], 'truth rows match the stored rows')
  t.ok(truth.every((x) => x.e164 === null || /^\+\d{10,13}$/.test(x.e164)), 'e164 is E.164 or null')
  t.ok(truth.filter((x) => x.e164 === null).every((x) => x.numberType === 'internal'), 'only internal extensions lack a number')

  // Stored digits relate to the true number the way each style says.
  const digitsOf = (x: PhoneTruthRow): string => (x.e164 ?? '').slice(1)
  const broken = truth.filter((x) => {
    switch (x.style) {
      case 'form': case 'text-intl': return x.stored.НомерТелефона !== digitsOf(x)
      case 'text-national': case 'digits-8': return x.stored.НомерТелефона !== '8' + digitsOf(x).slice(1)
      case 'digits-10': return x.stored.НомерТелефона !== digitsOf(x).slice(1)
      case 'local-digits': return x.stored.НомерТелефона !== digitsOf(x).slice(-7) || !digitsOf(x).startsWith('7495')
      default: return false
    }
  })
  t.same(broken.slice(0, 5), [])

  t.test('the format mix is present', async (t) => {
    for (const style of PHONE_STYLES) t.ok(truth.some((x) => x.style === style), `style ${style}`)
    const presentations = truth.map((x) => x.stored.Представление)
    const has = (what: string, re: RegExp): void => { t.ok(presentations.some((p) => re.test(p)), what) }
    has('+7 (495) 123-45-67', /^\+7 \(\d{3}\) \d{3}-\d{2}-\d{2}$/)
    has('8 (916) 123-45-67', /^8 \(9\d\d\) \d{3}-\d{2}-\d{2}$/)
    has('84951234567', /^8\d{10}$/)
    has('74951234567', /^7\d{10}$/)
    has('9161234567', /^9\d{9}$/)
    has('123-45-67', /^\d{3}-\d{2}-\d{2}$/)
    has('1234567', /^\d{7}$/)
    has('доб. 123', /доб\. \d+$/)
    has('…, 123', /\d, \d{2,4}$/)
    has('trailing spaces', /\s$/)
    has('Kazakhstan', /^(\+7 ?\(?|8 ?\(?|87)7\d\d/)
    has('Belarus, Ukraine, Uzbekistan or Germany', /^\+(375|380|998|49)/)
    has('8-800', /^(8[ -]?\(?800|\+7 \(800\)|8800)/)
    t.ok(truth.some((x) => x.stored.НомерТелефона === '' && x.stored.Представление !== ''), 'rows with only Представление')
    t.ok(truth.some((x) => x.region === 'KZ') && truth.some((x) => x.region === 'BY' || x.region === 'UA' || x.region === 'UZ' || x.region === 'DE'))
    t.ok(truth.some((x) => x.numberType === 'mobile') && truth.some((x) => x.numberType === 'fixed') && truth.some((x) => x.numberType === 'toll-free'))
    const areaLengths = new Set(truth.filter((x) => x.style === 'form' && x.region === 'RU').map((x) => String((JSON.parse(x.stored.Значение) as { areaCode?: string }).areaCode).length))
    t.same([...areaLengths].sort(), [3, 4, 5], 'area codes of 3, 4 and 5 digits')
  })

  t.test('shared numbers, deletion marks and suffix collisions are present', async (t) => {
    const byNumber = new Map<string, PhoneTruthRow[]>()
    for (const x of truth) if (x.e164 !== null) byNumber.set(x.e164, [...(byNumber.get(x.e164) ?? []), x])
    const groups = [...byNumber.values()]
    t.ok(groups.some((g) => new Set(g.filter((x) => x.ownerSet === 'Catalog_Партнеры').map((x) => x.ownerKey)).size >= 2), 'one number on two partners')
    t.ok(groups.some((g) => g.some((x) => x.ownerSet === 'Catalog_КонтактныеЛицаПартнеров' && g.some((y) => y.ownerSet === 'Catalog_Партнеры' && y.ownerKey === x.partnerKey))), 'a contact person with its partner\'s number')
    t.ok(groups.some((g) => {
      const contacts = g.filter((x) => x.ownerSet === 'Catalog_КонтактныеЛицаПартнеров')
      return contacts.some((x) => contacts.some((y) => y.ownerKey !== x.ownerKey && y.partnerKey === x.partnerKey))
    }), 'a company number on several contact persons of one partner')
    t.ok(truth.some((x) => x.ownerDeletionMark && x.ownerSet === 'Catalog_Партнеры'), 'deletion-marked partners keep phones')
    t.ok(truth.some((x) => x.ownerDeletionMark && x.ownerSet === 'Catalog_КонтактныеЛицаПартнеров'), 'deletion-marked contact persons keep phones')
    const tails = new Map<string, Set<string>>()
    for (const n of byNumber.keys()) if (n.startsWith('+7')) tails.set(n.slice(-7), (tails.get(n.slice(-7)) ?? new Set()).add(n))
    t.ok([...tails.values()].some((s) => s.size >= 2), 'numbers sharing the last 7 digits')
  })
})

t.test('the demo base on disk is exactly what write-demo produces', async (t) => {
  const dir = await tempDir(t)
  await writeDemoBase(dir)
  const fresh = (await readdir(dir)).sort()
  const committed = (await readdir(DEMO_DIR)).sort()
  t.same(committed, fresh, 'same files')
  for (const name of fresh) {
    const same = (await readFile(join(dir, name), 'utf8')) === (await readFile(join(DEMO_DIR, name), 'utf8'))
    t.ok(same, `${name} is up to date (regenerate with write-demo, never edit by hand)`)
  }
  const loaded = await loadBase(DEMO_DIR)
  t.same(loaded, buildDemoBase().base, 'loadBase reads back the demo base')
  t.same(shapeProblems(loaded).slice(0, 20), [], 'the demo base has the schema\'s shape')
})

t.test('the demo base has its notable records', async (t) => {
  const { expectations } = buildDemoBase()
  const rows = expectations.demoRecords
  const find = (owner: string, presentation: string): PhoneTruthRow | undefined =>
    rows.find((r) => r.ownerDescription === owner && r.stored.Представление === presentation)
  t.match(find('ООО «Ромашка»', '+7 (495) 123-45-67'), { e164: '+74951234567', stored: { НомерТелефона: '74951234567', НомерТелефонаБезКодов: '1234567' } })
  t.match(find('Петров Сергей Николаевич', '+7 (495) 123-45-67'), { e164: '+74951234567', ownerSet: 'Catalog_КонтактныеЛицаПартнеров' })
  t.match(find('Иванова Мария Петровна', '+7 (495) 123-45-67 доб. 123'), { e164: '+74951234567', extension: '123' })
  t.match(find('АО «Василёк»', '84952223344'), { e164: '+74952223344' })
  t.match(find('Лебедева Ольга Игоревна', '74952223345'), { e164: '+74952223345' })
  t.match(find('Кузнецова Анна Сергеевна', '9161112233'), { e164: '+79161112233' })
  t.match(find('ООО «Колокольчик»', '234-56-78'), { e164: '+74952345678' })
  t.match(find('ООО «Одуванчик»', '8 812 555 12 34  '), { e164: '+78125551234' })
  t.match(find('ТОО «Алатау»', '+7 (727) 250-12-34'), { e164: '+77272501234', region: 'KZ' })
  t.match(find('АО «Телеком-Сервис»', '8-800-555-35-35'), { e164: '+78005553535', numberType: 'toll-free' })
  t.match(find('ООО «Старый Клён»', '+7 (495) 987-65-43'), { ownerDeletionMark: true })
  t.match(find('ООО «Импорт-Старт»', '+7 (495) 111-22-33'), { stored: { НомерТелефона: '' }, e164: '+74951112233' })
  t.equal(expectations.localAreaCode, '495')
  const shared = (e164: string): string[] => expectations.sharedNumbers.find((s) => s.e164 === e164)?.owners.map((o) => o.ownerDescription) ?? []
  t.same(shared('+73432223344'), ['ИП Морозов Дмитрий Андреевич', 'Морозова Елена Викторовна'])
  t.same(shared('+74959876543'), ['ООО «Старый Клён»', 'ООО «Новый Клён»'])
  t.ok(expectations.suffixCollisions.some((c) => c.numbers.includes('+74951234567') && c.numbers.includes('+78121234567')))
})

t.test('loadBase and writeBase', async (t) => {
  const dir = await tempDir(t)
  const partner = (generateBase({ partners: 1, seed: 3 }).sets.Catalog_Партнеры ?? []).find((p) => p.IsFolder === false)
  if (partner === undefined) throw new Error('no partner generated')
  const shuffled = Object.fromEntries(Object.entries(partner).reverse())
  await writeBase(dir, { sets: { Catalog_Партнеры: [shuffled], Document_ТелефонныйЗвонок: [] } })
  const text = await readFile(join(dir, 'Catalog_Партнеры.json'), 'utf8')
  t.equal(text, JSON.stringify([partner], null, 2) + '\n', 'pretty, keys in schema order whatever the input order')
  t.equal(await readFile(join(dir, 'Document_ТелефонныйЗвонок.json'), 'utf8'), '[]\n')
  await writeFile(join(dir, 'notes.json'), '{"not": "a set"}')
  t.same(await loadBase(dir), { sets: { Catalog_Партнеры: [partner], Document_ТелефонныйЗвонок: [] } }, 'files that are not sets are skipped')

  await writeFile(join(dir, 'Catalog_Пользователи.json'), '[{"Ref_Key": ')
  const err = await loadBase(dir).then(() => undefined, (e: unknown) => e)
  t.type(err, BaseLoadError)
  t.match((err as Error).message, /Catalog_Пользователи\.json is not valid JSON/)
  await writeFile(join(dir, 'Catalog_Пользователи.json'), '{"value": []}')
  await t.rejects(loadBase(dir), /Catalog_Пользователи\.json must hold a JSON array/)
  await t.rejects(loadBase(join(dir, 'missing')), BaseLoadError)
})

t.test('100 000 partners give about 300 000 phone rows', async (t) => {
  const base = generateBase({ partners: 100_000, seed: 1 })
  const phones = phoneRows(base).filter((r) => r.set !== 'Catalog_Пользователи').length
  t.ok(phones >= 250_000 && phones <= 350_000, `${phones} phone rows`)
})
