/**
 * Performance (`#/performance`): the figures of `parity bench` side by side, candidate over baseline
 * ratios, and charts of latency, every trial, resources, WebSocket fan-out and cold starts.
 */
import type { BenchComparison, BenchEntry } from '../../../model/bench.js'
import { benchColor, latencyChart, legendOf, niceTicks, trialBars, wsChart, yGrid } from '../charts.js'
import { fmtInt, fmtMs, fmtRatio } from '../format.js'
import { esc, text } from '../html.js'
import { distinct, hasBench, mcpSystems, systemOf } from '../run-facts.js'
import type { LoadedRun } from '../state.js'

export function performanceView(d: LoadedRun): string {
  const run = d.run
  const entries = run.bench || []
  if (!hasBench(run)) {
    return '<main class="wrap" id="view-performance"><h2>Performance</h2><p class="note">Nothing was measured in this run. <code>parity bench</code> fills this view.</p></main>'
  }
  let html =
    '<main class="wrap" id="view-performance"><h2>Performance <span class="muted small">both systems measured the same way, trials alternating</span></h2>'
  distinct(entries, (e) => e.scenario).forEach((scenario, si) => {
    const rows = entries.filter((e) => e.scenario === scenario)
    const first = rows[0]!
    const how = first.model === 'open' ? `open model, ${first.rate} req/s` : `${first.connections} connections`
    const trials = Math.max.apply(
      null,
      rows.map((e) => e.trials.length),
    )
    html +=
      '<section class="scenario" data-scenario="' +
      esc(scenario) +
      '"><h3><code>' +
      esc(scenario) +
      '</code> <span class="muted small">' +
      esc(how) +
      ', ' +
      trials +
      ' trial' +
      (trials === 1 ? '' : 's') +
      ' each</span></h3>' +
      benchTable(d, rows) +
      (run.benchComparisons || [])
        .filter((c) => c.scenario === scenario)
        .map(comparisonLine)
        .join('') +
      benchWarnings(rows) +
      '<div class="bench-charts">' +
      latencyChart(d, rows, `latency-chart-${si}`) +
      trialsChart(d, rows, `trials-chart-${si}`) +
      resourceCharts(d, rows, si) +
      '</div></section>'
  })
  return `${html + wsBlock(d) + startupChart(d)}</main>`
}

/** The overview's card: the first scenario's ratios (or req/s), then one line for WebSocket fan-out and one for MCP latency when measured. */
export function performanceCard(d: LoadedRun): string {
  const run = d.run
  const bench = run.bench || []
  const scenario = distinct(bench, (e) => e.scenario)[0]
  let html =
    '<article class="card" id="performance-card"><h3><a href="' +
    (hasBench(run) ? '#/performance' : '#/mcp') +
    '">Performance</a>' +
    (scenario ? ` <span class="muted small"><code>${esc(scenario)}</code></span>` : '') +
    '</h3>'
  if (scenario) {
    const c = (run.benchComparisons || []).find((x) => x.scenario === scenario)
    html += c
      ? `<p class="ratios">${ratioParts(c).join(', ')}</p><p class="small muted">${esc(c.candidate)} vs ${esc(c.baseline)}, ${esc(confidenceWord(c))}</p>`
      : `<ul class="counts">${bench
          .filter((e) => e.scenario === scenario)
          .map((e) => `<li>${esc(systemOf(e))} <b>${fmtInt(e.throughput.rps)}</b> req/s</li>`)
          .join('')}</ul>`
  }
  const ws = run.wsBench || []
  if (ws.length) {
    html += `<p class="small perf-line" id="perf-ws"><a href="#/performance">WebSocket fan-out</a> <code>${esc(ws[0]!.path)}</code>: ${ws
      .map((w) => `<strong>${esc(systemOf(w))}</strong> p95 ${fmtMs(w.latency.p95)} ms, ${Math.round(w.successRate * 100)}% connected`)
      .join('; ')}</p>`
  }
  const mcp = run.mcpBench || []
  if (mcp.length) {
    // Per system, the median over tools of each tool's p95.
    const parts = mcpSystems(run).map((s) => {
      const p95s = mcp
        // A tool whose every call errored has no latency.
        .filter((e) => e.system === s.name && e.latency.count !== 0)
        .map((e) => e.latency.p95)
        .sort((a, b) => a - b)
      if (!p95s.length) return `<strong>${esc(s.name)}</strong> no latency (every call errored)`
      const mid = p95s.length % 2 ? p95s[(p95s.length - 1) / 2]! : (p95s[p95s.length / 2 - 1]! + p95s[p95s.length / 2]!) / 2
      return `<strong>${esc(s.name)}</strong> ${fmtMs(mid)} ms`
    })
    const tools = distinct(mcp, (e) => e.tool)
    html += `<p class="small perf-line" id="perf-mcp"><a href="#/mcp">MCP tools</a>, median p95 over ${tools.length} tool${tools.length === 1 ? '' : 's'}: ${parts.join(', ')}</p>`
  }
  return `${html}</article>`
}

// [key, label, lower is better]; throughput reads "2.4x throughput", the others "p95 0.31x".
const RATIO_FIELDS: Array<[keyof BenchComparison['ratios'], string, boolean]> = [
  ['rps', 'throughput', false],
  ['p50', 'p50', true],
  ['p95', 'p95', true],
  ['p99', 'p99', true],
  ['rss', 'memory', true],
  ['cpu', 'CPU per request', true],
  ['startup', 'cold start', true],
]

function ratioParts(c: BenchComparison): string[] {
  return RATIO_FIELDS.filter((f) => c.ratios[f[0]] != null).map((f) => {
    const r = c.ratios[f[0]] as number
    const verdict = Math.abs(r - 1) < 0.03 ? 'same' : (f[2] ? r < 1 : r > 1) ? 'better' : 'worse'
    const words = f[0] === 'rps' ? `${fmtRatio(r)} throughput` : `${f[1]} ${fmtRatio(r)}`
    return `<span class="ratio r-${verdict}" data-metric="${f[0]}" title="${esc(`${c.candidate} / ${c.baseline}: ${verdict}${f[2] ? ', lower is better' : ', higher is better'}`)}">${esc(words)}</span>`
  })
}

function comparisonLine(c: BenchComparison): string {
  return (
    '<div class="comparison" data-scenario="' +
    esc(c.scenario) +
    '"><strong>' +
    esc(c.candidate) +
    '</strong> <span class="muted">vs</span> <strong>' +
    esc(c.baseline) +
    '</strong>: ' +
    ratioParts(c).join(', ') +
    '<div class="small"><span class="conf conf-' +
    esc(c.confidence) +
    '">' +
    esc(confidenceWord(c)) +
    '</span> ' +
    text(c.note) +
    '</div></div>'
  )
}

/** `confidence high`; under three trials a side or over the spread limit no confidence word is given, and it says which. */
function confidenceWord(c: BenchComparison): string {
  if (c.confidence === 'too-few-trials') return 'too few trials to say'
  if (c.confidence === 'too-noisy') return 'too noisy to decide'
  return `confidence ${c.confidence}`
}

function numCell(col: string, value: unknown, title?: string): string {
  return `<td class="num" data-col="${col}"${title ? ` title="${esc(title)}"` : ''}>${esc(value)}</td>`
}

function benchTable(d: LoadedRun, rows: BenchEntry[]): string {
  const dash = '\u2014'
  return (
    '<table class="list bench-table"><thead><tr><th>System</th><th class="num">req/s</th><th class="num">\u00b1</th><th class="num">p50 ms</th><th class="num">p90 ms</th>' +
    '<th class="num">p95 ms</th><th class="num">p99 ms</th><th class="num">max ms</th><th class="num">Samples</th><th class="num">Errors</th><th class="num">RSS peak</th><th class="num">CPU</th><th class="num">Cold start</th></tr></thead><tbody>' +
    rows
      .map((e) => {
        const ran = e.trials.some((t) => t.result && !t.failed)
        const errorsByKind = e.errorsByKind || {}
        const errKinds = Object.keys(errorsByKind)
          .map((k) => `${k} ${errorsByKind[k]}`)
          .join(', ')
        return (
          '<tr data-system="' +
          esc(systemOf(e)) +
          '"><td><span class="swatch" style="background:' +
          benchColor(d, systemOf(e)) +
          '"></span><strong>' +
          esc(systemOf(e)) +
          '</strong>' +
          (e.role ? ` <span class="muted small">${esc(e.role)}</span>` : '') +
          (e.generatorBound ? ' <span class="badge st-divergent" title="parity\'s generator was at 90% of a core or more">generator-bound</span>' : '') +
          '</td>' +
          numCell('rps', ran ? fmtInt(e.throughput.rps) : dash) +
          numCell(
            'spread',
            ran ? `${Math.round(e.spread.cv * 100)}%` : dash,
            ran ? `trials from ${fmtInt(e.spread.min)} to ${fmtInt(e.spread.max)} req/s` : '',
          ) +
          numCell('p50', ran ? fmtMs(e.latency.p50) : dash) +
          numCell('p90', ran ? fmtMs(e.latency.p90) : dash) +
          numCell('p95', ran ? fmtMs(e.latency.p95) : dash) +
          numCell('p99', ran ? fmtMs(e.latency.p99) : dash) +
          numCell('max', ran ? fmtMs(e.latency.max) : dash, ran ? 'the slowest request of all trials' : '') +
          numCell('samples', ran && e.latency.count !== undefined ? fmtInt(e.latency.count) : dash, 'requests timed, over all trials') +
          numCell('errors', e.errors, errKinds) +
          numCell('rss', e.resources ? `${e.resources.rssPeakMb.toFixed(0)} MiB` : dash) +
          numCell('cpu', e.resources ? `${e.resources.cpuMeanPercent.toFixed(0)}%` : dash, e.idle ? `idle ${e.idle.cpuMeanPercent.toFixed(1)}%` : '') +
          numCell(
            'startup',
            e.startup ? `${fmtMs(e.startup.median)} \u00b1 ${fmtMs(e.startup.stddev)} ms` : dash,
            e.startup ? `${e.startup.runs} runs, ${e.startup.warmup} warm-up` : '',
          ) +
          '</tr>'
        )
      })
      .join('') +
    '</tbody></table>'
  )
}

function benchWarnings(rows: BenchEntry[]): string {
  const items: string[] = []
  rows.forEach((e) => {
    e.trials.forEach((t) => {
      if (t.failed)
        items.push(`<li class="trial-failed" data-system="${esc(systemOf(e))}">\u2717 ${esc(systemOf(e))} trial ${t.index + 1} failed: ${esc(t.failed)}</li>`)
    })
    if (e.generatorBound) {
      items.push(
        `<li class="generator-bound" data-system="${esc(systemOf(e))}">! ${esc(systemOf(e))}: generator-bound (parity's load generator was at 90% of a core or more); the figure is the generator's ceiling, not the server's capacity</li>`,
      )
    }
  })
  return items.length ? `<ul class="bench-warnings">${items.join('')}</ul>` : ''
}

// Throughput of every trial, in the order they ran (A B A B), so drift and spread show.
function trialsChart(d: LoadedRun, rows: BenchEntry[], id: string): string {
  return trialBars(d, rows, {
    id,
    cls: 'trials-chart',
    barCls: 'bar-trial',
    aria: 'Requests per second of each trial',
    missingIsFailure: true,
    label: 'Throughput per trial <span class="muted small">req/s, in the order run</span>',
    valueOf: (t) => (t.failed || !t.result ? null : t.result.throughput.rps),
    axis: fmtInt,
    value: (v) => `${fmtInt(v)} req/s`,
  })
}

// Memory and CPU of each system's process tree in every trial, so growth over the run shows; dashed: the same tree idle, before load.
function resourceCharts(d: LoadedRun, rows: BenchEntry[], si: number): string {
  const has = rows.some((e) => e.trials.some((t) => t.resources))
  if (!has) return ''
  const idleNote =
    (rows.some((e) => e.idle) ? '; dashed: idle, before load' : '') +
    (rows.some((e) => e.trials.some((t) => t.failed && t.resources)) ? '; faded: a failed trial, until it failed' : '')
  const rss = trialBars(d, rows, {
    id: `rss-chart-${si}`,
    cls: 'resource-chart rss-chart',
    barCls: 'bar-rss',
    aria: 'Peak RSS of each trial, per system',
    width: 440,
    height: 240,
    label: `RSS peak <span class="muted small">MiB, whole process tree${idleNote}</span>`,
    valueOf: (t) => (t.resources ? t.resources.rssPeakMb : null),
    idleOf: (e) => (e.idle ? e.idle.rssPeakMb : null),
    axis: (v) => fmtInt(v),
    value: (v, t) => `${v.toFixed(0)} MiB peak${t?.resources ? `, ${t.resources.rssMeanMb.toFixed(0)} MiB mean` : ''}`,
  })
  const cpu = trialBars(d, rows, {
    id: `cpu-chart-${si}`,
    cls: 'resource-chart cpu-chart',
    barCls: 'bar-cpu',
    aria: 'Mean CPU of each trial, per system',
    width: 440,
    height: 240,
    label: `CPU mean <span class="muted small">% of one core, whole process tree${idleNote}</span>`,
    valueOf: (t) => (t.resources ? t.resources.cpuMeanPercent : null),
    idleOf: (e) => (e.idle ? e.idle.cpuMeanPercent : null),
    axis: (v) => `${v}%`,
    value: (v, t) => `${v.toFixed(v < 10 ? 1 : 0)}% mean${t?.resources ? `, ${t.resources.cpuPeakPercent.toFixed(0)}% peak` : ''}`,
  })
  return `<div class="resource-charts" id="resources-${si}"><h4 class="group">RSS and CPU per trial</h4>${rss}${cpu}</div>`
}

// `parity bench` with a WebSocket path: N subscribers, one publisher, publish-to-receipt latency on every client.
function wsBlock(d: LoadedRun): string {
  const ws = d.run.wsBench || []
  const first = ws[0]
  if (!first) return ''
  const rows = ws
    .map((w) => {
      const sys = systemOf(w)
      const expected = w.connected * w.published
      return (
        '<tr data-system="' +
        esc(sys) +
        '"><td><span class="swatch" style="background:' +
        benchColor(d, sys) +
        '"></span><strong>' +
        esc(sys) +
        '</strong>' +
        (w.role ? ` <span class="muted small">${esc(w.role)}</span>` : '') +
        '</td>' +
        numCell(
          'connected',
          `${Math.round(w.successRate * 100)}%`,
          `${w.connected} of ${w.connections} subscribers connected${w.failed ? `, ${w.failed} failed` : ''}`,
        ) +
        numCell(
          'received',
          `${fmtInt(w.received)} / ${fmtInt(expected)}`,
          expected ? `${Math.round((100 * w.received) / expected)}% of the broadcast copies` : '',
        ) +
        numCell('p50', fmtMs(w.latency.p50)) +
        numCell('p95', fmtMs(w.latency.p95)) +
        numCell('p99', fmtMs(w.latency.p99)) +
        numCell('max', fmtMs(w.latency.max)) +
        numCell('samples', w.latency.count === undefined ? '\u2014' : fmtInt(w.latency.count), 'broadcast copies timed') +
        '</tr>'
      )
    })
    .join('')
  return (
    '<section class="ws-fanout" id="ws-fanout"><h3>WebSocket fan-out <code>' +
    esc(first.path) +
    '</code> <span class="muted small">' +
    esc(`${first.connections} subscribers, ${first.messages} messages from one publisher; latency from publish to receipt on every client`) +
    '</span></h3>' +
    '<table class="list bench-table" id="ws-bench"><thead><tr><th>System</th><th class="num">Connected</th><th class="num">Received</th><th class="num">p50 ms</th><th class="num">p95 ms</th><th class="num">p99 ms</th><th class="num">max ms</th><th class="num">Samples</th></tr></thead><tbody>' +
    rows +
    '</tbody></table>' +
    wsChart(d, ws) +
    '</section>'
  )
}

// Cold start of each measured run, per system; outliers hollow, the median dashed.
function startupChart(d: LoadedRun): string {
  const seen = new Set<string>()
  const rows = (d.run.bench || []).filter((e) => {
    const s = systemOf(e)
    if (seen.has(s) || !e.startup || !e.startup.times || !e.startup.times.length) return false
    seen.add(s)
    return true
  })
  if (!rows.length) return ''
  let n = 0,
    yMax = 0
  rows.forEach((e) => {
    const times = e.startup ? e.startup.times : []
    n = Math.max(n, times.length)
    times.forEach((v) => {
      yMax = Math.max(yMax, v)
    })
  })
  const W = 880,
    H = 240,
    L = 56,
    R = 16,
    T = 16,
    B = 40
  const yTicks = niceTicks(yMax, 4)
  const top = yTicks[yTicks.length - 1]!
  const x = (i: number) => (n === 1 ? (L + W - R) / 2 : L + 12 + (i * (W - L - R - 24)) / (n - 1))
  const y = (v: number) => T + (H - T - B) * (1 - v / top)
  let svg = `<svg class="chart startup-chart" id="startup-chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="Cold start time of each run, per system">`
  svg += yGrid(yTicks, y, L, W - R, (v) => esc(v))
  for (let i = 0; i < n; i++) svg += `<text class="axis" x="${x(i).toFixed(1)}" y="${H - B + 16}" text-anchor="middle">${i + 1}</text>`
  svg += `<text class="axis" x="${(L + W - R) / 2}" y="${H - 6}" text-anchor="middle">run</text>`
  rows.forEach((e) => {
    const st = e.startup
    if (!st) return
    const sys = systemOf(e),
      color = benchColor(d, sys)
    svg += `<line class="median" data-system="${esc(sys)}" x1="${L}" x2="${W - R}" y1="${y(st.median).toFixed(1)}" y2="${y(st.median).toFixed(1)}" stroke="${color}"></line>`
    st.times.forEach((v, i) => {
      const outlier = (st.outliers || []).indexOf(i) >= 0
      svg +=
        '<circle class="dot' +
        (outlier ? ' outlier' : '') +
        '" data-system="' +
        esc(sys) +
        '" cx="' +
        x(i).toFixed(1) +
        '" cy="' +
        y(v).toFixed(1) +
        '" r="4.5"' +
        (outlier ? ` fill="none" stroke="${color}" stroke-width="2"` : ` fill="${color}"`) +
        '><title>' +
        esc(`${sys} run ${i + 1}: ${fmtMs(v)} ms${outlier ? ' (outlier)' : ''}`) +
        '</title></circle>'
    })
  })
  return (
    '<section><h2>Cold start <span class="muted small">spawn to ready, ms, each measured run; dashed: median</span></h2><div class="chart-box">' +
    svg +
    '</svg>' +
    legendOf(d, rows.map(systemOf)) +
    '</div></section>'
  )
}
