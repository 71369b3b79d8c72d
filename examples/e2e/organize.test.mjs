import assert from 'node:assert/strict'
import { test } from 'node:test'
import { call, newUser } from './client.mjs'

async function seed(token) {
  for (const [url, tags] of [['https://vitest.dev', ['test', 'web']], ['https://nodejs.org', ['web']], ['https://sqlite.org', ['db', 'web']]]) {
    await call('POST', '/api/bookmarks', { token, body: { url, title: new URL(url).hostname, tags } })
  }
}

test('tags are listed by name with their counts', async () => {
  const { token } = await newUser()
  await seed(token)
  const tags = await call('GET', '/api/tags', { token })
  assert.deepEqual(tags.body, [{ name: 'db', count: 1 }, { name: 'test', count: 1 }, { name: 'web', count: 3 }])
})

test('deleting a tag removes it from my bookmarks', async () => {
  const { token } = await newUser()
  await seed(token)
  assert.equal((await call('DELETE', '/api/tags/web', { token })).status, 204)
  assert.deepEqual((await call('GET', '/api/tags', { token })).body.map((t) => t.name), ['db', 'test'])
  assert.equal((await call('DELETE', '/api/tags/web', { token })).status, 404)
})

test('search finds by title or url and counts the results', async () => {
  const { token } = await newUser()
  await seed(token)
  const r = await call('GET', '/api/search?q=org', { token })
  assert.equal(r.status, 200)
  assert.equal(r.body.total, 2)
  assert.deepEqual(r.body.results.map((b) => b.url), ['https://nodejs.org', 'https://sqlite.org'])
  assert.equal((await call('GET', '/api/search', { token })).status, 400)
})

test('collections: create, add a bookmark, read back', async () => {
  const { token } = await newUser()
  const c = await call('POST', '/api/collections', { token, body: { name: 'Reading' } })
  assert.equal(c.status, 201)
  const b = await call('POST', '/api/bookmarks', { token, body: { url: 'https://example.org' } })
  assert.equal((await call('POST', `/api/collections/${c.body.id}/bookmarks`, { token, body: { bookmarkId: b.body.id } })).status, 201)
  const got = await call('GET', `/api/collections/${c.body.id}`, { token })
  assert.equal(got.body.bookmarkCount, 1)
  assert.deepEqual(got.body.bookmarks.map((x) => x.id), [b.body.id])
  assert.deepEqual((await call('GET', '/api/collections', { token })).body.map((x) => x.name), ['Reading'])
})
