import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { loadSnapshot, saveSnapshot } from '../../lib/phone-index/snapshot.js'
import { PhoneTable } from '../../lib/phone-index/table.js'
import { ut11Profile } from '../../lib/profiles/ut11.js'

const guid = (n: number): string => `00000000-0000-0000-0000-${String(n).padStart(12, '0')}`
const number = (n: number): string => `+7495${String(1_000_000 + n)}`

t.test('a snapshot of a big table, its names and e-mails written in slices, reads back owner for owner', async t => {
  const dir = mkdtempSync(join(tmpdir(), 'bridge-snapshot-'))
  t.teardown(() => { rmSync(dir, { recursive: true, force: true }) })
  const owners = 12_345
  const table = new PhoneTable(ut11Profile)
  for (let n = 0; n < owners; n++) {
    table.add({ kind: 'Partner', set: 'Catalog_Партнеры', ref: guid(n), name: n % 7 === 0 ? '' : `ООО «Ромашка ${n}» — Ёлки`, deleted: false, person: false, parentRef: undefined, phoneKeys: [number(n)], emails: n % 3 === 0 ? [`почта${n}@ромашка.рф`] : [] })
  }
  table.seal()
  await saveSnapshot(dir, table, 1_700_000_000_000, 'print')
  const loaded = await loadSnapshot(dir, ut11Profile, 'print')
  if (loaded === undefined || 'problem' in loaded) throw new Error(`not loaded: ${JSON.stringify(loaded)}`)
  t.same(loaded.table.stats, table.stats)
  // Both sides of every slice boundary (5 000 strings a slice), the first and the last owner.
  for (const n of [0, 1, 4999, 5000, 5001, 9999, 10_000, 10_001, owners - 1]) {
    t.same(loaded.table.candidates(number(n))?.map(c => c.owner), table.candidates(number(n))?.map(c => c.owner), `owner ${n}`)
  }
})
