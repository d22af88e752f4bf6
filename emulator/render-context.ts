import type { Entity } from './data/types.js'
import type { Publication } from './publication.js'
import type { ReferenceDef, Resource } from './resources.js'
import type { Settings } from './settings.js'
import type { Store } from './store.js'
import { EMPTY_REF } from './values.js'

/** What a serializer needs besides the entity: the absolute service root and the current publication. */
export interface RenderContext {
  /** e.g. `http://127.0.0.1:8081/ut11/odata/standard.odata` */
  root: string
  publication: Publication
  store: Store
  settings: Settings
}

/**
 * Navigation properties that get a link on this entity: published targets only, and only when the
 * reference is filled — MOON's list has no `Контрагент@navigationLinkUrl` where Контрагент_Key is the empty
 * reference (fixtures/onec/moon_Document_ПриходныйОрдер_list.json).
 */
export function linkedNavigations (resource: Resource, entity: Entity, ctx: RenderContext): ReferenceDef[] {
  return ctx.publication.navigations(resource).filter((nav) => {
    const key = entity[nav.keyField]
    return typeof key === 'string' && key !== EMPTY_REF
  })
}
