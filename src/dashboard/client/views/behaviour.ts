/**
 * Behaviour (`#/behaviour`): per-route evidence from replay, a divergent route opened on both answers
 * side by side (and accepted from the dashboard), the learned noise, and the end-to-end suite.
 */
import type { ConsequenceCause, Difference, DifferenceGroup, IgnoreRule, RouteEvidence } from '../../../model/exchange.js'
import { orderByCause, shapeLabel } from '../../../model/route-causes.js'
import { postAccept } from '../data.js'
import { badge, esc, routeLabel, text } from '../html.js'
import { OUTCOME_LABEL, OUTCOME_ORDER, ROUTE_STATUSES, routeCounts, routeFinding, testCounts, testOutcome, type TestOutcome } from '../run-facts.js'
import type { ClientState, LoadedRun } from '../state.js'
import { answerBlock, bodyBlock, headerBlock } from './exchange.js'

export function behaviourView(d: LoadedRun, state: ClientState): string {
  const routes = d.run.routes || []
  const counts = routeCounts(d.run)
  const status = state.behaviour.status
  let html = `<main class="wrap" id="view-behaviour"><h2>Behaviour <span class="muted small">replayed traffic, per route: ${esc(d.baseline.name)} vs ${esc(d.candidates[0] || 'candidate')}</span></h2>`
  if (routes.length) {
    html +=
      '<div class="toolbar"><select id="routes-status" aria-label="Route status filter">' +
      '<option value="all"' +
      (status === 'all' ? ' selected' : '') +
      '>Any status (' +
      routes.length +
      ')</option>' +
      ROUTE_STATUSES.map((s) => `<option value="${s}"${status === s ? ' selected' : ''}>${s} (${counts[s]})</option>`).join('') +
      '</select>' +
      '<span class="legend muted small">Select a divergent or missing route (Enter) to see both answers side by side, by shape of request; likely consequences are listed under their cause.</span></div>' +
      '<div id="routes-holder">' +
      routesTable(d, state) +
      '</div>'
  } else {
    html += '<p class="note">No traffic was replayed in this run. <code>parity replay</code> fills this view.</p>'
  }
  return `${html + noiseBlock(d) + e2eBlock(d)}</main>`
}

/** Redraws the routes alone, the focus back on the route with `focusKey`. */
export function refreshRoutes(state: ClientState, focusKey?: string | null): void {
  const holder = document.getElementById('routes-holder')
  if (!holder || !state.loaded) return
  holder.innerHTML = routesTable(state.loaded, state)
  if (focusKey != null) {
    holder.querySelectorAll<HTMLElement>('tr.route').forEach((row) => {
      if (row.getAttribute('data-key') === focusKey) row.focus()
    })
  }
}

export function toggleRoute(state: ClientState, row: Element): void {
  const key = row.getAttribute('data-key')
  if (key == null) return
  const open = state.behaviour.open
  if (open.has(key)) open.delete(key)
  else open.add(key)
  refreshRoutes(state, key)
}

/** A likely consequence's link: the cause's route opened, shown whatever the filter, and focused. */
export function showCause(state: ClientState, key: string): void {
  if (!key) return
  state.behaviour.status = 'all'
  state.behaviour.open.add(key)
  const select = document.getElementById('routes-status')
  if (select instanceof HTMLSelectElement) select.value = 'all'
  refreshRoutes(state, key)
}

/** Serve mode: writes the accepted difference into the config's ledger, with the reason typed beside it. */
export function acceptDifference(state: ClientState, button: HTMLButtonElement): void {
  const box = button.closest('.accept')
  const input = box?.querySelector<HTMLInputElement>('.accept-reason')
  const msg = box?.querySelector('.accept-msg')
  if (!box || !input || !msg) return
  const fingerprint = box.getAttribute('data-fingerprint') || ''
  const key = box.getAttribute('data-key')
  const reason = input.value.trim()
  if (!reason) {
    msg.textContent = 'give a reason first'
    input.focus()
    return
  }
  button.disabled = true
  msg.textContent = 'writing to the config\u2026'
  postAccept(fingerprint, reason).then(
    (r) => {
      if (!r.ok) {
        button.disabled = false
        msg.textContent = r.body.error || 'refused'
        return
      }
      const assessment = state.loaded?.run.assessment
      ;(assessment?.findings || []).forEach((f) => {
        if (f.fingerprint === fingerprint) f.accepted = { reason }
      })
      state.serve.accepted.add(fingerprint)
      refreshRoutes(state, key)
    },
    (e: Error) => {
      button.disabled = false
      msg.textContent = `failed: ${e.message}`
    },
  )
}

function noiseFor(d: LoadedRun, key: string) {
  return (d.run.noise || []).filter((r) => r.route === key || r.route === '*')
}

function acceptBlock(d: LoadedRun, state: ClientState, r: RouteEvidence, i: number): string {
  const f = routeFinding(d, r)
  if (!f) return ''
  const serve = state.serve
  if (f.accepted) {
    return (
      '<div class="accept done" data-fingerprint="' +
      esc(f.fingerprint) +
      '"><span class="badge st-excluded">accepted</span> ' +
      esc(f.accepted.reason) +
      (serve.accepted.has(f.fingerprint) ? ' <span class="accept-msg" role="status">accepted \u2014 takes effect on the next run</span>' : '') +
      '</div>'
    )
  }
  if (!serve.on) return ''
  if (serve.info && !serve.info.canAccept) return '<p class="muted small">Start <code>parity serve</code> with a config to accept this difference.</p>'
  return (
    '<div class="accept" data-fingerprint="' +
    esc(f.fingerprint) +
    '" data-key="' +
    esc(r.key) +
    '">' +
    '<label for="accept-reason-' +
    i +
    '">Reason</label> <input type="text" id="accept-reason-' +
    i +
    '" class="accept-reason" maxlength="500" placeholder="why this difference is fine">' +
    ' <button type="button" class="accept-btn">Accept this difference</button> <span class="accept-msg" role="status" aria-live="polite"></span>' +
    ' <span class="muted small">fingerprint <code>' +
    esc(f.fingerprint) +
    '</code></span></div>'
  )
}

function shortValue(v: unknown): string {
  if (v === undefined) return '<span class="muted">absent</span>'
  let s: string | undefined = JSON.stringify(v)
  if (s === undefined) s = String(v)
  return `<code>${esc(s.length > 80 ? `${s.slice(0, 79)}\u2026` : s)}</code>`
}

function differencesTable(d: LoadedRun, differences: Array<Difference & { exchange?: string }>): string {
  const withExchange = differences.some((g) => g.exchange !== undefined)
  return (
    '<table class="list diffs"><thead><tr><th>Where</th><th>Field</th><th>Kind</th><th>' +
    esc(d.baseline.name) +
    '</th><th>' +
    esc(d.candidates[0] || 'candidate') +
    '</th>' +
    (withExchange ? '<th>First seen in</th>' : '') +
    '</tr></thead><tbody>' +
    differences
      .map(
        (g) =>
          '<tr data-pointer="' +
          esc(g.pointer) +
          '"><td>' +
          esc(g.where) +
          '</td><td><code>' +
          esc(g.pointer || '(whole)') +
          '</code></td><td>' +
          esc(g.kind) +
          (g.note ? `<div class="muted small">${esc(g.note)}</div>` : '') +
          '</td>' +
          '<td>' +
          shortValue(g.baseline) +
          '</td><td>' +
          shortValue(g.candidate) +
          '</td>' +
          (withExchange ? `<td><code>${esc(g.exchange ?? '')}</code></td>` : '') +
          '</tr>',
      )
      .join('') +
    '</tbody></table>'
  )
}

/** An example exchange: the request, then both answers side by side with what differs marked. */
function exampleBlock(d: LoadedRun, ex: NonNullable<RouteEvidence['example']>, differences: Difference[], noise: IgnoreRule[]): string {
  const req = ex.request
  return (
    '<div class="request"><h4>Request</h4><div class="req-line"><code>' +
    esc(`${req.method} ${req.url}`) +
    '</code></div>' +
    headerBlock(req.headers, [], []) +
    (req.body ? bodyBlock(req.body, [], []) : '') +
    '</div>' +
    '<div class="sbs">' +
    answerBlock('baseline', d.baseline.name, ex.baseline, differences, noise) +
    answerBlock('candidate', d.candidates[0] || 'candidate', ex.candidate, differences, noise) +
    '</div>'
  )
}

/** The link to a likely consequence's cause: its route opened in this view, its exchange named. */
function causeLine(cause: ConsequenceCause): string {
  return (
    'likely consequence of <a href="#/behaviour" class="cause-link" data-cause="' +
    esc(cause.route) +
    '"><code>' +
    esc(cause.request) +
    '</code></a> <span class="muted small">(exchange <code>' +
    esc(cause.exchange) +
    '</code>, ' +
    esc(cause.via) +
    ')</span>'
  )
}

/** One request shape's differences, each with the exchange that showed it, and its examples (the first open). */
function groupBlock(d: LoadedRun, g: DifferenceGroup, noise: IgnoreRule[]): string {
  const head = g.cause ? causeLine(g.cause) : `requests <code>${esc(shapeLabel(g.shape))}</code>`
  let html =
    '<section class="diff-group' +
    (g.cause ? ' consequence' : '') +
    '" data-shape="' +
    esc(g.shape) +
    '"' +
    (g.cause ? ` data-cause="${esc(g.cause.exchange)}"` : '') +
    '><h4>' +
    head +
    ' <span class="muted small">' +
    esc(`${g.exchanges} exchange${g.exchanges === 1 ? '' : 's'} differ${g.exchanges === 1 ? 's' : ''}`) +
    (g.cause ? `, requests <code>${esc(shapeLabel(g.shape))}</code>` : '') +
    '</span></h4>' +
    differencesTable(d, g.differences)
  g.examples.forEach((ex, i) => {
    const mine = g.differences.filter((x) => x.exchange === ex.id)
    html +=
      '<details class="example"' +
      (i === 0 ? ' open' : '') +
      '><summary>Example <code>' +
      esc(ex.id) +
      '</code>: <code>' +
      esc(`${ex.request.method} ${ex.request.url}`) +
      '</code></summary>' +
      exampleBlock(d, ex, mine.length ? mine : g.differences, noise) +
      '</details>'
  })
  return `${html}</section>`
}

function routeDetail(d: LoadedRun, state: ClientState, r: RouteEvidence, i: number): string {
  const noise = noiseFor(d, r.key)
  let html = `<div class="route-diff">${acceptBlock(d, state, r, i)}`
  if (r.groups?.length) {
    html += r.groups.map((g) => groupBlock(d, g, noise)).join('')
  } else {
    // Runs stored before groups: the union of the differences and one example.
    if (r.differences.length) html += differencesTable(d, r.differences)
    const ex = r.example
    if (!ex) return `${html}<p class="muted">No example pair was kept for this route.</p></div>`
    html += exampleBlock(d, ex, r.differences, noise)
  }
  if (noise.length) {
    html += `<p class="noise-note small">noise (ignored): ${noise
      .map((n) => `<code>${esc((n.where === 'header' ? 'header ' : '') + n.pointer)}</code>`)
      .join(', ')}</p>`
  }
  return `${html}</div>`
}

function diffFields(r: RouteEvidence): string {
  if (r.status === 'missing') return `<span class="small">the candidate answered 404/405: it does not serve this route</span>`
  const cause = r.status === 'consequence' ? r.groups?.find((g) => g.cause)?.cause : undefined
  if (cause) return `<span class="small">${causeLine(cause)}</span>`
  const seen = new Set<string>()
  const fields: string[] = []
  r.differences.forEach((g) => {
    const label = g.where === 'status' ? 'status' : g.where === 'body' ? g.pointer || 'body' : `${g.where} ${g.pointer}`
    if (seen.has(label)) return
    seen.add(label)
    fields.push(`<code class="field" title="${esc(g.kind)}">${esc(label)}</code> <span class="muted small">${esc(g.kind)}</span>`)
  })
  if (!fields.length) return '<span class="muted">\u2014</span>'
  return fields.slice(0, 6).join(' ') + (fields.length > 6 ? ` <span class="muted small">and ${fields.length - 6} more</span>` : '')
}

function routesTable(d: LoadedRun, state: ClientState): string {
  const b = state.behaviour
  // Root causes first, each followed by the routes that differ only as its likely consequences.
  const index = new Map((d.run.routes || []).map((r, i) => [r, i]))
  const routes = orderByCause(d.run.routes || [])
    .map((o) => ({ r: o.route, i: index.get(o.route) ?? 0, under: o.under }))
    .filter((x) => b.status === 'all' || x.r.status === b.status)
  const body = routes
    .map((x) => {
      const r = x.r
      const expandable = r.status === 'divergent' || r.status === 'missing' || r.status === 'consequence'
      const open = expandable && b.open.has(r.key)
      const finding = routeFinding(d, r)
      let row =
        '<tr class="route' +
        (x.under ? ' consequence-row' : '') +
        (expandable ? ' expandable' : '') +
        (open ? ' open' : '') +
        '" data-key="' +
        esc(r.key) +
        '" data-index="' +
        x.i +
        '" data-status="' +
        esc(r.status) +
        '" tabindex="0"' +
        (expandable ? ` aria-expanded="${open ? 'true' : 'false'}" aria-controls="route-detail-${x.i}"` : '') +
        '>' +
        '<td>' +
        (expandable ? `<span class="caret" aria-hidden="true">${open ? '\u25be' : '\u25b8'}</span> ` : '<span class="caret" aria-hidden="true"></span> ') +
        routeLabel(r.method, r.path) +
        '</td>' +
        '<td>' +
        badge(r.status) +
        (finding?.accepted ? ' <span class="badge st-excluded accepted-mark">accepted</span>' : '') +
        '</td><td class="num">' +
        esc(r.exchanges) +
        '</td><td>' +
        diffFields(r) +
        '</td></tr>'
      if (open) row += `<tr class="route-detail" id="route-detail-${x.i}"><td colspan="4">${routeDetail(d, state, r, x.i)}</td></tr>`
      return row
    })
    .join('')
  return (
    '<table class="list routes" id="routes"><thead><tr><th>Route</th><th>Status</th><th class="num">Exchanges</th><th>Differing fields</th></tr></thead><tbody>' +
    (body || '<tr class="empty"><td colspan="4" class="muted">No route has this status.</td></tr>') +
    '</tbody></table>'
  )
}

function noiseBlock(d: LoadedRun): string {
  const noise = d.run.noise || []
  if (!noise.length) return ''
  return (
    '<section><h2>Noise <span class="muted small">fields that differ between two baseline answers: ignored, proposed as ignore rules</span></h2>' +
    '<table class="list noise-rules" id="noise"><thead><tr><th>Route</th><th>Where</th><th>Field</th><th>Why</th><th class="num">Evidence</th><th class="num" title="exchanges where it hid a difference between baseline and candidate">Silenced</th></tr></thead><tbody>' +
    noise
      .map(
        (n) =>
          '<tr class="noise"><td><code>' +
          esc(n.route) +
          '</code></td><td>' +
          esc(n.where) +
          '</td><td><code>' +
          esc(n.pointer) +
          '</code> <span class="tag">noise (ignored)</span></td>' +
          '<td>' +
          text(n.reason) +
          '</td><td class="num">' +
          esc(n.evidence == null ? '' : n.evidence) +
          '</td><td class="num">' +
          esc(n.silenced == null ? '' : n.silenced) +
          '</td></tr>',
      )
      .join('') +
    '</tbody></table></section>'
  )
}

function e2eBlock(d: LoadedRun): string {
  const tests = d.run.tests || []
  if (!tests.length) return ''
  const c = testCounts(d.run)
  const rows = tests.map((t, i) => ({ t, i, o: testOutcome(t) })).sort((a, b) => OUTCOME_ORDER.indexOf(a.o) - OUTCOME_ORDER.indexOf(b.o) || a.i - b.i)
  const res = (v: string) => `<span class="res res-${esc(v)}">${esc(v)}</span>`
  const shown: TestOutcome[] = ['pass', 'regression', 'fail-both']
  if (c.missing) shown.push('missing')
  if (c.fixed) shown.push('fixed')
  if (c.other) shown.push('other')
  return (
    '<section><h2>End-to-end suite <span class="muted small">' +
    tests.length +
    ' tests against both sides</span></h2>' +
    '<ul class="counts e2e-counts" id="e2e-counts">' +
    shown.map((o) => `<li data-outcome="${o}"><span class="badge oc-${o}">${esc(OUTCOME_LABEL[o])}</span> <b>${c[o]}</b></li>`).join('') +
    '</ul>' +
    '<table class="list" id="e2e"><thead><tr><th>Test</th><th>Outcome</th><th>' +
    esc(d.baseline.name) +
    '</th><th>' +
    esc(d.candidates[0] || 'candidate') +
    '</th></tr></thead><tbody>' +
    rows
      .map(
        (x) =>
          '<tr data-outcome="' +
          x.o +
          '"><td>' +
          esc(x.t.name) +
          '</td><td><span class="badge oc-' +
          x.o +
          '">' +
          esc(OUTCOME_LABEL[x.o]) +
          '</span></td>' +
          '<td>' +
          res(x.t.baseline) +
          '</td><td>' +
          res(x.t.candidate) +
          '</td></tr>',
      )
      .join('') +
    '</tbody></table></section>'
  )
}
