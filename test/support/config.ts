import { loadConfig } from '../../lib/config/load.js'
import type { Config } from '../../lib/config/types.js'

export const TCX = { user: '3cx', password: 'tcx-secret-password' }
export const ADMIN = { user: 'admin', password: 'admin-secret-password' }
export const METRICS = { user: 'metrics', password: 'metrics-secret' }

/** A configuration as an administrator would write it, pointing at a 1C on 127.0.0.1. */
export function testConfig (onecUrl: string, env: Record<string, string> = {}): Config {
  return loadConfig({
    ONEC_URL: onecUrl,
    ONEC_USER: 'odata',
    ONEC_PASSWORD: 'odata',
    HOST: '127.0.0.1',
    PORT: '0',
    PUBLIC_URL: 'http://127.0.0.1:8080',
    TCX_USER: TCX.user,
    TCX_PASSWORD: TCX.password,
    ADMIN_USER: ADMIN.user,
    ADMIN_PASSWORD: ADMIN.password,
    METRICS_USER: METRICS.user,
    METRICS_PASSWORD: METRICS.password,
    LOG_LEVEL: 'silent',
    // Tests that build an app pass a temporary DATA_DIR of their own.
    DATA_DIR: '/nonexistent-set-DATA_DIR-in-the-test',
    INDEX_ENABLED: 'false',
    ...env,
  }).config
}

export function basic (creds: { user: string, password: string }): string {
  return `Basic ${Buffer.from(`${creds.user}:${creds.password}`).toString('base64')}`
}
