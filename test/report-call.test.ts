import t, { type Test } from 'tap'
import { REGISTER } from './support/journal.js'
import { captureLogs } from './support/log-sink.js'
import { startStack, waitUntil, type Stack } from './support/stack.js'

/**
 * 3CX reports a call once and does not send it again, so whatever in a report is not usable as sent must
 * cost that field, never the call: it is journaled without it and the answer says what was set aside.
 */
function report (second: number, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    callType: 'Inbound',
    number: '+74951234567',
    agent: '101',
    start: `2026-12-01T06:15:${String(second).padStart(2, '0')}Z`,
    duration: '156',
    ...over,
  }
}

const rowOf = (stack: Stack, callKey: string): Record<string, unknown> | undefined =>
  stack.emulator.controls.entities(REGISTER).find(row => row.ИдентификаторЗвонка === callKey)

async function delivered (t: Test, stack: Stack, body: Record<string, unknown>, fields: string[]): Promise<Record<string, unknown>> {
  const res = await stack.tcx('report-call', body)
  t.equal(res.status, 200, `${fields.join(', ') || 'nothing'} set aside: still a 200`)
  t.equal(res.json().accepted, true)
  t.same((res.json().warnings ?? []).map((w: { field: string }) => w.field), fields, 'the answer names what was set aside')
  const callKey = String(res.json().callKey)
  await waitUntil(t, `call ${callKey} in 1C`, () => rowOf(stack, callKey) !== undefined)
  return rowOf(stack, callKey) as Record<string, unknown>
}

t.test('a number that is not a phone number is journaled as sent, unmatched', async t => {
  // No DEFAULT_AREA_CODE (the default): a 7-digit local number cannot be made a full number.
  const logs = captureLogs('info')
  const stack = await startStack(t, { env: { DEFAULT_AREA_CODE: '' }, logger: logs.logger })
  const local = await delivered(t, stack, report(1, { number: '2345678' }), ['number'])
  t.equal(local.ВнешнийНомер, '2345678')
  t.notOk(local.Контрагент, 'no 1C object is guessed for it')
  const letters = await delivered(t, stack, report(2, { number: 'MTS-Bank' }), ['number'])
  t.equal(letters.ВнешнийНомер, 'MTS-Bank')
  t.match(String(letters.ИдентификаторЗвонка), /-mtsbank$/)
  const empty = await delivered(t, stack, report(3, { number: '' }), [])
  t.equal(empty.ВнешнийНомер, '')
  t.match(String(empty.ИдентификаторЗвонка), /-unknown$/)
  const warned = logs.lines().filter(l => l.msg === 'report-call: fields set aside, the call is journaled without them')
  t.same(warned.map(l => l.fields), [['number'], ['number']], 'the log names the fields only')
  t.notMatch(logs.text(), /2345678/, 'the local number itself stays out of the log')
})

t.test('an empty or long agent and queue, a bad contact link, unreadable times: the call still lands', async t => {
  const stack = await startStack(t)
  const missedInQueue = await delivered(t, stack, report(4, { callType: 'Missed', agent: '', duration: '0' }), [])
  t.equal(missedInQueue.ВнутреннийНомер, '')
  t.equal(missedInQueue.ТипЗвонка, 'Пропущенный')
  t.match(String(missedInQueue.ИдентификаторЗвонка), /-M-none-74951234567$/)

  const long = await delivered(t, stack, report(5, { agent: '12345678901234567890', queue: 'support-queue-moscow' }), ['agent', 'queue'])
  t.equal(long.ВнутреннийНомер, '1234567890123456', 'cut at the register\'s 16 characters')
  t.equal(long.Очередь, 'support-queue-mo')

  // 3CX's contact link unusable: the proxy's own lookup of the number finds the owner instead.
  const badLink = await delivered(t, stack, report(6, { contactId: 'not-a-guid', contactType: 'Partner' }), ['contactId'])
  t.equal(badLink.Контрагент, '39ec7ad5-91b9-1d73-85d9-b15e1f7c21ea')
  const badType = await delivered(t, stack, report(7, { contactId: '39ec7ad5-91b9-1d73-85d9-b15e1f7c21ea', contactType: 'Lead' }), ['contactType'])
  t.equal(badType.Контрагент, '39ec7ad5-91b9-1d73-85d9-b15e1f7c21ea')

  const times = await delivered(t, stack, report(8, { answered: 'yesterday', end: '2026-12-01T06:17:45', duration: 'n/a' }), ['answered', 'end', 'duration'])
  t.equal(Number(times.Длительность), 0, 'an unreadable duration is journaled as 0')
  const clock = await delivered(t, stack, report(9, { duration: '00:02:36' }), [])
  t.equal(Number(clock.Длительность), 156, '3CX\'s human hh:mm:ss is read as seconds')
  const negative = await delivered(t, stack, report(10, { duration: -5 }), ['duration'])
  t.equal(Number(negative.Длительность), 0)
})
