/** One component (`#/component/<name>`): its coverage per candidate, its features, and each item side by side. */
import type { ItemHistory } from '../../../model/history.js'
import type { CandidateCell, Pair } from '../../../model/run.js'
import { fmtDate, pct } from '../format.js'
import { badge, bar, confirmedMark, displayItem, esc, source } from '../html.js'
import type { LoadedRun } from '../state.js'

export function componentView(d: LoadedRun, name: string): string {
  const run = d.run
  const comp = run.components.find((c) => c.name === name)
  if (!comp) {
    return `<main class="wrap" id="view-component"><h2>Unknown component</h2><p>No component named <code>${esc(name)}</code> in this run. <a href="#/matrix">Back to the matrix</a>.</p></main>`
  }
  const pairs = run.pairs.filter((p) => p.component === name)
  const cards = `<div class="comp-cards">${d.candidates
    .map((cand) => {
      const s = comp.candidates[cand]
      return (
        '<div class="mini" data-candidate="' +
        esc(cand) +
        '"><div class="mini-head">' +
        esc(cand) +
        '</div><div class="big"><span class="pct">' +
        esc(pct(s)) +
        '</span></div>' +
        bar(s) +
        '<div class="muted small">' +
        (s ? `${esc(s.ported + s.verified + s.divergent)} of ${esc(s.total)} ported \u00b7 ${esc(s.missing)} missing` : '') +
        '</div></div>'
      )
    })
    .join('')}</div>`
  const head =
    '<tr><th>Kind</th><th>Item</th><th>' +
    esc(d.baseline.name) +
    ' <span class="muted small">baseline</span></th>' +
    d.candidates.map((c) => `<th>${esc(c)}</th>`).join('') +
    '</tr>'
  const rows = pairs
    .map((p) => {
      const item = p.baseline || p.candidate
      const cells = d.candidates
        .map((cand) => {
          const cell = cellOf(p, cand)
          if (!cell) return `<td class="na" data-candidate="${esc(cand)}"><span class="muted">\u2014</span></td>`
          let extra = ''
          if (cell.candidate && p.baseline && cell.candidate.key !== p.baseline.key) extra += `<div class="small">as ${displayItem(cell.candidate)}</div>`
          if (cell.rule) extra += `<div class="small muted">map <code>${esc(cell.rule)}</code></div>`
          if (cell.status === 'excluded' && p.reason) extra += `<div class="small muted">${esc(p.reason)}</div>`
          if (cell.status === 'missing' && p.impact) extra += `<div class="small impact">${esc(p.impact)}</div>`
          const h = itemHistory(d, p.key, cand)
          if (h?.firstPorted) extra += `<div class="small muted">ported since ${esc(fmtDate(h.firstPorted.at))}</div>`
          return (
            '<td data-candidate="' +
            esc(cand) +
            '" data-status="' +
            esc(cell.status) +
            '">' +
            badge(cell.status) +
            (cell.candidate ? ` ${source(cell.candidate.source, d.systemByName.get(cand))}${confirmedMark(cell.candidate)}` : '') +
            extra +
            '</td>'
          )
        })
        .join('')
      return (
        '<tr class="item k-' +
        esc(p.kind) +
        '" data-key="' +
        esc(p.key) +
        '" data-kind="' +
        esc(p.kind) +
        '">' +
        '<td><span class="kind">' +
        esc(p.kind) +
        '</span></td><td>' +
        displayItem(item) +
        '</td>' +
        '<td>' +
        (p.baseline ? source(p.baseline.source, d.baseline) + confirmedMark(p.baseline) : '<span class="muted small">not in baseline</span>') +
        '</td>' +
        cells +
        '</tr>'
      )
    })
    .join('')
  return (
    '<main class="wrap" id="view-component"><p class="crumbs"><a href="#/matrix">Coverage matrix</a> \u203a ' +
    esc(name) +
    '</p>' +
    '<h2 id="component-name">' +
    esc(name) +
    ' <span class="muted small">' +
    pairs.length +
    ' items</span></h2>' +
    cards +
    featuresBlock(d, name) +
    '<table class="list items" id="items"><thead>' +
    head +
    '</thead><tbody>' +
    rows +
    '</tbody></table></main>'
  )
}

// The cell of a pair in one candidate: the matrix when there are several, else the pair itself.
function cellOf(pair: Pair, candidate: string): CandidateCell | null {
  const cell = pair.matrix?.[candidate]
  if (cell) return cell
  if (pair.candidateSystem === candidate) return { status: pair.status, candidate: pair.candidate, via: pair.via, rule: pair.rule }
  return null
}

function itemHistory(d: LoadedRun, key: string, candidate: string): ItemHistory | null {
  if (!d.history?.items) return null
  return d.history.items.find((h) => h.key === key && h.candidate === candidate) || null
}

const FEATURE_MARK: Record<string, string> = { verified: '\u2714\u2714', complete: '\u2714', partial: '\u25d0', missing: '\u2717' }

// The component's features (`parity features`): one checklist line per feature, a status per candidate.
function featuresBlock(d: LoadedRun, name: string): string {
  const features = (d.run.features || []).filter((f) => f.component === name)
  if (!features.length) return ''
  return `<section id="features"><h3>Features</h3><ul class="features">${features
    .map((f) => {
      const cells = d.candidates
        .map((cand) => {
          const x = f.candidates[cand]
          if (!x) return ''
          return (
            '<span class="feature-cell" data-candidate="' +
            esc(cand) +
            '" data-status="' +
            esc(x.status) +
            '">' +
            esc(cand) +
            ' ' +
            esc(FEATURE_MARK[x.status] || '') +
            ' ' +
            esc(x.status) +
            ' ' +
            esc(x.present) +
            '/' +
            esc(x.total) +
            (x.missing.length ? ` <span class="muted small">missing ${x.missing.map((k) => `<code>${esc(k)}</code>`).join(', ')}</span>` : '') +
            '</span>'
          )
        })
        .join(' \u00b7 ')
      return `<li class="feature" data-feature="${esc(f.name)}"><strong>${esc(f.name)}</strong> ${cells}</li>`
    })
    .join('')}</ul></section>`
}
