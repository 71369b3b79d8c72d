/**
 * `Systems/<name>.md`: what was scanned, the figures of a candidate against the baseline, the
 * capability diagram and table, services, tables, components and diagnostics.
 */
import type { CapabilityItem, Item } from '../../model/inventory.js'
import type { SystemResult } from '../../model/run.js'
import { cellOf, MARK, USE_WORDS } from './items.js'
import { cell, code, pct, table } from './markup.js'
import { systemDiagram, systemItems } from './system-diagram.js'
import { gapOf, statusOf, type Vault } from './vault-context.js'

/** The page's Markdown. */
export function renderSystem(v: Vault, sys: SystemResult): string {
  if (sys.role === 'peer') return renderPeer(v, sys)
  const { run } = v
  const s = sys.role === 'candidate' ? run.candidates[sys.name] : undefined
  const out = [
    `# ${sys.name}`,
    '',
    `${sys.role === 'baseline' ? 'The baseline' : `A candidate, compared with the baseline ${v.baseline ? v.systemLink(v.baseline.name) : ''}`} · ${v.nav()}`,
    '',
  ]
  out.push(...scanned(sys))
  if (s)
    out.push(
      `- Coverage: **${pct(s.percent)}** of the baseline (${s.ported + s.verified + s.divergent} of ${s.total}; ${s.missing} missing, ${s.excluded} excluded, ${s.extra} extra), status ${statusOf(s)}, gap severity ${gapOf(s)}`,
    )
  out.push(
    '',
    '## Capabilities',
    '',
    sys.role === 'candidate' ? 'What it lacks compared with the baseline is marked `missing` (dashed, red).' : 'What the baseline does beyond its routes.',
    '',
    systemDiagram(v, sys),
    '',
  )

  const items = systemItems(v, sys)
  const caps = items.filter((x) => x.item.kind === 'capability')
  if (caps.length) {
    out.push(
      ...table(
        ['Capability', 'Category', 'Status', 'Use', 'Impact when missing', 'Evidence'],
        caps.map((x) => {
          const cap = x.item as CapabilityItem
          // The system's own use of it; for a capability it does not port, what it has of it (constructed only...).
          const notPorted = x.status === 'missing' && sys.role !== 'baseline' ? cellOf(x.pair, sys.name)?.notPorted : undefined
          const use = notPorted ?? (x.status === 'missing' ? undefined : cap.usage)
          return [
            cell(cap.label),
            cap.category ?? '',
            `${MARK[x.status]} ${x.status}`,
            use ? `${notPorted ? 'not ported: ' : ''}${USE_WORDS[use.level]} ${use.at[0] ? v.source(sys.name, use.at[0], 1) : ''}`.trim() : '',
            cell(cap.impact ?? x.pair.impact ?? ''),
            x.status === 'missing' ? `baseline ${v.source(v.baseline?.name, cap.source, 1)}` : v.source(sys.name, cap.source, 1),
          ]
        }),
      ),
      '',
    )
  }
  const services = items.filter((x) => x.item.kind === 'service')
  if (services.length) {
    out.push('## Services', '')
    for (const x of services) {
      const it = x.item as Extract<Item, { kind: 'service' }>
      out.push(
        `- ${code(it.name)} (${it.language}${it.framework ? `, ${it.framework}` : ''}${it.port ? `, port ${it.port}` : ''}): ${it.routes} routes, ${it.lines} lines${x.status === 'missing' ? ' — **missing**' : ''}`,
      )
    }
    out.push('')
  }
  const tables = items.filter((x) => x.item.kind === 'table')
  if (tables.length) {
    out.push('## Database tables', '')
    for (const x of tables)
      out.push(
        `- ${code((x.item as Extract<Item, { kind: 'table' }>).name)}${x.status === 'missing' ? ' — **missing**' : x.status === 'extra' ? ' (only here)' : ''}`,
      )
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
    for (const d of sys.diagnostics.slice(0, 30))
      out.push(`- ${d.level} ${code(d.code)}${d.file ? ` ${v.source(sys.name, { file: d.file, line: d.line ?? 1 }, 1)}` : ''}: ${d.message}`)
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
      gap_severity: s ? gapOf(s) : 'none',
      frameworks: sys.frameworks,
    },
    ['system', sys.role],
    ['[[Index]]', '[[Comparison]]'],
    out,
  )
}

/** What was scanned: the source, frameworks, files and items, one line each. */
function scanned(sys: SystemResult): string[] {
  return [
    `- Source: ${code(sys.source)} (${sys.sourceKind})`,
    `- Frameworks: ${sys.frameworks.join(', ') || 'none found'}`,
    `- Files: ${sys.stats.files} (${sys.stats.parsed} parsed), ${sys.stats.lines} lines`,
    `- Items: ${
      Object.entries(sys.items)
        .map(([k, n]) => `${n} ${k}`)
        .join(', ') || 'none'
    }`,
  ]
}

/** A peer's page: what was scanned, and from the matrix what it shares with the baseline and what only it has; no coverage, no gate. */
function renderPeer(v: Vault, sys: SystemResult): string {
  const m = v.run.platforms
  const base = v.baseline?.name
  const rows = m?.rows.filter((r) => r.in.includes(sys.name)) ?? []
  const shared = rows.filter((r) => base && r.in.includes(base))
  const own = rows.filter((r) => r.in.length === 1)
  const out = [
    `# ${sys.name}`,
    '',
    `A peer: a sister platform, compared with the baseline ${base ? v.systemLink(base) : ''} in the matrix only. It ports nothing, has no coverage figure and no gate is checked against it · ${v.nav()}`,
    '',
    ...scanned(sys),
    '',
  ]
  if (m && base) {
    out.push(`## Shared with ${base} (${shared.length} of its ${m.baseline.rows} items)`, '')
    for (const r of shared) out.push(`- ${code(r.display)}${r.in.length === m.systems.length ? ' (in every system)' : ''}`)
    out.push('', `## Only in ${sys.name} (${own.length})`, '')
    for (const r of own) out.push(`- ${code(r.display)}`)
    out.push('', 'The whole matrix: [[Comparison]], section Platforms.', '')
  }
  return v.page(
    { title: sys.name, type: 'system', role: sys.role, status: 'peer', frameworks: sys.frameworks },
    ['system', sys.role],
    ['[[Index]]', '[[Comparison]]'],
    out,
  )
}
