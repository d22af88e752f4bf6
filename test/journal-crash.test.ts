import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import t, { type Test } from 'tap'
import { request } from 'undici'
import { startEmulator, type RunningEmulator } from '../emulator/server.js'
import { TCX } from './support/config.js'
import { demoData, waitUntil } from './support/stack.js'

const CLI = new URL('../dist/cli/main.js', import.meta.url).pathname

/** The proxy as a real process (what systemd runs), so that it can be killed with SIGKILL. */
function spawnProxy (emulator: RunningEmulator, dataDir: string, env: Record<string, string>, stderr: 'inherit' | 'pipe'): ChildProcess {
  return spawn(process.execPath, [CLI, 'serve', '--dotenv', '/dev/null'], {
    env: {
      PATH: process.env.PATH,
      ONEC_URL: emulator.baseUrl,
      ONEC_USER: 'odata',
      ONEC_PASSWORD: 'odata',
      HOST: '127.0.0.1',
      PORT: '0',
      PUBLIC_URL: 'http://127.0.0.1:1',
      TCX_USER: TCX.user,
      TCX_PASSWORD: TCX.password,
      DATA_DIR: dataDir,
      DEFAULT_AREA_CODE: '495',
      JOURNAL_RETRY_MIN_MS: '20',
      JOURNAL_RETRY_MAX_MS: '200',
      INDEX_ENABLED: 'false',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', stderr],
  })
}

async function startProxy (t: Test, emulator: RunningEmulator, dataDir: string, env: Record<string, string>): Promise<{ url: string, child: ChildProcess }> {
  const child = spawnProxy(emulator, dataDir, env, 'inherit')
  t.teardown(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL') })
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', code => reject(new Error(`the proxy exited with ${String(code)} before it was ready`)))
    lines.on('line', line => {
      const parsed = JSON.parse(line) as { msg?: string, proxy?: string }
      if (parsed.msg === 'ready' && parsed.proxy !== undefined) resolve(parsed.proxy)
    })
  })
  return { url, child }
}

async function killHard (child: ChildProcess): Promise<void> {
  const exited = new Promise(resolve => child.once('exit', resolve))
  child.kill('SIGKILL')
  await exited
}

function report (i: number): Record<string, unknown> {
  return {
    callType: i % 3 === 0 ? 'Missed' : 'Inbound',
    number: `+7916${String(1000000 + i).padStart(7, '0')}`,
    agent: '101',
    start: new Date(Date.UTC(2026, 11, 1, 8, 0, 0) + i * 1000).toISOString(),
    duration: String(i),
  }
}

for (const target of ['register', 'document'] as const) {
  t.test(`${target}: the proxy killed with SIGKILL in the middle of delivery, then restarted: nothing lost, nothing doubled`, { skip: existsSync(CLI) ? false : 'needs dist/ (npm test builds it)' }, async t => {
    const set = target === 'register' ? 'InformationRegister_ЖурналЗвонков3CX' : 'Document_ТелефонныйЗвонок'
    // A 1C that needs 15 ms per request, so that the kill lands while deliveries are under way.
    const emulator = await startEmulator({ port: 0, data: structuredClone(await demoData()), latencyMs: 15 })
    t.teardown(() => emulator.close())
    const dataDir = mkdtempSync(join(tmpdir(), 'bridge-crash-'))
    t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
    const env = { JOURNAL_TARGET: target }
    const auth = `Basic ${Buffer.from(`${TCX.user}:${TCX.password}`).toString('base64')}`

    const first = await startProxy(t, emulator, dataDir, env)
    const keys: string[] = []
    for (let i = 0; i < 150; i++) {
      const res = await request(`${first.url}/3cx/report-call`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify(report(i)) })
      t.equal(res.statusCode, 200)
      keys.push((await res.body.json() as { callKey: string }).callKey)
    }
    await waitUntil(t, 'some deliveries', () => emulator.controls.entities(set).length >= 20)
    await killHard(first.child)
    const landedBeforeKill = emulator.controls.entities(set).length
    t.ok(landedBeforeKill < 150, `killed with ${landedBeforeKill} of 150 delivered`)

    await startProxy(t, emulator, dataDir, env)
    await waitUntil(t, 'all 150 delivered after the restart', () => emulator.controls.entities(set).length >= 150, 30_000)
    const landed = emulator.controls.entities(set).map(e => target === 'register' ? String(e.ИдентификаторЗвонка) : String(e.Комментарий).replace('3CX ', ''))
    t.equal(landed.length, 150, 'nothing doubled')
    t.same([...landed].sort(), [...keys].sort(), 'nothing lost')
  })
}

t.test('a second proxy on the same DATA_DIR exits at once, naming the first; the first goes on', { skip: existsSync(CLI) ? false : 'needs dist/ (npm test builds it)' }, async t => {
  const emulator = await startEmulator({ port: 0, data: structuredClone(await demoData()) })
  t.teardown(() => emulator.close())
  const dataDir = mkdtempSync(join(tmpdir(), 'bridge-twice-'))
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
  const first = await startProxy(t, emulator, dataDir, {})

  const second = spawnProxy(emulator, dataDir, {}, 'pipe')
  let stderr = ''
  second.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString('utf8') })
  const code = await new Promise(resolve => second.once('exit', resolve))
  t.equal(code, 1)
  t.match(stderr, new RegExp(`^DATA_DIR_IN_USE: DATA_DIR .* is in use by another proxy \\(process ${String(first.child.pid)} on `))
  t.match(stderr, /Two proxies must not share a DATA_DIR/)

  const auth = `Basic ${Buffer.from(`${TCX.user}:${TCX.password}`).toString('base64')}`
  const res = await request(`${first.url}/3cx/report-call`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify(report(1)) })
  t.equal(res.statusCode, 200, 'the first proxy still takes calls')
  await res.body.dump()
})
