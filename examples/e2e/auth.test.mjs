import assert from 'node:assert/strict'
import { test } from 'node:test'
import { call, newUser, totp } from './client.mjs'

test('health answers ok with a request id', async () => {
  const r = await call('GET', '/health')
  assert.equal(r.status, 200)
  assert.deepEqual(r.body, { ok: true })
  assert.ok(r.headers.get('x-request-id'))
})

test('register, log in and read me', async () => {
  const user = await newUser()
  assert.ok(user.token)
  const me = await call('GET', '/api/auth/me', { token: user.token })
  assert.equal(me.status, 200)
  assert.equal(me.body.email, user.email)
  assert.equal(me.body.id, user.id)
  assert.match(me.body.createdAt, /^\d{4}-\d\d-\d\dT/)
})

test('registration is validated and unique', async () => {
  assert.equal((await call('POST', '/api/auth/register', { body: { email: 'nope' } })).status, 400)
  const user = await newUser()
  const again = await call('POST', '/api/auth/register', { body: { email: user.email, password: user.password } })
  assert.equal(again.status, 409)
  assert.equal(typeof again.body.error, 'string')
})

test('a wrong password and a missing token answer 401 with an error', async () => {
  const user = await newUser()
  const bad = await call('POST', '/api/auth/login', { body: { email: user.email, password: 'wrong password' } })
  assert.equal(bad.status, 401)
  const anonymous = await call('GET', '/api/auth/me')
  assert.equal(anonymous.status, 401)
  assert.deepEqual(anonymous.body, { error: 'unauthorized' })
})

test('two-factor setup, verify, then login needs the code', async () => {
  const user = await newUser()
  const setup = await call('POST', '/api/auth/2fa/setup', { token: user.token })
  assert.equal(setup.status, 200)
  assert.match(setup.body.secret, /^[A-Z2-7]{32}$/)
  assert.equal((await call('POST', '/api/auth/2fa/verify', { token: user.token, body: { code: '000000' === totp(setup.body.secret) ? '111111' : '000000' } })).status, 400)
  const verify = await call('POST', '/api/auth/2fa/verify', { token: user.token, body: { code: totp(setup.body.secret) } })
  assert.deepEqual(verify.body, { enabled: true })
  assert.equal((await call('POST', '/api/auth/login', { body: { email: user.email, password: user.password } })).status, 401)
  const login = await call('POST', '/api/auth/login', { body: { email: user.email, password: user.password, code: totp(setup.body.secret) } })
  assert.equal(login.status, 200)
  assert.ok(login.body.token)
})
