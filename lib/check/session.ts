import type { Config } from '../config/types.js'
import type { Vrd } from '../vrd.js'
import { session } from './messages.js'
import { row } from './row.js'
import type { CheckRow, Text } from './types.js'

/**
 * The session step, informational: how the proxy holds 1C sessions against what the publication's
 * default.vrd allows (onec-odata.md §6.1–6.2). It reads only the configuration, so it always runs.
 */
export function checkSession (config: Config, vrd: Vrd | undefined): CheckRow {
  const { sessionMode, maxConnections } = config.onec
  const odata = vrd?.standardOdata
  const pool = vrd === undefined ? undefined : session.vrdPool(odata?.reuseSessions ?? '—', odata?.poolSize)
  const { message } = session.summary(sessionMode, maxConnections, pool)

  const fixes: Text[] = []
  if (vrd !== undefined) {
    if (odata === undefined || !odata.enable) fixes.push(session.odataOff())
    if (odata?.poolSize !== undefined && maxConnections > odata.poolSize) fixes.push(session.poolTooSmall(maxConnections, odata.poolSize))
    // reuseSessions absent means the platform default, automatic reuse (DOC-INT §17.7.3.4).
    const reuse = odata?.reuseSessions ?? 'autouse'
    if (sessionMode === 'manual' && reuse !== 'use') fixes.push(session.manualNeedsUse(reuse))
    if (sessionMode === 'auto' && reuse === 'dontuse') fixes.push(session.autoWithoutPool())
    // "use" leaves sessions to the client: a request without the IBSession header gets a session of its own.
    if (sessionMode === 'auto' && reuse === 'use') fixes.push(session.autoWithUse())
  }
  if (fixes.length === 0) return row('session', 'ONEC_SESSION_MODE', 'ok', { message })
  return row('session', 'ONEC_SESSION_MODE', 'warn', {
    message,
    fix: { ru: fixes.map(f => f.ru).join(' '), en: fixes.map(f => f.en).join(' ') },
  })
}
