import { HttpStatusOnly, ODataFault } from './errors.js'
import type { EmulatorUser, UserRights } from './settings.js'

/**
 * HTTP Basic against the infobase users (onec-odata.md §6.4). A missing or wrong login is the web server's
 * bare `401` with `WWW-Authenticate: Basic realm="1C:Enterprise 8.3"` (§5.3). 1C user names are often
 * Cyrillic, so credentials are decoded as UTF-8.
 */
export function authenticate (authorization: string | undefined, users: EmulatorUser[]): EmulatorUser | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '')
  if (match === null) return undefined
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon === -1) return undefined
  const name = decoded.slice(0, colon)
  const password = decoded.slice(colon + 1)
  return users.find((u) => u.name === name && u.password === password)
}

export function challenge (realm: string): HttpStatusOnly {
  return new HttpStatusOnly(401, 'authentication required', { 'WWW-Authenticate': `Basic realm="${realm}"` })
}

function allows (list: UserRights['read'], set: string): boolean {
  return list === undefined || list === '*' || list.includes(set)
}

export function canRead (user: EmulatorUser, set: string): boolean {
  return allows(user.rights?.read, set)
}

export function canWrite (user: EmulatorUser, set: string): boolean {
  return allows(user.rights?.write, set)
}

/** Code 20, with the status the DOC gives for access errors (§17.4.5.4: 401; a setting). */
export function accessDenied (action: 'чтение' | 'изменение', objectName: string, status: number): ODataFault {
  return new ODataFault('20', status, `Ошибка прав доступа: нет права на ${action} "${objectName}"`)
}
