/**
 * The cross-platform matrix in the terminal (`parity diff` with a peer, `parity plan` with three
 * systems or more): one row per item, a mark per system, then what all share and what only one has.
 * A pure function of the RunResult's `platforms`.
 */
import { plural } from '../model/words.js'
import type { PlatformMatrix, PlatformRow } from '../model/run.js'
import { textTable } from './text-table.js'

/** Rows printed at most; the JSON, the HTML report and the vault's plan have them all. */
const MAX_ROWS = 60

/** `✓`, `✓ 13` for several items of the key, `✓ shop-rs` for a port under another name, `—` when absent. */
export function platformCell(row: PlatformRow, system: string): string {
  const n = row.count[system] ?? 0
  if (!n) return '—'
  const as = row.as?.[system]
  return `✓${n > 1 ? ` ${n}` : ''}${as?.length ? ` ${as.join(', ')}` : ''}`
}

/** The sentences under the matrix: shared by all, only in one (for every system), and the baseline's share. */
export function platformFigures(m: PlatformMatrix): string[] {
  const baseline = m.systems.find((s) => s.role === 'baseline')
  const lines = [
    `Shared by all ${m.systems.length}: ${plural(m.shared, 'item')} · ${m.systems.map((s) => `only ${s.name}: ${m.only[s.name] ?? 0}`).join(' · ')}`,
  ]
  if (baseline) {
    const others = m.systems
      .filter((s) => s.role !== 'baseline')
      .map((s) => `${s.name} (${s.role}) has ${m.withBaseline[s.name] ?? 0}`)
      .join(', ')
    lines.push(`Of ${baseline.name}'s ${m.baseline.rows} items, ${m.baseline.shared} are in every system (${m.baseline.percent}% shared); ${others}.`)
  }
  if (m.systems.some((s) => s.role === 'peer'))
    lines.push('A peer is a sister platform: what it shares with the baseline is a fact of the matrix, not a port; no gate is checked against it.')
  return lines
}

export function renderPlatformTable(m: PlatformMatrix): string[] {
  const names = m.systems.map((s) => s.name)
  const shown = m.rows.slice(0, MAX_ROWS)
  const out = [
    `Platforms: ${m.systems.map((s) => `${s.name} (${s.role})`).join(', ')}; ${plural(m.rows.length, 'item')} in all`,
    '',
    ...textTable(
      ['item', ...names],
      shown.map((r) => [r.display, ...names.map((n) => platformCell(r, n))]),
    ),
  ]
  if (m.rows.length > shown.length)
    out.push(`… ${m.rows.length - shown.length} more rows: every row is in --format json, the HTML report and the vault's Comparison page`)
  out.push('', ...platformFigures(m))
  return out
}
