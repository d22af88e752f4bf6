import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The package's root (where package.json is), from the source tree or from dist/. */
export function packageRoot (): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'package.json'))) return dir
    dir = dirname(dir)
  }
  throw new Error('cannot find the package root (package.json)')
}

export const demoBaseDir = (): string => join(packageRoot(), 'fixtures', 'demo-base')
