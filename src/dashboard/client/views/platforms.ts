/** The cross-platform matrix (RunResult.platforms): one row per item, which system has it, what all share, what only one has. */
import type { PlatformMatrix, PlatformRow } from '../../../model/run.js'
import { esc } from '../html.js'

/** A mark per system: ✓ (with the count when several items share the key, the port's own name when it differs), — when absent. */
function cell(row: PlatformRow, system: string): string {
  const n = row.count[system] || 0
  if (!n) return '<td class="muted">\u2014</td>'
  const as = row.as?.[system]
  return `<td>\u2713${n > 1 ? ` ${n}` : ''}${as?.length ? ` <span class="small">${esc(as.join(', '))}</span>` : ''}</td>`
}

/** The section, with `id` on its table; empty when the run has no matrix. */
export function platformsSection(m: PlatformMatrix | undefined, id: string): string {
  if (!m?.rows.length) return ''
  const baseline = m.systems.find((s) => s.role === 'baseline')
  const only = m.systems.map((s) => `only ${esc(s.name)}: ${m.only[s.name] || 0}`).join(' \u00b7 ')
  const others = m.systems
    .filter((s) => s.role !== 'baseline')
    .map((s) => `${esc(s.name)} (${s.role}) has ${m.withBaseline[s.name] || 0}`)
    .join(', ')
  return (
    '<h3>Platforms <span class="muted small">which system has each item; a peer is compared here only, never gated</span></h3>' +
    `<table class="list" id="${esc(id)}"><thead><tr><th>Item</th>` +
    m.systems.map((s) => `<th>${esc(s.name)} <span class="muted small">${s.role}</span></th>`).join('') +
    '</tr></thead><tbody>' +
    m.rows.map((r) => `<tr data-key="${esc(r.key)}"><td><code>${esc(r.display)}</code></td>${m.systems.map((s) => cell(r, s.name)).join('')}</tr>`).join('') +
    '</tbody></table>' +
    `<p class="small">Shared by all ${m.systems.length}: ${m.shared} \u00b7 ${only}</p>` +
    (baseline
      ? `<p class="small">Of ${esc(baseline.name)}'s ${m.baseline.rows} items, ${m.baseline.shared} are in every system (${m.baseline.percent}% shared); ${others}.</p>`
      : '')
  )
}
