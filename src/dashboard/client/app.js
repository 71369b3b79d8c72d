// parity client: draws the report from the RunResult (and History) embedded in the page. Plain
// browser JavaScript with no dependency and no network access, shared by the single-file HTML report
// and the live dashboard. It displays the figures of the RunResult and never recomputes statuses.
;(function () {
  'use strict'

  var STATUSES = ['ported', 'verified', 'divergent', 'missing', 'excluded', 'extra']
  var STATUS_LABEL = {
    ported: 'ported', verified: 'verified', divergent: 'divergent', missing: 'missing', excluded: 'excluded', extra: 'extra',
  }
  var KIND_LABEL = {
    route: 'Routes', websocket: 'WebSocket', sse: 'SSE', capability: 'Capabilities', service: 'Services',
    table: 'Tables', column: 'Columns',
  }
  var SERIES_COLORS = ['#2563eb', '#d97706', '#7c3aed', '#059669', '#db2777', '#0891b2']

  // --- data ---------------------------------------------------------------------------------------

  // Embedded (the HTML report): `{ run, history }` in #parity-data. Served (`parity serve`): fetched from /api.
  function readData() {
    var node = document.getElementById('parity-data')
    return node ? JSON.parse(node.textContent || '{}') : null
  }

  var run = null
  var history = null
  var baseline = { name: 'baseline', source: '' }
  var candidates = []
  var systemByName = {}

  function setData(data) {
    run = data.run
    history = data.history || null
    baseline = run.systems.filter(function (s) { return s.role === 'baseline' })[0] || { name: 'baseline', source: '' }
    candidates = run.systems.filter(function (s) { return s.role === 'candidate' }).map(function (s) { return s.name })
    systemByName = {}
    run.systems.forEach(function (s) { systemByName[s.name] = s })
    indexBenchColors()
  }

  // The cell of a pair in one candidate: the matrix when there are several, else the pair itself.
  function cellOf(pair, candidate) {
    if (pair.matrix && pair.matrix[candidate]) return pair.matrix[candidate]
    if (pair.candidateSystem === candidate) return { status: pair.status, candidate: pair.candidate, via: pair.via, rule: pair.rule }
    return null
  }

  // --- html helpers --------------------------------------------------------------------------------

  function esc(value) {
    return String(value == null ? '' : value)
      .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
  }

  // Messages of the RunResult quote code in backticks.
  function text(value) {
    return esc(value).replace(/`([^`]+)`/g, '<code>$1</code>')
  }

  function pct(summary) {
    return summary && summary.total > 0 ? summary.percent + '%' : '\u2014'
  }

  function componentHref(name) {
    return '#/component/' + encodeURIComponent(name)
  }

  function badge(status) {
    return '<span class="badge st-' + esc(status) + '">' + esc(STATUS_LABEL[status] || status) + '</span>'
  }

  function bar(summary) {
    if (!summary || summary.total <= 0) return '<div class="bar bar-empty"></div>'
    var total = summary.total
    var seg = function (n, cls) {
      return n > 0 ? '<span class="' + cls + '" style="width:' + ((100 * n) / total).toFixed(2) + '%"></span>' : ''
    }
    return '<div class="bar" role="img" aria-label="' + esc(summary.percent + '% ported') + '">' +
      seg(summary.verified, 'st-verified') + seg(summary.ported, 'st-ported') + seg(summary.divergent, 'st-divergent') +
      '</div>'
  }

  function source(loc, system) {
    if (!loc) return ''
    var root = system && system.source ? system.source : ''
    return '<code class="src" title="' + esc(root ? root + '/' + loc.file : loc.file) + '">' +
      esc(loc.file + ':' + loc.line) + '</code>'
  }

  function displayItem(item) {
    if (!item) return ''
    if (item.kind === 'route' || item.kind === 'websocket' || item.kind === 'sse') {
      return '<span class="method m-' + esc(String(item.method).toLowerCase()) + '">' + esc(item.method) + '</span> ' +
        '<span class="path">' + esc(item.path) + '</span>' +
        (item.resolvedFrom ? ' <span class="resolved-by small muted" title="the scan saw ' + esc(item.resolvedFrom.path) + '; recorded requests complete it">resolved by traffic</span>' : '')
    }
    if (item.kind === 'capability') return esc(item.label || item.name)
    if (item.kind === 'column') return esc(item.table + '.' + item.name) + ' <span class="muted">' + esc(item.type) + '</span>'
    if (item.kind === 'table' || item.kind === 'service') return esc(item.name)
    return esc(item.key)
  }

  // The status the run carries (assess/status.ts: complete when every item is there and none
  // diverges); by the same rule for a run stored before it did. Excluded-only reads as nothing to port.
  function componentStatus(summary) {
    var st = summary && summary.status
    if (!st) {
      if (!summary || summary.total <= 0) st = 'empty'
      else if (summary.ported + summary.verified + summary.divergent === 0) st = 'not-started'
      else st = summary.missing === 0 && summary.divergent === 0 ? 'complete' : 'partial'
    }
    return st === 'excluded' ? 'empty' : st
  }

  function fmtDate(iso) {
    if (!iso) return ''
    var d = new Date(iso)
    if (isNaN(d.getTime())) return String(iso)
    return d.toISOString().slice(0, 16).replace('T', ' ') + ' UTC'
  }

  // --- views ---------------------------------------------------------------------------------------

  function header(route) {
    var tabs = [['overview', '#/', 'Overview'], ['matrix', '#/matrix', 'Coverage matrix']]
    if (hasBehaviour()) tabs.push(['behaviour', '#/behaviour', 'Behaviour'])
    if (hasBench()) tabs.push(['performance', '#/performance', 'Performance'])
    if (hasMcp()) tabs.push(['mcp', '#/mcp', 'MCP'])
    if (run.plan) tabs.push(['plan', '#/plan', 'Plan'])
    if (hasScorecard()) tabs.push(['scorecard', '#/scorecard', 'Scorecard'])
    tabs.push(['trend', '#/trend', 'Trend'])
    var git = run.git && (run.git.branch || run.git.commit)
      ? ' \u00b7 ' + esc([run.git.branch, run.git.commit && run.git.commit.slice(0, 8)].filter(Boolean).join(' @ '))
      : ''
    return '<header class="top"><div class="wrap">' +
      '<div class="brand"><span class="logo">\u2261</span> parity</div>' +
      '<div class="title"><strong>' + esc(baseline.name) + '</strong> <span class="muted">vs</span> ' +
      candidates.map(function (c) { return '<strong>' + esc(c) + '</strong>' }).join(', ') + '</div>' +
      '<div class="meta muted">' + esc(fmtDate(run.startedAt)) + git + '</div>' + runPicker() +
      '<nav>' + tabs.map(function (t) {
        var active = route.view === t[0] || (t[0] === 'matrix' && route.view === 'component')
        return '<a href="' + t[1] + '" class="' + (active ? 'active' : '') + '">' + t[2] + '</a>'
      }).join('') + '</nav></div></header>'
  }

  function verdictBlock() {
    var a = run.assessment
    if (!a) {
      return '<section class="verdict v-none" id="verdict"><div class="verdict-main">No verdict</div>' +
        '<p>No gates were evaluated for this run. <code>parity run</code> with <code>gates:</code> in the config decides whether the rewrite is production ready.</p></section>'
    }
    var v = a.verdict
    var ok = v.productionReady
    var noGates = a.gates.length === 0
    var html = '<section class="verdict ' + (noGates ? 'v-none' : ok ? 'v-ok' : 'v-fail') + '" id="verdict">' +
      '<div class="verdict-main">' + (noGates ? 'No gates configured' : ok ? 'Production ready: YES' : 'Production ready: NO') + '</div>'
    if (a.gates.length) {
      html += '<table class="gates"><thead><tr><th>Gate</th><th>Result</th><th>Measured</th><th>Why</th></tr></thead><tbody>' +
        a.gates.map(function (g) {
          var actual = g.actual == null ? '\u2014' : g.display || fmtGateValue(g.gate, g.actual)
          return '<tr><td>' + (g.objective ? esc(g.objective) + ': ' : '') + '<code>' + esc(g.gate) + '</code></td><td>' + (g.passed ? '<span class="badge st-ported">pass</span>' : '<span class="badge st-missing">fail</span>') +
            '</td><td class="num">' + esc(actual) + '</td><td>' + esc(g.message) + '</td></tr>'
        }).join('') + '</tbody></table>'
    }
    if (v.staleAcceptances && v.staleAcceptances.length) {
      html += '<p class="warn-text">Stale acceptances (match no finding any more): ' + v.staleAcceptances.map(function (s) { return '<code>' + esc(s) + '</code>' }).join(', ') + '</p>'
    }
    return html + '</section>'
  }

  // What every figure rests on, before any of them: the routes each scan found and those it could not resolve.
  function unresolvedTotal() {
    return run.systems.reduce(function (n, s) { return n + (s.unresolved || 0) }, 0)
  }

  function inventoryBlock() {
    var open = unresolvedTotal()
    return '<section class="inventory-basis' + (open ? ' partial' : '') + '" id="inventory-basis"><p>' + run.systems.map(function (s) {
      var items = s.items || {}
      var found = (items.route || 0) + (items.websocket || 0) + (items.sse || 0)
      return '<span class="system" data-system="' + esc(s.name) + '"><strong>' + esc(s.name) + '</strong> ' + esc(found) + (found === 1 ? ' route' : ' routes') + ' found, <b class="' + (s.unresolved ? 'bad' : '') + '">' + esc(s.unresolved || 0) + ' unresolved</b>' + runtimeSpan(s.runtime) + '</span>'
    }).join(' \u00b7 ') + '</p>' +
      run.systems.map(function (s) {
        return (s.diagnostics || []).filter(function (d) { return d.code === 'FRAMEWORK_NOT_SUPPORTED' }).map(function (d) {
          return '<p class="not-read warn-text" data-system="' + esc(s.name) + '"><strong>' + esc(s.name) + '</strong>: ' + esc(d.message) + '</p>'
        }).join('')
      }).join('') +
      (open ? '<p class="lower-bound">Coverage is a lower bound: ' + esc(open) + ' route' + (open === 1 ? '' : 's') + ' could not be resolved statically and count as not ported unless a map rule pairs them.</p>' : '') + '</section>'
  }

  // What the running system registered: the scan's routes confirmed, and those only the running system showed.
  function runtimeSpan(r) {
    if (!r) return ''
    if (!r.via.length) return ' <span class="runtime muted small" title="' + esc(r.notes[0] || '') + '">not confirmed at run time</span>'
    return ' <span class="runtime small" title="' + esc(r.via.join(' and ')) + '">\u2713 ' + esc(r.confirmed) + ' confirmed at run time' +
      (r.scanMissed.length ? ', <b class="bad">' + esc(r.scanMissed.length) + ' found only at run time</b>: ' + r.scanMissed.slice(0, 5).map(function (m) { return '<code>' + esc(m.method + ' ' + m.path) + '</code>' }).join(' ') : '') + '</span>'
  }

  function confirmedMark(item) {
    if (!item || !item.confirmed) return ''
    return ' <span class="confirmed small" title="' + (item.confirmed === 'tap' ? 'the running system registered it (route tap)' : 'the OpenAPI document the running system serves lists it') + '">\u2713 confirmed at run time</span>'
  }

  function candidateCards() {
    return '<section class="cards">' + candidates.map(function (c) {
      var s = run.candidates[c]
      if (!s) return ''
      var kinds = Object.keys(s.byKind || {})
      return '<article class="card" data-candidate="' + esc(c) + '">' +
        '<h3>' + esc(c) + ' <span class="muted small">' + esc((systemByName[c] && systemByName[c].frameworks || []).join(', ')) + '</span></h3>' +
        '<div class="big"><span class="pct">' + (unresolvedTotal() && s.total > 0 ? '\u2265\u2009' : '') + esc(pct(s)) + '</span> <span class="muted">ported</span>' +
        (s.total > 0 ? ' <span class="pct-verified small" title="verified: exercised and equivalent">' + esc(Math.round((1000 * s.verified) / s.total) / 10) + '% verified</span>' : '') + '</div>' +
        bar(s) +
        // One vocabulary with the headline: "ported" there is verified + divergent + not yet verified here.
        '<ul class="counts card-counts">' + ['verified', 'divergent', 'ported', 'missing', 'excluded', 'extra'].map(function (st) {
          var label = st === 'ported' ? '<span class="badge st-ported" title="ported: present in the candidate, no behavioural evidence yet">not yet verified</span>' : badge(st)
          return '<li data-status="' + st + '">' + label + ' <b>' + esc(s[st] || 0) + '</b></li>'
        }).join('') + '<li class="muted">of ' + esc(s.total) + ' baseline items; ' + esc(s.ported + s.verified + s.divergent) + ' ported</li></ul>' +
        (kinds.length ? '<table class="bykind"><thead><tr><th>Kind</th><th class="num">ported</th><th class="num">missing</th><th class="num">extra</th></tr></thead><tbody>' +
          kinds.map(function (k) {
            var b = s.byKind[k]
            return '<tr><td>' + esc(KIND_LABEL[k] || k) + '</td><td class="num">' + esc(b.ported + b.verified + b.divergent) + '</td><td class="num' + (b.missing ? ' bad' : '') + '">' + esc(b.missing) + '</td><td class="num">' + esc(b.extra) + '</td></tr>'
          }).join('') + '</tbody></table>' : '') +
        '</article>'
    }).join('') + '</section>'
  }

  function gapsBlock() {
    var first = candidates[0]
    if (!first) return ''
    var gaps = run.components
      .map(function (c) { return { name: c.name, s: c.candidates[first] } })
      .filter(function (g) { return g.s && g.s.missing > 0 })
      .sort(function (a, b) { return b.s.missing - a.s.missing || (a.name < b.name ? -1 : 1) })
    if (!gaps.length) return '<section><h2>Biggest gaps</h2><p class="muted">Nothing is missing in ' + esc(first) + '.</p></section>'
    return '<section><h2>Biggest gaps <span class="muted small">in ' + esc(first) + '</span></h2><div class="gaps">' +
      gaps.slice(0, 8).map(function (g) {
        var keys = g.s.missingKeys || []
        return '<div class="gap"><div class="gap-head"><a href="' + componentHref(g.name) + '">' + esc(g.name) + '</a>' +
          '<span class="muted">' + esc(g.s.missing) + ' missing \u00b7 ' + esc(pct(g.s)) + ' ported</span></div>' +
          '<ul>' + keys.slice(0, 5).map(function (k) { return '<li><code>' + esc(k) + '</code></li>' }).join('') +
          (keys.length > 5 ? '<li class="muted">and ' + (keys.length - 5) + ' more</li>' : '') + '</ul></div>'
      }).join('') + '</div></section>'
  }

  function nearMissBlock() {
    if (!run.nearMisses || !run.nearMisses.length) return ''
    return '<section><h2>Near misses <span class="muted small">renamed? confirm with a map rule</span></h2>' +
      '<table class="list" id="near-misses"><thead><tr><th>Baseline</th><th>Candidate</th><th>Why</th><th>Map rule</th></tr></thead><tbody>' +
      run.nearMisses.map(function (n) {
        return '<tr><td>' + displayItem(n.baseline) + '<br>' + source(n.baseline.source, baseline) + '</td>' +
          '<td>' + displayItem(n.candidate) + ' <span class="muted small">' + esc(n.candidateSystem) + '</span><br>' + source(n.candidate.source, systemByName[n.candidateSystem]) + '</td>' +
          '<td>' + text(n.reason) + '</td><td><code>' + esc(n.suggestion.from + ' -> ' + n.suggestion.to) + '</code></td></tr>'
      }).join('') + '</tbody></table></section>'
  }

  function diagnosticsBlock() {
    var rows = (run.diagnostics || []).map(function (d) { return { system: '(run)', d: d } })
    run.systems.forEach(function (s) {
      (s.diagnostics || []).forEach(function (d) { rows.push({ system: s.name, d: d }) })
    })
    if (!rows.length) return '<section><h2>Diagnostics</h2><p class="muted" id="diagnostics-none">None: every file was read and every path resolved.</p></section>'
    return '<section><h2>Diagnostics <span class="muted small">' + rows.length + '</span></h2>' +
      '<table class="list" id="diagnostics"><thead><tr><th>Level</th><th>Code</th><th>System</th><th>Where</th><th>Message</th></tr></thead><tbody>' +
      rows.map(function (r) {
        var where = r.d.file ? source({ file: r.d.file, line: r.d.line || 0 }, systemByName[r.system]) : ''
        return '<tr><td><span class="lvl lvl-' + esc(r.d.level) + '">' + esc(r.d.level) + '</span></td><td><code>' + esc(r.d.code) + '</code></td>' +
          '<td>' + esc(r.system) + '</td><td>' + where + '</td><td>' + text(r.d.message) + '</td></tr>'
      }).join('') + '</tbody></table></section>'
  }

  function findingsBlock() {
    var a = run.assessment
    if (!a || !a.findings || !a.findings.length) return ''
    return '<section><h2>Findings <span class="muted small">' + a.findings.length + '</span></h2>' +
      '<table class="list" id="findings"><thead><tr><th>Type</th><th>Item</th><th>Candidate</th><th>Where</th><th>Message</th></tr></thead><tbody>' +
      a.findings.map(function (f) {
        // The item as the code names it (`/api/bookmarks/{id}`, not the key's `{}`), and the message without it.
        var pair = run.pairs.find(function (p) { return p.key === f.key && (p.baseline || p.candidate) })
        var item = pair ? pair.baseline || pair.candidate : null
        var message = f.message.indexOf(f.key + ' ') === 0 ? f.message.slice(f.key.length + 1) : f.message
        return '<tr class="' + (f.accepted ? 'accepted' : '') + '"><td>' + esc(f.type) + (f.accepted ? ' <span class="muted small">accepted</span>' : '') + '</td><td>' + (item ? displayItem(item) : '<code>' + esc(f.key) + '</code>') + '</td><td>' + esc(f.candidate) + '</td>' +
          '<td>' + (f.source ? source(f.source, baseline) : '') + '</td><td>' + text(message) + '</td></tr>'
      }).join('') + '</tbody></table></section>'
  }

  function systemsBlock() {
    return '<section><h2>Systems</h2><table class="list" id="systems"><thead><tr><th>System</th><th>Role</th><th>Source</th><th>Frameworks</th><th class="num">Files</th><th class="num">Lines</th><th>Items</th></tr></thead><tbody>' +
      run.systems.map(function (s) {
        var items = Object.keys(s.items || {}).map(function (k) { return esc((KIND_LABEL[k] || k).toLowerCase() + ' ' + s.items[k]) }).join(', ')
        return '<tr><td><strong>' + esc(s.name) + '</strong></td><td>' + esc(s.role) + '</td><td><code>' + esc(s.source) + '</code></td>' +
          '<td>' + esc((s.frameworks || []).join(', ')) + '</td><td class="num">' + esc(s.stats.files) + '</td><td class="num">' + esc(s.stats.lines) + '</td><td>' + items + '</td></tr>'
      }).join('') + '</tbody></table></section>'
  }

  function overview() {
    return '<main class="wrap" id="view-overview">' + inventoryBlock() + verdictBlock() + objectivesBlock() + candidateCards() + trendSinceBlock() + evidenceCards() + gapsBlock() + nearMissBlock() +
      findingsBlock() + diagnosticsBlock() + systemsBlock() + '</main>'
  }

  // Matrix state survives re-renders (hash changes) within the page.
  var matrixState = { sort: 'component', dir: 1, filter: '', status: 'all' }

  function matrixRows() {
    var first = candidates[0]
    var rows = run.components.slice()
    var q = matrixState.filter.trim().toLowerCase()
    if (q) rows = rows.filter(function (c) { return c.name.toLowerCase().indexOf(q) >= 0 })
    if (matrixState.status !== 'all') {
      rows = rows.filter(function (c) {
        return candidates.some(function (cand) { return componentStatus(c.candidates[cand]) === matrixState.status })
      })
    }
    var key = matrixState.sort
    var value = function (c) {
      if (key === 'component') return c.name.toLowerCase()
      if (key === 'items') return first && c.candidates[first] ? c.candidates[first].total : 0
      var s = c.candidates[key.slice('cand:'.length)]
      return s && s.total > 0 ? s.percent : -1
    }
    rows.sort(function (a, b) {
      var va = value(a), vb = value(b)
      if (va < vb) return -matrixState.dir
      if (va > vb) return matrixState.dir
      return a.name < b.name ? -1 : a.name > b.name ? 1 : 0
    })
    return rows
  }

  function sortHeader(key, label, cls) {
    var active = matrixState.sort === key
    var aria = active ? (matrixState.dir > 0 ? 'ascending' : 'descending') : 'none'
    return '<th class="sortable ' + (cls || '') + '" data-sort="' + esc(key) + '" aria-sort="' + aria + '" tabindex="0">' +
      esc(label) + ' <span class="arrow">' + (active ? (matrixState.dir > 0 ? '\u25b2' : '\u25bc') : '\u21c5') + '</span></th>'
  }

  function matrixTable() {
    var first = candidates[0]
    var rows = matrixRows()
    var body = rows.map(function (c) {
      var total = first && c.candidates[first] ? c.candidates[first].total : 0
      return '<tr data-component="' + esc(c.name) + '"><th scope="row"><a href="' + componentHref(c.name) + '">' + esc(c.name) + '</a></th>' +
        '<td class="num items">' + esc(total) + '</td>' +
        candidates.map(function (cand) {
          var s = c.candidates[cand]
          var st = componentStatus(s)
          return '<td class="cell cs-' + st + '" data-candidate="' + esc(cand) + '" data-status="' + st + '">' +
            '<div class="cell-top"><span class="pct">' + esc(pct(s)) + '</span>' +
            (s && s.missing ? '<span class="miss">' + esc(s.missing) + ' missing</span>' : '') + '</div>' + bar(s) + '</td>'
        }).join('') + '</tr>'
    }).join('')
    var foot = '<tr class="total"><th scope="row">All components</th><td class="num">' + esc(run.summary ? run.summary.total : '') + '</td>' +
      candidates.map(function (cand) {
        var s = run.candidates[cand]
        var st = componentStatus(s)
        return '<td class="cell cs-' + st + '" data-candidate="' + esc(cand) + '" data-status="' + st + '"><div class="cell-top"><span class="pct">' + esc(pct(s)) + '</span>' +
          (s && s.missing ? '<span class="miss">' + esc(s.missing) + ' missing</span>' : '') + '</div>' + bar(s) + '</td>'
      }).join('') + '</tr>'
    return '<table class="matrix" id="matrix"><thead><tr>' + sortHeader('component', 'Component') + sortHeader('items', 'Items', 'num') +
      candidates.map(function (cand) { return sortHeader('cand:' + cand, cand) }).join('') + '</tr></thead>' +
      '<tbody>' + (body || '<tr class="empty"><td colspan="' + (2 + candidates.length) + '" class="muted">No component matches.</td></tr>') + '</tbody>' +
      '<tfoot>' + foot + '</tfoot></table>' +
      '<p class="muted small" id="matrix-count">' + rows.length + ' of ' + run.components.length + ' components</p>'
  }

  function matrixView() {
    var opts = [['all', 'Any status'], ['complete', 'Complete (all there, none divergent)'], ['partial', 'Partial'], ['not-started', 'Not started (0%)'], ['empty', 'Nothing to port']]
    return '<main class="wrap" id="view-matrix"><h2>Coverage matrix <span class="muted small">ported % of baseline items, per component and candidate</span></h2>' +
      '<div class="toolbar"><input type="search" id="matrix-filter" placeholder="Filter components\u2026" aria-label="Filter components" value="' + esc(matrixState.filter) + '">' +
      '<select id="matrix-status" aria-label="Status filter">' + opts.map(function (o) {
        return '<option value="' + o[0] + '"' + (matrixState.status === o[0] ? ' selected' : '') + '>' + o[1] + '</option>'
      }).join('') + '</select>' +
      '<span class="legend">' + ['verified', 'ported', 'divergent'].map(function (s) { return '<span class="swatch st-' + s + '"></span>' + s }).join(' ') + '</span></div>' +
      '<div id="matrix-holder">' + matrixTable() + '</div></main>'
  }

  function refreshMatrix() {
    var holder = document.getElementById('matrix-holder')
    if (holder) holder.innerHTML = matrixTable()
  }

  function itemHistory(key, cand) {
    if (!history || !history.items) return null
    for (var i = 0; i < history.items.length; i++) {
      var h = history.items[i]
      if (h.key === key && h.candidate === cand) return h
    }
    return null
  }

  // The component's features (`parity features`): one checklist line per feature, a status per candidate.
  function featuresBlock(name) {
    var features = (run.features || []).filter(function (f) { return f.component === name })
    if (!features.length) return ''
    var mark = { verified: '\u2714\u2714', complete: '\u2714', partial: '\u25d0', missing: '\u2717' }
    return '<section id="features"><h3>Features</h3><ul class="features">' + features.map(function (f) {
      var cells = candidates.map(function (cand) {
        var x = f.candidates[cand]
        if (!x) return ''
        return '<span class="feature-cell" data-candidate="' + esc(cand) + '" data-status="' + esc(x.status) + '">' + esc(cand) + ' ' + esc(mark[x.status] || '') + ' ' + esc(x.status) + ' ' + esc(x.present) + '/' + esc(x.total) +
          (x.missing.length ? ' <span class="muted small">missing ' + x.missing.map(function (k) { return '<code>' + esc(k) + '</code>' }).join(', ') + '</span>' : '') + '</span>'
      }).join(' \u00b7 ')
      return '<li class="feature" data-feature="' + esc(f.name) + '"><strong>' + esc(f.name) + '</strong> ' + cells + '</li>'
    }).join('') + '</ul></section>'
  }

  function componentView(name) {
    var comp = run.components.filter(function (c) { return c.name === name })[0]
    if (!comp) {
      return '<main class="wrap" id="view-component"><h2>Unknown component</h2><p>No component named <code>' + esc(name) + '</code> in this run. <a href="#/matrix">Back to the matrix</a>.</p></main>'
    }
    var pairs = run.pairs.filter(function (p) { return p.component === name })
    var cards = '<div class="comp-cards">' + candidates.map(function (cand) {
      var s = comp.candidates[cand]
      return '<div class="mini" data-candidate="' + esc(cand) + '"><div class="mini-head">' + esc(cand) + '</div><div class="big"><span class="pct">' + esc(pct(s)) + '</span></div>' + bar(s) +
        '<div class="muted small">' + (s ? esc(s.ported + s.verified + s.divergent) + ' of ' + esc(s.total) + ' ported \u00b7 ' + esc(s.missing) + ' missing' : '') + '</div></div>'
    }).join('') + '</div>'
    var head = '<tr><th>Kind</th><th>Item</th><th>' + esc(baseline.name) + ' <span class="muted small">baseline</span></th>' +
      candidates.map(function (c) { return '<th>' + esc(c) + '</th>' }).join('') + '</tr>'
    var rows = pairs.map(function (p) {
      var item = p.baseline || p.candidate
      var cells = candidates.map(function (cand) {
        var cell = cellOf(p, cand)
        if (!cell) return '<td class="na" data-candidate="' + esc(cand) + '"><span class="muted">\u2014</span></td>'
        var extra = ''
        if (cell.candidate && p.baseline && cell.candidate.key !== p.baseline.key) extra += '<div class="small">as ' + displayItem(cell.candidate) + '</div>'
        if (cell.rule) extra += '<div class="small muted">map <code>' + esc(cell.rule) + '</code></div>'
        if (cell.status === 'excluded' && p.reason) extra += '<div class="small muted">' + esc(p.reason) + '</div>'
        if (cell.status === 'missing' && p.impact) extra += '<div class="small impact">' + esc(p.impact) + '</div>'
        var h = itemHistory(p.key, cand)
        if (h && h.firstPorted) extra += '<div class="small muted">ported since ' + esc(fmtDate(h.firstPorted.at)) + '</div>'
        return '<td data-candidate="' + esc(cand) + '" data-status="' + esc(cell.status) + '">' + badge(cell.status) +
          (cell.candidate ? ' ' + source(cell.candidate.source, systemByName[cand]) + confirmedMark(cell.candidate) : '') + extra + '</td>'
      }).join('')
      return '<tr class="item k-' + esc(p.kind) + '" data-key="' + esc(p.key) + '" data-kind="' + esc(p.kind) + '">' +
        '<td><span class="kind">' + esc(p.kind) + '</span></td><td>' + displayItem(item) + '</td>' +
        '<td>' + (p.baseline ? source(p.baseline.source, baseline) + confirmedMark(p.baseline) : '<span class="muted small">not in baseline</span>') + '</td>' + cells + '</tr>'
    }).join('')
    return '<main class="wrap" id="view-component"><p class="crumbs"><a href="#/matrix">Coverage matrix</a> \u203a ' + esc(name) + '</p>' +
      '<h2 id="component-name">' + esc(name) + ' <span class="muted small">' + pairs.length + ' items</span></h2>' + cards + featuresBlock(name) +
      '<table class="list items" id="items"><thead>' + head + '</thead><tbody>' + rows + '</tbody></table></main>'
  }

  function trendChart(runs) {
    var W = 880, H = 300, L = 56, R = 48, T = 20, B = 56
    var n = runs.length
    var x = function (i) { return n === 1 ? L + (W - L - R) / 2 : L + (i * (W - L - R)) / (n - 1) }
    var y = function (p) { return T + (H - T - B) * (1 - p / 100) }
    var names = candidates.slice()
    runs.forEach(function (r) { Object.keys(r.candidates || {}).forEach(function (c) { if (names.indexOf(c) < 0) names.push(c) }) })
    var svg = '<svg class="chart" id="trend-chart" viewBox="0 0 ' + W + ' ' + H + '" role="img" aria-label="Ported % per run">'
    ;[0, 25, 50, 75, 100].forEach(function (p) {
      svg += '<line class="grid" x1="' + L + '" x2="' + (W - R) + '" y1="' + y(p) + '" y2="' + y(p) + '"></line>' +
        '<text class="axis" x="' + (L - 8) + '" y="' + (y(p) + 4) + '" text-anchor="end">' + p + '%</text>'
    })
    var step = Math.max(1, Math.ceil(n / 8))
    runs.forEach(function (r, i) {
      if (i % step !== 0 && i !== n - 1) return
      svg += '<text class="axis" x="' + x(i) + '" y="' + (H - B + 18) + '" text-anchor="middle">' + esc(String(r.startedAt).slice(0, 10)) + '</text>' +
        (r.commit ? '<text class="axis small" x="' + x(i) + '" y="' + (H - B + 32) + '" text-anchor="middle">' + esc(r.commit.slice(0, 7)) + '</text>' : '')
    })
    names.forEach(function (c, ci) {
      var color = SERIES_COLORS[ci % SERIES_COLORS.length]
      var pts = []
      runs.forEach(function (r, i) {
        var s = r.candidates && r.candidates[c]
        if (s) pts.push([x(i), y(s.percent), s.percent, r])
      })
      if (!pts.length) return
      svg += '<polyline class="series" data-candidate="' + esc(c) + '" fill="none" stroke="' + color + '" stroke-width="2.5" points="' +
        pts.map(function (p) { return p[0].toFixed(1) + ',' + p[1].toFixed(1) }).join(' ') + '"></polyline>'
      pts.forEach(function (p) {
        svg += '<circle class="point" cx="' + p[0].toFixed(1) + '" cy="' + p[1].toFixed(1) + '" r="4" fill="' + color + '"><title>' +
          esc(c + ': ' + p[2] + '% \u00b7 ' + fmtDate(p[3].startedAt) + (p[3].commit ? ' \u00b7 ' + p[3].commit.slice(0, 8) : '')) + '</title></circle>'
      })
    })
    svg += '</svg>'
    var legend = '<div class="legend">' + names.map(function (c, ci) {
      return '<span class="swatch" style="background:' + SERIES_COLORS[ci % SERIES_COLORS.length] + '"></span>' + esc(c)
    }).join(' ') + '</div>'
    return svg + legend
  }

  function trendView() {
    var runs = history && history.runs ? history.runs : []
    if (!runs.length) {
      return '<main class="wrap" id="view-trend"><h2>Trend</h2><p class="note" id="trend-empty">No history yet. <code>parity run</code> keeps every run in ' +
        '<code>.parity/history.sqlite</code>; the chart of ported % per run appears here once runs are stored.</p></main>'
    }
    var table = '<table class="list" id="trend-runs"><thead><tr><th>Run</th><th>Date</th><th>Commit</th>' +
      candidates.map(function (c) { return '<th class="num">' + esc(c) + '</th>' }).join('') + '<th>Ready</th></tr></thead><tbody>' +
      runs.slice().reverse().map(function (r) {
        return '<tr' + (run.id && r.id === run.id ? ' class="current"' : '') + '><td><code>' + esc(r.id) + '</code></td><td>' + esc(fmtDate(r.startedAt)) + '</td>' +
          '<td>' + (r.commit ? '<code>' + esc(r.commit.slice(0, 8)) + '</code>' : '') + (r.branch ? ' <span class="muted">' + esc(r.branch) + '</span>' : '') + '</td>' +
          candidates.map(function (c) { return '<td class="num">' + esc(pct(r.candidates && r.candidates[c])) + '</td>' }).join('') +
          '<td>' + (r.productionReady == null ? '<span class="muted">\u2014</span>' : r.productionReady ? badge('ported').replace('ported', 'yes') : '<span class="badge st-missing">no</span>') + '</td></tr>'
      }).join('') + '</tbody></table>'
    return '<main class="wrap" id="view-trend"><h2>Trend <span class="muted small">ported % per run, ' + runs.length + ' runs</span></h2>' +
      '<div class="chart-box">' + trendChart(runs) + '</div>' + table + '</main>'
  }

  // --- behaviour: per-route evidence from replay, and the end-to-end suite --------------------------

  var ROUTE_STATUSES = ['verified', 'divergent', 'unproven', 'unexercised']
  var behaviourState = { status: 'all', open: {} }

  function hasBehaviour() { return !!((run.routes && run.routes.length) || (run.tests && run.tests.length)) }
  function hasBench() { return !!((run.bench && run.bench.length) || (run.wsBench && run.wsBench.length)) }

  function routeCounts() {
    var counts = { verified: 0, divergent: 0, unproven: 0, unexercised: 0 }
    ;(run.routes || []).forEach(function (r) { counts[r.status] = (counts[r.status] || 0) + 1 })
    return counts
  }

  function routeLabel(method, path) {
    return '<span class="method m-' + esc(String(method).toLowerCase()) + '">' + esc(method) + '</span> <span class="path">' + esc(path) + '</span>'
  }

  // A JSON Pointer segment, escaped (RFC 6901).
  function seg(key) { return String(key).replace(/~/g, '~0').replace(/\//g, '~1') }

  function pointerWithin(pointer, prefix) {
    return prefix === '' || pointer === prefix || pointer.indexOf(prefix + '/') === 0
  }

  // An ignore rule's pointer, where a `*` segment matches any one key or index; it covers its descendants.
  function rulePointerMatches(pattern, pointer) {
    if (pattern === '' || pattern === '/') return true
    var p = pattern.split('/'), q = pointer.split('/')
    if (q.length < p.length) return false
    for (var i = 1; i < p.length; i++) if (p[i] !== '*' && p[i] !== q[i]) return false
    return true
  }

  function noiseFor(key) {
    return (run.noise || []).filter(function (r) { return r.route === key || r.route === '*' })
  }

  // Pretty-printed JSON as lines, each with the JSON Pointer of the value it shows.
  function jsonLines(value) {
    var out = []
    function walk(v, ptr, depth, prefix, comma) {
      var pad = new Array(depth + 1).join('  ')
      var isArr = Array.isArray(v)
      var keys = v && typeof v === 'object' ? (isArr ? v.map(function (_, i) { return i }) : Object.keys(v)) : null
      if (!keys || !keys.length) { out.push({ ptr: ptr, text: pad + prefix + JSON.stringify(v) + comma }); return }
      out.push({ ptr: ptr, text: pad + prefix + (isArr ? '[' : '{') })
      keys.forEach(function (k, i) {
        walk(v[k], ptr + '/' + seg(k), depth + 1, isArr ? '' : JSON.stringify(k) + ': ', i < keys.length - 1 ? ',' : '')
      })
      out.push({ ptr: ptr, text: pad + (isArr ? ']' : '}') + comma })
    }
    walk(value, '', 0, '', '')
    return out
  }

  function bodyLines(body) {
    if (!body) return [{ ptr: null, text: '(no body)', muted: true }]
    if (body.text == null) {
      return [{ ptr: '', text: body.base64 != null ? '(binary, ' + body.size + ' bytes)' : '(' + body.size + ' bytes, sha256 ' + String(body.sha256 || '').slice(0, 16) + '\u2026)', muted: true }]
    }
    try { return jsonLines(JSON.parse(body.text)) } catch (e) { /* not JSON: shown as text */ }
    return body.text.split('\n').map(function (t) { return { ptr: '', text: t } })
  }

  // Lines of a body: differing pointers highlighted, noise fields muted.
  function bodyBlock(body, diffs, noise) {
    var pointers = diffs.filter(function (d) { return d.where === 'body' }).map(function (d) { return d.pointer })
    var noisy = noise.filter(function (r) { return r.where === 'body' }).map(function (r) { return r.pointer })
    return '<pre class="body">' + bodyLines(body).map(function (l) {
      var hit = l.ptr != null && pointers.some(function (p) { return pointerWithin(l.ptr, p) })
      var isNoise = !hit && l.ptr != null && l.ptr !== '' && noisy.some(function (p) { return rulePointerMatches(p, l.ptr) })
      if (hit) return '<mark class="ln hl" data-pointer="' + esc(l.ptr) + '">' + esc(l.text) + '</mark>'
      if (isNoise) return '<span class="ln noise" data-pointer="' + esc(l.ptr) + '">' + esc(l.text) + ' <span class="tag">noise (ignored)</span></span>'
      return '<span class="ln' + (l.muted ? ' muted' : '') + '">' + esc(l.text) + '</span>'
    }).join('') + '</pre>'
  }

  function headerBlock(headers, diffs, noise) {
    if (!headers || !headers.length) return ''
    var names = diffs.filter(function (d) { return d.where === 'header' }).map(function (d) { return String(d.pointer).split('/')[0].toLowerCase() })
    var noisy = noise.filter(function (r) { return r.where === 'header' }).map(function (r) { return String(r.pointer).replace(/^\//, '').toLowerCase() })
    return '<div class="headers">' + headers.map(function (h) {
      var name = String(h[0]).toLowerCase()
      var line = esc(h[0]) + ': ' + esc(h[1])
      if (names.indexOf(name) >= 0) return '<mark class="ln hl" data-header="' + esc(name) + '">' + line + '</mark>'
      if (noisy.indexOf(name) >= 0) return '<span class="ln noise">' + line + ' <span class="tag">noise (ignored)</span></span>'
      return '<span class="ln">' + line + '</span>'
    }).join('') + '</div>'
  }

  function answerBlock(side, label, answer, diffs, noise) {
    var statusDiff = diffs.some(function (d) { return d.where === 'status' })
    var html = '<div class="side side-' + side + '" data-side="' + side + '"><h4>' + esc(label) + ' <span class="muted small">' + side + '</span></h4>'
    if (!answer) return html + '<p class="muted">No answer recorded.</p></div>'
    html += '<div class="status-line' + (statusDiff ? ' hl' : '') + '">HTTP <b>' + esc(answer.status) + '</b>' +
      (answer.durationMs != null ? ' <span class="muted small">' + esc(fmtMs(answer.durationMs)) + ' ms</span>' : '') + '</div>'
    if (answer.error) html += '<p class="bad">' + esc(answer.error.code) + ': ' + esc(answer.error.message) + '</p>'
    return html + headerBlock(answer.headers, diffs, noise) + bodyBlock(answer.body, diffs, noise) + '</div>'
  }

  function shortValue(v) {
    if (v === undefined) return '<span class="muted">absent</span>'
    var s = JSON.stringify(v)
    if (s === undefined) s = String(v)
    return '<code>' + esc(s.length > 80 ? s.slice(0, 79) + '\u2026' : s) + '</code>'
  }

  function differencesTable(r) {
    return '<table class="list diffs"><thead><tr><th>Where</th><th>Field</th><th>Kind</th><th>' + esc(baseline.name) + '</th><th>' + esc(candidates[0] || 'candidate') + '</th></tr></thead><tbody>' +
      r.differences.map(function (d) {
        return '<tr data-pointer="' + esc(d.pointer) + '"><td>' + esc(d.where) + '</td><td><code>' + esc(d.pointer || '(whole)') + '</code></td><td>' + esc(d.kind) + '</td>' +
          '<td>' + shortValue(d.baseline) + '</td><td>' + shortValue(d.candidate) + '</td></tr>'
      }).join('') + '</tbody></table>'
  }

  function routeDetail(r, i) {
    var noise = noiseFor(r.key)
    var html = '<div class="route-diff">' + acceptBlock(r, i) + (r.differences.length ? differencesTable(r) : '')
    var ex = r.example
    if (!ex) return html + '<p class="muted">No example pair was kept for this route.</p></div>'
    var req = ex.request
    html += '<div class="request"><h4>Request</h4><div class="req-line"><code>' + esc(req.method + ' ' + req.url) + '</code></div>' +
      headerBlock(req.headers, [], []) + (req.body ? bodyBlock(req.body, [], []) : '') + '</div>'
    html += '<div class="sbs">' + answerBlock('baseline', baseline.name, ex.baseline, r.differences, noise) +
      answerBlock('candidate', candidates[0] || 'candidate', ex.candidate, r.differences, noise) + '</div>'
    if (noise.length) {
      html += '<p class="noise-note small">noise (ignored): ' + noise.map(function (n) {
        return '<code>' + esc((n.where === 'header' ? 'header ' : '') + n.pointer) + '</code>'
      }).join(', ') + '</p>'
    }
    return html + '</div>'
  }

  function diffFields(r) {
    var seen = {}
    var fields = []
    r.differences.forEach(function (d) {
      var label = d.where === 'status' ? 'status' : d.where === 'body' ? (d.pointer || 'body') : d.where + ' ' + d.pointer
      if (seen[label]) return
      seen[label] = true
      fields.push('<code class="field" title="' + esc(d.kind) + '">' + esc(label) + '</code> <span class="muted small">' + esc(d.kind) + '</span>')
    })
    if (!fields.length) return '<span class="muted">\u2014</span>'
    return fields.slice(0, 6).join(' ') + (fields.length > 6 ? ' <span class="muted small">and ' + (fields.length - 6) + ' more</span>' : '')
  }

  function routesTable() {
    var routes = (run.routes || []).map(function (r, i) { return { r: r, i: i } })
      .filter(function (x) { return behaviourState.status === 'all' || x.r.status === behaviourState.status })
    var body = routes.map(function (x) {
      var r = x.r
      var expandable = r.status === 'divergent'
      var open = expandable && behaviourState.open[r.key]
      var row = '<tr class="route' + (expandable ? ' expandable' : '') + (open ? ' open' : '') + '" data-key="' + esc(r.key) + '" data-index="' + x.i + '" data-status="' + esc(r.status) + '" tabindex="0"' +
        (expandable ? ' aria-expanded="' + (open ? 'true' : 'false') + '" aria-controls="route-detail-' + x.i + '"' : '') + '>' +
        '<td>' + (expandable ? '<span class="caret" aria-hidden="true">' + (open ? '\u25be' : '\u25b8') + '</span> ' : '<span class="caret" aria-hidden="true"></span> ') + routeLabel(r.method, r.path) + '</td>' +
        '<td>' + badge(r.status) + (routeFinding(r) && routeFinding(r).accepted ? ' <span class="badge st-excluded accepted-mark">accepted</span>' : '') +
        '</td><td class="num">' + esc(r.exchanges) + '</td><td>' + diffFields(r) + '</td></tr>'
      if (open) row += '<tr class="route-detail" id="route-detail-' + x.i + '"><td colspan="4">' + routeDetail(r, x.i) + '</td></tr>'
      return row
    }).join('')
    return '<table class="list routes" id="routes"><thead><tr><th>Route</th><th>Status</th><th class="num">Exchanges</th><th>Differing fields</th></tr></thead><tbody>' +
      (body || '<tr class="empty"><td colspan="4" class="muted">No route has this status.</td></tr>') + '</tbody></table>'
  }

  function refreshRoutes(focusKey) {
    var holder = document.getElementById('routes-holder')
    if (!holder) return
    holder.innerHTML = routesTable()
    if (focusKey != null) {
      var rows = holder.querySelectorAll('tr.route')
      for (var i = 0; i < rows.length; i++) if (rows[i].getAttribute('data-key') === focusKey) rows[i].focus()
    }
  }

  function toggleRoute(row) {
    var key = row.getAttribute('data-key')
    behaviourState.open[key] = !behaviourState.open[key]
    refreshRoutes(key)
  }

  function noiseBlock() {
    var noise = run.noise || []
    if (!noise.length) return ''
    return '<section><h2>Noise <span class="muted small">fields that differ between two baseline answers: ignored, proposed as ignore rules</span></h2>' +
      '<table class="list noise-rules" id="noise"><thead><tr><th>Route</th><th>Where</th><th>Field</th><th>Why</th><th class="num">Evidence</th></tr></thead><tbody>' +
      noise.map(function (n) {
        return '<tr class="noise"><td><code>' + esc(n.route) + '</code></td><td>' + esc(n.where) + '</td><td><code>' + esc(n.pointer) + '</code> <span class="tag">noise (ignored)</span></td>' +
          '<td>' + text(n.reason) + '</td><td class="num">' + esc(n.evidence == null ? '' : n.evidence) + '</td></tr>'
      }).join('') + '</tbody></table></section>'
  }

  // The outcome the run carries (assess/e2e.ts); classified the same way for runs stored before it was.
  // pass on both, regression (fails only on the candidate), missing (did not run on the candidate),
  // fail on both, fixed (fails only on the baseline), other (skipped, or only on the candidate).
  function testOutcome(t) {
    var o = t.outcome
    if (!o) {
      if (t.baseline === 'pass' && t.candidate === 'pass') o = 'pass-both'
      else if (t.baseline === 'pass' && t.candidate === 'fail') o = 'regression'
      else if (t.baseline === 'pass' && t.candidate === 'absent') o = 'missing'
      else if (t.baseline === 'absent') o = 'new'
      else if (t.baseline === 'skip' || t.candidate === 'skip') o = 'skipped'
      else if (t.candidate === 'pass') o = 'fixed'
      else o = 'fail-both'
    }
    return o === 'pass-both' ? 'pass' : o === 'skipped' || o === 'new' ? 'other' : o
  }
  var OUTCOME_ORDER = ['regression', 'missing', 'fail-both', 'fixed', 'other', 'pass']
  var OUTCOME_LABEL = { pass: 'pass on both', regression: 'regression', missing: 'not run on the candidate', 'fail-both': 'fail on both', fixed: 'fixed', other: 'skipped or new' }

  function testCounts() {
    var c = { pass: 0, regression: 0, missing: 0, 'fail-both': 0, fixed: 0, other: 0 }
    ;(run.tests || []).forEach(function (t) { c[testOutcome(t)]++ })
    return c
  }

  function e2eBlock() {
    var tests = run.tests || []
    if (!tests.length) return ''
    var c = testCounts()
    var rows = tests.map(function (t, i) { return { t: t, i: i, o: testOutcome(t) } })
      .sort(function (a, b) { return OUTCOME_ORDER.indexOf(a.o) - OUTCOME_ORDER.indexOf(b.o) || a.i - b.i })
    var res = function (v) { return '<span class="res res-' + esc(v) + '">' + esc(v) + '</span>' }
    return '<section><h2>End-to-end suite <span class="muted small">' + tests.length + ' tests against both sides</span></h2>' +
      '<ul class="counts e2e-counts" id="e2e-counts">' + ['pass', 'regression', 'fail-both'].concat(c.missing ? ['missing'] : [], c.fixed ? ['fixed'] : [], c.other ? ['other'] : []).map(function (o) {
        return '<li data-outcome="' + o + '"><span class="badge oc-' + o + '">' + esc(OUTCOME_LABEL[o]) + '</span> <b>' + c[o] + '</b></li>'
      }).join('') + '</ul>' +
      '<table class="list" id="e2e"><thead><tr><th>Test</th><th>Outcome</th><th>' + esc(baseline.name) + '</th><th>' + esc(candidates[0] || 'candidate') + '</th></tr></thead><tbody>' +
      rows.map(function (x) {
        return '<tr data-outcome="' + x.o + '"><td>' + esc(x.t.name) + '</td><td><span class="badge oc-' + x.o + '">' + esc(OUTCOME_LABEL[x.o]) + '</span></td>' +
          '<td>' + res(x.t.baseline) + '</td><td>' + res(x.t.candidate) + '</td></tr>'
      }).join('') + '</tbody></table></section>'
  }

  function behaviourView() {
    var routes = run.routes || []
    var counts = routeCounts()
    var html = '<main class="wrap" id="view-behaviour"><h2>Behaviour <span class="muted small">replayed traffic, per route: ' + esc(baseline.name) + ' vs ' + esc(candidates[0] || 'candidate') + '</span></h2>'
    if (routes.length) {
      html += '<div class="toolbar"><select id="routes-status" aria-label="Route status filter">' +
        '<option value="all"' + (behaviourState.status === 'all' ? ' selected' : '') + '>Any status (' + routes.length + ')</option>' +
        ROUTE_STATUSES.map(function (s) {
          return '<option value="' + s + '"' + (behaviourState.status === s ? ' selected' : '') + '>' + s + ' (' + counts[s] + ')</option>'
        }).join('') + '</select>' +
        '<span class="legend muted small">Select a divergent route (Enter) to see both answers side by side.</span></div>' +
        '<div id="routes-holder">' + routesTable() + '</div>'
    } else {
      html += '<p class="note">No traffic was replayed in this run. <code>parity replay</code> fills this view.</p>'
    }
    return html + noiseBlock() + e2eBlock() + '</main>'
  }

  // --- performance: side-by-side figures, ratios and charts of `parity bench` -----------------------

  function fmtMs(n) {
    if (n == null || isNaN(n)) return '\u2014'
    return n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2)
  }
  function fmtInt(n) { return Math.round(n).toLocaleString('en-US') }
  function fmtRatio(r) { return (r >= 10 ? r.toFixed(1) : String(Number(r.toFixed(2)))) + 'x' }
  function systemOf(e) { return e.system || e.target }

  var benchColorIndex = {}
  function indexBenchColors() {
    benchColorIndex = {}
    ;(run.bench || []).concat(run.wsBench || []).forEach(function (e) {
      var s = systemOf(e)
      if (benchColorIndex[s] == null) benchColorIndex[s] = Object.keys(benchColorIndex).length
    })
  }
  function benchColor(system) { return SERIES_COLORS[(benchColorIndex[system] || 0) % SERIES_COLORS.length] }

  function scenariosOf(entries) {
    var list = []
    entries.forEach(function (e) { if (list.indexOf(e.scenario) < 0) list.push(e.scenario) })
    return list
  }

  // [key, label, lower is better]; throughput reads "2.4x throughput", the others "p95 0.31x".
  var RATIO_FIELDS = [['rps', 'throughput', false], ['p50', 'p50', true], ['p95', 'p95', true], ['p99', 'p99', true],
    ['rss', 'memory', true], ['cpu', 'CPU per request', true], ['startup', 'cold start', true]]

  function ratioParts(c) {
    return RATIO_FIELDS.filter(function (f) { return c.ratios[f[0]] != null }).map(function (f) {
      var r = c.ratios[f[0]]
      var verdict = Math.abs(r - 1) < 0.03 ? 'same' : (f[2] ? r < 1 : r > 1) ? 'better' : 'worse'
      var words = f[0] === 'rps' ? fmtRatio(r) + ' throughput' : f[1] + ' ' + fmtRatio(r)
      return '<span class="ratio r-' + verdict + '" data-metric="' + f[0] + '" title="' + esc(c.candidate + ' / ' + c.baseline + ': ' + verdict + (f[2] ? ', lower is better' : ', higher is better')) + '">' + esc(words) + '</span>'
    })
  }

  function comparisonLine(c) {
    return '<div class="comparison" data-scenario="' + esc(c.scenario) + '"><strong>' + esc(c.candidate) + '</strong> <span class="muted">vs</span> <strong>' + esc(c.baseline) + '</strong>: ' +
      ratioParts(c).join(', ') +
      '<div class="small"><span class="conf conf-' + esc(c.confidence) + '">confidence ' + esc(c.confidence) + '</span> ' + text(c.note) + '</div></div>'
  }

  function benchTable(rows) {
    var dash = '\u2014'
    return '<table class="list bench-table"><thead><tr><th>System</th><th class="num">req/s</th><th class="num">\u00b1</th><th class="num">p50 ms</th><th class="num">p90 ms</th>' +
      '<th class="num">p95 ms</th><th class="num">p99 ms</th><th class="num">max ms</th><th class="num">Errors</th><th class="num">RSS peak</th><th class="num">CPU</th><th class="num">Cold start</th></tr></thead><tbody>' +
      rows.map(function (e) {
        var ran = e.trials.some(function (t) { return t.result && !t.failed })
        var cell = function (col, value, title) {
          return '<td class="num" data-col="' + col + '"' + (title ? ' title="' + esc(title) + '"' : '') + '>' + esc(value) + '</td>'
        }
        var errKinds = Object.keys(e.errorsByKind || {}).map(function (k) { return k + ' ' + e.errorsByKind[k] }).join(', ')
        return '<tr data-system="' + esc(systemOf(e)) + '"><td><span class="swatch" style="background:' + benchColor(systemOf(e)) + '"></span><strong>' + esc(systemOf(e)) + '</strong>' +
          (e.role ? ' <span class="muted small">' + esc(e.role) + '</span>' : '') + (e.generatorBound ? ' <span class="badge st-divergent" title="parity\'s generator was at 90% of a core or more">generator-bound</span>' : '') + '</td>' +
          cell('rps', ran ? fmtInt(e.throughput.rps) : dash) +
          cell('spread', ran ? Math.round(e.spread.cv * 100) + '%' : dash, ran ? 'trials from ' + fmtInt(e.spread.min) + ' to ' + fmtInt(e.spread.max) + ' req/s' : '') +
          cell('p50', ran ? fmtMs(e.latency.p50) : dash) + cell('p90', ran ? fmtMs(e.latency.p90) : dash) + cell('p95', ran ? fmtMs(e.latency.p95) : dash) +
          cell('p99', ran ? fmtMs(e.latency.p99) : dash) + cell('max', ran ? fmtMs(e.latency.max) : dash) +
          cell('errors', e.errors, errKinds) +
          cell('rss', e.resources ? e.resources.rssPeakMb.toFixed(0) + ' MiB' : dash) +
          cell('cpu', e.resources ? e.resources.cpuMeanPercent.toFixed(0) + '%' : dash, e.idle ? 'idle ' + e.idle.cpuMeanPercent.toFixed(1) + '%' : '') +
          cell('startup', e.startup ? fmtMs(e.startup.median) + ' \u00b1 ' + fmtMs(e.startup.stddev) + ' ms' : dash, e.startup ? e.startup.runs + ' runs, ' + e.startup.warmup + ' warm-up' : '') + '</tr>'
      }).join('') + '</tbody></table>'
  }

  // Round numbers for an axis: 0 .. top in about `count` steps of 1, 2 or 5 x 10^k.
  function niceTicks(max, count) {
    if (!(max > 0)) max = 1
    var raw = max / (count || 4)
    var mag = Math.pow(10, Math.floor(Math.log(raw) / Math.LN10))
    var step = [1, 2, 5, 10].map(function (m) { return m * mag }).filter(function (s) { return s >= raw })[0]
    var ticks = []
    for (var v = 0; v < max + step / 2; v += step) ticks.push(Number(v.toPrecision(12)))
    if (ticks[ticks.length - 1] < max) ticks.push(Number((ticks[ticks.length - 1] + step).toPrecision(12)))
    return ticks
  }

  function legendOf(systems) {
    return '<div class="legend">' + systems.map(function (s) {
      return '<span class="swatch" style="background:' + benchColor(s) + '"></span>' + esc(s)
    }).join(' ') + '</div>'
  }

  // HdrHistogram's percentile plot: x is log10(1 / (1 - p)), so 90, 99, 99.9 are evenly spaced; 100 (max) sits at the right edge.
  function latencyChart(rows, id) {
    var series = rows.filter(function (e) { return e.distribution && e.distribution.length })
    if (!series.length) return ''
    var W = 880, H = 320, L = 56, R = 24, T = 16, B = 48
    var tOf = function (p) { return p >= 100 ? null : Math.log(100 / (100 - p)) / Math.LN10 }
    var tMax = 2, hasMax = false, yMax = 0
    series.forEach(function (e) {
      e.distribution.forEach(function (pt) {
        var t = tOf(pt[0])
        if (t == null) hasMax = true
        else tMax = Math.max(tMax, Math.ceil(t - 1e-9))
        yMax = Math.max(yMax, pt[1])
      })
    })
    var right = tMax + (hasMax ? 0.5 : 0)
    var yTicks = niceTicks(yMax, 4)
    var top = yTicks[yTicks.length - 1]
    var x = function (p) { var t = tOf(p); return L + ((t == null ? right : t) / right) * (W - L - R) }
    var y = function (ms) { return T + (H - T - B) * (1 - ms / top) }
    var svg = '<svg class="chart latency-chart" id="' + id + '" viewBox="0 0 ' + W + ' ' + H + '" role="img" aria-label="Latency by percentile, per system">'
    yTicks.forEach(function (v) {
      svg += '<line class="grid" x1="' + L + '" x2="' + (W - R) + '" y1="' + y(v).toFixed(1) + '" y2="' + y(v).toFixed(1) + '"></line>' +
        '<text class="axis" x="' + (L - 8) + '" y="' + (y(v) + 4).toFixed(1) + '" text-anchor="end">' + esc(v) + '</text>'
    })
    var ticks = [[50, '50'], [90, '90'], [99, '99'], [99.9, '99.9'], [99.99, '99.99'], [99.999, '99.999']].filter(function (t) { return tOf(t[0]) <= tMax + 1e-9 })
    if (hasMax) ticks.push([100, 'max'])
    ticks.forEach(function (t) {
      var xv = x(t[0]).toFixed(1)
      svg += '<line class="grid" x1="' + xv + '" x2="' + xv + '" y1="' + T + '" y2="' + (H - B) + '"></line>' +
        '<text class="axis" x="' + xv + '" y="' + (H - B + 16) + '" text-anchor="middle">' + t[1] + '</text>'
    })
    svg += '<text class="axis" x="' + ((L + W - R) / 2) + '" y="' + (H - 8) + '" text-anchor="middle">percentile</text>' +
      '<text class="axis" x="14" y="' + ((T + H - B) / 2) + '" text-anchor="middle" transform="rotate(-90 14 ' + ((T + H - B) / 2) + ')">latency ms</text>'
    series.forEach(function (e) {
      var color = benchColor(systemOf(e))
      var pts = e.distribution.map(function (pt) { return [x(pt[0]), y(pt[1]), pt] })
      svg += '<polyline class="series" data-system="' + esc(systemOf(e)) + '" fill="none" stroke="' + color + '" stroke-width="2.5" points="' +
        pts.map(function (p) { return p[0].toFixed(1) + ',' + p[1].toFixed(1) }).join(' ') + '"></polyline>'
      pts.forEach(function (p) {
        svg += '<circle class="point" cx="' + p[0].toFixed(1) + '" cy="' + p[1].toFixed(1) + '" r="3" fill="' + color + '"><title>' +
          esc(systemOf(e) + ': p' + p[2][0] + ' ' + fmtMs(p[2][1]) + ' ms') + '</title></circle>'
      })
    })
    return '<div class="chart-box"><h4>Latency distribution</h4>' + svg + '</svg>' + legendOf(series.map(systemOf)) + '</div>'
  }

  // One bar per trial per system, in the order they ran (A B A B), so drift, spread and growth show.
  // opts: id, cls (chart class), barCls, label (the h4), aria, width and height (viewBox), valueOf(trial) -> number or null,
  // axis(v) and value(v) for the labels, idleOf(entry) -> number or null (a dashed line per system),
  // missingIsFailure (a trial without a value gets the failed mark).
  function trialBars(rows, opts) {
    var n = 0, yMax = 0, any = false
    rows.forEach(function (e) {
      n = Math.max(n, e.trials.length)
      e.trials.forEach(function (t) { var v = opts.valueOf(t); if (v != null) { any = true; yMax = Math.max(yMax, v) } })
      var idle = opts.idleOf ? opts.idleOf(e) : null
      if (idle != null) yMax = Math.max(yMax, idle)
    })
    if (!n || !(any || opts.missingIsFailure)) return ''
    var W = opts.width || 880, H = opts.height || 260, L = opts.width ? 52 : 64, R = 16, T = 16, B = 40
    var yTicks = niceTicks(yMax, 4)
    var top = yTicks[yTicks.length - 1]
    var y = function (v) { return T + (H - T - B) * (1 - v / top) }
    var groupW = (W - L - R) / n
    var barW = Math.max(4, Math.min(48, (groupW - 16) / rows.length))
    var svg = '<svg class="chart ' + opts.cls + '" id="' + opts.id + '" viewBox="0 0 ' + W + ' ' + H + '" role="img" aria-label="' + esc(opts.aria) + '">'
    yTicks.forEach(function (v) {
      svg += '<line class="grid" x1="' + L + '" x2="' + (W - R) + '" y1="' + y(v).toFixed(1) + '" y2="' + y(v).toFixed(1) + '"></line>' +
        '<text class="axis" x="' + (L - 8) + '" y="' + (y(v) + 4).toFixed(1) + '" text-anchor="end">' + esc(opts.axis(v)) + '</text>'
    })
    for (var g = 0; g < n; g++) {
      var gx = L + g * groupW + (groupW - barW * rows.length) / 2
      svg += '<text class="axis" x="' + (L + g * groupW + groupW / 2).toFixed(1) + '" y="' + (H - B + 16) + '" text-anchor="middle">' + (groupW >= 56 ? 'trial ' : '') + (g + 1) + '</text>'
      rows.forEach(function (e, si) {
        var t = e.trials[g]
        if (!t) return
        var bx = (gx + si * barW).toFixed(1)
        var sys = systemOf(e)
        var v = opts.valueOf(t)
        if (v == null) {
          if (!t.failed && !opts.missingIsFailure) return
          svg += '<text class="failed-mark" data-system="' + esc(sys) + '" data-trial="' + t.index + '" x="' + (gx + si * barW + barW / 2).toFixed(1) + '" y="' + (y(0) - 6).toFixed(1) + '" text-anchor="middle">\u2717<title>' +
            esc(sys + ' trial ' + (g + 1) + ' failed: ' + (t.failed || 'no result')) + '</title></text>'
          return
        }
        svg += '<rect class="' + opts.barCls + (t.failed ? ' trial-failed' : '') + '" data-system="' + esc(sys) + '" data-trial="' + t.index + '" x="' + bx + '" y="' + y(v).toFixed(1) + '" width="' + (barW - 3).toFixed(1) +
          '" height="' + Math.max(0, y(0) - y(v)).toFixed(1) + '" fill="' + benchColor(sys) + '"><title>' + esc(sys + ' trial ' + (g + 1) + ': ' + opts.value(v, t) + (t.failed ? ' (the trial failed: ' + t.failed + ')' : '')) + '</title></rect>'
      })
    }
    rows.forEach(function (e) {
      var idle = opts.idleOf ? opts.idleOf(e) : null
      if (idle == null) return
      var sys = systemOf(e), yv = y(idle).toFixed(1)
      svg += '<line class="idle-mark" data-system="' + esc(sys) + '" x1="' + L + '" x2="' + (W - R) + '" y1="' + yv + '" y2="' + yv + '" stroke="' + benchColor(sys) + '"><title>' +
        esc(sys + ' idle, before load: ' + opts.value(idle)) + '</title></line>'
    })
    return '<div class="chart-box"><h4>' + opts.label + '</h4>' + svg + '</svg>' + legendOf(rows.map(systemOf)) + '</div>'
  }

  // Throughput of every trial, in the order they ran (A B A B), so drift and spread show.
  function trialsChart(rows, id) {
    return trialBars(rows, {
      id: id, cls: 'trials-chart', barCls: 'bar-trial', aria: 'Requests per second of each trial', missingIsFailure: true,
      label: 'Throughput per trial <span class="muted small">req/s, in the order run</span>',
      valueOf: function (t) { return t.failed || !t.result ? null : t.result.throughput.rps },
      axis: fmtInt, value: function (v) { return fmtInt(v) + ' req/s' },
    })
  }

  // Memory and CPU of each system's process tree in every trial, so growth over the run shows; dashed: the same tree idle, before load.
  function resourceCharts(rows, si) {
    var has = rows.some(function (e) { return e.trials.some(function (t) { return t.resources }) })
    if (!has) return ''
    var idleNote = (rows.some(function (e) { return e.idle }) ? '; dashed: idle, before load' : '') +
      (rows.some(function (e) { return e.trials.some(function (t) { return t.failed && t.resources }) }) ? '; faded: a failed trial, until it failed' : '')
    var rss = trialBars(rows, {
      id: 'rss-chart-' + si, cls: 'resource-chart rss-chart', barCls: 'bar-rss', aria: 'Peak RSS of each trial, per system', width: 440, height: 240,
      label: 'RSS peak <span class="muted small">MiB, whole process tree' + idleNote + '</span>',
      valueOf: function (t) { return t.resources ? t.resources.rssPeakMb : null },
      idleOf: function (e) { return e.idle ? e.idle.rssPeakMb : null },
      axis: function (v) { return fmtInt(v) },
      value: function (v, t) { return v.toFixed(0) + ' MiB peak' + (t && t.resources ? ', ' + t.resources.rssMeanMb.toFixed(0) + ' MiB mean' : '') },
    })
    var cpu = trialBars(rows, {
      id: 'cpu-chart-' + si, cls: 'resource-chart cpu-chart', barCls: 'bar-cpu', aria: 'Mean CPU of each trial, per system', width: 440, height: 240,
      label: 'CPU mean <span class="muted small">% of one core, whole process tree' + idleNote + '</span>',
      valueOf: function (t) { return t.resources ? t.resources.cpuMeanPercent : null },
      idleOf: function (e) { return e.idle ? e.idle.cpuMeanPercent : null },
      axis: function (v) { return v + '%' },
      value: function (v, t) { return v.toFixed(v < 10 ? 1 : 0) + '% mean' + (t && t.resources ? ', ' + t.resources.cpuPeakPercent.toFixed(0) + '% peak' : '') },
    })
    return '<div class="resource-charts" id="resources-' + si + '"><h4 class="group">RSS and CPU per trial</h4>' + rss + cpu + '</div>'
  }

  // `parity bench` with a WebSocket path: N subscribers, one publisher, publish-to-receipt latency on every client.
  function wsBlock() {
    var ws = run.wsBench || []
    if (!ws.length) return ''
    var first = ws[0]
    var rows = ws.map(function (w) {
      var sys = systemOf(w)
      var expected = w.connected * w.published
      var cell = function (col, value, title) {
        return '<td class="num" data-col="' + col + '"' + (title ? ' title="' + esc(title) + '"' : '') + '>' + esc(value) + '</td>'
      }
      return '<tr data-system="' + esc(sys) + '"><td><span class="swatch" style="background:' + benchColor(sys) + '"></span><strong>' + esc(sys) + '</strong>' +
        (w.role ? ' <span class="muted small">' + esc(w.role) + '</span>' : '') + '</td>' +
        cell('connected', Math.round(w.successRate * 100) + '%', w.connected + ' of ' + w.connections + ' subscribers connected' + (w.failed ? ', ' + w.failed + ' failed' : '')) +
        cell('received', fmtInt(w.received) + ' / ' + fmtInt(expected), expected ? Math.round((100 * w.received) / expected) + '% of the broadcast copies' : '') +
        cell('p50', fmtMs(w.latency.p50)) + cell('p95', fmtMs(w.latency.p95)) + cell('p99', fmtMs(w.latency.p99)) + cell('max', fmtMs(w.latency.max)) + '</tr>'
    }).join('')
    return '<section class="ws-fanout" id="ws-fanout"><h3>WebSocket fan-out <code>' + esc(first.path) + '</code> <span class="muted small">' +
      esc(first.connections + ' subscribers, ' + first.messages + ' messages from one publisher; latency from publish to receipt on every client') + '</span></h3>' +
      '<table class="list bench-table" id="ws-bench"><thead><tr><th>System</th><th class="num">Connected</th><th class="num">Received</th><th class="num">p50 ms</th><th class="num">p95 ms</th><th class="num">p99 ms</th><th class="num">max ms</th></tr></thead><tbody>' +
      rows + '</tbody></table>' + wsChart(ws) + '</section>'
  }

  // p50, p95, p99 and max of each system side by side.
  function wsChart(ws) {
    var marks = [['p50', 'p50'], ['p95', 'p95'], ['p99', 'p99'], ['max', 'max']]
    var yMax = 0
    ws.forEach(function (w) { marks.forEach(function (m) { yMax = Math.max(yMax, w.latency[m[0]] || 0) }) })
    if (!(yMax > 0)) return ''
    var W = 880, H = 220, L = 56, R = 16, T = 16, B = 40
    var yTicks = niceTicks(yMax, 4)
    var top = yTicks[yTicks.length - 1]
    var y = function (v) { return T + (H - T - B) * (1 - v / top) }
    var groupW = (W - L - R) / marks.length
    var barW = Math.min(48, (groupW - 16) / ws.length)
    var svg = '<svg class="chart ws-chart" id="ws-chart" viewBox="0 0 ' + W + ' ' + H + '" role="img" aria-label="WebSocket fan-out latency percentiles, per system">'
    yTicks.forEach(function (v) {
      svg += '<line class="grid" x1="' + L + '" x2="' + (W - R) + '" y1="' + y(v).toFixed(1) + '" y2="' + y(v).toFixed(1) + '"></line>' +
        '<text class="axis" x="' + (L - 8) + '" y="' + (y(v) + 4).toFixed(1) + '" text-anchor="end">' + esc(v) + '</text>'
    })
    marks.forEach(function (m, g) {
      var gx = L + g * groupW + (groupW - barW * ws.length) / 2
      svg += '<text class="axis" x="' + (L + g * groupW + groupW / 2).toFixed(1) + '" y="' + (H - B + 16) + '" text-anchor="middle">' + m[1] + '</text>'
      ws.forEach(function (w, si) {
        var sys = systemOf(w), v = w.latency[m[0]] || 0
        svg += '<rect class="bar-ws" data-system="' + esc(sys) + '" data-metric="' + m[0] + '" x="' + (gx + si * barW).toFixed(1) + '" y="' + y(v).toFixed(1) + '" width="' + (barW - 3).toFixed(1) +
          '" height="' + Math.max(0, y(0) - y(v)).toFixed(1) + '" fill="' + benchColor(sys) + '"><title>' + esc(sys + ' ' + m[1] + ': ' + fmtMs(v) + ' ms') + '</title></rect>'
      })
    })
    return '<div class="chart-box"><h4>Publish to receipt <span class="muted small">ms</span></h4>' + svg + '</svg>' + legendOf(ws.map(systemOf)) + '</div>'
  }

  // Cold start of each measured run, per system; outliers hollow, the median dashed.
  function startupChart() {
    var seen = {}
    var rows = (run.bench || []).filter(function (e) {
      var s = systemOf(e)
      if (seen[s] || !e.startup || !e.startup.times || !e.startup.times.length) return false
      seen[s] = true
      return true
    })
    if (!rows.length) return ''
    var n = 0, yMax = 0
    rows.forEach(function (e) { n = Math.max(n, e.startup.times.length); e.startup.times.forEach(function (v) { yMax = Math.max(yMax, v) }) })
    var W = 880, H = 240, L = 56, R = 16, T = 16, B = 40
    var yTicks = niceTicks(yMax, 4)
    var top = yTicks[yTicks.length - 1]
    var x = function (i) { return n === 1 ? (L + W - R) / 2 : L + 12 + (i * (W - L - R - 24)) / (n - 1) }
    var y = function (v) { return T + (H - T - B) * (1 - v / top) }
    var svg = '<svg class="chart startup-chart" id="startup-chart" viewBox="0 0 ' + W + ' ' + H + '" role="img" aria-label="Cold start time of each run, per system">'
    yTicks.forEach(function (v) {
      svg += '<line class="grid" x1="' + L + '" x2="' + (W - R) + '" y1="' + y(v).toFixed(1) + '" y2="' + y(v).toFixed(1) + '"></line>' +
        '<text class="axis" x="' + (L - 8) + '" y="' + (y(v) + 4).toFixed(1) + '" text-anchor="end">' + esc(v) + '</text>'
    })
    for (var i = 0; i < n; i++) svg += '<text class="axis" x="' + x(i).toFixed(1) + '" y="' + (H - B + 16) + '" text-anchor="middle">' + (i + 1) + '</text>'
    svg += '<text class="axis" x="' + ((L + W - R) / 2) + '" y="' + (H - 6) + '" text-anchor="middle">run</text>'
    rows.forEach(function (e) {
      var sys = systemOf(e), color = benchColor(sys), st = e.startup
      svg += '<line class="median" data-system="' + esc(sys) + '" x1="' + L + '" x2="' + (W - R) + '" y1="' + y(st.median).toFixed(1) + '" y2="' + y(st.median).toFixed(1) + '" stroke="' + color + '"></line>'
      st.times.forEach(function (v, i) {
        var outlier = (st.outliers || []).indexOf(i) >= 0
        svg += '<circle class="dot' + (outlier ? ' outlier' : '') + '" data-system="' + esc(sys) + '" cx="' + x(i).toFixed(1) + '" cy="' + y(v).toFixed(1) + '" r="4.5"' +
          (outlier ? ' fill="none" stroke="' + color + '" stroke-width="2"' : ' fill="' + color + '"') + '><title>' + esc(sys + ' run ' + (i + 1) + ': ' + fmtMs(v) + ' ms' + (outlier ? ' (outlier)' : '')) + '</title></circle>'
      })
    })
    return '<section><h2>Cold start <span class="muted small">spawn to ready, ms, each measured run; dashed: median</span></h2><div class="chart-box">' + svg + '</svg>' +
      legendOf(rows.map(systemOf)) + '</div></section>'
  }

  function benchWarnings(rows) {
    var items = []
    rows.forEach(function (e) {
      e.trials.forEach(function (t) {
        if (t.failed) items.push('<li class="trial-failed" data-system="' + esc(systemOf(e)) + '">\u2717 ' + esc(systemOf(e)) + ' trial ' + (t.index + 1) + ' failed: ' + esc(t.failed) + '</li>')
      })
      if (e.generatorBound) {
        items.push('<li class="generator-bound" data-system="' + esc(systemOf(e)) + '">! ' + esc(systemOf(e)) + ': generator-bound (parity\'s load generator was at 90% of a core or more); the figure is the generator\'s ceiling, not the server\'s capacity</li>')
      }
    })
    return items.length ? '<ul class="bench-warnings">' + items.join('') + '</ul>' : ''
  }

  function performanceView() {
    var entries = run.bench || []
    if (!hasBench()) {
      return '<main class="wrap" id="view-performance"><h2>Performance</h2><p class="note">Nothing was measured in this run. <code>parity bench</code> fills this view.</p></main>'
    }
    var html = '<main class="wrap" id="view-performance"><h2>Performance <span class="muted small">both systems measured the same way, trials alternating</span></h2>'
    scenariosOf(entries).forEach(function (scenario, si) {
      var rows = entries.filter(function (e) { return e.scenario === scenario })
      var first = rows[0]
      var how = first.model === 'open' ? 'open model, ' + first.rate + ' req/s' : first.connections + ' connections'
      var trials = Math.max.apply(null, rows.map(function (e) { return e.trials.length }))
      html += '<section class="scenario" data-scenario="' + esc(scenario) + '"><h3><code>' + esc(scenario) + '</code> <span class="muted small">' + esc(how) + ', ' + trials + ' trial' + (trials === 1 ? '' : 's') + ' each</span></h3>' +
        benchTable(rows) +
        (run.benchComparisons || []).filter(function (c) { return c.scenario === scenario }).map(comparisonLine).join('') +
        benchWarnings(rows) +
        '<div class="bench-charts">' + latencyChart(rows, 'latency-chart-' + si) + trialsChart(rows, 'trials-chart-' + si) + resourceCharts(rows, si) + '</div></section>'
    })
    return html + wsBlock() + startupChart() + '</main>'
  }

  // The first scenario's ratios (or req/s), then one line for WebSocket fan-out and one for MCP latency when measured.
  function performanceCard() {
    var bench = run.bench || []
    var scenario = scenariosOf(bench)[0]
    var html = '<article class="card" id="performance-card"><h3><a href="' + (hasBench() ? '#/performance' : '#/mcp') + '">Performance</a>' +
      (scenario ? ' <span class="muted small"><code>' + esc(scenario) + '</code></span>' : '') + '</h3>'
    if (scenario) {
      var c = (run.benchComparisons || []).filter(function (x) { return x.scenario === scenario })[0]
      html += c ? '<p class="ratios">' + ratioParts(c).join(', ') + '</p><p class="small muted">' + esc(c.candidate) + ' vs ' + esc(c.baseline) + ', confidence ' + esc(c.confidence) + '</p>'
        : '<ul class="counts">' + bench.filter(function (e) { return e.scenario === scenario }).map(function (e) {
          return '<li>' + esc(systemOf(e)) + ' <b>' + fmtInt(e.throughput.rps) + '</b> req/s</li>'
        }).join('') + '</ul>'
    }
    var ws = run.wsBench || []
    if (ws.length) {
      html += '<p class="small perf-line" id="perf-ws"><a href="#/performance">WebSocket fan-out</a> <code>' + esc(ws[0].path) + '</code>: ' + ws.map(function (w) {
        return '<strong>' + esc(systemOf(w)) + '</strong> p95 ' + fmtMs(w.latency.p95) + ' ms, ' + Math.round(w.successRate * 100) + '% connected'
      }).join('; ') + '</p>'
    }
    var mcp = run.mcpBench || []
    if (mcp.length) {
      // Per system, the median over tools of each tool's p95.
      var parts = mcpSystems().map(function (s) {
        var p95s = mcp.filter(function (e) { return e.system === s.name }).map(function (e) { return e.latency.p95 }).sort(function (a, b) { return a - b })
        var mid = p95s.length % 2 ? p95s[(p95s.length - 1) / 2] : (p95s[p95s.length / 2 - 1] + p95s[p95s.length / 2]) / 2
        return '<strong>' + esc(s.name) + '</strong> ' + fmtMs(mid) + ' ms'
      })
      var tools = []
      mcp.forEach(function (e) { if (tools.indexOf(e.tool) < 0) tools.push(e.tool) })
      html += '<p class="small perf-line" id="perf-mcp"><a href="#/mcp">MCP tools</a>, median p95 over ' + tools.length + ' tool' + (tools.length === 1 ? '' : 's') + ': ' + parts.join(', ') + '</p>'
    }
    return html + '</article>'
  }

  // Overview cards linking to the two views.
  function evidenceCards() {
    var html = ''
    if (hasBehaviour()) {
      var counts = routeCounts()
      var tc = testCounts()
      html += '<article class="card" id="behaviour-card"><h3><a href="#/behaviour">Behaviour</a></h3>' +
        ((run.routes || []).length ? '<ul class="counts">' + ROUTE_STATUSES.map(function (s) {
          return '<li data-status="' + s + '">' + badge(s) + ' <b>' + counts[s] + '</b></li>'
        }).join('') + '<li class="muted">of ' + run.routes.length + ' routes</li></ul>' : '') +
        ((run.tests || []).length ? '<p class="small" id="e2e-summary">End-to-end: <b>' + tc.pass + '</b> pass on both, <b class="' + (tc.regression ? 'bad' : '') + '">' + tc.regression + '</b> regression' + (tc.regression === 1 ? '' : 's') +
          ', <b>' + tc['fail-both'] + '</b> fail on both' + (tc.missing ? ', <b>' + tc.missing + '</b> not run on the candidate' : '') + '</p>' : '') + '</article>'
    }
    if (hasBench() || (run.mcpBench && run.mcpBench.length)) html += performanceCard()
    if (hasScorecard()) html += scorecardCard()
    return html ? '<section class="cards evidence-cards">' + html + '</section>' : ''
  }

  // --- MCP: the tool checklist, what each server said, and the latency per tool ------------------------

  function hasMcp() { return !!((run.tools && run.tools.length) || (run.mcpBench && run.mcpBench.length)) }
  var MCP_STATUSES = ['verified', 'ported', 'divergent', 'missing', 'extra']
  var MCP_KIND = { 'mcp-tool': 'tool', 'mcp-resource': 'resource', 'mcp-prompt': 'prompt' }

  // The measured systems, baseline first, with their cold start and RSS peak.
  function mcpSystems() {
    var list = []
    ;(run.mcpBench || []).forEach(function (e) {
      var s = list.filter(function (x) { return x.name === e.system })[0]
      if (!s) list.push(s = { name: e.system, role: e.role, startup: e.startup || null, rss: null })
      if (e.resources) s.rss = Math.max(s.rss || 0, e.resources.rssPeakMb)
    })
    return list.filter(function (s) { return s.role === 'baseline' }).concat(list.filter(function (s) { return s.role !== 'baseline' }))
  }
  function mcpColor(systems, name) {
    for (var i = 0; i < systems.length; i++) if (systems[i].name === name) return SERIES_COLORS[i % SERIES_COLORS.length]
    return SERIES_COLORS[0]
  }
  function mcpEntry(tool, system) {
    return (run.mcpBench || []).filter(function (e) { return e.tool === tool && e.system === system })[0] || null
  }

  function mcpServersBlock() {
    var servers = run.mcpServers || {}
    var names = Object.keys(servers)
    if (!names.length) return ''
    return '<section class="mcp-block"><h3>Servers</h3><table class="list" id="mcp-servers"><thead><tr><th>System</th><th>serverInfo</th><th>Protocol</th><th class="num">initialize</th><th>Instructions</th></tr></thead><tbody>' +
      names.map(function (n) {
        var s = servers[n]
        return '<tr data-system="' + esc(n) + '"><td><strong>' + esc(n) + '</strong></td><td><code>' + esc(s.serverInfo.name + ' ' + s.serverInfo.version) + '</code></td><td>' + esc(s.protocolVersion) + '</td>' +
          '<td class="num">' + fmtMs(s.initializeMs) + ' ms</td><td class="small">' + esc(s.instructions || '') + '</td></tr>'
      }).join('') + '</tbody></table><p class="muted small">serverInfo versions are expected to differ; they are not findings.</p></section>'
  }

  function mcpChecklist() {
    var tools = run.tools || []
    if (!tools.length) return ''
    var counts = {}
    tools.forEach(function (t) { counts[t.status] = (counts[t.status] || 0) + 1 })
    return '<section class="mcp-block"><h3>Tool checklist</h3><ul class="counts" id="mcp-counts">' + MCP_STATUSES.filter(function (s) { return counts[s] }).map(function (s) {
      return '<li data-status="' + s + '">' + badge(s) + ' <b>' + counts[s] + '</b></li>'
    }).join('') + '</ul>' +
      '<table class="list" id="mcp-tools"><thead><tr><th>Name</th><th>Kind</th><th>Status</th><th class="num">Calls</th><th>Changes</th></tr></thead><tbody>' +
      tools.map(function (t) {
        var changes = (t.changes || []).map(function (c) {
          return '<li class="mcp-change' + (c.breaking ? ' breaking' : '') + '" data-kind="' + esc(c.kind) + '">' + (c.breaking ? '<span class="badge st-missing">breaking</span> ' : '') +
            '<span class="muted">' + esc(c.kind) + '</span> ' + text(c.detail) + (c.pointer ? ' <code class="small">' + esc(c.pointer) + '</code>' : '') + '</li>'
        }).join('')
        return '<tr data-tool="' + esc(t.name) + '" data-status="' + esc(t.status) + '"><td><code>' + esc(t.name) + '</code></td><td>' + esc(MCP_KIND[t.kind] || t.kind) + '</td><td>' + badge(t.status) + '</td>' +
          '<td class="num">' + (t.calls ? esc(t.calls.equivalent + '/' + t.calls.total) : '') + '</td><td>' + (changes ? '<ul class="mcp-changes">' + changes + '</ul>' : '<span class="muted">\u2014</span>') + '</td></tr>'
      }).join('') + '</tbody></table></section>'
  }

  // Horizontal bars: per tool, one bar per system, length = p95.
  function mcpP95Chart(systems, tools) {
    var max = 0
    tools.forEach(function (t) { systems.forEach(function (s) { var e = mcpEntry(t, s.name); if (e) max = Math.max(max, e.latency.p95) }) })
    if (!(max > 0)) return ''
    var ticks = niceTicks(max, 5)
    var top = ticks[ticks.length - 1]
    var L = 170, R = 60, T = 10, barH = 14, gap = 10, W = 880
    var groupH = systems.length * barH + gap
    var H = T + tools.length * groupH + 28
    var x = function (v) { return L + (W - L - R) * (v / top) }
    var svg = '<svg class="chart" id="mcp-p95-chart" viewBox="0 0 ' + W + ' ' + H + '" role="img" aria-label="p95 latency per tool and system">'
    ticks.forEach(function (v) {
      svg += '<line class="grid" x1="' + x(v).toFixed(1) + '" x2="' + x(v).toFixed(1) + '" y1="' + T + '" y2="' + (H - 24) + '"></line>' +
        '<text class="axis" x="' + x(v).toFixed(1) + '" y="' + (H - 8) + '" text-anchor="middle">' + esc(fmtMs(v)) + '</text>'
    })
    tools.forEach(function (t, ti) {
      var y0 = T + ti * groupH
      svg += '<text class="axis" x="' + (L - 8) + '" y="' + (y0 + (systems.length * barH) / 2 + 4).toFixed(1) + '" text-anchor="end">' + esc(t) + '</text>'
      systems.forEach(function (s, si) {
        var e = mcpEntry(t, s.name)
        if (!e) return
        var y = y0 + si * barH
        svg += '<rect class="mcp-bar" data-tool="' + esc(t) + '" data-system="' + esc(s.name) + '" x="' + L + '" y="' + y + '" height="' + (barH - 2) + '" width="' + Math.max(1, x(e.latency.p95) - L).toFixed(1) + '" fill="' + mcpColor(systems, s.name) + '">' +
          '<title>' + esc(s.name + ' ' + t + ': p95 ' + fmtMs(e.latency.p95) + ' ms') + '</title></rect>' +
          '<text class="axis" x="' + (x(e.latency.p95) + 4).toFixed(1) + '" y="' + (y + barH - 4) + '">' + esc(fmtMs(e.latency.p95)) + '</text>'
      })
    })
    svg += '<text class="axis" x="' + ((L + W - R) / 2) + '" y="' + (H + 4) + '" text-anchor="middle"></text></svg>'
    return '<div class="chart-box"><h4>p95 per tool (ms)</h4>' + svg + '<div class="legend">' + systems.map(function (s) {
      return '<span class="swatch" style="background:' + mcpColor(systems, s.name) + '"></span>' + esc(s.name)
    }).join(' ') + '</div></div>'
  }

  function mcpLatency() {
    var entries = run.mcpBench || []
    if (!entries.length) return ''
    var systems = mcpSystems()
    var tools = []
    entries.forEach(function (e) { if (tools.indexOf(e.tool) < 0) tools.push(e.tool) })
    var base = systems.filter(function (s) { return s.role === 'baseline' })[0]
    var cand = systems.filter(function (s) { return s.role === 'candidate' })[0]
    var head = '<tr><th rowspan="2">Tool</th>' + systems.map(function (s) {
      return '<th colspan="5" class="sys-head"><span class="swatch" style="background:' + mcpColor(systems, s.name) + '"></span>' + esc(s.name) + '</th>'
    }).join('') + (base && cand ? '<th rowspan="2" class="num">p95 ratio</th>' : '') + '</tr><tr>' +
      systems.map(function () { return '<th class="num">p50</th><th class="num">p95</th><th class="num">p99</th><th class="num">calls/s</th><th class="num">err</th>' }).join('') + '</tr>'
    var body = tools.map(function (t) {
      var cells = systems.map(function (s) {
        var e = mcpEntry(t, s.name)
        if (!e) return '<td class="num" colspan="5">\u2014</td>'
        return '<td class="num" data-system="' + esc(s.name) + '" data-col="p50">' + fmtMs(e.latency.p50) + '</td><td class="num" data-system="' + esc(s.name) + '" data-col="p95">' + fmtMs(e.latency.p95) + '</td>' +
          '<td class="num" data-col="p99">' + fmtMs(e.latency.p99) + '</td><td class="num" data-col="cps">' + fmtInt(e.callsPerSecond) + '</td><td class="num' + (e.errors ? ' warn-text' : '') + '" data-col="errors">' + e.errors + '</td>'
      }).join('')
      var ratio = ''
      if (base && cand) {
        var b = mcpEntry(t, base.name), c = mcpEntry(t, cand.name)
        ratio = '<td class="num" data-col="ratio">' + (b && c && b.latency.p95 > 0 ? fmtRatio(c.latency.p95 / b.latency.p95) : '\u2014') + '</td>'
      }
      return '<tr data-tool="' + esc(t) + '"><td><code>' + esc(t) + '</code></td>' + cells + ratio + '</tr>'
    }).join('')
    var first = entries[0]
    var facts = systems.map(function (s) {
      var parts = []
      if (s.startup) parts.push('cold start ' + fmtMs(s.startup.median) + ' ms (median of ' + s.startup.runs + ')')
      if (s.rss != null) parts.push('RSS peak ' + s.rss.toFixed(0) + ' MiB')
      return parts.length ? '<li data-system="' + esc(s.name) + '"><strong>' + esc(s.name) + '</strong>: ' + esc(parts.join(', ')) + '</li>' : ''
    }).join('')
    return '<section class="mcp-block"><h3>Latency per tool</h3><p class="muted small">' + esc(first.calls + ' calls per tool, ' + first.concurrency + ' in flight on one session, systems alternating per tool; ms.') + '</p>' +
      '<table class="list" id="mcp-latency"><thead>' + head + '</thead><tbody>' + body + '</tbody></table>' +
      (facts ? '<ul class="mcp-facts" id="mcp-facts">' + facts + '</ul>' : '') + mcpP95Chart(systems, tools) + '</section>'
  }

  function mcpView() {
    if (!hasMcp()) return '<main class="wrap" id="view-mcp"><h2>MCP</h2><p class="muted">No MCP server was probed or measured in this run.</p></main>'
    return '<main class="wrap" id="view-mcp"><h2>MCP parity <span class="muted small">tools, schemas, results and latency of both servers</span></h2>' + mcpServersBlock() + mcpChecklist() + mcpLatency() + '</main>'
  }

  // --- plan (`parity plan`): components ranked by priority then risk, with the reasons -----------

  function planView() {
    var plan = run.plan
    if (!plan) return '<main class="wrap" id="view-plan"><h2>Plan</h2><p class="muted">No plan in this run: run <code>parity plan</code>.</p></main>'
    var entries = plan.entries || []
    var html = '<main class="wrap" id="view-plan"><h2>Plan <span class="muted small">what to port next, by priority then risk</span></h2>'
    if (!entries.length) html += '<p>Nothing left to port: every component is fully ported in ' + esc(candidates[0] || 'the candidate') + '.</p>'
    else {
      html += '<p class="small muted">Effort in person-days: <code>' + esc(entries[0].effortFormula) + '</code>.</p>' +
        '<table class="list" id="plan-table"><thead><tr><th class="num">#</th><th>Component</th><th class="num">Ported</th><th>Priority</th><th>Risk</th><th class="num">Effort</th><th>Suggestion</th><th>Why</th></tr></thead><tbody>' +
        entries.map(function (e) {
          var why = e.factors.filter(function (f) { return f.contribution > 0 })
            .sort(function (a, b) { return b.contribution - a.contribution })
            .map(function (f) { return '<li title="' + esc(f.name + ': ' + f.value + ' × ' + f.weight + ' → ' + f.contribution) + '">' + esc(f.reason) + '</li>' }).join('')
          var s = e.suggestion
          return '<tr class="plan-row" data-component="' + esc(e.component) + '"><td class="num">' + e.rank + '</td><td><a href="' + componentHref(e.component) + '">' + esc(e.component) + '</a></td>' +
            '<td class="num">' + e.ported + '%</td><td>' + esc(e.priority) + ' <span class="muted small">' + e.priorityScore + '</span></td>' +
            '<td>' + esc(e.risk) + ' <span class="muted small">' + e.riskScore + '</span></td><td class="num">' + e.effortDays + ' d</td>' +
            '<td>' + (s ? '<strong>' + esc(s.language) + '</strong> <span class="small">' + esc(s.reason) + '</span> <code class="small">' + esc(s.rule) + '</code>' : '—') + '</td>' +
            '<td><ul class="small">' + (why || '<li>—</li>') + '</ul></td></tr>'
        }).join('') + '</tbody></table>'
    }
    var platforms = plan.platforms || []
    if (platforms.length) {
      var systems = Object.keys(platforms[0].systems)
      html += '<h3>Platforms <span class="muted small">items per system; shared: baseline items present in every system</span></h3>' +
        '<table class="list" id="plan-platforms"><thead><tr><th>Component</th>' + systems.map(function (n) { return '<th class="num">' + esc(n) + '</th>' }).join('') + '<th class="num">Shared</th></tr></thead><tbody>' +
        platforms.map(function (p) {
          return '<tr><td>' + esc(p.component) + '</td>' + systems.map(function (n) { return '<td class="num">' + (p.systems[n] || 0) + '</td>' }).join('') + '<td class="num">' + Math.round(p.shared * 100) + '%</td></tr>'
        }).join('') + '</tbody></table>'
    }
    return html + '</main>'
  }

  // --- objectives: the config's named gates, their value now and over the stored runs ---------------

  var GATE_RATIOS = ['ported', 'verified', 'e2ePassRate', 'testCoverage', 'typeCoverage', 'apiDocumented']
  var GATE_UNITS = { p50: 'ms', p90: 'ms', p95: 'ms', p99: 'ms', startup: 'ms', mcpP95: 'ms', mcpStartup: 'ms', rss: 'MiB', cpu: '% of a core', rps: 'req/s', bundleRaw: 'B', bundleGzip: 'B' }

  // A gate's measured value in the gate's own terms: `0.43x`, `87.5%`, `120 ms`, `41,230 B`. The
  // current run carries it (`display`); this formats the values of the stored runs in a series.
  function fmtGateValue(gate, v) {
    if (v == null) return '\u2014'
    var m = /^\s*([A-Za-z][A-Za-z0-9]*)\s*[<>=!]+\s*[\d.]+\s*([A-Za-z%]*)\s*$/.exec(gate) || []
    var metric = m[1] || '', unit = (m[2] || '').toLowerCase()
    if (unit === 'x') return Math.round(v * 100) / 100 + 'x'
    if (GATE_RATIOS.indexOf(metric) >= 0) return Math.round(v * 1000) / 10 + '%'
    if (GATE_UNITS[metric] === 'B') return fmtInt(v) + ' B'
    if (GATE_UNITS[metric]) return Math.round(v * 100) / 100 + ' ' + GATE_UNITS[metric]
    return String(Math.round(v * 100) / 100)
  }

  // An objective's value per stored run, oldest first; a run not stored ends the series with this run's value.
  function objectiveSeries(g) {
    var runs = history && history.runs ? history.runs : []
    var values = runs.map(function (r) { var v = r.objectives ? r.objectives[g.objective] : null; return v == null ? null : v })
    var stored = runs.some(function (r) { return r.id === run.id })
    return stored ? values : values.concat([g.actual == null ? null : g.actual])
  }

  // A small line of the values; a missing value breaks the line. The last point is marked.
  function sparklineSvg(values, passed) {
    var w = 120, h = 28, pad = 3
    var present = values.filter(function (v) { return v != null })
    if (!present.length) return '<span class="muted small">no value yet</span>'
    var min = Math.min.apply(null, present), max = Math.max.apply(null, present)
    var x = function (i) { return values.length === 1 ? w / 2 : pad + (i * (w - 2 * pad)) / (values.length - 1) }
    var y = function (v) { return max === min ? h / 2 : h - pad - ((v - min) * (h - 2 * pad)) / (max - min) }
    var d = '', pen = false, last = -1
    values.forEach(function (v, i) {
      if (v == null) { pen = false; return }
      d += (pen ? 'L' : 'M') + x(i).toFixed(1) + ' ' + y(v).toFixed(1) + ' '
      pen = true
      last = i
    })
    var color = passed ? '#059669' : '#dc2626'
    return '<svg class="sparkline" width="' + w + '" height="' + h + '" viewBox="0 0 ' + w + ' ' + h + '" role="img" aria-label="' + esc(present.length + ' values, from ' + present[0] + ' to ' + present[present.length - 1]) + '">' +
      '<path d="' + d.trim() + '" fill="none" stroke="' + color + '" stroke-width="1.5"/>' +
      '<circle cx="' + x(last).toFixed(1) + '" cy="' + y(values[last]).toFixed(1) + '" r="2.5" fill="' + color + '"/></svg>'
  }

  function objectivesBlock() {
    var list = run.assessment ? run.assessment.gates.filter(function (g) { return g.objective }) : []
    if (!list.length) return ''
    return '<section id="objectives"><h2>Objectives</h2><table class="list" id="objectives-table"><thead><tr><th>Objective</th><th>Gate</th><th class="num">Now</th><th>Result</th><th>Trend</th><th>Why</th></tr></thead><tbody>' +
      list.map(function (g) {
        var series = objectiveSeries(g)
        return '<tr class="objective" data-objective="' + esc(g.objective) + '" data-passed="' + (g.passed ? 'true' : 'false') + '" data-values="' + esc(JSON.stringify(series)) + '">' +
          '<td><strong>' + esc(g.objective) + '</strong></td><td><code>' + esc(g.gate) + '</code></td>' +
          '<td class="num" title="' + esc(g.message) + '">' + esc(g.actual == null ? 'not measured' : g.display || fmtGateValue(g.gate, g.actual)) + '</td>' +
          '<td>' + (g.passed ? '<span class="badge st-ported">pass</span>' : '<span class="badge st-missing">fail</span>') + '</td>' +
          '<td>' + sparklineSvg(series, g.passed) + '</td><td class="small">' + text(g.why || '') + '</td></tr>'
      }).join('') + '</tbody></table></section>'
  }

  // --- scorecard: quality figures per system, read from the teams' own artifacts ---------------------

  function hasScorecard() { return !!(run.scorecards && run.scorecards.length) }
  var SCORE_LABEL = {
    testCoverage: 'Test coverage', typeCoverage: 'Type coverage', criticalVulnerabilities: 'Critical vulnerabilities', highVulnerabilities: 'High vulnerabilities',
    vulnerabilities: 'Vulnerabilities', apiDocumented: 'API documented', bundleRaw: 'Bundle (raw)', bundleGzip: 'Bundle (gzip)',
  }

  function fmtFigure(f) {
    if (f.unit === 'ratio') return Math.round(f.value * 1000) / 10 + '%'
    if (f.unit === 'bytes') return f.value >= 1024 * 1024 ? (f.value / 1024 / 1024).toFixed(2) + ' MiB' : f.value >= 1024 ? (f.value / 1024).toFixed(1) + ' KiB' : fmtInt(f.value) + ' B'
    return fmtInt(f.value)
  }

  // Metrics over every system, in the order of SCORE_LABEL (unknown ones last).
  function scoreMetrics() {
    var metrics = []
    run.scorecards.forEach(function (c) { c.figures.forEach(function (f) { if (metrics.indexOf(f.metric) < 0) metrics.push(f.metric) }) })
    var order = Object.keys(SCORE_LABEL)
    var rank = function (m) { var i = order.indexOf(m); return i < 0 ? order.length : i }
    return metrics.sort(function (a, b) { return rank(a) - rank(b) })
  }

  function scoreFigure(system, metric) {
    var card = run.scorecards.filter(function (c) { return c.system === system })[0]
    return card ? card.figures.filter(function (f) { return f.metric === metric })[0] || null : null
  }

  function scorecardProblems() {
    var rows = []
    run.scorecards.forEach(function (c) { (c.problems || []).forEach(function (p) { rows.push({ system: c.system, p: p }) }) })
    return rows
  }

  function scorecardView() {
    if (!hasScorecard()) return '<main class="wrap" id="view-scorecard"><h2>Scorecard</h2><p class="muted">No scorecard in this run: give a system a <code>scorecard</code> block (coverage, audit, openapi, bundle) and run <code>parity scorecard</code>.</p></main>'
    var systems = run.scorecards.map(function (c) { return c.system })
    var metrics = scoreMetrics()
    var html = '<main class="wrap" id="view-scorecard"><h2>Scorecard <span class="muted small">read from each system\'s own artifacts</span></h2>'
    if (metrics.length) {
      html += '<table class="list" id="scorecard-table"><thead><tr><th>Metric</th>' + systems.map(function (n) { return '<th class="num">' + esc(n) + '</th>' }).join('') + '</tr></thead><tbody>' +
        metrics.map(function (m) {
          return '<tr data-metric="' + esc(m) + '"><td>' + esc(SCORE_LABEL[m] || m) + ' <code class="small">' + esc(m) + '</code></td>' + systems.map(function (n) {
            var f = scoreFigure(n, m)
            if (!f) return '<td class="num muted" data-system="' + esc(n) + '">\u2014</td>'
            return '<td class="num" data-system="' + esc(n) + '" title="' + esc((f.detail ? f.detail + ' \u00b7 ' : '') + 'from ' + f.source) + '"><b>' + esc(fmtFigure(f)) + '</b>' +
              '<div class="small muted">' + esc(f.detail || '') + '</div><div class="small muted"><code>' + esc(f.source) + '</code></div></td>'
          }).join('') + '</tr>'
        }).join('') + '</tbody></table>'
    } else html += '<p class="muted">No figure could be read.</p>'
    var problems = scorecardProblems()
    if (problems.length) {
      html += '<h3>Problems <span class="muted small">' + problems.length + ' artifact' + (problems.length === 1 ? '' : 's') + ' not read; the rest stands</span></h3><ul id="scorecard-problems">' +
        problems.map(function (r) {
          return '<li data-system="' + esc(r.system) + '"><strong>' + esc(r.system) + '</strong> <code>' + esc(r.p.source) + '</code>: ' + text(r.p.message) + '<br><span class="small muted">hint: ' + text(r.p.hint) + '</span></li>'
        }).join('') + '</ul>'
    }
    return html + '</main>'
  }

  // Overview: the figures of each system in one line, and how many artifacts did not read.
  function scorecardCard() {
    var problems = scorecardProblems()
    return '<article class="card" id="scorecard-card"><h3><a href="#/scorecard">Scorecard</a></h3><ul class="small">' +
      run.scorecards.map(function (c) {
        return '<li data-system="' + esc(c.system) + '"><strong>' + esc(c.system) + '</strong> ' + (c.figures.length ? c.figures.map(function (f) {
          return esc((SCORE_LABEL[f.metric] || f.metric).toLowerCase()) + ' <b>' + esc(fmtFigure(f)) + '</b>'
        }).join(', ') : '<span class="muted">no figure</span>') + '</li>'
      }).join('') + '</ul>' +
      (problems.length ? '<p class="small warn-text">' + problems.length + ' artifact' + (problems.length === 1 ? '' : 's') + ' not read: <a href="#/scorecard">see why</a></p>' : '') + '</article>'
  }

  // --- serve mode (`parity serve`): runs fetched from /api, a run picker, accepting, live progress ---

  var serve = { on: false, pinned: false, runs: [], info: null, accepted: {} }

  function runPicker() {
    if (!serve.on || !serve.runs.length) return ''
    var current = run && run.id
    return '<label class="picker small">Run <select id="run-picker" aria-label="Stored run">' +
      '<option value="latest"' + (!serve.pinned ? ' selected' : '') + '>latest</option>' +
      serve.runs.slice().reverse().map(function (r) {
        var first = Object.keys(r.percents || {})[0]
        var label = fmtDate(r.startedAt) + (r.commit ? ' \u00b7 ' + r.commit.slice(0, 7) : '') + (first ? ' \u00b7 ' + r.percents[first].ported + '%' : '') +
          ' \u00b7 ' + (r.verdict === 'production-ready' ? 'ready' : r.verdict === 'not-ready' ? 'not ready' : 'no gates')
        return '<option value="' + esc(r.id) + '"' + (serve.pinned && r.id === current ? ' selected' : '') + '>' + esc(label) + '</option>'
      }).join('') + '</select></label>'
  }

  // Ported % of each candidate now against the first stored run.
  function trendSinceBlock() {
    var runs = history && history.runs ? history.runs : []
    if (runs.length < 2) return ''
    var first = runs[0]
    var parts = candidates.map(function (c) {
      var then = first.candidates && first.candidates[c]
      var now = run.candidates[c]
      if (!then || !now) return ''
      var delta = Math.round((now.percent - then.percent) * 10) / 10
      var cls = delta > 0 ? 'r-better' : delta < 0 ? 'r-worse' : 'r-same'
      return '<li data-candidate="' + esc(c) + '"><strong>' + esc(c) + '</strong> ' + esc(then.percent) + '% \u2192 ' + esc(now.percent) + '% ' +
        '<span class="ratio ' + cls + '">(' + (delta > 0 ? '+' : '') + esc(delta) + ' pts)</span></li>'
    }).join('')
    return parts ? '<section id="trend-since"><h2>Since the first run <span class="muted small">' + esc(fmtDate(first.startedAt)) + ', ' + runs.length + ' runs \u00b7 <a href="#/trend">trend</a></span></h2><ul class="counts">' + parts + '</ul></section>' : ''
  }

  // The finding of a divergent route (findings are keyed by the route key).
  function routeFinding(r) {
    var findings = run.assessment && run.assessment.findings ? run.assessment.findings : []
    var mine = findings.filter(function (f) { return f.type === 'divergent' && f.key === r.key })
    return mine.filter(function (f) { return f.candidate === candidates[0] })[0] || mine[0] || null
  }

  function acceptBlock(r, i) {
    var f = routeFinding(r)
    if (!f) return ''
    if (f.accepted) {
      return '<div class="accept done" data-fingerprint="' + esc(f.fingerprint) + '"><span class="badge st-excluded">accepted</span> ' + esc(f.accepted.reason) +
        (serve.accepted[f.fingerprint] ? ' <span class="accept-msg" role="status">accepted \u2014 takes effect on the next run</span>' : '') + '</div>'
    }
    if (!serve.on) return ''
    if (serve.info && !serve.info.canAccept) return '<p class="muted small">Start <code>parity serve</code> with a config to accept this difference.</p>'
    return '<div class="accept" data-fingerprint="' + esc(f.fingerprint) + '" data-key="' + esc(r.key) + '">' +
      '<label for="accept-reason-' + i + '">Reason</label> <input type="text" id="accept-reason-' + i + '" class="accept-reason" maxlength="500" placeholder="why this difference is fine">' +
      ' <button type="button" class="accept-btn">Accept this difference</button> <span class="accept-msg" role="status" aria-live="polite"></span>' +
      ' <span class="muted small">fingerprint <code>' + esc(f.fingerprint) + '</code></span></div>'
  }

  function acceptDifference(button) {
    var box = button.closest('.accept')
    var fingerprint = box.getAttribute('data-fingerprint')
    var key = box.getAttribute('data-key')
    var input = box.querySelector('.accept-reason')
    var msg = box.querySelector('.accept-msg')
    var reason = input.value.trim()
    if (!reason) { msg.textContent = 'give a reason first'; input.focus(); return }
    button.disabled = true
    msg.textContent = 'writing to the config\u2026'
    fetch('/api/accept', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ fingerprint: fingerprint, reason: reason }) })
      .then(function (res) { return res.json().then(function (body) { return { ok: res.ok, body: body } }) })
      .then(function (r) {
        if (!r.ok) { button.disabled = false; msg.textContent = r.body.error || 'refused'; return }
        ;(run.assessment.findings || []).forEach(function (f) { if (f.fingerprint === fingerprint) f.accepted = { reason: reason } })
        serve.accepted[fingerprint] = true
        refreshRoutes(key)
      }, function (e) { button.disabled = false; msg.textContent = 'failed: ' + e.message })
  }

  function api(path) {
    return fetch(path, { headers: { accept: 'application/json' } }).then(function (res) {
      return res.json().then(function (body) {
        if (!res.ok) throw new Error(body && body.error || 'HTTP ' + res.status)
        return body
      })
    })
  }

  function renderFirstRun() {
    var info = serve.info || {}
    document.getElementById('app').innerHTML = '<header class="top"><div class="wrap"><div class="brand"><span class="logo">\u2261</span> parity</div></div></header>' +
      '<main class="wrap" id="view-first-run"><h2>No runs yet</h2><p class="note">No runs yet: run <code>parity run</code>' +
      (info.config ? ' with <code>' + esc(info.config) + '</code>' : '') + '. Each run is stored in <code>' + esc(info.historyFile || '.parity/history.sqlite') + '</code> and appears here by itself.</p>' +
      '<p class="muted small">Then this page shows the verdict, the coverage matrix, the behaviour diffs, the performance and the trend.</p></main>'
    document.title = 'parity: no runs yet'
  }

  function loadServe(id) {
    return Promise.all([api('/api/runs'), api('/api/history')]).then(function (got) {
      serve.runs = got[0]
      if (!serve.runs.length) { run = null; renderFirstRun(); return }
      return api('/api/run/' + encodeURIComponent(id || 'latest')).then(function (r) {
        setData({ run: r, history: got[1] })
        render()
      })
    }).catch(function (e) {
      document.getElementById('app').innerHTML = '<main class="wrap"><h2>Cannot load the run</h2><p class="bad">' + esc(e.message) + '</p></main>'
    })
  }

  // The live banner sits outside #app, so views re-render under it.
  function liveBanner(state) {
    var el = document.getElementById('live-banner')
    if (!el) {
      el = document.createElement('div')
      el.id = 'live-banner'
      el.className = 'live-banner'
      el.setAttribute('role', 'status')
      el.setAttribute('aria-live', 'polite')
      document.body.insertBefore(el, document.getElementById('app'))
    }
    if (!state) { el.hidden = true; el.innerHTML = ''; return }
    var p = state.progress
    var pctDone = p && p.total > 0 ? Math.round((100 * p.done) / p.total) : null
    el.hidden = false
    el.innerHTML = '<div class="wrap"><span class="pulse" aria-hidden="true"></span> <strong>parity run in progress</strong>: <span id="live-stage">' + esc(state.stage || 'starting') + '</span>' +
      (p ? ' <span class="live-bar" aria-hidden="true"><span style="width:' + (pctDone == null ? 0 : pctDone) + '%"></span></span> <span id="live-count">' + esc(p.done + '/' + p.total + (p.label ? ' ' + p.label : '')) + '</span>' : '') + '</div>'
  }

  var live = null
  function onLive(e) {
    if (e.type === 'end') { live = null; liveBanner(null); return }
    if (e.type === 'state') live = { stage: e.stage, progress: e.progress }
    else if (e.type === 'start') live = { stage: null, progress: null }
    else if (e.type === 'stage') live = { stage: e.stage, progress: null }
    else if (e.type === 'progress') live = { stage: live && live.stage, progress: e }
    liveBanner(live)
  }

  function startServe() {
    api('/api/info').then(function (info) { serve.info = info }, function () {}).then(function () { return loadServe('latest') }).then(function () {
      if (!window.EventSource) return
      var source = new EventSource('/api/events')
      source.addEventListener('progress', function (m) { try { onLive(JSON.parse(m.data)) } catch (e) { /* a torn event */ } })
      source.addEventListener('latest', function (m) {
        var id = null
        try { id = JSON.parse(m.data).id } catch (e) { /* a torn event */ }
        if (id && !serve.pinned && (!run || run.id !== id)) loadServe('latest')
      })
      source.addEventListener('run', function () {
        if (serve.pinned) api('/api/runs').then(function (runs) { serve.runs = runs; render() })
        else loadServe('latest')
      })
    })
  }

  // --- routing -------------------------------------------------------------------------------------

  function parseRoute() {
    var h = location.hash.replace(/^#\/?/, '')
    if (h.indexOf('component/') === 0) return { view: 'component', name: decodeURIComponent(h.slice('component/'.length)) }
    if (h === 'matrix') return { view: 'matrix' }
    if (h === 'trend') return { view: 'trend' }
    if (h === 'behaviour') return { view: 'behaviour' }
    if (h === 'performance') return { view: 'performance' }
    if (h === 'mcp') return { view: 'mcp' }
    if (h === 'plan') return { view: 'plan' }
    if (h === 'scorecard') return { view: 'scorecard' }
    return { view: 'overview' }
  }

  function render() {
    if (!run) { renderFirstRun(); return }
    var route = parseRoute()
    var body = route.view === 'matrix' ? matrixView()
      : route.view === 'component' ? componentView(route.name)
      : route.view === 'trend' ? trendView()
      : route.view === 'behaviour' ? behaviourView()
      : route.view === 'performance' ? performanceView()
      : route.view === 'mcp' ? mcpView()
      : route.view === 'plan' ? planView()
      : route.view === 'scorecard' ? scorecardView()
      : overview()
    var app = document.getElementById('app')
    app.innerHTML = header(route) + body +
      '<footer class="wrap muted small">parity ' + esc(run.tool.version) + ' \u00b7 ' + esc(run.schema) + (run.config ? ' \u00b7 ' + esc(run.config) : '') + '</footer>'
    document.title = 'parity: ' + baseline.name + ' vs ' + candidates.join(', ') + (route.view === 'component' ? ' \u00b7 ' + route.name : '')
  }

  function sortBy(key) {
    if (matrixState.sort === key) matrixState.dir = -matrixState.dir
    else { matrixState.sort = key; matrixState.dir = 1 }
    refreshMatrix()
  }

  document.addEventListener('click', function (e) {
    var acceptBtn = e.target && e.target.closest ? e.target.closest('button.accept-btn') : null
    if (acceptBtn) { acceptDifference(acceptBtn); return }
    var th = e.target && e.target.closest ? e.target.closest('th[data-sort]') : null
    if (th) sortBy(th.getAttribute('data-sort'))
    var row = e.target && e.target.closest ? e.target.closest('tr.route.expandable') : null
    if (row) toggleRoute(row)
  })
  document.addEventListener('keydown', function (e) {
    var th = e.target && e.target.closest ? e.target.closest('th[data-sort]') : null
    if (th && (e.key === 'Enter' || e.key === ' ')) { e.preventDefault(); sortBy(th.getAttribute('data-sort')) }
    var row = e.target && e.target.matches && e.target.matches('tr.route.expandable') ? e.target : null
    if (row && (e.key === 'Enter' || e.key === ' ')) { e.preventDefault(); toggleRoute(row) }
  })
  document.addEventListener('input', function (e) {
    if (e.target && e.target.id === 'matrix-filter') { matrixState.filter = e.target.value; refreshMatrix() }
  })
  document.addEventListener('change', function (e) {
    if (e.target && e.target.id === 'matrix-status') { matrixState.status = e.target.value; refreshMatrix() }
    if (e.target && e.target.id === 'routes-status') { behaviourState.status = e.target.value; refreshRoutes() }
    if (e.target && e.target.id === 'run-picker') { serve.pinned = e.target.value !== 'latest'; loadServe(e.target.value) }
  })
  window.addEventListener('hashchange', function () { render(); window.scrollTo(0, 0) })

  var embedded = readData()
  if (embedded) {
    setData(embedded)
    render()
  } else {
    serve.on = true
    startServe()
  }
})()
