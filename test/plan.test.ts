/**
 * `parity plan` on fixtures/plan/shop: an Express baseline with eight components and two partial
 * rewrites. The expected order is argued beside each assertion from what the fixture holds:
 *  - auth: its middleware is imported by orders and notes (fan-in 2), 2 routes, all missing;
 *  - chat: a WebSocket endpoint (real-time) and a plain route, all missing;
 *  - notes and orders: CRUD routes, one of three ported in `go`;
 *  - images: resizes with sharp; proxy: http-proxy-middleware; app: renders with react-dom/server;
 *  - traffic.ndjson: 6 of 10 requests resize images, 2 hit orders, 2 the health check.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Ajv2020 from 'ajv/dist/2020.js'
import { afterAll, describe, expect, it } from 'vitest'
import { runDiff } from '../src/match/diff-run.js'
import { isParityError } from '../src/model/errors.js'
import type { RunResult } from '../src/model/run.js'
import { planMigration } from '../src/plan/rank.js'
import { readLanguageRules } from '../src/plan/rules.js'
import { renderVault } from '../src/report/markdown/vault.js'
import type { Plan, PlanEntry } from '../src/model/plan.js'

const repo = new URL('..', import.meta.url).pathname
const shop = join(repo, 'fixtures/plan/shop')
const bin = join(repo, 'bin/parity.js')
const tmp = mkdtempSync(join(tmpdir(), 'parity-plan-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

function parity(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: repo, encoding: 'utf8', env: { ...process.env, CI: 'true' } })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

const twoSystems = await runDiff({ baseline: { name: 'node', source: join(shop, 'baseline') }, candidates: [{ name: 'go', source: join(shop, 'candidate') }] })
const entry = (plan: Plan, component: string): PlanEntry => {
  const e = plan.entries.find((x) => x.component === component)
  if (!e) throw new Error(`no plan entry for ${component}: ${plan.entries.map((x) => x.component).join(', ')}`)
  return e
}
const factor = (e: PlanEntry, name: string) => e.factors.find((f) => f.name === name)

describe('the plan stage from every command', () => {
  it('ranks with the baseline coverage in `parity plan` as in `parity run` (the same stage, the same answer)', () => {
    const dir = join(tmp, 'coverage')
    spawnSync('mkdir', ['-p', dir])
    writeFileSync(join(dir, 'lcov.info'), `TN:\nSF:${join(shop, 'baseline/src/notes/routes.ts')}\nDA:1,1\nDA:2,1\nDA:3,0\nDA:4,1\nLF:4\nLH:3\nend_of_record\n`)
    writeFileSync(
      join(dir, 'parity.config.yaml'),
      `systems:\n  - { name: node, role: baseline, source: ${join(shop, 'baseline')}, scorecard: { coverage: ./lcov.info } }\n  - { name: go, role: candidate, source: ${join(shop, 'candidate')} }\nreports: { json: out/run.json }\nhistory: ./history.sqlite\n`,
    )
    const viaPlan = spawnSync(process.execPath, [bin, 'plan', '--format', 'json'], { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: 'true' } })
    expect(viaPlan.status, viaPlan.stderr).toBe(0)
    const planned = (JSON.parse(viaPlan.stdout) as RunResult).plan!
    const viaRun = spawnSync(process.execPath, [bin, 'run'], { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: 'true' } })
    expect(viaRun.status, viaRun.stderr).toBe(0)
    const ran = (JSON.parse(readFileSync(join(dir, 'out/run.json'), 'utf8')) as RunResult).plan!
    expect(factor(entry(planned, 'notes'), 'coverage')).toMatchObject({ value: 0.75, reason: 'baseline tests cover 75% of its lines' })
    expect(planned.entries.map((e) => [e.component, e.priorityScore, e.riskScore])).toEqual(ran.entries.map((e) => [e.component, e.priorityScore, e.riskScore]))
  })
})

// The shop's rewrites are Express stand-ins: their own language, TypeScript, would be the only
// target; these tests name the targets the rules are about (the config's `plan.targets`).
const targets = ['rust', 'go'] as const

describe('planMigration on a monorepo with sources', () => {
  const plan = planMigration(twoSystems, { sourceRoot: join(shop, 'baseline'), targets: [...targets] })

  it('lists only components not fully ported in the first candidate', () => {
    // health and the sole service are ported in `go`; every other component lacks something.
    expect(plan.entries.map((e) => e.component).sort()).toEqual(['app', 'auth', 'capabilities', 'chat', 'images', 'notes', 'orders', 'proxy'])
    expect(plan.entries.map((e) => e.rank)).toEqual(plan.entries.map((_, i) => i + 1))
    expect(entry(plan, 'notes').ported).toBe(33.3)
  })

  it('ranks a component other components import above one nobody imports', () => {
    // auth and chat are both entirely missing; only auth is imported (by orders and notes), so
    // fan-in lifts its priority. app.ts imports every router, but a wiring file adds no fan-in.
    const auth = entry(plan, 'auth')
    expect(factor(auth, 'fanIn')).toMatchObject({ value: 2, reason: 'imported by 2 other components: notes, orders' })
    expect(factor(entry(plan, 'chat'), 'fanIn')?.value).toBe(0)
    expect(auth.priorityScore).toBeGreaterThan(entry(plan, 'chat').priorityScore)
    expect(auth.priority).toBe('high')
    expect(plan.entries[0]!.component).toBe('auth')
  })

  it('rates a real-time chat component riskier than a CRUD one', () => {
    // chat serves a WebSocket endpoint; notes has three plain routes and more lines.
    const chat = entry(plan, 'chat')
    const notes = entry(plan, 'notes')
    expect(factor(chat, 'realtime')).toMatchObject({ value: 1, contribution: 2 })
    expect(factor(notes, 'realtime')?.value).toBe(0)
    expect(chat.riskScore).toBeGreaterThan(notes.riskScore)
    expect([chat.risk, notes.risk]).toEqual(['medium', 'low'])
    // Real-time adds two days to the effort: 0.5 + 1 × (13/400 + 2×0.25) + 2 = 3.03, rounded to 3.
    expect(chat.effortDays).toBe(3)
    expect(chat.effortFormula).toBe('0.5 + missing × (lines/400 + endpoints×0.25 + tables×0.5) + realtime×2 + capabilities×1')
  })

  it('suggests a language by the first matching rule, with its reason', () => {
    expect(entry(plan, 'images').suggestion).toMatchObject({ language: 'rust', rule: 'compute-heavy: sharp' })
    expect(entry(plan, 'proxy').suggestion).toMatchObject({ language: 'go', rule: 'network-fan-out: http-proxy-middleware' })
    expect(entry(plan, 'app').suggestion).toMatchObject({ language: 'keep', rule: 'ui: react, react-dom' })
    expect(entry(plan, 'chat').suggestion).toMatchObject({ language: 'rust', rule: 'real-time: websocket' })
    expect(entry(plan, 'notes').suggestion?.rule).toBe('crud')
    expect(entry(plan, 'images').suggestion?.reason).toMatch(/CPU-bound/)
  })

  it("without targets, suggests only the candidates' own language, and names the rules it passed over", () => {
    // Both rewrites are Express (TypeScript): no rule names TypeScript, so the first target it is;
    // a UI is still kept in TypeScript.
    const own = planMigration(twoSystems, { sourceRoot: join(shop, 'baseline') })
    expect(own.targets).toEqual({ languages: ['typescript'], from: 'candidates' })
    expect(entry(own, 'images').suggestion).toMatchObject({ language: 'typescript', rule: 'first-target', passedOver: ['compute-heavy (rust)'] })
    expect(entry(own, 'app').suggestion).toMatchObject({ language: 'keep', rule: 'ui: react, react-dom' })
    expect(own.entries.every((e) => e.suggestion?.language === 'typescript' || e.suggestion?.language === 'keep')).toBe(true)
  })

  it('puts the busiest component first when traffic is known', () => {
    // Six of ten recorded requests resize images: traffic (weight 3) outweighs auth's fan-in.
    const traffic = new Map([
      ['POST /api/images/resize', 6],
      ['GET /api/orders/{}', 1],
      ['GET /api/orders', 1],
      ['GET /health', 2],
    ])
    const withTraffic = planMigration(twoSystems, { sourceRoot: join(shop, 'baseline'), traffic })
    expect(withTraffic.priorityFrom).toBe('traffic')
    expect(withTraffic.entries[0]!.component).toBe('images')
    expect(factor(entry(withTraffic, 'images'), 'traffic')).toMatchObject({ value: 0.6, reason: '60% of the recorded traffic (6 of 10 requests)' })
    expect(factor(entry(withTraffic, 'orders'), 'traffic')?.value).toBe(0.2)
  })

  it('counts low baseline coverage as risk', () => {
    const covered = planMigration(twoSystems, { sourceRoot: join(shop, 'baseline'), coverageByFile: new Map([['src/notes/routes.ts', 0.95]]) })
    // notes' only file is 95% covered; orders has no coverage figure and counts as untested.
    expect(factor(entry(covered, 'notes'), 'coverage')).toMatchObject({ value: 0.95, reason: 'baseline tests cover 95% of its lines' })
    expect(factor(entry(covered, 'orders'), 'coverage')?.reason).toMatch(/counted as untested/)
    expect(entry(covered, 'orders').riskScore).toBeGreaterThan(entry(covered, 'notes').riskScore)
  })

  it('takes weights from the config and refuses unknown ones', () => {
    const noRealtime = planMigration(twoSystems, { sourceRoot: join(shop, 'baseline'), weights: { realtime: 0 } })
    expect(noRealtime.weights.realtime).toBe(0)
    expect(entry(noRealtime, 'chat').risk).toBe('low')
    let error: unknown
    try {
      planMigration(twoSystems, { weights: { realtim: 1 } })
    } catch (e) {
      error = e
    }
    expect(isParityError(error) && error.code).toBe('PLAN_WEIGHTS_INVALID')
    expect((error as Error & { hint: string }).hint).toContain('realtime')
  })
})

describe('planMigration without sources', () => {
  it('counts items for size and leaves fan-in out', () => {
    const plan = planMigration(twoSystems, { targets: [...targets] })
    const orders = entry(plan, 'orders')
    expect(factor(orders, 'items')).toMatchObject({ value: 3 })
    expect(factor(orders, 'fanIn')).toBeUndefined()
    expect(orders.effortFormula).toContain('items/16')
    // Without reading imports, the images component still gets no package-based rule.
    expect(entry(plan, 'images').suggestion?.rule).toBe('crud')
  })
})

describe('the platform matrix of three systems (RunResult.platforms, one row per item)', () => {
  it('is absent with two systems', () => {
    expect(twoSystems.platforms).toBeUndefined()
  })

  it('says which systems have each item and how much all of them share', async () => {
    const run: RunResult = await runDiff({
      baseline: { name: 'node', source: join(shop, 'baseline') },
      candidates: [
        { name: 'go', source: join(shop, 'candidate') },
        { name: 'edge', source: join(shop, 'candidate-b') },
      ],
    })
    const m = run.platforms!
    const row = (key: string) => m.rows.find((r) => r.key === key)
    // health is everywhere; notes' list is in both rewrites, its PUT nowhere else.
    expect(row('GET /health')?.in).toEqual(['node', 'go', 'edge'])
    expect(row('GET /api/notes')?.in).toEqual(['node', 'go', 'edge'])
    expect(row('PUT /api/notes/{}')?.in).toEqual(['node'])
    expect(row('GET /api/orders')?.in).toEqual(['node', 'go'])
    // edge ported login, go did not.
    expect(row('POST /api/auth/login')?.in).toEqual(['node', 'edge'])
    expect(m.shared).toBe(m.rows.filter((r) => r.in.length === 3).length)
    // The plan no longer carries its own per-component matrix.
    expect(planMigration(run).platforms).toBeUndefined()
  })
})

describe('language rules', () => {
  it('a rules file replaces the defaults', () => {
    const file = join(tmp, 'rules.yaml')
    writeFileSync(file, 'rules:\n  - id: everything-python\n    language: python\n    when: {}\n    reason: The team writes Python.\n')
    const plan = planMigration(twoSystems, { sourceRoot: join(shop, 'baseline'), rules: readLanguageRules(file), targets: ['python'] })
    expect(plan.entries.every((e) => e.suggestion?.language === 'python' && e.suggestion.rule === 'everything-python')).toBe(true)
  })

  it('an unknown capability id is a config error listing the known ids', () => {
    let error: unknown
    try {
      readLanguageRules(join(shop, 'bad-rules.yaml'))
    } catch (e) {
      error = e
    }
    expect(isParityError(error) && error.code).toBe('PLAN_RULES_INVALID')
    expect((error as Error).message).toContain('rule `streaming`: unknown capability `websockets`')
    expect((error as Error & { hint: string }).hint).toMatch(/websocket, sse, job-queue/)
  })

  it('a rule without language or reason is named', () => {
    const file = join(tmp, 'incomplete.json')
    writeFileSync(file, JSON.stringify({ rules: [{ id: 'x', language: 'cobol', when: { packages: ['a'] } }] }))
    expect(() => readLanguageRules(file)).toThrow(/rule `x`: language `cobol` is not one of rust, go, typescript, python, keep; rule `x` has no `reason`/)
  })
})

describe('parity plan (CLI)', () => {
  it('prints a RunResult with the plan, traffic taken from the config corpus', () => {
    const r = parity(['plan', '--config', 'fixtures/plan/shop/parity.config.yaml', '--format', 'json'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const run = JSON.parse(r.stdout) as RunResult
    const Ajv = Ajv2020 as unknown as typeof Ajv2020.default
    const validate = new Ajv({ allErrors: true }).compile(JSON.parse(readFileSync(join(repo, 'schema/run.schema.json'), 'utf8')))
    expect(validate(run), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true)
    expect(run.plan!.entries[0]).toMatchObject({ component: 'images', priority: 'high', suggestion: { language: 'rust' } })
    expect(run.platforms?.rows.find((r) => r.key === 'GET /health')?.in).toEqual(['node', 'go', 'edge'])
  })

  it('prints the ranked table with reasons and the platform matrix', () => {
    const r = parity(['plan', '--config', 'fixtures/plan/shop/parity.config.yaml'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('Targets: rust, go (plan.targets in the config).')
    expect(r.stdout).toMatch(/^1\s+images\s+0%\s+0%\s+high \(\d+\)\s+low \(\d+\)\s+1 d\s+rust \(compute-heavy: sharp\)$/m)
    expect(r.stdout).toMatch(/^go \(TypeScript\): left: 8 components, \d+ endpoints; next: 1\. images/m)
    expect(r.stdout).toContain('imported by 2 other components: notes, orders')
    // The matrix is per item: edge ported login, go did not.
    expect(r.stdout).toMatch(/^item\s+node\s+go\s+edge$/m)
    expect(r.stdout).toMatch(/^POST \/api\/auth\/login\s+✓\s+—\s+✓$/m)
    expect(r.stdout).toContain('Shared by all 3: 3 items · only node: 12 · only go: 0 · only edge: 0')
  })

  it('a bad rules file exits 2 with the known ids in the hint', () => {
    const r = parity(['plan', '--config', 'fixtures/plan/shop/parity.config.yaml', '--rules', 'fixtures/plan/shop/bad-rules.yaml'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('unknown capability `websockets`')
    expect(r.stderr).toMatch(/hint: use a catalog id \(websocket, sse/)
  })
})

describe('the vault', () => {
  it('has a Plan section on the Comparison page, ranked, with reasons and the suggestion', () => {
    const run = { ...twoSystems, plan: planMigration(twoSystems, { sourceRoot: join(shop, 'baseline'), targets: ['go'] }) }
    const page = renderVault(run).get('Comparison.md')!
    const section = page.slice(page.indexOf('## Plan'))
    expect(page).toContain('## Plan')
    expect(section).toMatch(
      /^\| 1 \| auth \| 0% \| high \(\d+\) \| low \(\d+\) \| 1 \| go \(`crud`\): .* \| imported by 2 other components: notes, orders; 2 of 2 items still missing in go/m,
    )
    expect(renderVault(twoSystems).get('Comparison.md')).not.toContain('## Plan')
  })
})
