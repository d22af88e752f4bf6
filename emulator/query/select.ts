import { queryOptionError } from '../errors.js'
import { PRESENTATION_SUFFIX, presentableFields } from '../presentation.js'
import type { Publication } from '../publication.js'
import type { Resource } from '../resources.js'

/**
 * `$select` (DOC §17.4.8, onec-odata.md §3.2): `*` everything, `**` everything but tabular sections, or a
 * list of properties, navigation properties, tabular sections and `TS/Field`. Precedence: `*` > `**` > list.
 * As in OData, a navigation link is served only when its navigation property is selected (by name, `*` or `**`).
 * Presentation fields (`X____Presentation`, `*____Presentation`, `Presentation`) come only when listed.
 */
export interface Selection {
  field: (name: string) => boolean
  /** The row-field filter of a selected tabular section, or undefined if the section is not selected. */
  collection: (name: string) => ((rowField: string) => boolean) | undefined
  navigation: (name: string) => boolean
  /** `X____Presentation` is asked for (X as presentation.ts names it). */
  presentation: (name: string) => boolean
  /** `Presentation`, the entity's own. */
  ownPresentation: boolean
  /** Any presentation at all is asked for. */
  presenting: boolean
}

const everything = (): boolean => true
const nothing = (): boolean => false

export const SELECT_ALL: Selection = { field: everything, collection: () => everything, navigation: everything, presentation: nothing, ownPresentation: false, presenting: false }

const SELECT_NOTHING: Selection = { field: nothing, collection: () => undefined, navigation: nothing, presentation: nothing, ownPresentation: false, presenting: false }

export function parseSelect (text: string | undefined, resource: Resource, publication: Publication): Selection {
  if (text === undefined || text.trim() === '') return SELECT_ALL
  const items = text.split(',').map((item) => item.trim())
  if (items.some((item) => item === '')) throw queryOptionError('пустой элемент в $select')
  const presented = new Set<string>()
  let allPresentations = false
  let ownPresentation = false
  const rest: string[] = []
  for (const item of items) {
    if (item !== 'Presentation' && !item.endsWith(PRESENTATION_SUFFIX)) { rest.push(item); continue }
    // "Получение представления не поддерживается для табличных частей" (DOC §17.4.3).
    if (resource.kind === 'TabularSection') throw queryOptionError(`представления недоступны для строк табличных частей ("${item}")`)
    if (item === 'Presentation') { ownPresentation = true; continue }
    const name = item.slice(0, -PRESENTATION_SUFFIX.length)
    if (name === '*') { allPresentations = true; continue }
    if (!presentableFields(resource).has(name)) throw queryOptionError(`неизвестное свойство "${item}" в $select`)
    presented.add(name)
  }
  const base = rest.length === 0 ? SELECT_NOTHING : fieldSelection(rest, resource, publication)
  return {
    ...base,
    presentation: allPresentations ? everything : (name) => presented.has(name),
    ownPresentation,
    presenting: allPresentations || ownPresentation || presented.size > 0,
  }
}

function fieldSelection (items: string[], resource: Resource, publication: Publication): Selection {
  if (items.includes('*')) return SELECT_ALL
  if (items.includes('**')) return { ...SELECT_ALL, collection: () => undefined }
  const fields = new Set<string>()
  const navigations = new Set<string>()
  const collections = new Map<string, Set<string> | 'all'>()
  for (const item of items) {
    const [head, ...rest] = item.split('/').map((part) => part.trim())
    const name = head as string
    const collection = resource.collectionByName.get(name)
    if (rest.length > 0) {
      const rowField = rest.join('/')
      if (collection === undefined || rest.length > 1) throw queryOptionError(`неверный элемент $select "${item}"`)
      if (rowField === '*') { collections.set(name, 'all'); continue }
      if (!collection.resource.fieldByName.has(rowField)) throw queryOptionError(`табличная часть "${name}" не содержит поля "${rowField}"`)
      const chosen = collections.get(name)
      if (chosen !== 'all') collections.set(name, (chosen ?? new Set()).add(rowField))
      continue
    }
    const field = resource.fieldByName.get(name)
    if (field !== undefined) {
      fields.add(name)
      if (field.role === 'value' && field.property.composite !== undefined) fields.add(`${name}_Type`)
      continue
    }
    if (collection !== undefined) { collections.set(name, 'all'); continue }
    if (publication.navigation(resource, name) !== undefined) { navigations.add(name); continue }
    throw queryOptionError(`неизвестное свойство "${name}" в $select`)
  }
  return {
    field: (name) => fields.has(name),
    collection: (name) => {
      const chosen = collections.get(name)
      if (chosen === undefined) return undefined
      return chosen === 'all' ? everything : (rowField) => chosen.has(rowField)
    },
    navigation: (name) => navigations.has(name),
    presentation: nothing,
    ownPresentation: false,
    presenting: false,
  }
}
