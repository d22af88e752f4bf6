import { formPresentation, phoneColumns, phoneValueJson, splitTypedPhone } from './bsp-phone.js'
import type { BspPhoneFields } from './bsp-phone.js'
import { groupLocal } from './phone-spec.js'
import type { PhoneSpec } from './phone-spec.js'

/** The columns of a `КонтактнаяИнформация` phone row that depend on the number (onec-odata.md §7.1). */
export interface StoredPhone {
  Представление: string
  НомерТелефона: string
  НомерТелефонаБезКодов: string
  Значение: string
}

export interface RenderOptions {
  /**
   * Whether BSP's phone form keeps the "+" in the `countryCode` of `Значение` (`"+7"`) or not (`"7"`).
   * Uncertain (onec-odata.md §7.1 shows "7"; BSP strips a "+" when filling the columns, so "+7" may occur).
   */
  countryCodePlus: boolean
}

function extSuffix (spec: PhoneSpec): string {
  if (spec.ext === '') return ''
  return spec.variant % 2 === 0 ? ` доб. ${spec.ext}` : `, ${spec.ext}`
}

/** The text a person typed for `text-intl`, in one of four spellings. */
function intlText (spec: PhoneSpec): string {
  const grouped = groupLocal(spec.local)
  switch (spec.variant) {
    case 0: return `+${spec.country} (${spec.area}) ${grouped}`
    case 1: return `+${spec.country} ${spec.area} ${grouped}`
    case 2: return `+${spec.country}(${spec.area})${spec.local}`
    default: return `+${spec.country} ${spec.area} ${spec.local}`
  }
}

/** The text a person typed for `text-national` (trunk prefix 8), in one of four spellings. */
function nationalText (spec: PhoneSpec): string {
  const grouped = groupLocal(spec.local)
  switch (spec.variant) {
    case 0: return `8 (${spec.area}) ${grouped}`
    case 1: return `8-${spec.area}-${grouped}`
    case 2: return `8 ${spec.area} ${grouped.replace(/-/g, ' ')}`
    default: return `8(${spec.area})${spec.local}`
  }
}

function typedText (spec: PhoneSpec): string {
  switch (spec.style) {
    case 'text-intl': return intlText(spec) + extSuffix(spec)
    case 'text-national': return nationalText(spec) + extSuffix(spec)
    case 'digits-8': return `8${spec.area}${spec.local}`
    case 'digits-7': return `7${spec.area}${spec.local}`
    case 'digits-10': return `${spec.area}${spec.local}`
    case 'plus-digits': return `+${spec.country}${spec.area}${spec.local}`
    case 'local-text': return groupLocal(spec.local)
    case 'local-digits': return spec.local
    case 'internal': return spec.local
    case 'trailing-space': {
      const text = spec.country === '7' && spec.variant % 2 === 0 ? nationalText(spec) : intlText(spec)
      return text + extSuffix(spec) + (spec.variant < 2 ? ' ' : '  ')
    }
    default: return spec.country === '7' && spec.variant % 2 === 1 ? nationalText(spec) : intlText(spec)
  }
}

function fromFields (presentation: string, fields: BspPhoneFields, comment: string): StoredPhone {
  return { Представление: presentation, ...phoneColumns(fields), Значение: phoneValueJson(presentation, fields, comment) }
}

/** Renders what 1C stores for a phone entered the way `spec.style` says. */
export function renderPhone (spec: PhoneSpec, options: RenderOptions): StoredPhone {
  switch (spec.style) {
    case 'form': {
      const fields: BspPhoneFields = {
        countryCode: (options.countryCodePlus ? '+' : '') + spec.country,
        areaCode: spec.area,
        number: groupLocal(spec.local),
        extNumber: spec.ext,
      }
      return fromFields(formPresentation(fields, spec.comment), fields, spec.comment)
    }
    case 'import-raw': {
      const text = typedText(spec) + (spec.variant % 2 === 1 ? ' ' : '')
      const digits = text.replace(/[+-]/g, '')
      return { Представление: text, НомерТелефона: digits, НомерТелефонаБезКодов: digits, Значение: '' }
    }
    case 'presentation-only':
      return { Представление: typedText(spec), НомерТелефона: '', НомерТелефонаБезКодов: '', Значение: '' }
    default: {
      const text = typedText(spec)
      return fromFields(text, splitTypedPhone(text), spec.comment)
    }
  }
}
