/** The overview's objectives: the config's named gates, their value now and over the stored runs. */
import type { GateResult } from '../../../model/run.js'
import { sparklineSvg } from '../charts.js'
import { gateValue } from '../format.js'
import { esc, text } from '../html.js'
import type { LoadedRun } from '../state.js'

export function objectivesBlock(d: LoadedRun): string {
  const list = d.run.assessment ? d.run.assessment.gates.filter((g) => g.objective) : []
  if (!list.length) return ''
  return (
    '<section id="objectives"><h2>Objectives</h2><table class="list" id="objectives-table"><thead><tr><th>Objective</th><th>Gate</th><th class="num">Now</th><th>Result</th><th>Trend</th><th>Why</th></tr></thead><tbody>' +
    list
      .map((g) => {
        const series = objectiveSeries(d, g)
        return (
          '<tr class="objective" data-objective="' +
          esc(g.objective) +
          '" data-passed="' +
          (g.passed ? 'true' : 'false') +
          '" data-values="' +
          esc(JSON.stringify(series)) +
          '">' +
          '<td><strong>' +
          esc(g.objective) +
          '</strong></td><td><code>' +
          esc(g.gate) +
          '</code></td>' +
          '<td class="num" title="' +
          esc(g.message) +
          '">' +
          esc(g.actual == null ? 'not measured' : gateValue(g)) +
          '</td>' +
          '<td>' +
          (g.passed ? '<span class="badge st-ported">pass</span>' : '<span class="badge st-missing">fail</span>') +
          '</td>' +
          '<td>' +
          sparklineSvg(series, g.passed) +
          '</td><td class="small">' +
          text(g.why || '') +
          '</td></tr>'
        )
      })
      .join('') +
    '</tbody></table></section>'
  )
}

// An objective's value per stored run, oldest first; a run not stored ends the series with this run's value.
function objectiveSeries(d: LoadedRun, g: GateResult): Array<number | null> {
  const runs = d.history?.runs ? d.history.runs : []
  const values = runs.map((r) => {
    const v = r.objectives && g.objective !== undefined ? r.objectives[g.objective] : null
    return v == null ? null : v
  })
  const stored = runs.some((r) => r.id === d.run.id)
  return stored ? values : values.concat([g.actual == null ? null : g.actual])
}
