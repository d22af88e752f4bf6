import { queryOptionError } from '../errors.js'

/**
 * The template language of 1C's ПОДОБНО, used by like() (onec-odata.md §3.1): `%` any run of characters,
 * `_` one character, `[abc]` one of the listed characters, `[а-я]` a range, `[^...]` none of them. Inside
 * brackets every character is literal (`[%]` is a percent sign). The whole value must match.
 */
export function likeToRegExp (template: string, caseSensitive: boolean): RegExp {
  const chars = [...template]
  let source = ''
  for (let i = 0; i < chars.length; i += 1) {
    const ch = chars[i] as string
    if (ch === '%') source += '[\\s\\S]*'
    else if (ch === '_') source += '[\\s\\S]'
    else if (ch === '[') {
      const close = chars.indexOf(']', i + 1)
      if (close === -1) throw queryOptionError(`незакрытая "[" в шаблоне like('${template}')`)
      source += bracket(chars.slice(i + 1, close), template)
      i = close
    } else source += escapeLiteral(ch)
  }
  return new RegExp(`^(?:${source})$`, caseSensitive ? 'u' : 'iu')
}

function bracket (inner: string[], template: string): string {
  const negated = inner[0] === '^'
  const members = negated ? inner.slice(1) : inner
  if (members.length === 0) throw queryOptionError(`пустой набор "[]" в шаблоне like('${template}')`)
  let cls = ''
  for (let i = 0; i < members.length; i += 1) {
    const ch = members[i] as string
    const to = members[i + 2]
    if (members[i + 1] === '-' && to !== undefined) {
      if ((ch.codePointAt(0) as number) > (to.codePointAt(0) as number)) {
        throw queryOptionError(`неверный диапазон "[${ch}-${to}]" в шаблоне like('${template}')`)
      }
      cls += `${escapeInClass(ch)}-${escapeInClass(to)}`
      i += 2
    } else cls += escapeInClass(ch)
  }
  return `[${negated ? '^' : ''}${cls}]`
}

function escapeLiteral (ch: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(ch) ? `\\${ch}` : ch
}

function escapeInClass (ch: string): string {
  return /[\\\]\[^-]/.test(ch) ? `\\${ch}` : ch
}
