import { allPassed } from './run.js'
import type { CheckRow, Lang, StepName, Verdict } from './types.js'

/** The `--json` document: one entry per row, texts in the chosen language. */
export interface CheckReport {
  ok: boolean
  steps: Array<{ step: StepName, object: string, verdict: Verdict, message: string, fix: string | null }>
}

export function toReport (rows: CheckRow[], lang: Lang): CheckReport {
  return {
    ok: allPassed(rows),
    steps: rows.map(r => ({ step: r.step, object: r.object, verdict: r.verdict, message: r.message[lang], fix: r.fix?.[lang] ?? null })),
  }
}

const HEADERS: Record<Lang, [string, string, string, string]> = {
  ru: ['шаг', 'объект', 'итог', 'что сделать'],
  en: ['step', 'object', 'verdict', 'what to do'],
}

/** The object column grows to fit its longest entry, up to this. */
const MAX_OBJECT = 56
const MIN_TEXT = 40

function wrap (text: string, width: number): string[] {
  const lines: string[] = []
  for (const paragraph of text.split('\n')) {
    let line = ''
    for (const word of paragraph.split(/\s+/).filter(w => w !== '')) {
      if (line === '') line = word
      else if (line.length + 1 + word.length <= width) line += ` ${word}`
      else {
        lines.push(line)
        line = word
      }
    }
    lines.push(line)
  }
  return lines
}

/**
 * A table an administrator reads in a terminal: step, object, verdict, then what was found and, on
 * following lines marked `→`, what to do. The text column wraps to `width`.
 */
export function renderTable (rows: CheckRow[], lang: Lang, width = 120): string {
  const [hStep, hObject, hVerdict, hText] = HEADERS[lang]
  const stepWidth = Math.max(hStep.length, ...rows.map(r => r.step.length))
  const objectWidth = Math.min(MAX_OBJECT, Math.max(hObject.length, ...rows.map(r => r.object.length)))
  const verdictWidth = Math.max(hVerdict.length, 4)
  const indent = stepWidth + objectWidth + verdictWidth + 6
  const textWidth = Math.max(MIN_TEXT, width - indent)
  const pad = ' '.repeat(indent)
  const out: string[] = []
  const line = (step: string, object: string, verdict: string, text: string): string =>
    `${step.padEnd(stepWidth)}  ${object.padEnd(objectWidth)}  ${verdict.padEnd(verdictWidth)}  ${text}`.trimEnd()

  out.push(line(hStep, hObject, hVerdict, hText))
  out.push('-'.repeat(Math.min(width, indent + textWidth)))
  for (const r of rows) {
    const text = wrap(r.message[lang], textWidth)
    if (r.fix !== undefined) {
      const fix = wrap(`→ ${r.fix[lang]}`, textWidth)
      text.push(...fix.map((l, i) => i === 0 ? l : `  ${l}`))
    }
    // A longer object overflows its column on its own row; the columns stay two spaces apart.
    out.push(line(r.step, r.object, r.verdict, text[0] ?? ''))
    for (const l of text.slice(1)) out.push(`${pad}${l}`)
  }
  out.push('')
  out.push(summaryLine(rows, lang))
  return `${out.join('\n')}\n`
}

export function summaryLine (rows: CheckRow[], lang: Lang): string {
  const count = (v: Verdict): number => rows.filter(r => r.verdict === v).length
  const fail = count('fail')
  const warn = count('warn')
  if (lang === 'ru') {
    if (fail > 0) return `Итог: ошибок ${fail}, предупреждений ${warn}. Исправьте строки fail (указания — после «→») и запустите проверку снова.`
    if (warn > 0) return `Итог: всё нужное на месте; предупреждений ${warn} — их стоит исправить.`
    return 'Итог: всё, что нужно прокси, на месте.'
  }
  if (fail > 0) return `Result: ${fail} failed, ${warn} warnings. Fix the fail rows (what to do follows "→") and run the check again.`
  if (warn > 0) return `Result: everything needed is there; ${warn} warnings are worth fixing.`
  return 'Result: everything the proxy needs is there.'
}
