/**
 * The Markdown vault: the migration status pages teams keep by hand (an Obsidian vault), written from
 * a RunResult. A pure function: no I/O, no clock; every figure comes from the RunResult (and History
 * for the trend); `writeVault` (write.ts) puts the pages on disk.
 *
 * Pages: `Index.md`, `Coverage.md`, `Comparison.md`, `Components/<name>.md`, `Systems/<name>.md`, each
 * with YAML front matter (`status`, `last_scanned`, `coverage`, `migration_priority`, `tags`, `links`),
 * `[[wikilinks]]` between them, and {@link VAULT_MARKER} as the last line: text below it is a person's.
 *
 * How `status` and `migration_priority` are derived (from a Summary: a component's or a candidate's
 * figures; a page's `status` and `coverage` are for the first candidate, as `run.summary` is, and its
 * `migration_priority` the most urgent over all candidates):
 * - status: `complete` when nothing is missing or divergent; `not-started` when no baseline item is
 *   present; `partial` otherwise; `excluded` when every item is excluded; `empty` when there is nothing.
 * - migration_priority: `none` when complete, excluded or empty; `critical` when a whole capability, a
 *   WebSocket or SSE endpoint, a service or a table is missing (whole features stop); `high` below 50%
 *   ported or with divergent items; `medium` below 90%; `low` from 90%.
 */
import { statusOf as statusFromFigures } from '../../assess/status.js'
import { e2eCounts, outcomeOf } from '../../assess/e2e.js'
import { foundPhrase, inventoryBasis, lowerBoundNote } from '../inventory-basis.js'
import { posix } from 'node:path'
import { stringify } from 'yaml'
import { isEndpoint, isMcp, type CapabilityItem, type Item, type ItemKind, type SourceLocation } from '../../model/inventory.js'
import { objectiveTrend, type History } from '../../model/history.js'
import { formatGateValue } from '../../assess/gates.js'
import { sparkline } from '../sparkline.js'
import type { GateResult, MatchVia, MigrationStatus, Pair, PairStatus, RunResult, Summary, SystemResult } from '../../model/run.js'
import { featuresMarkdown } from './features.js'
import { mcpMarkdown } from './mcp.js'
import { planMarkdown } from './plan-page.js'
import { scorecardMarkdown } from './scorecard.js'
import { statusMarkdown } from './status.js'

/** The last line of every generated page: what a person writes below it is kept on re-runs. */
export const VAULT_MARKER = '<!-- parity: everything below this line is yours and is kept -->'

export type VaultStatus = MigrationStatus
export type MigrationPriority = 'critical' | 'high' | 'medium' | 'low' | 'none'

export interface VaultOptions {
  /**
   * Path from the vault folder to the folder the systems' `source` paths are relative to (the config's
   * folder), for links to source files. Default `..`: the vault is a direct subfolder of it.
   */
  sourceBase?: string
}

/** Status of a component or a candidate: as the run carries it, or by the same rule for a run stored before it did. */
export function statusOf(s: Summary | undefined): VaultStatus {
  return s?.status ?? statusFromFigures(s)
}

/** Kinds whose absence stops a whole feature, not one endpoint. */
const CRITICAL_KINDS: ItemKind[] = ['capability', 'websocket', 'sse', 'service', 'table']

/** Migration priority from the figures (see the module comment). */
export function priorityOf(s: Summary | undefined): MigrationPriority {
  const status = statusOf(s)
  if (!s || status === 'complete' || status === 'excluded' || status === 'empty') return 'none'
  if (CRITICAL_KINDS.some((k) => (s.byKind[k]?.missing ?? 0) > 0)) return 'critical'
  if (s.percent < 50 || s.divergent > 0) return 'high'
  return s.percent < 90 ? 'medium' : 'low'
}

const PRIORITY_RANK: Record<MigrationPriority, number> = { critical: 0, high: 1, medium: 2, low: 3, none: 4 }

/** The most urgent priority of several summaries (one per candidate). */
function mostUrgent(summaries: (Summary | undefined)[]): MigrationPriority {
  let best: MigrationPriority = 'none'
  for (const s of summaries) {
    const p = priorityOf(s)
    if (PRIORITY_RANK[p] < PRIORITY_RANK[best]) best = p
  }
  return best
}
const MARK: Record<PairStatus, string> = { ported: '✓', verified: '✓✓', divergent: '≠', missing: '✗', excluded: '–', extra: '+' }

interface Cell {
  status: PairStatus
  candidate: Item | null
  via?: MatchVia
  rule?: string
}

/** The status of a pair in one candidate; undefined when the pair does not concern it (another's extra). */
function cellOf(p: Pair, candidate: string): Cell | undefined {
  const m = p.matrix?.[candidate]
  if (m) return m
  if (p.candidateSystem !== candidate) return undefined
  return { status: p.status, candidate: p.candidate, via: p.via, rule: p.rule }
}

/** A file name safe on every OS and inside a wikilink: no `/\:*?"<>|#^[]`. */
function safeName(name: string): string {
  const s = name.replace(/[\\/:*?"<>|#^[\]]/g, '-').replace(/^\.+/, '_').trim()
  return s || '_'
}

/** Unique page names (case-insensitive, for macOS and Windows) for a list of names. */
function pageNames(names: string[]): Map<string, string> {
  const out = new Map<string, string>()
  const taken = new Set<string>()
  for (const n of names) {
    let s = safeName(n)
    for (let i = 2; taken.has(s.toLowerCase()); i++) s = `${safeName(n)}-${i}`
    taken.add(s.toLowerCase())
    out.set(n, s)
  }
  return out
}

/** `[[target|alias]]`; inside a table the pipe is escaped, as Obsidian expects. */
function wl(target: string, alias?: string, inTable = false): string {
  if (!alias || alias === target) return `[[${target}]]`
  return `[[${target}${inTable ? '\\|' : '|'}${alias}]]`
}

/** Text for a Markdown table cell. */
function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ')
}

function table(head: string[], rows: string[][]): string[] {
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)]
}

const pct = (n: number) => `${n}%`
/** A gate's measured value: a ratio (`ported`, `verified` gates) as a percentage, a count as is. */
const round1 = (n: number) => Math.round(n * 10) / 10

/** Verified share in percent, from the counts (null when the summary is absent). */
function verifiedPercent(s: Summary | undefined): number | null {
  return s && s.total ? round1((s.verified / s.total) * 100) : null
}

function display(item: Item): string {
  if (isEndpoint(item)) return `${item.method} ${item.path}`
  if (item.kind === 'capability') return item.label
  if (item.kind === 'service') return `service ${item.name}`
  if (item.kind === 'table') return `table ${item.name}`
  if (isMcp(item)) return `MCP ${item.kind.slice(4)} ${item.name}`
  return `column ${item.table}.${item.name} (${item.type}${item.nullable ? '' : ', not null'})`
}

const code = (s: string) => '`' + s.replace(/`/g, "'") + '`'

/** Everything a page needs, computed once. */
class Vault {
  readonly baseline: SystemResult | undefined
  readonly candidates: SystemResult[]
  readonly first: string | undefined
  readonly components: Map<string, string>
  readonly systems: Map<string, string>
  readonly byComponent = new Map<string, Pair[]>()
  readonly evidence: boolean
  readonly history: History | undefined
  private readonly sourceBase: string

  constructor(
    readonly run: RunResult,
    history: History | undefined,
    options: VaultOptions,
  ) {
    this.history = history && history.runs.length ? history : undefined
    this.baseline = run.systems.find((s) => s.role === 'baseline')
    this.candidates = run.systems.filter((s) => s.role === 'candidate')
    this.first = this.candidates[0]?.name
    this.components = pageNames(run.components.map((c) => c.name))
    this.systems = pageNames(run.systems.map((s) => s.name))
    for (const p of run.pairs) {
      const list = this.byComponent.get(p.component)
      if (list) list.push(p)
      else this.byComponent.set(p.component, [p])
    }
    // Components that have pairs but no summary (should not happen) still get a page.
    for (const name of this.byComponent.keys()) if (!this.components.has(name)) this.components.set(name, pageNames([...this.components.values(), name]).get(name)!)
    this.evidence = Object.values(run.candidates).some((s) => s.verified + s.divergent > 0)
    this.sourceBase = options.sourceBase ?? '..'
  }

  componentLink(name: string, inTable = false): string {
    const page = this.components.get(name) ?? safeName(name)
    return wl(`Components/${page}`, name, inTable)
  }

  systemLink(name: string, inTable = false): string {
    const page = this.systems.get(name) ?? safeName(name)
    return wl(`Systems/${page}`, name, inTable)
  }

  componentSummary(name: string, candidate = this.first): Summary | undefined {
    if (!candidate) return undefined
    return this.run.components.find((c) => c.name === name)?.candidates[candidate]
  }

  /** Priority of a component over all candidates (of the whole run without a name). */
  priority(component?: string): MigrationPriority {
    return mostUrgent(this.candidates.map((c) => (component === undefined ? this.run.candidates[c.name] : this.componentSummary(component, c.name))))
  }

  /** A link to a source location; `depth` is how deep the page is in the vault (0 or 1). */
  source(systemName: string | undefined, loc: SourceLocation | undefined, depth: number): string {
    if (!loc) return ''
    const text = `${loc.file}:${loc.line}`
    const sys = this.run.systems.find((s) => s.name === systemName)
    if (!sys || sys.sourceKind !== 'tree') return code(text)
    const target = posix.isAbsolute(sys.source)
      ? `file://${posix.join(sys.source, loc.file)}`
      : posix.join('../'.repeat(depth) + this.sourceBase, sys.source, loc.file)
    return `[${text}](<${target}#L${loc.line}>)`
  }

  frontMatter(fields: Record<string, unknown>, tags: string[], links: string[]): string {
    const fm = {
      ...fields,
      last_scanned: this.run.startedAt,
      baseline: this.baseline?.name,
      candidates: this.candidates.map((c) => c.name),
      run: this.run.id,
      commit: this.run.git?.commit,
      generated_by: `${this.run.tool.name} ${this.run.tool.version}`,
      tags: ['parity', 'migration', ...tags.map((t) => t.replace(/[^\p{L}\p{N}_/-]/gu, '-'))],
      links,
    }
    return `---\n${stringify(fm, { lineWidth: 0 })}---\n`
  }

  page(fields: Record<string, unknown>, tags: string[], links: string[], body: string[]): string {
    return `${this.frontMatter(fields, tags, links)}\n${body.join('\n').replace(/\n{3,}/g, '\n\n').trim()}\n\n${VAULT_MARKER}\n`
  }

  /** Overall front-matter fields for the first candidate. */
  overall(): Record<string, unknown> {
    return {
      status: statusOf(this.first ? this.run.candidates[this.first] : undefined),
      coverage: this.run.summary.percent,
      verified: this.evidence ? verifiedPercent(this.run.summary) : undefined,
      migration_priority: this.priority(),
    }
  }

  nav(): string {
    return `${wl('Index')} · ${wl('Coverage')} · ${wl('Comparison')}`
  }

  /** Missing baseline pairs of a kind, per candidate. */
  missingOf(kind: ItemKind, candidate: string): Pair[] {
    return this.run.pairs.filter((p) => p.kind === kind && p.baseline && cellOf(p, candidate)?.status === 'missing')
  }

  productionReady(): boolean | null {
    const a = this.run.assessment
    if (!a || a.gates.length === 0) return null
    return a.verdict.productionReady
  }
}

function trend(v: Vault, heading = '## Trend'): string[] {
  const h = v.history
  if (!h) return []
  const out = [heading, '']
  const rows = h.runs.map((r) => [
    cell(r.id),
    r.startedAt.slice(0, 16).replace('T', ' '),
    r.commit ? code(r.commit.slice(0, 8)) : '',
    pct(r.summary.percent),
    pct(verifiedPercent(r.summary) ?? 0),
    String(r.summary.ported + r.summary.verified),
    String(r.summary.missing),
    String(r.summary.divergent),
    String(r.summary.excluded),
    r.productionReady === null ? 'no gates' : r.productionReady ? 'yes' : 'no',
  ])
  out.push(...table(['Run', 'Date', 'Commit', 'Ported %', 'Verified %', 'Ported', 'Missing', 'Divergent', 'Excluded', 'Production ready'], rows), '')
  const last = h.runs[h.runs.length - 1]
  const prev = h.runs[h.runs.length - 2]
  if (last && prev) {
    const d = round1(last.summary.percent - prev.summary.percent)
    out.push(`Since the previous run: ${d > 0 ? '+' : ''}${d} points ported (${pct(prev.summary.percent)} → ${pct(last.summary.percent)}).`, '')
  }
  const changed = last ? h.items.filter((i) => i.lastChanged.run === last.id) : []
  if (changed.length) {
    out.push(`Items whose status changed in the last run (${changed.length}):`, '')
    for (const i of changed.slice(0, 25)) out.push(`- ${code(i.key)} in ${i.candidate}: ${i.status}`)
    if (changed.length > 25) out.push(`- … ${changed.length - 25} more`)
    out.push('')
  }
  return out
}

/** The config's objectives: value now, passed, the trend of values over the stored runs, and why. */
function objectivesTable(v: Vault, objectives: GateResult[]): string[] {
  if (!objectives.length) return []
  const runs = v.history?.runs ?? []
  const rows = objectives.map((g) => {
    const trend = objectiveTrend(runs, g.objective!)
    // A run not stored (`--no-history`) ends the trend with its own value.
    const line = sparkline(runs.some((r) => r.id === v.run.id) ? trend : [...trend, g.actual])
    return [
      cell(g.objective!),
      code(g.gate),
      g.actual === null ? 'not measurable yet' : (g.display ?? formatGateValue(g.gate, g.actual)),
      g.passed ? 'passed' : '**failed**',
      line ? code(line) : '—',
      cell(g.why ?? ''),
    ]
  })
  return [...table(['Objective', 'Gate', 'Now', 'Passed', 'Trend', 'Why'], rows), '', objectives.map((g) => `- ${cell(g.objective!)}: ${cell(g.message)}`).join('\n'), '']
}

function renderIndex(v: Vault): string {
  const { run } = v
  const title = `${v.baseline?.name ?? 'baseline'} → ${v.candidates.map((c) => c.name).join(', ') || 'no candidate'}`
  const basis = inventoryBasis(run)
  const out = [`# Migration: ${title}`, '', v.nav(), '']
  // What the figures rest on comes before any of them.
  out.push(`Inventory: ${basis.systems.map((s) => `${v.systemLink(s.name)} ${foundPhrase(s)}`).join(' · ')}.${basis.unresolved ? ` Coverage below is ${lowerBoundNote(basis)}.` : ''}`, '', '## Objectives', '')
  for (const c of v.candidates) {
    const s = run.candidates[c.name]
    if (!s) continue
    out.push(`- Every baseline item of ${v.systemLink(v.baseline?.name ?? '')} present in ${v.systemLink(c.name)}: ${basis.unresolved ? 'at least ' : ''}**${pct(s.percent)}** (${s.ported + s.verified + s.divergent} of ${s.total}), status ${statusOf(s)}.`)
    if (v.evidence) out.push(`- Every item of ${c.name} verified equivalent by dynamic evidence: **${pct(verifiedPercent(s) ?? 0)}**.`)
  }
  const all = run.assessment?.gates ?? []
  const gates = all.filter((g) => !g.objective)
  if (gates.length) for (const g of gates) out.push(`- Gate ${code(g.gate)}: ${g.passed ? 'passed' : '**failed**'}${g.actual === null ? ' (not measurable yet)' : ` (now ${g.display ?? formatGateValue(g.gate, g.actual)})`}. ${g.message}`)
  else if (!all.length) out.push('- No gates configured: add `gates:` (or named `objectives:`) to the config to make these objectives a CI check.')
  out.push('')
  out.push(...objectivesTable(v, all.filter((g) => g.objective)))

  out.push('## Systems', '')
  const kinds: [ItemKind, string][] = [['route', 'Routes'], ['websocket', 'WebSocket'], ['sse', 'SSE'], ['service', 'Services'], ['capability', 'Capabilities'], ['table', 'Tables']]
  out.push(
    ...table(
      ['System', 'Role', 'Source', 'Frameworks', 'Files', 'Lines', ...kinds.map((k) => k[1]), 'Coverage'],
      run.systems.map((s) => [
        v.systemLink(s.name, true),
        s.role,
        code(s.source),
        cell(s.frameworks.join(', ')),
        String(s.stats.files),
        String(s.stats.lines),
        ...kinds.map(([k]) => String(s.items[k] ?? 0)),
        s.role === 'baseline' ? '—' : pct(run.candidates[s.name]?.percent ?? 0),
      ]),
    ),
    '',
  )
  out.push(...statusMarkdown(run))

  out.push('## Navigation', '', `- ${wl('Coverage')}: one row per component, by priority`, `- ${wl('Comparison')}: what exists, what is missing, route by route, and the verdict`, '', '### Components', '')
  for (const c of run.components) {
    const s = v.componentSummary(c.name)
    out.push(`- ${v.componentLink(c.name)}: ${statusOf(s)}, ${pct(s?.percent ?? 0)}, priority ${v.priority(c.name)}`)
  }
  out.push('', '### Systems', '')
  for (const s of run.systems) out.push(`- ${v.systemLink(s.name)} (${s.role})`)
  out.push('')
  out.push(...trend(v))
  return v.page({ title: `Migration: ${title}`, type: 'index', ...v.overall() }, ['index'], ['[[Coverage]]', '[[Comparison]]'], out)
}

/** `express, ws → axum` for the items of a component. */
function migrationPath(v: Vault, pairs: Pair[]): string {
  const fw = (items: (Item | null | undefined)[]) => {
    const set = new Set<string>()
    for (const i of items) if (i && isEndpoint(i)) set.add(i.framework)
      else if (i?.kind === 'service' && i.framework) set.add(i.framework)
      else if (i?.kind === 'table' || i?.kind === 'column') set.add(i.origin)
    return [...set].sort().join(', ')
  }
  const from = fw(pairs.map((p) => p.baseline)) || v.baseline?.frameworks.join(', ') || '?'
  const to = v.candidates
    .map((c) => fw(pairs.map((p) => cellOf(p, c.name)?.candidate)) || `${c.frameworks.join(', ') || c.name} (nothing yet)`)
    .filter((s, i, all) => all.indexOf(s) === i)
  return `${from} → ${to.join(' / ')}`
}

function renderCoverage(v: Vault): string {
  const { run } = v
  const several = v.candidates.length > 1
  const rows = run.components.map((c) => ({ name: c.name, s: v.componentSummary(c.name) }))
  rows.sort((a, b) => PRIORITY_RANK[v.priority(a.name)] - PRIORITY_RANK[v.priority(b.name)] || a.name.localeCompare(b.name))
  const perCandidate = (label: string) => (several ? v.candidates.map((c) => `${label} (${c.name})`) : [label])
  const head = ['Component', 'Priority', ...perCandidate('Status'), ...perCandidate('Ported %'), ...(v.evidence ? perCandidate('Verified %') : []), 'Items', 'Migration path']
  const body = rows.map(({ name, s }) => {
    const sums = v.candidates.map((c) => v.componentSummary(name, c.name))
    return [
      v.componentLink(name, true),
      v.priority(name),
      ...sums.map((x) => statusOf(x)),
      ...sums.map((x) => pct(x?.percent ?? 0)),
      ...(v.evidence ? sums.map((x) => pct(verifiedPercent(x) ?? 0)) : []),
      String(s?.total ?? 0),
      cell(migrationPath(v, v.byComponent.get(name) ?? [])),
    ]
  })
  const totals = v.candidates.map((c) => run.candidates[c.name])
  body.push([
    '**All components**',
    v.priority(),
    ...totals.map((x) => `**${statusOf(x)}**`),
    ...totals.map((x) => `**${pct(x?.percent ?? 0)}**`),
    ...(v.evidence ? totals.map((x) => `**${pct(verifiedPercent(x) ?? 0)}**`) : []),
    String(run.summary.total),
    cell(`${v.baseline?.frameworks.join(', ') ?? '?'} → ${v.candidates.map((c) => c.frameworks.join(', ') || c.name).join(' / ')}`),
  ])
  const out = ['# Coverage', '', v.nav(), '']
  out.push(`Baseline ${v.baseline ? v.systemLink(v.baseline.name) : '?'}; candidates ${v.candidates.map((c) => v.systemLink(c.name)).join(', ')}. Scanned ${run.startedAt}.`, '')
  out.push(...table(head, body), '')
  out.push(
    '## How to read this page',
    '',
    '- **Ported %**: baseline items present in the candidate (ported, verified or divergent) over baseline items not excluded; columns are not counted, they follow their tables.',
    v.evidence ? '- **Verified %**: baseline items exercised by replay or end-to-end tests and found equivalent.' : '- **Verified %** appears once replay or end-to-end evidence exists.',
    '- **Status**: `complete` when nothing is missing or divergent, `not-started` when no item is present yet, `partial` otherwise, `excluded` when every item is excluded by a rule.',
    `- **Priority**${several ? ' (the most urgent over the candidates)' : ''}: \`critical\` when a whole capability, a WebSocket or SSE endpoint, a service or a table is missing; \`high\` below 50% ported or with divergent items; \`medium\` below 90%; \`low\` from 90%; \`none\` when complete.`,
    '',
  )
  out.push(...trend(v))
  return v.page({ title: 'Coverage', type: 'coverage', ...v.overall() }, ['coverage'], ['[[Index]]', '[[Comparison]]'], out)
}

/** Where a candidate item is, or why it is not there. */
function candidateCell(v: Vault, p: Pair, c: string, depth: number): string {
  const x = cellOf(p, c)
  if (!x) return ''
  if (x.status === 'excluded') return `${MARK.excluded} excluded${p.reason ? `: ${cell(p.reason)}` : ''}`
  if (!x.candidate) return v.candidates.length > 1 ? `${MARK[x.status]} ${x.status}` : '—'
  const how = x.via === 'map' ? ` (map ${code(x.rule ?? '')})` : x.via === 'any-method' ? ' (any method)' : x.via === 'sole-service' ? ` (${cell(display(x.candidate))})` : ''
  const renamed = x.via === 'map' ? ` as ${code(display(x.candidate))}` : ''
  return `${MARK[x.status]} ${x.status}${renamed} ${v.source(c, x.candidate.source, depth)}${how}`
}

/** Capabilities the baseline uses in the files where this component's baseline items are declared. */
function capabilitiesUsedBy(v: Vault, pairs: Pair[]): Pair[] {
  const files = new Set(pairs.filter((p) => p.baseline && p.kind !== 'capability').map((p) => p.baseline!.source.file))
  return v.run.pairs.filter((p) => p.kind === 'capability' && p.baseline && (p.baseline as CapabilityItem).evidence.some((e) => files.has(e.file)))
}

function renderComponent(v: Vault, name: string): string {
  const { run } = v
  const pairs = v.byComponent.get(name) ?? []
  const s = v.componentSummary(name)
  const several = v.candidates.length > 1
  const out = [`# ${name}`, '', `Component of the migration · ${v.nav()}`, '']
  out.push(
    ...table(
      ['Candidate', 'Status', 'Ported %', ...(v.evidence ? ['Verified %'] : []), 'Ported', 'Missing', 'Divergent', 'Excluded', 'Extra'],
      v.candidates.map((c) => {
        const x = v.componentSummary(name, c.name)
        return [v.systemLink(c.name, true), statusOf(x), pct(x?.percent ?? 0), ...(v.evidence ? [pct(verifiedPercent(x) ?? 0)] : []), String((x?.ported ?? 0) + (x?.verified ?? 0)), String(x?.missing ?? 0), String(x?.divergent ?? 0), String(x?.excluded ?? 0), String(x?.extra ?? 0)]
      }),
    ),
    '',
    `Migration path: ${migrationPath(v, pairs)}. Priority: **${v.priority(name)}**.`,
    '',
  )
  out.push(...featuresMarkdown(run, name))

  const itemHistory = new Map<string, { first?: string; changed: string }>()
  if (v.history && v.first) for (const i of v.history.items) if (i.candidate === v.first) itemHistory.set(i.key, { first: i.firstPorted?.at.slice(0, 10), changed: i.lastChanged.at.slice(0, 10) })
  out.push('## Items', '')
  const head = ['Status', 'Kind', 'Item', `Baseline (${v.baseline?.name ?? '?'})`, ...v.candidates.map((c) => c.name), ...(itemHistory.size ? (several ? [`First ported (${v.first})`, `Last changed (${v.first})`] : ['First ported', 'Last changed']) : [])]
  const rows = pairs.map((p) => {
    const item = (p.baseline ?? p.candidate)!
    const status = p.baseline ? (several ? v.candidates.map((c) => MARK[cellOf(p, c.name)?.status ?? 'missing']).join(' ') : `${MARK[p.status]} ${p.status}`) : `${MARK.extra} extra in ${p.candidateSystem}`
    const h = itemHistory.get(p.key)
    return [
      status,
      p.kind,
      code(display(item)),
      p.baseline ? v.source(v.baseline?.name, p.baseline.source, 1) : '—',
      ...v.candidates.map((c) => (p.baseline ? candidateCell(v, p, c.name, 1) : p.candidateSystem === c.name ? `${MARK.extra} ${v.source(c.name, p.candidate?.source, 1)}` : '')),
      ...(itemHistory.size ? [h?.first ?? '', h?.changed ?? ''] : []),
    ]
  })
  out.push(...table(head, rows), '')

  for (const c of v.candidates) {
    const missing = pairs.filter((p) => p.baseline && cellOf(p, c.name)?.status === 'missing')
    out.push(`## Missing in ${c.name} (${missing.length})`, '')
    if (!missing.length) out.push('Nothing missing.')
    for (const p of missing) out.push(`- ${code(display(p.baseline!))}: ${v.source(v.baseline?.name, p.baseline!.source, 1)}`)
    out.push('')
  }

  const caps = (name === 'capabilities' ? pairs.filter((p) => p.kind === 'capability') : capabilitiesUsedBy(v, pairs)).filter((p) => v.candidates.some((c) => cellOf(p, c.name)?.status === 'missing'))
  out.push('## Missing capabilities', '')
  if (!caps.length) out.push(name === 'capabilities' ? 'None.' : 'None used by this component is missing.')
  for (const p of caps) {
    const cap = p.baseline as CapabilityItem
    const where = v.candidates.filter((c) => cellOf(p, c.name)?.status === 'missing').map((c) => c.name)
    out.push(`- **${cap.label}** (missing in ${where.join(', ')}): ${p.impact ?? cap.impact ?? ''} Used at ${cap.evidence.slice(0, 3).map((e) => v.source(v.baseline?.name, e, 1)).join(', ')}.`)
  }
  out.push('')
  const near = run.nearMisses.filter((n) => n.baseline.component === name)
  if (near.length) {
    out.push('## Possible renames', '', 'Not counted as ported: confirm with a `map` rule in the config.', '')
    for (const n of near) out.push(`- ${code(n.baseline.key)} ~ ${code(n.candidate.key)} in ${n.candidateSystem}: ${n.reason}. Rule: ${code(`{ from: "${n.suggestion.from}", to: "${n.suggestion.to}" }`)}`)
    out.push('')
  }
  return v.page(
    { title: name, type: 'component', component: name, status: statusOf(s), coverage: s?.percent ?? 0, verified: v.evidence ? verifiedPercent(s) : undefined, migration_priority: v.priority(name), items: s?.total ?? 0, missing: s?.missing ?? 0 },
    ['component', `status/${statusOf(s)}`, `priority/${v.priority(name)}`],
    ['[[Index]]', '[[Coverage]]', '[[Comparison]]'],
    out,
  )
}

/** Mermaid flowchart with ids we control (`n1`, `n2`...) and quoted, escaped labels. */
class Flow {
  readonly lines: string[] = ['flowchart LR']
  private n = 0
  node(label: string, shape: 'rect' | 'round' | 'db' | 'hex' | 'queue', cls?: string): string {
    const id = `n${++this.n}`
    const text = `"${label.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;').replace(/\n/g, '<br/>')}"`
    const body = shape === 'rect' ? `[${text}]` : shape === 'round' ? `([${text}])` : shape === 'db' ? `[(${text})]` : shape === 'hex' ? `{{${text}}}` : `[/${text}/]`
    this.lines.push(`  ${id}${body}${cls ? `:::${cls}` : ''}`)
    return id
  }
  edge(a: string, b: string, dashed = false): void {
    this.lines.push(`  ${a} ${dashed ? '-.->' : '-->'} ${b}`)
  }
  text(): string {
    return ['```mermaid', ...this.lines, '  classDef missing fill:#fde2e2,stroke:#c0392b,stroke-dasharray:5 3,color:#7b241c', '  classDef partial fill:#fff4d6,stroke:#b9770e', '  classDef extra fill:#e3f6e8,stroke:#1e8449', '```'].join('\n')
  }
}

const SHAPE: Record<string, 'db' | 'hex' | 'queue' | 'round'> = { data: 'db', 'real-time': 'hex', 'background work': 'queue', messaging: 'queue' }

/** Items of a system as (status in that system, item): the baseline's own items, or a candidate's cells. */
function systemItems(v: Vault, sys: SystemResult): { status: PairStatus; item: Item; pair: Pair }[] {
  const out: { status: PairStatus; item: Item; pair: Pair }[] = []
  for (const p of v.run.pairs) {
    if (sys.role === 'baseline') {
      if (p.baseline) out.push({ status: 'ported', item: p.baseline, pair: p })
      continue
    }
    if (!p.baseline) {
      if (p.candidateSystem === sys.name && p.candidate) out.push({ status: 'extra', item: p.candidate, pair: p })
      continue
    }
    const c = cellOf(p, sys.name)
    if (!c || c.status === 'excluded') continue
    // A missing item is drawn from the baseline, marked.
    out.push({ status: c.status, item: c.candidate ?? p.baseline, pair: p })
  }
  return out
}

function diagram(v: Vault, sys: SystemResult): string {
  const f = new Flow()
  const items = systemItems(v, sys)
  const isCandidate = sys.role === 'candidate'
  const present = (x: { status: PairStatus }) => x.status !== 'missing'
  const of = (k: ItemKind) => items.filter((x) => x.item.kind === k)
  const clients = f.node('Clients', 'round')

  // The core: the system's services (or the system itself when none were found).
  const services = of('service')
  let core: string
  if (services.length) {
    core = 'core'
    f.lines.push(`  subgraph core["${sys.name.replace(/"/g, '#quot;')} services"]`)
    for (const s of services) {
      const it = s.item as Extract<Item, { kind: 'service' }>
      f.node(`${it.name}\n${[it.language, it.framework, it.port ? `:${it.port}` : ''].filter(Boolean).join(' · ')}${s.status === 'missing' ? '\n(missing)' : ''}`, 'rect', s.status === 'missing' ? 'missing' : s.status === 'extra' ? 'extra' : undefined)
    }
    f.lines.push('  end')
  } else core = f.node(`${sys.name}\n${sys.frameworks.join(', ')}`, 'rect')

  const entry = (k: ItemKind, title: string, shape: 'rect' | 'hex') => {
    const all = of(k)
    if (!all.length) return undefined
    const n = all.filter((x) => present(x) && x.status !== 'extra').length
    const extra = all.length - all.filter((x) => x.status !== 'extra').length
    const label = isCandidate ? `${title}\n${n} of ${all.length - extra} baseline${extra ? `, ${extra} extra` : ''}` : `${title}\n${n}`
    const cls = n + extra === 0 ? 'missing' : all.some((x) => x.status === 'missing') ? 'partial' : undefined
    const id = f.node(label, shape, cls)
    f.edge(clients, id, cls === 'missing')
    f.edge(id, core, cls === 'missing')
    return id
  }
  const gw = entry('route', 'HTTP gateway · routes', 'rect')
  // WebSocket and SSE endpoints are drawn as entry points; their capability is not drawn twice.
  const drawn = new Set<string>()
  if (entry('websocket', 'WebSocket', 'hex')) drawn.add('websocket')
  if (entry('sse', 'Server-sent events', 'hex')) drawn.add('sse')

  // Endpoint components behind the gateway.
  if (gw) {
    const comps = new Map<string, { present: number; all: number }>()
    for (const x of items) {
      if (!isEndpoint(x.item) || x.status === 'extra') continue
      const c = comps.get(x.pair.component) ?? { present: 0, all: 0 }
      c.all++
      if (present(x)) c.present++
      comps.set(x.pair.component, c)
    }
    const list = [...comps].slice(0, 30)
    for (const [name, c] of list) {
      const cls = !isCandidate ? undefined : c.present === 0 ? 'missing' : c.present < c.all ? 'partial' : undefined
      f.edge(gw, f.node(`${name}\n${isCandidate ? `${c.present} of ${c.all}` : c.all} endpoints`, 'rect', cls), cls === 'missing')
    }
    if (comps.size > list.length) f.edge(gw, f.node(`… ${comps.size - list.length} more components`, 'rect'))
  }

  // Capabilities, by the catalog's category.
  for (const x of of('capability')) {
    const cap = x.item as CapabilityItem
    if (drawn.has(cap.name)) continue
    const shape = SHAPE[cap.category ?? ''] ?? 'round'
    const missing = x.status === 'missing'
    f.edge(core, f.node(`${cap.label}${missing ? '\n(missing)' : ''}`, shape, missing ? 'missing' : x.status === 'extra' ? 'extra' : undefined), missing)
  }

  // The database: tables present, and the ones the candidate lacks.
  const tables = of('table')
  if (tables.length) {
    const have = tables.filter(present)
    const base = tables.filter((x) => x.status !== 'extra').length
    if (have.length) f.edge(core, f.node(`Database\n${isCandidate ? `${have.length} of ${base} tables` : `${have.length} tables`}`, 'db'))
    const lacking = tables.filter((x) => x.status === 'missing').map((x) => (x.item as Extract<Item, { kind: 'table' }>).name)
    if (lacking.length) f.edge(core, f.node(`Missing tables\n${lacking.slice(0, 6).join(', ')}${lacking.length > 6 ? `, … ${lacking.length - 6} more` : ''}`, 'db', 'missing'), true)
  }
  return f.text()
}

function renderSystem(v: Vault, sys: SystemResult): string {
  const { run } = v
  const s = sys.role === 'candidate' ? run.candidates[sys.name] : undefined
  const out = [`# ${sys.name}`, '', `${sys.role === 'baseline' ? 'The baseline' : `A candidate, compared with the baseline ${v.baseline ? v.systemLink(v.baseline.name) : ''}`} · ${v.nav()}`, '']
  out.push(
    `- Source: ${code(sys.source)} (${sys.sourceKind})`,
    `- Frameworks: ${sys.frameworks.join(', ') || 'none found'}`,
    `- Files: ${sys.stats.files} (${sys.stats.parsed} parsed), ${sys.stats.lines} lines`,
    `- Items: ${Object.entries(sys.items).map(([k, n]) => `${n} ${k}`).join(', ') || 'none'}`,
  )
  if (s) out.push(`- Coverage: **${pct(s.percent)}** of the baseline (${s.ported + s.verified + s.divergent} of ${s.total}; ${s.missing} missing, ${s.excluded} excluded, ${s.extra} extra), status ${statusOf(s)}, priority ${priorityOf(s)}`)
  out.push('', '## Capabilities', '', sys.role === 'candidate' ? 'What it lacks compared with the baseline is marked `missing` (dashed, red).' : 'What the baseline does beyond its routes.', '', diagram(v, sys), '')

  const items = systemItems(v, sys)
  const caps = items.filter((x) => x.item.kind === 'capability')
  if (caps.length) {
    out.push(...table(['Capability', 'Category', 'Status', 'Impact when missing', 'Evidence'], caps.map((x) => {
      const cap = x.item as CapabilityItem
      return [cell(cap.label), cap.category ?? '', `${MARK[x.status]} ${x.status}`, cell(cap.impact ?? x.pair.impact ?? ''), x.status === 'missing' ? `baseline ${v.source(v.baseline?.name, cap.source, 1)}` : v.source(sys.name, cap.source, 1)]
    })), '')
  }
  const services = items.filter((x) => x.item.kind === 'service')
  if (services.length) {
    out.push('## Services', '')
    for (const x of services) {
      const it = x.item as Extract<Item, { kind: 'service' }>
      out.push(`- ${code(it.name)} (${it.language}${it.framework ? `, ${it.framework}` : ''}${it.port ? `, port ${it.port}` : ''}): ${it.routes} routes, ${it.lines} lines${x.status === 'missing' ? ' — **missing**' : ''}`)
    }
    out.push('')
  }
  const tables = items.filter((x) => x.item.kind === 'table')
  if (tables.length) {
    out.push('## Database tables', '')
    for (const x of tables) out.push(`- ${code((x.item as Extract<Item, { kind: 'table' }>).name)}${x.status === 'missing' ? ' — **missing**' : x.status === 'extra' ? ' (only here)' : ''}`)
    out.push('')
  }
  out.push('## Components', '')
  for (const c of run.components) {
    const x = sys.role === 'candidate' ? v.componentSummary(c.name, sys.name) : undefined
    out.push(`- ${v.componentLink(c.name)}${x ? `: ${statusOf(x)}, ${pct(x.percent)}` : ''}`)
  }
  out.push('')
  if (sys.diagnostics.length) {
    out.push(`## Diagnostics (${sys.diagnostics.length})`, '')
    for (const d of sys.diagnostics.slice(0, 30)) out.push(`- ${d.level} ${code(d.code)}${d.file ? ` ${v.source(sys.name, { file: d.file, line: d.line ?? 1 }, 1)}` : ''}: ${d.message}`)
    if (sys.diagnostics.length > 30) out.push(`- … ${sys.diagnostics.length - 30} more`)
    out.push('')
  }
  return v.page(
    {
      title: sys.name,
      type: 'system',
      role: sys.role,
      status: s ? statusOf(s) : 'baseline',
      coverage: s ? s.percent : 100,
      migration_priority: s ? priorityOf(s) : 'none',
      frameworks: sys.frameworks,
    },
    ['system', sys.role],
    ['[[Index]]', '[[Comparison]]'],
    out,
  )
}

function renderComparison(v: Vault): string {
  const { run } = v
  const several = v.candidates.length > 1
  const ready = v.productionReady()
  const verdictWord = ready === null ? 'no gates configured' : ready ? 'YES' : 'NO'
  const out = [`# Comparison: ${v.baseline?.name ?? '?'} vs ${v.candidates.map((c) => c.name).join(', ')}`, '', v.nav(), '']
  out.push(`**Production ready: ${verdictWord}** · scanned ${run.startedAt}${run.git?.commit ? ` at ${code(run.git.commit.slice(0, 8))}` : ''}`, '')

  out.push('## Executive summary', '')
  for (const c of v.candidates) {
    const s = run.candidates[c.name]
    if (!s) continue
    const notStarted = run.components.filter((x) => statusOf(x.candidates[c.name]) === 'not-started').map((x) => x.name)
    const caps = v.missingOf('capability', c.name).map((p) => (p.baseline as CapabilityItem).label)
    const tables = v.missingOf('table', c.name).length
    const realtime = v.missingOf('websocket', c.name).length + v.missingOf('sse', c.name).length
    out.push(`- ${v.systemLink(c.name)} has **${pct(s.percent)}** of the baseline (${s.ported + s.verified + s.divergent} of ${s.total} items; ${s.missing} missing, ${s.divergent} divergent, ${s.excluded} excluded, ${s.extra} extra): ${statusOf(s)}.`)
    if (notStarted.length) out.push(`  - Not started: ${notStarted.map((n) => v.componentLink(n)).join(', ')}.`)
    if (caps.length) out.push(`  - Missing capabilities: ${caps.join(', ')}.`)
    if (realtime) out.push(`  - Missing real-time endpoints (WebSocket, SSE): ${realtime}.`)
    if (tables) out.push(`  - Database tables not implemented: ${tables}.`)
  }
  out.push('')

  out.push('## Verdict', '')
  const a = run.assessment
  if (!a || a.gates.length === 0) out.push('Production ready: **no gates configured**. Add `gates:` to the config (`ported >= 0.9`, `missingCapabilities == 0`, `noRegression`...) and run `parity run` for a verdict.')
  else {
    out.push(`Production ready: **${verdictWord}**${a.verdict.failed.length ? ` (failed: ${a.verdict.failed.map(code).join(', ')})` : ''}.`, '')
    out.push(...table(['Gate', 'Result', 'Actual', 'Detail'], a.gates.map((g) => [g.objective ? `${cell(g.objective)}: ${code(g.gate)}` : code(g.gate), g.passed ? 'passed' : '**failed**', g.actual === null ? 'not measurable yet' : (g.display ?? formatGateValue(g.gate, g.actual)), cell(g.message)])))
    const accepted = a.findings.filter((f) => f.accepted)
    if (accepted.length) out.push('', `Accepted differences (${accepted.length}): ${accepted.map((f) => `${code(f.key)} (${cell(f.accepted!.reason)})`).join(', ')}.`)
    if (a.verdict.staleAcceptances.length) out.push('', `Stale acceptances (no longer match anything): ${a.verdict.staleAcceptances.map(code).join(', ')}.`)
  }
  out.push('')

  out.push('## By component', '')
  for (const comp of run.components) {
    const pairs = (v.byComponent.get(comp.name) ?? []).filter((p) => p.kind !== 'column')
    out.push(`### ${v.componentLink(comp.name)}`, '')
    for (const c of v.candidates) {
      const s = comp.candidates[c.name]
      const exists = pairs.filter((p) => p.baseline && ['ported', 'verified', 'divergent'].includes(cellOf(p, c.name)?.status ?? ''))
      const missing = pairs.filter((p) => p.baseline && cellOf(p, c.name)?.status === 'missing')
      const list = (ps: Pair[]) => (ps.length ? ps.slice(0, 12).map((p) => code(display(p.baseline!))).join(', ') + (ps.length > 12 ? `, … ${ps.length - 12} more` : '') : 'nothing')
      const prefix = several ? `${c.name}: ` : ''
      out.push(`- ${prefix}${statusOf(s)}, ${pct(s?.percent ?? 0)}`, `  - Exists: ${list(exists)}`, `  - Missing: ${list(missing)}`)
    }
    out.push('')
  }

  out.push('## Route by route', '')
  const endpoints = run.pairs.filter((p) => isEndpoint((p.baseline ?? p.candidate)!))
  out.push(
    ...table(
      ['Method', 'Path', 'Component', ...v.candidates.map((c) => c.name), `Source (${v.baseline?.name ?? '?'})`],
      endpoints.map((p) => {
        const item = (p.baseline ?? p.candidate)! as Extract<Item, { method: string }>
        return [
          item.method,
          code(item.path),
          v.componentLink(p.component, true),
          ...v.candidates.map((c) => {
            if (!p.baseline) return p.candidateSystem === c.name ? `${MARK.extra} extra` : ''
            const x = cellOf(p, c.name)
            if (!x) return ''
            return `${MARK[x.status]} ${x.status}${x.via === 'map' && x.candidate ? ` as ${code(display(x.candidate))}` : ''}`
          }),
          p.baseline ? v.source(v.baseline?.name, p.baseline.source, 0) : '—',
        ]
      }),
    ),
    '',
  )

  // Behavioural evidence from replay: what differs on each divergent route.
  const divergent = (run.routes ?? []).filter((r) => r.status === 'divergent')
  if (run.routes?.length) {
    const count = (status: string) => run.routes!.filter((r) => r.status === status).length
    out.push('## Behaviour', '', `Replayed traffic: ${count('verified')} verified, ${divergent.length} divergent, ${count('unproven')} unproven (both sides refused alike), ${count('unexercised')} not exercised.`, '')
    for (const r of divergent) {
      out.push(`- ${code(`${r.method} ${r.path}`)} (${r.exchanges} exchange${r.exchanges === 1 ? '' : 's'})`)
      for (const d of r.differences.slice(0, 10)) {
        out.push(`  - ${d.where}${d.pointer ? ` ${code(d.pointer)}` : ''}: ${d.kind}, baseline ${code(JSON.stringify(d.baseline) ?? 'absent')}, candidate ${code(JSON.stringify(d.candidate) ?? 'absent')}`)
      }
    }
    out.push('')
  }

  if (run.tests?.length) {
    const t = run.tests
    const c = e2eCounts(t)
    const regressions = t.filter((x) => outcomeOf(x) === 'regression' || outcomeOf(x) === 'missing')
    out.push(
      '## End-to-end suite',
      '',
      `The old suite against both: ${c['pass-both']} of ${t.length} tests pass on both, ${c.regression} fail only on the candidate, ${c['fail-both']} fail on both${c.missing ? `, ${c.missing} did not run on the candidate` : ''}.`,
      '',
    )
    for (const x of regressions.slice(0, 30)) out.push(`- ${MARK.missing} ${cell(x.name)}`)
    if (regressions.length) out.push('')
  }
  if (run.bench?.length) {
    out.push('## Performance', '', 'Measured in the same run, trials alternating between the systems; medians over the trials.', '')
    for (const scenario of [...new Set(run.bench.map((e) => e.scenario))]) {
      const rows = run.bench.filter((e) => e.scenario === scenario)
      const f = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(2))
      out.push(`### ${code(scenario)}`, '')
      out.push(
        ...table(
          ['System', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'Errors', 'RSS peak', 'CPU', 'Cold start'],
          rows.map((e) => {
            const ran = e.trials.some((x) => x.result && !x.failed)
            return [
              e.system ?? e.target,
              ran ? String(Math.round(e.throughput.rps)) : '—',
              ran ? f(e.latency.p50) : '—',
              ran ? f(e.latency.p95) : '—',
              ran ? f(e.latency.p99) : '—',
              String(e.errors),
              e.resources ? `${Math.round(e.resources.rssPeakMb)} MiB` : '—',
              e.resources ? `${Math.round(e.resources.cpuMeanPercent)}%` : '—',
              e.startup ? `${f(e.startup.median)} ms` : '—',
            ]
          }),
        ),
        '',
      )
      for (const c of (run.benchComparisons ?? []).filter((x) => x.scenario === scenario)) {
        const r = c.ratios
        const x = (n: number | null) => (n === null ? '—' : `${n.toFixed(2)}x`)
        out.push(`${c.candidate} against ${c.baseline}: throughput ${x(r.rps)}, p95 ${x(r.p95)}, memory ${x(r.rss)}, cold start ${x(r.startup)} (confidence ${c.confidence}: ${c.note}).`, '')
      }
    }
  }
  out.push(...mcpMarkdown(run))
  out.push(...scorecardMarkdown(run))
  out.push(...planMarkdown(run))
  const section = (title: string, kind: ItemKind, line: (p: Pair) => string) => {
    out.push(`## ${title}`, '')
    let any = false
    for (const c of v.candidates) {
      const missing = v.missingOf(kind, c.name)
      if (!missing.length) continue
      any = true
      if (several) out.push(`In ${c.name}:`, '')
      for (const p of missing) out.push(`- ${line(p)}`)
      out.push('')
    }
    if (!any) out.push('None.', '')
  }
  section('Missing services', 'service', (p) => {
    const s = p.baseline as Extract<Item, { kind: 'service' }>
    return `${code(s.name)} (${s.language}${s.framework ? `, ${s.framework}` : ''}, ${s.routes} routes): ${v.source(v.baseline?.name, s.source, 0)}`
  })
  section('Database tables not implemented', 'table', (p) => {
    const t = p.baseline as Extract<Item, { kind: 'table' }>
    const cols = run.pairs.filter((x) => x.kind === 'column' && x.baseline && (x.baseline as Extract<Item, { kind: 'column' }>).table === t.name).length
    return `${code(t.name)} (${cols} columns, ${t.origin}): ${v.source(v.baseline?.name, t.source, 0)}`
  })
  // Columns missing from tables that exist in the candidate.
  for (const c of v.candidates) {
    const tablesThere = new Set(run.pairs.filter((p) => p.kind === 'table' && p.baseline && cellOf(p, c.name)?.candidate).map((p) => (p.baseline as Extract<Item, { kind: 'table' }>).name))
    const cols = v.missingOf('column', c.name).filter((p) => tablesThere.has((p.baseline as Extract<Item, { kind: 'column' }>).table))
    if (cols.length) out.push(`Columns missing from tables ${c.name} has: ${cols.map((p) => code(p.key.slice('column '.length))).join(', ')}.`, '')
  }
  out.push('## Missing capabilities', '')
  const caps = run.pairs.filter((p) => p.kind === 'capability' && p.baseline && v.candidates.some((c) => cellOf(p, c.name)?.status === 'missing'))
  if (!caps.length) out.push('None.', '')
  else {
    out.push(
      ...table(
        ['Capability', 'Category', 'Missing in', 'Impact', 'Used at'],
        caps.map((p) => {
          const cap = p.baseline as CapabilityItem
          return [cell(cap.label), cap.category ?? '', v.candidates.filter((c) => cellOf(p, c.name)?.status === 'missing').map((c) => c.name).join(', '), cell(p.impact ?? cap.impact ?? ''), v.source(v.baseline?.name, cap.source, 0)]
        }),
      ),
      '',
    )
  }
  if (run.nearMisses.length) {
    out.push('## Possible renames', '', 'Not counted as ported until a `map` rule confirms them.', '')
    out.push(...table(['Baseline', 'Candidate', 'In', 'Why'], run.nearMisses.map((n) => [code(n.baseline.key), code(n.candidate.key), n.candidateSystem, cell(n.reason)])), '')
  }
  if (run.diagnostics.length) {
    out.push('## Run diagnostics', '')
    for (const d of run.diagnostics) out.push(`- ${d.level} ${code(d.code)}: ${d.message}`)
    out.push('')
  }
  out.push(...trend(v))
  return v.page(
    { title: 'Comparison', type: 'comparison', ...v.overall(), production_ready: ready },
    ['comparison', ready === null ? 'verdict/no-gates' : ready ? 'verdict/ready' : 'verdict/not-ready'],
    ['[[Index]]', '[[Coverage]]'],
    out,
  )
}

/**
 * The vault for a run: relative path (`Index.md`, `Components/auth.md`...) -> page content.
 * With a History, the Index, Coverage and Comparison pages get a trend section and component pages
 * the date each item was first ported.
 */
export function renderVault(run: RunResult, history?: History, options: VaultOptions = {}): Map<string, string> {
  const v = new Vault(run, history, options)
  const files = new Map<string, string>()
  files.set('Index.md', renderIndex(v))
  files.set('Coverage.md', renderCoverage(v))
  files.set('Comparison.md', renderComparison(v))
  for (const [name, page] of v.components) files.set(`Components/${page}.md`, renderComponent(v, name))
  for (const s of run.systems) files.set(`Systems/${v.systems.get(s.name) ?? safeName(s.name)}.md`, renderSystem(v, s))
  return files
}
