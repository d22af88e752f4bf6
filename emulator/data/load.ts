import { mkdir, open, readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { ConfigurationSchema, EntitySetDef } from '../schema/model.js'
import { ut11Schema } from '../schema/ut11.js'
import type { BaseData, Entity } from './types.js'

/**
 * A base on disk is a folder of `<SetName>.json` files, each a JSON array of entities. Other files in the
 * folder (expectations.json, README.md) are not sets: only names with a 1C entity-set prefix are read.
 */

/** Entity-set name prefixes (onec-odata.md §1.2). */
const SET_PREFIXES = [
  'Catalog', 'Document', 'DocumentJournal', 'Constant', 'ExchangePlan', 'ChartOfAccounts', 'ChartOfCalculationTypes',
  'ChartOfCharacteristicTypes', 'InformationRegister', 'AccumulationRegister', 'CalculationRegister',
  'AccountingRegister', 'BusinessProcess', 'Task',
]

export class BaseLoadError extends Error {
  /** The file (or folder) that could not be used. */
  readonly file: string

  constructor (file: string, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'BaseLoadError'
    this.file = file
  }
}

/** The set name a file holds, or undefined when the file is not a set file. */
export function setNameOfFile (fileName: string): string | undefined {
  if (!fileName.endsWith('.json')) return undefined
  const name = fileName.slice(0, -'.json'.length)
  const underscore = name.indexOf('_')
  if (underscore <= 0 || underscore === name.length - 1) return undefined
  return SET_PREFIXES.includes(name.slice(0, underscore)) ? name : undefined
}

function messageOf (err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

export async function loadBase (dir: string): Promise<BaseData> {
  let names: string[]
  try {
    names = await readdir(dir)
  } catch (err) {
    throw new BaseLoadError(dir, `cannot read the base folder ${dir}: ${messageOf(err)}`, { cause: err })
  }
  const sets: Record<string, Entity[]> = {}
  for (const fileName of names.sort()) {
    const setName = setNameOfFile(fileName)
    if (setName === undefined) continue
    const file = join(dir, fileName)
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch (err) {
      throw new BaseLoadError(file, `cannot read ${file}: ${messageOf(err)}`, { cause: err })
    }
    let parsed: unknown
    try {
      // A BOM is what 1C's own tools and Windows editors put in front of UTF-8 JSON.
      parsed = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text)
    } catch (err) {
      throw new BaseLoadError(file, `${file} is not valid JSON: ${messageOf(err)}`, { cause: err })
    }
    if (!Array.isArray(parsed)) {
      throw new BaseLoadError(file, `${file} must hold a JSON array of ${setName} entities, found ${parsed === null ? 'null' : typeof parsed}`)
    }
    parsed.forEach((item: unknown, i) => {
      if (typeof item !== 'object' || item === null || Array.isArray(item)) {
        throw new BaseLoadError(file, `${file}: item ${i} is not an object`)
      }
    })
    sets[setName] = parsed as Entity[]
  }
  return { sets }
}

/** The key order of a set's entities and of its tabular-section rows: the schema's, then any other key by name. */
interface KeyOrder {
  top: string[]
  sections: Map<string, string[]>
}

function orderOf (def: EntitySetDef | undefined): KeyOrder {
  if (def === undefined) return { top: [], sections: new Map() }
  const top: string[] = []
  for (const p of def.properties) {
    top.push(p.name)
    if (p.composite !== undefined) top.push(`${p.name}_Type`)
  }
  const sections = new Map<string, string[]>()
  for (const section of def.tabularSections) {
    top.push(section.name)
    const row = ['Ref_Key', 'LineNumber']
    for (const p of section.properties) {
      row.push(p.name)
      if (p.composite !== undefined) row.push(`${p.name}_Type`)
    }
    sections.set(section.name, row)
  }
  return { top, sections }
}

function ordered (entity: Entity, keys: readonly string[], sections: Map<string, string[]>): Entity {
  const out: Entity = {}
  const rest = Object.keys(entity).filter((k) => !keys.includes(k)).sort()
  for (const key of [...keys, ...rest]) {
    if (!(key in entity)) continue
    const value = entity[key]
    const rowKeys = sections.get(key)
    if (Array.isArray(value) && value.every((v) => typeof v === 'object' && v !== null && !Array.isArray(v))) {
      out[key] = (value as Entity[]).map((row) => ordered(row, rowKeys ?? [], new Map()))
    } else {
      out[key] = value
    }
  }
  return out
}

/** Entities are written one by one so that a large base never has to fit in a single string. */
async function writeSet (file: string, entities: readonly Entity[], order: KeyOrder): Promise<void> {
  const handle = await open(file, 'w')
  try {
    if (entities.length === 0) {
      await handle.write('[]\n')
      return
    }
    let chunk = '[\n'
    for (let i = 0; i < entities.length; i++) {
      const entity = entities[i] ?? {}
      const text = JSON.stringify(ordered(entity, order.top, order.sections), null, 2).replace(/\n/g, '\n  ')
      chunk += '  ' + text + (i < entities.length - 1 ? ',\n' : '\n]\n')
      if (chunk.length > 1 << 20) {
        await handle.write(chunk)
        chunk = ''
      }
    }
    await handle.write(chunk)
  } finally {
    await handle.close()
  }
}

/**
 * Writes `<dir>/<SetName>.json` for every set of the base: pretty JSON, keys in the order of the schema's
 * properties (unknown keys after them, by name), so the same base always gives the same bytes.
 */
export async function writeBase (dir: string, base: BaseData, schema: ConfigurationSchema = ut11Schema): Promise<void> {
  await mkdir(dir, { recursive: true })
  const defs = new Map(schema.sets.map((s) => [s.name, s]))
  for (const setName of Object.keys(base.sets).sort()) {
    if (setNameOfFile(`${setName}.json`) === undefined) throw new BaseLoadError(setName, `${setName} is not an entity-set name (Prefix_Name)`)
    await writeSet(join(dir, `${setName}.json`), base.sets[setName] ?? [], orderOf(defs.get(setName)))
  }
}
