import type { Entity } from './data/types.js'
import { HttpStatusOnly, ODataFault, TABULAR_ROW_CREATE_MESSAGE, badRequest, invalidPropertyValue } from './errors.js'
import { normalizeEntity } from './normalize.js'
import type { Resource, ResourceModel } from './resources.js'
import type { Settings } from './settings.js'
import type { Store } from './store.js'
import { EMPTY_DATE, EMPTY_REF, formatLocalDateTime, isGuid, newDataVersion, newGuid } from './values.js'
import { applyBody } from './write-values.js'

/**
 * Creating, changing and deleting entities (onec-odata.md §4). Tabular-section sets are read-only
 * (DOC §17.4.1); DELETE is physical (§4.3); a document whose posting is "Deny" has no Post/Unpost (§8).
 */

export interface WriteEnv {
  model: ResourceModel
  store: Store
  settings: Settings
}

export function readBody (raw: unknown): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw badRequest('2', 'Неверный формат запроса: ожидается объект JSON')
  return raw as Record<string, unknown>
}

export function createEntity (resource: Resource, body: Record<string, unknown>, env: WriteEnv): Entity {
  if (resource.kind === 'TabularSection') throw badRequest('13', TABULAR_ROW_CREATE_MESSAGE)
  const entity = normalizeEntity(resource, {}, resource.name)
  const { Ref_Key: givenRef, ...properties } = body
  if (resource.fieldByName.has('Ref_Key')) entity.Ref_Key = newRefKey(givenRef, env.settings)
  applyBody(resource, entity, properties, env, true)
  if (resource.kind === 'Catalog' && entity.Code === '') entity.Code = env.store.nextNumber(resource)
  if (resource.kind === 'Document') {
    if (entity.Number === '') entity.Number = env.store.nextNumber(resource)
    // The platform stamps an empty document date with the current time on write.
    if (entity.Date === EMPTY_DATE) entity.Date = formatLocalDateTime(new Date())
  }
  if ('DataVersion' in entity) entity.DataVersion = newDataVersion()
  if (env.store.has(resource, entity)) {
    const registerReplace = resource.kind === 'InformationRegister' && env.settings.duplicateRegisterKey === 'replace'
    if (!registerReplace) throw new ODataFault('15', env.settings.duplicateKeyStatus, 'Сущность с таким ключом уже существует')
  }
  env.store.put(resource, entity)
  return entity
}

/** PATCH changes only the given properties. PUT is treated the same: DOC asks the client to send all of them. */
export function updateEntity (resource: Resource, existing: Entity, body: Record<string, unknown>, env: WriteEnv): Entity {
  if (resource.kind === 'TabularSection') throw readOnly(resource)
  const entity = structuredClone(existing)
  applyBody(resource, entity, body, env, false)
  if ('DataVersion' in entity) entity.DataVersion = newDataVersion()
  env.store.put(resource, entity)
  return entity
}

export function deleteEntity (resource: Resource, existing: Entity, env: WriteEnv): void {
  if (resource.kind === 'TabularSection') throw readOnly(resource)
  env.store.remove(resource, existing)
}

/** Optimistic locking: If-Match must equal the current DataVersion, else 412 (DOC §17.4.13.1.5). */
export function checkIfMatch (existing: Entity, ifMatch: string | undefined, settings: Settings): void {
  if (ifMatch === undefined || settings.ifMatch === 'ignore' || typeof existing.DataVersion !== 'string') return
  const expected = ifMatch.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1')
  if (expected !== '*' && expected !== existing.DataVersion) {
    throw new HttpStatusOnly(412, 'DataVersion changed since it was read')
  }
}

/** `POST Document_X(guid'…')/Post|Unpost` (DOC §17.4.13.1.7). */
export function postDocument (resource: Resource, existing: Entity, action: 'Post' | 'Unpost', env: WriteEnv): Entity {
  if (resource.kind !== 'Document' || !env.settings.postableDocuments.includes(resource.name)) {
    throw badRequest('11', `Метод не найден: ${action} для "${resource.objectName}"`)
  }
  const entity = { ...existing, Posted: action === 'Post', DataVersion: newDataVersion() }
  env.store.put(resource, entity)
  return entity
}

function newRefKey (given: unknown, settings: Settings): string {
  if (given === undefined || given === null || settings.clientRefKey === 'ignore') return newGuid()
  if (typeof given !== 'string' || !isGuid(given)) throw invalidPropertyValue('Ref_Key', 'ожидается уникальный идентификатор')
  return given === EMPTY_REF ? newGuid() : given.toLowerCase()
}

function readOnly (resource: Resource): ODataFault {
  return new ODataFault('19', 405, `Использованный HTTP-метод запрещен в данном контексте: строки "${resource.objectName}" доступны только на чтение`)
}
