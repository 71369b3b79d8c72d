/** Draws the view of the current hash route, under the header and above the footer. */
import { appRoot } from './dom.js'
import { esc } from './html.js'
import { parseRoute, type Route } from './route.js'
import type { ClientState, LoadedRun } from './state.js'
import { behaviourView } from './views/behaviour.js'
import { componentView } from './views/component.js'
import { renderFirstRun } from './views/first-run.js'
import { header } from './views/header.js'
import { matrixView } from './views/matrix.js'
import { mcpView } from './views/mcp.js'
import { overview } from './views/overview.js'
import { performanceView } from './views/performance.js'
import { planView } from './views/plan.js'
import { scorecardView } from './views/scorecard.js'
import { trendView } from './views/trend.js'

function viewBody(d: LoadedRun, state: ClientState, route: Route): string {
  switch (route.view) {
    case 'matrix':
      return matrixView(d, state.matrix)
    case 'component':
      return componentView(d, route.name)
    case 'trend':
      return trendView(d)
    case 'behaviour':
      return behaviourView(d, state)
    case 'performance':
      return performanceView(d)
    case 'mcp':
      return mcpView(d)
    case 'plan':
      return planView(d)
    case 'scorecard':
      return scorecardView(d)
    default:
      return overview(d)
  }
}

export function render(state: ClientState): void {
  const d = state.loaded
  if (!d) {
    renderFirstRun(state)
    return
  }
  const run = d.run
  const route = parseRoute(location.hash)
  const body = viewBody(d, state, route)
  appRoot().innerHTML =
    header(d, state, route) +
    body +
    '<footer class="wrap muted small">parity ' +
    esc(run.tool.version) +
    ' \u00b7 ' +
    esc(run.schema) +
    (run.config ? ` \u00b7 ${esc(run.config)}` : '') +
    '</footer>'
  document.title = `parity: ${d.baseline.name} vs ${d.candidates.join(', ')}${route.view === 'component' ? ` \u00b7 ${route.name}` : ''}`
}
