/**
 * HAR import: sessions by client. Two users, each on their own page, their entries interleaved in
 * the file, become two sessions (by page, by the token or cookie their login issued); one user over
 * two pages stays one session; a configured header names the client; entries are in start order.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it, onTestFinished } from 'vitest'
import { readCorpus } from '../src/verify/corpus.js'

const dir = mkdtempSync(join(tmpdir(), 'parity-har-sessions-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

interface Entry {
  page?: string
  at: number
  method: string
  path: string
  headers?: Record<string, string>
  status?: number
  responseHeaders?: Record<string, string>
  body?: unknown
}

function har(name: string, entries: Entry[]): string {
  const path = join(dir, name)
  const toList = (h: Record<string, string> = {}) => Object.entries(h).map(([n, value]) => ({ name: n, value }))
  writeFileSync(
    path,
    JSON.stringify({
      log: {
        version: '1.2',
        pages: [...new Set(entries.map((e) => e.page).filter(Boolean))].map((id) => ({ id, title: id })),
        entries: entries.map((e) => ({
          ...(e.page ? { pageref: e.page } : {}),
          startedDateTime: new Date(Date.UTC(2026, 10, 20, 10, 0, e.at)).toISOString(),
          request: { method: e.method, url: `https://api.example.com${e.path}`, headers: toList(e.headers) },
          response: {
            status: e.status ?? 200,
            headers: toList({ 'content-type': 'application/json', ...e.responseHeaders }),
            content: { text: JSON.stringify(e.body ?? {}) },
          },
        })),
      },
    }),
  )
  return path
}

const sessionsOf = (path: string, options = {}) => {
  const out = new Map<string, string[]>()
  for (const x of [...readCorpus(path, options).exchanges].sort((a, b) => a.seq - b.seq)) {
    out.set(x.session, [...(out.get(x.session) ?? []), `${x.request.method} ${x.request.url}`])
  }
  return out
}

describe('HAR sessions by client', () => {
  it('splits two users whose entries interleave, by page and by what their login issued', () => {
    const path = har('two-users.har', [
      { page: 'p1', at: 0, method: 'POST', path: '/login?u=ann', body: { token: 'ann-token-0123456789' } },
      { page: 'p2', at: 1, method: 'POST', path: '/login?u=bob', responseHeaders: { 'set-cookie': 'sid=bob-session-987654; HttpOnly' } },
      // Filed before the request that preceded it: replay follows the start times.
      { at: 4, method: 'GET', path: '/items/a1', headers: { authorization: 'Bearer ann-token-0123456789' } },
      { at: 2, method: 'POST', path: '/items?u=ann', headers: { authorization: 'Bearer ann-token-0123456789' }, status: 201 },
      { at: 3, method: 'POST', path: '/items?u=bob', headers: { cookie: 'sid=bob-session-987654' }, status: 201 },
      { page: 'p2', at: 5, method: 'GET', path: '/items/b1' },
    ])
    const sessions = sessionsOf(path)
    expect([...sessions.values()]).toEqual([
      ['POST /login?u=ann', 'POST /items?u=ann', 'GET /items/a1'],
      ['POST /login?u=bob', 'POST /items?u=bob', 'GET /items/b1'],
    ])
  })

  it('keeps one user over two pages as one session, as a browser', () => {
    const path = har('one-user.har', [
      { page: 'p1', at: 0, method: 'POST', path: '/login', responseHeaders: { 'set-cookie': 'sid=ann-session-0123456; HttpOnly' } },
      { page: 'p2', at: 1, method: 'POST', path: '/items', headers: { cookie: 'sid=ann-session-0123456' } },
      { page: 'p3', at: 2, method: 'GET', path: '/items/1' },
    ])
    expect([...sessionsOf(path).keys()]).toEqual(['har'])
  })

  it('names the client by a configured header', () => {
    const path = har('header.har', [
      { at: 0, method: 'GET', path: '/a/1', headers: { 'x-client-id': 'one' } },
      { at: 1, method: 'GET', path: '/b/1', headers: { 'x-client-id': 'two' } },
      { at: 2, method: 'GET', path: '/a/2', headers: { 'x-client-id': 'one' } },
    ])
    expect([...sessionsOf(path).keys()]).toEqual(['har'])
    expect([...sessionsOf(path, { sessionHeader: 'X-Client-Id' }).values()]).toEqual([['GET /a/1', 'GET /a/2'], ['GET /b/1']])
  })

  it('takes --session-header on parity replay', async () => {
    const server = createServer((req, res) => {
      req.resume()
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ path: req.url }))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())))
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`
    const path = har('cli.har', [
      { at: 0, method: 'GET', path: '/a/1', headers: { 'x-client-id': 'one' }, body: { path: '/a/1' } },
      { at: 1, method: 'GET', path: '/b/1', headers: { 'x-client-id': 'two' }, body: { path: '/b/1' } },
    ])
    const bin = new URL('../bin/parity.js', import.meta.url).pathname
    const run = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile(
        process.execPath,
        [bin, 'replay', '--corpus', path, '--baseline', url, '--candidate', url, '--session-header', 'x-client-id', '--format', 'json'],
        (err, stdout, stderr) => resolve({ code: err ? (err as { code: number }).code : 0, stdout, stderr }),
      ),
    )
    expect(run.stderr).not.toContain('session-header')
    expect(run.code).toBe(0)
    const routes = JSON.parse(run.stdout).routes as Array<{ key: string; status: string }>
    expect(routes.map((r) => `${r.key} ${r.status}`).sort()).toEqual(['GET /a/{} verified', 'GET /b/{} verified'])
  })
})
