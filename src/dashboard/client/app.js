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

  function readData() {
    var node = document.getElementById('parity-data')
    if (!node) throw new Error('parity: no #parity-data element in the page')
    return JSON.parse(node.textContent || '{}')
  }

  var data = readData()
  var run = data.run
  var history = data.history || null
  var baseline = run.systems.filter(function (s) { return s.role === 'baseline' })[0] || { name: 'baseline', source: '' }
  var candidates = run.systems.filter(function (s) { return s.role === 'candidate' }).map(function (s) { return s.name })
  var systemByName = {}
  run.systems.forEach(function (s) { systemByName[s.name] = s })

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
        '<span class="path">' + esc(item.path) + '</span>'
    }
    if (item.kind === 'capability') return esc(item.label || item.name)
    if (item.kind === 'column') return esc(item.table + '.' + item.name) + ' <span class="muted">' + esc(item.type) + '</span>'
    if (item.kind === 'table' || item.kind === 'service') return esc(item.name)
    return esc(item.key)
  }

  function componentStatus(summary) {
    if (!summary || summary.total <= 0) return 'empty'
    if (summary.percent >= 100) return 'done'
    if (summary.percent <= 0) return 'not-started'
    return 'partial'
  }

  function fmtDate(iso) {
    if (!iso) return ''
    var d = new Date(iso)
    if (isNaN(d.getTime())) return String(iso)
    return d.toISOString().slice(0, 16).replace('T', ' ') + ' UTC'
  }

  // --- views ---------------------------------------------------------------------------------------

  function header(route) {
    var tabs = [['overview', '#/', 'Overview'], ['matrix', '#/matrix', 'Coverage matrix'], ['trend', '#/trend', 'Trend']]
    var git = run.git && (run.git.branch || run.git.commit)
      ? ' \u00b7 ' + esc([run.git.branch, run.git.commit && run.git.commit.slice(0, 8)].filter(Boolean).join(' @ '))
      : ''
    return '<header class="top"><div class="wrap">' +
      '<div class="brand"><span class="logo">\u2261</span> parity</div>' +
      '<div class="title"><strong>' + esc(baseline.name) + '</strong> <span class="muted">vs</span> ' +
      candidates.map(function (c) { return '<strong>' + esc(c) + '</strong>' }).join(', ') + '</div>' +
      '<div class="meta muted">' + esc(fmtDate(run.startedAt)) + git + '</div>' +
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
          var actual = g.actual == null ? '\u2014' : /^\s*(ported|verified)\b/.test(g.gate) ? Math.round(g.actual * 1000) / 10 + '%' : String(g.actual)
          return '<tr><td><code>' + esc(g.gate) + '</code></td><td>' + (g.passed ? '<span class="badge st-ported">pass</span>' : '<span class="badge st-missing">fail</span>') +
            '</td><td class="num">' + esc(actual) + '</td><td>' + esc(g.message) + '</td></tr>'
        }).join('') + '</tbody></table>'
    }
    if (v.staleAcceptances && v.staleAcceptances.length) {
      html += '<p class="warn-text">Stale acceptances (match no finding any more): ' + v.staleAcceptances.map(function (s) { return '<code>' + esc(s) + '</code>' }).join(', ') + '</p>'
    }
    return html + '</section>'
  }

  function candidateCards() {
    return '<section class="cards">' + candidates.map(function (c) {
      var s = run.candidates[c]
      if (!s) return ''
      var kinds = Object.keys(s.byKind || {})
      return '<article class="card" data-candidate="' + esc(c) + '">' +
        '<h3>' + esc(c) + ' <span class="muted small">' + esc((systemByName[c] && systemByName[c].frameworks || []).join(', ')) + '</span></h3>' +
        '<div class="big"><span class="pct">' + esc(pct(s)) + '</span> <span class="muted">ported</span></div>' +
        bar(s) +
        '<ul class="counts">' + STATUSES.map(function (st) {
          return '<li>' + badge(st) + ' <b>' + esc(s[st] || 0) + '</b></li>'
        }).join('') + '<li class="muted">of ' + esc(s.total) + ' baseline items</li></ul>' +
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
        return '<tr class="' + (f.accepted ? 'accepted' : '') + '"><td>' + esc(f.type) + (f.accepted ? ' <span class="muted small">accepted</span>' : '') + '</td><td><code>' + esc(f.key) + '</code></td><td>' + esc(f.candidate) + '</td>' +
          '<td>' + (f.source ? source(f.source, baseline) : '') + '</td><td>' + text(f.message) + '</td></tr>'
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
    return '<main class="wrap" id="view-overview">' + verdictBlock() + candidateCards() + gapsBlock() + nearMissBlock() +
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
        return '<td class="cell" data-candidate="' + esc(cand) + '"><div class="cell-top"><span class="pct">' + esc(pct(s)) + '</span>' +
          (s && s.missing ? '<span class="miss">' + esc(s.missing) + ' missing</span>' : '') + '</div>' + bar(s) + '</td>'
      }).join('') + '</tr>'
    return '<table class="matrix" id="matrix"><thead><tr>' + sortHeader('component', 'Component') + sortHeader('items', 'Items', 'num') +
      candidates.map(function (cand) { return sortHeader('cand:' + cand, cand) }).join('') + '</tr></thead>' +
      '<tbody>' + (body || '<tr class="empty"><td colspan="' + (2 + candidates.length) + '" class="muted">No component matches.</td></tr>') + '</tbody>' +
      '<tfoot>' + foot + '</tfoot></table>' +
      '<p class="muted small" id="matrix-count">' + rows.length + ' of ' + run.components.length + ' components</p>'
  }

  function matrixView() {
    var opts = [['all', 'Any status'], ['done', 'Done (100%)'], ['partial', 'Partial'], ['not-started', 'Not started (0%)'], ['empty', 'Nothing to port']]
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
          (cell.candidate ? ' ' + source(cell.candidate.source, systemByName[cand]) : '') + extra + '</td>'
      }).join('')
      return '<tr class="item k-' + esc(p.kind) + '" data-key="' + esc(p.key) + '" data-kind="' + esc(p.kind) + '">' +
        '<td><span class="kind">' + esc(p.kind) + '</span></td><td>' + displayItem(item) + '</td>' +
        '<td>' + (p.baseline ? source(p.baseline.source, baseline) : '<span class="muted small">not in baseline</span>') + '</td>' + cells + '</tr>'
    }).join('')
    return '<main class="wrap" id="view-component"><p class="crumbs"><a href="#/matrix">Coverage matrix</a> \u203a ' + esc(name) + '</p>' +
      '<h2 id="component-name">' + esc(name) + ' <span class="muted small">' + pairs.length + ' items</span></h2>' + cards +
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

  // --- routing -------------------------------------------------------------------------------------

  function parseRoute() {
    var h = location.hash.replace(/^#\/?/, '')
    if (h.indexOf('component/') === 0) return { view: 'component', name: decodeURIComponent(h.slice('component/'.length)) }
    if (h === 'matrix') return { view: 'matrix' }
    if (h === 'trend') return { view: 'trend' }
    return { view: 'overview' }
  }

  function render() {
    var route = parseRoute()
    var body = route.view === 'matrix' ? matrixView()
      : route.view === 'component' ? componentView(route.name)
      : route.view === 'trend' ? trendView()
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
    var th = e.target && e.target.closest ? e.target.closest('th[data-sort]') : null
    if (th) sortBy(th.getAttribute('data-sort'))
  })
  document.addEventListener('keydown', function (e) {
    var th = e.target && e.target.closest ? e.target.closest('th[data-sort]') : null
    if (th && (e.key === 'Enter' || e.key === ' ')) { e.preventDefault(); sortBy(th.getAttribute('data-sort')) }
  })
  document.addEventListener('input', function (e) {
    if (e.target && e.target.id === 'matrix-filter') { matrixState.filter = e.target.value; refreshMatrix() }
  })
  document.addEventListener('change', function (e) {
    if (e.target && e.target.id === 'matrix-status') { matrixState.status = e.target.value; refreshMatrix() }
  })
  window.addEventListener('hashchange', function () { render(); window.scrollTo(0, 0) })
  render()
})()
