/**
 * `parity cutover`: gateway configs for each format from a RunResult with verified, divergent,
 * extra and missing routes and a parameter template; nginx's own validator on the nginx one; and
 * the nginx one run for real in front of two small servers, with the corpus replayed through it.
 */
import { execFile, spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findBinary, validateConfig } from '../src/cutover/gateway.js'
import { planCutover, routeOf, templateRegex } from '../src/cutover/routing.js'
import { RENDERERS } from '../src/cutover/render.js'
import type { EndpointItem } from '../src/model/inventory.js'
import type { Pair, PairStatus, RunResult } from '../src/model/run.js'

const repo = new URL('..', import.meta.url).pathname
const tmp = mkdtempSync(join(tmpdir(), 'parity-cutover-test-'))

function endpoint(method: string, path: string): EndpointItem {
  return {
    kind: 'route',
    method,
    path,
    key: `${method} ${path.replace(/\{[^}]*\}/g, '{}')}`,
    framework: 'test',
    component: 'items',
    source: { file: 'server.mjs', line: 1 },
  }
}
function pair(status: PairStatus, method: string, path: string): Pair {
  const item = endpoint(method, path)
  return {
    kind: 'route',
    key: item.key,
    component: 'items',
    status,
    candidateSystem: 'next',
    baseline: status === 'extra' ? null : item,
    candidate: status === 'missing' ? null : item,
    ...(status === 'excluded' ? { reason: 'retired with the old UI' } : {}),
  }
}

/** A stored run as `parity run` leaves it: statuses per route after replay. */
const run = {
  schema: 'parity.run/v1',
  tool: { name: 'parity', version: 'test' },
  startedAt: '2026-11-01T10:00:00.000Z',
  id: 'run-1',
  systems: [
    {
      name: 'old',
      role: 'baseline',
      source: '.',
      sourceKind: 'tree',
      frameworks: [],
      stats: { files: 1, parsed: 1, lines: 1, skipped: {} },
      items: {},
      diagnostics: [],
    },
    {
      name: 'next',
      role: 'candidate',
      source: '.',
      sourceKind: 'tree',
      frameworks: [],
      stats: { files: 1, parsed: 1, lines: 1, skipped: {} },
      items: {},
      diagnostics: [],
    },
  ],
  pairs: [
    pair('verified', 'GET', '/api/items/{id}'),
    pair('divergent', 'GET', '/api/items/special'),
    pair('divergent', 'GET', '/api/search'),
    pair('ported', 'POST', '/api/items'),
    pair('missing', 'DELETE', '/api/items/{id}'),
    pair('extra', 'POST', '/api/new'),
    pair('excluded', 'GET', '/api/legacy'),
    pair('verified', 'GET', '/health'),
    pair('verified', 'GET', '/api/files/a%20b'),
  ],
  nearMisses: [],
  components: [],
  summary: { ported: 1, missing: 1, extra: 1, excluded: 1, verified: 3, divergent: 2, total: 8, percent: 75, byKind: {} },
  candidates: {},
  diagnostics: [],
} as unknown as RunResult

const urls = { baselineUrl: 'http://127.0.0.1:3000', candidateUrl: 'http://127.0.0.1:3001' }
const force = [{ match: 'POST /api/new', reason: 'new in the rewrite, wanted by the mobile app' }]

beforeAll(() => {
  cpSync(join(repo, 'test/fixtures/cutover'), tmp, { recursive: true })
  writeFileSync(join(tmp, 'run.json'), JSON.stringify(run))
})
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

describe('the plan', () => {
  it('sends verified routes to the candidate, the rest to the baseline, literals before parameters', () => {
    const plan = planCutover(run, { ...urls, force })
    expect(plan.routes.map((r) => `${r.method} ${r.path} -> ${r.to}`)).toEqual([
      'GET /health -> candidate',
      'POST /api/items -> baseline',
      'GET /api/legacy -> baseline',
      'GET /api/search -> baseline',
      'POST /api/new -> candidate',
      'GET /api/items/special -> baseline',
      'DELETE /api/items/{id} -> baseline',
      'GET /api/items/{id} -> candidate',
    ])
    const why = Object.fromEntries(plan.routes.map((r) => [r.key, r.reason]))
    expect(why['POST /api/new']).toBe(
      'extra: only next has it, never compared with the baseline; forced to the candidate by `POST /api/new`: new in the rewrite, wanted by the mobile app',
    )
    expect(why['GET /api/items/special']).toBe('divergent: the candidate answered differently in replay')
    expect(why['DELETE /api/items/{}']).toBe('missing: next does not have it')
    expect(why['GET /api/legacy']).toBe('excluded: retired with the old UI')
    expect(plan.unexpressed).toEqual([
      {
        key: 'GET /api/files/a%20b',
        status: 'verified',
        reason: 'it holds a percent-encoded literal, and gateways match the decoded path: left on the baseline',
      },
    ])
  })

  it('never moves a missing route, even when forced, and weighs moved routes with a canary', () => {
    const plan = planCutover(run, { ...urls, canary: 10, force: [{ match: 'DELETE /api/items/*', reason: 'try it' }] })
    const del = plan.routes.find((r) => r.key === 'DELETE /api/items/{}')!
    expect(del.to).toBe('baseline')
    expect(del.reason).toContain('the force rule `DELETE /api/items/*` is ignored')
    expect(plan.routes.filter((r) => r.weight === 10).map((r) => r.key)).toEqual(['GET /health', 'GET /api/items/{}'])
  })

  it('picks the route for a request as the gateway does: the literal before the template', () => {
    const plan = planCutover(run, urls)
    expect(routeOf(plan, 'GET', '/api/items/special')?.to).toBe('baseline')
    expect(routeOf(plan, 'GET', '/api/items/9')?.to).toBe('candidate')
    expect(routeOf(plan, 'PATCH', '/api/items/9')).toBeUndefined()
  })

  it('turns a {param} into exactly one segment', () => {
    const re = new RegExp(templateRegex('/api/items/{id}/tags/{tag}.json'))
    expect(re.test('/api/items/7/tags/x.json')).toBe(true)
    expect(re.test('/api/items/7/8/tags/x.json')).toBe(false)
    expect(re.test('/api/items/7/tags/xjson')).toBe(false)
  })
})

describe('the configs', () => {
  const plan = planCutover(run, { ...urls, canary: 25, force })

  it('nginx: a map on method and path, a comment per route, and nginx -t accepts it', () => {
    const text = RENDERERS.nginx(plan)
    expect(text).toContain(
      '    # GET /api/items/{id} -> candidate: verified: replay found next\'s answers equivalent to old\'s (canary: 25% to next, 75% to old)\n    "~^GET /api/items/[^/]+$" $parity_canary;',
    )
    expect(text).toContain(
      '    # GET /api/search -> baseline: divergent: the candidate answered differently in replay\n    "~^GET /api/search$" parity_baseline;',
    )
    expect(text).toContain('split_clients "$request_id" $parity_canary { 25% parity_candidate; * parity_baseline; }')
    expect(text).toContain('upstream parity_candidate { server 127.0.0.1:3001; }')
    expect(text).toContain('#   GET /api/files/a%20b (verified): it holds a percent-encoded literal')
    // The literal route is tried before the template that would also match it.
    expect(text.indexOf('/api/items/special$"')).toBeLessThan(text.indexOf('/api/items/[^/]+$" $parity_canary'))
    const file = join(tmp, 'gateway.conf')
    writeFileSync(file, text)
    const v = validateConfig('nginx', file, join(tmp, 'nginx-t'))
    expect(v.message).not.toContain('not installed')
    expect(v, v.message).toMatchObject({ ok: true })
  })

  it('caddy: an ordered route block with method and path_regexp matchers', () => {
    const text = RENDERERS.caddy(plan)
    expect(text).toMatch(
      /# GET \/api\/items\/\{id\} -> candidate: verified[^\n]*\n\t\t@r8 \{\n\t\t\tmethod GET\n\t\t\tpath_regexp `\^\/api\/items\/\[\^\/\]\+\$`\n\t\t\}\n\t\treverse_proxy @r8 127\.0\.0\.1:3001 127\.0\.0\.1:3000 \{\n\t\t\tlb_policy weighted_round_robin 25 75/,
    )
    expect(text).toContain('\t\treverse_proxy @r2 127.0.0.1:3000')
    expect(text).toMatch(/# anything not listed above: the baseline\n\t\treverse_proxy 127\.0\.0\.1:3000\n\t\}\n\}/)
  })

  it('envoy: ordered routes with a :method matcher and weighted clusters', () => {
    const text = RENDERERS.envoy(plan)
    expect(text).toContain(
      "              # GET /api/items/{id} -> candidate: verified: replay found next's answers equivalent to old's (canary: 25% to next, 75% to old)\n              - match:\n                  safe_regex: { regex: '^/api/items/[^/]+$' }\n                  headers: [{ name: ':method', string_match: { exact: GET } }]\n                route: { weighted_clusters: { clusters: [{ name: parity_candidate, weight: 25 }, { name: parity_baseline, weight: 75 }] } }",
    )
    expect(text).toContain('              - match: { prefix: / }\n                route: { cluster: parity_baseline }')
    expect(text).toContain("socket_address: { address: '127.0.0.1', port_value: 3001 }")
  })

  it('traefik: a router per route, priorities in match order, a weighted canary service', () => {
    const text = RENDERERS.traefik(plan)
    expect(text).toContain('    # POST /api/new -> candidate: extra: only next has it')
    expect(text).toContain("      rule: 'Method(`POST`) && PathRegexp(`^/api/new$`)'\n      priority: 6\n      service: parity-canary")
    expect(text).toContain("      rule: 'Method(`GET`) && PathRegexp(`^/api/items/[^/]+$`)'\n      priority: 3\n      service: parity-canary")
    expect(text).toContain(
      '    parity-canary:  # 25% to the candidate, the rest to the baseline\n      weighted:\n        services:\n        - name: parity-candidate\n          weight: 25',
    )
  })
})

function parity(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(process.execPath, [join(repo, 'bin/parity.js'), ...args], { cwd: tmp, env: { ...process.env, CI: 'true', ...env } }, (err, stdout, stderr) =>
      resolve({ code: err ? (err as { code: number }).code : 0, stdout, stderr }),
    ),
  )
}

function writeConfig(force: string): void {
  const server = (side: string) => `{ command: [node, server.mjs, ${side}], cwd: ., ready: { http: /health } }`
  writeFileSync(
    join(tmp, 'parity.config.yaml'),
    `systems:
  - { name: old, role: baseline, source: ., run: ${server('baseline')} }
  - { name: next, role: candidate, source: ., run: ${server('candidate')} }
replay: { corpus: ./corpus.yaml }
${force}`,
  )
}

describe('the CLI', () => {
  it('writes the config from a saved run, with the upstreams given, and validates it with nginx', async () => {
    writeConfig('')
    const r = await parity([
      'cutover',
      '--format',
      'nginx',
      '--from',
      'run.json',
      '--baseline-url',
      'http://127.0.0.1:4000',
      '--candidate-url',
      'http://127.0.0.1:4001',
      '--out',
      'nginx.conf',
    ])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toContain('nginx accepts the config')
    expect(r.stderr).toContain('2 routes to next, 6 on old, 1 the gateway cannot express')
  })

  it('says which upstream it lacks', async () => {
    writeConfig('')
    const r = await parity(['cutover', '--format', 'caddy', '--from', 'run.json'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("cutover needs the baseline's address for the upstream")
    expect(r.stderr).toContain('--baseline-url')
  })

  it('--check: the hybrid through nginx answers like the baseline alone', async () => {
    writeConfig('')
    const r = await parity(['cutover', '--check', '--format', 'nginx', '--from', 'run.json', '--canary', '10', '--out', 'checked.conf', '--verbose'])
    expect(r.code, r.stdout + r.stderr).toBe(0)
    // --out writes the checked routing; the systems have no url, so its upstreams are the check's instances (said so).
    const written = readFileSync(join(tmp, 'checked.conf'), 'utf8')
    expect(written).toContain('"~^GET /health$" parity_candidate;')
    expect(written).toMatch(/upstream parity_candidate \{ server 127\.0\.0\.1:\d+; \}/)
    expect(r.stderr).toContain('the upstreams in checked.conf are the instances the check started')
    expect(r.stdout).toMatch(/✓ GET \/api\/items\/\{\w*\}\s+via candidate\s+same as the baseline alone/)
    expect(r.stdout).toMatch(/✓ GET \/api\/search\s+via baseline/)
    expect(r.stdout).toContain('the check sends every moved route wholly to the candidate (--canary 10')
    expect(r.stdout).toContain('cutover check passed')
  }, 60_000)

  it('--check: a divergent route forced to the candidate is reported, exit 1', async () => {
    writeConfig('cutover: { force: [{ match: GET /api/search, reason: the new ranking is intended }] }\n')
    const r = await parity(['cutover', '--check', '--format', 'nginx', '--from', 'run.json'])
    expect(r.code, r.stdout + r.stderr).toBe(1)
    expect(r.stdout).toMatch(/≠ GET \/api\/search\s+via candidate\s+differs from the baseline alone/)
    expect(r.stdout).toContain('body /results')
    expect(r.stdout).toContain('cutover check failed: 1 route ')
  }, 60_000)

  it('--check: state written through the candidate is read through the baseline only when `cutover.check.env` shares it', async () => {
    // POST /api/notes verified (to the candidate), GET /api/notes only ported (left on the baseline).
    const notesRun = { ...run, pairs: [pair('verified', 'POST', '/api/notes'), pair('ported', 'GET', '/api/notes')] }
    writeFileSync(join(tmp, 'notes-run.json'), JSON.stringify(notesRun))
    writeConfig('')
    const split = await parity(['cutover', '--check', '--format', 'nginx', '--from', 'notes-run.json', '--corpus', 'notes.yaml'])
    expect(split.code, split.stdout + split.stderr).toBe(1)
    expect(split.stdout).toMatch(/≠ GET \/api\/notes\s+via baseline/)
    expect(split.stdout).toContain('the two systems do not share state')
    writeConfig("cutover: { check: { env: { NOTES: '{tmp}/notes.json' } } }\n")
    const shared = await parity(['cutover', '--check', '--format', 'nginx', '--from', 'notes-run.json', '--corpus', 'notes.yaml'])
    expect(shared.code, shared.stdout + shared.stderr).toBe(0)
    // Without --verbose the routes that answer alike are counted, not listed.
    expect(shared.stdout).toMatch(/✓ 2 routes answer as the baseline alone does \(1 through \S+, 1 through \S+; --verbose lists them\)/)
    expect(shared.stdout).not.toMatch(/✓ GET \/api\/notes/)
    expect(shared.stdout).toContain('cutover check passed')
  }, 60_000)

  it('--check without nginx: a clear error naming the Debian package', async () => {
    writeConfig('')
    const r = await parity(['cutover', '--check', '--format', 'nginx', '--from', 'run.json'], { PARITY_NGINX: join(tmp, 'no-such-nginx') })
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('nginx is not installed')
    expect(r.stderr).toContain('install the Debian package `nginx`')
  })
})

it('nginx is installed where the tests run (.ci/run installs nginx-light)', () => {
  const bin = findBinary('nginx')
  expect(bin).toBeDefined()
  expect(spawnSync(bin!, ['-v'], { encoding: 'utf8' }).stderr).toContain('nginx version')
})
