/**
 * `parity plan` on issue 19's platform monorepo (fixtures/monorepos/platform): a TypeScript baseline
 * of 15 services and a React UI, a Go candidate (3 services) and a Rust candidate (2 services), and
 * no traffic recording. What must be true, from TRUTH.md:
 *  - the targets are the candidates' own languages, go and rust: no other language is suggested;
 *  - the plan is service by service: the 10 not-started services and the 2 partly migrated ones
 *    (auth-service in Rust 4 of 7, notification-service in Go 3 of 5) with what each lacks; the
 *    3 migrated services are done and not in it;
 *  - a partly migrated service is finished in the language its port is written in;
 *  - each candidate is ranked: what is left to port into go, what into rust;
 *  - without traffic, priority comes from the code: web-ui calls the gateway's GET /api/v1/status
 *    (a dependent), services differ by their endpoints, so the priorities are not all equal;
 *  - web-ui (no server, no route) stays in the plan: keep it in TypeScript, because it renders React.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import Ajv2020 from 'ajv/dist/2020.js'
import { afterAll, describe, expect, it } from 'vitest'
import { diffConfig } from '../src/match/diff-run.js'
import { loadConfig } from '../src/config/load.js'
import { planMigration } from '../src/plan/rank.js'
import type { PlanEntry } from '../src/model/plan.js'
import type { RunResult } from '../src/model/run.js'
import { renderVault } from '../src/report/markdown/vault.js'
import { scanPath } from '../src/scan/scan.js'

const repo = new URL('..', import.meta.url).pathname
const dir = join(repo, 'fixtures/monorepos/platform')
const bin = join(repo, 'bin/parity.js')

function parity(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: 'true' } })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

const json = parity(['plan', '--format', 'json'])
const run = JSON.parse(json.stdout) as RunResult
const plan = run.plan!
const entry = (name: string): PlanEntry => {
  const e = plan.entries.find((x) => x.component === name)
  if (!e) throw new Error(`no plan entry for ${name}: ${plan.entries.map((x) => x.component).join(', ')}`)
  return e
}
const NOT_STARTED = [
  'analytics-service',
  'api-gateway',
  'billing-service',
  'chat-service',
  'inventory-service',
  'link-preview',
  'scheduler-service',
  'user-service',
  'video-pipeline',
  'webhook-relay',
]

describe('parity plan on the platform monorepo', () => {
  it('answers a RunResult that its schema accepts', () => {
    expect(json.code, json.stderr).toBe(0)
    const Ajv = Ajv2020 as unknown as typeof Ajv2020.default
    const validate = new Ajv({ allErrors: true }).compile(JSON.parse(readFileSync(join(repo, 'schema/run.schema.json'), 'utf8')))
    expect(validate(run), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true)
  })

  it('targets the languages the candidates are written in, and suggests no other', () => {
    expect(plan.targets).toEqual({ languages: ['go', 'rust'], from: 'candidates' })
    for (const e of plan.entries) expect(['go', 'rust'], e.component).toContain(e.suggestion?.language)
    for (const p of plan.packages ?? []) expect(['go', 'rust', 'keep'], p.name).toContain(p.suggestion.language)
  })

  it('has one row per service left: the 10 not started and the 2 partly migrated, not the 3 migrated', () => {
    expect(plan.entries.every((e) => e.service === e.component)).toBe(true)
    expect(plan.entries.map((e) => e.component).sort()).toEqual([...NOT_STARTED, 'auth-service', 'notification-service'].sort())
    expect(plan.entries.map((e) => e.rank)).toEqual(plan.entries.map((_, i) => i + 1))
  })

  it('finishes a partly migrated service in its port, with what that port lacks', () => {
    const auth = entry('auth-service')
    expect(auth.suggestion).toMatchObject({ language: 'rust', candidate: 'rust', rule: 'started: auth-rs' })
    expect(auth.ported).toBe(57.1)
    expect(auth.candidates).toEqual({ rust: { ported: 57.1, missing: 3, total: 7, port: 'auth-rs' }, go: { ported: 0, missing: 7, total: 7 } })
    expect([...auth.missing].sort()).toEqual(['POST /auth/2fa/enable', 'POST /auth/2fa/verify', 'POST /auth/refresh'])
    const notifications = entry('notification-service')
    expect(notifications.suggestion).toMatchObject({ language: 'go', candidate: 'go', rule: 'started: notification-service' })
    expect(notifications.ported).toBe(60)
    expect([...notifications.missing].sort()).toEqual(['DELETE /notifications/{}', 'POST /notifications/{}/read'])
  })

  it('gives a not-started service a target among go and rust by the language rules, with the rule and reason', () => {
    for (const name of NOT_STARTED) {
      const s = entry(name).suggestion!
      // Plain routes, no compute-heavy or real-time package: the `crud` rule, Go.
      expect(s, name).toMatchObject({ language: 'go', candidate: 'go', rule: 'crud' })
      expect(s.reason).toMatch(/Plain routes/)
      expect(entry(name).ported).toBe(0)
    }
  })

  it('ranks what is left in every candidate, not only the first', () => {
    const by = Object.fromEntries((plan.candidates ?? []).map((c) => [c.name, c]))
    expect(Object.keys(by).sort()).toEqual(['go', 'rust'])
    expect(by.go).toMatchObject({ language: 'go', migrated: 2, partly: 1 })
    expect(by.rust).toMatchObject({ language: 'rust', migrated: 1, partly: 1 })
    // Into rust: only auth-service (what its port lacks); into go: notification-service and the 10 not started.
    expect(by.rust!.next).toEqual(['auth-service'])
    expect([...by.go!.next].sort()).toEqual([...NOT_STARTED, 'notification-service'].sort())
    // In rank order.
    const rankOf = (n: string) => entry(n).rank
    expect(by.go!.next.map(rankOf)).toEqual([...by.go!.next.map(rankOf)].sort((a, b) => a - b))
    // Endpoints left: 2 in notification-service + the 10 not-started services' 4+4+7+5+4+3+4+6+5+3 = 45 endpoints.
    expect(by.go!.endpointsLeft).toBe(47)
    expect(by.rust!.endpointsLeft).toBe(3)
  })

  it('without traffic, takes priority from the code: dependents, endpoints, tables, capabilities', () => {
    expect(plan.priorityFrom).toBe('code')
    const names = (e: PlanEntry) => e.factors.map((f) => f.name)
    expect(names(entry('billing-service'))).toEqual(expect.arrayContaining(['fanIn', 'surface', 'data', 'uses', 'missing']))
    expect(names(entry('billing-service'))).not.toContain('traffic')
    // web-ui calls the gateway's GET /api/v1/status: its one dependent.
    const gateway = entry('api-gateway')
    expect(gateway.factors.find((f) => f.name === 'fanIn')).toMatchObject({ value: 1 })
    expect(gateway.factors.find((f) => f.name === 'fanIn')!.reason).toBe('1 dependent: web-ui calls GET /api/v1/status')
    expect(entry('billing-service').factors.find((f) => f.name === 'surface')).toMatchObject({ value: 7, reason: '7 endpoints' })
    // Not all equal: the gateway (a dependent) first; 7 endpoints rank above 3.
    expect(new Set(plan.entries.map((e) => e.priorityScore)).size).toBeGreaterThan(2)
    expect(plan.entries[0]!.component).toBe('api-gateway')
    expect(entry('billing-service').priorityScore).toBeGreaterThan(entry('link-preview').priorityScore)
    expect(entry('billing-service').rank).toBeLessThan(entry('link-preview').rank)
  })

  it('keeps web-ui, a UI without routes, in TypeScript with the reason', () => {
    const ui = (plan.packages ?? []).find((p) => p.name === 'web-ui')
    expect(ui).toMatchObject({ root: 'packages/web-ui', kind: 'ui', suggestion: { language: 'keep' } })
    expect(ui!.suggestion.rule).toMatch(/^ui: react/)
    expect(ui!.suggestion.reason).toMatch(/keep it in TypeScript/)
    expect(ui!.calls).toEqual(['api-gateway', 'file-management-service'])
  })

  it('prints the plan as a person reads it', () => {
    const r = parity(['plan'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('Targets: go, rust (the languages of the candidates: go is Go, rust is Rust)')
    expect(r.stdout).toContain('Priority from the code (no traffic recorded)')
    expect(r.stdout).toMatch(/^ 1\s+api-gateway\s+–\s+–\s+/m)
    expect(r.stdout).toMatch(/^\s*\d+\s+auth-service\s+–\s+57\.1%\s+.*rust \(started: auth-rs\)$/m)
    expect(r.stdout).toMatch(/^go \(Go\): 2 services migrated, 1 partly; left: 11 services, 47 endpoints; next: 1\. api-gateway/m)
    expect(r.stdout).toMatch(/^rust \(Rust\): 1 service migrated, 1 partly; left: 1 service, 3 endpoints; next: \d+\. auth-service$/m)
    expect(r.stdout).toMatch(/^web-ui\s+ui\s+packages\/web-ui\s+keep in TypeScript \(ui: react/m)
    // No target outside the candidates' languages (the platform matrix below names the baseline system `typescript`).
    const ranked = r.stdout.slice(0, r.stdout.indexOf('Platforms:'))
    expect(ranked).not.toMatch(/python|typescript \(/)
  })
})

describe('the vault of the platform plan', () => {
  it('has the service rows with each candidate, what is left per candidate, and web-ui kept', () => {
    const page = renderVault(run).get('Comparison.md')!
    const section = page.slice(page.indexOf('## Plan'))
    expect(section).toContain('| # | Service | go | rust | Priority | Risk | Effort | Target | Why |')
    expect(section).toMatch(/^\| \d+ \| auth-service \| — \| 57\.1% \| .* \| rust \(`started: auth-rs`\): /m)
    expect(section).toMatch(/^- \*\*rust\*\* \(Rust\): 1 service migrated, 1 partly; left 1 service, 3 endpoints: \d+\. auth-service$/m)
    expect(section).toMatch(/^\| web-ui \| ui \| `packages\/web-ui` \| keep in TypeScript \(ui: react, react-dom\): /m)
  })
})

describe('the scan of a monorepo notes its packages without a server', () => {
  it('lists web-ui as a UI package, and no service twice', async () => {
    const inventory = await scanPath({ path: join(dir, 'ts'), jobs: 1 })
    expect(inventory.packages).toEqual([
      expect.objectContaining({ name: 'web-ui', root: 'packages/web-ui', kind: 'ui', language: 'typescript', frameworks: ['react', 'react-dom'] }),
    ])
  })
})

describe('a shared library in the plan', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'parity-plan-lib-'))
  afterAll(() => rmSync(tmp, { recursive: true, force: true }))
  const write = (rel: string, text: string) => {
    mkdirSync(dirname(join(tmp, rel)), { recursive: true })
    writeFileSync(join(tmp, rel), text)
  }

  it('goes where the services that use it go; an unused one is kept', async () => {
    // orders (uses @acme/money) is half ported to Go; users uses nothing; @acme/strings nobody uses.
    const pkg = (name: string, deps: Record<string, string>) =>
      JSON.stringify({ name, private: true, scripts: { start: 'node dist/server.js' }, dependencies: { express: '^4.19.0', ...deps } })
    write('ts/services/orders/package.json', pkg('@acme/orders', { '@acme/money': '*' }))
    write(
      'ts/services/orders/src/server.ts',
      "import express from 'express'\nimport { total } from '@acme/money'\nconst app = express()\napp.get('/orders', (_q, r) => r.json(total([])))\napp.post('/orders', (_q, r) => r.json({}))\napp.listen(3001)\n",
    )
    write('ts/services/users/package.json', pkg('@acme/users', {}))
    write(
      'ts/services/users/src/server.ts',
      "import express from 'express'\nconst app = express()\napp.get('/users', (_q, r) => r.json([]))\napp.listen(3002)\n",
    )
    write('ts/packages/money/package.json', JSON.stringify({ name: '@acme/money', main: 'src/index.ts' }))
    write('ts/packages/money/src/index.ts', 'export const total = (xs: number[]) => xs.reduce((a, b) => a + b, 0)\n')
    write('ts/packages/strings/package.json', JSON.stringify({ name: '@acme/strings', main: 'src/index.ts' }))
    write('ts/packages/strings/src/index.ts', 'export const upper = (s: string) => s.toUpperCase()\n')
    write('go/orders/go.mod', 'module example.com/orders\n\ngo 1.22\n')
    write(
      'go/orders/main.go',
      'package main\n\nimport "net/http"\n\nfunc main() {\n\tmux := http.NewServeMux()\n\tmux.HandleFunc("GET /orders", func(w http.ResponseWriter, r *http.Request) {})\n\thttp.ListenAndServe(":8081", mux)\n}\n',
    )
    write('parity.config.yaml', 'systems:\n  - { name: ts, role: baseline, source: ./ts }\n  - { name: go, role: candidate, source: ./go }\n')
    const diffed = await diffConfig(await loadConfig(join(tmp, 'parity.config.yaml')))
    const plan = planMigration(diffed, { sourceRoot: join(tmp, 'ts') })
    expect(plan.entries.map((e) => [e.component, e.suggestion?.rule])).toEqual(
      expect.arrayContaining([
        ['orders', 'started: orders'],
        ['users', 'crud'],
      ]),
    )
    const money = plan.packages?.find((p) => p.name === 'money')
    expect(money).toMatchObject({ kind: 'library', usedBy: ['orders'], suggestion: { language: 'go', rule: 'library: orders' } })
    expect(money!.suggestion.reason).toMatch(/port it alongside them/)
    expect(plan.packages?.find((p) => p.name === 'strings')).toMatchObject({
      kind: 'library',
      usedBy: [],
      suggestion: { language: 'keep', rule: 'unused-library' },
    })
  })
})
