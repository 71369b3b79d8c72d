/**
 * parity's browser client: draws the report from the RunResult (and History) embedded in the page,
 * or fetched from `parity serve`. Shared by the single-file HTML report and the live dashboard, with
 * no dependency and, in the report, no network access. It displays the figures of the RunResult and
 * never recomputes statuses. Handlers are delegated from the document: no inline handler, so the
 * dashboard's CSP holds.
 */
import { loadRun, readEmbedded } from './data.js'
import { closestTo } from './dom.js'
import { render } from './router.js'
import { loadServe, startServe } from './serve.js'
import { createState } from './state.js'
import { acceptDifference, refreshRoutes, showCause, toggleRoute } from './views/behaviour.js'
import { refreshMatrix, sortBy } from './views/matrix.js'

const state = createState()

const activates = (e: KeyboardEvent) => e.key === 'Enter' || e.key === ' '

document.addEventListener('click', (e) => {
  const acceptBtn = closestTo(e.target, 'button.accept-btn')
  if (acceptBtn instanceof HTMLButtonElement) {
    acceptDifference(state, acceptBtn)
    return
  }
  const causeLink = closestTo(e.target, 'a.cause-link')
  if (causeLink) {
    e.preventDefault()
    showCause(state, causeLink.getAttribute('data-cause') || '')
    return
  }
  const th = closestTo(e.target, 'th[data-sort]')
  if (th) sortBy(state, th.getAttribute('data-sort') || '')
  const row = closestTo(e.target, 'tr.route.expandable')
  if (row) toggleRoute(state, row)
})
document.addEventListener('keydown', (e) => {
  const th = closestTo(e.target, 'th[data-sort]')
  if (th && activates(e)) {
    e.preventDefault()
    sortBy(state, th.getAttribute('data-sort') || '')
  }
  const row = e.target instanceof Element && e.target.matches('tr.route.expandable') ? e.target : null
  if (row && activates(e)) {
    e.preventDefault()
    toggleRoute(state, row)
  }
})
document.addEventListener('input', (e) => {
  if (e.target instanceof HTMLInputElement && e.target.id === 'matrix-filter') {
    state.matrix.filter = e.target.value
    refreshMatrix(state)
  }
})
document.addEventListener('change', (e) => {
  const t = e.target
  if (!(t instanceof HTMLSelectElement)) return
  if (t.id === 'matrix-status') {
    state.matrix.status = t.value
    refreshMatrix(state)
  }
  if (t.id === 'routes-status') {
    state.behaviour.status = t.value
    refreshRoutes(state)
  }
  if (t.id === 'run-picker') {
    state.serve.pinned = t.value !== 'latest'
    void loadServe(state, t.value)
  }
})
window.addEventListener('hashchange', () => {
  render(state)
  window.scrollTo(0, 0)
})

const embedded = readEmbedded()
if (embedded) {
  state.loaded = loadRun(embedded)
  render(state)
} else {
  state.serve.on = true
  startServe(state)
}
