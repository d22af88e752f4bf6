import type { Config } from '../config/types.js'
import type { Profile } from '../profiles/types.js'
import type { EdmxModel } from './edmx.js'
import { journal } from './messages.js'
import { journalFields, journalSet, REGISTER_CALL_KEY, type SetNeed } from './requirements.js'
import type { ReadOutcome } from './rights.js'
import { row, skip, userName } from './row.js'
import { fieldProblems } from './schema.js'
import type { CheckRow } from './types.js'

/**
 * The journal step. OData has no dry-run write, and a real record would land in the base, so nothing is
 * written: the row says so, and checks instead what a write needs that can be seen without writing — the
 * target is published, its key and the properties the mapping writes exist with the right types, and the
 * user may read it. The write right itself shows on the first call.
 */
export function checkJournal (config: Config, profile: Profile, model: EdmxModel, reads: Map<string, ReadOutcome>): CheckRow {
  const target = config.journal.target
  if (target === 'off') return skip('journal', 'JOURNAL_TARGET=off', journal.off().message)
  const set = journalSet(target, profile)
  const fields = journalFields(target, profile, config.onec.timezone)
  const entity = model.sets.get(set)
  if (entity === undefined) {
    return row('journal', set, 'fail', target === 'register' ? journal.registerMissing(set, REGISTER_CALL_KEY, fields) : journal.documentMissing(set))
  }
  const need: SetNeed = { set, role: 'journal', fields }
  const problems = fieldProblems(entity, need)
  if (problems.length > 0) return row('journal', set, 'fail', journal.fieldsMissing(set, problems))
  const who = userName(config.onec.user)
  const read = reads.get(set)
  if (read !== undefined && !read.readable) return row('journal', set, 'fail', journal.readDenied(set, who))
  if (target === 'document') return row('journal', set, 'ok', journal.okDocument(set, fields.length, who))

  // The register's key makes a repeated delivery harmless (worker.ts): it must hold the call id, and
  // nothing the mapping does not fill.
  if (!entity.keys.includes(REGISTER_CALL_KEY)) return row('journal', set, 'warn', journal.keyWithoutCallId(set, REGISTER_CALL_KEY, entity.keys))
  const written = new Set(fields.map(f => f.name))
  const unfilled = entity.keys.filter(k => !written.has(k))
  if (unfilled.length > 0) return row('journal', set, 'warn', journal.keyNotWritten(set, unfilled))
  return row('journal', set, 'ok', journal.okRegister(set, REGISTER_CALL_KEY, fields.length, who))
}
