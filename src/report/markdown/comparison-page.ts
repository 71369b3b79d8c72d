/**
 * `Comparison.md`: the verdict and an executive summary, then per component what exists and what
 * is missing, the route-by-route table, the behavioural evidence, performance, MCP, scorecard and
 * plan sections, what the candidates lack, possible renames, run diagnostics and the trend.
 */
import { formatGateValue } from '../../assess/gates.js'
import { isEndpoint, type CapabilityItem, type Item } from '../../model/inventory.js'
import type { Pair } from '../../model/run.js'
import { behaviourMarkdown } from './behaviour.js'
import { benchMarkdown } from './bench.js'
import { cellOf, display, MARK } from './items.js'
import { cell, code, pct, table } from './markup.js'
import { mcpMarkdown } from './mcp.js'
import { missingMarkdown } from './missing.js'
import { planMarkdown } from './plan-page.js'
import { platformsMarkdown } from './platforms-page.js'
import { scorecardMarkdown } from './scorecard.js'
import { trendMarkdown } from './trend.js'
import { statusOf, type Vault } from './vault-context.js'

/** The page's Markdown. */
export function renderComparison(v: Vault): string {
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
    const tables = s.byKind.table?.missing ?? 0
    const realtime = (s.byKind.websocket?.missing ?? 0) + (s.byKind.sse?.missing ?? 0)
    out.push(
      `- ${v.systemLink(c.name)} has **${pct(s.percent)}** of the baseline (${s.ported + s.verified + s.divergent} of ${s.total} items; ${s.missing} missing, ${s.divergent} divergent, ${s.excluded} excluded, ${s.extra} extra): ${statusOf(s)}.`,
    )
    if (notStarted.length) out.push(`  - Not started: ${notStarted.map((n) => v.componentLink(n)).join(', ')}.`)
    if (caps.length) out.push(`  - Missing capabilities: ${caps.join(', ')}.`)
    if (realtime) out.push(`  - Missing real-time endpoints (WebSocket, SSE): ${realtime}.`)
    if (tables) out.push(`  - Database tables not implemented: ${tables}.`)
  }
  out.push('')

  out.push('## Verdict', '')
  const a = run.assessment
  if (!a || a.gates.length === 0)
    out.push(
      'Production ready: **no gates configured**. Add `gates:` to the config (`ported >= 0.9`, `missingCapabilities == 0`, `noRegression`...) and run `parity run` for a verdict.',
    )
  else {
    out.push(`Production ready: **${verdictWord}**${a.verdict.failed.length ? ` (failed: ${a.verdict.failed.map(code).join(', ')})` : ''}.`, '')
    out.push(
      ...table(
        ['Gate', 'Result', 'Actual', 'Detail'],
        a.gates.map((g) => [
          g.objective ? `${cell(g.objective)}: ${code(g.gate)}` : code(g.gate),
          g.passed ? 'passed' : '**failed**',
          g.actual === null ? 'not measurable yet' : (g.display ?? formatGateValue(g.gate, g.actual)),
          cell(g.message),
        ]),
      ),
    )
    const accepted = a.findings.filter((f) => f.accepted)
    if (accepted.length)
      out.push('', `Accepted differences (${accepted.length}): ${accepted.map((f) => `${code(f.key)} (${cell(f.accepted!.reason)})`).join(', ')}.`)
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
      const list = (ps: Pair[]) =>
        ps.length
          ? ps
              .slice(0, 12)
              .map((p) => code(display(p.baseline!)))
              .join(', ') + (ps.length > 12 ? `, … ${ps.length - 12} more` : '')
          : 'nothing'
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

  out.push(...behaviourMarkdown(run))
  out.push(...benchMarkdown(run))
  out.push(...mcpMarkdown(run))
  out.push(...scorecardMarkdown(run))
  out.push(...planMarkdown(run))
  out.push(...platformsMarkdown(run))
  out.push(...missingMarkdown(v))
  if (run.nearMisses.length) {
    out.push('## Possible renames', '', 'Not counted as ported until a `map` rule confirms them.', '')
    out.push(
      ...table(
        ['Baseline', 'Candidate', 'In', 'Why'],
        run.nearMisses.map((n) => [code(n.baseline.key), code(n.candidate.key), n.candidateSystem, cell(n.reason)]),
      ),
      '',
    )
  }
  if (run.diagnostics.length) {
    out.push('## Run diagnostics', '')
    for (const d of run.diagnostics) out.push(`- ${d.level} ${code(d.code)}: ${d.message}`)
    out.push('')
  }
  out.push(...trendMarkdown(v))
  return v.page(
    { title: 'Comparison', type: 'comparison', ...v.overall(), production_ready: ready },
    ['comparison', ready === null ? 'verdict/no-gates' : ready ? 'verdict/ready' : 'verdict/not-ready'],
    ['[[Index]]', '[[Coverage]]'],
    out,
  )
}
