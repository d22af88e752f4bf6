/** A mistake of the person running the command: printed without a stack trace, exit code as given. */
export class CliUsageError extends Error {
  readonly exitCode: number

  constructor (message: string, exitCode = 2) {
    super(message)
    this.name = 'CliUsageError'
    this.exitCode = exitCode
  }
}
