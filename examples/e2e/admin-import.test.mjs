import assert from 'node:assert/strict'
import { test } from 'node:test'
import WebSocket from 'ws'
import { base, call, newUser } from './client.mjs'

test('admin stats are for admins only', async () => {
  const user = await newUser()
  assert.equal((await call('GET', '/api/admin/stats', { token: user.token })).status, 403)
  const admin = await newUser('admin.example')
  const stats = await call('GET', '/api/admin/stats', { token: admin.token })
  assert.equal(stats.status, 200)
  assert.ok(stats.body.users >= 2)
  assert.equal(typeof stats.body.bookmarks, 'number')
})

test('an import reports its progress over WebSocket and adds the bookmarks', async () => {
  const { token } = await newUser()
  const urls = ['https://one.example/a', 'https://two.example/b', 'https://three.example/c']
  const started = await call('POST', '/api/import', { token, body: { urls } })
  assert.equal(started.status, 202)
  const events = await new Promise((resolve, reject) => {
    const seen = []
    const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/ws/import?id=${started.body.id}`)
    const timer = setTimeout(() => reject(new Error('no end of import within 5 s')), 5000)
    ws.on('message', (data) => seen.push(JSON.parse(String(data))))
    ws.on('close', () => { clearTimeout(timer); resolve(seen) })
    ws.on('error', (e) => { clearTimeout(timer); reject(e) })
  })
  assert.deepEqual(events.map((e) => e.type === 'done' ? `done ${e.imported}` : `${e.done}/${e.total}`), ['1/3', '2/3', '3/3', 'done 3'])
  const list = await call('GET', '/api/bookmarks', { token })
  assert.deepEqual(list.body.map((b) => b.title), ['one.example', 'two.example', 'three.example'])
})
