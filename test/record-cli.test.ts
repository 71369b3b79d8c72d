/**
 * The whole flow from the built CLI: `parity record` in front of a real baseline, traffic through
 * it, Ctrl-C; the corpus holds no secret; `parity replay` of that corpus verifies an identical
 * candidate; `parity shadow` mirrors to a candidate and reports on Ctrl-C.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'

const repo = new URL('..', import.meta.url).pathname
const tmp = mkdtempSync(join(tmpdir(), 'parity-record-'))
const servers: Server[] = []
let baseline = ''
let candidate = ''
const hits: Record<string, number> = {}

function api(version: string): Promise<string> {
  const server = createServer((req, res) => {
    hits[version] = (hits[version] ?? 0) + 1
    req.resume()
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'sid=s3cr3t-cookie; HttpOnly' })
      res.end(JSON.stringify({ path: req.url, version }))
    })
  })
  servers.push(server)
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as { port: number }).port}`)))
}

beforeAll(async () => {
  baseline = await api('1')
  candidate = await api('2')
})
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))))
  rmSync(tmp, { recursive: true, force: true })
})

/** Start a long-running CLI command and wait for the line that says where it listens. */
function start(args: string[]): Promise<{ child: ChildProcess; url: string; output: () => { stdout: string; stderr: string } }> {
  const child = spawn(process.execPath, [join(repo, 'bin/parity.js'), ...args], { env: { ...process.env, CI: 'true' } })
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (d) => (stdout += d))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line: ${stderr}`)), 10_000)
    child.stderr!.on('data', (d) => {
      stderr += d
      const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(stderr)
      if (m) {
        clearTimeout(timer)
        resolve({ child, url: m[1]!, output: () => ({ stdout, stderr }) })
      }
    })
  })
}

const stopped = (child: ChildProcess) => new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)))

it('records through the proxy without secrets, then replays the corpus', async () => {
  const out = join(tmp, 'corpus.ndjson')
  const rec = await start(['record', '--target', baseline, '--out', out])
  for (const path of ['/api/a?x=1', '/api/b']) {
    const res = await fetch(`${rec.url}${path}`, { headers: { authorization: 'Bearer very-secret-token' } })
    expect(await res.json()).toEqual({ path, version: '1' })
  }
  await fetch(`${rec.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'ada', password: 'hunter2' }) }).then((r) => r.text())
  const exit = stopped(rec.child)
  rec.child.kill('SIGINT')
  expect(await exit).toBe(0)
  expect(rec.output().stderr).toContain('recorded 3 exchange(s)')
  const text = readFileSync(out, 'utf8')
  expect(text.trim().split('\n')).toHaveLength(3)
  for (const secret of ['very-secret-token', 'hunter2', 's3cr3t-cookie']) expect(text).not.toContain(secret)
  expect(text).toContain('sid=') // the cookie's name stays

  const { execFile } = await import('node:child_process')
  const replay = await new Promise<{ code: number; stdout: string }>((resolve) =>
    execFile(process.execPath, [join(repo, 'bin/parity.js'), 'replay', '--corpus', out, '--baseline', baseline, '--candidate', baseline, '--format', 'json'], (err, stdout) =>
      resolve({ code: err ? (err as { code: number }).code : 0, stdout }),
    ),
  )
  expect(replay.code).toBe(0)
  const routes = JSON.parse(replay.stdout).routes as Array<{ key: string; status: string }>
  expect(routes.map((r) => `${r.key} ${r.status}`).sort()).toEqual(['GET /api/a verified', 'GET /api/b verified', 'POST /api/login verified'])
})

it('shadows to a candidate without touching the client answers, and reports on Ctrl-C', async () => {
  const sh = await start(['shadow', '--baseline', baseline, '--candidate', candidate])
  const res = await fetch(`${sh.url}/api/x`)
  expect(await res.json()).toEqual({ path: '/api/x', version: '1' })
  // Wait (bounded) until the copy has reached the candidate.
  for (let i = 0; i < 100 && !hits['2']; i++) await new Promise((r) => setTimeout(r, 50))
  await new Promise((r) => setTimeout(r, 100))
  const exit = stopped(sh.child)
  sh.child.kill('SIGINT')
  expect(await exit).toBe(1) // the candidate answers version 2
  expect(sh.output().stdout).toMatch(/≠ GET \/api\/x +divergent/)
  expect(sh.output().stdout).toMatch(/forwarded 1 · mirrored 1 · dropped 0 · candidate errors 0/)
})
