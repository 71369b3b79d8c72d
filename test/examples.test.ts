/**
 * The runnable examples: the Express baseline and the Fastify rewrite started the way a user starts
 * them (`node --import tsx src/server.ts`, PORT from a free port), the rewrite's planted differences
 * seen over HTTP, and the recorded corpus replayed by the built CLI against fresh instances.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunResult } from '../src/model/run.js'

const repo = new URL('..', import.meta.url).pathname
const children: ChildProcess[] = []

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
      .once('error', reject)
      .listen(0, '127.0.0.1', () => {
        const address = s.address()
        s.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
      })
  })
}

/** Starts one example in its own process group and waits (at most 20 s) for /health. */
async function start(example: 'bookmarks-express' | 'bookmarks-fastify'): Promise<string> {
  const port = await freePort()
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: join(repo, 'examples', example),
    env: { ...process.env, PORT: String(port), DATABASE: ':memory:' },
    stdio: 'ignore',
    detached: true,
  })
  children.push(child)
  const url = `http://127.0.0.1:${port}`
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`${example} exited with ${child.exitCode}`)
    const ok = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.ok,
      () => false,
    )
    if (ok) return url
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`${example} did not answer /health within 20 s`)
}

afterAll(() => {
  for (const child of children) if (child.pid && child.exitCode === null) process.kill(-child.pid, 'SIGTERM')
})

interface Answer {
  status: number
  headers: Headers
  // biome-ignore lint/suspicious/noExplicitAny: the example apps' JSON answers, read by path in the assertions
  body: any
}
async function call(base: string, method: string, path: string, token?: string, body?: unknown): Promise<Answer> {
  const headers: Record<string, string> = {}
  if (token) headers.authorization = `Bearer ${token}`
  if (body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(5000) })
  const text = await res.text()
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined }
}

async function signUp(base: string): Promise<string> {
  const email = `t-${Math.random().toString(36).slice(2)}@example.org`
  expect((await call(base, 'POST', '/api/auth/register', undefined, { email, password: 'long enough' })).status).toBe(201)
  return (await call(base, 'POST', '/api/auth/login', undefined, { email, password: 'long enough' })).body.token as string
}

describe('the examples, side by side', () => {
  let express = ''
  let fastify = ''
  beforeAll(async () => {
    ;[express, fastify] = await Promise.all([start('bookmarks-express'), start('bookmarks-fastify')])
  }, 45_000)

  it('both answer /health, with a fresh x-request-id on every answer', async () => {
    for (const base of [express, fastify]) {
      const [a, b] = [await call(base, 'GET', '/health'), await call(base, 'GET', '/health')]
      expect(a).toMatchObject({ status: 200, body: { ok: true } })
      expect(a.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
      expect(a.headers.get('x-request-id')).not.toBe(b.headers.get('x-request-id'))
    }
  })

  it('the baseline has two-factor auth, the rewrite answers 404 there', async () => {
    const setup = await call(express, 'POST', '/api/auth/2fa/setup', await signUp(express))
    expect(setup.status).toBe(200)
    expect(setup.body.secret).toMatch(/^[A-Z2-7]{32}$/)
    expect((await call(fastify, 'POST', '/api/auth/2fa/setup', await signUp(fastify))).status).toBe(404)
  })

  it('shows the planted differences a to d and f, and agrees on the rest', async () => {
    const seen = []
    for (const base of [express, fastify]) {
      const token = await signUp(base)
      for (const [url, tags] of [
        ['https://a.example/sqlite', ['web', 'db']],
        ['https://b.example', ['web']],
        ['https://c.example/sqlite', ['web']],
      ] as const) {
        expect((await call(base, 'POST', '/api/bookmarks', token, { url, tags })).status).toBe(201)
      }
      const list = await call(base, 'GET', '/api/bookmarks', token)
      const bulk = await call(base, 'DELETE', '/api/bookmarks/bulk', token, { ids: [list.body[1].id] })
      seen.push({
        list: list.body.map((b: { url: string; tags: string[] }) => [b.url, b.tags]),
        total: (await call(base, 'GET', '/api/collections', token)).headers.get('x-total-count'),
        bulk: bulk.body,
        bulkIds: [list.body[1].id],
        tags: (await call(base, 'GET', '/api/tags', token)).body,
        search: (await call(base, 'GET', '/api/search?q=sqlite', token)).body.total,
        unknown: await call(base, 'GET', '/api/bookmarks/00000000-0000-4000-8000-000000000000', token),
      })
    }
    const [b, c] = seen as [(typeof seen)[number], (typeof seen)[number]]
    expect(c.list).toEqual(b.list)
    // (a) bulk delete: the rewrite leaves out `ids`.
    expect(b.bulk).toEqual({ deleted: 1, ids: b.bulkIds })
    expect(c.bulk).toEqual({ deleted: 1 })
    // (b) tags: by name in the baseline, by count in the rewrite.
    expect(b.tags).toEqual([
      { name: 'db', count: 1 },
      { name: 'web', count: 2 },
    ])
    expect(c.tags).toEqual([
      { name: 'web', count: 2 },
      { name: 'db', count: 1 },
    ])
    // (c) search total: a number, then a string.
    expect([b.search, c.search]).toEqual([2, '2'])
    // (d) unknown id: both 404, different bodies.
    expect([b.unknown.status, c.unknown.status]).toEqual([404, 404])
    expect(b.unknown.body).toEqual({ error: 'bookmark not found' })
    expect(c.unknown.body).toEqual({ message: 'Not Found' })
    // (f) the collections list's count header: sent by the baseline, not by the rewrite.
    expect([b.total, c.total]).toEqual(['0', null])
  })
})

describe('the recorded corpus, replayed by the built CLI', () => {
  it('verifies what the rewrite ported unchanged and finds the planted differences and the missing routes', async () => {
    const [baseline, baseline2, candidate] = await Promise.all([start('bookmarks-express'), start('bookmarks-express'), start('bookmarks-fastify')])
    const argv = [
      join(repo, 'bin/parity.js'),
      'replay',
      '--corpus',
      join(repo, 'examples/corpus/bookmarks.ndjson'),
      '--inventory',
      join(repo, 'examples/bookmarks-express'),
      '--baseline',
      baseline,
      '--baseline2',
      baseline2,
      '--candidate',
      candidate,
      '--format',
      'json',
    ]
    const out = await promisify(execFile)(process.execPath, argv, { env: { ...process.env, CI: 'true' } }).then(
      (r) => r.stdout,
      (e: { code: number; stdout: string }) => {
        expect(e.code).toBe(1) // some route diverges
        return e.stdout
      },
    )
    const routes = (JSON.parse(out) as RunResult).routes ?? []
    const status = Object.fromEntries(routes.map((r) => [r.key, r.status]))
    for (const key of [
      'GET /health',
      'POST /api/auth/register',
      'POST /api/auth/login',
      'GET /api/auth/me',
      'PUT /api/bookmarks/{}',
      'POST /api/bookmarks/bulk',
      'GET /api/collections/{}',
      'GET /api/search/suggest',
    ]) {
      expect(status[key], key).toBe('verified')
    }
    // The six planted differences (e: a bookmark the rewrite refuses; f: the collections list's X-Total-Count header), and the WebSocket it does not upgrade.
    for (const key of [
      'DELETE /api/bookmarks/bulk',
      'GET /api/tags',
      'GET /api/search',
      'GET /api/bookmarks/{}',
      'POST /api/bookmarks',
      'GET /api/collections',
      'WS /ws/import',
    ]) {
      expect(status[key], key).toBe('divergent')
    }
    // The list differs only because the refused bookmark is not in it: a likely consequence of that write.
    expect(status['GET /api/bookmarks']).toBe('consequence')
    const list = routes.find((r) => r.key === 'GET /api/bookmarks')!
    expect(list.groups?.map((g) => [g.shape, g.cause?.route])).toEqual([['?tag', 'POST /api/bookmarks']])
    // Routes the rewrite does not serve (404 to every exchange): missing, as in the figures.
    for (const key of [
      'POST /api/auth/2fa/setup',
      'GET /api/admin/stats',
      'POST /api/import',
      'GET /api/import/{}/events',
      'DELETE /api/tags/{}',
      'PUT /api/tags/{}',
      'POST /api/collections/{}/bookmarks',
    ]) {
      expect(status[key], key).toBe('missing')
    }
  }, 60_000)
})
