import type { Expect, FieldNeed } from './requirements.js'
import { capital, objectName, objectWords, objectWordsAcc, objectWordsOf, setWords, setWordsAcc, type TabularOf } from './names.js'
import type { Text } from './types.js'

/**
 * Every text the check prints, Russian in the words of a 1C administrator and English for `--lang en`.
 * A message says what was found; a fix says what to do and where that screen is. None carries a secret.
 */
export interface Problem {
  message: Text
  fix?: Text
}

const t = (ru: string, en: string): Text => ({ ru, en })

// onec-odata.md §6.3: the БСП screen, and the platform method for configurations without БСП.
const COMPOSITION_WHERE = t(
  'Администрирование → Синхронизация данных → Настройки стандартного интерфейса OData (обработка БСП «НастройкаСтандартногоИнтерфейсаOData»). ' +
    'Без БСП — внешней обработкой, которая вызывает УстановитьСоставСтандартногоИнтерфейсаOData(): вызов заменяет весь состав, поэтому передайте все нужные объекты, в том числе уже опубликованные.',
  'Администрирование → Синхронизация данных → Настройки стандартного интерфейса OData (Administration → Data synchronization → Standard OData interface settings; the БСП data processor StandardODataInterfaceSetup). ' +
    'Without БСП, run an external data processor that calls SetStandardODataInterfaceContent() (УстановитьСоставСтандартногоИнтерфейсаOData): it replaces the whole composition, so pass every object needed, the published ones too.',
)

// onec-odata.md §6.1: the publication dialog's check box and its trace in default.vrd.
const PUBLISH_ODATA = t(
  'Опубликуйте базу на веб-сервере с флажком «Публиковать стандартный интерфейс OData» (Конфигуратор → Администрирование → Публикация на веб-сервере); в default.vrd это <standardOdata enable="true" …/>. После изменения перезапустите веб-сервер.',
  'Publish the base on the web server with "Публиковать стандартный интерфейс OData" (Publish standard OData interface) checked (Designer → Administration → Publish to web server); in default.vrd that is <standardOdata enable="true" …/>. Restart the web server afterwards.',
)

const ONEC_URL_FORM = t(
  'ONEC_URL — адрес информационной базы, как его открывает веб-клиент (например http://server/ut11), без /odata/standard.odata и без /ru_RU.',
  'ONEC_URL is the infobase address as the web client opens it (e.g. http://server/ut11), without /odata/standard.odata and without /ru_RU.',
)

const join = (...parts: Array<Text | undefined>): Text => {
  const present = parts.filter((p): p is Text => p !== undefined && p.ru !== '')
  return t(present.map(p => p.ru).join(' '), present.map(p => p.en).join(' '))
}

/* ---------------------------------------------------------------- address */

export const address = {
  ok: (status: number): Problem => ({ message: t(`Веб-сервер отвечает (HTTP ${status}).`, `The web server answers (HTTP ${status}).`) }),
  refused: (host: string): Problem => ({
    message: t(`Соединение отклонено: на ${host} ничего не слушает.`, `Connection refused: nothing listens on ${host}.`),
    fix: t(
      'Запустите веб-сервер (Apache или IIS), на котором опубликована база, и проверьте сервер и порт в ONEC_URL.',
      'Start the web server (Apache or IIS) that publishes the base, and check the host and port in ONEC_URL.',
    ),
  }),
  dns: (host: string): Problem => ({
    message: t(`Имя сервера ${host} не находится (DNS).`, `The host name ${host} does not resolve (DNS).`),
    fix: t('Проверьте имя сервера в ONEC_URL и настройки DNS на этой машине.', 'Check the host name in ONEC_URL and the DNS settings of this machine.'),
  }),
  timeout: (host: string, ms: number): Problem => ({
    message: t(`${host} не ответил за ${ms} мс.`, `${host} did not answer within ${ms} ms.`),
    fix: t(
      'Проверьте, что брандмауэр пропускает соединения с этой машины на этот сервер и порт, и что веб-сервер не перегружен.',
      'Check that the firewall lets this machine reach that host and port, and that the web server is not overloaded.',
    ),
  }),
  tls: (host: string, code: string): Problem => ({
    message: t(`Сертификат HTTPS сервера ${host} не прошёл проверку (${code}).`, `The HTTPS certificate of ${host} failed verification (${code}).`),
    fix: t(
      'Установите на веб-сервер сертификат, которому доверяет эта машина, или добавьте корневой сертификат через NODE_EXTRA_CA_CERTS. Только для тестового сервера: ONEC_TLS_REJECT_UNAUTHORIZED=false.',
      'Install a certificate this machine trusts on the web server, or add the root certificate with NODE_EXTRA_CA_CERTS. For a test server only: ONEC_TLS_REJECT_UNAUTHORIZED=false.',
    ),
  }),
  other: (host: string, code: string): Problem => ({
    message: t(`Не удалось соединиться с ${host}: ${code}.`, `Cannot connect to ${host}: ${code}.`),
    fix: t(
      'Проверьте, что веб-сервер с публикацией базы запущен и доступен с этой машины (ONEC_URL, брандмауэр, DNS).',
      'Check that the web server publishing the base is running and reachable from this machine (ONEC_URL, firewall, DNS).',
    ),
  }),
}

/* ---------------------------------------------------------------- odata */

export const odata = {
  ok: (sets: number): Problem => ({
    message: t(`Это служба OData 1С: служебный документ перечисляет наборов: ${sets}.`, `It is a 1C OData service: the service document lists ${sets} entity sets.`),
  }),
  asksLogin: (): Problem => ({
    message: t('Адрес отвечает как публикация 1С: служба OData требует входа (401, см. строку credentials).', 'The address answers as a 1C publication: the OData service asks for a login (401, see the credentials row).'),
  }),
  answeredWithFault: (status: number): Problem => ({
    message: t(`Адрес отвечает как служба OData 1С (ошибка OData ${status}, см. строку credentials).`, `The address answers as a 1C OData service (OData error ${status}, see the credentials row).`),
  }),
  foreignLogin: (realm: string): Problem => ({
    message: t(
      `Вход (401) требует не 1С, а что-то другое (realm "${realm}"): возможно, прокси-сервер или веб-сервер перед публикацией.`,
      `Something other than 1C asks for a login (401, realm "${realm}"): perhaps a proxy or the web server in front of the publication.`,
    ),
    fix: t(
      'Проверьте, что ONEC_URL ведёт прямо на публикацию 1С, и что веб-сервер не требует своей авторизации для /odata/.',
      'Check that ONEC_URL leads straight to the 1C publication and that the web server does not require its own login for /odata/.',
    ),
  }),
  html: (root: string, status: number): Problem => ({
    message: t(
      `По адресу ${root} открывается веб-страница (HTML, ${status}), а не служба OData.`,
      `${root} answers with a web page (HTML, ${status}), not an OData service.`,
    ),
    fix: join(ONEC_URL_FORM, PUBLISH_ODATA),
  }),
  notPublished: (root: string, vrdDisabled: string | undefined): Problem => ({
    message: t(
      `Стандартный интерфейс OData не опубликован: ${root} отвечает 404.`,
      `The standard OData interface is not published: ${root} answers 404.`,
    ),
    fix: join(
      vrdDisabled === undefined ? undefined : t(`В ${vrdDisabled} сейчас OData выключен (<standardOdata enable="false"> или элемента нет).`, `${vrdDisabled} has OData off now (<standardOdata enable="false"> or no such element).`),
      PUBLISH_ODATA,
      t('Если публикация есть, проверьте путь базы в ONEC_URL.', 'If the publication exists, check the base path in ONEC_URL.'),
    ),
  }),
  poolExhausted: (): Problem => ({
    message: t('1С отказала: пул сеансов публикации исчерпан (406).', '1C refused: the publication\'s session pool is exhausted (406).'),
    fix: t(
      'Увеличьте poolSize (и poolTimeout) в <standardOdata> файла default.vrd или уменьшите ONEC_MAX_CONNECTIONS; затем перезапустите веб-сервер.',
      'Raise poolSize (and poolTimeout) of <standardOdata> in default.vrd, or lower ONEC_MAX_CONNECTIONS; then restart the web server.',
    ),
  }),
  forbidden: (status: number): Problem => ({
    message: t(`Веб-сервер запрещает доступ к службе OData (${status}).`, `The web server forbids access to the OData service (${status}).`),
    fix: t(
      'Проверьте настройки доступа веб-сервера (IIS/Apache) к каталогу публикации и к /odata/.',
      'Check the web server\'s (IIS/Apache) access settings for the publication folder and /odata/.',
    ),
  }),
  serverError: (status: number, onec: string | undefined): Problem => ({
    message: t(
      `1С ответила ошибкой ${status}${onec === undefined ? '' : `: ${onec}`}.`,
      `1C answered with error ${status}${onec === undefined ? '' : `: ${onec}`}.`,
    ),
    fix: t(
      'Смотрите журнал регистрации базы и технологический журнал 1С; проверьте, что база не заблокирована и сервер 1С работает.',
      'See the base\'s event log (Журнал регистрации) and the 1C technological log; check that the base is not locked and the 1C server runs.',
    ),
  }),
  notServiceDocument: (status: number, contentType: string | undefined): Problem => ({
    message: t(
      `Ответ ${status} (${contentType ?? 'без Content-Type'}) — не служебный документ OData.`,
      `The answer ${status} (${contentType ?? 'no Content-Type'}) is not an OData service document.`,
    ),
    fix: join(ONEC_URL_FORM, t('Проверьте, что между прокси и 1С никто не подменяет ответы.', 'Check that nothing between the proxy and 1C rewrites answers.')),
  }),
  transport: (reason: string): Problem => ({
    message: t(`Запрос к службе OData не удался: ${reason}.`, `The request to the OData service failed: ${reason}.`),
    fix: t('Проверьте, что веб-сервер с публикацией запущен и отвечает (строка address).', 'Check that the web server with the publication runs and answers (the address row).'),
  }),
}

/* ---------------------------------------------------------------- credentials */

// onec-odata.md §6.1: Usr/Pwd in the ib string log the publication in by itself [3P; UNCERTAIN precise behaviour].
const CREDENTIALS_WHERE = t(
  'Прокси входит в 1С как ONEC_USER с паролем ONEC_PASSWORD; если они не заданы, берёт Usr и Pwd из строки ib файла default.vrd (ONEC_VRD). ' +
    'Usr и Pwd в default.vrd, по имеющимся сведениям, ещё и заставляют публикацию входить под этим пользователем без запроса пароля (документацией не подтверждено). ' +
    'Пользователь должен быть в списке пользователей базы (Администрирование → Настройки пользователей и прав → Пользователи) с включённой «Аутентификацией 1С:Предприятия» и этим паролем.',
  'The proxy logs in to 1C as ONEC_USER with ONEC_PASSWORD; without them it takes Usr and Pwd from the ib string of default.vrd (ONEC_VRD). ' +
    'Usr and Pwd in default.vrd are also reported to make the publication log in as that user without asking (not confirmed by the documentation). ' +
    'The user must exist among the base\'s users (Администрирование → Настройки пользователей и прав → Пользователи) with "1C:Enterprise authentication" on and that password.',
)

export const credentials = {
  ok: (user: string): Problem => ({ message: t(`Вход выполнен как «${user}».`, `Logged in as "${user}".`) }),
  okAnonymous: (): Problem => ({
    message: t(
      'Публикация пускает без имени и пароля: ONEC_USER не задан, 1С не спросила пароль (вероятно, Usr/Pwd в default.vrd).',
      'The publication lets us in without a name and password: ONEC_USER is not set and 1C did not ask (probably Usr/Pwd in default.vrd).',
    ),
  }),
  noUser: (): Problem => ({
    message: t('1С требует входа (401), а ONEC_USER не задан.', '1C asks for a login (401) but ONEC_USER is not set.'),
    fix: join(t('Задайте ONEC_USER и ONEC_PASSWORD.', 'Set ONEC_USER and ONEC_PASSWORD.'), CREDENTIALS_WHERE),
  }),
  rejected: (user: string): Problem => ({
    message: t(`1С не приняла пользователя «${user}» или его пароль (401).`, `1C rejected the user "${user}" or its password (401).`),
    fix: join(t('Проверьте ONEC_USER и ONEC_PASSWORD.', 'Check ONEC_USER and ONEC_PASSWORD.'), CREDENTIALS_WHERE),
  }),
  noODataRight: (user: string, onec: string | undefined): Problem => ({
    message: t(
      `Пользователь «${user}» вошёл, но 1С запрещает ему стандартный интерфейс OData (код 20)${onec === undefined ? '' : `: ${onec}`}.`,
      `The user "${user}" logged in, but 1C denies it the standard OData interface (code 20)${onec === undefined ? '' : `: ${onec}`}.`,
    ),
    fix: t(
      `Дайте пользователю «${user}» право на использование стандартного интерфейса OData: в БСП — Администрирование → Настройки пользователей и прав → Группы доступа; включите его в группу, профиль которой содержит роль с этим правом.`,
      `Give the user "${user}" the right to use the standard OData interface: in БСП, Администрирование → Настройки пользователей и прав → Группы доступа (access groups); add it to a group whose profile holds a role with that right.`,
    ),
  }),
}

/* ---------------------------------------------------------------- metadata */

export const metadata = {
  ok: (sets: number): Problem => ({ message: t(`$metadata (EDMX) разобран: наборов сущностей ${sets}.`, `$metadata (EDMX) parsed: ${sets} entity sets.`) }),
  okFile: (file: string, sets: number): Problem => ({
    message: t(`Файл ${file} разобран как $metadata (EDMX): наборов сущностей ${sets}.`, `${file} parsed as $metadata (EDMX): ${sets} entity sets.`),
  }),
  unparsable: (reason: string): Problem => ({
    message: t(`$metadata не разбирается как EDMX: ${reason}.`, `$metadata does not parse as EDMX: ${reason}.`),
    fix: t(
      'Откройте <адрес базы>/odata/standard.odata/$metadata в браузере под тем же пользователем: там должен быть XML <edmx:Edmx>. Если ответ обрезан или подменён, проверьте веб-сервер и прокси-серверы между нами и 1С.',
      'Open <base address>/odata/standard.odata/$metadata in a browser as the same user: it must be XML <edmx:Edmx>. If the answer is cut or replaced, check the web server and any proxies between us and 1C.',
    ),
  }),
  failed: (reason: string): Problem => ({
    message: t(`$metadata получить не удалось: ${reason}.`, `Could not get $metadata: ${reason}.`),
    fix: t(
      'Откройте <адрес базы>/odata/standard.odata/$metadata в браузере под тем же пользователем; ошибку 1С смотрите в журнале регистрации.',
      'Open <base address>/odata/standard.odata/$metadata in a browser as the same user; see 1C\'s event log for the error.',
    ),
  }),
}

/* ---------------------------------------------------------------- sets */

export const sets = {
  present: (set: string, tabular?: TabularOf): Problem => ({
    message: capital(t(`${setWords(set, tabular).ru}: есть в составе стандартного интерфейса OData.`, `${setWords(set, tabular).en}: in the standard OData interface composition.`)),
  }),
  missing: (set: string, tabular: TabularOf | undefined, ownerMissing: boolean, role: 'lookup' | 'journal' | 'kinds'): Problem => {
    const words = setWords(set, tabular)
    // The owner and its section are added together in the БСП screen; name both when both are missing.
    const what = tabular !== undefined && ownerMissing
      ? t(`${objectWordsAcc(tabular.owner).ru} и его табличную часть «${tabular.section}»`, `${objectWordsAcc(tabular.owner).en} and its tabular section "${tabular.section}"`)
      : setWordsAcc(set, tabular)
    const why = role === 'journal'
      ? t('Без этого набора звонки записывать некуда (см. строку journal).', 'Without it calls have nowhere to go (see the journal row).')
      : role === 'kinds'
        ? t('Без этого набора прокси не создаст контакт: виды контактной информации берутся отсюда.', 'Without it the proxy cannot create contacts: the contact-information kinds come from it.')
        : t('Без этого набора прокси не найдёт звонящих.', 'Without it the proxy cannot find callers.')
    return {
      message: capital(t(`${words.ru}: нет в составе стандартного интерфейса OData. ${why.ru}`, `${words.en}: not in the standard OData interface composition. ${why.en}`)),
      fix: t(
        `Добавьте ${what.ru} в состав стандартного интерфейса OData: ${COMPOSITION_WHERE.ru}`,
        `Add ${what.en} to the composition of the standard OData interface: ${COMPOSITION_WHERE.en}`,
      ),
    }
  },
}

/* ---------------------------------------------------------------- fields */

export interface FieldProblem {
  field: FieldNeed
  /** The type found, when the property exists with another type. */
  actual?: string
}

function typeWords (expect: Expect): Text {
  if (expect.kind === 'any') return t('любой тип', 'any type')
  if (expect.kind === 'collection') return t(`табличная часть, Collection(…${expect.rowType})`, `tabular section, Collection(…${expect.rowType})`)
  if (expect.types.length > 1) return t('Число', 'Number')
  const only = expect.types[0] ?? ''
  switch (only) {
    case 'Edm.String': return t('Строка (Edm.String)', 'String (Edm.String)')
    case 'Edm.Guid': return t('ссылка (Edm.Guid)', 'reference (Edm.Guid)')
    case 'Edm.Boolean': return t('Булево (Edm.Boolean)', 'Boolean (Edm.Boolean)')
    case 'Edm.DateTime': return t('Дата (Edm.DateTime)', 'Date (Edm.DateTime)')
    default: return t(only, only)
  }
}

/**
 * «ДатаНачала — Дата; Контрагент — составной тип» — for an administrator who adds the attributes in the
 * Designer. A composite attribute shows in OData as `X` + `X_Type` (onec-odata.md §1.4) but is one
 * attribute in 1C, so `X_Type` is not listed.
 */
export function attributeList (fields: FieldNeed[]): Text {
  const names = new Set(fields.map(f => f.name))
  const words = fields
    .filter(f => !(f.name.endsWith('_Type') && names.has(f.name.slice(0, -'_Type'.length))))
    .map(f => ({
      name: f.name,
      type: names.has(`${f.name}_Type`) ? t('составной тип (ссылки на справочники контактов)', 'composite type (references to the contact catalogs)') : typeWords(f.expect),
    }))
  return t(words.map(w => `${w.name} — ${w.type.ru}`).join('; '), words.map(w => `${w.name} — ${w.type.en}`).join('; '))
}

function problemList (problems: FieldProblem[]): Text {
  const items = problems.map(p => {
    const want = typeWords(p.field.expect)
    return p.actual === undefined
      ? t(`нет «${p.field.name}» (нужен тип ${want.ru})`, `no "${p.field.name}" (needs ${want.en})`)
      : t(`«${p.field.name}» имеет тип ${p.actual}, нужен ${want.ru}`, `"${p.field.name}" is ${p.actual}, needs ${want.en}`)
  })
  return t(items.map(i => i.ru).join('; '), items.map(i => i.en).join('; '))
}

export const fields = {
  ok: (count: number): Problem => ({
    message: t(`Все нужные реквизиты на месте, типы верные (${count}).`, `Every needed property is there with the right type (${count}).`),
  }),
  wrong: (set: string, tabular: TabularOf | undefined, problems: FieldProblem[], profileName: string, journal: boolean): Problem => {
    const words = setWords(set, tabular)
    const list = problemList(problems)
    const fix = journal
      ? t(
        `Добавьте в ${objectWordsAcc(set).ru} недостающие реквизиты и исправьте типы (в Конфигураторе или расширением конфигурации), затем обновите конфигурацию базы данных: ${attributeList(problems.map(p => p.field)).ru}.`,
        `Add the missing attributes to ${objectWordsAcc(set).en} and correct the types (in Designer or with a configuration extension), then update the database configuration: ${attributeList(problems.map(p => p.field)).en}.`,
      )
      : t(
        `Профиль «${profileName}» ищет эти реквизиты у ${setWordsOfRu(set, tabular)}. Если в вашей конфигурации они называются иначе или другого типа, укажите свой профиль с вашими именами: PROFILE=/путь/к/профилю.json (образец — встроенный профиль ut11).`,
        `Profile "${profileName}" reads these properties of ${words.en}. If your configuration names or types them differently, give your own profile with your names: PROFILE=/path/to/profile.json (start from the built-in ut11 profile).`,
      )
    return { message: capital(t(`${words.ru}: ${list.ru}.`, `${words.en}: ${list.en}.`)), fix }
  },
  notChecked: (): Problem => ({ message: t('Не проверялось: набора нет в составе OData (строка sets).', 'Not checked: the set is not published (see the sets row).') }),
}

function setWordsOfRu (set: string, tabular: TabularOf | undefined): string {
  if (tabular === undefined) return objectWordsOf(set).ru
  return `табличной части «${tabular.section}» ${objectWordsOf(tabular.owner).ru}`
}

/* ---------------------------------------------------------------- rights */

const ACCESS_GROUPS = t(
  'в БСП — Администрирование → Настройки пользователей и прав → Группы доступа: включите пользователя в группу, профиль которой даёт это право. ' +
    'Ограничение доступа на уровне записей (RLS) даёт ту же ошибку: прокси нужен доступ ко всем записям, среди которых он ищет.',
  'in БСП, Администрирование → Настройки пользователей и прав → Группы доступа (access groups): add the user to a group whose profile grants it. ' +
    'Record-level access restrictions (RLS) give the same error: the proxy needs every record it searches.',
)

export const rights = {
  ok: (): Problem => ({ message: t('Чтение разрешено (запрос $top=1 прошёл).', 'Reading is allowed (a $top=1 request went through).') }),
  denied: (user: string, set: string, tabular: TabularOf | undefined, status: number, onec: string | undefined): Problem => {
    // Rights on a tabular section are the rights on its owner.
    const object = tabular?.owner ?? set
    return {
      message: t(
        `Пользователю «${user}» запрещено чтение: ${setWords(set, tabular).ru} (${status}, код 20)${onec === undefined ? '' : `: ${onec}`}.`,
        `The user "${user}" may not read ${setWords(set, tabular).en} (${status}, code 20)${onec === undefined ? '' : `: ${onec}`}.`,
      ),
      fix: t(
        `Дайте пользователю «${user}» право «Чтение» на ${objectWordsAcc(object).ru}: ${ACCESS_GROUPS.ru}`,
        `Give the user "${user}" the "Read" right on ${objectWords(object).en}: ${ACCESS_GROUPS.en}`,
      ),
    }
  },
  notFound: (set: string, tabular: TabularOf | undefined): Problem => ({
    message: t(
      `${capital(setWords(set, tabular)).ru}: есть в $metadata, но запрос к набору отвечает 404.`,
      `${capital(setWords(set, tabular)).en}: listed in $metadata, but a request to the set answers 404.`,
    ),
    fix: t(
      `Пересохраните состав стандартного интерфейса OData: ${COMPOSITION_WHERE.ru} Затем перезапустите веб-сервер.`,
      `Save the standard OData interface composition again: ${COMPOSITION_WHERE.en} Then restart the web server.`,
    ),
  }),
  failed: (status: number | undefined, onec: string | undefined, code: string | undefined): Problem => ({
    message: t(
      `Запрос $top=1 не удался${status === undefined ? '' : ` (${status}${code === undefined ? '' : `, код ${code}`})`}${onec === undefined ? '' : `: ${onec}`}.`,
      `A $top=1 request failed${status === undefined ? '' : ` (${status}${code === undefined ? '' : `, code ${code}`})`}${onec === undefined ? '' : `: ${onec}`}.`,
    ),
    fix: t('Подробности — в журнале регистрации базы и технологическом журнале 1С.', 'See the base\'s event log and the 1C technological log.'),
  }),
  notChecked: (): Problem => ({ message: t('Не проверялось: набора нет в составе OData (строка sets).', 'Not checked: the set is not published (see the sets row).') }),
}

/* ---------------------------------------------------------------- lookup */

export const lookup = {
  found: (number: string, ms: number, owners: Text): Problem => ({
    message: t(`Номер ${number} найден за ${ms} мс: ${owners.ru}.`, `${number} found in ${ms} ms: ${owners.en}.`),
  }),
  notFound: (number: string, ms: number, fromBase: boolean): Problem => ({
    message: t(`Поиск прошёл за ${ms} мс, но номер ${number} не найден.`, `The lookup ran in ${ms} ms, but ${number} was not found.`),
    fix: fromBase
      ? t(
        'Номер взят из базы, но поиск не нашёл живого владельца: владелец помечен на удаление, или номер записан так, что прокси его не читает. Попробуйте известный вам номер: --sample-number +74951234567.',
        'The number comes from the base, but the lookup found no live owner: the owner is marked for deletion, or the number is stored in a form the proxy does not read. Try a number you know: --sample-number +74951234567.',
      )
      : t(
        'Если номер есть в базе, проверьте, как он записан в контактной информации (колонки НомерТелефона, НомерТелефонаБезКодов, Представление), и настройки DEFAULT_COUNTRY и DEFAULT_AREA_CODE.',
        'If the number is in the base, check how its contact information stores it (columns НомерТелефона, НомерТелефонаБезКодов, Представление) and the DEFAULT_COUNTRY and DEFAULT_AREA_CODE settings.',
      ),
  }),
  noSample: (): Problem => ({
    message: t('В базе не нашлось телефона для пробного поиска.', 'The base has no phone number to try a lookup with.'),
    fix: t('Укажите номер для пробы: --sample-number +74951234567.', 'Give a number to try: --sample-number +74951234567.'),
  }),
  failed: (code: string, onec: string | undefined, english: string): Problem => ({
    message: t(
      `Поиск не удался (${code})${onec === undefined ? '' : `; ответ 1С: ${onec}`}.`,
      `The lookup failed: ${english}`,
    ),
    fix: t(
      'Проверьте строки выше (sets, fields, rights); подробности — в журнале регистрации базы.',
      'Check the rows above (sets, fields, rights); details are in the base\'s event log.',
    ),
  }),
  notReady: (): Problem => ({
    message: t('Не проверялось: наборы, нужные для поиска, не готовы (строки sets, fields, rights).', 'Not run: the sets the lookup needs are not ready (the sets, fields, rights rows).'),
  }),
}

/* ---------------------------------------------------------------- index */

/** One source's share of a full sync, as measured by the index step. */
export interface SyncPart {
  set: string
  /** Objects in the set (`$count`); undefined when 1C did not say. */
  objects: number | undefined
  pages: number
  /** A page after the first (or the first, when there is one page only). */
  pageMs: number
  /** $skip paging: the last page, dearer than the second. */
  lastPageMs?: number
  /** The source's share of the estimate. */
  ms: number
}

/** "about 26.8 s" / «около 26,8 с»: Russian writes a decimal comma. */
function duration (ms: number): Text {
  if (ms < 1000) return t('меньше секунды', 'under a second')
  const s = ms < 10_000 ? (ms / 1000).toFixed(1) : String(Math.round(ms / 1000))
  return t(`около ${s.replace('.', ',')} с`, `about ${s} s`)
}

function partsText (parts: SyncPart[]): Text {
  const ms = (p: SyncPart): string => p.lastPageMs === undefined ? String(p.pageMs) : `${p.pageMs}–${p.lastPageMs}`
  const ru = parts.map(p => `${objectName(p.set)}: объектов ${p.objects ?? 'неизвестно сколько'}, страниц ${p.pages}, по ${ms(p)} мс`).join('; ')
  const en = parts.map(p => `${objectName(p.set)}: ${p.objects === undefined ? 'object count unknown' : `${p.objects} objects`}, ${p.pages} page${p.pages === 1 ? '' : 's'} of ${ms(p)} ms`).join('; ')
  return { ru, en }
}

export const index = {
  off: (): Problem => ({
    message: t('Индекс телефонов выключен (INDEX_ENABLED=false): каждый звонок с номера, которого нет в кэше, — поиск в 1С.', 'The phone index is off (INDEX_ENABLED=false): every ring of a number not in the cache is a search in 1C.'),
  }),
  ok: (paging: 'keyset' | 'skip', parts: SyncPart[], totalMs: number, refreshS: number): Problem => ({
    message: t(
      `Полная синхронизация индекса (${paging === 'keyset' ? 'постранично по Ref_Key' : 'постранично через $skip'}) займёт ${duration(totalMs).ru}, раз в ${refreshS} с. ${partsText(parts).ru}.`,
      `A full sync of the phone index (${paging === 'keyset' ? 'pages by Ref_Key' : 'pages by $skip'}) takes ${duration(totalMs).en}, every ${refreshS} s. ${partsText(parts).en}.`,
    ),
    ...(paging === 'skip'
      ? {
          fix: t(
            'С $skip каждая следующая страница дороже предыдущей (1С читает и отбрасывает пропущенные строки): если 1С называет число объектов, оценка замеряет и последнюю страницу и считает, что от второй к ней цена растёт равномерно. INDEX_PAGING=auto или keyset листает по Ref_Key, если 1С это принимает: там страницы стоят одинаково.',
            'With $skip every page costs more than the one before (1C reads and discards the skipped rows): where 1C gives the number of objects, the estimate times the last page as well and takes the cost as growing evenly from the second to it. INDEX_PAGING=auto or keyset pages by Ref_Key if 1C accepts it, where every page costs the same.',
          ),
        }
      : {}),
  }),
  tooSlow: (totalMs: number, refreshS: number, parts: SyncPart[]): Problem => ({
    message: t(
      `Полная синхронизация индекса займёт ${duration(totalMs).ru} — не меньше половины интервала INDEX_REFRESH_S=${refreshS} с: 1С будет занята синхронизацией большую часть времени. ${partsText(parts).ru}.`,
      `A full sync of the phone index takes ${duration(totalMs).en}, half of INDEX_REFRESH_S=${refreshS} s or more: 1C would be busy syncing most of the time. ${partsText(parts).en}.`,
    ),
    fix: t(
      `Увеличьте INDEX_REFRESH_S хотя бы до ${Math.ceil(totalMs / 1000) * 4} (прозвонившие номера всё равно уточняются в фоне за секунды) или INDEX_PAGE_SIZE, если 1С отвечает на большие страницы не медленнее в пересчёте на объект.`,
      `Raise INDEX_REFRESH_S to ${Math.ceil(totalMs / 1000) * 4} or more (numbers that ring are still re-read in the background within seconds), or INDEX_PAGE_SIZE if 1C answers bigger pages no slower per object.`,
    ),
  }),
  keysetRefused: (onec: string, fallback: boolean): Problem => ({
    message: t(
      `1С не приняла отбор Ref_Key gt guid'…' (ответ: ${onec}).${fallback ? ' Прокси будет листать через $skip (INDEX_PAGING=auto).' : ''}`,
      `1C refused the filter Ref_Key gt guid'…' (answer: ${onec}).${fallback ? ' The proxy will page with $skip (INDEX_PAGING=auto).' : ''}`,
    ),
    fix: fallback
      ? t(
        'Так работает, но с $skip каждая следующая страница дороже предыдущей (1С читает и отбрасывает пропущенные строки), и на большой базе синхронизация идёт в разы дольше, чем по Ref_Key. Следите за метрикой bridge_index_last_sync_duration_seconds.',
        'This works, but with $skip every page costs more than the one before (1C reads and discards the skipped rows): on a big base a sync takes several times as long as by Ref_Key. Watch the bridge_index_last_sync_duration_seconds metric.',
      )
      : t(
        'Задайте INDEX_PAGING=auto (или skip): прокси будет листать через $skip.',
        'Set INDEX_PAGING=auto (or skip): the proxy will page with $skip.',
      ),
  }),
  failed: (code: string, english: string): Problem => ({
    message: t(`Чтение страницы индекса не удалось (${code}).`, `Reading a page of the index failed: ${english}`),
    fix: t(
      'Проверьте строки выше (sets, fields, rights). Пока индекс не построен, каждый звонок — поиск в 1С.',
      'Check the rows above (sets, fields, rights). Until the index is built, every ring is a search in 1C.',
    ),
  }),
  notReady: (): Problem => ({
    message: t('Не проверялось: наборы, нужные индексу, не готовы (строки sets, fields, rights).', 'Not run: the sets the index needs are not ready (the sets, fields, rights rows).'),
  }),
}

/* ---------------------------------------------------------------- journal */

export const journal = {
  off: (): Problem => ({ message: t('Журнал звонков выключен (JOURNAL_TARGET=off): проверять нечего.', 'The call journal is off (JOURNAL_TARGET=off): nothing to check.') }),
  okRegister: (set: string, key: string, count: number, user: string): Problem => ({
    message: t(
      `Запись не проверялась и ничего не записано: пробной записи по OData не бывает. ${capital(objectWords(set)).ru} опубликован, ключ «${key}» и все реквизиты (${count}) на месте, чтение разрешено. ` +
        `Право на запись проверит первый звонок: пользователю «${user}» нужно право «Изменение» на ${objectWordsAcc(set).ru}.`,
      `No write was attempted and nothing was written: OData has no dry-run write. ${capital(objectWords(set)).en} is published, its key "${key}" and all ${count} properties are there, reading is allowed. ` +
        `The first call will prove the write right: the user "${user}" needs the "Update" (Изменение) right on ${objectWords(set).en}.`,
    ),
  }),
  okDocument: (set: string, count: number, user: string): Problem => ({
    message: t(
      `Запись не проверялась и ничего не записано: пробной записи по OData не бывает. ${capital(objectWords(set)).ru} опубликован, все реквизиты (${count}) на месте, чтение разрешено. ` +
        `Право на запись проверит первый звонок: пользователю «${user}» нужны права «Добавление» и «Изменение» на ${objectWordsAcc(set).ru}.`,
      `No write was attempted and nothing was written: OData has no dry-run write. ${capital(objectWords(set)).en} is published, all ${count} properties are there, reading is allowed. ` +
        `The first call will prove the write right: the user "${user}" needs the "Insert" and "Update" (Добавление, Изменение) rights on ${objectWords(set).en}.`,
    ),
  }),
  registerMissing: (set: string, key: string, attributes: FieldNeed[]): Problem => ({
    message: t(
      `${capital(objectWords(set)).ru} не опубликован: звонки записывать некуда. Запись не проверялась, ничего не записано.`,
      `${capital(objectWords(set)).en} is not published: calls have nowhere to go. No write was attempted, nothing was written.`,
    ),
    fix: t(
      `Если регистра нет в конфигурации, добавьте его расширением конфигурации: независимый непериодический регистр сведений «${objectName(set)}» с измерением ${key} (Строка) и реквизитами: ${attributeList(attributes.filter(a => a.name !== key)).ru}. ` +
        `Затем добавьте ${objectWordsAcc(set).ru} в состав стандартного интерфейса OData: ${COMPOSITION_WHERE.ru} ` +
        'Либо записывайте звонки документами БСП «Телефонный звонок»: JOURNAL_TARGET=document.',
      `If the configuration has no such register, add it with a configuration extension: an independent non-periodic information register "${objectName(set)}" with the dimension ${key} (String) and the attributes: ${attributeList(attributes.filter(a => a.name !== key)).en}. ` +
        `Then add ${objectWordsAcc(set).en} to the composition of the standard OData interface: ${COMPOSITION_WHERE.en} ` +
        'Or journal calls as БСП "Телефонный звонок" documents: JOURNAL_TARGET=document.',
    ),
  }),
  documentMissing: (set: string): Problem => ({
    message: t(
      `${capital(objectWords(set)).ru} (БСП, подсистема «Взаимодействия») не опубликован: звонки записывать некуда. Запись не проверялась, ничего не записано.`,
      `${capital(objectWords(set)).en} (БСП, the Interactions subsystem) is not published: calls have nowhere to go. No write was attempted, nothing was written.`,
    ),
    fix: t(
      `Добавьте ${objectWordsAcc(set).ru} в состав стандартного интерфейса OData: ${COMPOSITION_WHERE.ru} Если такого документа в конфигурации нет, записывайте звонки в регистр: JOURNAL_TARGET=register.`,
      `Add ${objectWordsAcc(set).en} to the composition of the standard OData interface: ${COMPOSITION_WHERE.en} If the configuration has no such document, journal to the register: JOURNAL_TARGET=register.`,
    ),
  }),
  fieldsMissing: (set: string, problems: FieldProblem[]): Problem => {
    const base = fields.wrong(set, undefined, problems, '', true)
    return {
      message: t(`${base.message.ru} Запись не проверялась, ничего не записано.`, `${base.message.en} No write was attempted, nothing was written.`),
      ...(base.fix === undefined ? {} : { fix: base.fix }),
    }
  },
  keyWithoutCallId: (set: string, key: string, keys: string[]): Problem => ({
    message: t(
      `Ключ ${objectWordsOf(set).ru} — (${keys.join(', ') || 'нет измерений'}), в нём нет «${key}»: повторная доставка звонка создаст вторую запись. Запись не проверялась, ничего не записано.`,
      `The key of ${objectWords(set).en} is (${keys.join(', ') || 'no dimensions'}) without "${key}": a repeated delivery would add a second record. No write was attempted, nothing was written.`,
    ),
    fix: t(
      `Сделайте «${key}» измерением ${objectWordsOf(set).ru} (единственным) и обновите конфигурацию базы данных.`,
      `Make "${key}" the (only) dimension of ${objectWords(set).en} and update the database configuration.`,
    ),
  }),
  keyNotWritten: (set: string, extra: string[]): Problem => ({
    message: t(
      `В ключе ${objectWordsOf(set).ru} есть измерения, которые прокси не заполняет: ${extra.join(', ')}. Запись не проверялась, ничего не записано.`,
      `The key of ${objectWords(set).en} has dimensions the proxy does not fill: ${extra.join(', ')}. No write was attempted, nothing was written.`,
    ),
    fix: t(
      'Оставьте измерением только ИдентификаторЗвонка, остальные сделайте реквизитами, и обновите конфигурацию базы данных.',
      'Keep ИдентификаторЗвонка as the only dimension, make the others attributes, and update the database configuration.',
    ),
  }),
  readDenied: (set: string, user: string): Problem => ({
    message: t(
      `Пользователю «${user}» запрещено даже чтение ${objectWordsOf(set).ru} (строка rights). Запись не проверялась, ничего не записано.`,
      `The user "${user}" may not even read ${objectWords(set).en} (see the rights row). No write was attempted, nothing was written.`,
    ),
    fix: t(
      `Дайте пользователю «${user}» права «Чтение», «Добавление» и «Изменение» на ${objectWordsAcc(set).ru}: ${ACCESS_GROUPS.ru}`,
      `Give the user "${user}" the "Read", "Insert" and "Update" rights on ${objectWords(set).en}: ${ACCESS_GROUPS.en}`,
    ),
  }),
}

/* ---------------------------------------------------------------- session */

export const session = {
  summary: (mode: string, maxConnections: number, pool: Text | undefined): Problem => ({
    message: t(
      `ONEC_SESSION_MODE=${mode}, ONEC_MAX_CONNECTIONS=${maxConnections}; ${pool?.ru ?? 'default.vrd не указан (ONEC_VRD), размер пула публикации неизвестен — держите ONEC_MAX_CONNECTIONS не больше poolSize в <standardOdata>'}.`,
      `ONEC_SESSION_MODE=${mode}, ONEC_MAX_CONNECTIONS=${maxConnections}; ${pool?.en ?? 'no default.vrd given (ONEC_VRD), the publication\'s pool size is unknown: keep ONEC_MAX_CONNECTIONS at or below poolSize of <standardOdata>'}.`,
    ),
  }),
  vrdPool: (reuse: string, poolSize: number | undefined): Text => t(
    `default.vrd: reuseSessions="${reuse}", poolSize=${poolSize ?? 'не задан'}`,
    `default.vrd: reuseSessions="${reuse}", poolSize=${poolSize ?? 'not set'}`,
  ),
  poolTooSmall: (maxConnections: number, poolSize: number): Text => t(
    `Уменьшите ONEC_MAX_CONNECTIONS до ${poolSize} или увеличьте poolSize в <standardOdata> файла default.vrd до ${maxConnections} и перезапустите веб-сервер: иначе под нагрузкой 1С ответит 406.`,
    `Lower ONEC_MAX_CONNECTIONS to ${poolSize}, or raise poolSize of <standardOdata> in default.vrd to ${maxConnections} and restart the web server: otherwise 1C answers 406 under load.`,
  ),
  // DOC-INT §17.7: "Использовать" is the mode in which the client holds sessions with IBSession.
  manualNeedsUse: (reuse: string): Text => t(
    `ONEC_SESSION_MODE=manual работает с reuseSessions="use" («Использовать»), а в default.vrd "${reuse}": поставьте reuseSessions="use" или ONEC_SESSION_MODE=auto.`,
    `ONEC_SESSION_MODE=manual works with reuseSessions="use", but default.vrd has "${reuse}": set reuseSessions="use" or ONEC_SESSION_MODE=auto.`,
  ),
  autoWithUse: (): Text => t(
    'С reuseSessions="use" («Использовать») сеансами управляет клиент, и при ONEC_SESSION_MODE=auto каждый запрос открывает новый сеанс 1С (медленно, занимает лицензии): задайте ONEC_SESSION_MODE=manual или поставьте reuseSessions="autouse".',
    'With reuseSessions="use" the client manages sessions, so with ONEC_SESSION_MODE=auto every request opens a new 1C session (slow, takes licences): set ONEC_SESSION_MODE=manual, or reuseSessions="autouse".',
  ),
  autoWithoutPool: (): Text => t(
    'С reuseSessions="dontuse" каждый запрос открывает новый сеанс 1С (медленно, занимает лицензии): поставьте reuseSessions="autouse" («Использовать автоматически»).',
    'With reuseSessions="dontuse" every request opens a new 1C session (slow, takes licences): set reuseSessions="autouse".',
  ),
  odataOff: (): Text => t(
    'В default.vrd стандартный интерфейс OData выключен: <standardOdata enable="true"/> нужно включить.',
    'default.vrd has the standard OData interface off: <standardOdata enable="true"/> must be set.',
  ),
}

/* ---------------------------------------------------------------- skips and offline */

export const skipped = {
  after: (step: string): Text => t(`Пропущено: не прошёл шаг ${step}.`, `Skipped: the ${step} step failed.`),
  offline: (): Text => t('Пропущено: проверка по файлу $metadata (--metadata), без обращения к 1С.', 'Skipped: checking a saved $metadata file (--metadata), 1C is not asked.'),
}
