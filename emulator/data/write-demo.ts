import { writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { buildDemoBase } from './demo-base.js'
import { writeBase } from './load.js'

/**
 * Writes the demo base: one `<SetName>.json` per set, `expectations.json` and `README.md`.
 * Run after the build: `node dist/emulator/data/write-demo.js [outDir]` (default `fixtures/demo-base`).
 */

export const DEFAULT_DEMO_DIR = 'fixtures/demo-base'

export async function writeDemoBase (outDir: string = DEFAULT_DEMO_DIR): Promise<void> {
  const demo = buildDemoBase()
  await writeBase(outDir, demo.base)
  await writeFile(join(outDir, 'expectations.json'), JSON.stringify(demo.expectations, null, 2) + '\n')
  await writeFile(join(outDir, 'README.md'), demo.readme)
}

async function main (argv: string[]): Promise<void> {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, options: {} })
  if (positionals.length > 1) throw new Error('usage: write-demo [outDir]')
  const outDir = resolve(positionals[0] ?? DEFAULT_DEMO_DIR)
  await writeDemoBase(outDir)
  process.stdout.write(`demo base written to ${outDir}\n`)
}

const entry = process.argv[1]
if (entry !== undefined && import.meta.url === pathToFileURL(resolve(entry)).href) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`)
    process.exitCode = 1
  })
}
