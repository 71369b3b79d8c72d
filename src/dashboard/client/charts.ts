/** The SVG charts: ported % over runs, latency by percentile, bars per trial, fan-out latency, sparklines. */
import type { BenchEntry, Trial, WsBenchEntry } from '../../model/bench.js'
import type { HistoryRun } from '../../model/history.js'
import { fmtDate, fmtInt, fmtMs } from './format.js'
import { esc } from './html.js'
import { systemOf } from './run-facts.js'
import type { LoadedRun } from './state.js'

export const SERIES_COLORS = ['#2563eb', '#d97706', '#7c3aed', '#059669', '#db2777', '#0891b2']

export function seriesColor(index: number): string {
  return SERIES_COLORS[index % SERIES_COLORS.length]!
}

/** A benched system's colour, the same in every chart and table of the run. */
export function benchColor(d: LoadedRun, system: string): string {
  return seriesColor(d.benchColors.get(system) || 0)
}

/** Round numbers for an axis: 0 .. top in about `count` steps of 1, 2 or 5 x 10^k. */
export function niceTicks(max: number, count?: number): number[] {
  if (!(max > 0)) max = 1
  const raw = max / (count || 4)
  const mag = 10 ** Math.floor(Math.log(raw) / Math.LN10)
  const step = [1, 2, 5, 10].map((m) => m * mag).filter((s) => s >= raw)[0]!
  const ticks: number[] = []
  for (let v = 0; v < max + step / 2; v += step) ticks.push(Number(v.toPrecision(12)))
  const last = ticks[ticks.length - 1]!
  if (last < max) ticks.push(Number((last + step).toPrecision(12)))
  return ticks
}

/** Horizontal grid lines at the y ticks, each labelled left of the plot (`left`..`right` in x). */
export function yGrid(ticks: number[], y: (v: number) => number, left: number, right: number, label: (v: number) => string): string {
  return ticks
    .map(
      (v) =>
        `<line class="grid" x1="${left}" x2="${right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}"></line><text class="axis" x="${left - 8}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${label(v)}</text>`,
    )
    .join('')
}

/** A series as a line through its points, each point a dot with its title. */
function seriesLine(data: string, color: string, radius: number, points: Array<[number, number, string]>): string {
  const line = `<polyline class="series" ${data} fill="none" stroke="${color}" stroke-width="2.5" points="${points.map((p) => `${p[0].toFixed(1)},${p[1].toFixed(1)}`).join(' ')}"></polyline>`
  return (
    line +
    points
      .map((p) => `<circle class="point" cx="${p[0].toFixed(1)}" cy="${p[1].toFixed(1)}" r="${radius}" fill="${color}"><title>${esc(p[2])}</title></circle>`)
      .join('')
  )
}

export function legendOf(d: LoadedRun, systems: string[]): string {
  return `<div class="legend">${systems.map((s) => `<span class="swatch" style="background:${benchColor(d, s)}"></span>${esc(s)}`).join(' ')}</div>`
}

/** Ported % of each candidate per stored run. */
export function trendChart(d: LoadedRun, runs: HistoryRun[]): string {
  const W = 880,
    H = 300,
    L = 56,
    R = 48,
    T = 20,
    B = 56
  const n = runs.length
  const x = (i: number) => (n === 1 ? L + (W - L - R) / 2 : L + (i * (W - L - R)) / (n - 1))
  const y = (p: number) => T + (H - T - B) * (1 - p / 100)
  const names = d.candidates.slice()
  runs.forEach((r) => {
    Object.keys(r.candidates || {}).forEach((c) => {
      if (names.indexOf(c) < 0) names.push(c)
    })
  })
  let svg = `<svg class="chart" id="trend-chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="Ported % per run">`
  ;[0, 25, 50, 75, 100].forEach((p) => {
    svg +=
      '<line class="grid" x1="' +
      L +
      '" x2="' +
      (W - R) +
      '" y1="' +
      y(p) +
      '" y2="' +
      y(p) +
      '"></line>' +
      '<text class="axis" x="' +
      (L - 8) +
      '" y="' +
      (y(p) + 4) +
      '" text-anchor="end">' +
      p +
      '%</text>'
  })
  const step = Math.max(1, Math.ceil(n / 8))
  runs.forEach((r, i) => {
    if (i % step !== 0 && i !== n - 1) return
    svg +=
      '<text class="axis" x="' +
      x(i) +
      '" y="' +
      (H - B + 18) +
      '" text-anchor="middle">' +
      esc(String(r.startedAt).slice(0, 10)) +
      '</text>' +
      (r.commit ? `<text class="axis small" x="${x(i)}" y="${H - B + 32}" text-anchor="middle">${esc(r.commit.slice(0, 7))}</text>` : '')
  })
  names.forEach((c, ci) => {
    const color = seriesColor(ci)
    const pts: Array<[number, number, number, HistoryRun]> = []
    runs.forEach((r, i) => {
      const s = r.candidates?.[c]
      if (s) pts.push([x(i), y(s.percent), s.percent, r])
    })
    if (!pts.length) return
    svg += seriesLine(
      `data-candidate="${esc(c)}"`,
      color,
      4,
      pts.map((p) => [p[0], p[1], `${c}: ${p[2]}% \u00b7 ${fmtDate(p[3].startedAt)}${p[3].commit ? ` \u00b7 ${p[3].commit.slice(0, 8)}` : ''}`]),
    )
  })
  svg += '</svg>'
  const legend = `<div class="legend">${names.map((c, ci) => `<span class="swatch" style="background:${seriesColor(ci)}"></span>${esc(c)}`).join(' ')}</div>`
  return svg + legend
}

/**
 * HdrHistogram's percentile plot: x is log10(1 / (1 - p)), so 90, 99, 99.9 are evenly spaced; 100
 * (max) sits at the right edge.
 */
export function latencyChart(d: LoadedRun, rows: BenchEntry[], id: string): string {
  const series = rows.filter((e) => e.distribution?.length)
  if (!series.length) return ''
  const W = 880,
    H = 320,
    L = 56,
    R = 24,
    T = 16,
    B = 48
  const tOf = (p: number) => (p >= 100 ? null : Math.log(100 / (100 - p)) / Math.LN10)
  let tMax = 2,
    hasMax = false,
    yMax = 0
  series.forEach((e) => {
    e.distribution.forEach((pt) => {
      const t = tOf(pt[0])
      if (t == null) hasMax = true
      else tMax = Math.max(tMax, Math.ceil(t - 1e-9))
      yMax = Math.max(yMax, pt[1])
    })
  })
  const right = tMax + (hasMax ? 0.5 : 0)
  const yTicks = niceTicks(yMax, 4)
  const top = yTicks[yTicks.length - 1]!
  const x = (p: number) => {
    const t = tOf(p)
    return L + ((t == null ? right : t) / right) * (W - L - R)
  }
  const y = (ms: number) => T + (H - T - B) * (1 - ms / top)
  let svg = `<svg class="chart latency-chart" id="${id}" viewBox="0 0 ${W} ${H}" role="img" aria-label="Latency by percentile, per system">`
  svg += yGrid(yTicks, y, L, W - R, (v) => esc(v))
  const percentiles: Array<[number, string]> = [
    [50, '50'],
    [90, '90'],
    [99, '99'],
    [99.9, '99.9'],
    [99.99, '99.99'],
    [99.999, '99.999'],
  ]
  const ticks = percentiles.filter((t) => (tOf(t[0]) as number) <= tMax + 1e-9)
  if (hasMax) ticks.push([100, 'max'])
  ticks.forEach((t) => {
    const xv = x(t[0]).toFixed(1)
    svg +=
      '<line class="grid" x1="' +
      xv +
      '" x2="' +
      xv +
      '" y1="' +
      T +
      '" y2="' +
      (H - B) +
      '"></line>' +
      '<text class="axis" x="' +
      xv +
      '" y="' +
      (H - B + 16) +
      '" text-anchor="middle">' +
      t[1] +
      '</text>'
  })
  svg +=
    '<text class="axis" x="' +
    (L + W - R) / 2 +
    '" y="' +
    (H - 8) +
    '" text-anchor="middle">percentile</text>' +
    '<text class="axis" x="14" y="' +
    (T + H - B) / 2 +
    '" text-anchor="middle" transform="rotate(-90 14 ' +
    (T + H - B) / 2 +
    ')">latency ms</text>'
  series.forEach((e) => {
    const color = benchColor(d, systemOf(e))
    const pts = e.distribution.map((pt) => [x(pt[0]), y(pt[1]), pt] as const)
    svg += seriesLine(
      `data-system="${esc(systemOf(e))}"`,
      color,
      3,
      pts.map((p) => [p[0], p[1], `${systemOf(e)}: p${p[2][0]} ${fmtMs(p[2][1])} ms`]),
    )
  })
  // Drawn from every trial's latencies merged, so the count is that of all trials.
  const counts = series.map((e) => (e.latency.count === undefined ? '' : `${systemOf(e)} ${fmtInt(e.latency.count)}`)).filter(Boolean)
  return `<div class="chart-box"><h4>Latency distribution <span class="muted small">all trials merged${counts.length ? `; samples: ${esc(counts.join(', '))}` : ''}</span></h4>${svg}</svg>${legendOf(d, series.map(systemOf))}</div>`
}

/** How trialBars draws one figure of every trial. */
export interface TrialBarsOptions {
  id: string
  /** The chart's class. */
  cls: string
  barCls: string
  /** The chart's heading (HTML). */
  label: string
  aria: string
  /** The viewBox, when not the full width. */
  width?: number
  height?: number
  valueOf: (t: Trial) => number | null
  axis: (v: number) => string
  value: (v: number, t?: Trial) => string
  /** A dashed line per system (its idle figure), when it has one. */
  idleOf?: (e: BenchEntry) => number | null
  /** A trial without a value gets the failed mark. */
  missingIsFailure?: boolean
}

/** One bar per trial per system, in the order they ran (A B A B), so drift, spread and growth show. */
export function trialBars(d: LoadedRun, rows: BenchEntry[], opts: TrialBarsOptions): string {
  let n = 0,
    yMax = 0,
    any = false
  rows.forEach((e) => {
    n = Math.max(n, e.trials.length)
    e.trials.forEach((t) => {
      const v = opts.valueOf(t)
      if (v != null) {
        any = true
        yMax = Math.max(yMax, v)
      }
    })
    const idle = opts.idleOf ? opts.idleOf(e) : null
    if (idle != null) yMax = Math.max(yMax, idle)
  })
  if (!n || !(any || opts.missingIsFailure)) return ''
  const W = opts.width || 880,
    H = opts.height || 260,
    L = opts.width ? 52 : 64,
    R = 16,
    T = 16,
    B = 40
  const yTicks = niceTicks(yMax, 4)
  const top = yTicks[yTicks.length - 1]!
  const y = (v: number) => T + (H - T - B) * (1 - v / top)
  const groupW = (W - L - R) / n
  const barW = Math.max(4, Math.min(48, (groupW - 16) / rows.length))
  let svg = `<svg class="chart ${opts.cls}" id="${opts.id}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(opts.aria)}">`
  svg += yGrid(yTicks, y, L, W - R, (v) => esc(opts.axis(v)))
  for (let g = 0; g < n; g++) {
    const gx = L + g * groupW + (groupW - barW * rows.length) / 2
    svg += `<text class="axis" x="${(L + g * groupW + groupW / 2).toFixed(1)}" y="${H - B + 16}" text-anchor="middle">${groupW >= 56 ? 'trial ' : ''}${g + 1}</text>`
    rows.forEach((e, si) => {
      const t = e.trials[g]
      if (!t) return
      const bx = (gx + si * barW).toFixed(1)
      const sys = systemOf(e)
      const v = opts.valueOf(t)
      if (v == null) {
        if (!t.failed && !opts.missingIsFailure) return
        svg +=
          '<text class="failed-mark" data-system="' +
          esc(sys) +
          '" data-trial="' +
          t.index +
          '" x="' +
          (gx + si * barW + barW / 2).toFixed(1) +
          '" y="' +
          (y(0) - 6).toFixed(1) +
          '" text-anchor="middle">\u2717<title>' +
          esc(`${sys} trial ${g + 1} failed: ${t.failed || 'no result'}`) +
          '</title></text>'
        return
      }
      svg +=
        '<rect class="' +
        opts.barCls +
        (t.failed ? ' trial-failed' : '') +
        '" data-system="' +
        esc(sys) +
        '" data-trial="' +
        t.index +
        '" x="' +
        bx +
        '" y="' +
        y(v).toFixed(1) +
        '" width="' +
        (barW - 3).toFixed(1) +
        '" height="' +
        Math.max(0, y(0) - y(v)).toFixed(1) +
        '" fill="' +
        benchColor(d, sys) +
        '"><title>' +
        esc(`${sys} trial ${g + 1}: ${opts.value(v, t)}${t.failed ? ` (the trial failed: ${t.failed})` : ''}`) +
        '</title></rect>'
    })
  }
  rows.forEach((e) => {
    const idle = opts.idleOf ? opts.idleOf(e) : null
    if (idle == null) return
    const sys = systemOf(e),
      yv = y(idle).toFixed(1)
    svg +=
      '<line class="idle-mark" data-system="' +
      esc(sys) +
      '" x1="' +
      L +
      '" x2="' +
      (W - R) +
      '" y1="' +
      yv +
      '" y2="' +
      yv +
      '" stroke="' +
      benchColor(d, sys) +
      '"><title>' +
      esc(`${sys} idle, before load: ${opts.value(idle)}`) +
      '</title></line>'
  })
  return `<div class="chart-box"><h4>${opts.label}</h4>${svg}</svg>${legendOf(d, rows.map(systemOf))}</div>`
}

/** WebSocket fan-out: p50, p95, p99 and max of each system side by side. */
export function wsChart(d: LoadedRun, ws: WsBenchEntry[]): string {
  const marks = [
    ['p50', 'p50'],
    ['p95', 'p95'],
    ['p99', 'p99'],
    ['max', 'max'],
  ] as const
  let yMax = 0
  ws.forEach((w) => {
    marks.forEach((m) => {
      yMax = Math.max(yMax, w.latency[m[0]] || 0)
    })
  })
  if (!(yMax > 0)) return ''
  const W = 880,
    H = 220,
    L = 56,
    R = 16,
    T = 16,
    B = 40
  const yTicks = niceTicks(yMax, 4)
  const top = yTicks[yTicks.length - 1]!
  const y = (v: number) => T + (H - T - B) * (1 - v / top)
  const groupW = (W - L - R) / marks.length
  const barW = Math.min(48, (groupW - 16) / ws.length)
  let svg = `<svg class="chart ws-chart" id="ws-chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="WebSocket fan-out latency percentiles, per system">`
  svg += yGrid(yTicks, y, L, W - R, (v) => esc(v))
  marks.forEach((m, g) => {
    const gx = L + g * groupW + (groupW - barW * ws.length) / 2
    svg += `<text class="axis" x="${(L + g * groupW + groupW / 2).toFixed(1)}" y="${H - B + 16}" text-anchor="middle">${m[1]}</text>`
    ws.forEach((w, si) => {
      const sys = systemOf(w),
        v = w.latency[m[0]] || 0
      svg +=
        '<rect class="bar-ws" data-system="' +
        esc(sys) +
        '" data-metric="' +
        m[0] +
        '" x="' +
        (gx + si * barW).toFixed(1) +
        '" y="' +
        y(v).toFixed(1) +
        '" width="' +
        (barW - 3).toFixed(1) +
        '" height="' +
        Math.max(0, y(0) - y(v)).toFixed(1) +
        '" fill="' +
        benchColor(d, sys) +
        '"><title>' +
        esc(`${sys} ${m[1]}: ${fmtMs(v)} ms`) +
        '</title></rect>'
    })
  })
  return `<div class="chart-box"><h4>Publish to receipt <span class="muted small">ms</span></h4>${svg}</svg>${legendOf(d, ws.map(systemOf))}</div>`
}

/** A small line of the values; a missing value breaks the line. The last point is marked. */
export function sparklineSvg(values: Array<number | null>, passed: boolean): string {
  const w = 120,
    h = 28,
    pad = 3
  const present = values.filter((v): v is number => v != null)
  if (!present.length) return '<span class="muted small">no value yet</span>'
  const min = Math.min.apply(null, present),
    max = Math.max.apply(null, present)
  const x = (i: number) => (values.length === 1 ? w / 2 : pad + (i * (w - 2 * pad)) / (values.length - 1))
  const y = (v: number) => (max === min ? h / 2 : h - pad - ((v - min) * (h - 2 * pad)) / (max - min))
  let path = '',
    pen = false,
    last = -1
  values.forEach((v, i) => {
    if (v == null) {
      pen = false
      return
    }
    path += `${(pen ? 'L' : 'M') + x(i).toFixed(1)} ${y(v).toFixed(1)} `
    pen = true
    last = i
  })
  const color = passed ? '#059669' : '#dc2626'
  return (
    '<svg class="sparkline" width="' +
    w +
    '" height="' +
    h +
    '" viewBox="0 0 ' +
    w +
    ' ' +
    h +
    '" role="img" aria-label="' +
    esc(`${present.length} values, from ${present[0]} to ${present[present.length - 1]}`) +
    '">' +
    '<path d="' +
    path.trim() +
    '" fill="none" stroke="' +
    color +
    '" stroke-width="1.5"/>' +
    '<circle cx="' +
    x(last).toFixed(1) +
    '" cy="' +
    y(values[last] as number).toFixed(1) +
    '" r="2.5" fill="' +
    color +
    '"/></svg>'
  )
}
