/**
 * The overview (`#/`): what the figures rest on, the verdict, the objectives, each candidate's
 * coverage, the evidence cards, the biggest gaps, near misses, findings, diagnostics and systems.
 */
import type { Diagnostic } from '../../../model/inventory.js'
import type { Counts, RuntimeInventory } from '../../../model/run.js'
import { fmtDate, gateValue, pct } from '../format.js'
import { badge, bar, componentHref, displayItem, esc, KIND_LABEL, source, text } from '../html.js'
import { hasBehaviour, hasBench, hasScorecard, RARE_ROUTE_STATUSES, ROUTE_STATUSES, routeCounts, testCounts, unresolvedTotal } from '../run-facts.js'
import type { LoadedRun } from '../state.js'
import { objectivesBlock } from './objectives.js'
import { performanceCard } from './performance.js'
import { scorecardCard } from './scorecard.js'
import { servicesBlock } from './services.js'

export function overview(d: LoadedRun): string {
  return (
    '<main class="wrap" id="view-overview">' +
    inventoryBlock(d) +
    verdictBlock(d) +
    objectivesBlock(d) +
    candidateCards(d) +
    servicesBlock(d) +
    trendSinceBlock(d) +
    evidenceCards(d) +
    gapsBlock(d) +
    nearMissBlock(d) +
    findingsBlock(d) +
    diagnosticsBlock(d) +
    systemsBlock(d) +
    '</main>'
  )
}

// What every figure rests on, before any of them: the routes each scan found and those it could not resolve.
function inventoryBlock(d: LoadedRun): string {
  const run = d.run
  const open = unresolvedTotal(run)
  return (
    '<section class="inventory-basis' +
    (open ? ' partial' : '') +
    '" id="inventory-basis"><p>' +
    run.systems
      .map((s) => {
        const items = s.items || {}
        const found = (items.route || 0) + (items.websocket || 0) + (items.sse || 0)
        return `<span class="system" data-system="${esc(s.name)}"><strong>${esc(s.name)}</strong> ${esc(found)}${found === 1 ? ' route' : ' routes'} found, <b class="${s.unresolved ? 'bad' : ''}">${esc(s.unresolved || 0)} unresolved</b>${runtimeSpan(s.runtime)}</span>`
      })
      .join(' \u00b7 ') +
    '</p>' +
    run.systems
      .map((s) =>
        (s.diagnostics || [])
          .filter((g) => g.code === 'FRAMEWORK_NOT_SUPPORTED')
          .map((g) => `<p class="not-read warn-text" data-system="${esc(s.name)}"><strong>${esc(s.name)}</strong>: ${esc(g.message)}</p>`)
          .join(''),
      )
      .join('') +
    (open
      ? `<p class="lower-bound">Coverage is a lower bound: ${esc(open)} route${open === 1 ? '' : 's'} could not be resolved statically and count as not ported unless a map rule pairs them.</p>`
      : '') +
    '</section>'
  )
}

// What the running system registered: the scan's routes confirmed, and those only the running system showed.
function runtimeSpan(r: RuntimeInventory | undefined): string {
  if (!r) return ''
  if (!r.via.length) return ` <span class="runtime muted small" title="${esc(r.notes[0] || '')}">not confirmed at run time</span>`
  return (
    ' <span class="runtime small" title="' +
    esc(r.via.join(' and ')) +
    '">\u2713 ' +
    esc(r.confirmed) +
    ' confirmed at run time' +
    (r.scanMissed.length
      ? `, <b class="bad">${esc(r.scanMissed.length)} found only at run time</b>: ${r.scanMissed
          .slice(0, 5)
          .map((m) => `<code>${esc(`${m.method} ${m.path}`)}</code>`)
          .join(' ')}`
      : '') +
    '</span>'
  )
}

function verdictBlock(d: LoadedRun): string {
  const a = d.run.assessment
  if (!a) {
    return (
      '<section class="verdict v-none" id="verdict"><div class="verdict-main">No verdict</div>' +
      '<p>No gates were evaluated for this run. <code>parity run</code> with <code>gates:</code> in the config decides whether the rewrite is production ready.</p></section>'
    )
  }
  const v = a.verdict
  const ok = v.productionReady
  const noGates = a.gates.length === 0
  let html =
    '<section class="verdict ' +
    (noGates ? 'v-none' : ok ? 'v-ok' : 'v-fail') +
    '" id="verdict">' +
    '<div class="verdict-main">' +
    (noGates ? 'No gates configured' : ok ? 'Production ready: YES' : 'Production ready: NO') +
    '</div>'
  if (a.gates.length) {
    html +=
      '<table class="gates"><thead><tr><th>Gate</th><th>Result</th><th>Measured</th><th>Why</th></tr></thead><tbody>' +
      a.gates
        .map((g) => {
          const actual = gateValue(g)
          return (
            '<tr><td>' +
            (g.objective ? `${esc(g.objective)}: ` : '') +
            '<code>' +
            esc(g.gate) +
            '</code></td><td>' +
            (g.passed ? '<span class="badge st-ported">pass</span>' : '<span class="badge st-missing">fail</span>') +
            '</td><td class="num">' +
            esc(actual) +
            '</td><td>' +
            esc(g.message) +
            '</td></tr>'
          )
        })
        .join('') +
      '</tbody></table>'
  }
  if (v.staleAcceptances?.length) {
    html += `<p class="warn-text">Stale acceptances (match no finding any more): ${v.staleAcceptances.map((s) => `<code>${esc(s)}</code>`).join(', ')}</p>`
  }
  return `${html}</section>`
}

const CARD_STATUSES = ['verified', 'divergent', 'ported', 'missing', 'excluded', 'extra'] as const

function candidateCards(d: LoadedRun): string {
  const run = d.run
  return `<section class="cards">${d.candidates
    .map((c) => {
      const s = run.candidates[c]
      if (!s) return ''
      const byKind = s.byKind || {}
      const kinds = Object.keys(byKind) as Array<keyof typeof byKind>
      const system = d.systemByName.get(c)
      return (
        '<article class="card" data-candidate="' +
        esc(c) +
        '">' +
        '<h3>' +
        esc(c) +
        ' <span class="muted small">' +
        esc((system?.frameworks || []).join(', ')) +
        '</span></h3>' +
        '<div class="big"><span class="pct">' +
        (unresolvedTotal(run) && s.total > 0 ? '\u2265\u2009' : '') +
        esc(pct(s)) +
        '</span> <span class="muted">ported</span>' +
        (s.total > 0 ? ` <span class="pct-verified small" title="verified: exercised and equivalent">${esc(s.verifiedPercent ?? 0)}% verified</span>` : '') +
        '</div>' +
        bar(s) +
        // One vocabulary with the headline: "ported" there is verified + divergent + not yet verified here.
        '<ul class="counts card-counts">' +
        CARD_STATUSES.map((st) => {
          const label =
            st === 'ported'
              ? '<span class="badge st-ported" title="ported: present in the candidate, no behavioural evidence yet">not yet verified</span>'
              : badge(st)
          return `<li data-status="${st}">${label} <b>${esc(s[st] || 0)}</b></li>`
        }).join('') +
        '<li class="muted">of ' +
        esc(s.total) +
        ' baseline items; ' +
        esc(s.ported + s.verified + s.divergent) +
        ' ported</li>' +
        // What `divergent` leaves out, said beside it.
        (s.consequences
          ? `<li class="muted small card-consequences">${esc(s.consequences)} route${s.consequences === 1 ? '' : 's'} differing only as likely consequences of a refused write: not counted as divergent</li>`
          : '') +
        '</ul>' +
        (kinds.length
          ? '<table class="bykind"><thead><tr><th>Kind</th><th class="num">ported</th><th class="num">missing</th><th class="num">extra</th></tr></thead><tbody>' +
            kinds
              .map((k) => {
                const b = byKind[k] as Counts
                return `<tr><td>${esc(KIND_LABEL[k] || k)}</td><td class="num">${esc(b.ported + b.verified + b.divergent)}</td><td class="num${b.missing ? ' bad' : ''}">${esc(b.missing)}</td><td class="num">${esc(b.extra)}</td></tr>`
              })
              .join('') +
            '</tbody></table>'
          : '') +
        '</article>'
      )
    })
    .join('')}</section>`
}

// Ported % of each candidate now against the first stored run.
function trendSinceBlock(d: LoadedRun): string {
  const runs = d.history?.runs ? d.history.runs : []
  const first = runs[0]
  if (runs.length < 2 || !first) return ''
  const parts = d.candidates
    .map((c) => {
      const then = first.candidates?.[c]
      const now = d.run.candidates[c]
      if (!then || !now) return ''
      const delta = Math.round((now.percent - then.percent) * 10) / 10
      const cls = delta > 0 ? 'r-better' : delta < 0 ? 'r-worse' : 'r-same'
      return (
        '<li data-candidate="' +
        esc(c) +
        '"><strong>' +
        esc(c) +
        '</strong> ' +
        esc(then.percent) +
        '% \u2192 ' +
        esc(now.percent) +
        '% ' +
        '<span class="ratio ' +
        cls +
        '">(' +
        (delta > 0 ? '+' : '') +
        esc(delta) +
        ' pts)</span></li>'
      )
    })
    .join('')
  return parts
    ? `<section id="trend-since"><h2>Since the first run <span class="muted small">${esc(fmtDate(first.startedAt))}, ${runs.length} runs \u00b7 <a href="#/trend">trend</a></span></h2><ul class="counts">${parts}</ul></section>`
    : ''
}

// Overview cards linking to the evidence views.
function evidenceCards(d: LoadedRun): string {
  const run = d.run
  let html = ''
  if (hasBehaviour(run)) {
    const counts = routeCounts(run)
    const tc = testCounts(run)
    html +=
      '<article class="card" id="behaviour-card"><h3><a href="#/behaviour">Behaviour</a></h3>' +
      ((run.routes || []).length
        ? `<ul class="counts">${ROUTE_STATUSES.filter((s) => counts[s] > 0 || !RARE_ROUTE_STATUSES.includes(s))
            .map((s) => `<li data-status="${s}">${badge(s)} <b>${counts[s]}</b></li>`)
            .join('')}<li class="muted">of ${(run.routes || []).length} routes</li></ul>`
        : '') +
      ((run.tests || []).length
        ? '<p class="small" id="e2e-summary">End-to-end: <b>' +
          tc.pass +
          '</b> pass on both, <b class="' +
          (tc.regression ? 'bad' : '') +
          '">' +
          tc.regression +
          '</b> regression' +
          (tc.regression === 1 ? '' : 's') +
          ', <b>' +
          tc['fail-both'] +
          '</b> fail on both' +
          (tc.missing ? `, <b>${tc.missing}</b> not run on the candidate` : '') +
          '</p>'
        : '') +
      '</article>'
  }
  if (hasBench(run) || run.mcpBench?.length) html += performanceCard(d)
  if (hasScorecard(run)) html += scorecardCard(d)
  return html ? `<section class="cards evidence-cards">${html}</section>` : ''
}

function gapsBlock(d: LoadedRun): string {
  const first = d.candidates[0]
  if (!first) return ''
  const gaps = d.run.components
    .map((c) => ({ name: c.name, s: c.candidates[first] }))
    .filter((g): g is { name: string; s: NonNullable<typeof g.s> } => !!g.s && g.s.missing > 0)
    .sort((a, b) => b.s.missing - a.s.missing || (a.name < b.name ? -1 : 1))
  if (!gaps.length) return `<section><h2>Biggest gaps</h2><p class="muted">Nothing is missing in ${esc(first)}.</p></section>`
  return (
    '<section><h2>Biggest gaps <span class="muted small">in ' +
    esc(first) +
    '</span></h2><div class="gaps">' +
    gaps
      .slice(0, 8)
      .map((g) => {
        const keys = g.s.missingKeys || []
        return (
          '<div class="gap"><div class="gap-head"><a href="' +
          componentHref(g.name) +
          '">' +
          esc(g.name) +
          '</a>' +
          '<span class="muted">' +
          esc(g.s.missing) +
          ' missing \u00b7 ' +
          esc(pct(g.s)) +
          ' ported</span></div>' +
          '<ul>' +
          keys
            .slice(0, 5)
            .map((k) => `<li><code>${esc(k)}</code></li>`)
            .join('') +
          (keys.length > 5 ? `<li class="muted">and ${keys.length - 5} more</li>` : '') +
          '</ul></div>'
        )
      })
      .join('') +
    '</div></section>'
  )
}

function nearMissBlock(d: LoadedRun): string {
  const nearMisses = d.run.nearMisses
  if (!nearMisses?.length) return ''
  return (
    '<section><h2>Near misses <span class="muted small">renamed? confirm with a map rule</span></h2>' +
    '<table class="list" id="near-misses"><thead><tr><th>Baseline</th><th>Candidate</th><th>Why</th><th>Map rule</th></tr></thead><tbody>' +
    nearMisses
      .map(
        (n) =>
          '<tr><td>' +
          displayItem(n.baseline) +
          '<br>' +
          source(n.baseline.source, d.baseline) +
          '</td>' +
          '<td>' +
          displayItem(n.candidate) +
          ' <span class="muted small">' +
          esc(n.candidateSystem) +
          '</span><br>' +
          source(n.candidate.source, d.systemByName.get(n.candidateSystem)) +
          '</td>' +
          '<td>' +
          text(n.reason) +
          '</td><td><code>' +
          esc(`${n.suggestion.from} -> ${n.suggestion.to}`) +
          '</code></td></tr>',
      )
      .join('') +
    '</tbody></table></section>'
  )
}

function diagnosticsBlock(d: LoadedRun): string {
  const rows: Array<{ system: string; d: Diagnostic }> = (d.run.diagnostics || []).map((g) => ({ system: '(run)', d: g }))
  d.run.systems.forEach((s) => {
    ;(s.diagnostics || []).forEach((g) => {
      rows.push({ system: s.name, d: g })
    })
  })
  if (!rows.length)
    return '<section><h2>Diagnostics</h2><p class="muted" id="diagnostics-none">None: every file was read and every path resolved.</p></section>'
  return (
    '<section><h2>Diagnostics <span class="muted small">' +
    rows.length +
    '</span></h2>' +
    '<table class="list" id="diagnostics"><thead><tr><th>Level</th><th>Code</th><th>System</th><th>Where</th><th>Message</th></tr></thead><tbody>' +
    rows
      .map((r) => {
        const where = r.d.file ? source({ file: r.d.file, line: r.d.line || 0 }, d.systemByName.get(r.system)) : ''
        return (
          '<tr><td><span class="lvl lvl-' +
          esc(r.d.level) +
          '">' +
          esc(r.d.level) +
          '</span></td><td><code>' +
          esc(r.d.code) +
          '</code></td>' +
          '<td>' +
          esc(r.system) +
          '</td><td>' +
          where +
          '</td><td>' +
          text(r.d.message) +
          '</td></tr>'
        )
      })
      .join('') +
    '</tbody></table></section>'
  )
}

function findingsBlock(d: LoadedRun): string {
  const a = d.run.assessment
  if (!a?.findings?.length) return ''
  return (
    '<section><h2>Findings <span class="muted small">' +
    a.findings.length +
    '</span></h2>' +
    '<table class="list" id="findings"><thead><tr><th>Type</th><th>Item</th><th>Candidate</th><th>Where</th><th>Message</th></tr></thead><tbody>' +
    a.findings
      .map((f) => {
        // The item as the code names it (`/api/bookmarks/{id}`, not the key's `{}`), and the message without it.
        const pair = d.run.pairs.find((p) => p.key === f.key && (p.baseline || p.candidate))
        const item = pair ? pair.baseline || pair.candidate : null
        const message = f.message.indexOf(`${f.key} `) === 0 ? f.message.slice(f.key.length + 1) : f.message
        return (
          '<tr class="' +
          (f.accepted ? 'accepted' : '') +
          '"><td>' +
          esc(f.type) +
          (f.accepted ? ' <span class="muted small">accepted</span>' : '') +
          '</td><td>' +
          (item ? displayItem(item) : `<code>${esc(f.key)}</code>`) +
          '</td><td>' +
          esc(f.candidate) +
          '</td>' +
          '<td>' +
          (f.source ? source(f.source, d.baseline) : '') +
          '</td><td>' +
          text(message) +
          '</td></tr>'
        )
      })
      .join('') +
    '</tbody></table></section>'
  )
}

function systemsBlock(d: LoadedRun): string {
  return (
    '<section><h2>Systems</h2><table class="list" id="systems"><thead><tr><th>System</th><th>Role</th><th>Source</th><th>Frameworks</th><th class="num">Files</th><th class="num">Lines</th><th>Items</th></tr></thead><tbody>' +
    d.run.systems
      .map((s) => {
        const counts = s.items || {}
        const items = (Object.keys(counts) as Array<keyof typeof counts>).map((k) => esc(`${(KIND_LABEL[k] || k).toLowerCase()} ${counts[k]}`)).join(', ')
        return (
          '<tr><td><strong>' +
          esc(s.name) +
          '</strong></td><td>' +
          esc(s.role) +
          '</td><td><code>' +
          esc(s.source) +
          '</code></td>' +
          '<td>' +
          esc((s.frameworks || []).join(', ')) +
          '</td><td class="num">' +
          esc(s.stats.files) +
          '</td><td class="num">' +
          esc(s.stats.lines) +
          '</td><td>' +
          items +
          '</td></tr>'
        )
      })
      .join('') +
    '</tbody></table></section>'
  )
}
