import t from 'tap'
import { sameSecret } from '../../lib/same-secret.js'

t.test('a secret matches itself only: not a prefix, an extension, another case or an empty text', async t => {
  const secret = 'Basic YmVuY2g6YmVuY2gtcGFzc3dvcmQtMTIz'
  t.ok(sameSecret(secret, secret))
  t.ok(sameSecret(`${secret.slice(0, 10)}${secret.slice(10)}`, secret), 'an equal text built another way')
  t.notOk(sameSecret(secret.slice(0, -1), secret))
  t.notOk(sameSecret(`${secret}=`, secret))
  t.notOk(sameSecret(`${secret}\u0000`, secret), 'a trailing NUL is a difference too')
  t.notOk(sameSecret(secret.toLowerCase(), secret))
  t.notOk(sameSecret('', secret))
  t.notOk(sameSecret(secret, ''))
  t.ok(sameSecret('', ''))
  t.notOk(sameSecret('Basic пароль', 'Basic парол0'), 'characters beyond Latin-1 are compared whole')
})
