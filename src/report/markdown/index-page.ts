/**
 * `Index.md`: what the figures rest on, the objectives and gates, the systems side by side, the
 * running services, links to every component and system, and the trend.
 */
import { formatGateValue } from '../../assess/gates.js'
import { objectiveTrend } from '../../model/history.js'
import type { ItemKind } from '../../model/inventory.js'
import type { GateResult } from '../../model/run.js'
import { endpointLines, serviceExtraColumns, serviceLine, serviceTableRows } from '../../model/service-table.js'
import { foundPhrase, inventoryBasis, lowerBoundNote } from '../inventory-basis.js'
import { sparkline } from '../sparkline.js'
import { cell, code, pct, table, wikilink } from './markup.js'
import { statusMarkdown } from './status.js'
import { trendMarkdown } from './trend.js'
import { statusOf, verifiedPercent, type Vault } from './vault-context.js'

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
  return [
    ...table(['Objective', 'Gate', 'Now', 'Passed', 'Trend', 'Why'], rows),
    '',
    objectives.map((g) => `- ${cell(g.objective!)}: ${cell(g.message)}`).join('\n'),
    '',
  ]
}

/** In a tree of several services: the headline teams lead with, the figures it rests on, and each baseline service's port. */
function servicesMarkdown(v: Vault): string[] {
  const m = v.run.services
  if (!m || m.total < 2) return []
  const rows = serviceTableRows(m)
  const extra = serviceExtraColumns(rows)
  return [
    '## Services',
    '',
    `**${m.headline}**.`,
    '',
    `- ${serviceLine(m, 'migrated')} (${m.rule?.text ?? 'every endpoint in the port'}).`,
    `- ${serviceLine(m, 'partly')}.`,
    `- ${m.notStarted} of ${m.total} services not started.`,
    ...endpointLines(m).map((l) => (l.startsWith('  ') ? `  - ${l.trim()}` : `- ${l}`)),
    '',
    ...table(
      ['Service', 'Language', 'Port', 'Port service', 'Status', 'Ported', 'Ported %', ...extra.map((c) => c.title)],
      rows.map((r) => [
        cell(r.service),
        r.language,
        r.port,
        r.portService === '—' ? '—' : code(r.portService),
        r.status,
        r.ported,
        r.percent,
        ...extra.map((c) => cell(r[c.key] ?? '')),
      ]),
    ),
    '',
  ]
}

/** The page's Markdown. */
export function renderIndex(v: Vault): string {
  const { run } = v
  const title = `${v.baseline?.name ?? 'baseline'} → ${v.candidates.map((c) => c.name).join(', ') || 'no candidate'}`
  const basis = inventoryBasis(run)
  const out = [`# Migration: ${title}`, '', v.nav(), '']
  // What the figures rest on comes before any of them.
  out.push(
    `Inventory: ${basis.systems.map((s) => `${v.systemLink(s.name)} ${foundPhrase(s)}`).join(' · ')}.${basis.unresolved ? ` Coverage below is ${lowerBoundNote(basis)}.` : ''}`,
    '',
    '## Objectives',
    '',
  )
  for (const c of v.candidates) {
    const s = run.candidates[c.name]
    if (!s) continue
    out.push(
      `- Every baseline item of ${v.systemLink(v.baseline?.name ?? '')} present in ${v.systemLink(c.name)}: ${basis.unresolved ? 'at least ' : ''}**${pct(s.percent)}** (${s.ported + s.verified + s.divergent} of ${s.total}), status ${statusOf(s)}.`,
    )
    if (v.evidence) out.push(`- Every item of ${c.name} verified equivalent by dynamic evidence: **${pct(verifiedPercent(s) ?? 0)}**.`)
  }
  const all = run.assessment?.gates ?? []
  const gates = all.filter((g) => !g.objective)
  if (gates.length)
    for (const g of gates)
      out.push(
        `- Gate ${code(g.gate)}: ${g.passed ? 'passed' : '**failed**'}${g.actual === null ? ' (not measurable yet)' : ` (now ${g.display ?? formatGateValue(g.gate, g.actual)})`}. ${g.message}`,
      )
  else if (!all.length) out.push('- No gates configured: add `gates:` (or named `objectives:`) to the config to make these objectives a CI check.')
  out.push('')
  out.push(
    ...objectivesTable(
      v,
      all.filter((g) => g.objective),
    ),
  )

  out.push('## Systems', '')
  const kinds: [ItemKind, string][] = [
    ['route', 'Routes'],
    ['websocket', 'WebSocket'],
    ['sse', 'SSE'],
    ['service', 'Services'],
    ['capability', 'Capabilities'],
    ['table', 'Tables'],
  ]
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
        s.role === 'candidate' ? pct(run.candidates[s.name]?.percent ?? 0) : s.role === 'peer' ? '— (peer: not a port)' : '—',
      ]),
    ),
    '',
  )
  out.push(...servicesMarkdown(v))
  out.push(...statusMarkdown(run))

  out.push(
    '## Navigation',
    '',
    `- ${wikilink('Coverage')}: one row per component, by gap severity`,
    `- ${wikilink('Comparison')}: what exists, what is missing, route by route, and the verdict`,
    '',
    '### Components',
    '',
  )
  for (const c of run.components) {
    const s = v.componentSummary(c.name)
    out.push(`- ${v.componentLink(c.name)}: ${statusOf(s)}, ${pct(s?.percent ?? 0)}, gap severity ${v.gap(c.name)}`)
  }
  out.push('', '### Systems', '')
  for (const s of run.systems) out.push(`- ${v.systemLink(s.name)} (${s.role})`)
  out.push('')
  out.push(...trendMarkdown(v))
  return v.page({ title: `Migration: ${title}`, type: 'index', ...v.overall() }, ['index'], ['[[Coverage]]', '[[Comparison]]'], out)
}
