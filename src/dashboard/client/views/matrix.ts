/** The coverage matrix (`#/matrix`): ported % per component and candidate, sortable and filtered in place. */
import type { ComponentSummary, Summary } from '../../../model/run.js'
import { pct } from '../format.js'
import { bar, componentHref, componentStatus, esc } from '../html.js'
import type { ClientState, LoadedRun, MatrixState } from '../state.js'
import { platformsSection } from './platforms.js'

const STATUS_OPTIONS = [
  ['all', 'Any status'],
  ['complete', 'Complete (all there, none divergent)'],
  ['partial', 'Partial'],
  ['not-started', 'Not started (0%)'],
  ['empty', 'Nothing to port'],
]

export function matrixView(d: LoadedRun, m: MatrixState): string {
  return (
    '<main class="wrap" id="view-matrix"><h2>Coverage matrix <span class="muted small">ported % of baseline items, per component and candidate</span></h2>' +
    '<div class="toolbar"><input type="search" id="matrix-filter" placeholder="Filter components\u2026" aria-label="Filter components" value="' +
    esc(m.filter) +
    '">' +
    '<select id="matrix-status" aria-label="Status filter">' +
    STATUS_OPTIONS.map((o) => `<option value="${o[0]}"${m.status === o[0] ? ' selected' : ''}>${o[1]}</option>`).join('') +
    '</select>' +
    '<span class="legend">' +
    ['verified', 'ported', 'divergent'].map((s) => `<span class="swatch st-${s}"></span>${s}`).join(' ') +
    '</span></div>' +
    '<div id="matrix-holder">' +
    matrixTable(d, m) +
    '</div>' +
    platformsSection(d.run.platforms, 'platforms') +
    '</main>'
  )
}

/** Redraws the table alone, so the filter input keeps its focus. */
export function refreshMatrix(state: ClientState): void {
  const holder = document.getElementById('matrix-holder')
  if (holder && state.loaded) holder.innerHTML = matrixTable(state.loaded, state.matrix)
}

/** A second click on the sorted column reverses it. */
export function sortBy(state: ClientState, key: string): void {
  const m = state.matrix
  if (m.sort === key) m.dir = m.dir > 0 ? -1 : 1
  else {
    m.sort = key
    m.dir = 1
  }
  refreshMatrix(state)
}

function matrixRows(d: LoadedRun, m: MatrixState): ComponentSummary[] {
  const first = d.candidates[0]
  let rows = d.run.components.slice()
  const q = m.filter.trim().toLowerCase()
  if (q) rows = rows.filter((c) => c.name.toLowerCase().indexOf(q) >= 0)
  if (m.status !== 'all') {
    rows = rows.filter((c) => d.candidates.some((cand) => componentStatus(c.candidates[cand]) === m.status))
  }
  const key = m.sort
  const value = (c: ComponentSummary): string | number => {
    if (key === 'component') return c.name.toLowerCase()
    const firstSummary = first ? c.candidates[first] : undefined
    if (key === 'items') return firstSummary ? firstSummary.total : 0
    const s = c.candidates[key.slice('cand:'.length)]
    return s && s.total > 0 ? s.percent : -1
  }
  rows.sort((a, b) => {
    const va = value(a),
      vb = value(b)
    if (va < vb) return -m.dir
    if (va > vb) return m.dir
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0
  })
  return rows
}

function sortHeader(m: MatrixState, key: string, label: string, cls?: string): string {
  const active = m.sort === key
  const aria = active ? (m.dir > 0 ? 'ascending' : 'descending') : 'none'
  return (
    '<th class="sortable ' +
    (cls || '') +
    '" data-sort="' +
    esc(key) +
    '" aria-sort="' +
    aria +
    '" tabindex="0">' +
    esc(label) +
    ' <span class="arrow">' +
    (active ? (m.dir > 0 ? '\u25b2' : '\u25bc') : '\u21c5') +
    '</span></th>'
  )
}

function matrixTable(d: LoadedRun, m: MatrixState): string {
  const run = d.run
  const first = d.candidates[0]
  const rows = matrixRows(d, m)
  const body = rows
    .map((c) => {
      const firstSummary = first ? c.candidates[first] : undefined
      const total = firstSummary ? firstSummary.total : 0
      return (
        '<tr data-component="' +
        esc(c.name) +
        '"><th scope="row"><a href="' +
        componentHref(c.name) +
        '">' +
        esc(c.name) +
        '</a></th>' +
        '<td class="num items">' +
        esc(total) +
        '</td>' +
        d.candidates.map((cand) => matrixCell(cand, c.candidates[cand])).join('') +
        '</tr>'
      )
    })
    .join('')
  const foot =
    '<tr class="total"><th scope="row">All components</th><td class="num">' +
    esc(run.summary ? run.summary.total : '') +
    '</td>' +
    d.candidates.map((cand) => matrixCell(cand, run.candidates[cand])).join('') +
    '</tr>'
  return (
    '<table class="matrix" id="matrix"><thead><tr>' +
    sortHeader(m, 'component', 'Component') +
    sortHeader(m, 'items', 'Items', 'num') +
    d.candidates.map((cand) => sortHeader(m, `cand:${cand}`, cand)).join('') +
    '</tr></thead>' +
    '<tbody>' +
    (body || `<tr class="empty"><td colspan="${2 + d.candidates.length}" class="muted">No component matches.</td></tr>`) +
    '</tbody>' +
    '<tfoot>' +
    foot +
    '</tfoot></table>' +
    '<p class="muted small" id="matrix-count">' +
    rows.length +
    ' of ' +
    run.components.length +
    ' components</p>'
  )
}

/** One candidate's cell of a row: its status colour, share, what is missing and the bar. */
function matrixCell(cand: string, s: Summary | undefined): string {
  const st = componentStatus(s)
  return `<td class="cell cs-${st}" data-candidate="${esc(cand)}" data-status="${st}"><div class="cell-top"><span class="pct">${esc(pct(s))}</span>${s?.missing ? `<span class="miss">${esc(s.missing)} missing</span>` : ''}</div>${bar(s)}</td>`
}
