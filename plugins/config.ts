import fp from 'fastify-plugin'
import type { Config } from '../lib/config/types.js'
import type { PhoneOptions } from '../lib/phone.js'

declare module 'fastify' {
  interface FastifyInstance {
    config: Config
    /** The phone normaliser's options, derived once from the configuration. */
    phoneOptions: PhoneOptions
  }
}

/** The validated configuration (built by lib/config before the app exists) made available to plugins. */
export default fp<{ config: Config }>(async (app, opts) => {
  app.decorate('config', opts.config)
  app.decorate('phoneOptions', {
    defaultCountry: opts.config.phone.defaultCountry,
    internalMaxDigits: opts.config.phone.extensionMaxDigits,
    ...(opts.config.phone.defaultAreaCode === undefined ? {} : { defaultAreaCode: opts.config.phone.defaultAreaCode }),
  })
}, { name: 'config', fastify: '5.x' })
