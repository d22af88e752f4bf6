import type { Publication } from './publication.js'
import type { FieldDef, Resource, ResourceModel } from './resources.js'
import type { Settings } from './settings.js'
import { XML_DECLARATION, escapeXml } from './xml.js'

/**
 * `$metadata` (XML only, onec-odata.md §2.1), shaped like the real UT EDMX
 * (fixtures/onec/ut-real-edmx-excerpt.xml): one EntityType per published set and per tabular-section set,
 * `_RowType` ComplexTypes, EnumTypes whose members carry no `Value=`, an Association and a
 * NavigationProperty for each `X_Key` whose target is published, the `EnterpriseV8` container in namespace
 * `StandardODATA`, and bound Post/Unpost FunctionImports for documents that may be posted.
 */
export function metadataDocument (model: ResourceModel, publication: Publication, settings: Settings): string {
  const resources = publication.resources()
  const out: string[] = [
    XML_DECLARATION,
    '<edmx:Edmx xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx" Version="1.0">',
    '  <edmx:DataServices xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata" m:DataServiceVersion="3.0" m:MaxDataServiceVersion="3.0">',
    '    <Schema xmlns="http://schemas.microsoft.com/ado/2009/11/edm" Namespace="StandardODATA">',
  ]
  for (const resource of resources) out.push(...entityType(resource, publication))
  for (const resource of resources) {
    for (const collection of resource.collections) {
      out.push(`      <ComplexType Name="${escapeXml(collection.rowTypeName)}">`)
      for (const field of collection.resource.fields) out.push(`        ${propertyElement(field)}`)
      out.push('      </ComplexType>')
    }
  }
  for (const e of model.schema.enums) {
    out.push(`      <EnumType Name="${escapeXml(e.name)}" UnderlyingType="Edm.Int32">`)
    for (const member of e.members) out.push(`        <Member Name="${escapeXml(member)}"/>`)
    out.push('      </EnumType>')
  }
  for (const resource of resources) {
    for (const nav of publication.navigations(resource)) {
      out.push(
        `      <Association Name="${escapeXml(`${resource.name}_${nav.navigation}`)}">`,
        `        <End Role="Begin" Type="StandardODATA.${escapeXml(resource.name)}" Multiplicity="*"/>`,
        `        <End Role="End" Type="StandardODATA.${escapeXml(nav.target)}" Multiplicity="0..1"/>`,
        '      </Association>',
      )
    }
  }
  out.push('      <EntityContainer Name="EnterpriseV8" m:IsDefaultEntityContainer="true">')
  for (const resource of resources) {
    out.push(`        <EntitySet Name="${escapeXml(resource.name)}" EntityType="StandardODATA.${escapeXml(resource.name)}"/>`)
  }
  for (const resource of resources) {
    if (resource.kind !== 'Document' || !settings.postableDocuments.includes(resource.name)) continue
    for (const action of ['Post', 'Unpost']) {
      out.push(
        `        <FunctionImport Name="${action}" IsBindable="true" IsSideEffecting="true">`,
        `          <Parameter Name="bindingParameter" Type="StandardODATA.${escapeXml(resource.name)}"/>`,
        '          <Parameter Name="PostingModeOperational" Type="Edm.Boolean"/>',
        '        </FunctionImport>',
      )
    }
  }
  out.push('      </EntityContainer>', '    </Schema>', '  </edmx:DataServices>', '</edmx:Edmx>')
  return out.join('\n')
}

function entityType (resource: Resource, publication: Publication): string[] {
  const out = [`      <EntityType Name="${escapeXml(resource.name)}"${resource.openType ? ' OpenType="true"' : ''}>`, '        <Key>']
  const keyNames = resource.fields.filter((f) => resource.key.includes(f.property.name)).map((f) => f.name)
  for (const name of keyNames) out.push(`          <PropertyRef Name="${escapeXml(name)}"/>`)
  out.push('        </Key>')
  for (const field of resource.fields) out.push(`        ${propertyElement(field)}`)
  for (const collection of resource.collections) {
    out.push(`        <Property Name="${escapeXml(collection.name)}" Type="Collection(StandardODATA.${escapeXml(collection.rowTypeName)})" Nullable="true"/>`)
  }
  for (const nav of publication.navigations(resource)) {
    out.push(`        <NavigationProperty Name="${escapeXml(nav.navigation)}" Relationship="StandardODATA.${escapeXml(`${resource.name}_${nav.navigation}`)}" FromRole="Begin" ToRole="End"/>`)
  }
  out.push('      </EntityType>')
  return out
}

function propertyElement (field: FieldDef): string {
  return `<Property Name="${escapeXml(field.name)}" Type="${field.type}" Nullable="${field.nullable ? 'true' : 'false'}"/>`
}
