import { AppError } from '../errors.js'
import { localTypeName, parseEdmx, EdmxError, type EdmxEntitySet, type EdmxModel } from './edmx.js'
import { fields, metadata, sets, type FieldProblem, type Problem } from './messages.js'
import type { Expect, SetNeed } from './requirements.js'
import { row, skip } from './row.js'
import type { CheckContext, CheckRow } from './types.js'

export interface MetadataOutcome {
  row: CheckRow
  model: EdmxModel | undefined
}

/** The metadata step online: `$metadata` from 1C, parsed. */
export async function checkMetadata (ctx: Pick<CheckContext, 'client'>): Promise<MetadataOutcome> {
  let xml: string
  try {
    xml = await ctx.client.metadataXml()
  } catch (err) {
    if (!(err instanceof AppError)) throw err
    const problem = err.code === 'ONEC_NOT_ODATA' || err.code === 'ONEC_UNEXPECTED_RESPONSE'
      ? metadata.unparsable(err.message)
      : metadata.failed(err.message)
    return { row: row('metadata', '$metadata', 'fail', problem), model: undefined }
  }
  return metadataFromXml(xml, '$metadata', count => metadata.ok(count))
}

/** Parses a `$metadata` text (from 1C or from a file) into the metadata row and the model. */
export function metadataFromXml (xml: string, object: string, ok: (sets: number) => Problem): MetadataOutcome {
  try {
    const model = parseEdmx(xml)
    return { row: row('metadata', object, 'ok', ok(model.sets.size)), model }
  } catch (err) {
    if (!(err instanceof EdmxError)) throw err
    return { row: row('metadata', object, 'fail', metadata.unparsable(err.message)), model: undefined }
  }
}

/** The sets step: one row per needed set, present in the EntityContainer or not. */
export function checkSets (model: EdmxModel, needs: SetNeed[]): CheckRow[] {
  return needs.map(need => {
    if (model.sets.has(need.set)) return row('sets', need.set, 'ok', sets.present(need.set, need.tabular))
    const ownerMissing = need.tabular !== undefined && !model.sets.has(need.tabular.owner)
    const role = need.role === 'journal' ? 'journal' : need.role === 'kinds' ? 'kinds' : 'lookup'
    return row('sets', need.set, 'fail', sets.missing(need.set, need.tabular, ownerMissing, role))
  })
}

function matches (expect: Expect, actual: string): boolean {
  if (expect.kind === 'any') return true
  if (expect.kind === 'collection') {
    const inner = /^Collection\((.+)\)$/.exec(actual)?.[1]
    return inner !== undefined && localTypeName(inner) === expect.rowType
  }
  return expect.types.includes(actual)
}

/** What is missing or mistyped in one published set. */
export function fieldProblems (entity: EdmxEntitySet, need: SetNeed): FieldProblem[] {
  const problems: FieldProblem[] = []
  for (const field of need.fields) {
    const actual = entity.properties.get(field.name)
    if (actual === undefined) problems.push({ field })
    else if (!matches(field.expect, actual)) problems.push({ field, actual })
  }
  return problems
}

/** The fields step: one row per needed set; sets that are not published are not checked. */
export function checkFields (model: EdmxModel, needs: SetNeed[], profileName: string): CheckRow[] {
  return needs.map(need => {
    const entity = model.sets.get(need.set)
    if (entity === undefined) return skip('fields', need.set, fields.notChecked().message)
    const problems = fieldProblems(entity, need)
    if (problems.length === 0) return row('fields', need.set, 'ok', fields.ok(need.fields.length))
    return row('fields', need.set, 'fail', fields.wrong(need.set, need.tabular, problems, profileName, need.role === 'journal'))
  })
}
