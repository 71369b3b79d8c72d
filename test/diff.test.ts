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
    ])
      expect(r.stderr).toContain(line)
  })

  it('runs with an empty candidate, a candidate in a language without extractor, and trees with nothing in common', () => {
    const empty = join(tmp, 'empty-candidate')
    mkdirSync(join(empty, 'src'), { recursive: true })
    writeFileSync(join(empty, 'package.json'), '{"dependencies":{"express":"4"}}')
    writeFileSync(join(empty, 'src/index.js'), 'module.exports = {}\n')
    const run = runJson([
      'diff',
      'fixtures/diff/express-api',
      empty,
      'fixtures/diff/java-api',
      'fixtures/openapi/legacy.swagger.json',
      'examples/bookmarks-axum',
    ])
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
    expect(r.stdout).toMatch(/^Services: 0 of 6 services$/m)
    expect(r.stdout).toMatch(/^ {2}none of 6 services migrated \(every endpoint in the port\)$/m)
    expect(r.stdout).toMatch(/^ {2}6 of 6 services not started$/m)
    expect(r.stdout).toMatch(/^billing +rust +8020 +— +not started +0 \/ 3 +0%$/m)
  })
})

describe('npm run demo', () => {
  it('runs the whole pipeline on a copy of the bundled examples: scan, diff, replay, e2e, bench, gates, reports', () => {
    // In a temp folder: the tests never write into examples/.parity.
    const dir = join(tmp, 'demo')
    const r = spawnSync(process.execPath, [join(repo, 'scripts/demo.mjs'), '--dir', dir], {
      encoding: 'utf8',
      env: { ...process.env, CI: 'true' },
      timeout: 240_000,
    })
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toContain('$ parity run')
    expect(r.stdout).toContain('the gates fail on purpose')
    // The verdict and the gates come first, then a line of figures per candidate.
    const run = r.stdout.slice(r.stdout.indexOf('$ parity run'))
    expect(run.indexOf('✗ Not production-ready: 5 of 11 gates failed')).toBeLessThan(run.indexOf('component '))
    expect(r.stdout).toMatch(/✗ missingTables == 0 +fastify: 2; axum: 4/)
    expect(r.stdout).toMatch(/✗ verified >= 80% +fastify: \d+(\.\d)?%/)
    expect(r.stdout).toMatch(/[✓✗] p95 <= 0\.5x +fastify GET \/api\/bookmarks: [\d.]+x; fastify GET \/health: [\d.]+x; axum: not benched/)
    expect(r.stdout).toMatch(/^fastify +64\.3% ported \(27 of 42\) · 15 missing · 1 excluded$/m)
    // Replay found the planted differences (the refused write's read-back a consequence); the old suite's nine regressions; the bench ratios.
    expect(r.stdout).toMatch(
      /behaviour: \d+ verified, 6 divergent \(1 route differing only as likely consequences of a refused write, not counted\) · old e2e suite: 7 of 16 tests pass, 9 regressed · bench GET \/api\/bookmarks: [\d.]+x req\/s, p95 [\d.]+x/,
    )
    expect(r.stdout).toMatch(/^axum +38\.1% ported \(16 of 42\) · 26 missing · 1 excluded · 2 extra$/m)
    expect(r.stdout).toMatch(/^bookmarks +15\/19 +79% +8\/19 +42%$/m)
    expect(r.stdout).toMatch(/Found by the scan: express 32 endpoints, 31 confirmed at run time/)
    // parity status: the systems parity starts on demand, the services the scan found.
    expect(r.stdout).toContain('$ parity status')
    expect(r.stdout).toMatch(/^express +system +baseline +– +not running .*started by parity on demand/m)
    expect(r.stdout).toMatch(/^axum +system +candidate .*scan only: no url or run block/m)
    expect(r.stdout).toMatch(/^\d+ up, \d+ down, \d+ not checked$/m)
    // parity cutover --check: the hybrid (one shared SQLite file) behind nginx answers like the baseline alone.
    expect(r.stdout).toContain('$ parity cutover --format nginx --check')
    expect(r.stdout).toMatch(/✓ \d+ routes answer as the baseline alone does \(\d+ through fastify, \d+ through express; --verbose lists them\)/)
    expect(r.stdout).toMatch(/cutover check passed: the hybrid is indistinguishable from the baseline on \d+ exercised routes/)
    expect(readFileSync(join(dir, 'examples/.parity/cutover.nginx.conf'), 'utf8')).toContain('upstream parity_candidate')
    // The MCP pair: the MCP gates, its figures.
    expect(r.stdout).toMatch(/✗ mcpBreaking == 0/)
    expect(r.stdout).toMatch(/✗ mcpMissing == 0 +1 \(search_text\)/)
    expect(r.stdout).toMatch(/^codenav-next +87\.5% ported \(7 of 8\) · 1 missing$/m)
    expect(r.stdout).toMatch(/Found by the scan: codenav 5 MCP tools · codenav-next 4 MCP tools/)
    expect(r.stdout).toMatch(/Demo finished in \d+ s/)
    // Two screens, not three hundred lines.
    expect(r.stdout.split('\n').length).toBeLessThan(120)
    // The detail is in the reports.
    expect(existsSync(join(dir, 'examples/.parity/report.html'))).toBe(true)
    const comparison = readFileSync(join(dir, 'examples/.parity/vault/Comparison.md'), 'utf8')
    expect(comparison).toContain('## Performance')
    expect(comparison).toContain('## Behaviour')
    // The header difference planted in the rewrite: the list's X-Total-Count.
    expect(comparison).toContain('header `x-total-count`: missing')
    expect(readFileSync(join(dir, 'examples/.parity/junit.xml'), 'utf8')).toMatch(/DELETE \/api\/bookmarks\/bulk behaves differently in fastify/)
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
    expect(run.candidates.bookmarks).toMatchObject({ ported: 0, extra: 5 })
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
