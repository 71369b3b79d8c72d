/**
 * `Components/<name>.md`: a component's figures per candidate, its features, every item with its
 * source on each side (and, with history, when it was first ported), what each candidate lacks, the
 * capabilities its files use that are missing, and the possible renames.
 */
import type { CapabilityItem } from '../../model/inventory.js'
import type { Pair } from '../../model/run.js'
import { migrationPath } from './coverage-page.js'
import { featuresMarkdown } from './features.js'
import { cellOf, display, MARK } from './items.js'
import { cell, code, pct, table } from './markup.js'
import { statusOf, verifiedPercent, type Vault } from './vault-context.js'

/** Where a candidate item is, or why it is not there. */
function candidateCell(v: Vault, p: Pair, c: string, depth: number): string {
  const x = cellOf(p, c)
  if (!x) return ''
  if (x.status === 'excluded') return `${MARK.excluded} excluded${p.reason ? `: ${cell(p.reason)}` : ''}`
  if (!x.candidate) return v.candidates.length > 1 ? `${MARK[x.status]} ${x.status}` : '—'
  const how =
    x.via === 'map'
      ? ` (map ${code(x.rule ?? '')})`
      : x.via === 'any-method'
        ? ' (any method)'
        : x.via === 'sole-service' || x.via === 'service-rename'
          ? ` (${cell(display(x.candidate))})`
          : x.via === 'naming' || x.via === 'join-table'
            ? ` (as ${code(display(x.candidate))}: ${x.via === 'naming' ? 'naming convention' : 'join table of the same tables'})`
            : ''
  // A column pair: how the candidate's type holds the baseline's values, and its foreign key where it differs.
  const cmp = x.column
  const fk = cmp?.foreignKey
  const types = cmp ? ` · ${cmp.compatibility}${cmp.compatibility === 'same' ? '' : ` ${code(`${cmp.baselineType} → ${cmp.candidateType}`)}`}` : ''
  const nullable = cmp?.nullable ? ` · ${cmp.nullable === 'loosened' ? 'accepts NULL' : 'NOT NULL'} in ${c}` : ''
  const key = !fk
    ? ''
    : !fk.candidate
      ? ' · no foreign key'
      : !fk.baseline
        ? ' · a foreign key only here'
        : [
            !fk.sameTarget ? 'another target' : '',
            !fk.sameOnDelete ? `ON DELETE ${fk.baseline.onDelete} → ${fk.candidate.onDelete}` : '',
            !fk.sameOnUpdate ? `ON UPDATE ${fk.baseline.onUpdate} → ${fk.candidate.onUpdate}` : '',
          ]
            .filter(Boolean)
            .map((d) => ` · ${d}`)
            .join('')
  const renamed = x.via === 'map' ? ` as ${code(display(x.candidate))}` : ''
  return `${MARK[x.status]} ${x.status}${renamed} ${v.source(c, x.candidate.source, depth)}${how}${types}${nullable}${key}`
}

/** Capabilities the baseline uses in the files where this component's baseline items are declared. */
function capabilitiesUsedBy(v: Vault, pairs: Pair[]): Pair[] {
  const files = new Set(pairs.filter((p) => p.baseline && p.kind !== 'capability').map((p) => p.baseline!.source.file))
  return v.run.pairs.filter((p) => p.kind === 'capability' && p.baseline && (p.baseline as CapabilityItem).evidence.some((e) => files.has(e.file)))
}

/** The page's Markdown. */
export function renderComponent(v: Vault, name: string): string {
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
        return [
          v.systemLink(c.name, true),
          statusOf(x),
          pct(x?.percent ?? 0),
          ...(v.evidence ? [pct(verifiedPercent(x) ?? 0)] : []),
          String((x?.ported ?? 0) + (x?.verified ?? 0)),
          String(x?.missing ?? 0),
          String(x?.divergent ?? 0),
          String(x?.excluded ?? 0),
          String(x?.extra ?? 0),
        ]
      }),
    ),
    '',
    `Migration path: ${migrationPath(v, pairs)}. Gap severity: **${v.gap(name)}**.`,
    '',
  )
  out.push(...featuresMarkdown(run, name))

  const itemHistory = new Map<string, { first?: string; changed: string }>()
  if (v.history && v.first)
    for (const i of v.history.items)
      if (i.candidate === v.first) itemHistory.set(i.key, { first: i.firstPorted?.at.slice(0, 10), changed: i.lastChanged.at.slice(0, 10) })
  out.push('## Items', '')
  const head = [
    'Status',
    'Kind',
    'Item',
    `Baseline (${v.baseline?.name ?? '?'})`,
    ...v.candidates.map((c) => c.name),
    ...(itemHistory.size ? (several ? [`First ported (${v.first})`, `Last changed (${v.first})`] : ['First ported', 'Last changed']) : []),
  ]
  const rows = pairs.map((p) => {
    const item = (p.baseline ?? p.candidate)!
    const status = p.baseline
      ? several
        ? v.candidates.map((c) => MARK[cellOf(p, c.name)?.status ?? 'missing']).join(' ')
        : `${MARK[p.status]} ${p.status}`
      : `${MARK.extra} extra in ${p.candidateSystem}`
    const h = itemHistory.get(p.key)
    return [
      status,
      p.kind,
      code(display(item)),
      p.baseline ? v.source(v.baseline?.name, p.baseline.source, 1) : '—',
      ...v.candidates.map((c) =>
        p.baseline ? candidateCell(v, p, c.name, 1) : p.candidateSystem === c.name ? `${MARK.extra} ${v.source(c.name, p.candidate?.source, 1)}` : '',
      ),
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

  const caps = (name === 'capabilities' ? pairs.filter((p) => p.kind === 'capability') : capabilitiesUsedBy(v, pairs)).filter((p) =>
    v.candidates.some((c) => cellOf(p, c.name)?.status === 'missing'),
  )
  out.push('## Missing capabilities', '')
  if (!caps.length) out.push(name === 'capabilities' ? 'None.' : 'None used by this component is missing.')
  for (const p of caps) {
    const cap = p.baseline as CapabilityItem
    const where = v.candidates.filter((c) => cellOf(p, c.name)?.status === 'missing').map((c) => c.name)
    out.push(
      `- **${cap.label}** (missing in ${where.join(', ')}): ${p.impact ?? cap.impact ?? ''} Used at ${cap.evidence
        .slice(0, 3)
        .map((e) => v.source(v.baseline?.name, e, 1))
        .join(', ')}.`,
    )
  }
  out.push('')
  const near = run.nearMisses.filter((n) => n.baseline.component === name)
  if (near.length) {
    out.push('## Possible renames', '', 'Not counted as ported: confirm with a `map` rule in the config.', '')
    for (const n of near)
      out.push(
        `- ${code(n.baseline.key)} ~ ${code(n.candidate.key)} in ${n.candidateSystem}: ${n.reason}. Rule: ${code(`{ from: "${n.suggestion.from}", to: "${n.suggestion.to}" }`)}`,
      )
    out.push('')
  }
  return v.page(
    {
      title: name,
      type: 'component',
      component: name,
      status: statusOf(s),
      coverage: s?.percent ?? 0,
      verified: v.evidence ? verifiedPercent(s) : undefined,
      gap_severity: v.gap(name),
      items: s?.total ?? 0,
      missing: s?.missing ?? 0,
    },
    ['component', `status/${statusOf(s)}`, `gap/${v.gap(name)}`],
    ['[[Index]]', '[[Coverage]]', '[[Comparison]]'],
    out,
  )
}
