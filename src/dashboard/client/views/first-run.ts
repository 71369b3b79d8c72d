/** Serve mode before any run is stored: what to run, and where the runs will be kept. */
import { appRoot } from '../dom.js'
import { esc } from '../html.js'
import type { ClientState } from '../state.js'

export function renderFirstRun(state: ClientState): void {
  const info = state.serve.info
  appRoot().innerHTML =
    '<header class="top"><div class="wrap"><div class="brand"><span class="logo">\u2261</span> parity</div></div></header>' +
    '<main class="wrap" id="view-first-run"><h2>No runs yet</h2><p class="note">No runs yet: run <code>parity run</code>' +
    (info?.config ? ` with <code>${esc(info.config)}</code>` : '') +
    '. Each run is stored in <code>' +
    esc(info?.historyFile || '.parity/history.sqlite') +
    '</code> and appears here by itself.</p>' +
    '<p class="muted small">Then this page shows the verdict, the coverage matrix, the behaviour diffs, the performance and the trend.</p></main>'
  document.title = 'parity: no runs yet'
}
