/** The trend (`#/trend`): ported % per stored run, charted and listed. */
import { trendChart } from '../charts.js'
import { fmtDate, pct } from '../format.js'
import { badge, esc } from '../html.js'
import type { LoadedRun } from '../state.js'

export function trendView(d: LoadedRun): string {
  const runs = d.history?.runs ? d.history.runs : []
  if (!runs.length) {
    return (
      '<main class="wrap" id="view-trend"><h2>Trend</h2><p class="note" id="trend-empty">No history yet. <code>parity run</code> keeps every run in ' +
      '<code>.parity/history.sqlite</code>; the chart of ported % per run appears here once runs are stored.</p></main>'
    )
  }
  const table =
    '<table class="list" id="trend-runs"><thead><tr><th>Run</th><th>Date</th><th>Commit</th>' +
    d.candidates.map((c) => `<th class="num">${esc(c)}</th>`).join('') +
    '<th>Ready</th></tr></thead><tbody>' +
    runs
      .slice()
      .reverse()
      .map(
        (r) =>
          '<tr' +
          (d.run.id && r.id === d.run.id ? ' class="current"' : '') +
          '><td><code>' +
          esc(r.id) +
          '</code></td><td>' +
          esc(fmtDate(r.startedAt)) +
          '</td>' +
          '<td>' +
          (r.commit ? `<code>${esc(r.commit.slice(0, 8))}</code>` : '') +
          (r.branch ? ` <span class="muted">${esc(r.branch)}</span>` : '') +
          '</td>' +
          d.candidates.map((c) => `<td class="num">${esc(pct(r.candidates?.[c]))}</td>`).join('') +
          '<td>' +
          (r.productionReady == null
            ? '<span class="muted">\u2014</span>'
            : r.productionReady
              ? badge('ported').replace('ported', 'yes')
              : '<span class="badge st-missing">no</span>') +
          '</td></tr>',
      )
      .join('') +
    '</tbody></table>'
  return (
    '<main class="wrap" id="view-trend"><h2>Trend <span class="muted small">ported % per run, ' +
    runs.length +
    ' runs</span></h2>' +
    '<div class="chart-box">' +
    trendChart(d, runs) +
    '</div>' +
    table +
    '</main>'
  )
}
