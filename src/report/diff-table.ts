/**
 * The terminal view of a diff: items by component with status marks (one column per candidate when
 * there are several), a per-component summary, possible renames, missing capabilities with their
 * impact, missing tables, services by language, and one overall figure. A pure function of RunResult.
 */
import { pushTo } from '../model/collections.js'
import { isEndpoint, isMcp, type Item } from '../model/inventory.js'
import type { CandidateCell, Pair, PairStatus, RunResult, Summary } from '../model/run.js'
import { usagePhrase } from '../match/capability-use.js'
import { foundPhrase, inventoryBasis, lowerBoundNote, runtimePhrase } from './inventory-basis.js'
import { textTable } from './text-table.js'
import { languageName } from '../model/words.js'

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
  out.push(`parity diff · baseline ${baseline?.name}${baseline ? fw(baseline) : ''} → ${candidates.map((c) => `${c.name}${fw(c)}`).join(', ')}`, '')
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
        tail = `${where(p.baseline)} → ${where(p.candidate)}${p.via === 'map' ? `  (map ${p.rule ?? ''})` : p.via === 'any-method' ? '  (any method)' : p.via === 'sole-service' ? '  (the only service of each)' : p.via === 'service-rename' ? '  (renamed service)' : ''}`
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
  if (run.services) out.push(...renderServiceTable(run), '')
  for (const d of run.diagnostics) out.push(`${d.level}: ${d.code}: ${d.message}`)
  if (run.diagnostics.length) out.push('')
  for (const c of candidates) {
    const s = run.candidates[c.name]
    if (s) out.push(`${several ? `${c.name}: ` : 'Overall: '}${partial.unresolved ? 'at least ' : ''}${overall(s)}`)
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

const SERVICE_MARK = { migrated: '✓', partly: '◐', 'not-started': '✗' } as const

/** "Services: Rust 2 + Go 3 of 15 services", what that rests on, and one row per baseline service with its port in each candidate. */
export function renderServiceTable(run: Pick<RunResult, 'services'>): string[] {
  const m = run.services
  if (!m) return []
  const by = (pick: 'migrated' | 'partly') =>
    m.byLanguage
      .filter((f) => f[pick] > 0)
      .map((f) => `${languageName(f.language)} ${f[pick]}`)
      .join(' + ') || 'none'
  const names = Object.keys(m.rows[0]?.candidates ?? {})
  const rows = m.rows.map((r) => [
    r.service,
    r.language,
    r.port === undefined ? '–' : String(r.port),
    ...names.map((n) => {
      const c = r.candidates[n]!
      if (c.status === 'not-started') return `${SERVICE_MARK[c.status]} not started`
      return `${SERVICE_MARK[c.status]} ${c.service}${c.port === undefined ? '' : ` :${c.port}`} ${c.ported}/${c.of} (${c.percent}%)`
    }),
  ])
  return [
    `Services: ${m.headline}`,
    `  migrated (every endpoint in the port): ${by('migrated')} · partly: ${by('partly')} · not started: ${m.notStarted}`,
    '',
    ...textTable(['service', 'language', 'port', ...names], rows),
  ]
}
