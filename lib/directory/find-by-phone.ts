import { and, eq, like, or, str, substringof, type FilterExpr } from '../odata/filter.js'
import { onecSearchSuffixes, storedPhoneKeys } from '../phone.js'
import type { Profile, SourceProfile } from '../profiles/types.js'
import { readOwners } from './owners.js'
import type { Candidate, DirectoryContext, OwnerRecord, RequestContext } from './types.js'

/** More rows than this for one number means a switchboard shared by many: the policy will not pick one anyway. */
const ROWS_PER_SOURCE = 200

/**
 * Every live owner of a number, asked of 1C: the phone rows of each source that may hold it (below), re-
 * checked by normalising what 1C holds so that a suffix collision never shows a wrong name; then the
 * owners, one request per set; then their parents.
 */
export async function findPhoneOwners (dir: DirectoryContext, key: string, ctx: RequestContext = {}): Promise<Candidate[]> {
  const { client, profile, phone } = dir
  const info = profile.contactInfo
  const select = ['Ref_Key', 'LineNumber', info.phoneField, info.phoneWithoutCodesField, info.presentationField]
  const filter = phoneRowsFilter(profile, key)

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
  return await candidatesFor(dir, matches, ctx)
}

/**
 * Which phone rows may hold a number. onec-odata.md §7.2 suggests `endswith(НомерТелефона, <10 digits>)`;
 * real bases store one number in more ways than that catches (peers.md §3.4, fixtures/demo-base): a bare
 * local number (`2345678`, with БезКодов `78`), `8…`/`7…`/`+7…` prefixes, an import that kept brackets
 * (`7(34385)42168`) or a trailing space, or only a Представление (`+7(8442)499274`, `+7 (495) 111-22-33`,
 * `+7 495 765 4321`, `8-916-765-4321`). The subscriber part after the area code (5 to 7 digits) is
 * contiguous in the digit columns, so its last five digits are too; a formatted presentation splits it
 * into groups: `123-45-67`, `23-45-67`, `6-20-17` (the last five digits read `X-XX-XX`, or with spaces),
 * or three and four (`765 4321`, `765-4321`: the last seven digits, matched with ПОДОБНО's one-character
 * `_` in place of the separator, onec-odata.md §3.1, so that a space, a dash or a dot all do). None of
 * these conditions can use an index in 1C (a LIKE '%…%' scan, as endswith is), so the wider net costs 1C
 * no extra pass; the rows it also catches are few and the re-check in findPhoneOwners drops them. The
 * phone index reads every Представление whole, so a form missing here is a number the index finds and a
 * live lookup does not (test/phone-index.test.ts compares the two).
 */
export function phoneRowsFilter (profile: Profile, key: string): FilterExpr {
  const info = profile.contactInfo
  const { last7 } = onecSearchSuffixes(key)
  const last5 = last7.slice(2)
  const dashed = `${last5.slice(0, 1)}-${last5.slice(1, 3)}-${last5.slice(3, 5)}`
  const spaced = `${last5.slice(0, 1)} ${last5.slice(1, 3)} ${last5.slice(3, 5)}`
  // Digits only, and `_` meant as ПОДОБНО's wildcard: nothing here comes from the caller as text.
  const threeFour = `%${last7.slice(0, 3)}_${last7.slice(3)}%`
  return and(
    eq(info.typeField, str(info.phoneType)),
    or(
      substringof(str(last5), info.phoneField),
      substringof(str(last5), info.phoneWithoutCodesField),
      substringof(str(last5), info.presentationField),
      substringof(str(dashed), info.presentationField),
      substringof(str(spaced), info.presentationField),
      like(info.presentationField, str(threeFour)),
    ),
  )
}

/** Reads the owners of matched refs and their parents, and drops deleted ones. */
export async function candidatesFor (dir: DirectoryContext, matches: Array<{ source: SourceProfile, refs: string[] }>, ctx: RequestContext = {}): Promise<Candidate[]> {
  const { profile } = dir
  const owners = await Promise.all(matches.map(async ({ source, refs }) =>
    ({ source, owners: refs.length === 0 ? new Map<string, OwnerRecord>() : await readOwners(dir, source, refs, ctx) })))

  const parents = await readParents(dir, owners.flatMap(o => [...o.owners.values()].map(owner => ({ source: o.source, owner }))), ctx)
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

async function readParents (dir: DirectoryContext, children: Array<{ source: SourceProfile, owner: OwnerRecord }>, ctx: RequestContext): Promise<Map<string, OwnerRecord>> {
  const { profile } = dir
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
    for (const owner of (await readOwners(dir, source, refs, ctx)).values()) known.set(`${owner.kind}:${owner.ref}`, owner)
  }))
  return known
}
