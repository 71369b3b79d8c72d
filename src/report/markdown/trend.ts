/**
 * The "## Trend" section of the Index, Coverage and Comparison pages: the stored runs, the change
 * since the previous one, and the items whose status changed in the last run.
 */
import { cell, code, pct, table } from './markup.js'
import { verifiedPercent, type Vault } from './vault-context.js'

const round1 = (n: number) => Math.round(n * 10) / 10

/** Lines of the section; empty without history. */
export function trendMarkdown(v: Vault): string[] {
  const h = v.history
  if (!h) return []
  const out = ['## Trend', '']
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
