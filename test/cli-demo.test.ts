import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { request } from 'undici'
import { DEMO, demoAddress, demoDataDir } from '../cli/demo.js'
import { packageRoot } from '../cli/paths.js'
import { CliUsageError } from '../cli/usage.js'

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url))
const basic = (c: { user: string, password: string }): string => `Basic ${Buffer.from(`${c.user}:${c.password}`).toString('base64')}`

t.test('the demo listens on 127.0.0.1 unless told otherwise; a container gives 0.0.0.0 and is reached as 127.0.0.1', async t => {
  t.same(demoAddress(undefined, 8080), { host: '127.0.0.1', publicUrl: 'http://127.0.0.1:8080', loopbackOnly: true })
  t.same(demoAddress('0.0.0.0', 8080), { host: '0.0.0.0', publicUrl: 'http://127.0.0.1:8080', loopbackOnly: false })
  t.same(demoAddress('::', 9080), { host: '::', publicUrl: 'http://127.0.0.1:9080', loopbackOnly: false })
  t.throws(() => demoAddress('::1', 9080), /cannot name an IPv6 address like "::1"/, 'a template cannot name an IPv6 literal')
  t.same(demoAddress('127.0.0.2', 8080), { host: '127.0.0.2', publicUrl: 'http://127.0.0.2:8080', loopbackOnly: true }, 'a given address is the one shown')
  t.throws(() => demoAddress('localhost', 8080), CliUsageError)
  t.throws(() => demoAddress('localhost', 8080), /--host must be an IP address/)
})

t.test('the demo keeps its data under DATA_DIR when that is set (the image\'s /data volume)', async t => {
  t.equal(demoDataDir('/tmp/given', { DATA_DIR: '/data' }), '/tmp/given', '--data-dir wins')
  t.equal(demoDataDir(undefined, { DATA_DIR: '/data' }), '/data/demo')
  t.equal(demoDataDir(undefined, {}), join(packageRoot(), 'data', 'demo'))
  t.equal(demoDataDir(undefined, { DATA_DIR: '' }), join(packageRoot(), 'data', 'demo'))
})

async function freePort (): Promise<number> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise(resolve => server.close(resolve))
  return typeof address === 'object' && address !== null ? address.port : 0
}

t.test('the README\'s walk-through against `demo` as printed: a caller found, a call journaled into the emulator, the template pointing at the proxy', { skip: existsSync(CLI) ? false : 'needs dist/ (npm test builds it)' }, async t => {
  const dataDir = mkdtempSync(join(tmpdir(), 'bridge-demo-'))
  t.teardown(() => { rmSync(dataDir, { recursive: true, force: true }) })
  const port = await freePort()
  // No --data-dir: the demo goes under DATA_DIR, as in the container.
  const child = spawn(process.execPath, [CLI, 'demo', '--port', String(port), '--emulator-port', '0'], { env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  const exited = new Promise<number | null>(resolve => child.once('exit', resolve))
  t.teardown(() => { if (child.exitCode === null) child.kill('SIGKILL') })
  const ready = await new Promise<Record<string, string>>((resolve, reject) => {
    child.once('exit', code => { reject(new Error(`demo exited with ${String(code)}: ${stderr}`)) })
    createInterface({ input: child.stdout }).on('line', line => {
      const parsed = JSON.parse(line) as Record<string, string>
      if (parsed.msg === 'ready') resolve(parsed)
    })
  })
  const proxy = `http://127.0.0.1:${port}`
  t.equal(ready.proxy, proxy)
  for (let i = 0; i < 50 && !stderr.includes('Try:'); i++) await new Promise(resolve => setTimeout(resolve, 20))
  t.match(stderr, /demo is running \(127\.0\.0\.1 only\)/)
  t.ok(existsSync(join(dataDir, 'demo')), 'DATA_DIR/demo holds the demo\'s data')

  const lookup = await request(`${proxy}/3cx/lookup?number=%2B74951234567`, { headers: { authorization: basic(DEMO.tcx) } })
  const found = await lookup.body.json() as { outcome: string, contacts: Array<{ CompanyName: string, ContactUrl: string }> }
  t.equal(lookup.statusCode, 200)
  t.equal(found.outcome, 'found')
  t.equal(found.contacts[0]?.CompanyName, 'ООО «Ромашка»')
  t.match(found.contacts[0]?.ContactUrl, /^http:\/\/127\.0\.0\.1:\d+\/ut11\/#e1cib\/data\/Справочник\.Партнеры\?ref=[0-9a-f]{32}$/)

  const report = await request(`${proxy}/3cx/report-call`, {
    method: 'POST',
    headers: { authorization: basic(DEMO.tcx), 'content-type': 'application/json' },
    body: JSON.stringify({ callType: 'Inbound', number: '+74951234567', agent: '101', start: '2026-12-01T06:15:02Z', duration: '156' }),
  })
  t.same(await report.body.json(), { accepted: true, callKey: '20261201061502-I-101-74951234567', duplicate: false })
  const register = `${ready.infobase}/odata/standard.odata/${encodeURIComponent('InformationRegister_ЖурналЗвонков3CX')}?$format=json`
  let rows: Array<Record<string, unknown>> = []
  for (let i = 0; i < 100 && rows.length === 0; i++) {
    const res = await request(register, { headers: { authorization: basic(DEMO.onec) } })
    rows = (await res.body.json() as { value: Array<Record<string, unknown>> }).value
    if (rows.length === 0) await new Promise(resolve => setTimeout(resolve, 100))
  }
  t.match(rows, [{ ИдентификаторЗвонка: '20261201061502-I-101-74951234567', ВнешнийНомер: '+74951234567' }], 'the call is in the emulator\'s register')

  const template = await request(`${proxy}/3cx/template.xml`)
  t.match(await template.body.text(), `Name="ProxyUrl" Type="String" Parent="General Configuration" Editor="String" Title="Bridge URL / Адрес моста 3cx-1c-bridge:" Default="${proxy}"`, 'the template sends 3CX to this proxy')

  child.kill('SIGTERM')
  t.equal(await exited, 0, 'Ctrl+C / SIGTERM stops it cleanly')
  t.ok(readdirSync(join(dataDir, 'demo')).length > 0, 'the journal stays in DATA_DIR/demo')
})
