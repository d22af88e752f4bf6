import { readFile } from 'node:fs/promises'
import vm from 'node:vm'
import t from 'tap'
import { XMLParser } from 'fast-xml-parser'
import { request } from 'undici'
import { guidToRef, parseNavigationLink, refToGuid } from '../../emulator/navigation-link.js'
import type { ConfigurationSchema } from '../../emulator/schema/model.js'
import { basicAuth, call, encodeUrl, ids, odata, startTestEmulator } from '../support/emulator-base.js'

/** Conformance of representations: onec-odata.md §1 (naming, metadata), §2 (formats), §9 (web client). */

const ARRAYS = new Set(['EntityType', 'Property', 'PropertyRef', 'ComplexType', 'EnumType', 'Member', 'Association', 'End',
  'EntitySet', 'FunctionImport', 'NavigationProperty', 'Parameter', 'entry', 'link', 'collection', 'd:element'])
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, isArray: (name) => ARRAYS.has(name) })

type Xml = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any -- parsed XML, asserted by shape

const fixture = async (name: string): Promise<string> => await readFile(new URL(`../../fixtures/onec/${name}`, import.meta.url), 'utf8')

t.test('§2.1 Atom is the default; $format=json, $format=application/json;odata=… and Accept: application/json give JSON', async (t) => {
  const emulator = await startTestEmulator(t)
  const atom = await odata(emulator, 'Catalog_Партнеры')
  t.equal(atom.status, 200)
  t.equal(atom.headers['content-type'], 'application/atom+xml;type=feed;charset=utf-8')
  t.equal(atom.headers.dataserviceversion, '3.0')
  for (const variant of ['?$format=json', '?$format=application/json', '?$format=application/json;odata=minimalmetadata']) {
    const answer = await odata(emulator, `Catalog_Партнеры${variant}`)
    t.equal(answer.headers['content-type'], 'application/json;charset=utf-8', variant)
    t.ok(answer.json()['odata.metadata'], `${variant} is minimal metadata`)
  }
  const byAccept = await odata(emulator, 'Catalog_Партнеры', { headers: { accept: 'application/json' } })
  t.equal(byAccept.headers['content-type'], 'application/json;charset=utf-8')
  const explicitAtom = await odata(emulator, 'Catalog_Партнеры?$format=atom', { headers: { accept: 'application/json' } })
  t.equal(explicitAtom.headers['content-type'], 'application/atom+xml;type=feed;charset=utf-8', '$format wins over Accept')
  const unsupported = await odata(emulator, 'Catalog_Партнеры?$format=csv')
  t.equal(unsupported.status, 400)
  t.match(unsupported.text, /<m:code>3<\/m:code>/, 'an unknown representation is code 3')
})

t.test('§2.2 service document in JSON lists main and tabular-section sets of the published composition only', async (t) => {
  const emulator = await startTestEmulator(t, { composition: ['Catalog_Партнеры', 'InformationRegister_ЖурналЗвонков3CX'] })
  const answer = await odata(emulator, '?$format=json')
  t.equal(answer.status, 200)
  const body = answer.json()
  t.equal(body['odata.metadata'], emulator.odataUrl, 'odata.metadata is the service root')
  t.same(body.value, [
    { name: 'Catalog_Партнеры', url: 'Catalog_Партнеры' },
    { name: 'Catalog_Партнеры_КонтактнаяИнформация', url: 'Catalog_Партнеры_КонтактнаяИнформация' },
    { name: 'Catalog_Партнеры_ДополнительныеРеквизиты', url: 'Catalog_Партнеры_ДополнительныеРеквизиты' },
    { name: 'InformationRegister_ЖурналЗвонков3CX', url: 'InformationRegister_ЖурналЗвонков3CX' },
  ])
  const real = JSON.parse(await fixture('moon_service_document.json'))
  t.same(Object.keys(body), Object.keys(real), 'same envelope keys as the real service document')
  const withSlash = await call(`${emulator.odataUrl}/?$format=json`, {})
  t.equal(withSlash.status, 200, 'the root with a trailing slash is the service document too')
})

t.test('§2.2 service document in Atom: workspace "Default", one collection per set; empty when nothing is published', async (t) => {
  const emulator = await startTestEmulator(t, { composition: ['Catalog_Пользователи'] })
  const answer = await odata(emulator, '')
  t.equal(answer.headers['content-type'], 'application/atomsvc+xml;charset=utf-8')
  const doc = xml.parse(answer.text) as Xml
  t.equal(doc.service.workspace['atom:title'], 'Default')
  t.same(doc.service.workspace.collection.map((c: Xml) => c['@href']), ['Catalog_Пользователи', 'Catalog_Пользователи_КонтактнаяИнформация'])
  emulator.controls.setComposition([])
  const empty = xml.parse((await odata(emulator, '')).text) as Xml
  t.equal(empty.service.workspace.collection, undefined)
  t.equal(empty.service.workspace['atom:title'], 'Default')
})

t.test('§1.4 $metadata is XML only and shaped like the real UT EDMX excerpt', async (t) => {
  const emulator = await startTestEmulator(t)
  const answer = await odata(emulator, '$metadata?$format=json')
  t.equal(answer.status, 200)
  t.equal(answer.headers['content-type'], 'application/xml;charset=utf-8', 'XML even when JSON is asked for')
  const ours = xml.parse(answer.text) as Xml
  const real = xml.parse(await fixture('ut-real-edmx-excerpt.xml')) as Xml
  const services = ours['edmx:Edmx']['edmx:DataServices']
  const realServices = real['edmx:Edmx']['edmx:DataServices']
  for (const attribute of ['@m:DataServiceVersion', '@m:MaxDataServiceVersion', '@xmlns:m']) {
    t.equal(services[attribute], realServices[attribute], attribute)
  }
  const schema = services.Schema
  t.equal(schema['@Namespace'], 'StandardODATA')
  t.equal(schema['@xmlns'], realServices.Schema['@xmlns'])
  const container = schema.EntityContainer
  t.equal(container['@Name'], 'EnterpriseV8')
  t.equal(container['@m:IsDefaultEntityContainer'], 'true')

  const types = new Map<string, Xml>(schema.EntityType.map((e: Xml) => [e['@Name'], e]))
  const counterparty = types.get('Catalog_Контрагенты') as Xml
  t.same(counterparty.Key.PropertyRef.map((p: Xml) => p['@Name']), ['Ref_Key'])
  t.same(counterparty.Property[0], { '@Name': 'Ref_Key', '@Type': 'Edm.Guid', '@Nullable': 'false' }, 'Ref_Key as in the real type')
  t.same(counterparty.Property.find((p: Xml) => p['@Name'] === 'КонтактнаяИнформация'),
    { '@Name': 'КонтактнаяИнформация', '@Type': 'Collection(StandardODATA.Catalog_Контрагенты_КонтактнаяИнформация_RowType)', '@Nullable': 'true' })
  const navigations = counterparty.NavigationProperty.map((n: Xml) => n['@Name'])
  t.ok(navigations.includes('ГоловнойКонтрагент'), 'a self reference has a navigation property, as in the real EDMX')
  t.notOk(navigations.includes('Партнер'), 'Партнер_Key has none, as in the real EDMX')
  t.same(counterparty.NavigationProperty.find((n: Xml) => n['@Name'] === 'ГоловнойКонтрагент'),
    real['edmx:Edmx']['edmx:DataServices'].Schema.EntityType.find((e: Xml) => e['@Name'] === 'Catalog_Контрагенты').NavigationProperty[0])

  const rows = types.get('Catalog_Контрагенты_КонтактнаяИнформация') as Xml
  const realRows = realServices.Schema.EntityType.find((e: Xml) => e['@Name'] === 'Catalog_Контрагенты_КонтактнаяИнформация')
  t.same(rows.Key, realRows.Key, 'tabular-section set keyed by Ref_Key + LineNumber')
  t.same(rows.Property.map((p: Xml) => [p['@Name'], p['@Type']]), realRows.Property.map((p: Xml) => [p['@Name'], p['@Type']]),
    'the contact-information row type has exactly the real columns')

  const complex = new Map<string, Xml>(schema.ComplexType.map((c: Xml) => [c['@Name'], c]))
  const realComplex = new Map<string, Xml>(realServices.Schema.ComplexType.map((c: Xml) => [c['@Name'], c]))
  t.same(complex.get('Catalog_Контрагенты_ДополнительныеРеквизиты_RowType'), realComplex.get('Catalog_Контрагенты_ДополнительныеРеквизиты_RowType'),
    'RowType with a composite: Значение_Type comes last, as in the real EDMX')

  const genders = schema.EnumType.find((e: Xml) => e['@Name'] === 'ПолФизическогоЛица')
  t.equal(genders['@UnderlyingType'], 'Edm.Int32')
  t.same(genders.Member, [{ '@Name': 'Мужской' }, { '@Name': 'Женский' }], 'members without Value=')

  const association = schema.Association.find((a: Xml) => a['@Name'] === 'Catalog_Контрагенты_ГоловнойКонтрагент')
  t.same(association, realServices.Schema.Association.find((a: Xml) => a['@Name'] === 'Catalog_Контрагенты_ГоловнойКонтрагент'))
  t.ok(schema.Association.some((a: Xml) => a['@Name'] === 'Catalog_Партнеры_Parent'), 'a hierarchical catalog links to its parent')

  const sets = container.EntitySet.map((s: Xml) => s['@Name'])
  t.ok(sets.includes('Catalog_Партнеры_КонтактнаяИнформация'))
  t.ok(sets.includes('InformationRegister_ЖурналЗвонков3CX'))
  t.equal(container.FunctionImport, undefined, 'no Post/Unpost: ТелефонныйЗвонок may not be posted (§8)')

  const register = types.get('InformationRegister_ЖурналЗвонков3CX') as Xml
  t.same(register.Key.PropertyRef, [{ '@Name': 'ИдентификаторЗвонка' }], 'independent register keyed by its dimension')
  t.equal(register.Property.at(-1)['@Name'], 'Контрагент_Type')
})

t.test('§1.4 §6.3 an unpublished target loses its navigation property; an unpublished set leaves $metadata', async (t) => {
  const emulator = await startTestEmulator(t, { composition: ['Catalog_КонтактныеЛицаПартнеров'] })
  const schema = (xml.parse((await odata(emulator, '$metadata')).text) as Xml)['edmx:Edmx']['edmx:DataServices'].Schema
  t.same(schema.EntityContainer.EntitySet.map((s: Xml) => s['@Name']),
    ['Catalog_КонтактныеЛицаПартнеров', 'Catalog_КонтактныеЛицаПартнеров_КонтактнаяИнформация', 'Catalog_КонтактныеЛицаПартнеров_ДополнительныеРеквизиты'])
  const persons = schema.EntityType.find((e: Xml) => e['@Name'] === 'Catalog_КонтактныеЛицаПартнеров')
  t.equal(persons.NavigationProperty, undefined, 'Owner points to unpublished Партнеры: no navigation property')
  t.equal(schema.Association, undefined)
  const json = (await odata(emulator, `Catalog_КонтактныеЛицаПартнеров(guid'${ids.petrov}')?$format=json`)).json()
  t.notOk('Owner@navigationLinkUrl' in json, 'and no navigation link')
})

t.test('§2.2 collection envelope: odata.metadata ends with #Set and Int64 LineNumber is a string', async (t) => {
  const emulator = await startTestEmulator(t)
  const body = (await odata(emulator, 'Catalog_Партнеры?$format=json')).json()
  t.equal(body['odata.metadata'], `${decodeURI(emulator.odataUrl)}/$metadata#Catalog_Партнеры`)
  t.same(Object.keys(body), ['odata.metadata', 'value'])
  t.equal(body.value.length, 4, 'no $top: the whole set (§3.2)')
  const romashka = body.value.find((p: Xml) => p.Ref_Key === ids.romashka)
  t.same(romashka.КонтактнаяИнформация.map((r: Xml) => [r.Ref_Key, r.LineNumber]), [[ids.romashka, '1'], [ids.romashka, '2']],
    'embedded rows carry the owner Ref_Key and a string LineNumber (§1.5, MOON)')
  t.same(body.value.find((p: Xml) => p.Ref_Key === ids.folderClients).КонтактнаяИнформация, [], 'an empty section is []')
  const real = JSON.parse(await fixture('moon_Document_ПриходныйОрдер_list.json'))
  t.same(Object.keys(body), Object.keys(real), 'same envelope as the real list')
})

t.test('§2.2 single entity: #Set/@Element, properties at top level, relative navigation links only for filled references', async (t) => {
  const emulator = await startTestEmulator(t)
  const body = (await odata(emulator, `Catalog_Партнеры(guid'${ids.romashka}')?$format=json`)).json()
  t.equal(body['odata.metadata'], `${decodeURI(emulator.odataUrl)}/$metadata#Catalog_Партнеры/@Element`)
  t.equal(body.Description, 'ООО «Ромашка»')
  t.equal(body['Parent@navigationLinkUrl'], `Catalog_Партнеры(guid'${ids.romashka}')/Parent`)
  t.equal(body['ОсновнойМенеджер@navigationLinkUrl'], `Catalog_Партнеры(guid'${ids.romashka}')/ОсновнойМенеджер`)
  const keys = Object.keys(body)
  t.ok(keys.indexOf('Parent@navigationLinkUrl') > keys.indexOf('ДополнительныеРеквизиты'), 'links come after the properties')
  const noManager = (await odata(emulator, `Catalog_Партнеры(guid'${ids.lyutik}')?$format=json`)).json()
  t.notOk('ОсновнойМенеджер@navigationLinkUrl' in noManager, 'no link where the reference is empty (MOON list, Контрагент)')
  const real = JSON.parse(await fixture('odinesnik_Catalog_Контрагенты_element.json'))
  t.match(real['odata.metadata'], /\/@Element$/)
  t.match(real['Город@navigationLinkUrl'], /^Catalog_Контрагенты\(guid'[0-9a-f-]{36}'\)\/Город$/, 'the capture has the same link shape')
})

t.test('§2.1 §2.2 nometadata drops odata.metadata and links; fullmetadata adds type, id and edit link', async (t) => {
  const emulator = await startTestEmulator(t)
  const none = (await odata(emulator, `Catalog_Партнеры(guid'${ids.romashka}')?$format=application/json;odata=nometadata`)).json()
  t.notOk('odata.metadata' in none)
  t.notOk(Object.keys(none).some((k) => k.endsWith('@navigationLinkUrl')), 'links presumed omitted [UNCERTAIN]: default')
  t.equal(none.Description, 'ООО «Ромашка»')
  const list = (await odata(emulator, 'Catalog_Пользователи', { headers: { accept: 'application/json;odata=nometadata' } })).json()
  t.same(Object.keys(list), ['value'])
  const full = (await odata(emulator, `Catalog_Партнеры(guid'${ids.romashka}')?$format=application/json;odata=fullmetadata`)).json()
  t.equal(full['odata.type'], 'StandardODATA.Catalog_Партнеры')
  t.equal(full['odata.editLink'], `Catalog_Партнеры(guid'${ids.romashka}')`)
  t.equal(full['odata.id'], `${decodeURI(emulator.odataUrl)}/Catalog_Партнеры(guid'${ids.romashka}')`)
  const withLinks = await startTestEmulator(t, { navigationLinksInNoMetadata: true })
  const kept = (await odata(withLinks, `Catalog_Партнеры(guid'${ids.romashka}')?$format=application/json;odata=nometadata`)).json()
  t.ok('Parent@navigationLinkUrl' in kept, 'the switch keeps them')
})

t.test('§2.3 value formats: zeros for the empty reference, year-1 empty date, Int64 as a string, enum member names, composites with _Type', async (t) => {
  const emulator = await startTestEmulator(t)
  const partner = (await odata(emulator, `Catalog_Партнеры(guid'${ids.lyutik}')?$format=json`)).json()
  t.equal(partner.ОсновнойМенеджер_Key, '00000000-0000-0000-0000-000000000000')
  t.equal(partner.ДатаРождения, '0001-01-01T00:00:00')
  t.equal(partner.ДатаРегистрации, '2015-06-30T00:00:00', 'a date-only value loads as midnight, no zone, no fraction')
  t.equal(partner.ЮрФизЛицо, 'Компания')
  t.equal(partner.Пол, '', 'empty enum is ""')
  t.equal(partner.DeletionMark, true)
  t.match(partner.DataVersion, /^[A-Za-z0-9+/]{11}=$/, 'DataVersion is base64 of 8 bytes')
  const users = (await odata(emulator, `Catalog_Пользователи(guid'${ids.managerPetrova}')?$format=json`)).json()
  t.equal(users.Ref_Key, ids.managerPetrova, 'GUIDs loaded in upper case are served lower case')
  const register = (await odata(emulator, 'InformationRegister_ЖурналЗвонков3CX?$format=json')).json().value[0]
  t.equal(register.Длительность, '95', 'Int64 attributes are strings too')
  t.equal(register.Контрагент, ids.romashka)
  t.equal(register.Контрагент_Type, 'StandardODATA.Catalog_Партнеры')
  t.equal(register.Очередь, '')
  const person = (await odata(emulator, `Catalog_КонтактныеЛицаПартнеров(guid'${ids.sidorova}')?$format=json`)).json()
  t.equal(person.Автор, '')
  t.equal(person.Автор_Type, 'StandardODATA.Undefined', 'Неопределено in a composite (DOC §17.4.3)')
  t.equal(person.Owner_Key, ids.ivanov)
})

t.test('§2.2 $inlinecount=allpages: odata.count is a string and $top/$skip are ignored (DOC §17.4.6.2); Atom gives m:count', async (t) => {
  const emulator = await startTestEmulator(t)
  const body = (await odata(emulator, "Catalog_Партнеры?$format=json&$inlinecount=allpages&$top=1&$skip=1&$filter=IsFolder eq false")).json()
  t.same(Object.keys(body), ['odata.metadata', 'odata.count', 'value'])
  t.equal(body['odata.count'], '3')
  t.equal(body.value.length, 3)
  const none = (await odata(emulator, 'Catalog_Партнеры?$format=json&$inlinecount=none&$top=1')).json()
  t.notOk('odata.count' in none)
  t.equal(none.value.length, 1)
  const feed = xml.parse((await odata(emulator, 'Catalog_Партнеры?$inlinecount=allpages')).text) as Xml
  t.equal(feed.feed['m:count'], '4')
})

t.test('§2.2 /$count is a plain number and honours $filter (DOC §17.4.6.1)', async (t) => {
  const emulator = await startTestEmulator(t)
  const all = await odata(emulator, 'Catalog_Партнеры_КонтактнаяИнформация/$count')
  t.equal(all.status, 200)
  t.equal(all.headers['content-type'], 'text/plain;charset=utf-8')
  t.equal(all.text, '4')
  t.equal((await odata(emulator, "Catalog_Партнеры_КонтактнаяИнформация/$count?$filter=Тип eq 'Телефон'")).text, '3')
})

t.test('§2.1 Atom entry shaped like the real odinesnik capture', async (t) => {
  const emulator = await startTestEmulator(t)
  const answer = await odata(emulator, `Catalog_Партнеры(guid'${ids.romashka}')`)
  t.equal(answer.headers['content-type'], 'application/atom+xml;type=entry;charset=utf-8')
  const ours = (xml.parse(answer.text) as Xml).entry[0]
  const real = (xml.parse(await fixture('odinesnik_Catalog_Контрагенты_element.atom.xml')) as Xml).entry[0]
  for (const ns of ['@xmlns', '@xmlns:d', '@xmlns:m']) t.equal(ours[ns], real[ns], ns)
  t.equal(ours['@xml:base'], `${decodeURI(emulator.odataUrl)}/`)
  t.equal(ours.id, `${decodeURI(emulator.odataUrl)}/Catalog_Партнеры(guid'${ids.romashka}')`)
  t.equal(ours.category['@term'], 'StandardODATA.Catalog_Партнеры')
  t.equal(ours.category['@scheme'], real.category['@scheme'])
  t.same(Object.keys(ours).filter((k) => !k.startsWith('@')), Object.keys(real).filter((k) => !k.startsWith('@')), 'same children')
  const realRelated = real.link[0]
  const related = ours.link.find((l: Xml) => l['@title'] === 'Parent')
  t.same(Object.keys(related), Object.keys(realRelated))
  t.equal(related['@rel'], 'http://schemas.microsoft.com/ado/2007/08/dataservices/related/Parent')
  t.equal(related['@type'], realRelated['@type'])
  t.same(ours.link.at(-1), { '@rel': 'edit', '@href': `Catalog_Партнеры(guid'${ids.romashka}')`, '@title': 'edit-link' })
  const properties = ours.content['m:properties']
  t.equal(ours.content['@type'], 'application/xml')
  t.equal(properties['d:Description'], 'ООО «Ромашка»')
  t.equal(properties['d:PredefinedDataName'], '', 'an empty string is an empty element')
  const section = properties['d:КонтактнаяИнформация']
  t.equal(section['@m:type'], 'Collection(StandardODATA.Catalog_Партнеры_КонтактнаяИнформация_RowType)')
  t.equal(section['d:element'][0]['@m:type'], 'StandardODATA.Catalog_Партнеры_КонтактнаяИнформация_RowType')
  t.equal(section['d:element'][0]['d:LineNumber'], '1')
  t.equal(properties['d:ДополнительныеРеквизиты']['@m:type'], 'Collection(StandardODATA.Catalog_Партнеры_ДополнительныеРеквизиты_RowType)')
  t.equal(real['content']['m:properties']['d:Договоры']['@m:type'], 'Collection(StandardODATA.Catalog_Контрагенты_Договоры_RowType)', 'empty section in the capture too')
})

t.test('§2.1 Atom feed: one entry per entity, xml:base the service root', async (t) => {
  const emulator = await startTestEmulator(t)
  const feed = (xml.parse((await odata(emulator, 'Catalog_ВидыКонтактнойИнформации?$top=2')).text) as Xml).feed
  t.equal(feed['@xml:base'], `${decodeURI(emulator.odataUrl)}/`)
  t.equal(feed.title['#text'], 'Catalog_ВидыКонтактнойИнформации')
  t.equal(feed.entry.length, 2)
  t.equal(feed.entry[0].content['m:properties']['d:PredefinedDataName'], 'ТелефонПартнера')
  t.equal(feed['m:count'], undefined)
})

t.test('§3.3 navigation property, property and $value of one entity (DOC §17.4.8 "через точку")', async (t) => {
  const emulator = await startTestEmulator(t)
  const owner = (await odata(emulator, `Catalog_КонтактныеЛицаПартнеров(guid'${ids.petrov}')/Owner?$format=json`)).json()
  t.equal(owner['odata.metadata'], `${decodeURI(emulator.odataUrl)}/$metadata#Catalog_Партнеры/@Element`, 'like the MOON navigation capture')
  t.equal(owner.Ref_Key, ids.romashka)
  const name = (await odata(emulator, `Catalog_КонтактныеЛицаПартнеров(guid'${ids.petrov}')/Owner/Description?$format=json`)).json()
  t.same(name, { 'odata.metadata': `${decodeURI(emulator.odataUrl)}/$metadata#Edm.String`, value: 'ООО «Ромашка»' })
  const raw = await odata(emulator, `Catalog_Партнеры(guid'${ids.romashka}')/Description/$value`)
  t.equal(raw.text, 'ООО «Ромашка»')
  const inXml = await odata(emulator, `Catalog_Партнеры(guid'${ids.romashka}')/Code`)
  t.match(inXml.text, /<d:Code xmlns:d="[^"]+" xmlns:m="[^"]+">00000000002<\/d:Code>/)
  const empty = await odata(emulator, `Catalog_Партнеры(guid'${ids.lyutik}')/ОсновнойМенеджер?$format=json`)
  t.equal(empty.status, 404, 'navigation through an empty reference finds nothing')
  t.equal(empty.json()['odata.error'].code, '9')
  const unknown = await odata(emulator, `Catalog_Партнеры(guid'${ids.romashka}')/Нет?$format=json`)
  t.equal(unknown.status, 404)
  t.equal(unknown.json()['odata.error'].code, '6')
})

t.test('§1.1 an infobase path with Cyrillic letters works end to end', async (t) => {
  const emulator = await startTestEmulator(t, { basePath: 'УТ_11' })
  t.equal(emulator.baseUrl, `${emulator.url}/%D0%A3%D0%A2_11`)
  const body = (await call(`${emulator.odataUrl}/Catalog_Пользователи?$format=json`.replace('Catalog_Пользователи', encodeURIComponent('Catalog_Пользователи')))).json()
  t.equal(body['odata.metadata'], `${emulator.url}/УТ_11/odata/standard.odata/$metadata#Catalog_Пользователи`)
})

t.test('§9 navigation-link refs convert to GUIDs with the documented algorithm', async (t) => {
  const pairs = [
    ['51012ccc-397d-11de-b595-00055d80a2b9', 'b59500055d80a2b911de397d51012ccc'],
    ['9d5c422d-8c4c-11db-a9b0-00055d49b45e', 'a9b000055d49b45e11db8c4c9d5c422d'],
    ['1fa1a135-d89b-11e6-8343-40167e2531c3', '834340167e2531c311e6d89b1fa1a135'],
    ['5828755a-8819-11ed-89ab-000c29dddd38', '89ab000c29dddd3811ed88195828755a'],
  ]
  for (const [guid, ref] of pairs) {
    t.equal(refToGuid(ref as string), guid)
    t.equal(guidToRef(guid as string), ref)
  }
  t.equal(refToGuid('xyz'), null)
  t.same(parseNavigationLink('#e1cib/data/Справочник.Партнеры?ref=834340167e2531c311e6d89b1fa1a135'),
    { set: 'Catalog_Партнеры', guid: '1fa1a135-d89b-11e6-8343-40167e2531c3' })
  t.same(parseNavigationLink('e1cib/data/Документ.ТелефонныйЗвонок?ref=89ab000c29dddd3811ed88195828755a'),
    { set: 'Document_ТелефонныйЗвонок', guid: '5828755a-8819-11ed-89ab-000c29dddd38' })
  t.equal(parseNavigationLink('#e1cib/list/Справочник.Партнеры'), null)
})

t.test('§9 the web-client page: text/html at <basePath>/ and /ru_RU/, its script opens the card over OData', async (t) => {
  const emulator = await startTestEmulator(t)
  for (const path of ['', '/', '/ru_RU/', '/ru_RU/odata/standard.odata/Catalog_Партнеры']) {
    const page = await call(`${emulator.baseUrl}${encodeUrl(path)}`, { auth: false })
    t.equal(page.status, 200, `GET ${path || '(base)'}`)
    t.equal(page.headers['content-type'], 'text/html;charset=utf-8')
    t.match(page.text, '<title>1С:Предприятие (эмулятор)</title>')
  }
  const outside = await call(`${emulator.url}/other`, { auth: false })
  t.equal(outside.status, 404, 'outside the infobase path nothing answers')

  // Run the page's own script against the real emulator with a minimal DOM.
  const html = (await call(`${emulator.baseUrl}/`, { auth: false })).text
  const script = /<script>([\s\S]*)<\/script>/.exec(html)?.[1] as string
  interface El { tag: string, textContent: string, children: El[], append: (...c: El[]) => void, replaceChildren: () => void }
  const element = (tag: string): El => {
    const el: El = { tag, textContent: '', children: [], append: (...c) => { el.children.push(...c) }, replaceChildren: () => { el.children = [] } }
    return el
  }
  const card = element('div')
  let shown: () => void = () => {}
  const done = new Promise<void>((resolve) => { shown = resolve })
  const originalAppend = card.append
  card.append = (...c) => { originalAppend(...c); if (c.some((x) => x.tag === 'table')) shown() }
  const ref = guidToRef(ids.romashka) as string
  vm.runInNewContext(script, {
    location: { hash: `#${encodeURI(`e1cib/data/Справочник.Партнеры?ref=${ref}`)}` },
    document: { getElementById: () => card, createElement: element },
    window: { addEventListener: () => {} },
    fetch: async (url: string, init: { headers: Record<string, string> }) => {
      const response = await request(`${emulator.url}${url}`, { headers: { ...init.headers, authorization: basicAuth() } })
      const text = await response.body.text()
      return { ok: response.statusCode === 200, status: response.statusCode, json: async () => JSON.parse(text) }
    },
  })
  await done
  t.equal(card.children[0]?.textContent, 'ООО «Ромашка»', 'the card shows the description')
  const table = card.children.find((c) => c.tag === 'table') as El
  t.same(table.children.slice(1).map((row) => row.children.map((c) => c.textContent)),
    [['Телефон', '+7 (495) 123-45-67'], ['АдресЭлектроннойПочты', 'info@romashka.ru']], 'and its contact information')
})

t.test('§2.3 another configuration: fixed strings are padded, Int64 is a string, Double a number (MOON captures)', async (t) => {
  const schema: ConfigurationSchema = {
    name: 'Тест',
    sets: [{
      name: 'Catalog_Номенклатура',
      kind: 'Catalog',
      key: ['Ref_Key'],
      properties: [
        { name: 'Ref_Key', type: 'Edm.Guid', nullable: false },
        { name: 'DataVersion', type: 'Edm.String', readOnly: true },
        { name: 'Description', type: 'Edm.String', length: 50 },
        { name: 'ШтрихКод', type: 'Edm.String', length: 20, fixed: true },
        { name: 'Вес', type: 'Edm.Double' },
        { name: 'Коэффициент', type: 'Edm.Int64' },
        { name: 'Остаток', type: 'Edm.Int32' },
      ],
      tabularSections: [],
    }],
    enums: [],
  }
  const emulator = await startTestEmulator(t, { schema, data: { sets: { Catalog_Номенклатура: [{ Ref_Key: ids.romashka, Description: 'шт', ШтрихКод: '1', Вес: '20', Коэффициент: 1, Остаток: 3 }] } } })
  const item = (await odata(emulator, `Catalog_Номенклатура(guid'${ids.romashka}')?$format=json`)).json()
  t.equal(item.ШтрихКод, '1                   ', 'padded like "ШтрихКод": "1         …" in MOON')
  t.equal(item.Коэффициент, '1', '"Коэффициент": "1" as in MOON')
  t.equal(item.Вес, 20)
  t.equal(item.Остаток, 3)
  t.equal((await odata(emulator, "Catalog_Номенклатура?$format=json&$filter=ШтрихКод eq '1'")).json().value.length, 1, 'the padding does not stop eq')
  const created = (await odata(emulator, 'Catalog_Номенклатура?$format=json', { method: 'POST', body: { Description: 'кг', ШтрихКод: '42', Коэффициент: '1000', Остаток: 3_000_000_000 } })).json()
  t.equal(created['odata.error']?.code, '4', 'Int32 out of range')
  const ok = (await odata(emulator, 'Catalog_Номенклатура?$format=json', { method: 'POST', body: { Description: 'кг', ШтрихКод: '42', Коэффициент: '1000', Вес: 0.5 } })).json()
  t.same([ok.ШтрихКод, ok.Коэффициент, ok.Вес], ['42                  ', '1000', 0.5])
  t.notOk('Code' in ok, 'no Code attribute, no autonumber')
})
