import { AppError } from '../errors.js'
import { parseOneCFault } from '../odata/errors.js'
import { collectionPath, listQueryString } from '../odata/query.js'
import type { EdmxModel } from './edmx.js'
import { rights } from './messages.js'
import type { SetNeed } from './requirements.js'
import { row, skip, userName } from './row.js'
import type { CheckContext, CheckRow } from './types.js'

export interface ReadOutcome {
  readable: boolean
  /** 1C refused for lack of rights (code 20, 401/403). */
  denied: boolean
}

/**
 * The rights step: a `$top=1` read of each needed set that is published. 1C answers a missing right with
 * code 20 (401 by the DOC, §5.3 of onec-odata.md; some servers use 403). Writes are never tried.
 */
export async function checkRights (ctx: Pick<CheckContext, 'client' | 'config'>, model: EdmxModel, needs: SetNeed[]): Promise<{ rows: CheckRow[], reads: Map<string, ReadOutcome> }> {
  const who = userName(ctx.config.onec.user)
  const reads = new Map<string, ReadOutcome>()
  const rows = await Promise.all(needs.map(async (need): Promise<CheckRow> => {
    if (!model.sets.has(need.set)) return skip('rights', need.set, rights.notChecked().message)
    let res
    try {
      res = await ctx.client.raw(collectionPath(need.set), listQueryString({ set: need.set, top: 1 }))
    } catch (err) {
      if (!(err instanceof AppError)) throw err
      reads.set(need.set, { readable: false, denied: false })
      return row('rights', need.set, 'fail', rights.failed(undefined, err.message, undefined))
    }
    const fault = parseOneCFault(res.body, res.contentType)
    if (res.status === 200) {
      reads.set(need.set, { readable: true, denied: false })
      return row('rights', need.set, 'ok', rights.ok())
    }
    if (fault?.code === '20' || res.status === 403) {
      reads.set(need.set, { readable: false, denied: true })
      return row('rights', need.set, 'fail', rights.denied(who, need.set, need.tabular, res.status, fault?.message))
    }
    reads.set(need.set, { readable: false, denied: false })
    if (res.status === 404) return row('rights', need.set, 'fail', rights.notFound(need.set, need.tabular))
    return row('rights', need.set, 'fail', rights.failed(res.status, fault?.message, fault?.code))
  }))
  return { rows, reads }
}
