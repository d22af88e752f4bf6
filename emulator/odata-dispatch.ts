import type { FastifyReply, FastifyRequest } from 'fastify'
import { accessDenied, canRead, canWrite } from './auth.js'
import type { RequestCost } from './cost/meter.js'
import type { Entity } from './data/types.js'
import { ODataFault, TABULAR_ROW_CREATE_MESSAGE, badRequest, badUrl, entityNotFound } from './errors.js'
import type { Format } from './format.js'
import { formatKey, resolveKey } from './keys.js'
import { metadataDocument } from './metadata.js'
import { countMatching, runCollectionQuery } from './query/execute.js'
import { notSupported, parseExpand } from './query/expand.js'
import type { QueryOptions } from './query/options.js'
import { parseSelect } from './query/select.js'
import type { RenderContext } from './render-context.js'
import type { PathSegment } from './resource-path.js'
import type { Resource } from './resources.js'
import { atomEntry, atomFeed, atomServiceDocument, xmlProperty } from './serialize-atom.js'
import { jsonCollection, jsonEntity, jsonProperty, jsonServiceDocument } from './serialize-json.js'
import type { EmulatorUser } from './settings.js'
import type { EmulatorState } from './state.js'
import { encodeUrlPath } from './url.js'
import { checkIfMatch, createEntity, deleteEntity, postDocument, readBody, updateEntity, type WriteEnv } from './writes.js'

/**
 * Routes one authenticated OData request to its operation (onec-odata.md "Emulator checklist" item 1):
 * the service document, `$metadata`, `/<Set>`, `/<Set>/$count`, `/<Set>(<key>)`, `/<Set>(<key>)/<Nav or
 * Property>[/$value]`, writes, and `POST /Document_X(<key>)/Post|Unpost`.
 */
export interface ODataRequest {
  state: EmulatorState
  request: FastifyRequest
  reply: FastifyReply
  user: EmulatorUser
  /** HEAD is served as GET. */
  method: string
  segments: PathSegment[]
  query: QueryOptions
  format: Format
  render: RenderContext
  /** The cost model's account of this request, when the model is on. */
  cost?: RequestCost | undefined
}

const JSON_TYPE = 'application/json;charset=utf-8'
const FEED_TYPE = 'application/atom+xml;type=feed;charset=utf-8'
const ENTRY_TYPE = 'application/atom+xml;type=entry;charset=utf-8'

export function dispatch (req: ODataRequest): void {
  const [first, ...rest] = req.segments
  if (first === undefined) return serviceDocument(req)
  if (first.name === '$metadata') {
    if (first.key !== undefined || rest.length > 0) throw badUrl('лишние сегменты после $metadata', 404)
    onlyMethods(req, 'GET')
    req.reply.type('application/xml;charset=utf-8').send(metadataDocument(req.state.model, req.state.publication, req.state.settings))
    return
  }
  const resource = req.state.publication.resolve(first.name)
  if (resource === undefined) throw unknownSet(req, first.name)
  if (first.key === undefined) return setOperation(req, resource, rest)
  return entityOperation(req, resource, first.key, rest)
}

function serviceDocument (req: ODataRequest): void {
  onlyMethods(req, 'GET')
  const resources = req.state.publication.resources()
  if (req.format.kind === 'json') {
    req.reply.type(JSON_TYPE).send(jsonServiceDocument(resources, req.render))
  } else {
    req.reply.type('application/atomsvc+xml;charset=utf-8').send(atomServiceDocument(resources, req.render))
  }
}

/** A set outside the composition is absent, like a set that does not exist (onec-odata.md §5.3; code is a setting). */
function unknownSet (req: ODataRequest, name: string): ODataFault {
  const code = req.state.settings.unknownSetCode
  const message = code === '8' ? `Тип сущности не найден: ${name}` : `Неверный URL: набор сущностей "${name}" не найден`
  return new ODataFault(code, 404, message)
}

function setOperation (req: ODataRequest, resource: Resource, rest: PathSegment[]): void {
  if (rest.length === 0) {
    if (req.method === 'GET') return readCollection(req, resource)
    if (req.method === 'POST') return create(req, resource)
    throw methodNotAllowed(req.method)
  }
  const [next] = rest
  if (rest.length === 1 && next?.name === '$count' && next.key === undefined) {
    onlyMethods(req, 'GET')
    requireRead(req, resource)
    const ctx = req.state.filterContext()
    const count = countMatching(resource, req.query.filter, ctx, req.cost?.scan(resource, req.query, ctx, true))
    req.reply.type('text/plain;charset=utf-8').send(String(count))
    return
  }
  throw badUrl(`неизвестный сегмент "${next?.name ?? ''}" после "${resource.name}"`, 404)
}

function readCollection (req: ODataRequest, resource: Resource): void {
  requireRead(req, resource)
  const { publication } = req.state
  const selection = parseSelect(req.query.select, resource, publication)
  const expand = parseExpand(req.query.expand, resource, publication)
  const ctx = req.state.filterContext()
  const result = runCollectionQuery(resource, req.query, ctx, req.cost?.scan(resource, req.query, ctx, false))
  req.cost?.returned(resource, result.rows, selection, expand)
  if (req.format.kind === 'json') {
    req.reply.type(JSON_TYPE).send(jsonCollection(resource, result.rows, req.render, { metadata: req.format.metadata, selection, expand }, result.count))
  } else {
    req.reply.type(FEED_TYPE).send(atomFeed(resource, result.rows, req.render, { selection, expand }, result.count))
  }
}

function sendEntity (req: ODataRequest, resource: Resource, entity: Entity, status = 200): void {
  const selection = parseSelect(req.query.select, resource, req.state.publication)
  req.cost?.returned(resource, [entity], selection)
  req.reply.code(status)
  if (req.format.kind === 'json') {
    req.reply.type(JSON_TYPE).send(jsonEntity(resource, entity, req.render, { metadata: req.format.metadata, selection, expand: [] }))
  } else {
    req.reply.type(ENTRY_TYPE).send(atomEntry(resource, entity, req.render, selection))
  }
}

function create (req: ODataRequest, resource: Resource): void {
  requireWrite(req, resource)
  if (resource.kind === 'TabularSection') throw badRequest('13', TABULAR_ROW_CREATE_MESSAGE)
  const entity = createEntity(resource, readBody(parseJsonBody(req)), writeEnv(req))
  // The canonical URL of the new entity, absolute (DOC §17.4.13.1.2), percent-encoded to be a valid header.
  const { root } = req.render
  const origin = root.slice(0, root.length - req.state.odataRoot.length)
  req.reply.header('Location', `${origin}${encodeUrlPath(`${req.state.odataRoot}/${resource.name}${formatKey(resource, entity)}`)}`)
  sendEntity(req, resource, entity, 201)
}

function entityOperation (req: ODataRequest, resource: Resource, keyText: string, rest: PathSegment[]): void {
  const key = resolveKey(resource, keyText)
  const existing = req.state.store.get(resource, key)
  req.cost?.keyLookup()
  if (rest.length === 0) {
    switch (req.method) {
      case 'GET': {
        requireRead(req, resource)
        if (existing === undefined) throw entityNotFound(resource.objectName)
        if (req.query.expand !== undefined) throw notSupported('$expand при запросе одиночной сущности')
        return sendEntity(req, resource, existing)
      }
      case 'PATCH':
      case 'PUT':
      case 'MERGE': {
        requireWrite(req, resource)
        if (existing === undefined) throw entityNotFound(resource.objectName)
        checkIfMatch(existing, header(req, 'if-match'), req.state.settings)
        return sendEntity(req, resource, updateEntity(resource, existing, readBody(parseJsonBody(req)), writeEnv(req)))
      }
      case 'DELETE': {
        requireWrite(req, resource)
        if (existing === undefined) throw entityNotFound(resource.objectName)
        checkIfMatch(existing, header(req, 'if-match'), req.state.settings)
        deleteEntity(resource, existing, writeEnv(req))
        req.reply.code(204).send()
        return
      }
      default:
        throw methodNotAllowed(req.method)
    }
  }
  const [action] = rest
  if (rest.length === 1 && (action?.name === 'Post' || action?.name === 'Unpost') && action.key === undefined) {
    onlyMethods(req, 'POST')
    requireWrite(req, resource)
    if (existing === undefined) throw entityNotFound(resource.objectName)
    postDocument(resource, existing, action.name, writeEnv(req))
    req.reply.code(204).send()
    return
  }
  onlyMethods(req, 'GET')
  requireRead(req, resource)
  if (existing === undefined) throw entityNotFound(resource.objectName)
  readPath(req, resource, existing, rest)
}

/** `Set(key)/Nav/…/Property[/$value]`: navigation through references, ending on an entity or a property (DOC §17.4.8). */
function readPath (req: ODataRequest, start: Resource, entity: Entity, segments: PathSegment[]): void {
  let resource = start
  let current = entity
  for (let i = 0; i < segments.length; i += 1) {
    const segment = segments[i] as PathSegment
    if (segment.key !== undefined) throw badUrl(`ключ после "${segment.name}" не допускается`, 404)
    const navigation = req.state.publication.navigation(resource, segment.name)
    if (navigation !== undefined) {
      const target = req.state.publication.resolve(navigation.target) as Resource
      requireRead(req, target)
      const related = req.state.store.getByRef(navigation.target, String(current[navigation.keyField]))
      req.cost?.keyLookup()
      if (related === undefined) throw entityNotFound(target.objectName)
      resource = target
      current = related
      continue
    }
    const field = resource.fieldByName.get(segment.name)
    const rawValue = segments[i + 1]?.name === '$value' && i + 2 === segments.length
    if (field === undefined || (i + 1 < segments.length && !rawValue)) {
      throw badUrl(`свойство "${segment.name}" не найдено у "${resource.name}"`, 404)
    }
    const value = current[field.name]
    if (rawValue) {
      req.reply.type('text/plain;charset=utf-8').send(value === null ? '' : String(value))
    } else if (req.format.kind === 'json') {
      req.reply.type(JSON_TYPE).send(jsonProperty(field.type, value, req.render, req.format.metadata))
    } else {
      req.reply.type('application/xml;charset=utf-8').send(xmlProperty(field.name, value))
    }
    return
  }
  sendEntity(req, resource, current)
}

function parseJsonBody (req: ODataRequest): unknown {
  const contentType = String(req.request.headers['content-type'] ?? 'application/json').toLowerCase()
  if (contentType.includes('xml')) throw notSupported('тело запроса в формате atom-xml (эмулятор принимает json)')
  const body = typeof req.request.body === 'string' ? req.request.body : ''
  try {
    return JSON.parse(body)
  } catch {
    throw badRequest('2', 'Неверный формат запроса: тело не является документом JSON')
  }
}

function writeEnv (req: ODataRequest): WriteEnv {
  return { model: req.state.model, store: req.state.store, settings: req.state.settings }
}

function requireRead (req: ODataRequest, resource: Resource): void {
  if (!canRead(req.user, resource.set.name)) throw accessDenied('чтение', resource.objectName, req.state.settings.accessDeniedStatus)
}

function requireWrite (req: ODataRequest, resource: Resource): void {
  if (!canWrite(req.user, resource.set.name)) throw accessDenied('изменение', resource.objectName, req.state.settings.accessDeniedStatus)
}

function onlyMethods (req: ODataRequest, ...methods: string[]): void {
  if (!methods.includes(req.method)) throw methodNotAllowed(req.method)
}

/** Code 19, "HTTP method not allowed in this context"; 405 is a guess (onec-odata.md §5.3). */
function methodNotAllowed (method: string): ODataFault {
  return new ODataFault('19', 405, `Использованный HTTP-метод запрещен в данном контексте: ${method}`)
}

function header (req: ODataRequest, name: string): string | undefined {
  const value = req.request.headers[name]
  return Array.isArray(value) ? value[0] : value
}
