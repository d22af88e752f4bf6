import t from 'tap'
import type { Logger } from 'pino'
import { lazyChild } from '../../lib/lazy-logger.js'
import { captureLogs } from '../support/log-sink.js'

t.test('a request logger writes with its bindings, honours the level, and is built only when it writes', async t => {
  const { logger, lines } = captureLogs('info')
  let children = 0
  const counting = Object.assign(Object.create(logger) as Logger, {
    child: (...args: Parameters<Logger['child']>) => { children++; return logger.child(...args) },
  })
  const log = lazyChild(counting, { reqId: 'r1' })
  log.debug('below the level')
  t.equal(children, 0, 'nothing below the level builds a child')
  t.equal(log.isLevelEnabled('debug'), false)
  t.equal(log.level, 'info')
  log.info({ scenario: 'lookup' }, 'hello')
  log.warn('twice')
  t.equal(children, 1, 'one child, built on the first line')
  t.match(lines(), [{ reqId: 'r1', scenario: 'lookup', msg: 'hello' }, { reqId: 'r1', msg: 'twice', level: 'warn' }])
  t.same(log.bindings(), { service: '3cx-1c-bridge', reqId: 'r1' })

  const quiet = lazyChild(logger, { reqId: 'r2' })
  quiet.level = 'warn'
  quiet.info('dropped: the route asked for warn')
  quiet.error('kept')
  t.match(lines().slice(2), [{ reqId: 'r2', msg: 'kept' }])
  t.equal(lines().length, 3)
})
