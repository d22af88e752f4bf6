import { ODataFault } from '../errors.js'
import type { Publication } from '../publication.js'
import type { ReferenceDef, Resource } from '../resources.js'

/**
 * `$expand` for what is cheap: navigation properties of the requested collection (`Nav`, `Nav1,Nav2`, `*`).
 * Nested paths, composite expansions (`X/Document_Y/Nav`) and expansions of tabular-section sets answer
 * code 0 "not supported"; expanding on a single-entity request is unsupported in 1C too (DOC §17.4.6.4).
 */
export function parseExpand (text: string | undefined, resource: Resource, publication: Publication): ReferenceDef[] {
  if (text === undefined || text.trim() === '') return []
  if (resource.kind === 'TabularSection') throw notSupported('$expand для строк табличных частей')
  const navigations = publication.navigations(resource)
  const chosen = new Map<string, ReferenceDef>()
  for (const raw of text.split(',')) {
    const item = raw.trim()
    if (item === '*') {
      for (const navigation of navigations) chosen.set(navigation.navigation, navigation)
      continue
    }
    if (item.includes('/')) throw notSupported(`вложенное расширение "${item}"`)
    const navigation = navigations.find((n) => n.navigation === item)
    if (navigation === undefined) throw new ODataFault('10', 400, `Запрошенное свойство не найдено: ${item}`)
    chosen.set(item, navigation)
  }
  return [...chosen.values()]
}

export function notSupported (what: string): ODataFault {
  return new ODataFault('0', 400, `Возможность не поддерживается: ${what}`)
}
