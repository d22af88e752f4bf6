import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { check, checkEnv, ONEC_PASSWORD, parseJson, parseTable, REAL_EDMX, startDemoEmulator } from './support/check-run.js'

const REGISTER = 'InformationRegister_ЖурналЗвонков3CX'
const PARTNER_CONTACTS = 'Catalog_Партнеры_КонтактнаяИнформация'
/** Every main set of the demo configuration; compositions below leave some out. */
const ALL_MAIN = ['Catalog_Партнеры', 'Catalog_Контрагенты', 'Catalog_КонтактныеЛицаПартнеров', 'Catalog_ВидыКонтактнойИнформации', 'Catalog_Пользователи', 'Document_ТелефонныйЗвонок', REGISTER]
const without = (...sets: string[]): string[] => ALL_MAIN.filter(s => !sets.includes(s))

const AFTER_CREDENTIALS = ['metadata', 'sets', 'fields', 'rights', 'lookup', 'index', 'journal']

function stepsOf (rows: Array<{ step: string, verdict: string }>, step: string): string[] {
  return rows.filter(r => r.step === step).map(r => r.verdict)
}

async function closedPort (): Promise<number> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise<void>(resolve => server.close(() => resolve()))
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

t.test('everything published: every row ok, exit 0, nothing written, no secret printed', async t => {
  const emulator = await startDemoEmulator(t)
  const before = emulator.controls.entities(REGISTER).length
  const run = await check([], checkEnv(emulator.baseUrl))
  t.equal(run.code, 0, run.stdout)
  const rows = parseTable(run.stdout)
  t.same([...new Set(rows.map(r => r.step))], ['address', 'odata', 'credentials', 'metadata', 'sets', 'fields', 'rights', 'lookup', 'index', 'journal', 'session'])
  t.same(rows.filter(r => r.verdict !== 'ok'), [], 'no row is anything but ok')
  for (const set of ['Catalog_Партнеры', PARTNER_CONTACTS, 'Catalog_Контрагенты_КонтактнаяИнформация', 'Catalog_КонтактныеЛицаПартнеров_КонтактнаяИнформация', REGISTER]) {
    t.ok(rows.some(r => r.step === 'sets' && r.object === set), `${set} has a sets row`)
  }
  const journal = rows.find(r => r.step === 'journal')
  t.match(journal?.text, /Запись не проверялась и ничего не записано/)
  t.match(rows.find(r => r.step === 'lookup')?.text, /найден за \d+ мс/)
  t.match(run.stdout, /Итог: всё, что нужно прокси, на месте\./)
  t.equal(emulator.controls.entities(REGISTER).length, before, 'the journal register got no record')
  t.notMatch(run.stdout + run.stderr, ONEC_PASSWORD)
})

t.test('the sample lookup: a known number is found, an unknown one is a warning', async t => {
  const emulator = await startDemoEmulator(t)
  // Егоров Василий Петрович, a contact person of the demo base, stored as 89655889253.
  const known = await check(['--json', '--sample-number', '+7 965 588-92-53'], checkEnv(emulator.baseUrl))
  const found = parseJson(known.stdout).steps.find(s => s.step === 'lookup')
  t.equal(found?.verdict, 'ok')
  t.match(found?.message, /Егоров Василий Петрович/)
  t.equal(found?.object, '+7******9253', 'the number is masked as in logs')

  const unknown = await check(['--json', '--lang', 'en', '--sample-number', '+7 999 000-00-01'], checkEnv(emulator.baseUrl))
  t.equal(unknown.code, 0, 'a warning does not fail the check')
  const row = parseJson(unknown.stdout).steps.find(s => s.step === 'lookup')
  t.equal(row?.verdict, 'warn')
  t.match(row?.message, /was not found/)

  const bad = await check(['--sample-number', 'call me'], checkEnv(emulator.baseUrl))
  t.equal(bad.code, 2)
  t.match(bad.stderr, /--sample-number: "call me" is not a full phone number/)
})

t.test('the partners\' contact information is not published: that set fails with the fix in the admin\'s words', async t => {
  const emulator = await startDemoEmulator(t)
  // The emulator publishes a tabular section with its owner, as the БСП screen does: leave out the partners.
  emulator.controls.setComposition(without('Catalog_Партнеры'))

  const ru = await check(['--json'], checkEnv(emulator.baseUrl))
  t.equal(ru.code, 1)
  const report = parseJson(ru.stdout)
  t.equal(report.ok, false)
  const row = report.steps.find(s => s.step === 'sets' && s.object === PARTNER_CONTACTS)
  t.equal(row?.verdict, 'fail')
  t.match(row?.message, /Табличная часть «КонтактнаяИнформация» справочника «Партнеры»: нет в составе стандартного интерфейса OData/)
  t.match(row?.fix, /Добавьте справочник «Партнеры» и его табличную часть «КонтактнаяИнформация» в состав стандартного интерфейса OData/)
  t.match(row?.fix, /Администрирование → Синхронизация данных → Настройки стандартного интерфейса OData/)
  t.match(row?.fix, /УстановитьСоставСтандартногоИнтерфейсаOData\(\)/)
  t.equal(report.steps.find(s => s.step === 'sets' && s.object === 'Catalog_Контрагенты_КонтактнаяИнформация')?.verdict, 'ok')
  t.equal(report.steps.find(s => s.step === 'fields' && s.object === PARTNER_CONTACTS)?.verdict, 'skip')
  t.equal(report.steps.find(s => s.step === 'lookup')?.verdict, 'skip', 'the lookup cannot run without its sets')

  const en = await check(['--json', '--lang', 'en'], checkEnv(emulator.baseUrl))
  t.equal(en.code, 1)
  const enRow = parseJson(en.stdout).steps.find(s => s.step === 'sets' && s.object === PARTNER_CONTACTS)
  t.match(enRow?.message, /Tabular section "КонтактнаяИнформация" of catalog "Партнеры": not in the standard OData interface composition/)
  t.match(enRow?.fix, /Add catalog "Партнеры" and its tabular section "КонтактнаяИнформация" to the composition of the standard OData interface/)
})

t.test('the journal register is not published: the journal row fails, says how to add it, writes nothing', async t => {
  const emulator = await startDemoEmulator(t)
  emulator.controls.setComposition(without(REGISTER))
  const run = await check([], checkEnv(emulator.baseUrl))
  t.equal(run.code, 1)
  const rows = parseTable(run.stdout)
  const journal = rows.find(r => r.step === 'journal')
  t.equal(journal?.verdict, 'fail')
  t.equal(journal?.object, REGISTER)
  t.match(journal?.text, /Регистр сведений «ЖурналЗвонков3CX» не опубликован/)
  t.match(journal?.text, /ничего не записано/)
  t.match(journal?.text, /добавьте регистр сведений «ЖурналЗвонков3CX» в состав стандартного интерфейса OData/)
  t.match(journal?.text, /измерением ИдентификаторЗвонка/, 'it says how to create the register when the configuration lacks it')
  t.equal(rows.find(r => r.step === 'lookup')?.verdict, 'ok', 'the lookup does not depend on the journal')
})

t.test('the document target is checked instead of the register when JOURNAL_TARGET=document', async t => {
  const emulator = await startDemoEmulator(t)
  const run = await check(['--json', '--lang', 'en'], checkEnv(emulator.baseUrl, { JOURNAL_TARGET: 'document' }))
  t.equal(run.code, 0, run.stdout)
  const journal = parseJson(run.stdout).steps.find(s => s.step === 'journal')
  t.equal(journal?.object, 'Document_ТелефонныйЗвонок')
  t.equal(journal?.verdict, 'ok')
  t.match(journal?.message, /No write was attempted and nothing was written/)
})

t.test('a user without read rights: the rights rows fail with the fix', async t => {
  const readable = without('Catalog_Контрагенты')
  const emulator = await startDemoEmulator(t, { users: [{ name: 'odata', password: ONEC_PASSWORD, rights: { read: readable, write: '*' } }] })
  const run = await check(['--json'], checkEnv(emulator.baseUrl))
  t.equal(run.code, 1)
  const steps = parseJson(run.stdout).steps
  const denied = steps.find(s => s.step === 'rights' && s.object === 'Catalog_Контрагенты')
  t.equal(denied?.verdict, 'fail')
  t.match(denied?.message, /Пользователю «odata» запрещено чтение: справочник «Контрагенты»/)
  t.match(denied?.fix, /право «Чтение» на справочник «Контрагенты»/)
  t.match(denied?.fix, /Группы доступа/)
  t.equal(steps.find(s => s.step === 'rights' && s.object === 'Catalog_Партнеры')?.verdict, 'ok')
  t.equal(steps.find(s => s.step === 'lookup')?.verdict, 'skip')
})

t.test('a wrong password: credentials fail, the later steps are skipped', async t => {
  const emulator = await startDemoEmulator(t)
  const run = await check([], checkEnv(emulator.baseUrl, { ONEC_PASSWORD: 'not-the-password' }))
  t.equal(run.code, 1)
  const rows = parseTable(run.stdout)
  t.same(stepsOf(rows, 'address'), ['ok'])
  t.same(stepsOf(rows, 'odata'), ['ok'], 'a 1C login challenge still proves the publication is there')
  const credentials = rows.find(r => r.step === 'credentials')
  t.equal(credentials?.verdict, 'fail')
  t.match(credentials?.text, /1С не приняла пользователя «odata» или его пароль \(401\)/)
  t.match(credentials?.text, /Usr и Pwd/, 'the fix explains Usr/Pwd in default.vrd')
  for (const step of AFTER_CREDENTIALS) t.same(stepsOf(rows, step), ['skip'], `${step} is skipped`)
  t.match(rows.find(r => r.step === 'metadata')?.text, /не прошёл шаг credentials/)
  t.notMatch(run.stdout + run.stderr, 'not-the-password')
  t.notMatch(run.stdout + run.stderr, ONEC_PASSWORD)
})

t.test('an HTML page instead of OData: the odata step fails', async t => {
  const emulator = await startDemoEmulator(t)
  // ONEC_URL pointing into the web client (a locale path) serves its HTML page for every address below.
  const page = await check(['--json'], checkEnv(`${emulator.baseUrl}/ru_RU`))
  t.equal(page.code, 1)
  const steps = parseJson(page.stdout).steps
  const odata = steps.find(s => s.step === 'odata')
  t.equal(odata?.verdict, 'fail')
  t.match(odata?.message, /открывается веб-страница \(HTML, 200\), а не служба OData/)
  t.match(odata?.fix, /Публиковать стандартный интерфейс OData/)
  t.same(steps.filter(s => s.step === 'credentials' || AFTER_CREDENTIALS.includes(s.step)).map(s => s.verdict), Array(8).fill('skip'))

  // A broken publication answering 200 with an HTML page.
  emulator.controls.failNext(1, 'html')
  const broken = await check(['--lang', 'en'], checkEnv(emulator.baseUrl))
  t.equal(broken.code, 1)
  const row = parseTable(broken.stdout).find(r => r.step === 'odata')
  t.equal(row?.verdict, 'fail')
  t.match(row?.text, /answers with a web page \(HTML, 200\), not an OData service/)
})

t.test('no OData at the path: "OData is not published"', async t => {
  const emulator = await startDemoEmulator(t)
  const run = await check(['--json'], checkEnv(`${emulator.url}/elsewhere`))
  t.equal(run.code, 1)
  const odata = parseJson(run.stdout).steps.find(s => s.step === 'odata')
  t.equal(odata?.verdict, 'fail')
  t.match(odata?.message, /Стандартный интерфейс OData не опубликован: .* отвечает 404/)
})

t.test('a closed port: the address step fails and everything after it is skipped', async t => {
  const port = await closedPort()
  const run = await check(['--json', '--lang', 'en'], checkEnv(`http://127.0.0.1:${port}/ut11`))
  t.equal(run.code, 1)
  const steps = parseJson(run.stdout).steps
  const address = steps.find(s => s.step === 'address')
  t.equal(address?.verdict, 'fail')
  t.match(address?.message, /Connection refused/)
  t.match(address?.fix, /Start the web server/)
  t.same(steps.filter(s => !['address', 'session'].includes(s.step)).map(s => s.verdict), Array(9).fill('skip'))
  t.equal(steps.find(s => s.step === 'session')?.verdict, 'ok', 'the session row reads only the configuration')
})

t.test('--metadata: the real UT excerpt, where the partners\' phone sets are missing', async t => {
  // No ONEC_URL, no TCX_PASSWORD: a saved $metadata needs neither.
  const run = await check(['--json', '--metadata', REAL_EDMX], {})
  t.equal(run.code, 1, run.stderr)
  const steps = parseJson(run.stdout).steps
  const verdict = (step: string, object: string): string | undefined => steps.find(s => s.step === step && s.object === object)?.verdict
  t.equal(verdict('metadata', REAL_EDMX), 'ok')
  t.equal(verdict('sets', 'Catalog_Партнеры'), 'fail')
  t.equal(verdict('sets', PARTNER_CONTACTS), 'fail')
  t.equal(verdict('sets', 'Catalog_Контрагенты'), 'ok')
  t.equal(verdict('sets', 'Catalog_Контрагенты_КонтактнаяИнформация'), 'ok')
  t.equal(verdict('fields', 'Catalog_Контрагенты'), 'ok', 'the real Контрагенты has every property the profile reads')
  t.equal(verdict('fields', 'Catalog_Контрагенты_КонтактнаяИнформация'), 'ok')
  t.equal(verdict('sets', REGISTER), 'fail')
  for (const step of ['address', 'odata', 'credentials', 'rights', 'lookup', 'journal', 'session']) {
    t.same(steps.filter(s => s.step === step).map(s => s.verdict), ['skip'], `${step} is skipped offline`)
  }
  t.match(steps.find(s => s.step === 'sets' && s.object === PARTNER_CONTACTS)?.fix, /«Партнеры» и его табличную часть «КонтактнаяИнформация»/)

  const missing = await check(['--metadata', join(tmpdir(), 'no-such-metadata.xml')], {})
  t.equal(missing.code, 2)
  t.match(missing.stderr, /--metadata: cannot read .*no such file/)
})

t.test('--metadata: a file that is not EDMX fails the metadata step', async t => {
  const dir = mkdtempSync(join(tmpdir(), 'check-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'page.xml')
  writeFileSync(file, '<html><body>Not metadata</body></html>')
  const run = await check(['--json', '--lang', 'en', '--metadata', file], {})
  t.equal(run.code, 1)
  const steps = parseJson(run.stdout).steps
  t.equal(steps.find(s => s.step === 'metadata')?.verdict, 'fail')
  t.match(steps.find(s => s.step === 'metadata')?.message, /does not parse as EDMX: no <edmx:Edmx> root element/)
  t.same(steps.filter(s => s.step === 'sets' || s.step === 'fields').map(s => s.verdict), ['skip', 'skip'])
})

t.test('--metadata: a property missing or of another type fails the fields row with the profile fix', async t => {
  const dir = mkdtempSync(join(tmpdir(), 'check-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'metadata.xml')
  const real = readFileSync(REAL_EDMX, 'utf8')
  const edited = real
    .replace('<Property Name="Партнер_Key" Type="Edm.Guid" Nullable="true"/>', '<Property Name="Партнер_Key" Type="Edm.String" Nullable="true"/>')
    .replaceAll('<Property Name="НомерТелефона" Type="Edm.String" Nullable="true"/>', '')
  t.not(edited, real)
  writeFileSync(file, edited)
  const run = await check(['--json', '--metadata', file], {})
  t.equal(run.code, 1)
  const steps = parseJson(run.stdout).steps
  const owner = steps.find(s => s.step === 'fields' && s.object === 'Catalog_Контрагенты')
  t.equal(owner?.verdict, 'fail')
  t.match(owner?.message, /«Партнер_Key» имеет тип Edm\.String, нужен ссылка \(Edm\.Guid\)/)
  t.match(owner?.fix, /PROFILE=/)
  const rows = steps.find(s => s.step === 'fields' && s.object === 'Catalog_Контрагенты_КонтактнаяИнформация')
  t.equal(rows?.verdict, 'fail')
  t.match(rows?.message, /нет «НомерТелефона» \(нужен тип Строка \(Edm\.String\)\)/)
})

t.test('--json parses and says what the table says', async t => {
  const emulator = await startDemoEmulator(t)
  emulator.controls.setComposition(without('Catalog_Партнеры', REGISTER))
  const table = await check([], checkEnv(emulator.baseUrl))
  const json = await check(['--json'], checkEnv(emulator.baseUrl))
  t.equal(json.code, table.code)
  const report = parseJson(json.stdout)
  t.equal(report.ok, false)
  const rows = parseTable(table.stdout)
  t.same(rows.map(r => [r.step, r.object, r.verdict]), report.steps.map(s => [s.step, s.object, s.verdict]))
  for (const [i, step] of report.steps.entries()) {
    const words = (text: string): string => text.replace(/\s+/g, ' ').trim()
    // The table wraps lines; the words are the same.
    t.ok(words(rows[i]?.text ?? '').startsWith(words(step.message)), `row ${i} message`)
    if (step.fix !== null) t.ok(words(rows[i]?.text ?? '').endsWith(words(`→ ${step.fix}`)), `row ${i} fix`)
  }
})

t.test('the session row compares ONEC_MAX_CONNECTIONS with the publication\'s pool', async t => {
  const emulator = await startDemoEmulator(t)
  const dir = mkdtempSync(join(tmpdir(), 'check-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const vrd = join(dir, 'default.vrd')
  writeFileSync(vrd, `<?xml version="1.0" encoding="UTF-8"?>
<point xmlns="http://v8.1c.ru/8.2/virtual-resource-system" base="/ut11" ib="Srvr=srv;Ref=ut11;">
  <standardOdata enable="true" reuseSessions="autouse" sessionMaxAge="20" poolSize="4" poolTimeout="5"/>
</point>
`)
  const run = await check(['--json'], checkEnv(emulator.baseUrl, { ONEC_VRD: vrd, ONEC_MAX_CONNECTIONS: '8' }))
  t.equal(run.code, 0, 'a warning is not a failure')
  const session = parseJson(run.stdout).steps.find(s => s.step === 'session')
  t.equal(session?.verdict, 'warn')
  t.match(session?.message, /poolSize=4/)
  t.match(session?.fix, /Уменьшите ONEC_MAX_CONNECTIONS до 4/)

  // reuseSessions="use": without the IBSession header every request is a new 1C session (onec-odata.md §6.2).
  writeFileSync(vrd, `<?xml version="1.0" encoding="UTF-8"?>
<point xmlns="http://v8.1c.ru/8.2/virtual-resource-system" base="/ut11" ib="Srvr=srv;Ref=ut11;">
  <standardOdata enable="true" reuseSessions="use" sessionMaxAge="20" poolSize="10" poolTimeout="5"/>
</point>
`)
  const use = await check(['--json', '--lang', 'en'], checkEnv(emulator.baseUrl, { ONEC_VRD: vrd }))
  const useRow = parseJson(use.stdout).steps.find(s => s.step === 'session')
  t.equal(useRow?.verdict, 'warn')
  t.match(useRow?.fix, /every request opens a new 1C session.*set ONEC_SESSION_MODE=manual, or reuseSessions="autouse"/)
})

t.test('usage and configuration errors exit 2', async t => {
  const lang = await check(['--lang', 'fr'], checkEnv('http://127.0.0.1:9/ut11'))
  t.equal(lang.code, 2)
  t.match(lang.stderr, /--lang: expected ru or en/)

  const unknown = await check(['--frobnicate'], checkEnv('http://127.0.0.1:9/ut11'))
  t.equal(unknown.code, 2)
  t.match(unknown.stderr, /Unknown option '--frobnicate'/)

  const config = await check([], { ONEC_USER: 'odata', ONEC_PASSWORD })
  t.equal(config.code, 2)
  t.match(config.stderr, /^Invalid configuration:\n {2}- ONEC_URL: is required/)
  t.match(config.stderr, /TCX_PASSWORD: is required/)
  t.notMatch(config.stderr, ONEC_PASSWORD)

  const help = await check(['--help'], {})
  t.equal(help.code, 0)
  t.match(help.stdout, /Usage: 3cx-1c-bridge check/)
})

const built = fileURLToPath(new URL('../dist/cli/check.js', import.meta.url))
t.test('the built command answers --help', { skip: existsSync(built) ? false : 'dist/ is not built (npm test builds it)' }, async t => {
  const main = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url))
  const res = spawnSync(process.execPath, [main, 'check', '--help'], { encoding: 'utf8', env: { PATH: process.env.PATH } })
  t.equal(res.status, 0, res.stderr)
  t.match(res.stdout, /Usage: 3cx-1c-bridge check/)
  t.match(res.stdout, /--sample-number NUMBER/)
})
