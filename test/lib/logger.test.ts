import t from 'tap'
import { Writable } from 'node:stream'
import { createLogger, isoTimeOncePerMs, unredactedSibling } from '../../lib/logger.js'

const sink = () => {
  const chunks: string[] = []
  const stream = new Writable({ write (chunk, _enc, done) { chunks.push(String(chunk)); done() } })
  return { stream, lines: () => chunks.join('').split('\n').filter(l => l !== '').map(l => JSON.parse(l) as Record<string, unknown>) }
}

t.test('the time field is ISO 8601, formatted again only when the millisecond changes', async t => {
  let now = Date.parse('2026-12-01T10:00:00.123Z')
  const time = isoTimeOncePerMs(() => now)
  const first = time()
  t.equal(first, ',"time":"2026-12-01T10:00:00.123Z"')
  t.equal(time(), first, 'same millisecond, same text')
  now += 1
  t.equal(time(), ',"time":"2026-12-01T10:00:00.124Z"', 'the next millisecond is told apart')
  now -= 5
  t.equal(time(), ',"time":"2026-12-01T10:00:00.119Z"', 'a clock stepped back is followed too')
})

t.test('log lines carry an ISO time that parses back to the moment they were written', async t => {
  const out = sink()
  const logger = createLogger('info', out.stream)
  const before = Date.now()
  logger.info('one')
  logger.info('two')
  const after = Date.now()
  for (const line of out.lines()) {
    t.match(line.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    const at = Date.parse(line.time as string)
    t.ok(at >= before && at <= after, 'the time is when the line was written')
  }
})

t.test('the unredacted sibling writes to the same place, at the same level and in the same format, without redaction', async t => {
  const out = sink()
  const logger = createLogger('warn', out.stream)
  const sibling = unredactedSibling(logger)
  t.equal(sibling.level, 'warn')
  sibling.info({ password: 'shown' }, 'below the level')
  logger.warn({ password: 'hidden' }, 'parent')
  sibling.warn({ password: 'shown' }, 'sibling')
  const lines = out.lines()
  t.equal(lines.length, 2, 'the sibling keeps the level')
  t.match(lines[0], { level: 'warn', service: '3cx-1c-bridge', password: '[redacted]', msg: 'parent' })
  t.match(lines[1], { level: 'warn', service: '3cx-1c-bridge', password: 'shown', msg: 'sibling' })
  t.equal(typeof lines[1]?.time, 'string')
})
