import t from 'tap'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { templateCommand } from '../cli/template.js'
import { CliUsageError } from '../cli/usage.js'
import { startStack } from './support/stack.js'

/** `3cx-1c-bridge template`: the same XML the proxy serves, with the same options. */
t.test('the command writes what the proxy serves, for every combination of options', async t => {
  const dir = mkdtempSync(join(tmpdir(), 'bridge-template-'))
  t.teardown(() => { rmSync(dir, { recursive: true, force: true }) })
  const stack = await startStack(t, { env: { PUBLIC_URL: 'https://bridge.example.local:8443' } })
  const combinations: Array<{ flags: string[], query: string }> = [
    { flags: [], query: '' },
    { flags: ['--version', '18'], query: '?version=18' },
    { flags: ['--agent-last-name'], query: '?agentLastName=true' },
    { flags: ['--no-answered-time', '--version', '18'], query: '?answeredTime=false&version=18' },
    { flags: ['--agent-last-name', '--no-answered-time'], query: '?agentLastName=true&answeredTime=false' },
  ]
  const seen = new Set<string>()
  for (const [i, { flags, query }] of combinations.entries()) {
    const out = join(dir, `${i}.xml`)
    await templateCommand(['--public-url', 'https://bridge.example.local:8443', ...flags, '--out', out])
    const written = readFileSync(out, 'utf8')
    const served = await stack.app.inject({ method: 'GET', url: `/3cx/template.xml${query}` })
    t.equal(written, served.body, flags.join(' ') || 'no flags')
    seen.add(written)
  }
  t.equal(seen.size, combinations.length, 'each combination gives its own template')
  t.match(readFileSync(join(dir, '4.xml'), 'utf8'), /\[AgentFirstName\] \[AgentLastName\]/)
  t.notMatch(readFileSync(join(dir, '4.xml'), 'utf8'), /CallEstablishedTimeUTC/)
})

t.test('a wrong option is a usage error that says what is wrong', async t => {
  await t.rejects(templateCommand(['--public-url', 'https://bridge.example.local', '--version', '19']), new CliUsageError('--version must be 18 or 20, not "19".'))
  await t.rejects(templateCommand(['--public-url', 'https://bridge.example.local', '--agent-last-name=yes']), { code: 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' })
  const publicUrl = process.env.PUBLIC_URL
  delete process.env.PUBLIC_URL
  t.teardown(() => { if (publicUrl !== undefined) process.env.PUBLIC_URL = publicUrl })
  await t.rejects(templateCommand(['--version', '20']), { message: /^--public-url is required\./ }, 'no public URL, none in the environment')
})
