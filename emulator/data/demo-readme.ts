import type { DemoExpectations } from './demo-base.js'
import { DEMO_PARTNERS } from './demo-records.js'
import type { OwnerSet, PhoneTruthRow } from './truth.js'
import type { BaseData } from './types.js'

/** fixtures/demo-base/README.md, written from the data so that it can never drift from it. */

const OWNER_LABEL: Record<OwnerSet, string> = {
  Catalog_Партнеры: 'партнёр',
  Catalog_Контрагенты: 'контрагент',
  Catalog_КонтактныеЛицаПартнеров: 'контактное лицо',
  Catalog_Пользователи: 'пользователь',
}

const code = (text: string): string => '`' + JSON.stringify(text) + '`'

function ownerName (row: Pick<PhoneTruthRow, 'ownerSet' | 'ownerDescription' | 'ownerDeletionMark' | 'partnerKey'>, partners: Map<string, string>): string {
  let name = row.ownerDescription
  if (row.ownerSet !== 'Catalog_Партнеры') {
    const partner = partners.get(row.partnerKey)
    if (partner !== undefined && partner !== name) name += ` (${partner})`
  }
  if (row.ownerDeletionMark) name += ', помечен на удаление'
  return `${name} — ${OWNER_LABEL[row.ownerSet]}`
}

export function demoReadme (base: BaseData, x: DemoExpectations): string {
  const partners = new Map<string, string>()
  for (const p of base.sets.Catalog_Партнеры ?? []) partners.set(String(p.Ref_Key), String(p.Description))
  const curatedNumbers = new Set(x.demoRecords.map((r) => r.e164))
  const lines: string[] = []
  const add = (...more: string[]): void => { lines.push(...more) }

  add(
    '# Demo base (UT 11 shaped)',
    '',
    'Generated: do not edit by hand. `emulator/data/write-demo.ts` writes every file in this folder, and',
    '`test/emulator/data.test.ts` fails when the files here differ from what it writes. To change the demo, edit',
    '`emulator/data/demo-records.ts` (the records below) or the generator, then run',
    '',
    '```sh',
    'npm run build && node dist/emulator/data/write-demo.js fixtures/demo-base',
    '```',
    '',
    `It holds ${x.generatedPartners} generated partners (seed ${x.seed}, with their counterparties, contact persons and`,
    `managers) and ${DEMO_PARTNERS.length} curated partners with memorable names, ${x.phones.length} phone rows in all.`,
    '',
    '| Set | Objects |',
    '|---|---|',
    ...Object.keys(base.sets).sort().map((name) => `| \`${name}\` | ${base.sets[name]?.length ?? 0} |`),
    '',
    '## Files',
    '',
    '- `<SetName>.json`: the entities of one set, as `loadBase` reads them (`emulator/data/load.ts`).',
    '- `expectations.json`: the truth for tests. `phones` has one entry per phone row (set, owner, LineNumber,',
    '  the stored columns, `e164`, `extension`, `style`); `demoRecords` is the curated subset with `shows`;',
    '  `sharedNumbers` lists each number held by two or more objects with all its owners; `suffixCollisions`',
    '  lists different numbers that end in the same 7 digits.',
    '',
    '## How the truth is meant',
    '',
    `- A 7-digit number typed without an area code (\`123-45-67\`, \`1234567\`) is a Moscow number: its \`e164\` uses area code ${x.localAreaCode}.`,
    '- An extension is not part of the number: `+7 (495) 123-45-67 доб. 123` is `+74951234567` with `extension` `"123"`.',
    '- A user\'s internal extension (`101`, `102`…) carries no area information: its `e164` is `null`.',
    '- The stored columns follow how BSP fills them for each way of entering a number (peers.md §3.4): a number',
    '  typed as `8 (916) …` is stored as `89161234567`, bare digits keep their digits in both columns, `+7` with',
    '  bare digits leaves `НомерТелефонаБезКодов` empty, an import may leave `НомерТелефона` empty.',
    '',
    '## Notable records',
    '',
    '| Owner | Представление | НомерТелефона | НомерТелефонаБезКодов | E.164 | Ext | Shows |',
    '|---|---|---|---|---|---|---|',
    ...x.demoRecords.map((r) => `| ${ownerName(r, partners)} | ${code(r.stored.Представление)} | ${code(r.stored.НомерТелефона)} | ${code(r.stored.НомерТелефонаБезКодов)} | ${r.e164 ?? '—'} | ${r.extension ?? ''} | ${r.shows} |`),
    '',
    'E-mail addresses of the curated records:',
    '',
  )
  for (const p of DEMO_PARTNERS) {
    const emails = [...p.emails, ...p.counterparties.flatMap((c) => c.emails), ...p.contacts.flatMap((c) => c.emails)]
    if (emails.length > 0) add(`- ${p.description}: ${emails.map((e) => `\`${e}\``).join(', ')}`)
  }
  add(
    '',
    'Deletion-marked curated objects (their phone rows stay in the base): ' +
      [...new Set(x.demoRecords.filter((r) => r.ownerDeletionMark).map((r) => r.ownerDescription))].join(', ') + '.',
    '',
    '## Shared numbers among the notable records',
    '',
    `\`expectations.json\` lists all ${x.sharedNumbers.length} shared numbers of the base; these involve the curated records:`,
    '',
  )
  for (const shared of x.sharedNumbers.filter((s) => curatedNumbers.has(s.e164))) {
    add(`- ${shared.e164}: ` + shared.owners.map((o) => `${ownerName(o, partners)} ${code(o.presentation)}`).join('; '))
  }
  add(
    '',
    '## Numbers that share their last 7 digits',
    '',
    'A match on the last 7 digits alone would confuse these:',
    '',
    ...x.suffixCollisions.map((c) => `- ${c.last7}: ${c.numbers.join(', ')}`),
    '',
  )
  return lines.join('\n')
}
