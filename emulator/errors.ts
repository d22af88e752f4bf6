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
