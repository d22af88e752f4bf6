import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { ConfigError, loadConfig, readEnvironment } from '../../lib/config/load.js'
import { SETTINGS } from '../../lib/config/settings.js'

const minimal = { ONEC_URL: 'http://1c.example.local/ut11', TCX_PASSWORD: 'a-long-enough-secret' }

function problemsOf (env: Record<string, string>): string[] {
  try {
    loadConfig(env)
  } catch (err) {
    if (err instanceof ConfigError) return err.problems
    throw err
  }
  return []
}

t.test('minimal configuration: defaults everywhere else', async t => {
  const { config, warnings } = loadConfig(minimal)
  t.equal(config.onec.url, 'http://1c.example.local/ut11')
  t.equal(config.onec.timezone, 'Europe/Moscow')
  t.equal(config.onec.timeoutMs, 10000)
  t.equal(config.onec.sessionMode, 'auto')
  t.equal(config.server.port, 8080)
  t.equal(config.lookup.budgetMs, 1500)
  t.equal(config.cache.ttlMs, 600_000)
  t.equal(config.journal.target, 'register')
  t.equal(config.auth.tcx.user, '3cx')
  t.equal(config.auth.admin, undefined, 'admin routes off without ADMIN_PASSWORD')
  t.equal(config.onec.webUrl, 'http://1c.example.local/ut11')
  t.ok(warnings.some(w => w.includes('PUBLIC_URL')), 'a missing PUBLIC_URL is worth a warning')
  t.ok(warnings.some(w => w.includes('ONEC_USER')))
})

t.test('each wrong setting is named, with what is wrong and a right example', async t => {
  const problems = problemsOf({ ONEC_URL: 'ftp://nope', TCX_PASSWORD: 'short', PORT: '70000', LOOKUP_BUDGET_MS: 'fast', AMBIGUITY_POLICY: 'random', DEFAULT_COUNTRY: 'russia', JOURNAL_FSYNC: 'maybe' })
  const by = (name: string): string | undefined => problems.find(p => p.startsWith(`${name}:`))
  t.match(by('ONEC_URL'), /is not an http\(s\) URL.*Example: ONEC_URL=http:\/\/1c\.example\.local\/ut11/)
  t.match(by('TCX_PASSWORD'), /at least 12 characters.*Example: TCX_PASSWORD=/)
  t.notMatch(by('TCX_PASSWORD'), /short/, 'a secret is never echoed back')
  t.match(by('PORT'), /"70000" must be at most 65535.*Example: PORT=8080/)
  t.match(by('LOOKUP_BUDGET_MS'), /"fast" is not a whole number.*Example: LOOKUP_BUDGET_MS=1500/)
  t.match(by('AMBIGUITY_POLICY'), /"random" is not one of priority, none, first/)
  t.match(by('DEFAULT_COUNTRY'), /two-letter ISO country code/)
  t.match(by('JOURNAL_FSYNC'), /is not true or false/)
  t.equal(problems.filter(p => p.startsWith('ONEC_URL:')).length, 1, 'one line per setting')
})

t.test('required settings, time zone, and the message of the thrown error', async t => {
  const problems = problemsOf({})
  t.ok(problems.some(p => p.startsWith('ONEC_URL: is required')))
  t.ok(problems.some(p => p.startsWith('TCX_PASSWORD: is required')))
  t.match(problemsOf({ ...minimal, ONEC_TIMEZONE: 'Europe/Moskva' })[0], /not an IANA time zone.*Example: ONEC_TIMEZONE=Europe\/Moscow/)
  const together = problemsOf({ ...minimal, ONEC_TIMEZONE: 'Europe/Moskva', PORT: '70000' })
  t.same(together.map(p => p.split(':')[0]), ['PORT', 'ONEC_TIMEZONE'], 'a wrong time zone is named in the same run as the other wrong settings')
  try {
    loadConfig({})
    t.fail('should throw')
  } catch (err) {
    t.match((err as Error).message, /^Invalid configuration:\n {2}- /)
  }
})

t.test('settings wrong only together are named in the same run as every other wrong setting', async t => {
  const problems = problemsOf({ ...minimal, CONTACT_URL_MODE: 'thin', PUBLIC_URL: 'https://bridge.local/?x=1', LOOKUP_BUDGET_MS: 'soon' })
  t.equal(problems.length, 3, problems.join('\n'))
  t.match(problems, [/^LOOKUP_BUDGET_MS: /, /^PUBLIC_URL: .*query or a fragment/, /^ONEC_THIN_CLIENT_URL: CONTACT_URL_MODE=thin needs the thin-client base/])
  t.same(problemsOf({ ...minimal, CONTACT_URL_MODE: 'thin', ONEC_THIN_CLIENT_URL: 'e1c://server/srv1c/ut11' }), [], 'with the base named, thin links are fine')
})

t.test('a PUBLIC_URL the template cannot use is refused at start, not at the first download', async t => {
  const refused: Array<[Record<string, string>, RegExp]> = [
    [{ PUBLIC_URL: 'https://[fd00::1]:8443' }, /IPv6 address literal/],
    [{ PUBLIC_URL: 'https://bridge.local/?x=1' }, /query or a fragment/],
    [{ PUBLIC_URL: 'https://bridge.local/#frag' }, /query or a fragment/],
    [{ PUBLIC_URL: 'ftp://bridge.local' }, /is not an http\(s\) URL/],
    [{ HOST: '::1' }, /HOST=::1 is an IPv6 address.*Set PUBLIC_URL to a host name/],
  ]
  for (const [env, message] of refused) {
    const problems = problemsOf({ ...minimal, ...env })
    t.equal(problems.length, 1, JSON.stringify(env))
    t.match(problems[0], /^PUBLIC_URL: /)
    t.match(problems[0], message)
  }
  const withCredentials = problemsOf({ ...minimal, PUBLIC_URL: 'https://u:s3cr3t-pass@bridge.local' })
  t.match(withCredentials[0], /must not contain credentials/)
  t.notMatch(withCredentials[0], /s3cr3t-pass/, 'the password is not echoed')
  t.equal(loadConfig({ ...minimal, PUBLIC_URL: 'https://Bridge.Local:8443/bridge/' }).config.server.publicUrl, 'https://bridge.local:8443/bridge', 'normalised once, as the template writes it')
  t.equal(loadConfig({ ...minimal, HOST: '::' }).config.server.publicUrl, 'http://127.0.0.1:8080')
})

t.test('URLs as administrators copy them; credentials never in a URL nor echoed back', async t => {
  const cyrillic = loadConfig({ ...minimal, ONEC_URL: 'http://1c.local/УТ11' }).config.onec.url
  t.equal(decodeURI(cyrillic), 'http://1c.local/УТ11', 'a raw Cyrillic path, as a browser shows it, is an URL')
  const inUrl = problemsOf({ ...minimal, ONEC_URL: 'http://odata:S3cr3t-pw@1c.local/ut11' })
  t.match(inUrl[0], /^ONEC_URL: must not hold a user name or password; the proxy sends ONEC_USER and ONEC_PASSWORD/)
  const notHttp = problemsOf({ ...minimal, ONEC_URL: 'ftp://odata:S3cr3t-pw@1c.local/ut11' })
  t.match(notHttp[0], /^ONEC_URL: "ftp:\/\/\*\*\*@1c.local\/ut11" is not an http\(s\) URL/)
  for (const problem of [...inUrl, ...notHttp]) t.notMatch(problem, /S3cr3t-pw/, 'the password is not echoed')
})

t.test('settings that pass one by one but not together, or only look right', async t => {
  t.match(problemsOf({ ...minimal, PORT: '9100', METRICS_PORT: '9100' })[0], /^METRICS_PORT: 9100 is PORT as well/)
  t.match(problemsOf({ ...minimal, DEFAULT_COUNTRY: 'UK' })[0], /^DEFAULT_COUNTRY: "UK" is not a country code the phone-number library knows \(the United Kingdom is GB\)/)
  t.equal(loadConfig({ ...minimal, DEFAULT_COUNTRY: 'GB' }).config.phone.defaultCountry, 'GB')
  const example = problemsOf({ ...minimal, TCX_PASSWORD: 'change-me-to-a-long-secret' })
  t.match(example[0], /^TCX_PASSWORD: is the example from .env.example/, 'the password .env.example publishes is refused')
  t.match(problemsOf({ ...minimal, ADMIN_PASSWORD: 'another-long-secret' })[0], /^ADMIN_PASSWORD: is the example/)
})

t.test('a --dotenv file that was named must exist; ./.env may be absent', async t => {
  t.throws(() => readEnvironment({}, '/nonexistent/3cx-1c-bridge.evn', true), { name: 'ConfigError', message: /--dotenv: there is no file "\/nonexistent\/3cx-1c-bridge.evn"/ })
  t.same(readEnvironment({ A: '1' }, '/nonexistent/.env'), { A: '1' })
  t.same(readEnvironment({ A: '1' }, '/dev/null', true), { A: '1' }, '/dev/null: no settings from a file')
})

t.test('booleans, empty values, and the /odata/standard.odata mistake', async t => {
  const { config, warnings } = loadConfig({ ...minimal, ONEC_URL: 'http://h/ut11/odata/standard.odata/', JOURNAL_FSYNC: 'no', INDEX_ENABLED: '0', ONEC_VRD: '', PUBLIC_URL: 'https://bridge.local:8443/' })
  t.equal(config.onec.url, 'http://h/ut11')
  t.ok(warnings.some(w => w.includes('/odata/standard.odata')))
  t.equal(config.journal.fsync, false)
  t.equal(config.index.enabled, false)
  t.equal(config.onec.vrdPath, undefined, 'an empty value means unset')
  t.equal(config.server.publicUrl, 'https://bridge.local:8443')
})

t.test('ONEC_VRD gives the path, the credentials, the pool size and OData warnings', async t => {
  const dir = mkdtempSync(join(tmpdir(), 'vrd-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const vrd = join(dir, 'default.vrd')
  writeFileSync(vrd, '<point xmlns="http://v8.1c.ru/8.2/virtual-resource-system" base="/ut11" ib="Srvr=&quot;srv1c&quot;;Ref=&quot;ut11&quot;;Usr=&quot;odata&quot;;Pwd=&quot;s3cret&quot;;"><standardOdata enable="false" poolSize="4" sessionMaxAge="30"/></point>')
  const { config, warnings } = loadConfig({ ...minimal, ONEC_URL: 'http://1c.example.local', ONEC_VRD: vrd, ONEC_MAX_CONNECTIONS: '8' })
  t.equal(config.onec.url, 'http://1c.example.local/ut11')
  t.equal(config.onec.user, 'odata')
  t.equal(config.onec.password, 's3cret')
  t.equal(config.onec.sessionMaxAgeMs, 30_000)
  t.equal(config.onec.thinClientUrl, 'e1c://server/srv1c/ut11')
  t.ok(warnings.some(w => w.includes('enable="false"')))
  t.ok(warnings.some(w => w.includes('poolSize=4')))
  const explicit = loadConfig({ ...minimal, ONEC_VRD: vrd, ONEC_USER: 'other', ONEC_PASSWORD: 'pw' }).config
  t.equal(explicit.onec.user, 'other', 'explicit settings win over default.vrd')
  t.match(problemsOf({ ...minimal, ONEC_VRD: join(dir, 'missing.vrd') })[0], /ONEC_VRD: cannot read .*no such file/)
  writeFileSync(vrd, '<html>')
  t.match(problemsOf({ ...minimal, ONEC_VRD: vrd })[0], /ONEC_VRD: cannot read/)
})

t.test('the real default.vrd fixtures load', async t => {
  const { config } = loadConfig({ ...minimal, ONEC_URL: 'http://127.0.0.1', ONEC_VRD: 'fixtures/onec/default-vrd/BigCenter-ATG_1c_WEB.default.vrd' })
  t.equal(config.onec.url, 'http://127.0.0.1/amurtorg-tk-ut11')
})

t.test('.env is read under the real environment, which wins', async t => {
  const dir = mkdtempSync(join(tmpdir(), 'env-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  writeFileSync(join(dir, '.env'), 'PORT=9000\nLOG_LEVEL=debug\n# comment\nONEC_URL="http://from-file/ut"\n')
  const env = readEnvironment({ PORT: '9100' }, join(dir, '.env'))
  t.equal(env.PORT, '9100')
  t.equal(env.LOG_LEVEL, 'debug')
  t.equal(env.ONEC_URL, 'http://from-file/ut')
  t.same(readEnvironment({ A: '1' }, join(dir, 'absent')), { A: '1' })
})

t.test('.env.example lists every setting with a comment above it', async t => {
  const text = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8')
  const lines = text.split('\n')
  for (const s of SETTINGS) {
    const at = lines.findIndex(l => new RegExp(`^(# )?${s.name}=`).test(l))
    t.ok(at > 0, `${s.name} is in .env.example`)
    t.match(lines[at - 1] ?? '', /^# /, `${s.name} has a comment`)
  }
  const names = lines.map(l => /^(?:# )?([A-Z][A-Z0-9_]+)=/.exec(l)?.[1]).filter(Boolean)
  t.same(names.sort(), SETTINGS.map(s => s.name).sort(), 'and nothing else')
})
