import type { Text } from './types.js'

/**
 * Entity-set names in the words of a 1C administrator: `Catalog_Партнеры` is «справочник «Партнеры»»,
 * its tabular section is «табличная часть «КонтактнаяИнформация» справочника «Партнеры»» (prefixes:
 * onec-odata.md §1.2).
 */
interface KindWords { ru: string, ruOf: string, en: string, ruAcc?: string }

const KINDS: Record<string, KindWords> = {
  Catalog: { ru: 'справочник', ruOf: 'справочника', en: 'catalog' },
  Document: { ru: 'документ', ruOf: 'документа', en: 'document' },
  DocumentJournal: { ru: 'журнал документов', ruOf: 'журнала документов', en: 'document journal' },
  Constant: { ru: 'константа', ruOf: 'константы', en: 'constant', ruAcc: 'константу' },
  ExchangePlan: { ru: 'план обмена', ruOf: 'плана обмена', en: 'exchange plan' },
  ChartOfAccounts: { ru: 'план счетов', ruOf: 'плана счетов', en: 'chart of accounts' },
  ChartOfCalculationTypes: { ru: 'план видов расчета', ruOf: 'плана видов расчета', en: 'chart of calculation types' },
  ChartOfCharacteristicTypes: { ru: 'план видов характеристик', ruOf: 'плана видов характеристик', en: 'chart of characteristic types' },
  InformationRegister: { ru: 'регистр сведений', ruOf: 'регистра сведений', en: 'information register' },
  AccumulationRegister: { ru: 'регистр накопления', ruOf: 'регистра накопления', en: 'accumulation register' },
  CalculationRegister: { ru: 'регистр расчета', ruOf: 'регистра расчета', en: 'calculation register' },
  AccountingRegister: { ru: 'регистр бухгалтерии', ruOf: 'регистра бухгалтерии', en: 'accounting register' },
  BusinessProcess: { ru: 'бизнес-процесс', ruOf: 'бизнес-процесса', en: 'business process' },
  Task: { ru: 'задача', ruOf: 'задачи', en: 'task', ruAcc: 'задачу' },
}

/** A tabular-section set and its owner, e.g. Catalog_Партнеры_КонтактнаяИнформация → Catalog_Партнеры + КонтактнаяИнформация. */
export interface TabularOf {
  owner: string
  section: string
}

function split (set: string): { kind: KindWords | undefined, name: string } {
  const sep = set.indexOf('_')
  if (sep <= 0) return { kind: undefined, name: set }
  const kind = KINDS[set.slice(0, sep)]
  return kind === undefined ? { kind: undefined, name: set } : { kind, name: set.slice(sep + 1) }
}

/** The object's own name without the prefix: Catalog_Партнеры → Партнеры. */
export function objectName (set: string): string {
  return split(set).name
}

/** «справочник «Партнеры»» / `catalog "Партнеры"`. */
export function objectWords (set: string): Text {
  const { kind, name } = split(set)
  if (kind === undefined) return { ru: `объект «${set}»`, en: `object "${set}"` }
  return { ru: `${kind.ru} «${name}»`, en: `${kind.en} "${name}"` }
}

/** «справочника «Партнеры»» (the genitive, for "табличная часть … справочника …"). */
export function objectWordsOf (set: string): Text {
  const { kind, name } = split(set)
  if (kind === undefined) return { ru: `объекта «${set}»`, en: `object "${set}"` }
  return { ru: `${kind.ruOf} «${name}»`, en: `${kind.en} "${name}"` }
}

/** «справочник «Партнеры»», «константу «X»» (the accusative, for "добавьте …"). */
export function objectWordsAcc (set: string): Text {
  const { kind, name } = split(set)
  if (kind === undefined) return { ru: `объект «${set}»`, en: `object "${set}"` }
  return { ru: `${kind.ruAcc ?? kind.ru} «${name}»`, en: `${kind.en} "${name}"` }
}

/** The set in 1C words; a tabular-section set when `tabular` says whose section it is. */
export function setWords (set: string, tabular?: TabularOf): Text {
  if (tabular === undefined) return objectWords(set)
  const owner = objectWordsOf(tabular.owner)
  return { ru: `табличная часть «${tabular.section}» ${owner.ru}`, en: `tabular section "${tabular.section}" of ${owner.en}` }
}

/** The set in the accusative: «табличную часть «КонтактнаяИнформация» справочника «Партнеры»». */
export function setWordsAcc (set: string, tabular?: TabularOf): Text {
  if (tabular === undefined) return objectWordsAcc(set)
  const owner = objectWordsOf(tabular.owner)
  return { ru: `табличную часть «${tabular.section}» ${owner.ru}`, en: `tabular section "${tabular.section}" of ${owner.en}` }
}

/** Capitalises the first letter, for words that start a sentence. */
export function capital (text: Text): Text {
  const up = (s: string): string => s === '' ? s : `${s[0]?.toUpperCase() ?? ''}${s.slice(1)}`
  return { ru: up(text.ru), en: up(text.en) }
}
