/**
 * `serve` as systemd runs it: a setting an administrator got wrong exits 2 with words, not a stack (the
 * unit does not restart on 2), and a proxy that cannot open its port exits instead of lingering half up.
 */
import { spawn } from 'node:child_process'
import { createServer, type Server } from 'node:net'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { TCX } from './support/config.js'

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url))

async function serve (env: Record<string, string>, args: string[] = ['--dotenv', '/dev/null']): Promise<{ code: number | null, stderr: string, stdout: string }> {
  const child = spawn(process.execPath, [CLI, 'serve', ...args], {
    env: { PATH: process.env.PATH, ONEC_URL: 'http://127.0.0.1:9/ut11', TCX_PASSWORD: TCX.password, HOST: '127.0.0.1', LOG_LEVEL: 'warn', INDEX_ENABLED: 'false', JOURNAL_TARGET: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => { stdout += String(chunk) })
  child.stderr.on('data', (chunk: Buffer) => { stderr += String(chunk) })
  // Without the fixes below the process stays up: the test's own timeout then fails it.
  const code = await new Promise<number | null>(resolve => child.once('exit', resolve))
  return { code, stderr, stdout }
}

async function listening (): Promise<Server> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  return server
}

const portOf = (server: Server): number => (server.address() as { port: number }).port

t.test('a PROFILE that is neither built in nor a file: exit 2 and the words', async t => {
  const run = await serve({ PORT: '0', PROFILE: '/nonexistent/profile.json' })
  t.equal(run.code, 2)
  t.match(run.stderr, /^PROFILE: "\/nonexistent\/profile.json" is neither a built-in profile/)
  t.notMatch(run.stderr, /\n\s+at /, 'no stack trace')
})

t.test('a --dotenv file that does not exist: exit 2, not "every setting missing"', async t => {
  const run = await serve({ PORT: '0' }, ['--dotenv', '/nonexistent/3cx-1c-bridge.evn'])
  t.equal(run.code, 2)
  t.match(run.stderr, /--dotenv: there is no file "\/nonexistent\/3cx-1c-bridge.evn"/)
})

t.test('the port taken while METRICS_PORT opened first: the process exits, so its supervisor sees it', async t => {
  const taken = await listening()
  t.teardown(() => { taken.close() })
  const spare = await listening()
  const metricsPort = portOf(spare)
  await new Promise(resolve => spare.close(resolve))
  const run = await serve({ PORT: String(portOf(taken)), METRICS_PORT: String(metricsPort) })
  t.equal(run.code, 1)
  t.match(run.stderr + run.stdout, /EADDRINUSE/)
})
