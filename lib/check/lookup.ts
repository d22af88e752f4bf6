import type { Config } from '../config/types.js'
import { findPhoneOwners } from '../directory/find-by-phone.js'
import { AppError } from '../errors.js'
import { eq, str } from '../odata/filter.js'
import { maskPhone, phoneKey, storedPhoneKeys, type PhoneOptions } from '../phone.js'
import { lookup } from './messages.js'
import { objectWords } from './names.js'
import { row } from './row.js'
import type { CheckContext, CheckRow, Text } from './types.js'

/** How many phone rows of each source are read when looking for a sample number. */
const SAMPLE_ROWS = 20
/** Owners named in the lookup row; the rest are counted. */
const SHOWN_OWNERS = 3

export function phoneOptions (config: Config): PhoneOptions {
  return {
    defaultCountry: config.phone.defaultCountry,
    internalMaxDigits: config.phone.extensionMaxDigits,
    ...(config.phone.defaultAreaCode === undefined ? {} : { defaultAreaCode: config.phone.defaultAreaCode }),
  }
}

/** The key a sample number is looked up by, or undefined when it is not a full phone number. */
export function sampleKey (number: string, config: Config): string | undefined {
  return phoneKey(number, phoneOptions(config))
}

/** The first phone of the base the lookup can read, source by source in the profile's order. */
async function firstPhone (ctx: Pick<CheckContext, 'client' | 'profile'>, opts: PhoneOptions): Promise<string | undefined> {
  const info = ctx.profile.contactInfo
  for (const source of ctx.profile.sources) {
    const page = await ctx.client.list({
      set: source.contactSet,
      filter: eq(info.typeField, str(info.phoneType)),
      select: ['Ref_Key', info.phoneField, info.phoneWithoutCodesField, info.presentationField],
      top: SAMPLE_ROWS,
    })
    for (const r of page.value) {
      const keys = storedPhoneKeys({
        НомерТелефона: r[info.phoneField] as string | undefined,
        НомерТелефонаБезКодов: r[info.phoneWithoutCodesField] as string | undefined,
        Представление: r[info.presentationField] as string | undefined,
      }, opts)
      if (keys[0] !== undefined) return keys[0]
    }
  }
  return undefined
}

function shown (key: string, config: Config): string {
  return config.log.phoneNumbers === 'full' ? key : maskPhone(key)
}

function ownersText (owners: Array<{ name: string, set: string }>): Text {
  const list = owners.slice(0, SHOWN_OWNERS)
  const more = owners.length - list.length
  const ru = list.map(o => `${o.name} (${objectWords(o.set).ru})`).join('; ') + (more > 0 ? ` и ещё ${more}` : '')
  const en = list.map(o => `${o.name} (${objectWords(o.set).en})`).join('; ') + (more > 0 ? ` and ${more} more` : '')
  return { ru, en }
}

/** The lookup step: one real round trip through findPhoneOwners, the lookup the proxy runs for a ring. */
export async function checkLookup (ctx: Pick<CheckContext, 'client' | 'profile' | 'config' | 'sampleNumber'>): Promise<CheckRow> {
  const opts = phoneOptions(ctx.config)
  let key: string | undefined
  try {
    key = ctx.sampleNumber === undefined ? await firstPhone(ctx, opts) : phoneKey(ctx.sampleNumber, opts)
  } catch (err) {
    return failed(err, ctx.sampleNumber === undefined ? '—' : maskPhone(ctx.sampleNumber))
  }
  if (key === undefined) return row('lookup', '—', 'warn', lookup.noSample())
  const object = shown(key, ctx.config)
  const started = performance.now()
  try {
    const candidates = await findPhoneOwners({ client: ctx.client, profile: ctx.profile, phone: opts }, key)
    const ms = Math.round(performance.now() - started)
    if (candidates.length === 0) return row('lookup', object, 'warn', lookup.notFound(object, ms, ctx.sampleNumber === undefined))
    const owners = candidates.map(c => ({ name: c.owner.name, set: c.owner.set }))
    return row('lookup', object, 'ok', lookup.found(object, ms, ownersText(owners)))
  } catch (err) {
    return failed(err, object)
  }
}

function failed (err: unknown, object: string): CheckRow {
  if (!(err instanceof AppError)) throw err
  const onec = (err.details?.onec as { message?: string } | undefined)?.message
  return row('lookup', object, 'fail', lookup.failed(err.code, onec, `${err.message}${err.hint === undefined ? '' : ` ${err.hint}`}`))
}
