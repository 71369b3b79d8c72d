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
  await fetch(`${rec.url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: 'ada', password: 'hunter2' }),
  }).then((r) => r.text())
  const exit = stopped(rec.child)
  rec.child.kill('SIGINT')
  expect(await exit).toBe(0)
  expect(rec.output().stderr).toContain('recorded 3 exchanges')
  const text = readFileSync(out, 'utf8')
  expect(text.trim().split('\n')).toHaveLength(3)
  for (const secret of ['very-secret-token', 'hunter2', 's3cr3t-cookie']) expect(text).not.toContain(secret)
  expect(text).toContain('sid=') // the cookie's name stays

  const { execFile } = await import('node:child_process')
  const replay = await new Promise<{ code: number; stdout: string }>((resolve) =>
    execFile(
      process.execPath,
      [join(repo, 'bin/parity.js'), 'replay', '--corpus', out, '--baseline', baseline, '--candidate', baseline, '--format', 'json'],
      (err, stdout) => resolve({ code: err ? (err as { code: number }).code : 0, stdout }),
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
  expect(sh.output().stdout).toMatch(/forwarded 1 · mirrored 1 · dropped 0 · unfinished 0 · candidate errors 0/)
})

it('waits for a copy in flight on Ctrl-C, and exits 2 when the candidate never answers it (no comparison made)', async () => {
  const hanging = createServer(() => {}) // accepts, never answers
  servers.push(hanging)
  const url = await new Promise<string>((resolve) =>
    hanging.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(hanging.address() as { port: number }).port}`)),
  )
  let arrived = false
  hanging.on('request', () => (arrived = true))
  const sh = await start(['shadow', '--baseline', baseline, '--candidate', url, '--drain', '0.5'])
  expect((await fetch(`${sh.url}/api/hang`)).status).toBe(200)
  for (let i = 0; i < 100 && !arrived; i++) await new Promise((r) => setTimeout(r, 50))
  const exit = stopped(sh.child)
  sh.child.kill('SIGINT')
  expect(await exit).toBe(2)
  expect(sh.output().stderr).toContain('waiting up to 0.5 s for 1 copy in flight')
  expect(sh.output().stdout).toContain('SHADOW_UNFINISHED: 1 copy was cut off')
  expect(sh.output().stdout).toMatch(/mirrored 1 · dropped 0 · unfinished 1 · candidate errors 0/)
  hanging.closeAllConnections()
})

it('refuses to record or shadow a target that is not on this machine without --allow-remote', async () => {
  const { execFile } = await import('node:child_process')
  const runCli = (args: string[]) =>
    new Promise<{ code: number; stderr: string }>((resolve) =>
      execFile(process.execPath, [join(repo, 'bin/parity.js'), ...args], (err, _stdout, stderr) =>
        resolve({ code: err ? (err as { code: number }).code : 0, stderr }),
      ),
    )
  const rec = await runCli(['record', '--target', 'http://192.0.2.1:80', '--out', join(tmp, 'x.ndjson')])
  expect(rec.code).toBe(2)
  expect(rec.stderr).toContain('is not on this machine')
  const sh = await runCli(['shadow', '--baseline', baseline, '--candidate', 'http://192.0.2.1:80'])
  expect(sh.code).toBe(2)
  expect(sh.stderr).toContain('is not on this machine')
})

it('groups a client by --session-header across its connections, and --help says how sessions are formed', async () => {
  const { execFileSync } = await import('node:child_process')
  const help = execFileSync(process.execPath, [join(repo, 'bin/parity.js'), 'record', '--help'], { encoding: 'utf8' })
  expect(help).toContain('Sessions are clients, not connections')
  expect(help).toContain('--session-header NAME')
  const out = join(tmp, 'by-header.ndjson')
  const rec = await start(['record', '--target', baseline, '--out', out, '--session-header', 'x-client-id'])
  const { Client } = await import('undici')
  for (const client of ['one', 'two']) {
    const connections = [new Client(rec.url), new Client(rec.url)]
    for (let i = 0; i < 4; i++) {
      const res = await connections[i % 2]!.request({ method: 'GET', path: `/api/${client}/${i}`, headers: { 'x-client-id': client } })
      await res.body.text()
    }
    await Promise.all(connections.map((c) => c.close()))
  }
  const exit = stopped(rec.child)
  rec.child.kill('SIGINT')
  expect(await exit).toBe(0)
  const lines = readFileSync(out, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { session: string; seq: number; request: { url: string } })
  expect(lines).toHaveLength(8)
  const sessionOf = (client: string) => new Set(lines.filter((x) => x.request.url.startsWith(`/api/${client}/`)).map((x) => x.session))
  expect(sessionOf('one').size).toBe(1)
  expect(sessionOf('two').size).toBe(1)
  expect([...sessionOf('one')]).not.toEqual([...sessionOf('two')])
  expect(
    lines
      .filter((x) => x.request.url.startsWith('/api/one/'))
      .sort((a, b) => a.seq - b.seq)
      .map((x) => x.request.url),
  ).toEqual(['/api/one/0', '/api/one/1', '/api/one/2', '/api/one/3'])
})
