import type { Problem } from './messages.js'
import type { CheckRow, StepName, Text, Verdict } from './types.js'

export function row (step: StepName, object: string, verdict: Verdict, problem: Problem): CheckRow {
  const out: CheckRow = { step, object, verdict, message: problem.message }
  if (problem.fix !== undefined) out.fix = problem.fix
  return out
}

export function skip (step: StepName, object: string, reason: Text): CheckRow {
  return { step, object, verdict: 'skip', message: reason }
}

/** The 1C user the proxy logs in as, for messages (a name is not a secret; the password never appears). */
export function userName (user: string | undefined): string {
  return user === undefined || user === '' ? '—' : user
}
