import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import { buildApp } from '../../app.js'
import { loadBase } from '../../emulator/data/load.js'
import type { BaseData } from '../../emulator/data/types.js'
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../emulator/server.js'
import { basic, testConfig, TCX, ADMIN } from './config.js'

/**
 * The whole stack on 127.0.0.1: the 1C emulator (real HTTP, port 0) and the proxy built against it, with
 * its own temporary DATA_DIR. Everything is closed and removed when the test ends.
 */
export interface Stack {
  app: FastifyInstance
  emulator: RunningEmulator
  dataDir: string
  /** POST JSON to the proxy as 3CX (Basic auth), answered through the app's request pipeline. */
  tcx: (path: string, body: unknown) => Promise<{ status: number, json: () => any }>
  admin: (method: 'GET' | 'POST' | 'DELETE', path: string) => Promise<{ status: number, json: () => any }>
}

let demoBase: Promise<BaseData> | undefined
export function demoData (): Promise<BaseData> {
  demoBase ??= loadBase(new URL('../../fixtures/demo-base/', import.meta.url).pathname)
  return demoBase
}

export async function startStack (t: Test, opts: { env?: Record<string, string>, emulator?: Partial<EmulatorOptions>, data?: BaseData, dataDir?: string, logger?: Logger } = {}): Promise<Stack> {
  const data = opts.data ?? structuredClone(await demoData())
  const emulator = await startEmulator({ port: 0, data, ...opts.emulator })
  t.teardown(() => emulator.close())
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'bridge-test-'))
  if (opts.dataDir === undefined) t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
  const app = await buildApp(testConfig(emulator.baseUrl, { DATA_DIR: dataDir, DEFAULT_AREA_CODE: '495', JOURNAL_RETRY_MIN_MS: '20', JOURNAL_RETRY_MAX_MS: '200', ...opts.env }), opts.logger === undefined ? {} : { logger: opts.logger })
  t.teardown(() => app.close())
  await app.ready()
  const inject = async (method: 'GET' | 'POST' | 'DELETE', url: string, auth: string, body?: unknown): Promise<{ status: number, json: () => any }> => {
    const res = await app.inject({ method, url, headers: { authorization: auth }, ...(body === undefined ? {} : { payload: body as Record<string, unknown> }) })
    return { status: res.statusCode, json: () => res.json() }
  }
  return {
    app,
    emulator,
    dataDir,
    tcx: async (path, body) => await inject('POST', `/3cx/${path}`, basic(TCX), body),
    admin: async (method, path) => await inject(method, `/admin/${path}`, basic(ADMIN)),
  }
}

/** Waits for a condition the code under test reaches on its own (a background delivery), with a deadline. */
export async function waitUntil (t: Test, what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) {
      t.fail(`timed out waiting for ${what}`)
      throw new Error(`timed out waiting for ${what}`)
    }
    await new Promise(resolve => setTimeout(resolve, 10))
  }
}
