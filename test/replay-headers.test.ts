/**
 * `parity replay` from the built CLI against a baseline and a candidate whose answers differ only in
 * their headers: a pagination header dropped, CORS headers missing on a preflight, a 304 lost to a
 * conditional request, gzip lost, a security header dropped. Each is reported; a `Link` that differs
 * only by the port each server listens on, the Date and the request id are not.
 */
import { execFile } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { gzipSync } from 'node:zlib'
import Ajv2020 from 'ajv/dist/2020.js'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { RunResult } from '../src/model/run.js'

const repo = new URL('..', import.meta.url).pathname
const servers: Server[] = []
const dir = mkdtempSync(join(tmpdir(), 'parity-headers-'))
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))))
  rmSync(dir, { recursive: true, force: true })
})

/** The same API twice; `candidate` drops what a rewrite typically drops. */
function api(candidate: boolean): Promise<string> {
  const server = createServer((req, res) => {
    const port = (server.address() as { port: number }).port
    const json = (value: unknown, headers: Record<string, string> = {}) => {
      const body = Buffer.from(JSON.stringify(value))
      const gzip = headers['content-encoding'] === 'gzip'
      res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': randomUUID(), ...headers })
      res.end(gzip ? gzipSync(body) : body)
    }
    const url = req.url ?? '/'
    if (req.method === 'OPTIONS' && url === '/api/items') {
      res.writeHead(204, candidate ? {} : { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'GET, POST', 'access-control-max-age': '600' })
      return res.end()
    }
    if (url === '/api/items') {
      // Both link to the next page with their own address; only the baseline counts the items.
      return json([{ id: 1 }, { id: 2 }], {
        link: `<http://127.0.0.1:${port}/api/items?page=2>; rel="next"`,
        ...(candidate ? {} : { 'x-total-count': '3' }),
      })
    }
    if (url === '/api/profile') {
      // Both send an ETag; only the baseline answers a matching If-None-Match with 304.
      const tag = candidate ? '"c-1"' : '"b-1"'
      if (!candidate && req.headers['if-none-match'] === tag) {
        res.writeHead(304, { etag: tag })
        return res.end()
      }
      return json({ name: 'ada' }, { etag: tag })
    }
    if (url === '/api/report') {
      const gzip = !candidate && /gzip/.test(String(req.headers['accept-encoding'] ?? ''))
      return json(
        { rows: Array.from({ length: 20 }, (_, i) => i) },
        gzip ? { 'content-encoding': 'gzip', vary: 'Accept-Encoding' } : { vary: 'accept-encoding' },
      )
    }
    if (url === '/api/settings') return json({ theme: 'dark' }, candidate ? {} : { 'x-content-type-options': 'nosniff' })
    if (url === '/health') return json({ ok: true })
    res.writeHead(404)
    res.end()
  })
  servers.push(server)
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as { port: number }).port}`)))
}

let run: RunResult
let code = -1
beforeAll(async () => {
  const corpus = join(dir, 'headers.yaml')
  writeFileSync(
    corpus,
    [
      'steps:',
      '  - { method: GET, path: /health }',
      '  - { method: GET, path: /api/items }',
      '  - { method: OPTIONS, path: /api/items, headers: { Origin: "https://app.example", Access-Control-Request-Method: POST } }',
      '  - { method: GET, path: /api/profile }',
      '  - { method: GET, path: /api/report, headers: { Accept-Encoding: "gzip, deflate" } }',
      '  - { method: GET, path: /api/settings }',
      '',
    ].join('\n'),
  )
  const [baseline, candidate] = [await api(false), await api(true)]
  const argv = [join(repo, 'bin/parity.js'), 'replay', '--corpus', corpus, '--baseline', baseline, '--candidate', candidate, '--format', 'json']
  const out = await promisify(execFile)(process.execPath, argv, { env: { ...process.env, CI: 'true' } }).then(
    (r) => ({ code: 0, stdout: r.stdout }),
    (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
  )
  code = out.code
  run = JSON.parse(out.stdout) as RunResult
})

const route = (key: string) => {
  const r = run.routes?.find((x) => x.key === key)
  if (!r) throw new Error(`no route ${key} in ${run.routes?.map((x) => x.key).join(', ')}`)
  return r
}
const places = (key: string) => route(key).differences.map((d) => `${d.where} ${d.pointer} ${d.kind}`)

it('exits 1: the candidate diverges in its headers alone', () => {
  expect(code).toBe(1)
  // The differences with their notes follow the published schema.
  const Ajv = Ajv2020 as unknown as typeof Ajv2020.default
  const validate = new Ajv({ allErrors: true }).compile(JSON.parse(readFileSync(join(repo, 'schema/run.schema.json'), 'utf8')))
  expect(validate(run), JSON.stringify(validate.errors)).toBe(true)
  // Date, the request id, content-length and the connection headers differ on every answer: never reported.
  expect(route('GET /health').status).toBe('verified')
})

it('a dropped pagination header is reported; a Link that differs only by each server’s own port is not', () => {
  expect(places('GET /api/items')).toEqual(['header x-total-count missing'])
  expect(route('GET /api/items').differences[0]!.note).toMatch(/pagination/)
})

it('a CORS preflight whose answer lacks the CORS headers is divergent, not verified', () => {
  expect(route('OPTIONS /api/items').status).toBe('divergent')
  expect(places('OPTIONS /api/items').sort()).toEqual([
    'header access-control-allow-methods missing',
    'header access-control-allow-origin missing',
    'header access-control-max-age missing',
  ])
  expect(route('OPTIONS /api/items').differences[0]!.note).toMatch(/^CORS: /)
})

it('a conditional request with each side’s own ETag: 304 on the baseline, 200 on the candidate', () => {
  const r = route('GET /api/profile')
  expect(r.exchanges).toBe(2)
  expect(r.differences).toEqual([{ where: 'status', pointer: '', kind: 'value', baseline: 304, candidate: 200, note: expect.stringMatching(/If-None-Match/) }])
})

it('lost compression is reported against the request’s Accept-Encoding; the body itself is equal', () => {
  expect(places('GET /api/report')).toEqual(['header content-encoding missing'])
  expect(route('GET /api/report').differences[0]!.note).toMatch(/compression lost: the request accepts gzip, deflate/)
})

it('the notes reach the reports: JUnit and the Markdown vault say what each header difference means', async () => {
  const file = join(dir, 'run.json')
  writeFileSync(file, JSON.stringify(run))
  const report = (format: string, out?: string) =>
    promisify(execFile)(process.execPath, [join(repo, 'bin/parity.js'), 'report', '--from', file, '--format', format, ...(out ? ['--out', out] : [])], {
      env: { ...process.env, CI: 'true' },
    })
  expect((await report('junit')).stdout).toContain('header x-total-count: missing, baseline "3", candidate absent (pagination header dropped by the candidate')
  await report('md', join(dir, 'vault'))
  expect(readFileSync(join(dir, 'vault/Comparison.md'), 'utf8')).toMatch(
    /header `x-content-type-options`: missing, .*: security header dropped by the candidate/,
  )
})

it('a dropped security header is reported', () => {
  expect(places('GET /api/settings')).toEqual(['header x-content-type-options missing'])
  expect(route('GET /api/settings').differences[0]!.note).toMatch(/security header/)
})
