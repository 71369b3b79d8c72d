/**
 * The terminal view of a diff: items by component with status marks (one column per candidate when
 * there are several), a per-component summary, possible renames, missing capabilities with their
 * impact, missing tables, services by language, and one overall figure. A pure function of RunResult.
 */
import { plural } from '../model/words.js'
import { pushTo } from '../model/collections.js'
import { isEndpoint, isMcp, type Item } from '../model/inventory.js'
import type { CandidateCell, Pair, PairStatus, RunResult, Summary } from '../model/run.js'
import { endpointLines, serviceExtraColumns, serviceLine, serviceTableRows } from '../model/service-table.js'
import { usagePhrase } from '../match/capability-use.js'
import { foundPhrase, inventoryBasis, lowerBoundNote, runtimePhrase } from './inventory-basis.js'
import { renderPlatformTable } from './platform-table.js'
import { textTable } from './text-table.js'

/** One column wide each, so the marks of several candidates stay aligned; verified (heavy check) is ported and proven by replay. */
const MARK: Record<PairStatus, string> = { ported: '✓', verified: '✔', divergent: '≠', missing: '✗', excluded: '–', extra: '+' }

export function label(item: Item): string {
  if (isEndpoint(item))
    return `${item.method.padEnd(6)} ${item.path}${item.kind === 'route' ? '' : ` [${item.kind}]`}${item.resolvedFrom ? ' (resolved by traffic)' : ''}`
  if (item.kind === 'capability') return `capability ${item.label}`
  if (item.kind === 'service') return `service ${item.name}`
  if (item.kind === 'table') return `table ${item.name}`
  if (isMcp(item)) return `${item.kind.slice(4)} ${item.name}`
  return `column ${item.table}.${item.name} ${item.type}${item.nullable ? '' : ' not null'}`
}

function brief(v: unknown): string {
  if (v === undefined) return 'absent'
  const text = JSON.stringify(v) ?? String(v)
  return text.length > 40 ? `${text.slice(0, 40)}…` : text
}

/** `POST /api/auth/2fa/verify`, `table users`: a label without padding. */
function shortLabel(item: Item): string {
  return isEndpoint(item) ? `${item.method} ${item.path}` : label(item)
}

const where = (item: Item | null) => (item ? `${item.source.file}:${item.source.line}` : '')

export function renderDiffTable(run: RunResult): string {
  const out: string[] = []
  const baseline = run.systems.find((s) => s.role === 'baseline')
  const candidates = run.systems.filter((s) => s.role === 'candidate')
  const fw = (s: { frameworks: string[] }) => (s.frameworks.length ? ` (${s.frameworks.join(', ')})` : '')
  const peers = run.systems.filter((s) => s.role === 'peer')
  out.push(
    `parity diff · baseline ${baseline?.name}${baseline ? fw(baseline) : ''} → ${candidates.map((c) => `${c.name}${fw(c)}`).join(', ')}${peers.length ? `; peer${peers.length > 1 ? 's' : ''} ${peers.map((p) => `${p.name}${fw(p)}`).join(', ')}` : ''}`,
    '',
  )
  // What every figure below rests on, before any percentage: routes found and left unresolved per system.
  const partial = inventoryBasis(run)
  for (const s of partial.systems) {
    out.push(`  ${s.role} ${s.name}: ${foundPhrase(s)}${s.unresolved ? ' (marked {?} where the path is unknown)' : ''}`)
    for (const d of s.unsupported) out.push(`    ${d}`)
    if (s.runtime) {
      out.push(`    ${runtimePhrase(s.runtime)}`)
      for (const m of s.runtime.scanMissed.slice(0, 10)) out.push(`      only at run time: ${m.method} ${m.path}${m.via === 'openapi' ? ' (OpenAPI)' : ''}`)
      if (s.runtime.scanMissed.length > 10) out.push(`      ... and ${s.runtime.scanMissed.length - 10} more`)
    }
  }
  out.push('')
  const several = candidates.length > 1
  if (several) out.push(`  columns: ${candidates.map((c, i) => `${i + 1} = ${c.name}`).join(', ')}`, '')

  const rows = run.pairs.filter((p) => p.kind !== 'column')
  let width = 20
  for (const p of rows) width = Math.max(width, label((p.baseline ?? p.candidate)!).length)
  width = Math.min(64, width)
  const byComponent = new Map<string, Pair[]>()
  for (const p of rows) pushTo(byComponent, p.component, p)
  const routesByKey = new Map((run.routes ?? []).map((r) => [r.key, r]))
  // Missing columns of tables that exist on both sides, by table key.
  const missingColumns = new Map<string, string[]>()
  for (const c of run.pairs) {
    if (c.kind !== 'column' || !c.baseline || c.status !== 'missing') continue
    const dot = c.key.indexOf('.')
    pushTo(missingColumns, `table ${c.key.slice(7, dot)}`, c.key.slice(dot + 1))
  }
  // Column pairs compared, by their baseline table's key (the first candidate's).
  const columnPairs = new Map<string, Pair[]>()
  for (const c of run.pairs) if (c.kind === 'column' && c.baseline && c.column) pushTo(columnPairs, `table ${c.key.slice(7, c.key.indexOf('.'))}`, c)
  for (const comp of run.components) {
    const own = byComponent.get(comp.name) ?? []
    if (!own.length) continue
    const heads = candidates.map((c) => figure(comp.candidates[c.name]))
    out.push(`${comp.name}  ${several ? candidates.map((_, i) => `${i + 1}: ${heads[i]}`).join('  ') : heads[0]}`)
    for (const p of own) {
      const item = (p.baseline ?? p.candidate)!
      const marks = several && p.baseline ? candidates.map((c) => MARK[p.matrix?.[c.name]?.status ?? 'missing']).join(' ') : MARK[p.status]
      let tail = ''
      if (p.status === 'excluded') tail = `excluded: ${p.reason ?? ''}`
      else if (!p.baseline) tail = `extra in ${p.candidateSystem}  ${where(p.candidate)}`
      else if (p.candidate)
        tail = `${where(p.baseline)} → ${where(p.candidate)}${p.via === 'map' ? `  (map ${p.rule ?? ''})` : p.via === 'any-method' ? '  (any method)' : p.via === 'sole-service' ? '  (the only service of each)' : p.via === 'service-rename' ? '  (renamed service)' : p.via === 'naming' ? `  (as ${nameOf(p.candidate)}: naming convention)` : p.via === 'join-table' ? `  (as ${nameOf(p.candidate)}: join table of the same tables)` : ''}`
      else tail = where(p.baseline)
      out.push(`  ${marks} ${label(item).padEnd(width)}  ${tail}`.trimEnd())
      // How far each side goes with a capability, where: a candidate that only builds a client does not port a used one.
      if (p.kind === 'capability' && p.baseline)
        out.push(
          `      ${capabilityUses(
            p,
            candidates.map((c) => c.name),
          ).join(' · ')}`,
        )
      const columns = p.kind === 'table' && p.baseline && p.candidate ? missingColumns.get(p.key) : undefined
      if (columns) out.push(`      columns missing: ${columns.join(', ')}`)
      if (p.kind === 'table' && p.baseline && p.candidate) out.push(...tableColumnLines(columnPairs.get(p.key) ?? []))
      // Behavioural evidence: what differs on a divergent route.
      const evidence = p.status === 'divergent' || p.status === 'verified' ? routesByKey.get(p.key) : undefined
      for (const d of evidence?.status === 'divergent' ? evidence.differences.slice(0, 3) : []) {
        out.push(`      ${d.where}${d.pointer ? ` ${d.pointer}` : ''}: ${d.kind}, baseline ${brief(d.baseline)} · candidate ${brief(d.candidate)}`)
      }
    }
    for (const c of candidates) {
      const keys = new Set(comp.candidates[c.name]?.missingKeys ?? [])
      const missing = own.filter((p) => p.baseline && keys.has(p.key)).map((p) => shortLabel(p.baseline!))
      if (missing.length)
        out.push(`  missing${several ? ` in ${c.name}` : ''}: ${missing.slice(0, 8).join(', ')}${missing.length > 8 ? `, … ${missing.length - 8} more` : ''}`)
    }
    out.push('')
  }

  if (run.nearMisses.length) {
    out.push('Possible renames (not counted as ported; confirm with a map rule):')
    for (const n of run.nearMisses) {
      out.push(`  ${n.baseline.key}  ~  ${n.candidate.key}${several ? ` (${n.candidateSystem})` : ''}  ${n.reason}`)
      out.push(`      map: [{ from: "${n.suggestion.from}", to: "${n.suggestion.to}" }]`)
    }
    out.push('')
  }

  const missingCaps = run.pairs.filter((p) => p.kind === 'capability' && p.baseline && isMissingAnywhere(p))
  if (missingCaps.length) {
    out.push('Missing capabilities:')
    for (const p of missingCaps) {
      const item = p.baseline!
      out.push(
        `  ✗ ${item.kind === 'capability' ? item.label : p.key}${p.impact ? ` — ${p.impact}` : ''}  (${where(item)})${several ? `  missing in ${missingIn(p).join(', ')}` : ''}`,
      )
      for (const [name, cell] of cellsOf(p)) if (cell.notPorted) out.push(`      ${several ? `${name}: ` : ''}not ported: ${usagePhrase(cell.notPorted)}`)
    }
    out.push('')
  }
  const missingTables = run.pairs.filter((p) => p.kind === 'table' && p.baseline && isMissingAnywhere(p))
  if (missingTables.length) {
    out.push(`Tables not implemented: ${missingTables.map((p) => `${p.key.slice(6)} (${where(p.baseline)})`).join(', ')}`, '')
  }
  if (run.database) out.push(...renderSchemaFigures(run), '')
  if (run.services) out.push(...renderServiceTable(run), '')
  // With a peer, the matrix is the only place the peer shows; with candidates only, the marks above are it.
  if (run.platforms && peers.length) out.push(...renderPlatformTable(run.platforms), '')
  for (const d of run.diagnostics) out.push(`${d.level}: ${d.code}: ${d.message}`)
  if (run.diagnostics.length) out.push('')
  for (const c of candidates) {
    const s = run.candidates[c.name]
    if (s) out.push(`${several || peers.length ? `${c.name}: ` : 'Overall: '}${partial.unresolved ? 'at least ' : ''}${overall(s)}`)
  }
  if (partial.unresolved) out.push(`(${lowerBoundNote(partial)})`)
  return `${out.join('\n')}\n`
}

function figure(s: Summary | undefined): string {
  if (!s) return ''
  if (!s.total) return s.excluded ? `${s.excluded} excluded` : s.extra ? `${s.extra} extra` : '—'
  const done = s.ported + s.verified + s.divergent
  return `${done}/${s.total} ported (${s.percent}%)`
}

function overall(s: Summary): string {
  const done = s.ported + s.verified + s.divergent
  return `${done} of ${s.total} items ported (${s.percent}%) · ${s.missing} missing · ${s.excluded} excluded · ${s.extra} extra`
}

/** Each candidate's cell of a pair: its matrix, or the first candidate's status. */
function cellsOf(p: Pair): Array<[string, CandidateCell]> {
  if (p.matrix) return Object.entries(p.matrix)
  return [[p.candidateSystem, { status: p.status, candidate: p.candidate, ...(p.notPorted ? { notPorted: p.notPorted } : {}) }]]
}

/** `baseline used at src/app.ts:8`, then per candidate `rust used at ...` or `rust not ported: constructed only at ...`. */
function capabilityUses(p: Pair, candidates: string[]): string[] {
  const base = p.baseline?.kind === 'capability' ? p.baseline.usage : undefined
  const out = [`baseline ${base ? usagePhrase(base) : 'found (how far it is used was not measured)'}`]
  const cells = new Map(cellsOf(p))
  for (const name of candidates) {
    const cell = cells.get(name)
    const found = cell?.candidate?.kind === 'capability' ? cell.candidate.usage : undefined
    if (cell?.notPorted) out.push(`${name} not ported: ${usagePhrase(cell.notPorted)}`)
    else if (found) out.push(`${name} ${usagePhrase(found)}`)
    else if (cell?.status === 'missing') out.push(`${name} not found`)
  }
  return out
}

function isMissingAnywhere(p: Pair): boolean {
  return p.matrix ? Object.values(p.matrix).some((c) => c.status === 'missing') : p.status === 'missing'
}

function missingIn(p: Pair): string[] {
  return p.matrix
    ? Object.entries(p.matrix)
        .filter(([, c]) => c.status === 'missing')
        .map(([n]) => n)
    : [p.candidateSystem]
}

/** "Services: Rust 2 + Go 3 of 15 services", what that rests on, and one row per baseline service and port. */
export function renderServiceTable(run: Pick<RunResult, 'services'>): string[] {
  const m = run.services
  if (!m) return []
  const rows = serviceTableRows(m)
  const extra = serviceExtraColumns(rows)
  return [
    `Services: ${m.headline}`,
    `  ${serviceLine(m, 'migrated')} (${(m.rule ?? { text: 'every endpoint in the port' }).text})`,
    `  ${serviceLine(m, 'partly')}`,
    `  ${m.notStarted} of ${plural(m.total, 'service')} not started`,
    ...endpointLines(m),
    '',
    ...textTable(
      ['service', 'language', 'port', 'port service', 'status', 'ported', 'ported %', ...extra.map((c) => c.head)],
      rows.map((r) => [r.service, r.language, r.port, r.portService, r.status, r.ported, r.percent, ...extra.map((c) => r[c.key] ?? '')]),
    ),
  ]
}

const nameOf = (item: Item) => ('name' in item ? item.name : item.key)

/** `authorId as author_id`, or `id` when both sides call it the same. */
function columnName(p: Pair): string {
  const b = p.baseline
  const c = p.candidate
  if (b?.kind !== 'column' || c?.kind !== 'column') return p.key
  return b.name === c.name ? b.name : `${b.name} as ${c.name}`
}

/**
 * Under a table present on both sides: its columns compared, grouped by compatibility and by the
 * types compared (what is the same is counted, not listed), and its foreign keys where they differ.
 */
function tableColumnLines(columns: Pair[]): string[] {
  if (!columns.length) return []
  const groups = new Map<string, Map<string, string[]>>(['widening', 'zone', 'narrowing', 'different', 'unknown'].map((k) => [k, new Map()]))
  for (const c of columns) {
    const cmp = c.column!
    if (cmp.compatibility === 'same') continue
    const byTypes = groups.get(cmp.compatibility)!
    pushTo(byTypes, `${cmp.baselineType} → ${cmp.candidateType}`, columnName(c))
  }
  const same = columns.filter((c) => c.column!.compatibility === 'same').map(columnName)
  const parts = [same.length ? `same ${same.length}` : '']
  for (const [compatibility, byTypes] of groups) {
    if (!byTypes.size) continue
    parts.push(`${compatibility} (${[...byTypes].map(([types, names]) => `${types}: ${names.join(', ')}`).join('; ')})`)
  }
  const out = [`      columns ${columns.length} paired: ${parts.filter(Boolean).join(' · ')}`]
  const nullable = columns.filter((c) => c.column!.nullable)
  if (nullable.length)
    out.push(
      `      nullability differs: ${nullable.map((c) => `${columnName(c)} ${c.column!.nullable === 'loosened' ? 'accepts NULL in the candidate' : 'is NOT NULL in the candidate'}`).join(', ')}`,
    )
  const keys = columns.filter((c) => c.column!.foreignKey)
  if (keys.length) {
    // What differs, with the columns it differs in: `ON UPDATE CASCADE → NO ACTION: A as article_id, B as tag_id`.
    const differences = new Map<string, string[]>()
    const target = (fk: { table: string; column?: string }) => `${fk.table}${fk.column ? `.${fk.column}` : ''}`
    for (const c of keys) {
      const fk = c.column!.foreignKey!
      const b = fk.baseline
      const k = fk.candidate
      if (!k) pushTo(differences, `no foreign key in the candidate (baseline → ${target(b!)})`, columnName(c))
      else if (!b) pushTo(differences, `a foreign key only in the candidate (→ ${target(k)})`, columnName(c))
      else {
        if (!fk.sameTarget) pushTo(differences, `references ${target(b)} → ${target(k)}`, columnName(c))
        if (!fk.sameOnDelete) pushTo(differences, `ON DELETE ${b.onDelete} → ${k.onDelete}`, columnName(c))
        if (!fk.sameOnUpdate) pushTo(differences, `ON UPDATE ${b.onUpdate} → ${k.onUpdate}`, columnName(c))
      }
    }
    const notes = [...differences].map(([what, names]) => `${what}: ${names.join(', ')}`)
    const both = keys.filter((c) => c.column!.foreignKey!.baseline && c.column!.foreignKey!.candidate)
    const alike = both.filter((c) => c.column!.foreignKey!.sameTarget && c.column!.foreignKey!.sameOnDelete).length
    out.push(
      `      foreign keys ${both.length} paired${both.length ? `, ${alike === both.length ? 'all' : alike} with the same target and ON DELETE` : ''}${notes.length ? `; ${notes.join('; ')}` : ''}`,
    )
  }
  return out
}

/** Per candidate: tables, columns (by type compatibility), nullability and foreign keys, in figures. */
export function renderSchemaFigures(run: Pick<RunResult, 'database'>): string[] {
  const out: string[] = []
  for (const [name, f] of Object.entries(run.database ?? {})) {
    const how = [
      f.tables.byNaming ? `${f.tables.byNaming} by naming convention` : '',
      f.tables.byJoinTable
        ? `${f.tables.byJoinTable} join ${f.tables.byJoinTable === 1 ? 'table' : 'tables'} by the tables ${f.tables.byJoinTable === 1 ? 'it references' : 'they reference'}`
        : '',
    ]
      .filter(Boolean)
      .join(', ')
    out.push(
      `Schema in ${name}: ${f.tables.paired} of ${f.tables.baseline} tables paired${how ? ` (${how})` : ''} · ${f.tables.missing} missing · ${f.tables.extra} extra`,
    )
    const c = f.columns
    const zone = c.zone ? ' (timestamp without zone against timestamptz: the same instants while the baseline writes UTC)' : ''
    const unknown = c.unknown ? ` · ${c.unknown} of unknown type` : ''
    out.push(
      `  columns: ${c.paired} of ${c.baseline} paired · ${c.missing} missing · ${c.extra} extra · types: ${c.same} same · ${c.widening} widening · ${c.zone} zone${zone} · ${c.narrowing} narrowing · ${c.different} different${unknown}`,
    )
    out.push(
      `  nullability: ${f.nullable.differing ? `differs in ${f.nullable.differing} of ${f.nullable.paired} column pairs` : `the same in all ${f.nullable.paired} column pairs`}`,
    )
    const k = f.foreignKeys
    if (k.baseline || k.candidate) {
      const update = k.paired - k.sameOnUpdate
      out.push(
        `  foreign keys: ${k.paired} of ${k.baseline} paired · ${k.missing} missing in ${name} · same target ${k.sameTarget} · same ON DELETE ${k.sameOnDelete}${update ? ` · ON UPDATE differs in ${update} (a note: it matters only when a referenced key is updated)` : ''}`,
      )
    }
  }
  return out
}
