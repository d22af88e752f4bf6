import { request } from 'undici'
import type { BaseData } from '../../emulator/data/types.js'
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../emulator/server.js'

/**
 * A small UT 11 base written by hand for the emulator's conformance tests, and helpers to start an
 * emulator on 127.0.0.1:0 and talk to it over real HTTP. Some rows are deliberately sloppy (LineNumber as
 * a number, missing properties, upper-case GUIDs) because the store must normalise what it loads.
 */

export const ids = {
  kindPhonePartner: '6e1a0f2c-0b5d-11e0-8a4e-000c29000001',
  kindEmailPartner: '6e1a0f2c-0b5d-11e0-8a4e-000c29000002',
  kindPhoneContact: '6e1a0f2c-0b5d-11e0-8a4e-000c29000003',
  kindPhoneCounterparty: '6e1a0f2c-0b5d-11e0-8a4e-000c29000004',
  managerIvanov: '7a2b1c3d-0b5d-11e0-8a4e-000c29000011',
  managerPetrova: '7a2b1c3d-0b5d-11e0-8a4e-000c29000012',
  folderClients: '8b3c2d4e-0b5d-11e0-8a4e-000c29000020',
  romashka: '8b3c2d4e-0b5d-11e0-8a4e-000c29000021',
  ivanov: '8b3c2d4e-0b5d-11e0-8a4e-000c29000022',
  lyutik: '8b3c2d4e-0b5d-11e0-8a4e-000c29000023',
  romashkaLegal: '9c4d3e5f-0b5d-11e0-8a4e-000c29000031',
  petrov: 'ad5e4f60-0b5d-11e0-8a4e-000c29000041',
  sidorova: 'ad5e4f60-0b5d-11e0-8a4e-000c29000042',
  call: 'be6f5071-0b5d-11e0-8a4e-000c29000051',
  missing: '00000000-1111-2222-3333-444444444444',
} as const

const phone = (kind: string, presentation: string, full: string, local: string, line: number | string): Record<string, unknown> => ({
  LineNumber: line,
  Тип: 'Телефон',
  Вид_Key: kind,
  Представление: presentation,
  НомерТелефона: full,
  НомерТелефонаБезКодов: local,
  Значение: JSON.stringify({ value: presentation, type: 'Телефон' }),
})

export function smallBase (): BaseData {
  return {
    sets: {
      Catalog_ВидыКонтактнойИнформации: [
        { Ref_Key: ids.kindPhonePartner, Description: 'Телефон', Тип: 'Телефон', PredefinedDataName: 'ТелефонПартнера', Predefined: true },
        { Ref_Key: ids.kindEmailPartner, Description: 'Email', Тип: 'АдресЭлектроннойПочты', PredefinedDataName: 'EmailПартнера', Predefined: true },
        { Ref_Key: ids.kindPhoneContact, Description: 'Телефон контактного лица', Тип: 'Телефон', PredefinedDataName: 'ТелефонКонтактногоЛицаПартнера', Predefined: true },
        { Ref_Key: ids.kindPhoneCounterparty, Description: 'Телефон контрагента', Тип: 'Телефон', PredefinedDataName: 'ТелефонКонтрагента', Predefined: true },
      ],
      Catalog_Пользователи: [
        { Ref_Key: ids.managerIvanov, Description: 'Иванов Сергей (менеджер)' },
        { Ref_Key: ids.managerPetrova.toUpperCase(), Description: 'Петрова Анна' },
      ],
      Catalog_Партнеры: [
        { Ref_Key: ids.folderClients, Description: 'Клиенты', IsFolder: true, Code: '00000000001' },
        {
          Ref_Key: ids.romashka,
          Code: '00000000002',
          Description: 'ООО «Ромашка»',
          НаименованиеПолное: 'Общество с ограниченной ответственностью «Ромашка»',
          ЮрФизЛицо: 'Компания',
          Клиент: true,
          Parent_Key: ids.folderClients,
          ОсновнойМенеджер_Key: ids.managerIvanov,
          ДатаРегистрации: '2019-03-01T10:00:00',
          Комментарий: 'ключевой клиент',
          КонтактнаяИнформация: [
            phone(ids.kindPhonePartner, '+7 (495) 123-45-67', '74951234567', '1234567', 1),
            { LineNumber: '2', Тип: 'АдресЭлектроннойПочты', Вид_Key: ids.kindEmailPartner, Представление: 'info@romashka.ru', АдресЭП: 'info@romashka.ru', ДоменноеИмяСервера: 'romashka.ru' },
          ],
        },
        {
          Ref_Key: ids.ivanov,
          Code: '00000000003',
          Description: 'Иванов Иван Иванович',
          ЮрФизЛицо: 'ЧастноеЛицо',
          Клиент: true,
          Parent_Key: ids.folderClients,
          ОсновнойМенеджер_Key: ids.managerPetrova,
          ДатаРегистрации: '2021-11-15T09:30:00',
          КонтактнаяИнформация: [
            phone(ids.kindPhonePartner, '8 (916) 123-45-67', '89161234567', '1234567', '1'),
          ],
        },
        {
          Ref_Key: ids.lyutik,
          Code: '00000000004',
          Description: 'АО «Лютик»',
          ЮрФизЛицо: 'Компания',
          Поставщик: true,
          DeletionMark: true,
          ДатаРегистрации: '2015-06-30',
          КонтактнаяИнформация: [
            phone(ids.kindPhonePartner, '84957654321', '84957654321', '84957654321', 1),
          ],
        },
      ],
      Catalog_Контрагенты: [
        {
          Ref_Key: ids.romashkaLegal,
          Description: 'ООО «Ромашка»',
          ИНН: '7701234567',
          КПП: '770101001',
          Партнер_Key: ids.romashka,
          ЮрФизЛицо: 'ЮрЛицо',
          КонтактнаяИнформация: [
            { ...phone(ids.kindPhoneCounterparty, '+7 (495) 765-43-21', '74957654321', '7654321', 1), ДействуетС: '2020-01-01T00:00:00' },
          ],
        },
      ],
      Catalog_КонтактныеЛицаПартнеров: [
        {
          Ref_Key: ids.petrov,
          Description: 'Петров Пётр Петрович',
          Owner_Key: ids.romashka,
          ДолжностьПоВизитке: 'Директор',
          Автор: ids.managerIvanov,
          Автор_Type: 'StandardODATA.Catalog_Пользователи',
          КонтактнаяИнформация: [
            phone(ids.kindPhoneContact, '+7 (495) 123-45-67 доб. 123', '74951234567', '1234567', 1),
            phone(ids.kindPhoneContact, '+7 (916) 555-00-11', '79165550011', '5550011', 2),
          ],
        },
        {
          Ref_Key: ids.sidorova,
          Description: 'Сидорова Мария',
          Owner_Key: ids.ivanov,
          КонтактнаяИнформация: [],
        },
      ],
      Document_ТелефонныйЗвонок: [
        {
          Ref_Key: ids.call,
          Number: '00000000007',
          Date: '2024-05-14T12:30:00',
          АбонентКакСвязаться: '+7 (495) 123-45-67',
          АбонентКонтакт: ids.romashka,
          АбонентКонтакт_Type: 'StandardODATA.Catalog_Партнеры',
          АбонентПредставление: 'ООО «Ромашка»',
          Автор_Key: ids.managerIvanov,
          Важность: 'Обычная',
          Входящий: true,
          Описание: 'Звонок по поводу поставки',
          Тема: 'Входящий звонок',
        },
      ],
      InformationRegister_ЖурналЗвонков3CX: [
        {
          ИдентификаторЗвонка: 'call-0001',
          ДатаНачала: '2024-05-14T12:30:00',
          ТипЗвонка: 'Inbound',
          Длительность: 95,
          ВнешнийНомер: '+74951234567',
          ВнутреннийНомер: '101',
          Агент: 'Иванов Сергей',
          Контрагент: ids.romashka,
          Контрагент_Type: 'StandardODATA.Catalog_Партнеры',
        },
      ],
    },
  }
}

export type TestEmulator = RunningEmulator

interface Tap {
  teardown: (fn: () => unknown) => void
}

/** An emulator on 127.0.0.1:0 with the small base, closed when the test ends. */
export async function startTestEmulator (t: Tap, opts: Partial<EmulatorOptions> = {}): Promise<RunningEmulator> {
  const emulator = await startEmulator({ port: 0, data: smallBase(), ...opts })
  t.teardown(async () => { await emulator.close() })
  return emulator
}

export function basicAuth (user = 'odata', password = 'odata'): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`
}

/** Percent-encodes what a URL cannot carry raw (Cyrillic, spaces, quotes) and keeps OData punctuation and `%xx` as written. */
export function encodeUrl (text: string): string {
  let out = ''
  for (const ch of text) {
    if (/[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]/.test(ch)) out += ch
    else out += encodeURIComponent(ch)
  }
  return out
}

export interface HttpAnswer {
  status: number
  headers: Record<string, string | string[] | undefined>
  text: string
  json: () => any // eslint-disable-line @typescript-eslint/no-explicit-any -- test convenience: bodies are asserted field by field
}

export interface CallOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE' | 'HEAD'
  headers?: Record<string, string>
  body?: unknown
  /** false = no Authorization header; a string = that header. Default: odata/odata. */
  auth?: string | false
  signal?: AbortSignal
}

/** A request to `<odataUrl>/<path>` (path may be '' for the root), real HTTP. */
export async function odata (emulator: RunningEmulator, path: string, opts: CallOptions = {}): Promise<HttpAnswer> {
  return await call(`${emulator.odataUrl}${path === '' ? '' : '/'}${encodeUrl(path)}`, opts)
}

export async function call (url: string, opts: CallOptions = {}): Promise<HttpAnswer> {
  const headers: Record<string, string> = { ...opts.headers }
  if (opts.auth !== false) headers.authorization = opts.auth ?? basicAuth()
  let body: string | undefined
  if (opts.body !== undefined) {
    body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body)
    headers['content-type'] ??= 'application/json'
  }
  const response = await request(url, { method: opts.method ?? 'GET', headers, body, signal: opts.signal })
  const text = await response.body.text()
  return {
    status: response.statusCode,
    headers: response.headers,
    text,
    json: () => JSON.parse(text),
  }
}
