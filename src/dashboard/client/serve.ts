/**
 * Serve mode (`parity serve`): the runs fetched from the dashboard's API, the latest followed as new
 * runs are stored, and the progress of a `parity run` in flight in a banner.
 */
import type { LiveEvent, LiveSnapshot } from '../../model/dashboard.js'
import { fetchHistory, fetchInfo, fetchRun, fetchRuns, loadRun } from './data.js'
import { appRoot } from './dom.js'
import { esc } from './html.js'
import { render } from './router.js'
import type { ClientState, LiveState } from './state.js'
import { renderFirstRun } from './views/first-run.js'

/** Loads the stored run with `id` (or `latest`) and draws it; no runs yet draws the first-run page. */
export function loadServe(state: ClientState, id: string): Promise<void> {
  return Promise.all([fetchRuns(), fetchHistory()])
    .then(([runs, history]) => {
      state.serve.runs = runs
      if (!runs.length) {
        state.loaded = null
        renderFirstRun(state)
        return
      }
      return fetchRun(id || 'latest').then((run) => {
        state.loaded = loadRun({ run, history })
        render(state)
      })
    })
    .catch((e: Error) => {
      appRoot().innerHTML = `<main class="wrap"><h2>Cannot load the run</h2><p class="bad">${esc(e.message)}</p></main>`
    })
}

export function startServe(state: ClientState): void {
  fetchInfo()
    .then(
      (info) => {
        state.serve.info = info
      },
      () => {},
    )
    .then(() => loadServe(state, 'latest'))
    .then(() => {
      if (!window.EventSource) return
      const source = new EventSource('/api/events')
      source.addEventListener('progress', (m) => {
        try {
          onLive(state, JSON.parse(m.data) as LiveEvent | LiveSnapshot)
        } catch {
          /* a torn event */
        }
      })
      source.addEventListener('latest', (m) => {
        let id: string | null = null
        try {
          id = (JSON.parse(m.data) as { id: string | null }).id
        } catch {
          /* a torn event */
        }
        if (id && !state.serve.pinned && (!state.loaded || state.loaded.run.id !== id)) void loadServe(state, 'latest')
      })
      source.addEventListener('run', () => {
        if (state.serve.pinned)
          void fetchRuns().then((runs) => {
            state.serve.runs = runs
            render(state)
          })
        else void loadServe(state, 'latest')
      })
    })
}

function onLive(state: ClientState, e: LiveEvent | LiveSnapshot): void {
  if (e.type === 'end') {
    state.live = null
    liveBanner(null)
    return
  }
  if (e.type === 'state') state.live = { stage: e.stage, progress: e.progress }
  else if (e.type === 'start') state.live = { stage: null, progress: null }
  else if (e.type === 'stage') state.live = { stage: e.stage, progress: null }
  else if (e.type === 'progress') state.live = { stage: state.live?.stage ?? null, progress: e }
  liveBanner(state.live)
}

// The live banner sits outside #app, so views re-render under it.
function liveBanner(live: LiveState | null): void {
  let el = document.getElementById('live-banner')
  if (!el) {
    el = document.createElement('div')
    el.id = 'live-banner'
    el.className = 'live-banner'
    el.setAttribute('role', 'status')
    el.setAttribute('aria-live', 'polite')
    document.body.insertBefore(el, document.getElementById('app'))
  }
  if (!live) {
    el.hidden = true
    el.innerHTML = ''
    return
  }
  const p = live.progress
  const pctDone = p && p.total > 0 ? Math.round((100 * p.done) / p.total) : null
  el.hidden = false
  el.innerHTML =
    '<div class="wrap"><span class="pulse" aria-hidden="true"></span> <strong>parity run in progress</strong>: <span id="live-stage">' +
    esc(live.stage || 'starting') +
    '</span>' +
    (p
      ? ` <span class="live-bar" aria-hidden="true"><span style="width:${pctDone == null ? 0 : pctDone}%"></span></span> <span id="live-count">${esc(`${p.done}/${p.total}${p.label ? ` ${p.label}` : ''}`)}</span>`
      : '') +
    '</div>'
}
