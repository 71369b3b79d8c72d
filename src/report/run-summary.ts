/**
 * What `parity run` prints first: the verdict and the gates, then a headline per candidate (ported,
 * verified, divergent, missing; the old suite; the bench), the components in one line each, what the
 * figures rest on, and the warnings by code. The detail (every item, the bench tables, scorecard,
 * features, plan) follows only with `--verbose`; the HTML report holds it all.
 */
import { e2eCounts, outcomeOf } from '../assess/e2e.js'
import type { Diagnostic } from '../model/inventory.js'
import type { RunResult, Summary } from '../model/run.js'
import { PLAIN, type Style } from './style.js'
import { languageName, plural } from '../model/words.js'
import { inventoryBasis } from './inventory-basis.js'

export function renderVerdict(run: RunResult, style: Style = PLAIN): string {
  const a = run.assessment
  if (!a) return ''
  const lines: string[] = []
  if (!a.gates.length) {
    lines.push(style.warn('No gates configured: no verdict (add `gates:` or `objectives:` to the config)'))
  } else {
    const failed = a.gates.filter((g) => !g.passed).length
    lines.push(
      a.verdict.productionReady
        ? style.ok(style.bold(`✓ Production-ready: all ${plural(a.gates.length, 'gate')} pass`))
        : style.bad(style.bold(`✗ Not production-ready: ${failed} of ${plural(a.gates.length, 'gate')} failed`)),
    )
    const width = Math.min(34, Math.max(...a.gates.map((g) => label(g).length)))
    // One line per gate: a long message (every breaking change) is cut; the reports hold it whole.
    const cut = (m: string) => (m.length > 150 ? `${m.slice(0, 149)}…` : m)
    for (const g of a.gates) lines.push(`  ${g.passed ? style.ok('✓') : style.bad('✗')} ${label(g).padEnd(width)}  ${cut(g.message)}`)
  }
  const accepted = a.findings.filter((f) => f.accepted).length
  if (accepted) lines.push(`  ${plural(accepted, 'accepted difference')} (see \`accepted\` in the config)`)
  return `${lines.join('\n')}\n`
}

const label = (g: { gate: string; objective?: string }) => (g.objective ? `${g.objective}: ${g.gate}` : g.gate)

/** One line of figures per candidate, and one more for its behavioural evidence when there is any. */
export function renderHeadlines(run: RunResult, style: Style = PLAIN): string {
  const candidates = run.systems.filter((s) => s.role === 'candidate')
  const width = Math.max(8, ...run.systems.filter((s) => s.role !== 'baseline').map((c) => c.name.length))
  const lines: string[] = []
  const first = Object.keys(run.candidates)[0]
  for (const c of candidates) {
    const s = run.candidates[c.name]
    if (!s) continue
    lines.push(`${style.bold(c.name.padEnd(width))}  ${figures(s, style)}`)
    const evidence: string[] = []
    if (s.verified || s.divergent || s.consequences)
      evidence.push(
        `behaviour: ${s.verified} verified, ${s.divergent} divergent${
          s.consequences ? ` (${plural(s.consequences, 'route')} differing only as likely consequences of a refused write, not counted)` : ''
        }`,
      )
    if (c.name === first && run.tests?.length) {
      const counted = run.tests.filter((t) => t.candidate !== 'skip')
      const pass = counted.filter((t) => t.candidate === 'pass').length
      const c = e2eCounts(run.tests)
      evidence.push(
        `old e2e suite: ${pass} of ${plural(counted.length, 'test')} pass${c.regression ? `, ${style.bad(`${c.regression} regressed`)}` : ''}${c.missing ? `, ${c.missing} did not run` : ''}`,
      )
    }
    const bench = (run.benchComparisons ?? []).filter((b) => b.candidate === c.name)
    if (bench.length) {
      const b = bench[0]!
      const parts = [
        b.ratios.rps !== null ? `${ratio(b.ratios.rps)} req/s` : '',
        b.ratios.p95 !== null ? `p95 ${ratio(b.ratios.p95)}` : '',
        b.ratios.rss !== null ? `memory ${ratio(b.ratios.rss)}` : '',
      ].filter(Boolean)
      if (parts.length) evidence.push(`bench ${b.scenario}: ${parts.join(', ')}${bench.length > 1 ? ` (+${plural(bench.length - 1, 'scenario')})` : ''}`)
    }
    if (!evidence.length) evidence.push(style.dim('no behavioural evidence: replay, calls, the e2e suite and the bench did not reach it'))
    if (evidence.length) lines.push(`${''.padEnd(width)}  ${evidence.join(' · ')}`)
  }
  // Across candidates, service by service: the figure status pages lead with (the table: parity diff, the reports).
  if (run.services && run.services.total > 1) {
    const m = run.services
    const migrated = m.byLanguage.filter((f) => f.migrated).map((f) => `${languageName(f.language)} ${f.migrated}`)
    lines.push(
      `${style.bold('services'.padEnd(width))}  ${m.headline}${migrated.length ? ` (migrated: ${migrated.join(' + ')})` : ''} · ${m.notStarted} not started`,
    )
  }
  // A peer has no figure of ports: what it shares with the baseline, from the matrix, and that no gate checks it.
  const m = run.platforms
  const baseline = m?.systems.find((s) => s.role === 'baseline')
  for (const p of m && baseline ? m.systems.filter((s) => s.role === 'peer') : []) {
    lines.push(
      `${style.bold(p.name.padEnd(width))}  peer: has ${m!.withBaseline[p.name] ?? 0} of ${baseline!.name}'s ${m!.baseline.rows} items, ${m!.only[p.name] ?? 0} only it has · compared, not gated (the matrix: parity diff)`,
    )
  }
  return lines.length ? `${lines.join('\n')}\n` : ''
}

function figures(s: Summary, style: Style): string {
  const done = s.ported + s.verified + s.divergent
  const parts = [`${style.bold(`${s.percent}%`)} ported (${done} of ${s.total})`]
  if (s.missing) parts.push(style.bad(`${s.missing} missing`))
  if (s.excluded) parts.push(`${s.excluded} excluded`)
  if (s.extra) parts.push(`${s.extra} extra`)
  return parts.join(' · ')
}

const ratio = (r: number) => `${r >= 10 ? r.toFixed(0) : r.toFixed(2)}x`

/** The components, one line each: ported of total per candidate. */
export function renderComponents(run: RunResult, style: Style = PLAIN): string {
  const candidates = run.systems.filter((s) => s.role === 'candidate').map((s) => s.name)
  const rows = run.components.filter((c) => candidates.some((n) => (c.candidates[n]?.total ?? 0) > 0))
  if (!rows.length) return ''
  const nameWidth = Math.max(9, ...rows.map((r) => r.name.length))
  const cell = (s: Summary | undefined) => {
    if (!s?.total) return '—'
    const done = s.ported + s.verified + s.divergent
    const text = `${`${done}/${s.total}`.padStart(6)} ${`${Math.round(s.percent)}%`.padStart(4)}`
    return done === s.total ? style.ok(text) : done === 0 ? style.bad(text) : text
  }
  const colWidth = Math.max(11, ...candidates.map((n) => n.length))
  const lines = [`${'component'.padEnd(nameWidth)}  ${candidates.map((n) => n.padStart(colWidth)).join('  ')}`]
  for (const r of rows) {
    lines.push(`${r.name.padEnd(nameWidth)}  ${candidates.map((n) => pad(cell(r.candidates[n]), colWidth, style)).join('  ')}`)
  }
  return `${lines.join('\n')}\n`
}

/** Right-aligns text that may hold colour codes. */
function pad(text: string, width: number, style: Style): string {
  const visible = style.enabled ? text.replace(/\x1b\[[0-9;]*m/g, '') : text
  return `${' '.repeat(Math.max(0, width - visible.length))}${text}`
}

/** What the figures rest on: the items each inventory found, unresolved ones, run-time confirmation. */
export function renderBasis(run: RunResult, style: Style = PLAIN): string {
  const basis = inventoryBasis(run)
  const parts = run.systems.map((system, i) => {
    const s = basis.systems[i]!
    const tools = system.items['mcp-tool'] ?? 0
    const found = s.found || !tools ? plural(s.found, 'endpoint') : plural(tools, 'MCP tool')
    const runtime = s.runtime
      ? `, ${s.runtime.confirmed} confirmed at run time${s.runtime.scanMissed.length ? `, ${style.warn(`${s.runtime.scanMissed.length} only at run time`)}` : ''}`
      : ''
    return `${s.name}${s.role === 'peer' ? ' (peer)' : ''} ${found}${s.unresolved ? `, ${style.warn(`${s.unresolved} unresolved`)}` : ''}${runtime}`
  })
  const lines = [`Found by the scan: ${parts.join(' · ')}`]
  if (basis.unresolved) lines.push(style.warn(`  ported figures are lower bounds: ${basis.unresolved} endpoints have a path parity could not resolve`))
  return `${lines.join('\n')}\n`
}

/**
 * Before any figure, when the inventory is partial: the routes the running systems registered that
 * the scan missed, and the endpoints it could not resolve. Empty when there is nothing to say.
 */
export function renderCaveat(run: RunResult, style: Style = PLAIN): string {
  const basis = inventoryBasis(run)
  const lines: string[] = []
  for (const s of basis.systems) {
    const missed = s.runtime?.scanMissed ?? []
    if (missed.length) {
      const shown = missed
        .slice(0, 5)
        .map((m) => `${m.method} ${m.path}`)
        .join(', ')
      lines.push(
        `${s.name}: ${plural(missed.length, 'route')} only at run time: ${shown}${missed.length > 5 ? `, … ${missed.length - 5} more` : ''} (the scan missed ${missed.length === 1 ? 'it' : 'them'})`,
      )
    }
    // A peer's unresolved paths are in the matrix only: no figure below rests on them.
    if (s.unresolved && s.role !== 'peer') lines.push(`${s.name}: ${plural(s.unresolved, 'endpoint')} with a path the scan could not resolve`)
  }
  if (!lines.length) return ''
  return `${style.warn('The figures below rest on a partial inventory:')}\n${lines.map((l) => `  ${l}`).join('\n')}\n`
}

/** Warnings and errors by code: the count and the first message of each. */
export function renderDiagnostics(diagnostics: Diagnostic[], style: Style = PLAIN, verbose = false): string {
  const shown = diagnostics.filter((d) => verbose || d.level !== 'info')
  if (!shown.length) return ''
  const byCode = new Map<string, Diagnostic[]>()
  for (const d of shown) byCode.set(d.code, [...(byCode.get(d.code) ?? []), d])
  const lines: string[] = []
  for (const [code, list] of byCode) {
    const d = list[0]!
    const mark = d.level === 'error' ? style.bad('error') : d.level === 'warn' ? style.warn('warn') : style.dim('info')
    const more = list.length > 1 ? style.dim(` (+${list.length - 1} more)`) : ''
    const where = d.file ? `${d.file}${d.line ? `:${d.line}` : ''}: ` : ''
    lines.push(`${mark} ${code}: ${where}${d.message}${more}`)
  }
  return `${lines.join('\n')}\n`
}

/** The old end-to-end suite in one line: passes on both, regressions on the candidate. */
export function renderE2eSuite(run: RunResult): string {
  const tests = run.tests ?? []
  const c = e2eCounts(tests)
  const regressions = tests.filter((t) => outcomeOf(t) === 'regression')
  const lines = [
    `\nEnd-to-end suite: ${tests.length} tests, ${c['pass-both']} pass on both, ${c.regression} fail only on the candidate, ${c['fail-both']} fail on both${c.missing ? `, ${c.missing} did not run on the candidate` : ''}`,
  ]
  for (const t of regressions.slice(0, 10)) lines.push(`  ✗ ${t.name}`)
  if (regressions.length > 10) lines.push(`  … and ${regressions.length - 10} more`)
  return `${lines.join('\n')}\n`
}
