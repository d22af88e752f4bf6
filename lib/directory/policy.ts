import type { SourceProfile } from '../profiles/types.js'
import type { Candidate, Resolution } from './types.js'

/**
 * Who gets the name when one number (or e-mail) belongs to several owners (peers.md §2.2 B, §4.1: peers
 * either log to all, flip names, or show nothing). Deterministic in every case:
 * - `priority`: the most specific kind wins (profile order: contact person, partner, counterparty). Among
 *   several owners of that kind, if they all belong to one client (contact persons of one partner, the
 *   partner's counterparties) the number is that client's: answer the partner; otherwise answer nobody.
 * - `none`: more than one owner → nobody.
 * - `first`: the first by kind, then name, then key.
 */
export type AmbiguityPolicy = 'priority' | 'none' | 'first'

export function choose (found: Candidate[], policy: AmbiguityPolicy, sources: readonly SourceProfile[]): Resolution {
  const candidates = dedupe(found)
  if (candidates.length === 0) return { status: 'not_found', candidates }
  if (candidates.length === 1) return { status: 'found', candidate: candidates[0] as Candidate, candidates }
  const ordered = [...candidates].sort(compare)
  if (policy === 'first') return { status: 'found', candidate: ordered[0] as Candidate, candidates }
  if (policy === 'none') return { status: 'ambiguous', candidates }

  const top = (ordered[0] as Candidate).priority
  const best = ordered.filter(c => c.priority === top)
  if (best.length === 1) return { status: 'found', candidate: best[0] as Candidate, candidates }
  const client = commonClient(best, candidates, sources)
  return client === undefined ? { status: 'ambiguous', candidates } : { status: 'found', candidate: client, candidates }
}

/** Each owner once: the first candidate found for it (an owner found by several rows, numbers or fragments). */
export function dedupe (candidates: Candidate[]): Candidate[] {
  const seen = new Map<string, Candidate>()
  for (const c of candidates) if (!seen.has(`${c.owner.set}:${c.owner.ref}`)) seen.set(`${c.owner.set}:${c.owner.ref}`, c)
  return [...seen.values()]
}

function compare (a: Candidate, b: Candidate): number {
  return a.priority - b.priority || a.owner.name.localeCompare(b.owner.name, 'ru') || (a.owner.ref < b.owner.ref ? -1 : a.owner.ref > b.owner.ref ? 1 : 0)
}

/** The one client (partner) that all these owners belong to, as a candidate, if there is exactly one. */
function commonClient (best: Candidate[], all: Candidate[], sources: readonly SourceProfile[]): Candidate | undefined {
  const clientKind = best.map(c => c.source.parent?.source ?? c.owner.kind)
  const clientRefs = best.map(c => c.source.parent === undefined ? c.owner.ref : c.owner.parentRef)
  const ref = clientRefs[0]
  const kind = clientKind[0]
  if (ref === undefined || clientRefs.some(r => r !== ref) || clientKind.some(k => k !== kind)) return undefined
  const present = all.find(c => c.owner.kind === kind && c.owner.ref === ref)
  if (present !== undefined) return present
  const parent = best.find(c => c.parent !== undefined)?.parent
  const priority = sources.findIndex(s => s.kind === kind)
  const source = sources[priority]
  if (parent === undefined || source === undefined || parent.deleted) return undefined
  return { owner: parent, source, priority, parent: undefined }
}
