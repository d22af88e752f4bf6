import fp from 'fastify-plugin'
import { Directory } from '../lib/directory/directory.js'
import { loadProfile } from '../lib/profiles/load.js'
import type { Profile } from '../lib/profiles/types.js'
import { maskPhone } from '../lib/phone.js'

declare module 'fastify' {
  interface FastifyInstance {
    directory: Directory
    profile: Profile
  }
}

/** Lookups (and later search and creation) of 1C contacts, behind the cache and the budget. */
export default fp(async (app) => {
  const { config } = app
  const profile = loadProfile(config.lookup.profile)
  const log = app.log.child({ component: 'directory' })
  const directory = new Directory({
    client: app.onec,
    profile,
    phone: app.phoneOptions,
    policy: config.lookup.policy,
    budgetMs: config.lookup.budgetMs,
    cache: config.cache,
    search: { limit: config.contacts.searchLimit, minLength: config.contacts.searchMinLength },
    creation: config.contacts.creation,
    timezone: config.onec.timezone,
    links: {
      mode: config.onec.contactUrlMode,
      webUrl: config.onec.webUrl,
      thinClientUrl: config.onec.thinClientUrl,
      language: config.onec.scriptLanguage,
    },
    onBackgroundError: (key, err) => {
      const shown = config.log.phoneNumbers === 'full' ? key : maskPhone(key)
      log.warn({ key: shown, code: (err as { code?: string }).code, err: (err as Error).message }, 'lookup finished with an error after 3CX was answered')
    },
  })
  app.decorate('profile', profile)
  app.decorate('directory', directory)
}, { name: 'directory', fastify: '5.x', dependencies: ['config', 'onec'] })
