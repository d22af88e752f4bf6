import t, { type Test } from 'tap'
import { Agent } from 'undici'
import { generateBase } from '../emulator/data/generate.js'
import { checkIndex, syncPart } from '../lib/check/phone-index.js'
import type { CheckClient } from '../lib/check/types.js'
import { loadConfig } from '../lib/config/load.js'
import { AppError } from '../lib/errors.js'
import { OneCClient } from '../lib/onec/client.js'
import type { ListQuery } from '../lib/odata/query.js'
import { ut11Profile } from '../lib/profiles/ut11.js'
import { check, checkEnv, parseJson, startDemoEmulator } from './support/check-run.js'

/** The index step of `check`: what the first sync of the phone index will cost this base. */

const indexRow = async (env: Record<string, string>, lang = 'en'): Promise<{ verdict?: string, object?: string, message?: string, fix?: string | null }> => {
  const run = await check(['--json', '--lang', lang], env)
  return parseJson(run.stdout).steps.find(s => s.step === 'index') ?? {}
}

t.test('keyset paging: objects counted, the sync estimated from the first two pages of each source', async t => {
  const emulator = await startDemoEmulator(t, { data: generateBase({ partners: 250, seed: 3 }) })
  const partners = emulator.controls.entities('Catalog_Партнеры').length
  const row = await indexRow(checkEnv(emulator.baseUrl, { INDEX_PAGE_SIZE: '100' }))
  t.equal(row.verdict, 'ok')
  t.equal(row.object, 'INDEX_PAGING=auto')
  t.match(row.message, /A full sync of the phone index \(pages by Ref_Key\) takes (under a second|about [\d.]+ s), every 900 s\./)
  t.match(row.message, new RegExp(`Партнеры: ${partners} objects, ${Math.ceil(partners / 100)} pages of \\d+ ms`))
  t.equal(row.fix, null)

  const ru = await indexRow(checkEnv(emulator.baseUrl, { INDEX_PAGE_SIZE: '100' }), 'ru')
  t.match(ru.message, new RegExp(`Партнеры: объектов ${partners}, страниц ${Math.ceil(partners / 100)}, по \\d+ мс`))

  const skipping = await indexRow(checkEnv(emulator.baseUrl, { INDEX_PAGE_SIZE: '100', INDEX_PAGING: 'skip' }))
  t.equal(skipping.verdict, 'ok')
  t.match(skipping.message, /pages by \$skip/)
  t.match(skipping.message, new RegExp(`Партнеры: ${partners} objects, 3 pages of \\d+–\\d+ ms`), '$skip: the second and the last page, timed')
  t.match(skipping.fix, /times the last page as well.*keyset pages by Ref_Key/, '$skip: how the estimate grows, and keyset is suggested')
})

t.test('with $skip the last page is timed too, and the pages between are taken as growing evenly', async t => {
  const emulator = await startDemoEmulator(t, { data: generateBase({ partners: 250, seed: 3 }) })
  const { client, config } = await clientFor(t, checkEnv(emulator.baseUrl, { INDEX_PAGE_SIZE: '100', INDEX_PAGING: 'skip' }))
  const skips: Record<string, number[]> = {}
  const recording = withChanges(client, {
    list: async <T>(q: ListQuery): Promise<{ value: T[], count: number | undefined }> => {
      (skips[q.set] ??= []).push(q.skip ?? 0)
      return await client.list<T>(q)
    },
  })
  const row = await checkIndex({ config, profile: ut11Profile, client: recording })
  t.equal(row.verdict, 'ok')
  const partners = emulator.controls.entities('Catalog_Партнеры').length
  t.ok(partners > 200 && partners <= 300, `${partners} partners: three pages of 100`)
  t.same(skips.Catalog_Партнеры, [0, 100, 200], 'the first, the second and the last page')

  // The sum: the first page, then from the second's cost to the last's.
  t.same(syncPart('S', 1000, 10, { firstMs: 100, nextMs: 10, lastMs: 100 }), { set: 'S', objects: 1000, pages: 10, pageMs: 10, lastPageMs: 100, ms: 100 + 9 * 55 })
  t.same(syncPart('S', 1000, 10, { firstMs: 100, nextMs: 10 }), { set: 'S', objects: 1000, pages: 10, pageMs: 10, ms: 190 }, 'keyset: every page after the first at the second\'s cost')
  t.same(syncPart('S', 50, 1, { firstMs: 30, nextMs: undefined }), { set: 'S', objects: 50, pages: 1, pageMs: 30, ms: 30 })
})

t.test('INDEX_ENABLED=false: the step says the index is off', async t => {
  const emulator = await startDemoEmulator(t)
  const row = await indexRow(checkEnv(emulator.baseUrl, { INDEX_ENABLED: 'false' }))
  t.match(row, { verdict: 'skip', object: 'INDEX_ENABLED=false', message: /The phone index is off/ })
})

/** The proxy's 1C client against the emulator, the way `check` builds it. */
async function clientFor (t: Test, env: Record<string, string>): Promise<{ client: OneCClient, config: ReturnType<typeof loadConfig>['config'] }> {
  const { config } = loadConfig(env)
  const dispatcher = new Agent()
  const client = new OneCClient({ baseUrl: config.onec.url, user: config.onec.user, password: config.onec.password, dispatcher, timeoutMs: config.onec.timeoutMs, sessionMode: config.onec.sessionMode, sessionMaxAgeMs: config.onec.sessionMaxAgeMs })
  t.teardown(async () => { await client.close(); await dispatcher.close() })
  return { client, config }
}

/** The real client with some of its answers changed: the 1C behaviours the emulator does not have. */
function withChanges (client: OneCClient, changes: Partial<CheckClient>): CheckClient {
  return {
    raw: client.raw.bind(client),
    metadataXml: client.metadataXml.bind(client),
    get: client.get.bind(client),
    list: client.list.bind(client),
    count: client.count.bind(client),
    odataRoot: client.odataRoot,
    ...changes,
  }
}

t.test('a 1C that refuses Ref_Key gt guid: a warning with auto (the $skip estimate), a failure with keyset', async t => {
  const emulator = await startDemoEmulator(t)
  const { client, config } = await clientFor(t, checkEnv(emulator.baseUrl))
  // Whether 1C takes `gt` on a reference is not documented (onec-odata.md §3.1); this is the 1C that does not.
  const refusing = withChanges(client, {
    list: async <T>(q: ListQuery): Promise<{ value: T[], count: number | undefined }> => {
      if (q.filter !== undefined) throw new AppError('ONEC_BAD_REQUEST', '1C rejected the request (400).', { details: { onec: { code: 14, message: 'Неправильный тип операнда' } } })
      return await client.list<T>(q)
    },
  })
  const auto = await checkIndex({ config, profile: ut11Profile, client: refusing })
  t.equal(auto.verdict, 'warn')
  t.match(auto.message.en, /1C refused the filter Ref_Key gt guid'…' \(answer: Неправильный тип операнда\)\. The proxy will page with \$skip \(INDEX_PAGING=auto\)\. A full sync of the phone index \(pages by \$skip\)/)
  t.match(auto.fix?.en, /bridge_index_last_sync_duration_seconds/)

  const keyset = await checkIndex({ config: { ...config, index: { ...config.index, paging: 'keyset' } }, profile: ut11Profile, client: refusing })
  t.match(keyset, { verdict: 'fail', object: 'INDEX_PAGING=keyset', fix: { en: /Set INDEX_PAGING=auto/, ru: /Задайте INDEX_PAGING=auto/ } })
})

t.test('a sync that would fill half its interval or more is a warning with the interval to set', async t => {
  const emulator = await startDemoEmulator(t)
  emulator.controls.setLatency(40)
  const { client, config } = await clientFor(t, checkEnv(emulator.baseUrl))
  // Three sources, one page each at ≥ 40 ms: ≥ 120 ms against an interval of 200 ms.
  const row = await checkIndex({ config: { ...config, index: { ...config.index, refreshMs: 200 } }, profile: ut11Profile, client })
  t.equal(row.verdict, 'warn')
  t.match(row.message.en, /half of INDEX_REFRESH_S=\d+ s or more: 1C would be busy syncing most of the time/)
  t.match(row.fix?.en, /Raise INDEX_REFRESH_S to \d+ or more/)
})

t.test('a 1C that cannot count: the estimate goes on with one page per source', async t => {
  const emulator = await startDemoEmulator(t)
  const { client, config } = await clientFor(t, checkEnv(emulator.baseUrl))
  const noCount = withChanges(client, { count: async () => { throw new AppError('ONEC_INTERNAL_ERROR', '1C answered 500.') } })
  const row = await checkIndex({ config, profile: ut11Profile, client: noCount })
  t.equal(row.verdict, 'ok')
  t.match(row.message.en, /Партнеры: object count unknown, 1 page of \d+ ms/)
  t.match(row.message.ru, /Партнеры: объектов неизвестно сколько, страниц 1/)
})
