/** The scorecard (`#/scorecard`): quality figures per system, read from the teams' own artifacts. */
import type { ScoreFigure, Scorecard } from '../../../model/scorecard.js'
import { fmtInt } from '../format.js'
import { esc, text } from '../html.js'
import { hasScorecard, scorecardProblems } from '../run-facts.js'
import type { LoadedRun } from '../state.js'

const SCORE_LABEL: Record<string, string> = {
  testCoverage: 'Test coverage',
  typeCoverage: 'Type coverage',
  criticalVulnerabilities: 'Critical vulnerabilities',
  highVulnerabilities: 'High vulnerabilities',
  vulnerabilities: 'Vulnerabilities',
  apiDocumented: 'API documented',
  bundleRaw: 'Bundle (raw)',
  bundleGzip: 'Bundle (gzip)',
}

export function scorecardView(d: LoadedRun): string {
  const scorecards = d.run.scorecards || []
  if (!hasScorecard(d.run))
    return '<main class="wrap" id="view-scorecard"><h2>Scorecard</h2><p class="muted">No scorecard in this run: give a system a <code>scorecard</code> block (coverage, audit, openapi, bundle) and run <code>parity scorecard</code>.</p></main>'
  const systems = scorecards.map((c) => c.system)
  const metrics = scoreMetrics(scorecards)
  let html = '<main class="wrap" id="view-scorecard"><h2>Scorecard <span class="muted small">read from each system\'s own artifacts</span></h2>'
  if (metrics.length) {
    html +=
      '<table class="list" id="scorecard-table"><thead><tr><th>Metric</th>' +
      systems.map((n) => `<th class="num">${esc(n)}</th>`).join('') +
      '</tr></thead><tbody>' +
      metrics
        .map(
          (m) =>
            `<tr data-metric="${esc(m)}"><td>${esc(SCORE_LABEL[m] || m)} <code class="small">${esc(m)}</code></td>${systems
              .map((n) => {
                const f = scoreFigure(scorecards, n, m)
                if (!f) return `<td class="num muted" data-system="${esc(n)}">\u2014</td>`
                return (
                  '<td class="num" data-system="' +
                  esc(n) +
                  '" title="' +
                  esc(`${f.detail ? `${f.detail} \u00b7 ` : ''}from ${f.source}`) +
                  '"><b>' +
                  esc(fmtFigure(f)) +
                  '</b>' +
                  '<div class="small muted">' +
                  esc(f.detail || '') +
                  '</div><div class="small muted"><code>' +
                  esc(f.source) +
                  '</code></div></td>'
                )
              })
              .join('')}</tr>`,
        )
        .join('') +
      '</tbody></table>'
  } else html += '<p class="muted">No figure could be read.</p>'
  const problems = scorecardProblems(scorecards)
  if (problems.length) {
    html +=
      '<h3>Problems <span class="muted small">' +
      problems.length +
      ' artifact' +
      (problems.length === 1 ? '' : 's') +
      ' not read; the rest stands</span></h3><ul id="scorecard-problems">' +
      problems
        .map(
          (r) =>
            `<li data-system="${esc(r.system)}"><strong>${esc(r.system)}</strong> <code>${esc(r.p.source)}</code>: ${text(r.p.message)}<br><span class="small muted">hint: ${text(r.p.hint)}</span></li>`,
        )
        .join('') +
      '</ul>'
  }
  return `${html}</main>`
}

/** The overview's card: the figures of each system in one line, and how many artifacts did not read. */
export function scorecardCard(d: LoadedRun): string {
  const scorecards = d.run.scorecards || []
  const problems = scorecardProblems(scorecards)
  return (
    '<article class="card" id="scorecard-card"><h3><a href="#/scorecard">Scorecard</a></h3><ul class="small">' +
    scorecards
      .map(
        (c) =>
          `<li data-system="${esc(c.system)}"><strong>${esc(c.system)}</strong> ${
            c.figures.length
              ? c.figures.map((f) => `${esc((SCORE_LABEL[f.metric] || f.metric).toLowerCase())} <b>${esc(fmtFigure(f))}</b>`).join(', ')
              : '<span class="muted">no figure</span>'
          }</li>`,
      )
      .join('') +
    '</ul>' +
    (problems.length
      ? `<p class="small warn-text">${problems.length} artifact${problems.length === 1 ? '' : 's'} not read: <a href="#/scorecard">see why</a></p>`
      : '') +
    '</article>'
  )
}

function fmtFigure(f: ScoreFigure): string {
  if (f.unit === 'ratio') return `${Math.round(f.value * 1000) / 10}%`
  if (f.unit === 'bytes')
    return f.value >= 1024 * 1024
      ? `${(f.value / 1024 / 1024).toFixed(2)} MiB`
      : f.value >= 1024
        ? `${(f.value / 1024).toFixed(1)} KiB`
        : `${fmtInt(f.value)} B`
  return fmtInt(f.value)
}

// Metrics over every system, in the order of SCORE_LABEL (unknown ones last).
function scoreMetrics(scorecards: Scorecard[]): string[] {
  const metrics: string[] = []
  scorecards.forEach((c) => {
    c.figures.forEach((f) => {
      if (metrics.indexOf(f.metric) < 0) metrics.push(f.metric)
    })
  })
  const order = Object.keys(SCORE_LABEL)
  const rank = (m: string) => {
    const i = order.indexOf(m)
    return i < 0 ? order.length : i
  }
  return metrics.sort((a, b) => rank(a) - rank(b))
}

function scoreFigure(scorecards: Scorecard[], system: string, metric: string): ScoreFigure | null {
  const card = scorecards.find((c) => c.system === system)
  return card ? card.figures.find((f) => f.metric === metric) || null : null
}
