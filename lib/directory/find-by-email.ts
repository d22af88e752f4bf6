import { compareEmail, type EmailMatch } from '../email.js'
import { and, eq, or, str, substringof } from '../odata/filter.js'
import { candidatesFor } from './find-by-phone.js'
import type { Candidate, DirectoryContext, RequestContext } from './types.js'

const ROWS_PER_SOURCE = 200

/**
 * Every live owner of an e-mail address: e-mail rows of each source that contain it (in АдресЭП or
 * Представление, which imports sometimes fill alone), re-checked in the proxy. Owners whose address matches
 * exactly win over those that match only when the local part's case is ignored.
 */
export async function findEmailOwners (dir: DirectoryContext, key: string, ctx: RequestContext = {}): Promise<Candidate[]> {
  const { client, profile } = dir
  const info = profile.contactInfo
  const filter = and(
    eq(info.typeField, str(info.emailType)),
    or(substringof(str(key), info.emailField), substringof(str(key), info.presentationField)),
  )
  const select = ['Ref_Key', info.emailField, info.presentationField]
  const grades = new Map<string, EmailMatch>()
  const matches = await Promise.all(profile.sources.map(async source => {
    const rows = await client.list({ set: source.contactSet, filter, select, top: ROWS_PER_SOURCE }, ctx)
    const refs: string[] = []
    for (const row of rows.value) {
      const stored = String(row[info.emailField] ?? '').trim() || String(row[info.presentationField] ?? '').trim()
      const grade = compareEmail(key, stored)
      if (grade === 'none') continue
      const ref = String(row.Ref_Key).toLowerCase()
      refs.push(ref)
      const id = `${source.kind}:${ref}`
      if (grades.get(id) !== 'exact') grades.set(id, grade)
    }
    return { source, refs }
  }))
  const candidates = await candidatesFor(dir, matches, ctx)
  const exact = candidates.filter(c => grades.get(`${c.owner.kind}:${c.owner.ref}`) === 'exact')
  return exact.length > 0 ? exact : candidates
}
