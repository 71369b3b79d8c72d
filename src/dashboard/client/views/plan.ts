/** The plan (`#/plan`, from `parity plan`): components ranked by priority then risk, with the reasons. */
import { componentHref, esc } from '../html.js'
import type { LoadedRun } from '../state.js'
import { platformsSection } from './platforms.js'

export function planView(d: LoadedRun): string {
  const plan = d.run.plan
  if (!plan) return '<main class="wrap" id="view-plan"><h2>Plan</h2><p class="muted">No plan in this run: run <code>parity plan</code>.</p></main>'
  const entries = plan.entries || []
  let html = '<main class="wrap" id="view-plan"><h2>Plan <span class="muted small">what to port next, by priority then risk</span></h2>'
  const first = entries[0]
  if (!first) html += `<p>Nothing left to port: every component is fully ported in ${esc(d.candidates[0] || 'the candidate')}.</p>`
  else {
    html +=
      '<p class="small muted">Effort in person-days: <code>' +
      esc(first.effortFormula) +
      '</code>.</p>' +
      '<table class="list" id="plan-table"><thead><tr><th class="num">#</th><th>Component</th><th class="num">Ported</th><th>Priority</th><th>Risk</th><th class="num">Effort</th><th>Suggestion</th><th>Why</th></tr></thead><tbody>' +
      entries
        .map((e) => {
          const why = e.factors
            .filter((f) => f.contribution > 0)
            .sort((a, b) => b.contribution - a.contribution)
            .map((f) => `<li title="${esc(`${f.name}: ${f.value} \u00d7 ${f.weight} \u2192 ${f.contribution}`)}">${esc(f.reason)}</li>`)
            .join('')
          const s = e.suggestion
          return (
            '<tr class="plan-row" data-component="' +
            esc(e.component) +
            '"><td class="num">' +
            e.rank +
            '</td><td><a href="' +
            componentHref(e.component) +
            '">' +
            esc(e.component) +
            '</a></td>' +
            '<td class="num">' +
            e.ported +
            '%</td><td>' +
            esc(e.priority) +
            ' <span class="muted small">' +
            e.priorityScore +
            '</span></td>' +
            '<td>' +
            esc(e.risk) +
            ' <span class="muted small">' +
            e.riskScore +
            '</span></td><td class="num">' +
            e.effortDays +
            ' d</td>' +
            '<td>' +
            (s ? `<strong>${esc(s.language)}</strong> <span class="small">${esc(s.reason)}</span> <code class="small">${esc(s.rule)}</code>` : '\u2014') +
            '</td>' +
            '<td><ul class="small">' +
            (why || '<li>\u2014</li>') +
            '</ul></td></tr>'
          )
        })
        .join('') +
      '</tbody></table>'
  }
  // The per-item matrix of the run (the plan's per-component one is superseded by it).
  html += platformsSection(d.run.platforms, 'plan-platforms')
  return `${html}</main>`
}
