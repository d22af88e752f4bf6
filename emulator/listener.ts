import type { Server } from 'node:http'

/**
 * The TCP listener of a started emulator, which can be closed and reopened on the same port to simulate
 * 1C going down and coming back. Stopping drops every open connection, as a dying server would.
 */
export class Listener {
  private readonly server: Server
  private readonly host: string
  private readonly port: number

  constructor (server: Server, host: string, port: number) {
    this.server = server
    this.host = host
    this.port = port
  }

  get listening (): boolean {
    return this.server.listening
  }

  async stop (): Promise<void> {
    if (!this.server.listening) return
    const closed = new Promise<void>((resolve, reject) => this.server.close((error) => error === undefined ? resolve() : reject(error)))
    this.server.closeAllConnections()
    await closed
  }

  async start (): Promise<void> {
    if (this.server.listening) return
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error): void => reject(error)
      this.server.once('error', onError)
      this.server.listen(this.port, this.host, () => {
        this.server.off('error', onError)
        resolve()
      })
    })
  }
}
