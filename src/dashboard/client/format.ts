/** How figures read: dates, milliseconds, counts, ratios, percentages and gate values. */
import type { Summary } from '../../model/run.js'

export function fmtDate(iso: string | null | undefined): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return String(iso)
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`
}

export function fmtMs(n: number | null | undefined): string {
  if (n == null || Number.isNaN(n)) return '\u2014'
  return n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2)
}

export function fmtInt(n: number): string {
  return Math.round(n).toLocaleString('en-US')
}

export function fmtRatio(r: number): string {
  return `${r >= 10 ? r.toFixed(1) : String(Number(r.toFixed(2)))}x`
}

export function pct(summary: Summary | null | undefined): string {
  return summary && summary.total > 0 ? `${summary.percent}%` : '\u2014'
}

/** A gate's measured value as the run carries it (assess/gates.ts formats it in the gate's own terms). */
export function gateValue(g: { actual: number | null; display?: string }): string {
  return g.actual == null ? '\u2014' : (g.display ?? String(g.actual))
}
