import fp from 'fastify-plugin'
import { lockDataDir } from '../lib/data-dir-lock.js'

/**
 * DATA_DIR belongs to this proxy alone (lib/data-dir-lock.ts): a second proxy on the same directory
 * refuses to start, with the holder named. Registered before the plugins that write there (journal,
 * phone index) so that the lock is released after they have closed.
 */
export default fp(async (app) => {
  // Nothing is written there when the journal is off and the index too: no lock, and no need to be able to write.
  if (app.config.journal.target === 'off' && !app.config.index.enabled) return
  const log = app.log.child({ component: 'data-dir' })
  const lock = await lockDataDir(app.config.dataDir, {
    onLost: (holder) => {
      const reason = `The lock on DATA_DIR ${app.config.dataDir} was removed or taken over: another proxy may be writing the same journal. Stop one of them.`
      app.readiness.set('dataDir', { ok: false, reason })
      log.error({ holder }, reason)
    },
  })
  app.addHook('onClose', async () => { await lock.release() })
}, { name: 'data-dir', fastify: '5.x', dependencies: ['config', 'readiness'] })
