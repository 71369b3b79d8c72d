/** The page header: the systems compared, the run's date and commit, the run picker, the tabs. */
import { fmtDate } from '../format.js'
import { esc } from '../html.js'
import type { Route } from '../route.js'
import { hasBehaviour, hasBench, hasMcp, hasScorecard } from '../run-facts.js'
import type { ClientState, LoadedRun } from '../state.js'

export function header(d: LoadedRun, state: ClientState, route: Route): string {
  const run = d.run
  const tabs: Array<[string, string, string]> = [
    ['overview', '#/', 'Overview'],
    ['matrix', '#/matrix', 'Coverage matrix'],
  ]
  if (hasBehaviour(run)) tabs.push(['behaviour', '#/behaviour', 'Behaviour'])
  if (hasBench(run)) tabs.push(['performance', '#/performance', 'Performance'])
  if (hasMcp(run)) tabs.push(['mcp', '#/mcp', 'MCP'])
  if (run.plan) tabs.push(['plan', '#/plan', 'Plan'])
  if (hasScorecard(run)) tabs.push(['scorecard', '#/scorecard', 'Scorecard'])
  tabs.push(['trend', '#/trend', 'Trend'])
  const git = run.git && (run.git.branch || run.git.commit) ? ` \u00b7 ${esc([run.git.branch, run.git.commit?.slice(0, 8)].filter(Boolean).join(' @ '))}` : ''
  return (
    '<header class="top"><div class="wrap">' +
    '<div class="brand"><span class="logo">\u2261</span> parity</div>' +
    '<div class="title"><strong>' +
    esc(d.baseline.name) +
    '</strong> <span class="muted">vs</span> ' +
    d.candidates.map((c) => `<strong>${esc(c)}</strong>`).join(', ') +
    '</div>' +
    '<div class="meta muted">' +
    esc(fmtDate(run.startedAt)) +
    git +
    '</div>' +
    runPicker(d, state) +
    '<nav>' +
    tabs
      .map((t) => {
        const active = route.view === t[0] || (t[0] === 'matrix' && route.view === 'component')
        return `<a href="${t[1]}" class="${active ? 'active' : ''}">${t[2]}</a>`
      })
      .join('') +
    '</nav></div></header>'
  )
}

/** Serve mode: the stored runs, newest first, `latest` unless one was picked. */
function runPicker(d: LoadedRun, state: ClientState): string {
  const serve = state.serve
  if (!serve.on || !serve.runs.length) return ''
  const current = d.run.id
  return (
    '<label class="picker small">Run <select id="run-picker" aria-label="Stored run">' +
    '<option value="latest"' +
    (!serve.pinned ? ' selected' : '') +
    '>latest</option>' +
    serve.runs
      .slice()
      .reverse()
      .map((r) => {
        const first = Object.keys(r.percents || {})[0]
        const label =
          fmtDate(r.startedAt) +
          (r.commit ? ` \u00b7 ${r.commit.slice(0, 7)}` : '') +
          (first ? ` \u00b7 ${r.percents[first]!.ported}%` : '') +
          ' \u00b7 ' +
          (r.verdict === 'production-ready' ? 'ready' : r.verdict === 'not-ready' ? 'not ready' : 'no gates')
        return `<option value="${esc(r.id)}"${serve.pinned && r.id === current ? ' selected' : ''}>${esc(label)}</option>`
      })
      .join('') +
    '</select></label>'
  )
}
