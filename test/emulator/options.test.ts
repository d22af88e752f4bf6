import t from 'tap'
import { EmulatorArgsError, emulatorHelp, parseEmulatorArgs } from '../../emulator/options.js'
import { DEFAULT_SETTINGS } from '../../emulator/settings.js'
import { buildEmulator, emulatorControls, startEmulator } from '../../emulator/server.js'
import { odata, smallBase } from '../support/emulator-base.js'

/** The command line of `3cx-1c-bridge emulator` and the programmatic entry points. */

t.test('no flags: defaults come from the emulator, not from the parser', async (t) => {
  t.same(parseEmulatorArgs([]), { options: {}, help: false })
  t.equal(parseEmulatorArgs(['--help']).help, true)
  t.equal(parseEmulatorArgs(['-h']).help, true)
})

t.test('every documented flag maps to its option', async (t) => {
  const { options } = parseEmulatorArgs([
    '--host', '127.0.0.1', '--port', '0', '--base-path', '/demo', '--latency-ms', '25', '--generate', '1000', '--seed', '7',
    '--user', 'Администратор', '--password', 'секрет', '--read-only-user', 'reader:r', '--read-only-user', 'auditor:a:b',
    '--composition', 'Catalog_Партнеры, InformationRegister_ЖурналЗвонков3CX',
    '--case-sensitive-strings', '--trailing-spaces-significant', '--unknown-filter-field', 'error', '--unlimited-string-comparison', 'allow',
    '--plus-as-space', '--unknown-set-code', '8', '--client-ref-key', 'ignore', '--duplicate-register-key', 'replace',
    '--duplicate-key-status', '409', '--if-match', 'ignore', '--long-strings', 'error', '--postable-documents', 'Document_ТелефонныйЗвонок',
    '--posted-when-posting-denied', 'omit', '--nav-links-in-nometadata', '--embedded-row-ref-key', 'omit', '--realm', '1C:Enterprise 8.5',
    '--access-denied-status', '403', '--session-mode', 'use', '--pool-size', '3', '--pool-timeout-ms', '100', '--session-max-age-ms', '1000',
    '--error-rate', '0.25', '--error-seed', '9', '--log',
  ])
  t.same(options, {
    host: '127.0.0.1',
    port: 0,
    basePath: '/demo',
    latencyMs: 25,
    generate: 1000,
    seed: 7,
    composition: ['Catalog_Партнеры', 'InformationRegister_ЖурналЗвонков3CX'],
    users: [
      { name: 'Администратор', password: 'секрет' },
      { name: 'reader', password: 'r', rights: { read: '*', write: [] } },
      { name: 'auditor', password: 'a:b', rights: { read: '*', write: [] } },
    ],
    caseSensitiveStrings: true,
    trailingSpacesSignificant: true,
    plusAsSpace: true,
    navigationLinksInNoMetadata: true,
    logger: true,
    unknownFilterField: 'error',
    unlimitedStringComparison: 'allow',
    unknownSetCode: '8',
    clientRefKey: 'ignore',
    duplicateRegisterKey: 'replace',
    duplicateKeyStatus: 409,
    ifMatch: 'ignore',
    longStrings: 'error',
    postableDocuments: ['Document_ТелефонныйЗвонок'],
    postedWhenPostingDenied: 'omit',
    embeddedRowRefKey: false,
    realm: '1C:Enterprise 8.5',
    accessDeniedStatus: 403,
    sessionMode: 'use',
    poolSize: 3,
    poolTimeoutMs: 100,
    sessionMaxAgeMs: 1000,
    errorRate: 0.25,
    errorSeed: 9,
  })
  t.same(parseEmulatorArgs(['--data', 'fixtures/demo-base']).options, { dataDir: 'fixtures/demo-base' })
  t.same(parseEmulatorArgs(['--read-only-user', 'ro:ro']).options.users, [
    { name: 'odata', password: 'odata' },
    { name: 'ro', password: 'ro', rights: { read: '*', write: [] } },
  ], 'a read-only user comes next to the default user')
})

t.test('bad values are errors that name the flag', async (t) => {
  const cases: [string[], RegExp][] = [
    [['--port', 'x'], /^--port: expected an integer from 0 to 65535, got "x"$/],
    [['--port', '70000'], /^--port:/],
    [['--latency-ms=-5'], /^--latency-ms: expected a number >= 0/],
    [['--latency-ms', '-5'], /--latency-ms/],
    [['--generate', '0'], /^--generate:/],
    [['--session-mode', 'always'], /^--session-mode: expected one of autouse, use, dontuse, got "always"$/],
    [['--error-rate', '1.5'], /^--error-rate:/],
    [['--read-only-user', 'nopassword'], /^--read-only-user: expected NAME:PASSWORD/],
    [['--composition', ' , '], /^--composition:/],
    [['--unknown-set-code', '9'], /^--unknown-set-code:/],
    [['--host', ''], /^--host:/],
    [['--data', 'a', '--generate', '5'], /--data and --generate/],
    [['--bogus'], /--bogus.*--help/],
    [['--port'], /--port/],
    [['positional'], /positional/],
  ]
  for (const [argv, message] of cases) {
    t.throws(() => parseEmulatorArgs(argv), message, argv.join(' '))
    t.throws(() => parseEmulatorArgs(argv), EmulatorArgsError)
  }
})

t.test('the help text lists every flag with its default, one line each', async (t) => {
  for (const flag of ['--host', '--port', '--base-path', '--latency-ms', '--data', '--generate', '--seed', '--user', '--password',
    '--composition', '--session-mode', '--pool-size', '--pool-timeout-ms', '--session-max-age-ms', '--unknown-filter-field', '--plus-as-space']) {
    t.match(emulatorHelp, new RegExp(`^ {2}${flag}\\b.*$`, 'm'), flag)
  }
  t.match(emulatorHelp, /--port N\s+.*\(default 8081\)/)
  t.match(emulatorHelp, /--base-path PATH\s+.*\(default \/ut11\)/)
  t.match(emulatorHelp, new RegExp(`--pool-size N\\s+.*\\(default ${DEFAULT_SETTINGS.poolSize}\\)`))
  t.match(emulatorHelp, /--realm TEXT\s+.*\(default "1C:Enterprise 8\.3"\)/)
})

t.test('buildEmulator gives a ready app with controls; bad options are refused', async (t) => {
  const app = await buildEmulator({ data: smallBase() })
  t.teardown(async () => { await app.close() })
  const answer = await app.inject({ url: '/ut11/odata/standard.odata/Catalog_Пользователи?$format=json'.replace('Catalog_Пользователи', encodeURIComponent('Catalog_Пользователи')), headers: { authorization: 'Basic b2RhdGE6b2RhdGE=' } })
  t.equal(answer.statusCode, 200)
  t.equal(emulatorControls(app).stats().total, 1)
  t.throws(() => emulatorControls({} as never), /not an emulator/)
  await t.rejects(buildEmulator({ data: smallBase(), poolSize: 0 }), /poolSize/)
  await t.rejects(buildEmulator({ data: smallBase(), composition: ['Catalog_Нет'] }), /Catalog_Нет/)
  await t.rejects(buildEmulator({ data: smallBase(), users: [] }), /users/)
  await t.rejects(buildEmulator({ data: { sets: { Catalog_Партнеры: [{ Ref_Key: 'bad' }] } } }), /Catalog_Партнеры\[0\]: Ref_Key/)
  await t.rejects(buildEmulator({ data: { sets: { Catalog_Пользователи: [{ Ref_Key: '7a2b1c3d-0b5d-11e0-8a4e-000c29000011' }, { Ref_Key: '7A2B1C3D-0B5D-11E0-8A4E-000C29000011' }] } } }), /repeats the key/)
  await t.rejects(emulatorControls(app).refuseConnections(true), /startEmulator/)
})

t.test('startEmulator on port 0 reports its URLs; a base with unknown sets and sloppy rows loads', async (t) => {
  const emulator = await startEmulator({ port: 0, basePath: 'demo/', data: { sets: { Unknown_Set: [{}], Catalog_Пользователи: [{ Description: 'Без ключа' }] } } })
  t.teardown(async () => { await emulator.close() })
  t.match(emulator.url, /^http:\/\/127\.0\.0\.1:\d+$/)
  t.equal(emulator.baseUrl, `${emulator.url}/demo`)
  t.equal(emulator.odataUrl, `${emulator.url}/demo/odata/standard.odata`)
  const users = (await odata(emulator, 'Catalog_Пользователи?$format=json')).json().value
  t.equal(users.length, 1)
  t.match(users[0].Ref_Key, /^[0-9a-f-]{36}$/, 'a missing Ref_Key is generated')
  t.equal(users[0].КонтактнаяИнформация.length, 0)
})
