/**
 * End-to-end: `parity diff` and `parity init`, spawned from the built CLI on fixture systems we wrote:
 * an Express shop (fixtures/diff/express-api), its axum rewrite with known missing, extra and renamed
 * routes, and a gin rewrite for the three-way matrix.
 */
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Ajv2020 from 'ajv/dist/2020.js'
import { afterAll, describe, expect, it } from 'vitest'
import type { Pair, RunResult } from '../src/model/run.js'

const repo = new URL('..', import.meta.url).pathname
const bin = join(repo, 'bin/parity.js')
const diffFixtures = join(repo, 'fixtures/diff')
const tmp = mkdtempSync(join(tmpdir(), 'parity-diff-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

function parity(args: string[], cwd = repo) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true' } })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

function runJson(args: string[], cwd = repo): RunResult {
  const r = parity([...args, '--format', 'json'], cwd)
  expect(r.stderr).toBe('')
  expect(r.code).toBe(0)
  return JSON.parse(r.stdout) as RunResult
}

const Ajv = Ajv2020 as unknown as typeof Ajv2020.default
const validate = new Ajv({ allErrors: true }).compile(JSON.parse(readFileSync(join(repo, 'schema/run.schema.json'), 'utf8')))
const pairOf = (run: RunResult, key: string, status?: string) => run.pairs.find((p) => p.key === key && (!status || p.status === status)) as Pair

describe('parity diff <baseline> <candidate>', () => {
  const run = runJson(['diff', 'fixtures/diff/express-api', 'fixtures/diff/axum-api'])

  it('prints a RunResult that follows schema/run.schema.json', () => {
    expect(validate(run), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true)
    expect(run.schema).toBe('parity.run/v1')
    expect(run.systems.map((s) => [s.name, s.role, s.sourceKind, s.frameworks])).toEqual([
      ['express-api', 'baseline', 'tree', ['express']],
      ['axum-api', 'candidate', 'tree', ['axum']],
    ])
  })

  it('pairs by canonical key across languages, with both source locations', () => {
    expect(pairOf(run, 'GET /api/orders')).toMatchObject({
      kind: 'route',
      status: 'ported',
      via: 'key',
      baseline: { method: 'GET', path: '/api/orders', source: { file: 'src/app.js', line: 10 } },
      candidate: { method: 'GET', path: '/api/orders', source: { file: 'src/main.rs', line: 10 } },
    })
  })

  it('says what is missing and what is extra', () => {
    expect(pairOf(run, 'GET /api/legacy/export')).toMatchObject({ status: 'missing', candidate: null })
    expect(pairOf(run, 'GET /api/metrics')).toMatchObject({ status: 'extra', baseline: null, candidateSystem: 'axum-api' })
    expect(run.summary.byKind.route).toMatchObject({ ported: 2, missing: 8, extra: 6, excluded: 0 })
    // The only service of each side is the system and its rewrite.
    expect(pairOf(run, 'service shop-express')).toMatchObject({ status: 'ported', via: 'sole-service', candidate: { name: 'shop-axum', language: 'rust' } })
    expect(run.summary).toMatchObject({ ported: 3, missing: 8, extra: 6, total: 11, percent: 27.3 })
  })

  it('proposes renames with a reason but never counts them', () => {
    const reasons = run.nearMisses.map((n) => `${n.baseline.key} ~ ${n.candidate.key}: ${n.reason}`)
    expect(reasons).toEqual(
      expect.arrayContaining([
        'POST /api/orders/{}/cancel ~ PUT /api/orders/{}/cancel: method changed POST -> PUT',
        'GET /api/user/{} ~ GET /api/users/{}: `user` -> `users`',
        'GET /api/v1/products ~ GET /v2/products: prefix /api/v1 -> /v2',
      ]),
    )
    expect(pairOf(run, 'GET /api/user/{}').status).toBe('missing')
  })

  it('prints the table with status marks, per-component figures and one overall figure', () => {
    const r = parity(['diff', 'fixtures/diff/express-api', 'fixtures/diff/axum-api'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^orders {2}1\/2 ported \(50%\)$/m)
    expect(r.stdout).toMatch(/✓ GET +\/api\/orders +src\/app\.js:10 → src\/main\.rs:10/)
    expect(r.stdout).toMatch(/✗ GET +\/api\/legacy\/export/)
    expect(r.stdout).toMatch(/\+ GET +\/api\/metrics +extra in axum-api/)
    expect(r.stdout).toContain('Possible renames')
    expect(r.stdout).toMatch(/Overall: 3 of 11 items ported \(27.3%\) · 8 missing · 0 excluded · 6 extra/)
  })
})

describe('parity diff from a config, three ways', () => {
  const run = runJson(['diff'], diffFixtures)

  it('gives every baseline item a status in every candidate', () => {
    expect(validate(run), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true)
    expect(run.config).toBe('parity.config.yaml')
    const post = pairOf(run, 'POST /api/v1/products')
    expect(post.matrix?.axum).toMatchObject({ status: 'ported', via: 'map', rule: '/api/v1 -> /v2' })
    expect(post.matrix?.gin).toMatchObject({ status: 'missing', candidate: null })
    expect(pairOf(run, 'POST /api/orders/{}/cancel').matrix).toMatchObject({ axum: { status: 'missing' }, gin: { status: 'ported' } })
    expect(run.candidates.axum!.byKind.route).toMatchObject({ ported: 6, missing: 2, excluded: 2, extra: 2 })
    expect(run.candidates.gin!.byKind.route).toMatchObject({ ported: 5, missing: 3, excluded: 2, extra: 0 })
  })

  it('applies exclude rules with their reason, and components from the config', () => {
    expect(pairOf(run, 'DELETE /api/admin/cache')).toMatchObject({ status: 'excluded', reason: 'the admin console moves to the back-office service' })
    expect(pairOf(run, 'GET /api/v1/products').component).toBe('catalog')
    expect(run.components.find((c) => c.name === 'catalog')?.candidates.gin).toMatchObject({ ported: 2, total: 3, missingKeys: ['POST /api/v1/products'] })
  })

  it('warns about rules that match nothing, naming them', () => {
    expect(run.diagnostics.map((d) => `${d.code}: ${d.message}`)).toEqual([
      'MAP_RULE_UNUSED: map rule `DELETE /api/carts/{id} -> DELETE /api/basket/{id}` matches no baseline item',
      'EXCLUDE_RULE_UNUSED: exclude rule `GET /api/reports/*` matches no baseline item',
    ])
  })

  it('loads a TypeScript config typed with defineConfig', () => {
    const ts = runJson(['diff', '--config', 'typed.config.ts'], diffFixtures)
    expect(ts.systems.map((s) => s.name)).toEqual(['express', 'axum'])
    expect(pairOf(ts, 'GET /api/v1/products')).toMatchObject({ status: 'ported', via: 'map' })
  })
})

describe('parity diff of bad input', () => {
  it('reports every config problem at once, with lines, and exits 2', () => {
    const r = parity(['diff', '--config', 'bad.config.yaml'], diffFixtures)
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('the config has 5 problems')
    for (const line of [
      'bad.config.yaml:6: systems[1].role',
      'bad.config.yaml:7: systems[1].source: ./does-not-exist does not exist',
      'bad.config.yaml:8: systems[2]: unknown field `colour`',
      'bad.config.yaml:8: systems[2].name: `express` is used twice',
      'bad.config.yaml:10: exclude[0].reason',
    ]) expect(r.stderr).toContain(line)
  })

  it('runs with an empty candidate, a candidate in a language without extractor, and trees with nothing in common', () => {
    const empty = join(tmp, 'empty-candidate')
    mkdirSync(join(empty, 'src'), { recursive: true })
    writeFileSync(join(empty, 'package.json'), '{"dependencies":{"express":"4"}}')
    writeFileSync(join(empty, 'src/index.js'), 'module.exports = {}\n')
    const run = runJson(['diff', 'fixtures/diff/express-api', empty, 'fixtures/diff/java-api', 'fixtures/openapi/legacy.swagger.json', 'examples/bookmarks-axum'])
    expect(run.diagnostics.map((d) => `${d.code} ${/`([^`]+)`/.exec(d.message)?.[1]}`)).toEqual([
      'NO_SOURCES java-api',
      'EMPTY_SYSTEM empty-candidate',
      'NOTHING_IN_COMMON legacy.swagger',
    ])
    expect(run.candidates['java-api']!.byKind.route).toMatchObject({ ported: 0, missing: 10 })
    expect(run.candidates['bookmarks-axum']!.byKind.route).toMatchObject({ ported: 1 }) // only GET /health is shared
  })

  it.each([
    [['diff', 'fixtures/diff/express-api'], 'diff needs a baseline and at least one candidate'],
    [['diff', 'fixtures/diff/express-api', 'fixtures/diff/nope'], 'does not exist'],
    [['diff', '--format', 'xml', 'a', 'b'], '--format xml is not supported'],
  ])('exits 2 for %j', (args, message) => {
    const r = parity(args)
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(message)
    expect(r.stderr).toContain('hint:')
  })

  it('exits 2 without arguments where there is no config', () => {
    const r = parity(['diff'], tmp)
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('no parity.config.* here')
  })
})

describe('parity diff of a monorepo', () => {
  it('counts the baseline services found in each candidate, by language', () => {
    const r = parity(['diff', 'fixtures/services/monorepo', 'fixtures/diff/gin-api'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^Services: baseline 6 \(/m)
    expect(r.stdout).toMatch(/^ {2}gin-api: 0 of 6 ported \(0%\); its services: 1 \(go 1\)$/m)
  })
})

describe('npm run demo', () => {
  it('runs the whole pipeline on the bundled examples: scan, diff, replay, e2e, bench, gates, reports', () => {
    const r = spawnSync(process.execPath, [join(repo, 'scripts/demo.mjs')], { encoding: 'utf8', env: { ...process.env, CI: 'true' }, timeout: 240_000 })
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toContain('$ parity run')
    expect(r.stdout).toContain('the gates fail on purpose')
    // Static: three systems, the tables and capabilities the rewrites lack.
    expect(r.stdout).toMatch(/✗ missingTables == 0 +fastify: 2; axum: 4/)
    expect(r.stdout).toContain('Tables not implemented: bookmark_tags')
    expect(r.stdout).toMatch(/✗ WebSocket — No real-time push/)
    // Replay of the recorded session: the four planted differences are divergent, with what differs.
    expect(r.stdout).toMatch(/≠ ✗ DELETE \/api\/bookmarks\/bulk .*\n +body \/ids: missing/)
    expect(r.stdout).toMatch(/≠ ✗ GET +\/api\/search .*\n +body \/total: type, baseline \d+ · candidate "\d+"/)
    expect(r.stdout).toMatch(/≠ ✓ GET +\/api\/tags .*\n +body: order/)
    expect(r.stdout).toMatch(/≠ ✓ GET +\/api\/bookmarks\/\{id\} .*\n +body \/error: missing/)
    expect(r.stdout).toMatch(/✗ verified >= 80% +fastify: \d+(\.\d)?%/)
    // The old end-to-end suite against both sides.
    expect(r.stdout).toMatch(/End-to-end suite: 16 tests, 7 pass on both, 9 fail only on the candidate, 0 fail on both/)
    expect(r.stdout).toContain('✗ test > two-factor setup, verify, then login needs the code')
    // The bench: both systems side by side, their ratio, and the bench gates.
    expect(r.stdout).toMatch(/^express +[\d,]+ /m)
    expect(r.stdout).toMatch(/^fastify +[\d,]+ /m)
    expect(r.stdout).toMatch(/fastify vs express: throughput [\d.]+x/)
    expect(r.stdout).toMatch(/[✓✗] p95 <= 0\.5x +fastify GET \/api\/bookmarks: [\d.]+x/)
    // parity status: the systems parity starts on demand, the services the scan found.
    expect(r.stdout).toContain('$ parity status')
    expect(r.stdout).toMatch(/^express +system +baseline +– +not running .*started by parity on demand/m)
    expect(r.stdout).toMatch(/^axum +system +candidate .*scan only: no url or run block/m)
    expect(r.stdout).toMatch(/^\d+ up, \d+ down, \d+ not checked$/m)
    // parity cutover --check: the hybrid (one shared SQLite file) behind nginx answers like the baseline alone.
    expect(r.stdout).toContain('$ parity cutover --format nginx --check')
    expect(r.stdout).toMatch(/✓ GET \/api\/bookmarks +via candidate +same as the baseline alone/)
    expect(r.stdout).toMatch(/cutover check passed: the hybrid is indistinguishable from the baseline on \d+ exercised route\(s\)/)
    expect(readFileSync(join(repo, 'examples/.parity/cutover.nginx.conf'), 'utf8')).toContain('upstream parity_candidate')
    // The MCP pair: its checklist with the planted differences, latency per tool, the MCP gates.
    expect(r.stdout).toMatch(/✗ search_text +tool +missing/)
    expect(r.stdout).toMatch(/≠ list_symbols +tool +divergent +\d+\/\d+ +! input-schema: new argument `kind` is required/)
    expect(r.stdout).toMatch(/✓ find_references +tool +verified/)
    expect(r.stdout).toMatch(/^find_references +[\d.]+ +[\d.]+/m)
    expect(r.stdout).toMatch(/✗ mcpBreaking == 0/)
    expect(r.stdout).toMatch(/Demo finished in \d+ s/)
    expect(existsSync(join(repo, 'examples/.parity/report.html'))).toBe(true)
    expect(readFileSync(join(repo, 'examples/.parity/vault/Comparison.md'), 'utf8')).toContain('## Performance')
  }, 240_000)
})

describe('parity diff with live databases', () => {
  it('adds the tables of a database URL, and goes on when one does not answer', async () => {
    const { default: Database } = await import('better-sqlite3')
    const dir = join(tmp, 'live')
    mkdirSync(dir)
    const db = new Database(join(dir, 'shop.db'))
    db.exec('CREATE TABLE orders (id INTEGER PRIMARY KEY, total NUMERIC NOT NULL, note TEXT)')
    db.close()
    writeFileSync(
      join(dir, 'parity.config.yaml'),
      `systems:
  - { name: express, role: baseline, source: ${join(diffFixtures, 'express-api')}, database: "sqlite:${join(dir, 'shop.db')}" }
  - { name: axum, role: candidate, source: ${join(diffFixtures, 'axum-api')}, database: "postgres://parity:secret@127.0.0.1:1/shop" }
`,
    )
    const run = runJson(['diff'], dir)
    expect(pairOf(run, 'table orders')).toMatchObject({ status: 'missing', baseline: { origin: 'sqlite' } })
    expect(pairOf(run, 'column orders.total')).toMatchObject({ status: 'missing', baseline: { type: 'numeric', nullable: false } })
    const unreachable = run.diagnostics.find((d) => d.code === 'DB_UNREACHABLE')
    expect(unreachable?.message).toContain('axum')
    expect(unreachable?.message).not.toContain('secret')
    expect(pairOf(run, 'GET /api/orders').status).toBe('ported')
  })
})

describe('parity diff of saved inventories and OpenAPI documents', () => {
  it('takes an inventory JSON and an OpenAPI document as systems', () => {
    const saved = join(tmp, 'express.json')
    expect(parity(['scan', 'fixtures/diff/express-api', '--format', 'json', '--out', saved]).code).toBe(0)
    const run = runJson(['diff', saved, 'fixtures/openapi/bookmarks.yaml'])
    expect(run.systems.map((s) => s.sourceKind)).toEqual(['inventory', 'openapi'])
    expect(run.candidates['bookmarks']).toMatchObject({ ported: 0, extra: 5 })
  })
})

describe('parity init', () => {
  it('writes a config from the tree that diff then runs', () => {
    const dir = join(tmp, 'init')
    for (const sys of ['express-api', 'axum-api', 'gin-api']) cpSync(join(diffFixtures, sys), join(dir, sys), { recursive: true })
    const r = parity(['init'], dir)
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('3 systems found')
    const text = readFileSync(join(dir, 'parity.config.yaml'), 'utf8')
    expect(text).toMatch(/name: express-api\n\s+role: baseline/)
    expect(text).toContain('name: products')
    expect(parity(['init'], dir).code).toBe(2) // never overwrites without --force
    const run = runJson(['diff'], dir)
    expect(Object.keys(run.candidates)).toEqual(['axum-api', 'gin-api'])
  })
})
