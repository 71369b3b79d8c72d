/**
 * Issue 19's platform monorepo (fixtures/monorepos/platform): 15 TypeScript services, 3 Go and 2
 * Rust, renamed ports and a `GET /health` in thirteen services. Its truth (truth.json) was written
 * by reading the fixture: a route is ported only by the port of its own service, and a candidate
 * route ports one baseline route.
 */
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config/load.js'
import { diffConfig } from '../src/match/diff-run.js'
import type { ColumnItem, ForeignKey } from '../src/model/inventory.js'
import type { RunResult } from '../src/model/run.js'
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
    }
    routes: { totalBaseline: number; go: { ported: number }; rust: { ported: number } }
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
  expect(r.stdout).toContain('Services: Rust 2 + Go 3 of 15 services')
  expect(r.stdout).toContain('migrated (every endpoint in the port): Rust 1 + Go 2 · partly: Rust 1 + Go 1 · not started: 10')
  expect(r.stdout).toMatch(/^auth-service +typescript +3001 +✗ not started +◐ auth-rs :9001 4\/7 \(57\.1%\)$/m)
  expect(r.stdout).toMatch(/^file-management-service +typescript +3004 +✓ go-file-management-service :8081 6\/6 \(100%\) +✗ not started$/m)
})

it('shows the headline and the service table on the vault index', async () => {
  const index = renderVault(await platform()).get('Index.md')!
  expect(index).toContain('## Services')
  expect(index).toContain('**Rust 2 + Go 3 of 15 services**. Migrated (every endpoint in its port): Rust 1 + Go 2; partly: Rust 1 + Go 1; not started: 10.')
  expect(index).toContain('| auth-service | typescript | 3001 | ✗ not started | ◐ partly: `auth-rs` :9001, 4/7 (57.1%) |')
  expect(index).toContain('| image-proxy | typescript | 3103 | ✓ migrated: `go-image-proxy` :8083, 3/3 (100%) | ✗ not started |')
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
