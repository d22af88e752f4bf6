import { existsSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { ut11Schema } from '../emulator/schema/ut11.js'
import type { ConfigurationSchema } from '../emulator/schema/model.js'
import { LOCK_FILE } from '../lib/data-dir-lock.js'
import { pending, REGISTER, report, ROMASHKA, rows } from './support/journal.js'
import { startStack, waitUntil } from './support/stack.js'


t.test('a report lands in the register with every field right, the start in the base\'s local time', async t => {
  const stack = await startStack(t)
  const res = await stack.tcx('report-call', report())
  t.equal(res.status, 200)
  t.same(res.json(), { accepted: true, callKey: '20261201061502-I-101-74951234567', duplicate: false })
  await waitUntil(t, 'delivery', () => rows(stack).length === 1)
  const row = rows(stack)[0] as Record<string, unknown>
  t.match(row, {
    ИдентификаторЗвонка: '20261201061502-I-101-74951234567',
    ДатаНачала: '2026-12-01T09:15:02', // 06:15:02Z in Europe/Moscow (UTC+3)
    ТипЗвонка: 'Входящий',
    ВнешнийНомер: '+74951234567',
    ВнутреннийНомер: '101',
    Агент: 'Иван Петров (101) <petrov@example.ru>',
    Контрагент: ROMASHKA,
    Контрагент_Type: 'StandardODATA.Catalog_Партнеры',
    Очередь: '800',
  })
  t.equal(Number(row.Длительность), 156)
  t.match(String(row.ДатаЗаписи), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/)
  await waitUntil(t, 'the queue to empty', () => pending(stack) === 0)
  t.equal(pending(stack), 0, 'nothing left in the queue')
})

t.test('ONEC_TIMEZONE, the four call types, and our own lookup when 3CX sent no contact', async t => {
  const stack = await startStack(t, { env: { ONEC_TIMEZONE: 'Asia/Vladivostok' } })
  const types = { Inbound: 'Входящий', Outbound: 'Исходящий', Missed: 'Пропущенный', Notanswered: 'НеОтвечен' }
  let second = 0
  for (const callType of Object.keys(types)) {
    second++
    await stack.tcx('report-call', report({ callType, contactId: '', contactType: '', start: `2026-12-01T23:00:0${second}Z`, number: '+79161234567' }))
  }
  await waitUntil(t, 'four deliveries', () => rows(stack).length === 4)
  for (const row of rows(stack)) {
    t.match(row.ДатаНачала, /^2026-12-02T09:00:0\d$/, 'UTC+10, and the date moves to the next day')
    t.equal(row.ТипЗвонка, types[String(row.ИдентификаторЗвонка).split('-')[1] === 'I' ? 'Inbound' : String(row.ИдентификаторЗвонка).split('-')[1] === 'O' ? 'Outbound' : String(row.ИдентификаторЗвонка).split('-')[1] === 'M' ? 'Missed' : 'Notanswered'])
    // 3CX sent no contact: the proxy found Петров (a contact person of ООО «Ромашка») itself.
    t.equal(row.Контрагент_Type, 'StandardODATA.Catalog_КонтактныеЛицаПартнеров')
  }
  await stack.tcx('report-call', report({ number: '+79990001122', contactId: '', contactType: '', start: '2026-12-01T10:00:00Z' }))
  await waitUntil(t, 'an unknown caller', () => rows(stack).length === 5)
  const unknown = rows(stack).find(r => String(r.ВнешнийНомер) === '+79990001122') as Record<string, unknown>
  t.notOk('Контрагент' in unknown && unknown.Контрагент !== '' && unknown.Контрагент_Type !== 'StandardODATA.Undefined', 'no owner: the composite stays empty')
})

t.test('the same report twice is one call', async t => {
  const stack = await startStack(t)
  t.equal((await stack.tcx('report-call', report())).json().duplicate, false)
  t.equal((await stack.tcx('report-call', report())).json().duplicate, true)
  await waitUntil(t, 'delivery', () => pending(stack) === 0)
  t.equal((await stack.tcx('report-call', report())).json().duplicate, true, 'also after delivery')
  t.equal(rows(stack).length, 1)
})

t.test('1C down for 200 reports, then up: all 200 land, once each, in order', async t => {
  const stack = await startStack(t)
  await stack.emulator.stop()
  const keys: string[] = []
  for (let i = 0; i < 200; i++) {
    const start = new Date(Date.UTC(2026, 11, 1, 8, 0, 0) + i * 1000).toISOString()
    const res = await stack.tcx('report-call', report({ start, agent: String(100 + (i % 5)) }))
    t.equal(res.status, 200)
    keys.push(res.json().callKey as string)
  }
  t.equal(pending(stack), 200)
  await waitUntil(t, 'a few failed attempts', () => (stack.app.journal.worker?.state.attempts ?? 0) >= 2)
  t.equal(rows(stack).length, 0)
  await stack.emulator.start()
  stack.app.journal.worker?.kick()
  await waitUntil(t, 'all 200 delivered', () => rows(stack).length === 200, 30_000)
  t.same(rows(stack).map(r => r.ИдентификаторЗвонка), keys, 'in the order 3CX reported them')
  t.equal(new Set(keys).size, 200)
  // The last row is in 1C a moment before the worker has read 1C's answer and settled it in the queue.
  await waitUntil(t, 'the queue to empty', () => pending(stack) === 0)
  t.equal(pending(stack), 0, 'nothing left in the queue')
})

t.test('a report 1C rejects for good ends in dead letters with 1C\'s message; admin can list, retry, drop', async t => {
  // A register whose administrator made ТипЗвонка too short: 1C refuses the value (code 4) every time.
  const schema: ConfigurationSchema = structuredClone(ut11Schema)
  const register = schema.sets.find(s => s.name === REGISTER)!
  register.properties.find(p => p.name === 'ТипЗвонка')!.length = 5
  const stack = await startStack(t, { emulator: { schema, longStrings: 'error' } })
  await stack.tcx('report-call', report())
  await waitUntil(t, 'the dead letter', () => (stack.app.journal.outbox?.stats().dead ?? 0) === 1)
  t.equal(pending(stack), 0, 'the queue moved on')
  const dead = (await stack.admin('GET', 'journal/dead-letters')).json().deadLetters
  t.equal(dead.length, 1)
  t.match(dead[0], { seq: Number, callKey: '20261201061502-I-101-74951234567', callType: 'Inbound', reason: /ONEC_BAD_REQUEST.*code 4/ })
  t.match((await stack.admin('GET', 'journal')).json(), { pending: 0, deadLetters: 1, paused: false })
  t.equal((await stack.admin('POST', `journal/dead-letters/${dead[0].seq as number}/retry`)).status, 200)
  await waitUntil(t, 'dead again', () => (stack.app.journal.outbox?.stats().dead ?? 0) === 1 && pending(stack) === 0)
  t.equal((await stack.admin('DELETE', `journal/dead-letters/${dead[0].seq as number}`)).status, 200)
  t.equal((await stack.admin('GET', 'journal/dead-letters')).json().deadLetters.length, 0)
  t.equal((await stack.admin('DELETE', 'journal/dead-letters/999')).status, 404)
})

t.test('credentials 1C rejects pause delivery and flip /ready instead of burning the queue', async t => {
  const stack = await startStack(t, { env: { ONEC_PASSWORD: 'wrong' } })
  await stack.tcx('report-call', report())
  await stack.tcx('report-call', report({ agent: '102' }))
  await waitUntil(t, 'the pause', () => stack.app.journal.worker?.state.paused === true)
  const ready = await stack.app.inject('/ready')
  t.equal(ready.statusCode, 503)
  t.ok(ready.json().reasons.some((r: string) => /journal: call delivery is paused: ONEC_AUTH_FAILED/.test(r)))
  t.equal(pending(stack), 2, 'nothing dead-lettered, nothing lost')
  t.equal(stack.app.journal.outbox?.stats().dead, 0)
  t.match((await stack.admin('GET', 'journal')).json(), { paused: true, reason: /ONEC_AUTH_FAILED/ })
})

t.test('reports that are not a call get a 400 that names the field, and nothing is queued', async t => {
  const stack = await startStack(t)
  const cases: Array<[Record<string, unknown>, string]> = [
    [report({ callType: 'Incoming' }), 'callType'],
    [report({ callType: undefined }), 'callType'],
    [report({ number: undefined }), 'number'],
    [report({ start: '06.12.2023 12:05' }), 'start'],
    [report({ start: '2026-12-01T06:15:02' }), 'start'],
    [report({ start: '' }), 'start'],
    [report({ agent: 101 }), 'agent'],
  ]
  for (const [body, field] of cases) {
    const res = await stack.tcx('report-call', body)
    t.equal(res.status, 400, field)
    t.equal(res.json().error.code, 'VALIDATION_FAILED')
    t.equal(res.json().error.field, field, `names "${field}"`)
    t.match(res.json().error.message, new RegExp(field))
  }
  const huge = await stack.app.inject({ method: 'POST', url: '/3cx/report-call', headers: { authorization: `Basic ${Buffer.from('3cx:tcx-secret-password').toString('base64')}`, 'content-type': 'application/json' }, payload: JSON.stringify(report({ name: 'x'.repeat(100_000) })) })
  t.equal(huge.statusCode, 413)
  t.equal(huge.json().error.code, 'PAYLOAD_TOO_LARGE')
  const notJson = await stack.app.inject({ method: 'POST', url: '/3cx/report-call', headers: { authorization: `Basic ${Buffer.from('3cx:tcx-secret-password').toString('base64')}`, 'content-type': 'application/json' }, payload: '{"callType":' })
  t.equal(notJson.statusCode, 400)
  t.equal(pending(stack), 0)
  t.equal(stack.app.journal.outbox?.stats().deliveredSinceOpen, 0)
  t.equal(rows(stack).length, 0)
  const anonymous = await stack.tcx('report-call', report({ number: 'Anonymous', contactId: '', contactType: '' }))
  t.equal(anonymous.status, 200, 'a withheld caller is still a call to journal')
})

t.test('JOURNAL_TARGET=document: the same queue, a БСП ТелефонныйЗвонок', async t => {
  const stack = await startStack(t, { env: { JOURNAL_TARGET: 'document' } })
  await stack.tcx('report-call', report({ callType: 'Missed', duration: '0', answered: '' }))
  await waitUntil(t, 'the document', () => stack.emulator.controls.entities('Document_ТелефонныйЗвонок').length === 1)
  const doc = stack.emulator.controls.entities('Document_ТелефонныйЗвонок')[0] as Record<string, unknown>
  t.match(doc, {
    Date: '2026-12-01T09:15:02',
    АбонентКакСвязаться: '+7 (495) 123-45-67',
    АбонентКонтакт: ROMASHKA,
    АбонентКонтакт_Type: 'StandardODATA.Catalog_Партнеры',
    Входящий: true,
    Тема: 'Пропущенный звонок +7 (495) 123-45-67',
    Комментарий: '3CX 20261201061502-M-101-74951234567',
  })
  t.match(doc.Описание, /Звонок 3CX: 20261201061502-M-101-74951234567/)
})

t.test('closing the app keeps what was not delivered; the next start delivers it', async t => {
  const first = await startStack(t)
  await first.emulator.stop()
  await first.tcx('report-call', report())
  const dataDir = first.dataDir
  await first.app.close()
  await first.emulator.start()
  const second = await startStack(t, { dataDir, data: undefined })
  // The second stack has its own emulator; the call left by the first app reaches it.
  await waitUntil(t, 'delivery after restart', () => rows(second).length === 1)
  t.equal(rows(second)[0]?.ИдентификаторЗвонка, '20261201061502-I-101-74951234567')
})

t.test('a second app on the same DATA_DIR is refused; the first keeps its journal', async t => {
  const first = await startStack(t)
  await t.rejects(startStack(t, { dataDir: first.dataDir }), { code: 'DATA_DIR_IN_USE' })
  await first.tcx('report-call', report())
  await waitUntil(t, 'delivery', () => rows(first).length === 1)
})

t.test('with the journal and the index off nothing is written to DATA_DIR, so nothing is locked', async t => {
  const env = { JOURNAL_TARGET: 'off', INDEX_ENABLED: 'false' }
  const first = await startStack(t, { env })
  await startStack(t, { env, dataDir: first.dataDir })
  t.notOk(existsSync(join(first.dataDir, LOCK_FILE)))
})
