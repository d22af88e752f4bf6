import { and, endswith, eq, or, str } from '../odata/filter.js'
import { onecSearchSuffixes, storedPhoneKeys, type PhoneOptions } from '../phone.js'
import type { Profile, SourceProfile } from '../profiles/types.js'
import { readOwners } from './owners.js'
import type { Candidate, OneCReader, OwnerRecord, RequestContext } from './types.js'

/** More rows than this for one number means a switchboard shared by many: the policy will not pick one anyway. */
const ROWS_PER_SOURCE = 200

/**
 * Every live owner of a number, asked of 1C: the phone rows of each source whose stored digits end with
 * the number (onec-odata.md §7.2 design rule), re-checked by normalising what 1C holds so that a suffix
 * collision never shows a wrong name; then the owners, one request per set; then their parents.
 */
export async function findPhoneOwners (client: OneCReader, profile: Profile, phone: PhoneOptions, key: string, ctx: RequestContext = {}): Promise<Candidate[]> {
  const { national, last7 } = onecSearchSuffixes(key)
  const info = profile.contactInfo
  const local7 = phone.defaultAreaCode !== undefined && national.length === phone.defaultAreaCode.length + 7 && national.startsWith(phone.defaultAreaCode)
  const filter = and(
    eq(info.typeField, str(info.phoneType)),
    or(
      endswith(info.phoneField, str(national)),
      eq(info.phoneWithoutCodesField, str(national)),
      // A bare 7-digit local number stored without its area code (peers.md §3.4) can only be ours when
      // the number is in the default area.
      local7 && eq(info.phoneWithoutCodesField, str(last7)),
    ),
  )
  const select = ['Ref_Key', 'LineNumber', info.phoneField, info.phoneWithoutCodesField, info.presentationField]

  const matches = await Promise.all(profile.sources.map(async source => {
    const rows = await client.list({ set: source.contactSet, filter, select, top: ROWS_PER_SOURCE }, ctx)
    const refs = rows.value
      .filter(row => storedPhoneKeys({
        НомерТелефона: row[info.phoneField] as string | undefined,
        НомерТелефонаБезКодов: row[info.phoneWithoutCodesField] as string | undefined,
        Представление: row[info.presentationField] as string | undefined,
      }, phone).includes(key))
      .map(row => String(row.Ref_Key).toLowerCase())
    return { source, refs }
  }))
  return await candidatesFor(client, profile, matches, ctx)
}

/** Reads the owners of matched refs and their parents, and drops deleted ones. */
export async function candidatesFor (client: OneCReader, profile: Profile, matches: Array<{ source: SourceProfile, refs: string[] }>, ctx: RequestContext = {}): Promise<Candidate[]> {
  const owners = await Promise.all(matches.map(async ({ source, refs }) =>
    ({ source, owners: refs.length === 0 ? new Map<string, OwnerRecord>() : await readOwners(client, source, profile.contactInfo, refs, ctx) })))

  const parents = await readParents(client, profile, owners.flatMap(o => [...o.owners.values()].map(owner => ({ source: o.source, owner }))), ctx)
  const candidates: Candidate[] = []
  for (const { source, owners: found } of owners) {
    const priority = profile.sources.indexOf(source)
    for (const owner of found.values()) {
      if (owner.deleted) continue
      const parent = owner.parentRef === undefined || source.parent === undefined ? undefined : parents.get(`${source.parent.source}:${owner.parentRef}`)
      // A contact person of a deleted partner is not a live client either.
      if (parent?.deleted === true && source.parent?.companyName === true) continue
      candidates.push({ owner, source, priority, parent })
    }
  }
  return candidates
}

async function readParents (client: OneCReader, profile: Profile, children: Array<{ source: SourceProfile, owner: OwnerRecord }>, ctx: RequestContext): Promise<Map<string, OwnerRecord>> {
  const wanted = new Map<SourceProfile, Set<string>>()
  const known = new Map<string, OwnerRecord>()
  for (const { owner } of children) known.set(`${owner.kind}:${owner.ref}`, owner)
  for (const { source, owner } of children) {
    if (source.parent === undefined || owner.parentRef === undefined) continue
    if (known.has(`${source.parent.source}:${owner.parentRef}`)) continue
    const parentSource = profile.sources.find(s => s.kind === source.parent?.source)
    if (parentSource === undefined) continue
    const refs = wanted.get(parentSource) ?? new Set<string>()
    refs.add(owner.parentRef)
    wanted.set(parentSource, refs)
  }
  await Promise.all([...wanted].map(async ([source, refs]) => {
    for (const owner of (await readOwners(client, source, profile.contactInfo, refs, ctx)).values()) known.set(`${owner.kind}:${owner.ref}`, owner)
  }))
  return known
}
