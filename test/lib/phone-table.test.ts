import t from 'tap'
import { PhoneTable } from '../../lib/phone-index/table.js'
import { ut11Profile } from '../../lib/profiles/ut11.js'
import type { OwnerRecord } from '../../lib/directory/types.js'

const guid = (n: number): string => `00000000-0000-0000-0000-${String(n).padStart(12, '0')}`
const partner = (n: number, phoneKeys: string[], extra: Partial<OwnerRecord> = {}): OwnerRecord => ({
  kind: 'Partner', set: 'Catalog_Партнеры', ref: guid(n), name: `Партнёр ${n}`, deleted: false, person: false, parentRef: undefined, phoneKeys, emails: [], ...extra,
})
const person = (n: number, parent: number, phoneKeys: string[]): OwnerRecord => ({
  kind: 'ContactPerson', set: 'Catalog_КонтактныеЛицаПартнеров', ref: guid(n), name: `Иванов Иван ${n}`, deleted: false, person: true, parentRef: guid(parent), phoneKeys, emails: [],
})
const refs = (table: PhoneTable, key: string): string[] | undefined => table.candidates(key)?.map(c => c.owner.ref)

function sample (): PhoneTable {
  const table = new PhoneTable(ut11Profile, 2)
  const office = table.add(partner(1, ['+74951110000', '+79160000001']))
  table.add(person(2, 1, ['+74951110000', '+79160000002']), office)
  table.add(partner(3, ['+74952220000', '+74952220000']))
  table.add(partner(4, ['+74953330000'], { deleted: true }))
  for (let n = 10; n < 3000; n++) table.add(partner(n, [`+7495${String(4_000_000 + n)}`]))
  return table.seal()
}

t.test('a sealed table finds every owner of a number, once each, and knows nothing else', async t => {
  const table = sample()
  t.same(refs(table, '+74951110000'), [guid(1), guid(2)], 'a shared number: both owners')
  t.same(table.candidates('+74951110000')?.find(c => c.owner.kind === 'ContactPerson')?.parent?.ref, guid(1), 'with its parent')
  t.same(refs(table, '+79160000002'), [guid(2)])
  t.same(refs(table, '+74952220000'), [guid(3)], 'a number an owner lists twice: one candidate')
  t.same(refs(table, '+74953330000'), [], 'a deleted owner\'s number: known, nobody live')
  t.ok(table.has('+74953330000'))
  for (const n of [10, 1500, 2999]) t.same(refs(table, `+7495${String(4_000_000 + n)}`), [guid(n)])
  t.equal(table.candidates('+74959999999'), undefined, 'an unknown number')
  t.equal(table.candidates('+74951109999'), undefined, 'a number between known ones')
  t.notOk(table.has('+70000000000'))
  t.same(table.stats, { owners: 2994, rows: 2997, numbers: 2995 })
})

t.test('what a table learns replaces what its sync said about that number, and survives a snapshot of its columns', async t => {
  const table = sample()
  const candidate = (owner: OwnerRecord): { owner: OwnerRecord, source: typeof ut11Profile.sources[number], priority: number, parent: undefined } => ({ owner, source: ut11Profile.sources[1] as typeof ut11Profile.sources[number], priority: 1, parent: undefined })
  table.learn('+74951110000', [candidate(partner(5000, ['+74951110000', '+74957770000']))])
  t.same(refs(table, '+74951110000'), [guid(5000)], 'the number moved')
  t.equal(table.candidates('+74957770000'), undefined, 'only the learned number leads to the learned owner')
  table.learn('+74952220000', [])
  t.equal(table.candidates('+74952220000'), undefined, 'learned to hold nobody: unknown, asked live next time')
  table.learn('+74956660000', [candidate(partner(5001, ['+74956660000']))])
  t.same(refs(table, '+74956660000'), [guid(5001)], 'a number the sync did not know')
  t.equal(table.stats.numbers, 2995, 'one forgotten, one new')

  const copy = PhoneTable.fromColumns(ut11Profile, table.columns())
  t.same(refs(copy, '+79160000002'), [guid(2)])
  t.same(refs(copy, '+74956660000'), [guid(5001)], 'learned owners are in the columns')
  t.throws(() => PhoneTable.fromColumns(ut11Profile, { ...table.columns(), phoneStart: table.columns().phoneStart.map((v, i) => i === 0 ? 1 : v) }), /disagree/, 'phone ranges that do not start at the first phone')

  const before = table.stats
  for (let i = 0; i < 1000; i++) table.learn('+74956660000', [candidate(partner(5001, ['+74956660000']))])
  t.same(table.stats, before, 'the same answer learned again (a refresh a second) adds no row')
  table.learn('+74956660000', [candidate(partner(5001, ['+74956660000'], { name: 'Партнёр 5001 (переименован)' }))])
  t.equal(table.stats.owners, before.owners + 1, 'a changed record does')
  t.equal(table.candidates('+74956660000')?.[0]?.owner.name, 'Партнёр 5001 (переименован)')
})
