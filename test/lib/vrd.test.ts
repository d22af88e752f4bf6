import { readFileSync } from 'node:fs'
import t from 'tap'
import { parseConnectionString, parseVrd, VrdError } from '../../lib/vrd.js'

// The real default.vrd files of onec-odata.md §6.1 (copied from shared/samples into fixtures/; the one
// server address in them, a private IPv4, is replaced by 127.0.0.1 so that tests name loopback only).
const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/onec/default-vrd/${name}`, import.meta.url), 'utf8')

t.test('VRD1: a real UT 11 server base with OData disabled', async t => {
  const vrd = parseVrd(fixture('BigCenter-ATG_1c_WEB.default.vrd'))
  t.equal(vrd.base, '/amurtorg-tk-ut11')
  t.same(vrd.ib, { Srvr: '127.0.0.1', Ref: 'amurtorg-tk-ut11' })
  t.equal(vrd.user, undefined)
  t.same(vrd.standardOdata, { enable: false, reuseSessions: 'autouse', sessionMaxAge: 20, poolSize: 10, poolTimeout: 5 })
  t.equal(vrd.warnings.length, 1)
  t.match(vrd.warnings[0], /enable="false"/)
})

t.test('VRD2: a file base with an &quot;-quoted path, OData disabled', async t => {
  const vrd = parseVrd(fixture('VasilievVv_techcore_obmen.default.vrd'))
  t.equal(vrd.base, '/obmen1')
  t.same(vrd.ib, { File: 'E:\\base\\obmen1' })
  t.equal(vrd.standardOdata?.enable, false)
})

t.test('VRD3: OData enabled, Cyrillic file path with spaces', async t => {
  const vrd = parseVrd(fixture('fazliddinangiboev684-bit_boss_telefon.default.vrd'))
  t.equal(vrd.base, '/bossBot')
  t.same(vrd.ib, { File: 'D:\\AL дастурлар\\AL телефон' })
  t.same(vrd.standardOdata, { enable: true, reuseSessions: 'autouse', sessionMaxAge: 20, poolSize: 10, poolTimeout: 5 })
  t.same(vrd.warnings, [])
})

t.test('VRD4: OData disabled, debug over tcp', async t => {
  const vrd = parseVrd(fixture('liteappsru_liteExchange.default.vrd'))
  t.equal(vrd.base, '/liteExchange')
  t.equal(vrd.standardOdata?.enable, false)
})

t.test('Usr and Pwd in the ib string, quoted with &quot; and containing ; and a doubled quote', async t => {
  const vrd = parseVrd(`<?xml version="1.0" encoding="UTF-8"?>
<point xmlns="http://v8.1c.ru/8.2/virtual-resource-system" base="/ut11"
  ib="Srvr=&quot;srv1c&quot;;Ref=&quot;ut11&quot;;Usr=&quot;Интеграция&quot;;Pwd=&quot;p;a&quot;&quot;ss&quot;;">
  <standardOdata enable="true" reuseSessions="use" sessionMaxAge="30" poolSize="4" poolTimeout="2"/>
</point>`)
  t.equal(vrd.user, 'Интеграция')
  t.equal(vrd.password, 'p;a"ss')
  t.equal(vrd.standardOdata?.reuseSessions, 'use')
  t.equal(vrd.standardOdata?.poolSize, 4)
})

t.test('no <standardOdata> element at all is a warning, a missing base an error', async t => {
  const vrd = parseVrd('<point xmlns="http://v8.1c.ru/8.2/virtual-resource-system" base="/b" ib="File=&quot;C:\\b&quot;;"/>')
  t.equal(vrd.standardOdata, undefined)
  t.match(vrd.warnings[0], /no <standardOdata>/)
  t.throws(() => parseVrd('<point ib="File=x;"/>'), VrdError)
  t.throws(() => parseVrd('<html><body>not a vrd</body></html>'), VrdError)
  t.throws(() => parseVrd('<point base="/x"'), VrdError)
})

t.test('connection strings: case-insensitive keys, unquoted values, empty parts', async t => {
  t.same(parseConnectionString('srvr=a;ref=b;'), { srvr: 'a', ref: 'b' })
  t.same(parseConnectionString(';;File="C:\\x";'), { File: 'C:\\x' })
  t.same(parseConnectionString(''), {})
  const vrd = parseVrd('<point base="b" ib="usr=u;pwd=p"><standardOdata enable="true"/></point>')
  t.equal(vrd.base, '/b')
  t.equal(vrd.user, 'u')
  t.equal(vrd.password, 'p')
})

t.test('a broken default.vrd is reported by place, never by its text (it may be the password)', async t => {
  const broken = '<?xml version="1.0" encoding="UTF-8"?>\n<point xmlns="http://v8.1c.ru/8.2/virtual-resource-system" base="/ut11"\n ib="Srvr=&quot;srv&quot;;Ref=&quot;ut11&quot;;Usr=&quot;odata&quot;;Pwd="S3cr3tPw";"/>'
  t.throws(() => parseVrd(broken), { name: 'VrdError', message: /^default.vrd is not well-formed XML \(\w+ at line 3, column \d+\)/ })
  try {
    parseVrd(broken)
  } catch (err) {
    t.notMatch((err as Error).message, /S3cr3tPw/)
  }
})
