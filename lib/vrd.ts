import { XMLParser, XMLValidator } from 'fast-xml-parser'

/**
 * Reads a 1C web publication descriptor (`default.vrd`, onec-odata.md §6.1). We take from it what the
 * proxy can use: the publication's path (`base`), the credentials embedded in the `ib` connection string,
 * and the OData settings, which tell an administrator why the proxy cannot work (OData not enabled) or
 * how many connections the session pool can take.
 */
export interface VrdStandardOdata {
  enable: boolean
  reuseSessions: string | undefined
  sessionMaxAge: number | undefined
  poolSize: number | undefined
  poolTimeout: number | undefined
}

export interface Vrd {
  /** The publication path, e.g. `/ut11`. */
  base: string
  /** The `ib` connection string split into its parts, names as written (`Srvr`, `Ref`, `File`, `Usr`, `Pwd`). */
  ib: Record<string, string>
  user: string | undefined
  password: string | undefined
  standardOdata: VrdStandardOdata | undefined
  /** What an administrator should know: OData disabled or absent. */
  warnings: string[]
}

export class VrdError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'VrdError'
  }
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  parseAttributeValue: false,
  processEntities: true,
})

export function parseVrd (xml: string): Vrd {
  // Where, not the parser's words: they quote the broken text, which may be the Pwd attribute.
  const invalid = XMLValidator.validate(xml)
  if (invalid !== true) {
    throw new VrdError(`default.vrd is not well-formed XML (${invalid.err.code} at line ${invalid.err.line}, column ${invalid.err.col}): check the quotes of the attributes there (a quote inside a value is written &quot;)`)
  }
  const doc = parser.parse(xml) as Record<string, unknown>
  const point = doc.point
  if (point === null || typeof point !== 'object') {
    throw new VrdError('default.vrd has no <point> element: is this a 1C publication descriptor?')
  }
  const attrs = point as Record<string, unknown>
  const base = stringAttr(attrs, 'base')
  if (base === undefined || base === '') {
    throw new VrdError('default.vrd has no "base" attribute on <point> (the publication path, e.g. base="/ut11")')
  }
  const ib = parseConnectionString(stringAttr(attrs, 'ib') ?? '')
  const standardOdata = readStandardOdata(attrs.standardOdata)
  const warnings: string[] = []
  if (standardOdata === undefined) {
    warnings.push('default.vrd has no <standardOdata> element: the standard OData interface is not published. Republish the base with "Публиковать стандартный интерфейс OData" checked.')
  } else if (!standardOdata.enable) {
    warnings.push('default.vrd has <standardOdata enable="false">: the standard OData interface is not published. Republish with "Публиковать стандартный интерфейс OData" checked (enable="true").')
  }
  return {
    base: base.startsWith('/') ? base : `/${base}`,
    ib,
    user: findPart(ib, 'Usr'),
    password: findPart(ib, 'Pwd'),
    standardOdata,
    warnings,
  }
}

/**
 * Splits a 1C connection string (`Srvr="srv";Ref="base";Usr="user";Pwd="p;w";`). Values may be quoted;
 * inside quotes a doubled quote stands for one, and `;` does not end the value.
 */
export function parseConnectionString (text: string): Record<string, string> {
  const parts: Record<string, string> = {}
  let i = 0
  while (i < text.length) {
    while (i < text.length && (text[i] === ';' || text[i] === ' ')) i++
    const eq = text.indexOf('=', i)
    if (eq === -1) break
    const name = text.slice(i, eq).trim()
    i = eq + 1
    let value = ''
    if (text[i] === '"') {
      i++
      while (i < text.length) {
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            value += '"'
            i += 2
            continue
          }
          i++
          break
        }
        value += text[i]
        i++
      }
      while (i < text.length && text[i] !== ';') i++
    } else {
      const end = text.indexOf(';', i)
      value = (end === -1 ? text.slice(i) : text.slice(i, end)).trim()
      i = end === -1 ? text.length : end
    }
    if (name !== '') parts[name] = value
  }
  return parts
}

function findPart (parts: Record<string, string>, name: string): string | undefined {
  // 1C's connection-string keywords are case-insensitive.
  const key = Object.keys(parts).find(k => k.toLowerCase() === name.toLowerCase())
  return key === undefined ? undefined : parts[key]
}

function readStandardOdata (node: unknown): VrdStandardOdata | undefined {
  if (node === undefined) return undefined
  // `<standardOdata/>` without attributes parses as an empty string.
  const attrs = (node !== null && typeof node === 'object' ? node : {}) as Record<string, unknown>
  return {
    enable: stringAttr(attrs, 'enable')?.toLowerCase() === 'true',
    reuseSessions: stringAttr(attrs, 'reuseSessions'),
    sessionMaxAge: numberAttr(attrs, 'sessionMaxAge'),
    poolSize: numberAttr(attrs, 'poolSize'),
    poolTimeout: numberAttr(attrs, 'poolTimeout'),
  }
}

function stringAttr (attrs: Record<string, unknown>, name: string): string | undefined {
  const value = attrs[name]
  return typeof value === 'string' ? value : undefined
}

function numberAttr (attrs: Record<string, unknown>, name: string): number | undefined {
  const text = stringAttr(attrs, name)
  if (text === undefined || text.trim() === '') return undefined
  const value = Number(text)
  return Number.isFinite(value) ? value : undefined
}
