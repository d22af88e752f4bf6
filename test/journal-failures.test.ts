import t, { type Test } from 'tap'
import { buildApp } from '../app.js'
import { ut11Schema } from '../emulator/schema/ut11.js'
import type { ConfigurationSchema } from '../emulator/schema/model.js'
import { testConfig } from './support/config.js'
import { diskUnder } from './support/full-disk.js'
import { captureLogs } from './support/log-sink.js'
import { tempDir } from './support/outbox-temp.js'
import { pending, REGISTER, report, rows } from './support/journal.js'
import { startStack, waitUntil, type Stack } from './support/stack.js'

const DOCUMENT = 'Document_ТелефонныйЗвонок'
/** Петров, a contact person of ООО «Ромашка» in the demo base. */
const PETROV = '+79161234567'

const dead = (stack: Stack): number => stack.app.journal.outbox?.stats().dead ?? -1

/** The first /ready probe is in flight right after start; a fault queued before it ends would hit it. */
async function onecSettled (t: Test, stack: Stack): Promise<void> {
  await waitUntil(t, '1C to have answered', () => stack.app.readiness.get('onec')?.ok === true)
}

t.test('a full disk: 3CX gets a 503 with a code, /ready says what to do, lookups go on; with room again the journal reopens', async t => {
  const rejections: unknown[] = []
  const onRejection = (reason: unknown): void => { rejections.push(reason) }
  process.on('unhandledRejection', onRejection)
  t.teardown(() => { process.off('unhandledRejection', onRejection) })
  const dataDir = await tempDir(t)
  const disk = await diskUnder(t, dataDir)
  const stack = await startStack(t, { dataDir })
  t.equal((await stack.tcx('report-call', report())).status, 200)
  await waitUntil(t, 'the first call in 1C', () => rows(stack).length === 1 && pending(stack) === 0)

  disk.fill()
  const refused = await stack.tcx('report-call', report({ agent: '102' }))
  t.equal(refused.status, 503, 'never a 200 for a call that is not on disk')
  t.match(refused.json().error, {
    code: 'JOURNAL_UNAVAILABLE',
    journal: 'disk_full',
    message: /not stored: the call journal cannot write: the disk holding .*journal is full \(ENOSPC\)/,
    hint: /Free space on that disk\. The journal reopens by itself/,
  })
  await waitUntil(t, 'the worker to stop', () => stack.app.journal.worker?.state.outboxError !== undefined)
  const ready = await stack.app.inject('/ready')
  t.equal(ready.statusCode, 503)
  t.match(ready.json().reasons, [/^journal: the call journal cannot write: the disk holding .* is full \(ENOSPC\)\. Reports from 3CX are refused \(503 JOURNAL_UNAVAILABLE\).*Free space on that disk/])
  t.equal(ready.json().components.journal.details.journal, 'disk_full')
  t.equal((await stack.tcx('report-call', report({ agent: '103' }))).status, 503, 'still refused')
  t.equal((await stack.tcx('lookup', { number: PETROV })).status, 200, 'lookups are not affected')
  t.equal(stack.app.journal.worker?.state.running, true, 'the worker waits for the disk, it did not die')
  const adminWhileFull = await stack.admin('POST', 'journal/dead-letters/retry-all')
  t.equal(adminWhileFull.status, 503, 'the admin routes say the journal is unavailable, not an internal error')
  t.equal(adminWhileFull.json().error.code, 'JOURNAL_UNAVAILABLE')

  disk.free()
  t.equal((await stack.admin('POST', 'journal/retry-now')).status, 200)
  await waitUntil(t, 'the journal to reopen', () => stack.app.journal.outbox?.failure === undefined)
  t.equal((await stack.tcx('report-call', report({ agent: '104' }))).status, 200)
  await waitUntil(t, 'the next call in 1C', () => rows(stack).length === 2 && pending(stack) === 0)
  t.same(rows(stack).map(r => r.ВнутреннийНомер), ['101', '104'], 'the refused calls never reached 1C')
  t.equal((await stack.app.inject('/ready')).json().components.journal.ok, true)
  t.same(rejections, [], 'no unhandled rejection')
})

t.test('a call 1C keeps failing goes to the dead letters after JOURNAL_MAX_ATTEMPTS; the queue moves on', async t => {
  const stack = await startStack(t)
  await onecSettled(t, stack)
  // 500 code -1 ten times: the attempts at the first call (onec-odata.md §5.3, an exception in 1C's code).
  stack.emulator.controls.failNext(10, '500')
  await stack.tcx('report-call', report())
  await stack.tcx('report-call', report({ agent: '102' }))
  await waitUntil(t, 'a few failed attempts', () => (stack.app.journal.worker?.state.attempts ?? 0) >= 3)
  const journal = (await stack.app.inject('/ready')).json().components.journal
  t.match(journal, { ok: true, warning: /head of the queue \(seq 1\) failed \d+ time\(s\), last: ONEC_INTERNAL_ERROR/ })
  t.match(journal.details, { pending: 2, headSeq: 1, headAttempts: Number, lastError: /ONEC_INTERNAL_ERROR/, maxAttempts: 10 })
  t.match((await stack.admin('GET', 'journal')).json(), { attemptsOnHead: Number, lastError: /ONEC_INTERNAL_ERROR/ })

  await waitUntil(t, 'the dead letter', () => dead(stack) === 1)
  await waitUntil(t, 'the second call in 1C', () => rows(stack).length === 1 && pending(stack) === 0)
  t.equal(rows(stack)[0]?.ВнутреннийНомер, '102')
  const letters = (await stack.admin('GET', 'journal/dead-letters')).json().deadLetters
  t.match(letters, [{ seq: 1, agent: '101', reason: /^ONEC_INTERNAL_ERROR: .*\(gave up after 10 attempts\)$/ }])
  t.equal((await stack.admin('POST', 'journal/dead-letters/1/retry')).status, 200, 'an operator can send it again')
  await waitUntil(t, 'the retried call in 1C', () => rows(stack).length === 2 && dead(stack) === 0)
})

t.test('an outage is waited out however long it lasts: nothing goes to the dead letters', async t => {
  const stack = await startStack(t)
  await stack.emulator.stop()
  await stack.tcx('report-call', report())
  await waitUntil(t, 'more failed attempts than JOURNAL_MAX_ATTEMPTS', () => (stack.app.journal.worker?.state.attempts ?? 0) > 12)
  t.equal(dead(stack), 0)
  t.equal(pending(stack), 1)
  await stack.emulator.start()
  stack.app.journal.worker?.kick()
  await waitUntil(t, 'the call in 1C', () => rows(stack).length === 1 && pending(stack) === 0)
})

t.test('1C out of licences, or the web server in front of it answering 503: calls wait, rings say "error", nothing is dead-lettered', async t => {
  // What 1C answers when no licence is free is not documented (onec-odata.md §5.3): both answers the reference offers.
  for (const [kind, expected] of [['licence', /ONEC_INTERNAL_ERROR: .*лицензия/], ['503', /ONEC_UNAVAILABLE/]] as const) {
    const stack = await startStack(t)
    await onecSettled(t, stack)
    stack.emulator.controls.failNext(100_000, kind)
    await stack.tcx('report-call', report())
    await waitUntil(t, `${kind}: more failed attempts than JOURNAL_MAX_ATTEMPTS`, () => (stack.app.journal.worker?.state.attempts ?? 0) > 12)
    t.equal(dead(stack), 0, `${kind}: a 1C that fails every request, reads too, moves nothing to the dead letters`)
    t.match((await stack.admin('GET', 'journal')).json(), { pending: 1, lastError: expected }, `${kind}: the operator sees why`)
    t.match((await stack.tcx('lookup', { number: '+74957654321' })).json(), { outcome: 'error', contacts: [] }, `${kind}: a ring is answered at once`)
    stack.emulator.controls.clearFaults()
    stack.app.journal.worker?.kick()
    await waitUntil(t, `${kind}: the call in 1C`, () => rows(stack).length === 1 && pending(stack) === 0)
  }
})

t.test('LOG_PHONE_NUMBERS=masked: no journal log line holds the caller\'s number, and 1C requests carry journal-<seq>', async t => {
  const logs = captureLogs('info')
  const stack = await startStack(t, { logger: logs.logger })
  await onecSettled(t, stack)
  // A POST that fails once, for a retry line; then a call without a contact, whose owner the proxy looks up.
  stack.emulator.controls.failNext(1, '500')
  await stack.tcx('report-call', report({ number: PETROV }))
  await waitUntil(t, 'delivery', () => rows(stack).length === 1 && pending(stack) === 0)
  await stack.tcx('report-call', report({ number: PETROV, contactId: '', contactType: '', start: '2026-12-01T06:16:02Z' }))
  await waitUntil(t, 'delivery', () => rows(stack).length === 2 && pending(stack) === 0)
  // A register whose ТипЗвонка is too short: 1C refuses every call (code 4), for a dead-letter line.
  const schema: ConfigurationSchema = structuredClone(ut11Schema)
  schema.sets.find(s => s.name === REGISTER)!.properties.find(p => p.name === 'ТипЗвонка')!.length = 5
  const refusing = await startStack(t, { logger: logs.logger, emulator: { schema, longStrings: 'error' } })
  await refusing.tcx('report-call', report({ number: PETROV }))
  await waitUntil(t, 'the dead letter', () => dead(refusing) === 1)

  await waitUntil(t, 'the log lines', () => logs.lines().filter(l => l.component === 'journal').length === 4)
  const lines = logs.lines()
  const journal = lines.filter(l => l.component === 'journal')
  t.same(journal.map(l => l.msg), ['call delivery failed', 'call delivered to 1C', 'call delivered to 1C', 'call moved to the dead letters: 1C refused it'])
  for (const line of journal) t.match(line.callKey, /^2026120106\d{4}-I-101-\*{7}4567$/, `${String(line.msg)}: the key masked like a number`)
  const requests = lines.filter(l => l.component === 'onec' && typeof l.reqId === 'string' && l.reqId.startsWith('journal-'))
  t.ok(requests.length >= 7, 'the POSTs and the owner lookup')
  for (const line of requests) t.match(line.reqId, /^journal-\d+$/)
  t.notOk(logs.text().includes('9161234567'), 'the number never appears whole')

  const full = captureLogs('info')
  const shown = await startStack(t, { logger: full.logger, env: { LOG_PHONE_NUMBERS: 'full' } })
  await shown.tcx('report-call', report({ number: PETROV }))
  await waitUntil(t, 'delivery', () => full.lines().some(l => l.msg === 'call delivered to 1C'))
  t.match(full.lines().find(l => l.msg === 'call delivered to 1C'), { callKey: '20261201061502-I-101-79161234567', number: PETROV }, 'LOG_PHONE_NUMBERS=full shows it')
})

t.test('a failed owner lookup is logged and the call is written without its owner', async t => {
  const logs = captureLogs('info')
  const stack = await startStack(t, { logger: logs.logger })
  // Only the register is published: every phone query of the lookup gets 404 (a set that is not published).
  stack.emulator.controls.setComposition([REGISTER])
  await stack.tcx('report-call', report({ number: PETROV, contactId: '', contactType: '' }))
  await waitUntil(t, 'delivery', () => rows(stack).length === 1 && pending(stack) === 0)
  const row = rows(stack)[0] as Record<string, unknown>
  t.equal(row.ВнешнийНомер, PETROV)
  t.notOk(typeof row.Контрагент === 'string' && row.Контрагент !== '' && row.Контрагент !== '00000000-0000-0000-0000-000000000000', 'no owner')
  t.equal(stack.app.journal.worker?.state.paused, false, 'delivery is not paused')
  t.equal(dead(stack), 0)
  t.match(logs.lines().find(l => l.component === 'journal' && l.level === 'warn'), {
    msg: 'the owner of a journaled call could not be looked up: the call is written without it',
    number: '+7******4567',
    error: /ONEC_SET_NOT_PUBLISHED/,
  })
})

t.test('JOURNAL_TARGET=document, 1C ignoring the Ref_Key sent: a POST that timed out is not written twice', async t => {
  const logs = captureLogs('info')
  const env = { JOURNAL_TARGET: 'document', ONEC_TIMEOUT_MS: '300' }
  const stack = await startStack(t, { env, emulator: { clientRefKey: 'ignore' }, logger: logs.logger })
  await onecSettled(t, stack)
  const documents = (): Array<Record<string, unknown>> => stack.emulator.controls.entities(DOCUMENT)
  // 1C takes longer than ONEC_TIMEOUT_MS: the proxy gives up on the POST, 1C still writes the document.
  stack.emulator.controls.setLatency(600)
  await stack.tcx('report-call', report())
  await waitUntil(t, 'the document 1C wrote after the proxy gave up', () => documents().length === 1)
  stack.emulator.controls.setLatency(0)
  // The queue empties a moment before the line: it is written once the mark is on disk.
  await waitUntil(t, 'the call settled', () => logs.lines().some(l => l.msg === 'call delivered to 1C'))
  t.equal(documents().length, 1, 'found by its date and comment, not written again')
  t.match(logs.lines().find(l => l.msg === 'call delivered to 1C'), { result: 'already_present' })

  for (const second of ['03', '04']) await stack.tcx('report-call', report({ start: `2026-12-01T06:15:${second}Z` }))
  await waitUntil(t, 'two more', () => documents().length === 3 && pending(stack) === 0)
  const warnings = logs.lines().filter(l => l.msg === '1C does not keep the Ref_Key the proxy sends with a new document: a call sent again is first looked for by its date and comment')
  t.equal(warnings.length, 1, 'learnt from 1C\'s answer, said once')
})

t.test('JOURNAL_TARGET=document, 1C ignoring the Ref_Key sent: a call the last run may have sent is looked for after a restart', async t => {
  const env = { JOURNAL_TARGET: 'document', ONEC_TIMEOUT_MS: '300' }
  const dataDir = await tempDir(t)
  const first = await startStack(t, { env, emulator: { clientRefKey: 'ignore' }, dataDir })
  await onecSettled(t, first)
  const documents = (): Array<Record<string, unknown>> => first.emulator.controls.entities(DOCUMENT)
  first.emulator.controls.setLatency(600)
  await first.tcx('report-call', report())
  await waitUntil(t, 'the document 1C wrote after the proxy gave up', () => documents().length === 1)
  await first.app.close()
  t.equal(first.app.journal.outbox?.stats().pending, 1, 'not confirmed before the stop')
  first.emulator.controls.setLatency(0)

  const second = await buildApp(testConfig(first.emulator.baseUrl, { DATA_DIR: dataDir, DEFAULT_AREA_CODE: '495', JOURNAL_RETRY_MIN_MS: '20', JOURNAL_RETRY_MAX_MS: '200', ...env }))
  t.teardown(() => second.close())
  await second.ready()
  await waitUntil(t, 'the call settled after the restart', () => second.journal.outbox?.stats().pending === 0)
  t.equal(documents().length, 1, 'not written a second time')
})
