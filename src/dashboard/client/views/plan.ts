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
  const rankOf = new Map(entries.map((e) => [e.component, e.rank]))
  const candidates = plan.candidates || []
  if (candidates.length)
    html +=
      '<h3>Left per candidate <span class="muted small">in rank order</span></h3><ul id="plan-candidates">' +
      candidates
        .map(
          (c) =>
            `<li><strong>${esc(c.name)}</strong>${c.language ? ` (${esc(c.language)})` : ''}: ` +
            (c.migrated !== undefined ? `${c.migrated} migrated, ${c.partly ?? 0} partly; ` : '') +
            (c.next.length
              ? `left ${c.next.length}, ${c.endpointsLeft} endpoints: ${c.next.map((n) => `${rankOf.get(n)}. ${esc(n)}`).join(', ')}`
              : 'nothing left') +
            '</li>',
        )
        .join('') +
      '</ul>'
  const packages = plan.packages || []
  if (packages.length)
    html +=
      '<h3>Packages without routes</h3><table class="list" id="plan-packages"><thead><tr><th>Package</th><th>Kind</th><th>Folder</th><th>Recommendation</th><th>Used by</th><th>Calls</th></tr></thead><tbody>' +
      packages
        .map(
          (p) =>
            `<tr><td>${esc(p.name)}</td><td>${esc(p.kind)}</td><td><code>${esc(p.root)}</code></td>` +
            `<td><strong>${p.suggestion.language === 'keep' ? 'keep in TypeScript' : esc(p.suggestion.language)}</strong> <span class="small">${esc(p.suggestion.reason)}</span> <code class="small">${esc(p.suggestion.rule)}</code></td>` +
            `<td>${esc(p.usedBy.join(', ') || '\u2014')}</td><td>${esc(p.calls.join(', ') || '\u2014')}</td></tr>`,
        )
        .join('') +
      '</tbody></table>'
  // The per-item matrix of the run (the plan's per-component one is superseded by it).
  html += platformsSection(d.run.platforms, 'plan-platforms')
  return `${html}</main>`
}
