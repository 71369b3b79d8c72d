/**
 * `parity replay` from the built CLI against real servers on 127.0.0.1: two baseline instances
 * (noise is what differs between them) and a candidate with planted differences. Every planted
 * difference is found and nothing else is reported.
 */
import { execFile } from 'node:child_process'
import { randomBytes, randomUUID } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { RunResult } from '../src/model/run.js'

const repo = new URL('..', import.meta.url).pathname
const servers: Server[] = []

/** A notes API; `planted` makes the candidate's differences. */
function notesApi(planted: boolean): Promise<string> {
  const tokens = new Set<string>()
  const notes = new Map<string, { id: string; text: string; createdAt: string }>()
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (c) => (body += c))
    req.on('end', () => {
      const send = (status: number, value: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-request-id': randomUUID(), ...headers })
        res.end(JSON.stringify(value))
      }
      if (req.method === 'POST' && req.url === '/api/login') {
        const token = randomBytes(24).toString('hex')
        tokens.add(token)
        return send(200, { token, expiresAt: new Date(Date.now() + 3600_000).toISOString() })
      }
      if (!tokens.has((req.headers.authorization ?? '').replace('Bearer ', ''))) return send(401, { error: 'unauthorized' })
      if (req.method === 'POST' && req.url === '/api/notes') {
        const note = { id: randomUUID(), text: JSON.parse(body).text as string, createdAt: new Date().toISOString() }
        notes.set(note.id, note)
        // Planted: the candidate answers 200 instead of 201.
        return send(planted ? 200 : 201, note, { location: `/api/notes/${note.id}` })
      }
      if (req.method === 'GET' && req.url === '/api/notes') return send(200, { count: notes.size, items: [...notes.values()] })
      const id = req.url?.startsWith('/api/notes/') ? req.url.slice('/api/notes/'.length) : ''
      const note = notes.get(id)
      if (req.method === 'GET' && note) {
        // Planted: the candidate drops `text` and adds `title`.
        return send(200, planted ? { id: note.id, title: note.text, createdAt: note.createdAt } : note)
      }
      send(404, { error: 'not found' })
    })
  })
  servers.push(server)
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as { port: number }).port}`)))
}

let baseline = ''
let baseline2 = ''
let candidate = ''
beforeAll(async () => {
  baseline = await notesApi(false)
  baseline2 = await notesApi(false)
  candidate = await notesApi(true)
})
afterAll(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))))

async function replay(args: string[]): Promise<{ code: number; stdout: string }> {
  const run = promisify(execFile)
  const argv = [join(repo, 'bin/parity.js'), 'replay', '--corpus', join(repo, 'fixtures/replay/session.yaml'), ...args]
  return run(process.execPath, argv, { env: { ...process.env, CI: 'true' } }).then(
    (r) => ({ code: 0, stdout: r.stdout }),
    (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
  )
}

it('finds every planted difference, learns the noise, and reports nothing else', async () => {
  const { code, stdout } = await replay(['--baseline', baseline, '--baseline2', baseline2, '--candidate', candidate, '--format', 'json'])
  expect(code).toBe(1)
  const run = JSON.parse(stdout) as RunResult
  const routes = Object.fromEntries((run.routes ?? []).map((r) => [r.key, r]))
  expect(Object.keys(routes).sort()).toEqual(['GET /api/notes', 'GET /api/notes/nope', 'GET /api/notes/{}', 'POST /api/login', 'POST /api/notes'])
  // Both sides answering 404 alike proves nothing: unproven, not verified.
  expect(routes['GET /api/notes/nope']).toMatchObject({ status: 'unproven', differences: [] })
  expect(routes['POST /api/login']).toMatchObject({ status: 'verified', differences: [] })
  expect(routes['GET /api/notes']).toMatchObject({ status: 'verified', differences: [] })
  expect(routes['POST /api/notes']!.status).toBe('divergent')
  expect(routes['POST /api/notes']!.differences).toEqual([{ where: 'status', pointer: '', kind: 'value', baseline: 201, candidate: 200 }])
  expect(routes['GET /api/notes/{}']!.status).toBe('divergent')
  expect(routes['GET /api/notes/{}']!.differences.map((d) => `${d.where} ${d.pointer} ${d.kind}`).sort()).toEqual(['body /text missing', 'body /title extra'])
  // The statuses reach the pairs and the figures.
  expect(run.summary).toMatchObject({ verified: 2, divergent: 2 })
})

it('prints routes with their differences and exits 0 when nothing diverges', async () => {
  const same = await replay(['--baseline', baseline, '--baseline2', baseline2, '--candidate', baseline2])
  expect(same.code).toBe(0)
  expect(same.stdout).toMatch(/✓ POST \/api\/notes +verified/)
  const diverging = await replay(['--baseline', baseline, '--baseline2', baseline2, '--candidate', candidate])
  expect(diverging.stdout).toMatch(/≠ POST \/api\/notes +divergent/)
  expect(diverging.stdout).toContain('status: value  baseline 201 · candidate 200')
})

it('reports a candidate that refuses connections per exchange, and goes on', async () => {
  const { code, stdout } = await replay(['--baseline', baseline, '--candidate', 'http://127.0.0.1:1', '--format', 'json', '--timeout', '2'])
  expect(code).toBe(1)
  const run = JSON.parse(stdout) as RunResult
  expect(run.diagnostics.map((d) => d.code)).toContain('REPLAY_ERRORS')
  expect(run.routes?.every((r) => r.status === 'divergent')).toBe(true)
})
