import fp from 'fastify-plugin'
import { describeIndexState, PhoneIndexService } from '../lib/phone-index/service.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** undefined when INDEX_ENABLED=false. */
    phoneIndex: PhoneIndexService | undefined
  }
}

/**
 * The in-memory phone index (lib/phone-index): a ring is answered from memory with no 1C request; 1C is
 * asked only about numbers the index has never seen, and in the background to keep rung numbers current.
 */
export default fp(async (app) => {
  const { config } = app
  if (!config.index.enabled) {
    app.decorate('phoneIndex', undefined)
    return
  }
  const log = app.log.child({ component: 'phone-index' })
  const index = new PhoneIndexService({
    dir: { client: app.onec, profile: app.profile, phone: app.phoneOptions },
    infobaseUrl: config.onec.url,
    dataDir: config.dataDir,
    pageSize: config.index.pageSize,
    paging: config.index.paging,
    refreshMs: config.index.refreshMs,
    refresh: async (key, current) => await app.directory.stillHolding(key, current, { requestId: 'index-refresh' }),
    onRefreshed: (key, candidates) => app.directory.remember(key, candidates),
    onSynced: (sync) => {
      // Decisions cached from the previous index give way to the new one.
      if (sync.ok) app.directory.purge()
      app.metrics.indexSyncs.inc({ result: sync.ok ? 'ok' : 'failed' })
      if (sync.ok) app.metrics.indexSyncDuration.set(sync.durationMs / 1000)
    },
    log,
  })
  app.decorate('phoneIndex', index)
  app.directory.attachIndex(index)

  app.metrics.providers.index = () => {
    const state = index.state
    return { rows: state.stats.rows, numbers: state.stats.numbers, syncedAt: state.syncedAt }
  }
  app.readiness.set('index', () => {
    const state = index.state
    const details = describeIndexState(state)
    // Lookups work without the index (live queries), so it never makes the proxy unready; it warns.
    if (state.lastSync?.ok === false) return { ok: true, warning: `phone index sync failed (${state.lastSync.error ?? ''}); ${state.ready ? 'the previous index stays in use' : 'lookups ask 1C live'}`, details }
    if (!state.ready) return { ok: true, warning: 'phone index not built yet: lookups ask 1C live', details }
    return { ok: true, details }
  })

  app.addHook('onReady', async () => { await index.start() })
  app.addHook('onClose', async () => { await index.stop() })
}, { name: 'phone-index', fastify: '5.x', dependencies: ['config', 'data-dir', 'onec', 'directory', 'metrics', 'readiness'] })
