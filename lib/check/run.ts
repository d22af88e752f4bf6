import type { Config } from '../config/types.js'
import type { Profile } from '../profiles/types.js'
import { checkAddress, checkService } from './connection.js'
import { checkJournal } from './journal.js'
import { checkLookup } from './lookup.js'
import { index as indexText, metadata, skipped, lookup as lookupText } from './messages.js'
import { checkIndex } from './phone-index.js'
import { neededSets, type SetNeed } from './requirements.js'
import { checkRights } from './rights.js'
import { skip } from './row.js'
import { checkFields, checkMetadata, checkSets, metadataFromXml } from './schema.js'
import { checkSession } from './session.js'
import type { CheckContext, CheckRow, StepName, Text } from './types.js'

/** Steps that ask 1C, in order; `session` reads only the configuration and always runs. */
const ONLINE: readonly StepName[] = ['address', 'odata', 'credentials', 'metadata', 'sets', 'fields', 'rights', 'lookup', 'index', 'journal']

function skipFrom (from: StepName, reason: Text): CheckRow[] {
  return ONLINE.slice(ONLINE.indexOf(from)).map(step => skip(step, '—', reason))
}

function isLookupSet (need: SetNeed): boolean {
  return need.role === 'source' || need.role === 'contacts'
}

/**
 * Runs every step against the publication in order. A failed step turns the steps that depend on it into
 * `skip` rows that name it, so one cause shows as one failure.
 */
export async function runChecks (ctx: CheckContext): Promise<CheckRow[]> {
  const rows: CheckRow[] = []
  const finish = (): CheckRow[] => {
    rows.push(checkSession(ctx.config, ctx.vrd))
    return rows
  }

  const address = await checkAddress(ctx)
  rows.push(address)
  if (address.verdict === 'fail') {
    rows.push(...skipFrom('odata', skipped.after('address')))
    return finish()
  }

  const service = await checkService(ctx)
  rows.push(service.odata, service.credentials)
  if (!service.loggedIn) {
    rows.push(...skipFrom('metadata', skipped.after(service.odataFailed ? 'odata' : 'credentials')))
    return finish()
  }

  const meta = await checkMetadata(ctx)
  rows.push(meta.row)
  if (meta.model === undefined) {
    rows.push(...skipFrom('sets', skipped.after('metadata')))
    return finish()
  }
  const model = meta.model

  const needs = neededSets(ctx.profile, ctx.config)
  const setRows = checkSets(model, needs)
  const fieldRows = checkFields(model, needs, ctx.profile.name)
  const { rows: rightRows, reads } = await checkRights(ctx, model, needs)
  rows.push(...setRows, ...fieldRows, ...rightRows)

  const ready = needs.filter(isLookupSet).every(need => {
    const ok = (list: CheckRow[]): boolean => list.find(r => r.object === need.set)?.verdict === 'ok'
    return ok(setRows) && ok(fieldRows) && ok(rightRows)
  })
  rows.push(ready ? await checkLookup(ctx) : skip('lookup', '—', lookupText.notReady().message))
  rows.push(ready ? await checkIndex(ctx) : skip('index', '—', indexText.notReady().message))
  rows.push(checkJournal(ctx.config, ctx.profile, model, reads))
  return finish()
}

/**
 * `--metadata FILE`: a saved `$metadata` (one an administrator sent us) checked against the profile
 * without asking 1C: the metadata, sets and fields steps; the others are `skip`.
 */
export function runOfflineChecks (xml: string, file: string, profile: Profile, config: Pick<Config, 'journal' | 'contacts' | 'onec'>): CheckRow[] {
  const offline = skipped.offline()
  const rows: CheckRow[] = (['address', 'odata', 'credentials'] as const).map(step => skip(step, '—', offline))
  const meta = metadataFromXml(xml, file, count => metadata.okFile(file, count))
  rows.push(meta.row)
  if (meta.model === undefined) {
    rows.push(...(['sets', 'fields'] as const).map(step => skip(step, '—', skipped.after('metadata'))))
  } else {
    const needs = neededSets(profile, config)
    rows.push(...checkSets(meta.model, needs), ...checkFields(meta.model, needs, profile.name))
  }
  rows.push(...(['rights', 'lookup', 'index', 'journal', 'session'] as const).map(step => skip(step, '—', offline)))
  return rows
}

/** Everything the profile needs is there: no row failed. */
export function allPassed (rows: CheckRow[]): boolean {
  return rows.every(r => r.verdict !== 'fail')
}
