import Fastify from 'fastify'

/**
 * The ceiling: a bare Fastify JSON route on this machine, answering a contact-shaped body like a lookup's.
 * Whatever the proxy does on top is measured against it.
 */
const app = Fastify({ logger: false })
const body = { contacts: [{ ContactID: '39ec7ad5-91b9-1d73-85d9-b15e1f7c21ea', FirstName: '', LastName: '', CompanyName: 'ООО «Ромашка»', Email: 'info@romashka.ru', PhoneBusiness: '+74951234567', PhoneMobile: '', PhoneOther: '', EntityType: 'Partner', ContactUrl: 'http://1c.example.local/ut11/#e1cib/data/Справочник.Партнеры?ref=85d9b15e1f7c21ea1d7391b939ec7ad5' }], outcome: 'found' }
app.post('/3cx/lookup', async () => body)
app.get('/3cx/lookup', async () => body)
await app.listen({ host: '127.0.0.1', port: 0 })
const address = app.server.address()
const port = typeof address === 'object' && address !== null ? address.port : 0
process.stdout.write(`${JSON.stringify({ msg: 'ready', proxy: `http://127.0.0.1:${port}` })}\n`)
process.once('SIGTERM', () => { void app.close() })
