import t from 'tap'
import { guidFromRef, internalLink, metadataPath, refFromGuid, thinClientBaseFromConnection, thinClientLink, webClientLink } from '../../lib/navlink.js'

// The three documented pairs of onec-odata.md §9 and the decoded thin-client example.
const PAIRS: Array<[string, string]> = [
  ['51012ccc-397d-11de-b595-00055d80a2b9', 'b59500055d80a2b911de397d51012ccc'],
  ['9d5c422d-8c4c-11db-a9b0-00055d49b45e', 'a9b000055d49b45e11db8c4c9d5c422d'],
  ['1fa1a135-d89b-11e6-8343-40167e2531c3', '834340167e2531c311e6d89b1fa1a135'],
  ['5828755a-8819-11ed-89ab-000c29dddd38', '89ab000c29dddd3811ed88195828755a'],
]

t.test('§9 GUID ↔ ref on the documented pairs, both ways', async t => {
  for (const [guid, ref] of PAIRS) {
    t.equal(refFromGuid(guid), ref, guid)
    t.equal(guidFromRef(ref), guid, ref)
    t.equal(refFromGuid(guid.toUpperCase()), ref, 'upper-case GUID')
  }
  t.throws(() => refFromGuid('not-a-guid'))
  t.throws(() => guidFromRef('xyz'))
})

t.test('links for the web and the thin client, Russian and English script', async t => {
  t.equal(metadataPath('Catalog_Партнеры'), 'Справочник.Партнеры')
  t.equal(metadataPath('Document_ТелефонныйЗвонок'), 'Документ.ТелефонныйЗвонок')
  t.equal(metadataPath('Catalog_Партнеры', 'en'), 'Catalog.Партнеры')
  t.throws(() => metadataPath('InformationRegister_X'))
  t.equal(internalLink('Catalog_Контрагенты', PAIRS[2]![0]), 'e1cib/data/Справочник.Контрагенты?ref=834340167e2531c311e6d89b1fa1a135')
  t.equal(webClientLink('http://host/base/', 'Catalog_Партнеры', PAIRS[0]![0]),
    'http://host/base/#e1cib/data/Справочник.Партнеры?ref=b59500055d80a2b911de397d51012ccc')
  t.equal(thinClientLink('e1c://server/1c.example.local/УТ', 'Document_РеализацияТоваровУслуг', PAIRS[3]![0]),
    'e1c://server/1c.example.local/УТ#e1cib/data/Документ.РеализацияТоваровУслуг?ref=89ab000c29dddd3811ed88195828755a')
})

t.test('thin-client base from a connection string', async t => {
  t.equal(thinClientBaseFromConnection({ Srvr: 'srv1c', Ref: 'ut11' }), 'e1c://server/srv1c/ut11')
  t.equal(thinClientBaseFromConnection({ File: 'D:\\Bases\\UT' }), 'e1c://filev/D:/Bases/UT')
  t.equal(thinClientBaseFromConnection({}), undefined)
})
