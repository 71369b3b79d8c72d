/**
 * `Coverage.md`: one row per component, most urgent first, with its status, ported and verified
 * share per candidate and its migration path; the totals; how to read the figures; the trend.
 */
import { GAP_SEVERITIES } from '../../assess/gap.js'
import { isEndpoint, type Item } from '../../model/inventory.js'
import type { Pair } from '../../model/run.js'
import { cellOf } from './items.js'
import { cell, pct, table } from './markup.js'
import { trendMarkdown } from './trend.js'
import { statusOf, verifiedPercent, type Vault } from './vault-context.js'

/** `express, ws → axum` for the items of a component. */
export function migrationPath(v: Vault, pairs: Pair[]): string {
  const fw = (items: (Item | null | undefined)[]) => {
    const set = new Set<string>()
    for (const i of items)
      if (i && isEndpoint(i)) set.add(i.framework)
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

/** The page's Markdown. */
export function renderCoverage(v: Vault): string {
  const { run } = v
  const several = v.candidates.length > 1
  const rows = run.components.map((c) => ({ name: c.name, s: v.componentSummary(c.name) }))
  rows.sort((a, b) => GAP_SEVERITIES.indexOf(v.gap(a.name)) - GAP_SEVERITIES.indexOf(v.gap(b.name)) || a.name.localeCompare(b.name))
  const perCandidate = (label: string) => (several ? v.candidates.map((c) => `${label} (${c.name})`) : [label])
  const head = [
    'Component',
    'Gap severity',
    ...perCandidate('Status'),
    ...perCandidate('Ported %'),
    ...(v.evidence ? perCandidate('Verified %') : []),
    'Items',
    'Migration path',
  ]
  const body = rows.map(({ name, s }) => {
    const sums = v.candidates.map((c) => v.componentSummary(name, c.name))
    return [
      v.componentLink(name, true),
      v.gap(name),
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
    v.gap(),
    ...totals.map((x) => `**${statusOf(x)}**`),
    ...totals.map((x) => `**${pct(x?.percent ?? 0)}**`),
    ...(v.evidence ? totals.map((x) => `**${pct(verifiedPercent(x) ?? 0)}**`) : []),
    String(run.summary.total),
    cell(`${v.baseline?.frameworks.join(', ') ?? '?'} → ${v.candidates.map((c) => c.frameworks.join(', ') || c.name).join(' / ')}`),
  ])
  const out = ['# Coverage', '', v.nav(), '']
  out.push(
    `Baseline ${v.baseline ? v.systemLink(v.baseline.name) : '?'}; candidates ${v.candidates.map((c) => v.systemLink(c.name)).join(', ')}. Scanned ${run.startedAt}.`,
    '',
  )
  out.push(...table(head, body), '')
  out.push(
    '## How to read this page',
    '',
    '- **Ported %**: baseline items present in the candidate (ported, verified or divergent) over baseline items not excluded; columns are not counted, they follow their tables.',
    v.evidence
      ? '- **Verified %**: baseline items exercised by replay or end-to-end tests and found equivalent.'
      : '- **Verified %** appears once replay or end-to-end evidence exists.',
    '- **Status**: `complete` when nothing is missing or divergent, `not-started` when no item is present yet, `partial` otherwise, `excluded` when every item is excluded by a rule.',
    `- **Gap severity**${several ? ' (the most severe over the candidates)' : ''}: \`critical\` when a whole capability, a WebSocket or SSE endpoint, a service or a table is missing; \`high\` below 50% ported or with divergent items; \`medium\` below 90%; \`low\` from 90%; \`none\` when complete. It grades what is missing now; what to port next is the plan's priority (\`parity plan\`, on the Comparison page when the run has a plan).`,
    '',
  )
  out.push(...trendMarkdown(v))
  return v.page({ title: 'Coverage', type: 'coverage', ...v.overall() }, ['coverage'], ['[[Index]]', '[[Comparison]]'], out)
}
