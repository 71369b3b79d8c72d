import assert from 'node:assert/strict'
import { test } from 'node:test'
import { call, newUser } from './client.mjs'

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

test('create, read, update and delete a bookmark', async () => {
  const { token } = await newUser()
  const created = await call('POST', '/api/bookmarks', { token, body: { url: 'https://nodejs.org', title: 'Node', tags: ['JS', 'runtime'] } })
  assert.equal(created.status, 201)
  assert.match(created.body.id, uuid)
  assert.deepEqual(created.body.tags, ['js', 'runtime'])
  const got = await call('GET', `/api/bookmarks/${created.body.id}`, { token })
  assert.deepEqual(got.body, created.body)
  const updated = await call('PUT', `/api/bookmarks/${created.body.id}`, { token, body: { title: 'Node.js', archived: true } })
  assert.equal(updated.body.title, 'Node.js')
  assert.equal(updated.body.archived, true)
  assert.equal((await call('DELETE', `/api/bookmarks/${created.body.id}`, { token })).status, 204)
  assert.equal((await call('GET', `/api/bookmarks/${created.body.id}`, { token })).status, 404)
})

test('a bookmark needs a url', async () => {
  const { token } = await newUser()
  const r = await call('POST', '/api/bookmarks', { token, body: { title: 'no url' } })
  assert.equal(r.status, 400)
  assert.deepEqual(r.body, { error: 'url is required' })
})

test('an unknown bookmark answers 404 with an error', async () => {
  const { token } = await newUser()
  const r = await call('GET', '/api/bookmarks/00000000-0000-4000-8000-000000000000', { token })
  assert.equal(r.status, 404)
  assert.deepEqual(r.body, { error: 'bookmark not found' })
})

test('the list holds only my bookmarks, in creation order, with their tags', async () => {
  const me = await newUser()
  const other = await newUser()
  await call('POST', '/api/bookmarks', { token: other.token, body: { url: 'https://other.example' } })
  for (const url of ['https://a.example', 'https://b.example']) await call('POST', '/api/bookmarks', { token: me.token, body: { url, tags: ['x'] } })
  const list = await call('GET', '/api/bookmarks', { token: me.token })
  assert.deepEqual(list.body.map((b) => [b.url, b.tags]), [['https://a.example', ['x']], ['https://b.example', ['x']]])
  const tags = await call('GET', `/api/bookmarks/${list.body[0].id}/tags`, { token: me.token })
  assert.deepEqual(tags.body, ['x'])
})

test('bulk create, then bulk delete answers the deleted ids', async () => {
  const { token } = await newUser()
  const bulk = await call('POST', '/api/bookmarks/bulk', { token, body: { bookmarks: [{ url: 'https://1.example' }, { url: 'https://2.example' }, { url: 'https://3.example' }] } })
  assert.equal(bulk.status, 201)
  assert.equal(bulk.body.created, 3)
  const ids = bulk.body.ids.slice(0, 2)
  const deleted = await call('DELETE', '/api/bookmarks/bulk', { token, body: { ids } })
  assert.deepEqual(deleted.body, { deleted: 2, ids })
  assert.equal((await call('GET', '/api/bookmarks', { token })).body.length, 1)
})
