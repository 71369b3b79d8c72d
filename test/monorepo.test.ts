/**
 * Issue 19's platform monorepo (fixtures/monorepos/platform): 15 TypeScript services, 3 Go and 2
 * Rust, renamed ports and a `GET /health` in thirteen services. Its truth (truth.json) was written
 * by reading the fixture: a route is ported only by the port of its own service, and a candidate
 * route ports one baseline route.
 */
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { expect, it } from 'vitest'
import { loadConfig } from '../src/config/load.js'
import { diffConfig } from '../src/match/diff-run.js'
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
