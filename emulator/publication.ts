import type { ReferenceDef, Resource, ResourceModel } from './resources.js'

/**
 * The composition of the standard OData interface (onec-odata.md §6.3): which main objects are published.
 * A tabular-section set is published with its owner. Everything else is absent from the metadata, the
 * service document and the URL space.
 */
export class Publication {
  private readonly model: ResourceModel
  private published = new Set<string>()

  constructor (model: ResourceModel, composition?: string[]) {
    this.model = model
    this.set(composition)
  }

  /** Replaces the whole composition, as `УстановитьСоставСтандартногоИнтерфейсаOData` does; undefined = everything. */
  set (composition?: string[]): void {
    const mains = this.model.resources.filter((r) => r.kind !== 'TabularSection')
    if (composition === undefined) {
      this.published = new Set(mains.map((r) => r.name))
      return
    }
    for (const name of composition) {
      const resource = this.model.get(name)
      if (resource === undefined) throw new Error(`composition: ${name} is not an entity set of the configuration`)
      if (resource.kind === 'TabularSection') throw new Error(`composition: ${name} is a tabular section; publish its owner ${resource.set.name}`)
    }
    this.published = new Set(composition)
  }

  names (): string[] {
    return [...this.published]
  }

  isPublished (resource: Resource): boolean {
    return this.published.has(resource.set.name)
  }

  /** Published resources in schema order, tabular-section sets after their owner. */
  resources (): Resource[] {
    return this.model.resources.filter((r) => this.isPublished(r))
  }

  /** A published resource by name. */
  resolve (name: string): Resource | undefined {
    const resource = this.model.get(name)
    return resource !== undefined && this.isPublished(resource) ? resource : undefined
  }

  /** Navigation properties exist only for references whose target is published (onec-odata.md §1.4). */
  navigations (resource: Resource): ReferenceDef[] {
    return resource.references.filter((ref) => this.published.has(ref.target))
  }

  navigation (resource: Resource, name: string): ReferenceDef | undefined {
    return this.navigations(resource).find((ref) => ref.navigation === name)
  }
}
