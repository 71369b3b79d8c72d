/**
 * `parity serve`: the dashboard's API and static files over real stores, started in-process on
 * 127.0.0.1 port 0, and the built CLI spawned the way a user runs it. Traversal and CSRF attempts are
 * sent as raw HTTP (fetch would normalise the paths); accepted differences are written into real
 * YAML and TypeScript configs and read back with loadConfig.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { createServer } from 'node:net'
import { networkInterfaces, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config/load.js'
import { acceptIntoTypeScript, acceptIntoYaml } from '../src/dashboard/accept.js'
import { liveFile, liveWriter } from '../src/dashboard/live.js'
import { startDashboard, type Dashboard } from '../src/dashboard/server.js'
import type { RunResult } from '../src/model/run.js'
import { openHistory } from '../src/store/history.js'
import { makeRun } from './support/history-runs.js'
import { demoLikeRun, divergentFingerprint } from './support/serve-run.js'

const repo = fileURLToPath(new URL('..', import.meta.url))
const examples = join(repo, 'examples')
const tmp = mkdtempSync(join(tmpdir(), 'parity-serve-'))
const servers: Dashboard[] = []
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()))
  rmSync(tmp, { recursive: true, force: true })
})

async function serve(options: Parameters<typeof startDashboard>[0]): Promise<Dashboard> {
  const d = await startDashboard({ port: 0, pollMs: 50, ...options })
  servers.push(d)
  return d
}

interface Raw {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** A request with the path sent exactly as given. */
function raw(d: Dashboard, path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: d.port, path, method: init.method ?? 'GET', headers: init.headers ?? {} }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }))
    })
    req.on('error', reject)
    req.end(init.body)
  })
}

const getJson = async <T = unknown>(d: Dashboard, path: string): Promise<{ status: number; body: T }> => {
  const r = await raw(d, path)
  return { status: r.status, body: JSON.parse(r.body) as T }
}

function post(d: Dashboard, body: unknown, headers: Record<string, string> = {}): Promise<Raw> {
  return raw(d, '/api/accept', {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: `http://127.0.0.1:${d.port}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
}

/** `after` is `before` with exactly `text` inserted, every other byte unchanged. */
function expectInserted(before: string, after: string, text: string): void {
  const at = after.indexOf(text)
  expect(at, after).toBeGreaterThanOrEqual(0)
  expect(after.slice(0, at) + after.slice(at + text.length)).toBe(before)
}

function project(name: string, file: string, text: string): { dir: string; config: string; history: string } {
  const dir = join(tmp, name)
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, file), text)
  return { dir, config: join(dir, file), history: join(dir, '.parity/history.sqlite') }
}

const src = (name: string) => JSON.stringify(join(examples, name))
const yamlConfig = `# The bookmarks port: the old service and its rewrite.
systems:
  - name: express # the baseline
    role: baseline
    source: ${src('bookmarks-express')}
  - name: fastify
    role: candidate
    source: ${src('bookmarks-fastify')}

# Not there yet.
gates:
  - ported >= 0.9
`
const tsConfig = (accepted = '') => `// The bookmarks port, typed.
import { defineConfig } from ${JSON.stringify(join(repo, 'src/config/schema.ts'))}

export default defineConfig({
  systems: [
    { name: 'express', role: 'baseline', source: ${src('bookmarks-express')} },
    { name: 'fastify', role: 'candidate', source: ${src('bookmarks-fastify')} },
  ],
  // not there yet
  gates: ['ported >= 0.9'],${accepted}
})
`

let demo: RunResult
let fingerprint: string
beforeAll(async () => {
  demo = await demoLikeRun()
  fingerprint = divergentFingerprint(demo)
})

function storeWith(file: string, runs: RunResult[]): string[] {
  const store = openHistory(file)
  try {
    return runs.map((r) => store.append(r))
  } finally {
    store.close()
  }
}

describe('API over a stored history', () => {
  let d: Dashboard
  let ids: string[]
  beforeAll(async () => {
    const history = join(tmp, 'api/history.sqlite')
    ids = storeWith(history, [makeRun({ 'GET /a': 'missing', 'GET /b': 'ported' }, { startedAt: '2025-01-01T00:00:00.000Z', productionReady: false }), demo])
    d = await serve({ historyFile: history })
  })

  it('lists the runs with their verdict and percentages, oldest first', async () => {
    const { status, body } = await getJson<Array<{ id: string; verdict: string; percents: Record<string, { ported: number; verified: number }> }>>(
      d,
      '/api/runs',
    )
    expect(status).toBe(200)
    expect(body.map((r) => r.id)).toEqual(ids)
    expect(body[0]).toMatchObject({ verdict: 'not-ready', percents: { rewrite: { ported: 50, verified: 0 } } })
    expect(body[1]!.verdict).toBe('not-ready')
    expect(body[1]!.percents.fastify!.ported).toBe(demo.candidates.fastify!.percent)
  })

  it('answers the latest run, a run by id, and the history', async () => {
    const latest = await getJson<RunResult>(d, '/api/run/latest')
    expect(latest.status).toBe(200)
    expect(latest.body.id).toBe(ids[1])
    expect(latest.body.routes).toEqual(demo.routes)
    const first = await getJson<RunResult>(d, `/api/run/${ids[0]}`)
    expect(first.body.pairs.map((p) => p.key)).toEqual(['GET /a', 'GET /b'])
    const history = await getJson<{ runs: Array<{ id: string }> }>(d, '/api/history')
    expect(history.body.runs.map((r) => r.id)).toEqual(ids)
  })

  it('answers 404 JSON for an unknown run and an unknown API route', async () => {
    for (const path of ['/api/run/2020-01-01T00-00-00.000Z-000000', '/api/nothing', '/api', '/api/run/']) {
      const r = await raw(d, path)
      expect(r.status, path).toBe(404)
      expect(r.headers['content-type']).toContain('application/json')
      expect(JSON.parse(r.body).error).toBeTruthy()
    }
  })

  it('serves the client with a strict CSP and no inline script', async () => {
    const page = await raw(d, '/')
    expect(page.status).toBe(200)
    const csp = String(page.headers['content-security-policy'])
    expect(csp).toContain("default-src 'none'")
    expect(csp).toContain("script-src 'self'")
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/)
    expect(page.body).toContain('<script src="/app.js"></script>')
    expect(page.body).not.toMatch(/<script>[^<]/)
    const app = await raw(d, '/app.js')
    expect(app.headers['content-type']).toContain('javascript')
    expect(app.body).toBe(readFileSync(join(repo, 'dist/dashboard/client/app.js'), 'utf8'))
  })

  it('never serves a file outside the client folder, however the path is written', async () => {
    const secret = readFileSync(join(repo, 'package.json'), 'utf8')
    const paths = [
      '/../package.json',
      '/../../package.json',
      '/%2e%2e/package.json',
      '/%2E%2E%2Fpackage.json',
      '/..%2fpackage.json',
      '/app.js/../../../package.json',
      '//etc/passwd',
      '/etc/passwd',
      '/%2fetc%2fpasswd',
      '/app.js%00',
      '/app.js\u0000.css',
      '/C:/Windows/win.ini',
      '/api/run/..%2f..%2fpackage.json',
      '/api/run/../../package.json',
      '/api/../package.json',
      '/client/app.js',
      '/./app.js',
      '/app.js/',
      '/server.js',
      '/accept.ts',
    ]
    for (const path of paths) {
      const r = await raw(d, path.replace('\u0000', '%00'))
      expect(r.status, path).toBe(404)
      expect(r.body).not.toContain(secret.slice(0, 40))
      expect(r.body).not.toContain('root:')
    }
  })

  it('answers nothing to a request for another host name (DNS rebinding)', async () => {
    const r = await raw(d, '/api/runs', { headers: { host: 'evil.example:80' } })
    expect(r.status).toBe(403)
    expect(r.body).not.toContain(ids[0])
  })

  it('keeps answering while another connection appends runs', async () => {
    const history = join(tmp, 'busy/history.sqlite')
    storeWith(history, [makeRun({ 'GET /a': 'ported' })])
    const busy = await serve({ historyFile: history })
    const script = join(tmp, 'append.mts')
    writeFileSync(
      script,
      `import { openHistory } from ${JSON.stringify(join(repo, 'src/store/history.ts'))}
import { makeRun } from ${JSON.stringify(join(repo, 'test/support/history-runs.ts'))}
const store = openHistory(${JSON.stringify(history)})
process.stdout.write('appending\\n')
for (let i = 0; i < 30; i++) { store.append(makeRun({ ['GET /r' + i]: 'ported', 'GET /a': 'missing' })); await new Promise((r) => setTimeout(r, 5)) }
store.close()
`,
    )
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    let stdout = ''
    child.stderr!.on('data', (c: Buffer) => (stderr += c))
    child.stdout!.on('data', (c: Buffer) => (stdout += c))
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))
    let done = false
    void exited.then(() => (done = true))
    const seen = new Set<number>()
    for (let i = 0; i < 400 && !done && !stdout.includes('appending'); i++) await new Promise((r) => setTimeout(r, 25))
    for (let i = 0; i < 5000 && !done; i++) {
      const [runs, latest] = await Promise.all([getJson<unknown[]>(busy, '/api/runs'), getJson<RunResult>(busy, '/api/run/latest')])
      expect(runs.status).toBe(200)
      expect(latest.status).toBe(200)
      expect(latest.body.schema).toBe(demo.schema)
      seen.add(runs.body.length)
    }
    expect(await exited, stderr).toBe(0)
    const after = await getJson<unknown[]>(busy, '/api/runs')
    expect(after.body).toHaveLength(31)
    expect(seen.size).toBeGreaterThan(1)
  })
})

describe('a store that does not exist yet', () => {
  it('answers the first-run state and never creates the store file', async () => {
    const history = join(tmp, 'fresh/.parity/history.sqlite')
    const d = await serve({ historyFile: history, configFile: join(tmp, 'fresh/parity.config.yaml') })
    expect((await getJson(d, '/api/runs')).body).toEqual([])
    expect((await getJson(d, '/api/history')).body).toEqual({ runs: [], items: [] })
    const latest = await getJson<{ error: string }>(d, '/api/run/latest')
    expect(latest.status).toBe(404)
    expect(latest.body.error).toContain('parity run')
    const info = await getJson<{ storeExists: boolean; config: string }>(d, '/api/info')
    expect(info.body).toMatchObject({ storeExists: false, config: join(tmp, 'fresh/parity.config.yaml') })
    expect((await raw(d, '/')).status).toBe(200)
    expect(existsSync(history)).toBe(false)
    expect(existsSync(join(tmp, 'fresh'))).toBe(false)
    // A run creates it later: the dashboard picks it up.
    storeWith(history, [makeRun({ 'GET /a': 'ported' })])
    expect((await getJson<unknown[]>(d, '/api/runs')).body).toHaveLength(1)
  })
})

describe('events', () => {
  it('streams a `run` event when a run is stored and `progress` events from live.ndjson', async () => {
    const history = join(tmp, 'events/history.sqlite')
    const [first] = storeWith(history, [makeRun({ 'GET /a': 'ported' })])
    const d = await serve({ historyFile: history })
    let text = ''
    const res = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: d.port, path: '/api/events' }, resolve)
      req.on('error', reject)
      req.end()
    })
    expect(res.headers['content-type']).toContain('text/event-stream')
    res.on('data', (c: Buffer) => (text += c))
    const waitFor = async (needle: string) => {
      for (let i = 0; i < 200 && !text.includes(needle); i++) await new Promise((r) => setTimeout(r, 25))
      expect(text).toContain(needle)
    }
    await waitFor(`event: latest\ndata: {"id":"${first}"}`)
    const [id] = storeWith(history, [makeRun({ 'GET /b': 'ported' })])
    await waitFor(`event: run\ndata: {"id":"${id}"}`)
    const live = liveWriter(history)
    live.stage('replay')
    live.progress(3, 7, 'exchanges')
    await waitFor('"stage":"replay"')
    await waitFor('"done":3,"total":7')
    live.end()
    await waitFor('"type":"end"')
    res.destroy()
  })

  it('writes the live file as JSON lines, truncated by each run', () => {
    const history = join(tmp, 'live/history.sqlite')
    let t = 0
    const first = liveWriter(history, () => t)
    first.stage('scanning')
    first.progress(1, 100)
    t += 10
    first.progress(2, 100) // within 100 ms of the last: dropped
    first.progress(100, 100) // the last one always written
    first.end()
    const lines = readFileSync(liveFile(history), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; done?: number })
    expect(lines.map((l) => l.type + (l.done ?? ''))).toEqual(['start', 'stage', 'progress1', 'progress100', 'end'])
    liveWriter(history).stage('bench')
    expect(readFileSync(liveFile(history), 'utf8').trim().split('\n')).toHaveLength(2)
    appendFileSync(liveFile(history), 'not json\n')
  })
})

describe('accepting a difference', () => {
  it('writes it into a YAML config, comments kept, and loadConfig reads it back', async () => {
    const p = project('yaml', 'parity.config.yaml', yamlConfig)
    storeWith(p.history, [demo])
    const d = await serve({ historyFile: p.history, configFile: p.config })
    const r = await post(d, { fingerprint, reason: 'the rewrite fixes the title' })
    expect(r.status, r.body).toBe(201)
    expect(JSON.parse(r.body)).toMatchObject({ accepted: { fingerprint }, note: 'takes effect on the next run' })
    const after = readFileSync(p.config, 'utf8')
    expect(after).toContain('# The bookmarks port: the old service and its rewrite.')
    expect(after).toContain('# the baseline')
    expect(after).toContain('# Not there yet.')
    expect((await loadConfig(p.config)).accepted).toEqual([{ fingerprint, reason: 'the rewrite fixes the title' }])
    const again = await post(d, { fingerprint, reason: 'twice' })
    expect(again.status).toBe(409)
    expect(readFileSync(p.config, 'utf8')).toBe(after)
  })

  it('inserts it into a TypeScript config, every other byte unchanged', async () => {
    const p = project('ts', 'parity.config.ts', tsConfig())
    storeWith(p.history, [demo])
    const d = await serve({ historyFile: p.history, configFile: p.config })
    const before = readFileSync(p.config, 'utf8')
    const r = await post(d, { fingerprint, reason: "the rewrite's title is right" })
    expect(r.status, r.body).toBe(201)
    expectInserted(before, readFileSync(p.config, 'utf8'), `\n  accepted: [{ fingerprint: '${fingerprint}', reason: 'the rewrite\\'s title is right' }],`)
    expect((await loadConfig(p.config)).accepted).toEqual([{ fingerprint, reason: "the rewrite's title is right" }])
  })

  it('appends to an existing `accepted` array of a TypeScript config', async () => {
    const old = "\n  accepted: [\n    { fingerprint: 'aaaaaaaaaaaaaaaa', reason: 'older' },\n  ],"
    const p = project('ts-list', 'parity.config.ts', tsConfig(old))
    storeWith(p.history, [demo])
    const d = await serve({ historyFile: p.history, configFile: p.config })
    const before = readFileSync(p.config, 'utf8')
    expect((await post(d, { fingerprint, reason: 'fine' })).status).toBe(201)
    expectInserted(before, readFileSync(p.config, 'utf8'), `,\n    { fingerprint: '${fingerprint}', reason: 'fine' }`)
    expect((await loadConfig(p.config)).accepted.map((a) => a.fingerprint)).toEqual(['aaaaaaaaaaaaaaaa', fingerprint])
  })

  it('edits the example config (defineConfig from `parity`) by inserting one property', () => {
    const before = readFileSync(join(examples, 'parity.config.ts'), 'utf8')
    const after = acceptIntoTypeScript(before, { fingerprint, reason: 'ok' })
    expectInserted(before, after, `,\n  accepted: [{ fingerprint: '${fingerprint}', reason: 'ok' }]`)
    expect(acceptIntoYaml('systems: []\n', { fingerprint, reason: 'a: b' })).toBe(
      `systems: []\naccepted:\n  - fingerprint: ${fingerprint}\n    reason: "a: b"\n`,
    )
  })

  it('refuses bad input, other origins and a dashboard without config, leaving the config untouched', async () => {
    const p = project('refuse', 'parity.config.yaml', yamlConfig)
    storeWith(p.history, [demo])
    const d = await serve({ historyFile: p.history, configFile: p.config })
    const cases: Array<[string, Promise<Raw>, number]> = [
      ['empty reason', post(d, { fingerprint, reason: '  ' }), 400],
      ['no reason', post(d, { fingerprint }), 400],
      ['a finding not in the latest run', post(d, { fingerprint: '0123456789abcdef', reason: 'x' }), 400],
      ['not a fingerprint', post(d, { fingerprint: '../../etc', reason: 'x' }), 400],
      ['a reason over lines', post(d, { fingerprint, reason: 'a\nb' }), 400],
      ['not JSON', post(d, '{"fingerprint":'), 400],
      ['a form post', post(d, `fingerprint=${fingerprint}&reason=x`, { 'content-type': 'application/x-www-form-urlencoded' }), 415],
      ['text/plain (a CORS-simple request)', post(d, { fingerprint, reason: 'x' }, { 'content-type': 'text/plain' }), 415],
      ['another origin', post(d, { fingerprint, reason: 'x' }, { origin: 'http://evil.example' }), 403],
      ['a null origin', post(d, { fingerprint, reason: 'x' }, { origin: 'null' }), 403],
      ['another host', post(d, { fingerprint, reason: 'x' }, { host: 'evil.example' }), 403],
      ['GET', raw(d, '/api/accept'), 405],
    ]
    for (const [what, response, status] of cases) expect((await response).status, what).toBe(status)
    expect(readFileSync(p.config, 'utf8')).toBe(yamlConfig)
    const historyOnly = await serve({ historyFile: p.history })
    const r = await post(historyOnly, { fingerprint, reason: 'x' })
    expect(r.status).toBe(409)
    expect(JSON.parse(r.body).error).toContain('--config')
    expect(readFileSync(p.config, 'utf8')).toBe(yamlConfig)
  })
})

describe('accepting from another machine', () => {
  // A real peer that is not loopback: this machine's own address on a network interface, the
  // connection made from it. The Host and Origin headers say 127.0.0.1, as a forged request would.
  const external = Object.values(networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal)?.address

  it.runIf(external)('refuses a write whose socket peer is not loopback, whatever Host and Origin say', async () => {
    const p = project('remote', 'parity.config.yaml', yamlConfig)
    storeWith(p.history, [demo])
    const d = await serve({ historyFile: p.history, configFile: p.config, host: '0.0.0.0' })
    const send = (localAddress: string) =>
      new Promise<Raw>((resolve, reject) => {
        const req = request(
          {
            host: external,
            localAddress,
            port: d.port,
            path: '/api/accept',
            method: 'POST',
            headers: { 'content-type': 'application/json', host: `127.0.0.1:${d.port}`, origin: `http://127.0.0.1:${d.port}` },
          },
          (res) => {
            const chunks: Buffer[] = []
            res.on('data', (c: Buffer) => chunks.push(c))
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }))
          },
        )
        req.on('error', reject)
        req.end(JSON.stringify({ fingerprint, reason: 'from afar' }))
      })
    const r = await send(external!)
    expect(r.status).toBe(403)
    expect(JSON.parse(r.body).error).toContain('only possible from this machine')
    expect(readFileSync(p.config, 'utf8')).toBe(yamlConfig)
    // The same request from loopback is accepted: the peer, not the headers, made the difference.
    const local = await post(d, { fingerprint, reason: 'from here' })
    expect(local.status, local.body).toBe(201)
  })
})

describe('parity serve (the built CLI)', () => {
  const bin = join(repo, 'bin/parity.js')
  const started: ChildProcess[] = []
  afterAll(() => {
    for (const c of started) if (c.exitCode === null) c.kill('SIGKILL')
  })

  function start(args: string[]) {
    const child = spawn(process.execPath, [bin, 'serve', ...args], { cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true' } })
    started.push(child)
    const out = { stdout: '', stderr: '' }
    child.stdout!.on('data', (c: Buffer) => (out.stdout += c))
    child.stderr!.on('data', (c: Buffer) => (out.stderr += c))
    const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))
    const url = async () => {
      for (let i = 0; i < 400 && !/http:\/\/\S+\//.test(out.stdout) && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 25))
      return /http:\/\/\S+\//.exec(out.stdout)?.[0]
    }
    return { child, out, exit, url }
  }

  it('prints the URL, serves the store of --history, and stops cleanly on SIGINT', async () => {
    const history = join(tmp, 'cli/history.sqlite')
    const [id] = storeWith(history, [makeRun({ 'GET /a': 'ported' })])
    const s = start(['--history', history, '--port', '0'])
    const url = await s.url()
    expect(url, s.out.stderr).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
    const runs = (await (await fetch(`${url}api/runs`)).json()) as Array<{ id: string }>
    expect(runs.map((r) => r.id)).toEqual([id])
    s.child.kill('SIGINT')
    expect(await s.exit).toBe(0)
    expect(s.out.stdout).toContain('stopped')
  })

  it('refuses a port in use with a hint, and warns on a non-loopback host', async () => {
    const blocker = createServer()
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()))
    const port = (blocker.address() as import('node:net').AddressInfo).port
    const history = join(tmp, 'cli/history.sqlite')
    const taken = start(['--history', history, '--port', String(port)])
    expect(await taken.exit).toBe(2)
    expect(taken.out.stderr).toContain('already in use')
    expect(taken.out.stderr).toContain('hint:')
    blocker.close()
    const open = start(['--history', history, '--port', '0', '--host', '0.0.0.0'])
    expect(await open.url()).toMatch(/^http:\/\/0\.0\.0\.0:\d+\/$/)
    expect(open.out.stderr).toContain('warning')
    expect(open.out.stderr).toContain('no authentication')
    open.child.kill('SIGINT')
    expect(await open.exit).toBe(0)
    const none = start([])
    expect(await none.exit).toBe(2)
    expect(none.out.stderr).toContain('hint:')
  })
})
