/**
 * A fault the emulated 1C reports with its own envelope: `odata.error` in JSON, `m:error` in Atom/XML.
 * `code` is 1C's internal code as a string (onec-odata.md §5.1: "code is a string"), `status` the HTTP
 * status 1C answers with.
 */
export class ODataFault extends Error {
  readonly code: string
  readonly status: number

  constructor (code: string, status: number, message: string) {
    super(message)
    this.name = 'ODataFault'
    this.code = code
    this.status = status
  }
}

/** The exact text of 1C's internal error, code -1 (onec-odata.md §5.1, fixtures/onec/errors_observed.json). */
export const INTERNAL_ERROR_MESSAGE = 'Произошла внутренняя ошибка OData сервиса. Дополнительные сведения можно найти в технологическом журнале.'

/** The captured text of code 13, with its Latin "C" (fixtures/onec/errors_observed.json). */
export const TABULAR_ROW_CREATE_MESSAGE = 'Cоздание строк табличной части напрямую не поддерживается'

export function internalError (): ODataFault {
  return new ODataFault('-1', 500, INTERNAL_ERROR_MESSAGE)
}

/**
 * No free licence. What 1C answers then is not documented (onec-odata.md §5.3 [UNCERTAIN]); this is one
 * of the two answers the reference suggests, with the platform's wording for a missing licence.
 */
export function licenceExhausted (): ODataFault {
  return new ODataFault('-1', 500, 'Не обнаружена лицензия для использования программного продукта.')
}

/** Codes 0, 1, 2, 4, 5, 6, 7, 10, 14 and 21 are request errors: 400 (onec-odata.md §5.3). */
export function badRequest (code: string, message: string): ODataFault {
  return new ODataFault(code, 400, message)
}

/** Code 9 in the shape of the documented example (onec-odata.md §5.1). */
export function entityNotFound (objectName: string): ODataFault {
  return new ODataFault('9', 404, `Экземпляр сущности "${objectName}" не найден по переданному ключу.`)
}

export function queryOptionError (detail: string): ODataFault {
  return badRequest('14', `Ошибка разбора опций запроса: ${detail}`)
}

export function unsupportedFunction (detail: string): ODataFault {
  return badRequest('21', `Вызов нереализованной функции: ${detail}`)
}

export function badUrl (detail: string, status = 400): ODataFault {
  return new ODataFault('6', status, `Неверный URL: ${detail}`)
}

export function invalidPropertyValue (property: string, detail: string): ODataFault {
  return badRequest('4', `Неверное значение свойства "${property}": ${detail}`)
}

/**
 * An answer that is only a status (and headers), as the web-server layer in front of 1C gives it: the 401
 * challenge, 406 of an exhausted session pool, 400 of an unknown ibsession, 412 of If-Match (onec-odata.md §5.3).
 */
export class HttpStatusOnly extends Error {
  readonly status: number
  readonly headers: Record<string, string>

  constructor (status: number, message: string, headers: Record<string, string> = {}) {
    super(message)
    this.name = 'HttpStatusOnly'
    this.status = status
    this.headers = headers
  }
}
