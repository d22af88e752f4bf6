import type { BaseData, Entity } from './types.js'
import type { Random } from './random.js'
import { KINDS } from './kinds.js'
import type { KindId } from './kinds.js'
import { renderPhone } from './phone-row.js'
import type { PhoneSpec } from './phone-spec.js'
import { trueE164 } from './truth.js'
import type { OwnerSet, PhoneTruthRow } from './truth.js'
import { EMPTY_DATE, EMPTY_REF, dataVersion } from './values.js'

/**
 * Builds UT-shaped entities (property names of emulator/schema/ut11.ts, value shapes of types.ts) and,
 * when asked, the truth row of every phone it stores. The generator and the demo's curated records both
 * go through it, so both come out in the same shape.
 */

export interface BuilderOptions {
  /** Keep a PhoneTruthRow for each phone row (costs memory; the emulator does not need it). */
  collectTruth: boolean
  /** See RenderOptions.countryCodePlus (an uncertain BSP detail). */
  countryCodePlus: boolean
}

/** An object that owns a `КонтактнаяИнформация` section. */
export interface Owner {
  set: OwnerSet
  entity: Entity
  /** See PhoneTruthRow.partnerKey. */
  partnerKey: string
  rows: Entity[]
}

export interface PartnerInput {
  description: string
  fullName: string
  kind: 'Компания' | 'ЧастноеЛицо'
  parentKey: string
  client: boolean
  supplier: boolean
  managerKey: string
  registered: string
  sex: '' | 'Мужской' | 'Женский'
  birthDate: string
  comment: string
  deletionMark: boolean
}

export interface CounterpartyInput {
  description: string
  fullName: string
  partnerKey: string
  legal: 'ЮрЛицо' | 'ИндивидуальныйПредприниматель' | 'ЮрЛицоНеРезидент'
  inn: string
  kpp: string
  headKey: string
  deletionMark: boolean
}

export interface ContactPersonInput {
  ownerKey: string
  description: string
  position: string
  sex: 'Мужской' | 'Женский'
  birthDate: string
  authorKey: string
  registered: string
  ended: string
  comment: string
  deletionMark: boolean
}

export interface UserInput {
  description: string
  service: boolean
  invalid: boolean
  comment: string
}

export interface AddressInput {
  presentation: string
  region: string
  city: string
}

const ROW_SETS: Record<OwnerSet, string> = {
  Catalog_Партнеры: 'Catalog_Партнеры_КонтактнаяИнформация',
  Catalog_Контрагенты: 'Catalog_Контрагенты_КонтактнаяИнформация',
  Catalog_КонтактныеЛицаПартнеров: 'Catalog_КонтактныеЛицаПартнеров_КонтактнаяИнформация',
  Catalog_Пользователи: 'Catalog_Пользователи_КонтактнаяИнформация',
}

const USER_TYPE = 'StandardODATA.Catalog_Пользователи'

type RowColumn = 'Представление' | 'Страна' | 'Регион' | 'Город' | 'АдресЭП' | 'ДоменноеИмяСервера' | 'НомерТелефона' | 'НомерТелефонаБезКодов' | 'Значение'

export class BaseBuilder {
  readonly random: Random
  readonly truth: PhoneTruthRow[] | null
  private readonly options: BuilderOptions
  private readonly sets: Record<string, Entity[]>
  private readonly kindKeys = new Map<string, string>()
  private partnerCode = 0

  constructor (random: Random, options: BuilderOptions) {
    this.random = random
    this.options = options
    this.truth = options.collectTruth ? [] : null
    this.sets = {
      Catalog_Партнеры: [],
      Catalog_Контрагенты: [],
      Catalog_КонтактныеЛицаПартнеров: [],
      Catalog_ВидыКонтактнойИнформации: [],
      Catalog_Пользователи: [],
      Document_ТелефонныйЗвонок: [],
      InformationRegister_ЖурналЗвонков3CX: [],
    }
    this.addKinds()
  }

  kindKey (id: KindId): string {
    const key = this.kindKeys.get(id)
    if (key === undefined) throw new Error(`unknown contact-information kind ${id}`)
    return key
  }

  private list (set: string): Entity[] {
    const list = this.sets[set]
    if (list === undefined) throw new Error(`unknown set ${set}`)
    return list
  }

  private addKinds (): void {
    let order = 0
    for (const def of KINDS) {
      const key = this.random.guid()
      this.kindKeys.set(def.id, key)
      order++
      this.list('Catalog_ВидыКонтактнойИнформации').push({
        Ref_Key: key,
        DataVersion: dataVersion(this.random),
        DeletionMark: false,
        Predefined: def.predefined,
        PredefinedDataName: def.predefined ? def.id : '',
        Description: def.description,
        Parent_Key: def.parent === '' ? EMPTY_REF : (this.kindKeys.get(def.parent) ?? EMPTY_REF),
        IsFolder: def.folder,
        Тип: def.type,
        Используется: true,
        ИмяПредопределенногоВида: def.predefined ? def.id : '',
        РеквизитДопУпорядочивания: String(order),
      })
    }
  }

  addUser (input: UserInput): Owner {
    const rows: Entity[] = []
    const entity: Entity = {
      ...this.catalogHeader(false),
      Description: input.description,
      Недействителен: input.invalid,
      Служебный: input.service,
      ИдентификаторПользователяИБ: this.random.guid(),
      Комментарий: input.comment,
      КонтактнаяИнформация: rows,
    }
    this.list('Catalog_Пользователи').push(entity)
    return { set: 'Catalog_Пользователи', entity, partnerKey: EMPTY_REF, rows }
  }

  /** The standard properties every catalog item starts with; the key is drawn before the data version, always. */
  private catalogHeader (deletionMark: boolean, key: string = this.random.guid()): Entity {
    return { Ref_Key: key, DataVersion: dataVersion(this.random), DeletionMark: deletionMark, Predefined: false, PredefinedDataName: '' }
  }

  private nextPartnerCode (): string {
    this.partnerCode++
    return '00-' + String(this.partnerCode).padStart(8, '0')
  }

  /** A hierarchy folder of partners: no contact information, no attributes of its own. */
  addPartnerFolder (description: string): string {
    const key = this.random.guid()
    this.list('Catalog_Партнеры').push({
      ...this.catalogHeader(false, key),
      Code: this.nextPartnerCode(),
      Description: description,
      Parent_Key: EMPTY_REF,
      IsFolder: true,
      НаименованиеПолное: '',
      // An empty enum value is stored as "" here; how 1C serves it is uncertain (onec-odata.md §2.3), the emulator's serializer decides.
      ЮрФизЛицо: '',
      Клиент: false,
      Поставщик: false,
      ПрочиеОтношения: false,
      ОсновнойМенеджер_Key: EMPTY_REF,
      ДатаРегистрации: EMPTY_DATE,
      Пол: '',
      ДатаРождения: EMPTY_DATE,
      Комментарий: '',
      КонтактнаяИнформация: [],
      ДополнительныеРеквизиты: [],
    })
    return key
  }

  addPartner (input: PartnerInput): Owner {
    const rows: Entity[] = []
    const key = this.random.guid()
    const entity: Entity = {
      ...this.catalogHeader(input.deletionMark, key),
      Code: this.nextPartnerCode(),
      Description: input.description,
      Parent_Key: input.parentKey,
      IsFolder: false,
      НаименованиеПолное: input.fullName,
      ЮрФизЛицо: input.kind,
      Клиент: input.client,
      Поставщик: input.supplier,
      ПрочиеОтношения: !input.client && !input.supplier,
      ОсновнойМенеджер_Key: input.managerKey,
      ДатаРегистрации: input.registered,
      Пол: input.sex,
      ДатаРождения: input.birthDate,
      Комментарий: input.comment,
      КонтактнаяИнформация: rows,
      ДополнительныеРеквизиты: [],
    }
    this.list('Catalog_Партнеры').push(entity)
    return { set: 'Catalog_Партнеры', entity, partnerKey: key, rows }
  }

  addCounterparty (input: CounterpartyInput): Owner {
    const rows: Entity[] = []
    const entity: Entity = {
      ...this.catalogHeader(input.deletionMark),
      Description: input.description,
      НаименованиеПолное: input.fullName,
      ОбособленноеПодразделение: input.headKey !== EMPTY_REF,
      ЮридическоеФизическоеЛицо: input.legal === 'ИндивидуальныйПредприниматель' ? 'ФизическоеЛицо' : 'ЮридическоеЛицо',
      ГоловнойКонтрагент_Key: input.headKey,
      ИНН: input.inn,
      КПП: input.kpp,
      ДополнительнаяИнформация: '',
      Партнер_Key: input.partnerKey,
      ЮрФизЛицо: input.legal,
      КонтактнаяИнформация: rows,
      ДополнительныеРеквизиты: [],
    }
    this.list('Catalog_Контрагенты').push(entity)
    return { set: 'Catalog_Контрагенты', entity, partnerKey: input.partnerKey, rows }
  }

  addContactPerson (input: ContactPersonInput): Owner {
    const rows: Entity[] = []
    const entity: Entity = {
      ...this.catalogHeader(input.deletionMark),
      Description: input.description,
      Owner_Key: input.ownerKey,
      ДатаРегистрацииСвязи: input.registered,
      ДатаПрекращенияСвязи: input.ended,
      Автор: input.authorKey,
      Автор_Type: USER_TYPE,
      Комментарий: input.comment,
      ДолжностьПоВизитке: input.position,
      Пол: input.sex,
      ДатаРождения: input.birthDate,
      КонтактнаяИнформация: rows,
      ДополнительныеРеквизиты: [],
    }
    this.list('Catalog_КонтактныеЛицаПартнеров').push(entity)
    return { set: 'Catalog_КонтактныеЛицаПартнеров', entity, partnerKey: input.ownerKey, rows }
  }

  /**
   * Appends a `КонтактнаяИнформация` row. The row is one object literal with every column, so that all rows
   * share a compact shape; only Контрагенты keeps a history of contact information (ДействуетС, onec-odata.md §7.1).
   */
  private addRow (owner: Owner, type: string, kind: KindId, columns: Partial<Record<RowColumn, string>>): void {
    // Which rows BSP gives a ВидДляСписка is not documented; repeating Вид is a guess that keeps the reference valid.
    const kindKey = this.kindKey(kind)
    const lineNumber = String(owner.rows.length + 1)
    const c = columns
    owner.rows.push(owner.set === 'Catalog_Контрагенты'
      ? {
          Ref_Key: owner.entity.Ref_Key, LineNumber: lineNumber, Тип: type, Вид_Key: kindKey, Представление: c.Представление ?? '',
          ЗначенияПолей: '', Страна: c.Страна ?? '', Регион: c.Регион ?? '', Город: c.Город ?? '', АдресЭП: c.АдресЭП ?? '',
          ДоменноеИмяСервера: c.ДоменноеИмяСервера ?? '', НомерТелефона: c.НомерТелефона ?? '', НомерТелефонаБезКодов: c.НомерТелефонаБезКодов ?? '',
          ВидДляСписка_Key: kindKey, ДействуетС: EMPTY_DATE, Значение: c.Значение ?? '',
        }
      : {
          Ref_Key: owner.entity.Ref_Key, LineNumber: lineNumber, Тип: type, Вид_Key: kindKey, Представление: c.Представление ?? '',
          ЗначенияПолей: '', Страна: c.Страна ?? '', Регион: c.Регион ?? '', Город: c.Город ?? '', АдресЭП: c.АдресЭП ?? '',
          ДоменноеИмяСервера: c.ДоменноеИмяСервера ?? '', НомерТелефона: c.НомерТелефона ?? '', НомерТелефонаБезКодов: c.НомерТелефонаБезКодов ?? '',
          ВидДляСписка_Key: kindKey, Значение: c.Значение ?? '',
        })
  }

  addPhone (owner: Owner, spec: PhoneSpec, kind: KindId): PhoneTruthRow {
    const stored = renderPhone(spec, { countryCodePlus: this.options.countryCodePlus })
    this.addRow(owner, 'Телефон', kind, stored)
    const truth: PhoneTruthRow = {
      set: ROW_SETS[owner.set],
      ownerSet: owner.set,
      ownerKey: String(owner.entity.Ref_Key),
      ownerDescription: String(owner.entity.Description),
      ownerDeletionMark: owner.entity.DeletionMark === true,
      partnerKey: owner.partnerKey,
      lineNumber: String(owner.rows.length),
      kind,
      style: spec.style,
      stored,
      e164: trueE164(spec),
      extension: spec.ext === '' ? null : spec.ext,
      region: spec.region === '' ? null : spec.region,
      numberType: spec.type,
    }
    this.truth?.push(truth)
    return truth
  }

  addEmail (owner: Owner, address: string, kind: KindId): void {
    this.addRow(owner, 'АдресЭлектроннойПочты', kind, {
      Представление: address,
      АдресЭП: address,
      ДоменноеИмяСервера: address.slice(address.indexOf('@') + 1),
      Значение: JSON.stringify({ version: 4, value: address, type: 'АдресЭлектроннойПочты' }),
    })
  }

  addAddress (owner: Owner, address: AddressInput, kind: KindId): void {
    this.addRow(owner, 'Адрес', kind, {
      Представление: address.presentation,
      Страна: 'РОССИЯ',
      Регион: address.region,
      Город: address.city,
      Значение: JSON.stringify({ version: 4, value: address.presentation, type: 'Адрес', country: 'РОССИЯ' }),
    })
  }

  result (): { base: BaseData, truth: PhoneTruthRow[] } {
    return { base: { sets: this.sets }, truth: this.truth ?? [] }
  }
}
