/**
 * Issue 19's platform monorepo (fixtures/monorepos/platform): 15 TypeScript services, 3 Go and 2
 * Rust, renamed ports and a `GET /health` in thirteen services. Its truth (truth.json) was written
 * by reading the fixture: a route is ported only by the port of its own service, and a candidate
 * route ports one baseline route.
 */
import { spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import { parse } from 'yaml'
import { assess } from '../src/assess/gates.js'
import { loadConfig } from '../src/config/load.js'
import { diffConfig } from '../src/match/diff-run.js'
import type { ColumnItem, ForeignKey } from '../src/model/inventory.js'
import type { RunResult } from '../src/model/run.js'
import { renderGithubSummary } from '../src/report/github.js'
import { renderVault } from '../src/report/markdown/vault.js'

const dir = new URL('../fixtures/monorepos/platform/', import.meta.url).pathname

interface TruthService {
  name: string
  folder: string
  entry: string
  port: number
}
interface TruthPort extends TruthService {
  system: string
  ports: string
  portedRoutes: string[]
}
interface TruthRow {
  service: string
  language: string
  port: number
  baselinePort: number
  candidate: string | null
  status: 'migrated' | 'partly' | 'not started'
  ported: number
  of: number
  percent: number
}
const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as {
  baseline: { services: TruthService[] }
  serviceTable: TruthRow[]
  candidates: TruthPort[]
  figures: {
    headline: string
    services: {
      rust: { withPort: number; migrated: number; partly: number }
      go: { withPort: number; migrated: number; partly: number }
      notStarted: number
      of: number
      migratedLine: string
      partlyLine: string
    }
    routes: { totalBaseline: number; go: { ported: number }; rust: { ported: number }; lines: string[] }
  }
}

/** The truth's baseline service of a file: the single-file service it is the entry of, else the deepest folder. */
function baselineServiceOf(file: string): string | undefined {
  const path = `ts/${file}`
  const entry = truth.baseline.services.find((s) => s.entry === path)
  if (entry) return entry.name
  return truth.baseline.services.filter((s) => path.startsWith(`${s.folder}/`)).sort((a, b) => b.folder.length - a.folder.length)[0]?.name
}

let run: RunResult | undefined
async function platform(): Promise<RunResult> {
  run ??= await diffConfig(await loadConfig(join(dir, 'parity.config.yaml')))
  return run
}

it('counts a route ported only by the port of its own service, one to one', async () => {
  const r = await platform()
  const routes = r.pairs.filter((p) => p.baseline && p.kind === 'route')
  expect(routes).toHaveLength(truth.figures.routes.totalBaseline)
  const ported = (system: string) => routes.filter((p) => ['ported', 'verified', 'divergent'].includes(p.matrix?.[system]?.status ?? ''))
  expect(ported('go')).toHaveLength(truth.figures.routes.go.ported)
  expect(ported('rust')).toHaveLength(truth.figures.routes.rust.ported)
  // Each port ports the routes of the service it replaces, and no other service's.
  for (const port of truth.candidates) {
    const portFolder = relative(port.system === 'go' ? 'go-services' : 'rust-services', port.folder)
    const mine = ported(port.system).filter((p) => p.matrix![port.system]!.candidate!.source.file.startsWith(`${portFolder}/`))
    expect(new Set(mine.map((p) => baselineServiceOf(p.baseline!.source.file))), port.name).toEqual(new Set([port.ports]))
    expect(mine.map((p) => p.key).sort(), port.name).toEqual(port.portedRoutes.map((k) => k.replace(/\{[^}]*\}/g, '{}')).sort())
  }
  // No candidate item ports two baseline items.
  for (const system of ['go', 'rust']) {
    const candidates = ported(system).map((p) => p.matrix![system]!.candidate)
    expect(new Set(candidates).size, system).toBe(candidates.length)
  }
})

it('finds the fifteen baseline services with their ports, each single-file service of a folder its own', async () => {
  const r = await platform()
  const found = Object.fromEntries(serviceItems(r))
  expect(found).toEqual(Object.fromEntries(truth.baseline.services.map((s) => [s.name, s.port])))
})

function serviceItems(r: RunResult): Array<[string, number | undefined]> {
  return r.pairs.flatMap((p) =>
    p.kind === 'service' && p.baseline?.kind === 'service' ? [[p.baseline.name, p.baseline.port] as [string, number | undefined]] : [],
  )
}

it('pairs renamed services by their name marks and routes, and says so', async () => {
  const r = await platform()
  const via = (system: string, service: string) => r.pairs.find((p) => p.key === `service ${service}`)?.matrix?.[system]
  expect(via('go', 'file-management-service')).toMatchObject({ status: 'ported', via: 'service-rename' })
  expect(via('go', 'file-management-service')?.candidate).toMatchObject({ name: 'go-file-management-service' })
  expect(via('go', 'notification-service')).toMatchObject({ status: 'ported', via: 'key' })
  expect(via('rust', 'auth-service')?.candidate).toMatchObject({ name: 'auth-rs' })
  expect(via('rust', 'search-service')?.candidate).toMatchObject({ name: 'search-rs' })
  expect(via('go', 'image-proxy')?.candidate).toMatchObject({ name: 'go-image-proxy' })
  expect(via('go', 'user-service')?.status).toBe('missing')
})

it('proposes near matches only inside paired services', async () => {
  const r = await platform()
  // Before: `GET /invoices` of billing (not ported) ~ `GET /metrics` of the Go file service.
  expect(r.nearMisses.map((n) => `${n.baseline.key} ~ ${n.candidate.key}`)).not.toContain('GET /invoices ~ GET /metrics')
  for (const n of r.nearMisses) {
    if (n.baseline.service && n.candidate.service)
      expect(n.candidate.service).toBe(
        r.pairs.find((p) => p.key === `service ${n.baseline.service}`)?.matrix?.[n.candidateSystem]?.candidate?.key.slice('service '.length),
      )
  }
})

it('gives the service table and the headline of the truth: Rust 2 + Go 3 of 15 services', async () => {
  const m = (await platform()).services!
  expect(m.headline).toBe(truth.figures.headline)
  expect(m.total).toBe(truth.figures.services.of)
  expect(m.notStarted).toBe(truth.figures.services.notStarted)
  expect(Object.fromEntries(m.byLanguage.map((f) => [f.language, { withPort: f.withPort, migrated: f.migrated, partly: f.partly }]))).toEqual({
    rust: truth.figures.services.rust,
    go: truth.figures.services.go,
  })
  // Each row: the port's service, language and port, its status and share, in the candidate that has it.
  for (const want of truth.serviceTable) {
    const row = m.rows.find((r) => r.service === want.service)!
    expect(row.port, want.service).toBe(want.baselinePort)
    const ports = Object.values(row.candidates).filter((c) => c.status !== 'not-started')
    if (!want.candidate) {
      expect(ports, want.service).toEqual([])
      continue
    }
    expect(ports, want.service).toHaveLength(1)
    expect(ports[0], want.service).toMatchObject({
      service: want.candidate,
      language: want.language,
      port: want.port,
      ported: want.ported,
      of: want.of,
      percent: want.percent,
    })
    expect(ports[0]!.status.replace('-', ' '), want.service).toBe(want.status)
  }
})

it('prints the headline and the service table in `parity diff` (the built CLI)', () => {
  const r = spawnSync(process.execPath, [new URL('../bin/parity.js', import.meta.url).pathname, 'diff'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
  })
  expect(r.status, r.stderr).toBe(0)
  expect(r.stdout).toContain('Services: Rust 2 + Go 3 of 15 services\n')
  expect(r.stdout).toContain(`  ${truth.figures.services.migratedLine} (every endpoint in the port)\n`)
  expect(r.stdout).toContain(`  ${truth.figures.services.partlyLine}\n`)
  expect(r.stdout).toContain('  10 of 15 services not started\n')
  for (const line of truth.figures.routes.lines) expect(r.stdout).toContain(line)
  expect(r.stdout).toContain('  go: in the 3 services it ports 12 of 14 (85.7%), 2 missing · 1 extra\n')
  expect(r.stdout).toContain('  rust: in the 2 services it ports 8 of 11 (72.7%), 3 missing · 0 extra\n')
  // The table, row by row in the truth's order (by baseline port): every cell as the truth has it.
  const lines = r.stdout.split('\n')
  const head = lines.findIndex((l) => /^service +language +port +port service +status +ported +ported %$/.test(l))
  expect(head).toBeGreaterThan(0)
  const cells = lines.slice(head + 2, head + 2 + truth.serviceTable.length).map((l) => l.split(/ {2,}/))
  expect(cells).toEqual(
    truth.serviceTable.map((w) => [w.service, w.language, String(w.port), w.candidate ?? '—', w.status, `${w.ported} / ${w.of}`, `${w.percent}%`]),
  )
})

it('gives the route figures of the truth per candidate, over the baseline and inside the services each ports', async () => {
  const m = (await platform()).services!
  const routes = truth.figures.routes as unknown as Record<'go' | 'rust', Record<string, number>> & { combined: Record<string, number> }
  for (const name of ['go', 'rust'] as const) {
    const e = m.endpoints![name]!
    const want = routes[name]
    expect(e, name).toMatchObject({
      language: name,
      ported: want.ported,
      of: want.of,
      percent: want.percent,
      inPorted: { ported: want.ported, of: want.ofPairedServices, percent: want.percentOfPairedServices, missing: want.missingInPairedServices },
      extra: want.extra,
    })
    expect(m.byLanguage.find((f) => f.language === name)!.endpoints).toMatchObject({ ported: want.ported, of: want.of, percent: want.percent })
  }
  expect(m.combined).toEqual(routes.combined)
  expect(m.endpointWord).toBe('Routes')
})

it('takes what "migrated" requires from the config: with 50% of the endpoints enough, notification-service and auth-rs are migrated', async () => {
  const config = await loadConfig(join(dir, 'parity.config.yaml'))
  const lenient = await diffConfig({ ...config, services: { migrated: { ported: 0.5 } } })
  const m = lenient.services!
  expect(m.rule).toEqual({ ported: 0.5, verified: 0, text: 'at least 50% of its endpoints in the port' })
  expect(m.rows.find((r) => r.service === 'auth-service')!.candidates.rust!.status).toBe('migrated')
  expect(m.rows.find((r) => r.service === 'notification-service')!.candidates.go!.status).toBe('migrated')
  // Requiring verification, which a diff alone never gives: nothing is migrated, every port is partly.
  const strict = (await diffConfig({ ...config, services: { migrated: { verified: 0.8 } } })).services!
  expect(strict.byLanguage.map((f) => [f.language, f.migrated, f.partly])).toEqual([
    ['rust', 0, 2],
    ['go', 0, 3],
  ])
  expect(strict.rule!.text).toBe('every endpoint in the port, at least 80% verified')
})

it('shows the headline and the service table on the vault index', async () => {
  const index = renderVault(await platform()).get('Index.md')!
  expect(index).toContain('## Services')
  expect(index).toContain('**Rust 2 + Go 3 of 15 services**.')
  expect(index).toContain(`- ${truth.figures.services.migratedLine} (every endpoint in the port).`)
  expect(index).toContain(`- ${truth.figures.services.partlyLine}.`)
  expect(index).toContain('- Routes: go 12 of 70 (17.1%) · rust 8 of 70 (11.4%) · any candidate 20 of 70 (28.6%)')
  for (const w of truth.serviceTable)
    expect(index).toContain(
      `| ${w.service} | ${w.language} | ${w.port} | ${w.candidate ? `\`${w.candidate}\`` : '—'} | ${w.status} | ${w.ported} / ${w.of} | ${w.percent}% |`,
    )
})

it('shows the service table in the GitHub step summary', async () => {
  const summary = renderGithubSummary(await platform())
  expect(summary).toContain('### Services')
  expect(summary).toContain(`**Rust 2 + Go 3 of 15 services**: ${truth.figures.services.migratedLine} (every endpoint in the port)`)
  for (const w of truth.serviceTable)
    expect(summary).toContain(
      `| ${w.service.replaceAll('_', '\\_')} | ${w.language} | ${w.port} | ${w.candidate ? `\`${w.candidate}\`` : '—'} | ${w.status} | ${w.ported} / ${w.of} | ${w.percent}% |`,
    )
})

/**
 * Issue 19's peers fixture (fixtures/monorepos/peers): the shop (a TypeScript baseline, its Rust
 * rewrite) and the marketplace, a sister platform (`role: peer`) compared in the matrix, never gated.
 */
describe('peers: a sister platform is compared, never ported, never gated', () => {
  const peersDir = new URL('../fixtures/monorepos/peers/', import.meta.url).pathname
  interface TruthRow {
    key: string
    in: string[]
  }
  const t = JSON.parse(readFileSync(join(peersDir, 'truth.json'), 'utf8')) as {
    systems: Array<{ name: string; role: string }>
    matrix: TruthRow[]
    groups: Record<string, string[]>
    servicesMatrix: Array<Record<string, string | null>>
    figures: {
      routes: { union: number; perSystem: Record<string, number> }
      candidate: {
        name: string
        routesPorted: number
        of: number
        percent: number
        missing: string[]
        extra: string[]
        items: { ported: number; of: number; percent: number }
      }
      peer: { name: string; sharedWithBaseline: number; of: number }
      gates: { config: string[]; checkedAgainst: string[]; verdict: string }
    }
  }
  const cand = t.figures.candidate
  const peer = t.figures.peer
  let peersRun: RunResult | undefined
  const diffed = async () => (peersRun ??= await diffConfig(await loadConfig(join(peersDir, 'parity.config.yaml'))))

  it('accepts `role: peer` in the config', async () => {
    const config = await loadConfig(join(peersDir, 'parity.config.yaml'))
    expect(config.baseline.name).toBe('shop-ts')
    expect(config.candidates.map((s) => s.name)).toEqual([cand.name])
    expect(config.peers.map((s) => s.name)).toEqual([peer.name])
    const r = await diffed()
    expect(r.systems.map((s) => [s.name, s.role])).toEqual(t.systems.map((s) => [s.name, s.role]))
  })

  it("gives shop-rs the truth's figures and the peer none", async () => {
    const r = await diffed()
    expect(Object.keys(r.candidates)).toEqual([cand.name])
    const s = r.candidates[cand.name]!
    expect({ ported: s.ported, of: s.total, percent: s.percent }).toEqual({ ported: cand.items.ported, of: cand.items.of, percent: cand.items.percent })
    expect(s.byKind.route).toMatchObject({ ported: cand.routesPorted, missing: cand.of - cand.routesPorted })
    const routes = r.pairs.filter((p) => p.kind === 'route')
    expect(
      routes
        .filter((p) => p.status === 'missing')
        .map((p) => p.key)
        .sort(),
    ).toEqual([...cand.missing].sort())
    expect(
      routes
        .filter((p) => p.status === 'extra')
        .map((p) => p.key)
        .sort(),
    ).toEqual([...cand.extra].sort())
    // The peer is no side of any pair, of any near match, of the service table.
    expect(r.pairs.filter((p) => p.candidateSystem === peer.name || (p.matrix && peer.name in p.matrix))).toEqual([])
    expect(r.nearMisses.filter((n) => n.candidateSystem === peer.name)).toEqual([])
    expect(r.services?.rows.map((row) => [row.service, Object.keys(row.candidates)])).toEqual([['shop-api', [cand.name]]])
  })

  it('places every route in the matrix as the truth does, with the groups and the services as rows', async () => {
    const m = (await diffed()).platforms!
    expect(m.systems.map((s) => s.name)).toEqual(t.systems.map((s) => s.name))
    const routes = m.rows.filter((r) => r.kind === 'route')
    expect(routes).toHaveLength(t.figures.routes.union)
    expect(Object.fromEntries(routes.map((r) => [r.key, r.in]))).toEqual(Object.fromEntries(t.matrix.map((r) => [r.key, r.in])))
    for (const [name, n] of Object.entries(t.figures.routes.perSystem))
      expect(
        routes.filter((r) => r.in.includes(name)),
        name,
      ).toHaveLength(n)
    const group = (...names: string[]) =>
      routes
        .filter((r) => r.in.length === names.length && names.every((n) => r.in.includes(n)))
        .map((r) => r.key)
        .sort()
    const [base, c, p] = t.systems.map((s) => s.name) as [string, string, string]
    expect(group(base, c, p)).toEqual([...t.groups.all!].sort())
    expect(group(base)).toEqual([...t.groups.onlyBaseline!].sort())
    expect(group(c)).toEqual([...t.groups.onlyCandidate!].sort())
    expect(group(p)).toEqual([...t.groups.onlyPeer!].sort())
    expect(group(base, c)).toEqual([...t.groups.baselineAndCandidate!].sort())
    expect(group(base, p)).toEqual([...t.groups.baselineAndPeer!].sort())
    expect(group(c, p)).toEqual([...t.groups.candidateAndPeer!].sort())
    expect(routes.filter((r) => r.in.includes(base) && r.in.includes(peer.name))).toHaveLength(peer.sharedWithBaseline)
    // Services: shop-api is ported by shop-rs; marketplace is the peer's own, a row with only the peer.
    for (const want of t.servicesMatrix) {
      const row = m.rows.find((r) => r.key === `service ${want.service}`)!
      expect(row.in, String(want.service)).toEqual(t.systems.map((s) => s.name).filter((n) => want[n]))
      for (const n of row.in) if (want[n] !== want.service) expect(row.as?.[n]).toEqual([want[n]])
    }
    // Each system's "only it has" is said; the baseline's shared share is over its rows (routes and its service).
    expect(m.only).toEqual({ [base]: 1, [c]: 1, [p]: 3 })
    expect(m.baseline).toEqual({ rows: 9, shared: 4, percent: 44.4 })
  })

  it('never fails a gate on the peer: `ported >= 0.7` passes on shop-rs, the verdict is pass', async () => {
    const r = await diffed()
    const a = assess(r, t.figures.gates.config)
    expect(a.gates).toHaveLength(1)
    expect(a.gates[0]!.passed).toBe(true)
    expect(a.gates[0]!.actual).toBeCloseTo(cand.items.percent / 100, 3)
    expect(a.gates[0]!.message).not.toContain(peer.name)
    expect(a.verdict.productionReady).toBe(t.figures.gates.verdict === 'pass')
    expect(a.findings.filter((f) => f.candidate === peer.name)).toEqual([])
  })

  it('prints the matrix in `parity diff`, and `parity run` passes (the built CLI, on a copy)', () => {
    const copy = mkdtempSync(join(tmpdir(), 'parity-peers-'))
    onTestFinished(() => rmSync(copy, { recursive: true, force: true }))
    cpSync(peersDir, copy, { recursive: true })
    const cli = (args: string[]) =>
      spawnSync(process.execPath, [new URL('../bin/parity.js', import.meta.url).pathname, ...args], {
        cwd: copy,
        encoding: 'utf8',
        env: { ...process.env, CI: 'true' },
      })
    const diff = cli(['diff'])
    expect(diff.status, diff.stderr).toBe(0)
    expect(diff.stdout).toContain('parity diff · baseline shop-ts (express) → shop-rs (axum); peer marketplace-go (gin)')
    expect(diff.stdout).toMatch(/^GET \/api\/categories +✓ +— +✓$/m)
    expect(diff.stdout).toMatch(/^service shop-api +✓ +✓ shop-rs +—$/m)
    expect(diff.stdout).toMatch(/^service marketplace +— +— +✓$/m)
    expect(diff.stdout).toContain('Shared by all 3: 4 items · only shop-ts: 1 · only shop-rs: 1 · only marketplace-go: 3')
    expect(diff.stdout).toContain('shop-rs: 7 of 9 items ported (77.8%)')
    expect(diff.stdout).not.toMatch(/marketplace-go: \d+ of \d+ items ported/)
    const run = cli(['run', '--no-history'])
    expect(run.status, run.stdout + run.stderr).toBe(0)
    expect(run.stdout).toContain('✓ Production-ready: all 1 gate pass')
    expect(run.stdout).toContain('✓ ported >= 0.7  shop-rs: 77.8%')
    expect(run.stdout).toMatch(/^marketplace-go +peer: has 5 of shop-ts's 9 items, 3 only it has · compared, not gated/m)
  })
})

describe('parity init on the fixtures (copies without their config)', () => {
  const init = (fixture: string) => {
    const copy = mkdtempSync(join(tmpdir(), `parity-init-${fixture}-`))
    onTestFinished(() => rmSync(copy, { recursive: true, force: true }))
    cpSync(new URL(`../fixtures/monorepos/${fixture}/`, import.meta.url).pathname, copy, { recursive: true })
    rmSync(join(copy, 'parity.config.yaml'))
    const r = spawnSync(process.execPath, [new URL('../bin/parity.js', import.meta.url).pathname, 'init'], { cwd: copy, encoding: 'utf8' })
    const written = parse(readFileSync(join(copy, 'parity.config.yaml'), 'utf8')) as { systems: Array<{ name: string; role: string; source: string }> }
    return { r, systems: written.systems.map((s) => [s.role, s.source]), copy }
  }

  it('platform: the deeper TypeScript workspace is the baseline; each language folder is one candidate', async () => {
    const { r, systems, copy } = init('platform')
    expect(r.status, r.stderr).toBe(0)
    expect(systems).toEqual([
      ['baseline', './ts'],
      ['candidate', './go-services'],
      ['candidate', './rust-services'],
    ])
    expect(r.stdout).toContain('baseline: ts (./ts, TypeScript/JavaScript, 70 routes; the TypeScript/JavaScript system with the most routes)')
    // The config it wrote gives the fixture's own figures.
    const run = await diffConfig(await loadConfig(join(copy, 'parity.config.yaml')))
    expect(run.services?.headline).toBe('Rust 2 + Go 3 of 15 services')
  })

  it('peers: the Rust rewrite is the candidate, the marketplace a peer, each with why', () => {
    const { r, systems } = init('peers')
    expect(r.status, r.stderr).toBe(0)
    expect(systems).toEqual([
      ['baseline', './shop-ts'],
      ['candidate', './shop-rs'],
      ['peer', './marketplace-go'],
    ])
    expect(r.stdout).toMatch(/candidate: shop-rs .*a rewrite: .*named like the folder shop-ts in shop-ts \(shop\)/)
    expect(r.stdout).toMatch(/peer: marketplace-go .*a sister platform: a product of its own \(marketplace\)/)
  })
})

/**
 * Issue 19's schema fixture (fixtures/monorepos/schema): a Prisma baseline and a sqlx rewrite whose
 * tables and columns differ only by naming conventions and compatible types. Its truth.json was
 * written by reading the files: every table, column and foreign key pairs.
 */
describe('schema fixture', () => {
  const schemaDir = new URL('../fixtures/monorepos/schema/', import.meta.url).pathname
  interface TruthSide {
    name: string
    file?: string
    line?: number
  }
  interface TruthFk {
    table: string
    column: string
    references: string
    onDelete: string
    onUpdate: string
    file: string
    line: number
  }
  const truth = JSON.parse(readFileSync(join(schemaDir, 'truth.json'), 'utf8')) as {
    tables: Array<{
      baseline: TruthSide
      candidate: TruthSide
      columns: Array<{ baseline: TruthSide & { postgresType: string }; candidate: TruthSide & { sqlType: string }; nullable: boolean; compatibility: string }>
    }>
    foreignKeys: Array<{ baseline: TruthFk; candidate: TruthFk; sameTarget: boolean; sameOnDelete: boolean; sameOnUpdate: boolean }>
    figures: {
      tables: { baseline: number; candidate: number; paired: number; missing: number; extra: number }
      columns: { baseline: number; candidate: number; paired: number; missing: number; extra: number; same: number; widening: number; zone: number }
      nullable: { paired: number; differing: number }
      foreignKeys: { baseline: number; candidate: number; paired: number; sameOnDelete: number; differingOnUpdate: number }
    }
  }
  let schemaRun: RunResult | undefined
  const schema = async () => {
    schemaRun ??= await diffConfig(await loadConfig(join(schemaDir, 'parity.config.yaml')))
    return schemaRun
  }
  // Truth files are relative to the fixture; items to their system's source folder.
  const local = (file: string) => file.slice(file.indexOf('/') + 1)

  it('pairs every table of the truth, the implicit join table by the tables it references', async () => {
    const r = await schema()
    const tables = r.pairs.filter((p) => p.kind === 'table')
    expect(tables.filter((p) => !p.baseline)).toEqual([])
    expect(tables.map((p) => [p.baseline?.kind === 'table' && p.baseline.name, p.candidate?.kind === 'table' && p.candidate.name]).sort()).toEqual(
      truth.tables.map((t) => [t.baseline.name, t.candidate.name]).sort(),
    )
    for (const t of truth.tables) {
      const pair = tables.find((p) => p.baseline?.kind === 'table' && p.baseline.name === t.baseline.name)!
      expect(pair.status, t.baseline.name).toBe('ported')
      expect(pair.baseline!.source, t.baseline.name).toEqual({ file: local(t.baseline.file!), line: t.baseline.line })
      expect(pair.candidate!.source, t.baseline.name).toEqual({ file: local(t.candidate.file!), line: t.candidate.line })
    }
    expect(tables.find((p) => p.key === 'table _articletotag')).toMatchObject({
      via: 'join-table',
      baseline: { implicit: expect.stringContaining('Article.tags') },
    })
    expect(tables.find((p) => p.key === 'table user')?.via).toBe('naming')
  })

  it('pairs every column with its types and compatibility as the truth gives them', async () => {
    const r = await schema()
    const columns = r.pairs.filter((p) => p.kind === 'column')
    expect(columns.filter((p) => p.status !== 'ported')).toEqual([])
    const expected = truth.tables.flatMap((t) =>
      t.columns.map((c) => ({
        pair: `${t.baseline.name}.${c.baseline.name} ${t.candidate.name}.${c.candidate.name}`,
        types: `${c.baseline.postgresType} ${c.candidate.sqlType}`,
        nullable: c.nullable,
        compatibility: c.compatibility,
      })),
    )
    const got = columns.map((p) => {
      const b = p.baseline as ColumnItem
      const c = p.candidate as ColumnItem
      return {
        pair: `${b.table}.${b.name} ${c.table}.${c.name}`,
        types: `${b.dbType} ${c.declared}`,
        nullable: b.nullable === c.nullable ? b.nullable : `differs`,
        compatibility: p.column?.compatibility,
      }
    })
    expect(got.sort((a, b) => a.pair.localeCompare(b.pair))).toEqual(expected.sort((a, b) => a.pair.localeCompare(b.pair)))
  })

  it('compares the five foreign keys: same target and ON DELETE, ON UPDATE differs', async () => {
    const r = await schema()
    const keys = r.pairs.flatMap((p) => (p.column?.foreignKey ? [p.column.foreignKey] : []))
    const shown = (fk: ForeignKey | undefined, column: string, table: string) =>
      fk && { table, column, references: `${fk.table}.${fk.column}`, onDelete: fk.onDelete, onUpdate: fk.onUpdate, line: fk.source.line }
    const got = r.pairs.flatMap((p) => {
      const fk = p.column?.foreignKey
      const b = p.baseline as ColumnItem
      const c = p.candidate as ColumnItem
      return fk
        ? [
            {
              baseline: shown(fk.baseline, b.name, b.table),
              candidate: shown(fk.candidate, c.name, c.table),
              sameTarget: fk.sameTarget,
              sameOnDelete: fk.sameOnDelete,
              sameOnUpdate: fk.sameOnUpdate,
            },
          ]
        : []
    })
    expect(keys).toHaveLength(truth.foreignKeys.length)
    const want = truth.foreignKeys.map((k) => {
      const { file: _f, ...baseline } = k.baseline
      const { file: _g, ...candidate } = k.candidate
      return { baseline, candidate, sameTarget: k.sameTarget, sameOnDelete: k.sameOnDelete, sameOnUpdate: k.sameOnUpdate }
    })
    const order = (list: typeof want) =>
      [...list].sort((x, y) => `${x.baseline.table}.${x.baseline.column}`.localeCompare(`${y.baseline.table}.${y.baseline.column}`))
    expect(order(got as typeof want)).toEqual(order(want))
  })

  it('gives the figures of the truth', async () => {
    const f = (await schema()).database!.sqlx!
    const t = truth.figures
    expect(f.tables).toMatchObject(t.tables)
    expect(f.columns).toMatchObject({ ...t.columns, narrowing: 0, different: 0, unknown: 0 })
    expect(f.nullable).toEqual(t.nullable)
    expect(f.foreignKeys).toMatchObject({
      baseline: t.foreignKeys.baseline,
      candidate: t.foreignKeys.candidate,
      paired: t.foreignKeys.paired,
      sameOnDelete: t.foreignKeys.sameOnDelete,
      sameOnUpdate: t.foreignKeys.paired - t.foreignKeys.differingOnUpdate,
      missing: 0,
    })
  })

  it('prints the tables, what differs in their columns and keys, and the figures in `parity diff` (the built CLI)', () => {
    const r = spawnSync(process.execPath, [new URL('../bin/parity.js', import.meta.url).pathname, 'diff'], {
      cwd: schemaDir,
      encoding: 'utf8',
      env: { ...process.env, CI: 'true' },
    })
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toMatch(
      /^ {2}✓ table _ArticleToTag +prisma\/schema\.prisma:32 → migrations\/20240302000000_tags\.sql:7 {2}\(as article_tag: join table of the same tables\)$/m,
    )
    expect(r.stdout).toContain('      columns 2 paired: widening (integer → bigint: A as article_id, B as tag_id)')
    expect(r.stdout).toContain('      columns 4 paired: same 2 · widening (integer → bigint: id) · zone (timestamp(3) → timestamptz: createdAt as created_at)')
    expect(r.stdout).toContain('ON UPDATE CASCADE → NO ACTION: articleId as article_id, authorId as author_id')
    expect(r.stdout).toContain('Schema in sqlx: 5 of 5 tables paired (4 by naming convention, 1 join table by the tables it references) · 0 missing · 0 extra')
    expect(r.stdout).toContain('  columns: 21 of 21 paired · 0 missing · 0 extra · types: 6 same · 11 widening · 4 zone')
    expect(r.stdout).toContain('  foreign keys: 5 of 5 paired · 0 missing in sqlx · same target 5 · same ON DELETE 5 · ON UPDATE differs in 5')
    expect(r.stdout).not.toContain('Possible renames')
    expect(r.stdout).toContain('Overall: 6 of 6 items ported (100%) · 0 missing · 0 excluded · 0 extra')
  })
})
