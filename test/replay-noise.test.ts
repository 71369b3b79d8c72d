/**
 * Noise only from identical states, through the built CLI against real servers on 127.0.0.1:
 * `--twice` on a corpus that writes is refused without a reset, runs with `--reset` (the learned
 * rules listed with what each silenced), and a learned rule never hides a change of type or a
 * field the candidate lacks.
 */
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { RunResult } from '../src/model/run.js'

const repo = new URL('..', import.meta.url).pathname
const servers: Server[] = []
const dir = mkdtempSync(join(tmpdir(), 'parity-noise-'))
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))))
  rmSync(dir, { recursive: true, force: true })
})

interface Things {
  url: string
  requests: number
  resets: number
}

/** A things API with state (ids count up), a reset endpoint, and `/api/seq` whose values are new on every answer; `typed` changes their types. */
let made = 0
function things(typed: boolean): Promise<Things> {
  const out: Things = { url: '', requests: 0, resets: 0 }
  // Each instance's clock a second apart: two instances never stamp a thing alike, even in one millisecond.
  const skew = ++made * 1000
  let items: Array<{ id: number; name: string; createdAt: string }> = []
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (c) => (body += c))
    req.on('end', () => {
      const send = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' })
        res.end(JSON.stringify(value))
      }
      if (req.url === '/reset') {
        out.resets++
        items = []
        return send(200, { ok: true })
      }
      out.requests++
      if (req.method === 'POST' && req.url === '/api/things') {
        const thing = { id: items.length + 1, name: JSON.parse(body).name as string, createdAt: new Date(Date.now() + skew).toISOString() }
        items.push(thing)
        return send(201, thing)
      }
      if (req.url === '/api/things') return send(200, { count: items.length, items })
      if (req.url === '/api/seq') {
        const seq = Math.floor(Math.random() * 100_000)
        return send(200, typed ? { seq: String(seq) } : { seq, nonce: randomBytes(8).toString('hex') })
      }
      send(404, { error: 'not found' })
    })
  })
  servers.push(server)
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      out.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`
      resolve(out)
    }),
  )
}

function replay(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const argv = [join(repo, 'bin/parity.js'), 'replay', ...args]
  return promisify(execFile)(process.execPath, argv, { env: { ...process.env, CI: 'true' } }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  )
}

const writes = join(dir, 'writes.yaml')
const reads = join(dir, 'reads.yaml')
beforeAll(() => {
  writeFileSync(
    writes,
    [
      'steps:',
      '  - { method: POST, path: /api/things, body: { name: one } }',
      '  - { method: POST, path: /api/things, body: { name: two } }',
      '  - { method: GET, path: /api/things }',
      '',
    ].join('\n'),
  )
  writeFileSync(reads, ['steps:', '  - { method: GET, path: /api/seq }', '  - { method: GET, path: /api/seq }', ''].join('\n'))
})

it('refuses --twice on a corpus with writes and no reset: exit 2, a hint naming both ways, nothing sent', async () => {
  const [baseline, candidate] = [await things(false), await things(false)]
  const r = await replay(['--corpus', writes, '--baseline', baseline.url, '--candidate', candidate.url, '--twice'])
  expect(r.code).toBe(2)
  expect(r.stderr).toContain('2 writes (POST /api/things')
  expect(r.stderr).toContain('--reset CMD')
  expect(r.stderr).toContain('--baseline2 URL')
  expect(r.stderr).not.toMatch(/\n\s+at /)
  expect(baseline.requests + candidate.requests).toBe(0)
})

it('with --reset, replays twice from one state: no false difference, the learned rules listed with what each silenced', async () => {
  const [baseline, candidate] = [await things(false), await things(false)]
  const pick = `process.env.PARITY_RESET_TARGET === 'baseline' ? '${baseline.url}/reset' : '${candidate.url}/reset'`
  const reset = `"${process.execPath}" -e "fetch(${pick}, { method: 'POST' }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"`
  const r = await replay(['--corpus', writes, '--baseline', baseline.url, '--candidate', candidate.url, '--twice', '--reset', reset, '--format', 'json'])
  expect(r.stderr).toBe('')
  expect(r.code).toBe(0)
  // Before the replay each side, and the baseline again between its two passes.
  expect([baseline.resets, candidate.resets]).toEqual([2, 1])
  const run = JSON.parse(r.stdout) as RunResult
  expect(run.routes?.map((x) => [x.key, x.status])).toEqual([
    ['GET /api/things', 'verified'],
    ['POST /api/things', 'verified'],
  ])
  // The same ids on both passes: only the timestamps are noise, each rule with the exchanges it silenced.
  expect(run.noise?.map((n) => [n.route, n.pointer, n.silenced])).toEqual([
    ['GET /api/things', '/items/*/createdAt', 1],
    ['POST /api/things', '/createdAt', 2],
  ])
  const table = await replay(['--corpus', writes, '--baseline', baseline.url, '--candidate', candidate.url, '--twice', '--reset', reset])
  expect(table.stdout).toContain('2 ignore rules, 3 silenced differences')
  expect(table.stdout).toMatch(/POST \/api\/things {2}body \/createdAt {2}silenced 2 · seen in 2/)
})

it('a learned rule does not hide a change of type or a field the candidate lacks: both kept, each with a note', async () => {
  const [baseline, baseline2, candidate] = [await things(false), await things(false), await things(true)]
  const r = await replay(['--corpus', reads, '--baseline', baseline.url, '--baseline2', baseline2.url, '--candidate', candidate.url, '--format', 'json'])
  expect(r.code).toBe(1)
  const run = JSON.parse(r.stdout) as RunResult
  const seq = run.routes?.find((x) => x.key === 'GET /api/seq')
  expect(seq?.status).toBe('divergent')
  expect(seq?.differences.map((d) => `${d.pointer} ${d.kind}`).sort()).toEqual(['/nonce missing', '/seq type'])
  for (const d of seq?.differences ?? []) expect(d.note).toMatch(/^a learned noise rule \(body \/(seq|nonce) on GET \/api\/seq\) would have hidden/)
  // The rules stay (the values do differ between two baseline answers), and say what they silenced: nothing.
  expect(run.noise?.map((n) => [n.pointer, n.silenced])).toEqual([
    ['/nonce', 0],
    ['/seq', 0],
  ])
})

it("with a config: `replay.twice` needs the baseline's resetCommand, and `--reset` stands in for it", async () => {
  const [baseline, candidate] = [await things(false), await things(false)]
  const root = join(dir, 'config')
  mkdirSync(join(root, 'api'), { recursive: true })
  writeFileSync(join(root, 'api/server.ts'), 'export const port = 3000\n')
  // Resets the side it is run for.
  const script = join(root, 'reset.mjs')
  const urls = JSON.stringify({ baseline: baseline.url, candidate: candidate.url })
  writeFileSync(script, `const r = await fetch(${urls}[process.env.PARITY_RESET_TARGET] + '/reset', { method: 'POST' })\nprocess.exit(r.ok ? 0 : 1)\n`)
  const reset = `"${process.execPath}" "${script}"`
  const config = join(root, 'parity.config.yaml')
  const write = (resetCommand?: string) =>
    writeFileSync(
      config,
      [
        'systems:',
        `  - { name: old, role: baseline, source: ./api, url: "${baseline.url}"${resetCommand ? `, resetCommand: ${JSON.stringify(resetCommand)}` : ''} }`,
        `  - { name: new, role: candidate, source: ./api, url: "${candidate.url}"${resetCommand ? `, resetCommand: ${JSON.stringify(resetCommand)}` : ''} }`,
        `replay: { corpus: ${JSON.stringify(writes)}, twice: true }`,
        '',
      ].join('\n'),
    )
  write()
  const refused = await replay(['--config', config])
  expect(refused.code).toBe(2)
  expect(refused.stderr).toContain('resetCommand')
  expect(baseline.requests + candidate.requests).toBe(0)
  const flagged = await replay(['--config', config, '--reset', reset, '--format', 'json'])
  expect([flagged.code, flagged.stderr]).toEqual([0, ''])
  // Each side before the replay, and the baseline between the two passes.
  expect([baseline.resets, candidate.resets]).toEqual([2, 1])
  write(reset)
  const configured = await replay(['--config', config, '--format', 'json'])
  expect([configured.code, configured.stderr]).toEqual([0, ''])
  expect([baseline.resets, candidate.resets]).toEqual([4, 2])
  expect((JSON.parse(configured.stdout) as RunResult).noise?.every((n) => typeof n.silenced === 'number')).toBe(true)
})
