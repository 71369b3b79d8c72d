/**
 * `parity replay` from the built CLI against real servers on 127.0.0.1: two baseline instances
 * (noise is what differs between them) and a candidate with planted differences. Every planted
 * difference is found and nothing else is reported.
 */
import { execFile } from 'node:child_process'
import type { Server } from 'node:http'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { RunResult } from '../src/model/run.js'
import { notesApi } from './support/notes-api.js'

const repo = new URL('..', import.meta.url).pathname
const servers: Server[] = []

let baseline = ''
let baseline2 = ''
let candidate = ''
beforeAll(async () => {
  baseline = await notesApi(false, servers)
  baseline2 = await notesApi(false, servers)
  candidate = await notesApi(true, servers)
})
afterAll(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))))

async function replay(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const run = promisify(execFile)
  const argv = [join(repo, 'bin/parity.js'), 'replay', '--corpus', join(repo, 'fixtures/replay/session.yaml'), ...args]
  return run(process.execPath, argv, { env: { ...process.env, CI: 'true' } }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
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
  // Three fresh instances in one state: the candidate as its own instance (reusing the second baseline
  // would write to it twice, and the learned noise no longer hides a list one item longer).
  const [b1, b2, c1] = [await notesApi(false, servers), await notesApi(false, servers), await notesApi(false, servers)]
  const same = await replay(['--baseline', b1, '--baseline2', b2, '--candidate', c1])
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

it('exits 2, never 0, when the baseline is down: no comparison was made', async () => {
  const { code, stdout } = await replay(['--baseline', 'http://127.0.0.1:1', '--candidate', baseline, '--format', 'json', '--timeout', '2'])
  expect(code).toBe(2)
  const run = JSON.parse(stdout) as RunResult
  expect(run.diagnostics.map((d) => d.code)).toContain('REPLAY_ERRORS')
  expect(run.routes?.some((r) => r.status === 'verified')).toBe(false)
})

it('refuses a target that is not on this machine before any connection, unless --allow-remote', async () => {
  const r = await replay(['--baseline', 'http://10.255.255.1:80', '--candidate', baseline])
  expect(r.code).toBe(2)
  expect(r.stderr).toContain('is not on this machine')
  expect(r.stderr).toContain('--allow-remote')
})
