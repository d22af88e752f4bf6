import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { LOCK_FILE, lockDataDir } from '../../lib/data-dir-lock.js'
import { tempDir } from '../support/outbox-temp.js'

const holderFile = (dir: string): string => join(dir, LOCK_FILE)
const writeHolder = (dir: string, holder: Record<string, unknown>): void => { writeFileSync(holderFile(dir), `${JSON.stringify(holder)}\n`) }
const age = (dir: string, seconds: number): void => { const then = new Date(Date.now() - seconds * 1000); utimesSync(holderFile(dir), then, then) }
/** The pid of a process that has already exited. */
const deadPid = (): number => spawnSync(process.execPath, ['-e', '0']).pid as number

t.test('a second proxy on the same DATA_DIR is refused, with the holder named; after release it starts', async t => {
  const dir = await tempDir(t)
  const first = await lockDataDir(dir)
  await t.rejects(lockDataDir(dir), { code: 'DATA_DIR_IN_USE', message: new RegExp(`in use by another proxy \\(process ${process.pid} on `) })
  t.match(JSON.parse(readFileSync(holderFile(dir), 'utf8')), { host: hostname(), pid: process.pid })
  await first.release()
  t.notOk(existsSync(holderFile(dir)), 'the lock file is gone after release')
  const second = await lockDataDir(dir)
  await second.release()
})

t.test('the lock of a process that no longer runs on this host is taken over at once (a crash, kill -9)', async t => {
  const dir = await tempDir(t)
  writeHolder(dir, { host: hostname(), pid: deadPid(), startedAt: '2026-12-01T00:00:00Z', token: 'old' })
  const lock = await lockDataDir(dir, { staleMs: 3_600_000 })
  t.not(JSON.parse(readFileSync(holderFile(dir), 'utf8')).token, 'old')
  await lock.release()
})

t.test('our own pid under a token we do not hold is a previous life of this process (a container restarted)', async t => {
  const dir = await tempDir(t)
  writeHolder(dir, { host: hostname(), pid: process.pid, startedAt: '2026-12-01T00:00:00Z', token: 'previous-life' })
  const lock = await lockDataDir(dir, { staleMs: 3_600_000 })
  await lock.release()
})

t.test('a lock of another host is respected while it is renewed, and taken over once it is stale', async t => {
  const dir = await tempDir(t)
  writeHolder(dir, { host: 'other-host', pid: 1, startedAt: '2026-12-01T00:00:00Z', token: 'other' })
  await t.rejects(lockDataDir(dir, { staleMs: 60_000 }), { code: 'DATA_DIR_IN_USE', message: /process 1 on other-host/ })
  age(dir, 120)
  const lock = await lockDataDir(dir, { staleMs: 60_000 })
  await lock.release()
})

t.test('a lock file cut short is judged by its age alone', async t => {
  const dir = await tempDir(t)
  writeFileSync(holderFile(dir), '{"host":"oth')
  await t.rejects(lockDataDir(dir, { staleMs: 60_000 }), { code: 'DATA_DIR_IN_USE', message: /holder unknown/ })
  age(dir, 120)
  const lock = await lockDataDir(dir, { staleMs: 60_000 })
  await lock.release()
})

t.test('a lock taken over while held is reported, and left to its new holder on release', async t => {
  const dir = await tempDir(t)
  let lost: unknown
  const lock = await lockDataDir(dir, { staleMs: 30, onLost: holder => { lost ??= holder } })
  writeHolder(dir, { host: 'other-host', pid: 7, startedAt: '2026-12-01T00:00:00Z', token: 'usurper' })
  while (lost === undefined) await new Promise(resolve => setTimeout(resolve, 5))
  t.match(lost, { host: 'other-host', pid: 7 })
  await lock.release()
  t.equal(JSON.parse(readFileSync(holderFile(dir), 'utf8')).token, 'usurper')
})

t.test('the lock is renewed while held, so that another host does not take it over', async t => {
  const dir = await tempDir(t)
  const lock = await lockDataDir(dir, { staleMs: 300 })
  age(dir, 120)
  // Renewed every staleMs / 3: the file's age comes back under staleMs.
  while (Date.now() - statSync(holderFile(dir)).mtimeMs > 300) await new Promise(resolve => setTimeout(resolve, 10))
  t.pass('renewed')
  await lock.release()
})

t.test('the lock of another running process on this host is respected while it is renewed', async t => {
  const dir = await tempDir(t)
  writeHolder(dir, { host: hostname(), pid: process.ppid, startedAt: '2026-12-01T00:00:00Z', token: 'parent' })
  age(dir, 10)
  await t.rejects(lockDataDir(dir, { staleMs: 3_600_000 }), { code: 'DATA_DIR_IN_USE', message: new RegExp(`process ${process.ppid} on `) })
})
