/** How figures read: dates, milliseconds, counts, ratios, percentages and gate values. */
import type { Summary } from '../../model/run.js'

export function fmtDate(iso: string | null | undefined): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (isNaN(d.getTime())) return String(iso)
  return d.toISOString().slice(0, 16).replace('T', ' ') + ' UTC'
}

export function fmtMs(n: number | null | undefined): string {
  if (n == null || isNaN(n)) return '\u2014'
  return n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2)
}

export function fmtInt(n: number): string {
  return Math.round(n).toLocaleString('en-US')
}

export function fmtRatio(r: number): string {
  return (r >= 10 ? r.toFixed(1) : String(Number(r.toFixed(2)))) + 'x'
}

export function pct(summary: Summary | null | undefined): string {
  return summary && summary.total > 0 ? summary.percent + '%' : '\u2014'
}

const GATE_RATIOS = ['ported', 'verified', 'e2ePassRate', 'testCoverage', 'typeCoverage', 'apiDocumented']
const GATE_UNITS: Record<string, string> = { p50: 'ms', p90: 'ms', p95: 'ms', p99: 'ms', startup: 'ms', mcpP95: 'ms', mcpStartup: 'ms', rss: 'MiB', cpu: '% of a core', rps: 'req/s', bundleRaw: 'B', bundleGzip: 'B' }

/**
 * A gate's measured value in the gate's own terms: `0.43x`, `87.5%`, `120 ms`, `41,230 B`. The
 * current run carries it (`display`); this formats the values of the stored runs in a series.
 */
export function fmtGateValue(gate: string, v: number | null | undefined): string {
  if (v == null) return '\u2014'
  const m = /^\s*([A-Za-z][A-Za-z0-9]*)\s*[<>=!]+\s*[\d.]+\s*([A-Za-z%]*)\s*$/.exec(gate) || []
  const metric = m[1] || ''
  const unit = (m[2] || '').toLowerCase()
  if (unit === 'x') return Math.round(v * 100) / 100 + 'x'
  if (GATE_RATIOS.indexOf(metric) >= 0) return Math.round(v * 1000) / 10 + '%'
  if (GATE_UNITS[metric] === 'B') return fmtInt(v) + ' B'
  if (GATE_UNITS[metric]) return Math.round(v * 100) / 100 + ' ' + GATE_UNITS[metric]
  return String(Math.round(v * 100) / 100)
}
