import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { SETTINGS } from '../lib/config/settings.js'
import { checkProfile } from '../lib/profiles/load.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const docs = join(root, 'docs')
const LANGS = ['ru', 'en'] as const
/** The first header cell of a settings table, per language. */
const SETTINGS_HEADER = { ru: 'Параметр', en: 'Setting' }
const UPPER_SNAKE = /\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g

function markdownFiles (dir: string): string[] {
  return readdirSync(dir).flatMap(name => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return markdownFiles(path)
    return name.endsWith('.md') ? [path] : []
  })
}

function cells (row: string): string[] {
  return row.trim().replace(/^\|/, '').replace(/\|$/, '').split(/(?<!\\)\|/).map(c => c.trim())
}

/** Tables of a markdown text: runs of lines starting with `|`, without the `|---|` separator. */
function tables (text: string): string[][][] {
  const found: string[][][] = []
  let current: string[][] | undefined
  for (const line of text.split('\n')) {
    if (!line.trimStart().startsWith('|')) {
      current = undefined
      continue
    }
    if (/^\s*\|[\s:|-]+\|\s*$/.test(line)) continue
    if (current === undefined) {
      current = []
      found.push(current)
    }
    current.push(cells(line))
  }
  return found
}

function settingsRows (lang: typeof LANGS[number]): string[][] {
  const text = readFileSync(join(docs, lang, 'configuration.md'), 'utf8')
  return tables(text)
    .filter(table => table[0]?.[0] === SETTINGS_HEADER[lang])
    .flatMap(table => table.slice(1))
}

/** Links outside code: fenced blocks and inline code spans are removed first. */
function links (text: string): string[] {
  const prose = text.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '')
  return [...prose.matchAll(/\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map(m => m[1] as string)
}

t.test('each configuration page has a settings row for every setting, and no other setting names', async t => {
  for (const lang of LANGS) {
    const rows = settingsRows(lang)
    t.ok(rows.length > 0, `${lang}: settings tables found`)
    const named = rows.map(row => /^`([A-Z0-9_]+)`$/.exec(row[0] ?? '')?.[1])
    for (const s of SETTINGS) {
      t.equal(named.filter(n => n === s.name).length, 1, `${lang}: one row for ${s.name}`)
    }
    const known = new Set(SETTINGS.map(s => s.name))
    for (const row of rows) {
      for (const name of row.join(' | ').match(UPPER_SNAKE) ?? []) {
        t.ok(known.has(name), `${lang}: "${name}" in the row of ${row[0] ?? '?'} is a setting`)
      }
    }
  }
})

t.test('the default shown for each setting is the one the code uses', async t => {
  for (const lang of LANGS) {
    const byName = new Map(settingsRows(lang).map(row => [row[0]?.replace(/`/g, ''), row]))
    for (const s of SETTINGS) {
      if (s.default === undefined) continue
      const shown = byName.get(s.name)?.[1] ?? ''
      t.ok(shown.includes(`\`${String(s.default)}\``), `${lang}: ${s.name} default ${String(s.default)} (shown: ${shown})`)
    }
  }
})

t.test('every relative link in docs/ points at a file that exists', async t => {
  const files = markdownFiles(docs)
  t.ok(files.length >= 20, 'the guides are there')
  for (const file of files) {
    for (const target of links(readFileSync(file, 'utf8'))) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) continue
      const path = decodeURIComponent(target.split('#')[0] as string)
      t.ok(existsSync(resolve(dirname(file), path)), `${relative(root, file)} → ${target}`)
    }
  }
})

t.test('the Russian and English guides have the same pages', async t => {
  const pages = (lang: string): string[] => readdirSync(join(docs, lang)).filter(n => n.endsWith('.md')).sort()
  t.same(pages('en'), pages('ru'))
  t.ok(pages('ru').includes('index.md'))
})

t.test('the example profile in the configuration pages is a valid profile', async t => {
  for (const lang of LANGS) {
    const text = readFileSync(join(docs, lang, 'configuration.md'), 'utf8')
    const block = [...text.matchAll(/^```json\n([\s\S]*?)^```/gm)].map(m => m[1] as string).find(b => b.includes('"sources"'))
    t.ok(block, `${lang}: the example is there`)
    const profile = checkProfile(JSON.parse(block ?? '{}'), `docs/${lang}/configuration.md`)
    t.equal(profile.sources.length, 2, `${lang}: two sources`)
  }
})

t.test('README lists every setting and every emulator flag', async t => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8')
  for (const s of SETTINGS) t.ok(readme.includes(`| \`${s.name}\` |`), `README has a row for ${s.name}`)
  const { emulatorHelp } = await import('../emulator/options.js')
  for (const flag of emulatorHelp.match(/--[a-z-]+/g) ?? []) t.ok(readme.includes(flag), `README mentions ${flag}`)
  for (const link of links(readme)) {
    if (/^[a-z]+:/.test(link) || link.startsWith('#')) continue
    t.ok(existsSync(join(root, link.split('#')[0] as string)), `README link ${link} exists`)
  }
})
