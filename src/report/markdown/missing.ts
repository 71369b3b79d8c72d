/**
 * What the candidates lack, on the Comparison page: missing services, database tables not
 * implemented, columns missing from tables that exist, and missing capabilities with their impact.
 */
import type { CapabilityItem, Item, ItemKind } from '../../model/inventory.js'
import type { Pair } from '../../model/run.js'
import { cellOf, USE_WORDS } from './items.js'
import { cell, code, table } from './markup.js'
import type { Vault } from './vault-context.js'

/** Lines of the sections ("None." under a heading with nothing to list). */
export function missingMarkdown(v: Vault): string[] {
  const { run } = v
  const several = v.candidates.length > 1
  const out: string[] = []
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
    const tablesThere = new Set(
      run.pairs
        .filter((p) => p.kind === 'table' && p.baseline && cellOf(p, c.name)?.candidate)
        .map((p) => (p.baseline as Extract<Item, { kind: 'table' }>).name),
    )
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
          return [
            cell(cap.label),
            cap.category ?? '',
            v.candidates
              .filter((c) => cellOf(p, c.name)?.status === 'missing')
              .map((c) => {
                const short = cellOf(p, c.name)?.notPorted
                return short ? `${c.name} (not ported: ${USE_WORDS[short.level]} ${short.at.map((l) => `${l.file}:${l.line}`).join(', ')})` : c.name
              })
              .join(', '),
            cell(p.impact ?? cap.impact ?? ''),
            v.source(v.baseline?.name, cap.usage?.level === 'used' ? (cap.usage.at[0] ?? cap.source) : cap.source, 0),
          ]
        }),
      ),
      '',
    )
  }
  return out
}
