/**
 * The terminal view of a bench: per scenario, one row per system (throughput, latency
 * percentiles, errors, memory, CPU, cold start), then the candidate/baseline ratios with how sure
 * the trials make them. A pure function of the RunResult.
 */
import type { BenchComparison, BenchEntry } from '../model/bench.js'
import type { RunResult } from '../model/run.js'
import { textTable } from './text-table.js'

const ms = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2))
const int = (n: number) => Math.round(n).toLocaleString('en-US')

/** `2.50x faster`-style reading of a ratio, where lower is better for `lowerBetter`. */
export function ratioWords(ratio: number | null, lowerBetter: boolean): string {
  if (ratio === null) return '–'
  const r = `${ratio.toFixed(2)}x`
  if (Math.abs(ratio - 1) < 0.03) return `${r} (same)`
  const better = lowerBetter ? ratio < 1 : ratio > 1
  return `${r} (${better ? 'better' : 'worse'})`
}

export function renderBenchTable(run: RunResult, options: { gates?: boolean } = {}): string {
  const entries = run.bench ?? []
  const ws = run.wsBench ?? []
  if (!entries.length && !ws.length) return 'No bench figures: nothing was measured.\n'
  const out: string[] = []
  if (ws.length) {
    out.push(`WebSocket fan-out ${ws[0]!.path}  (${ws[0]!.connections} subscribers, ${ws[0]!.messages} messages from one publisher)`, '')
    out.push(
      ...textTable(
        ['System', 'connected', 'received', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'samples'],
        ws.map((w) => [
          w.system ?? w.target,
          `${Math.round(w.successRate * 100)}%`,
          `${w.received}/${w.connected * w.published}`,
          ms(w.latency.p50),
          ms(w.latency.p95),
          ms(w.latency.p99),
          ms(w.latency.max),
          samplesText(w.latency.count),
        ]),
        new Set([1, 2, 3, 4, 5, 6, 7]),
      ),
      '',
    )
  }
  const scenarios = [...new Set(entries.map((e) => e.scenario))]
  for (const scenario of scenarios) {
    const rows = entries.filter((e) => e.scenario === scenario)
    const first = rows[0]!
    out.push(
      `${scenario}  (${first.model === 'open' ? `open model, ${first.rate} req/s` : `${first.connections} connections`}, ${first.trials.length} trial${first.trials.length === 1 ? '' : 's'} each, alternating)`,
    )
    out.push('')
    out.push(
      ...textTable(
        ['System', 'req/s', '±', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'samples', 'errors', 'RSS peak', 'CPU', 'cold start'],
        rows.map((e) => row(e)),
        new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]),
      ),
    )
    for (const e of rows) {
      const failed = e.trials.filter((t) => t.failed)
      for (const t of failed) out.push(`  ✗ ${e.system ?? e.target} trial ${t.index + 1}: ${t.failed}`)
      if (e.generatorBound)
        out.push(`  ! ${e.system ?? e.target}: generator-bound (parity's generator was at ≥90% of a core); this is a floor, not the server's capacity`)
    }
    for (const c of (run.benchComparisons ?? []).filter((x) => x.scenario === scenario)) out.push('', comparison(c))
    out.push('')
  }
  const gates = options.gates === false ? [] : (run.assessment?.gates ?? [])
  if (gates.length) {
    out.push('Gates')
    for (const g of gates) out.push(`  ${g.passed ? '✓' : g.undecided ? '?' : '✗'} ${g.gate}  ${g.message}`)
    out.push('')
  }
  return `${out.join('\n')}\n`
}

function row(e: BenchEntry): string[] {
  const ran = e.trials.some((t) => t.result && !t.failed)
  const dash = '–'
  return [
    e.system ?? e.target,
    ran ? int(e.throughput.rps) : dash,
    ran ? `${Math.round(e.spread.cv * 100)}%` : dash,
    ran ? ms(e.latency.p50) : dash,
    ran ? ms(e.latency.p95) : dash,
    ran ? ms(e.latency.p99) : dash,
    ran ? ms(e.latency.max) : dash,
    ran ? samplesText(e.latency.count) : dash,
    String(e.errors),
    e.resources ? `${e.resources.rssPeakMb.toFixed(0)} MiB` : dash,
    e.resources ? `${e.resources.cpuMeanPercent.toFixed(0)}%` : dash,
    e.startup ? `${ms(e.startup.median)} ms` : dash,
  ]
}

function comparison(c: BenchComparison): string {
  const r = c.ratios
  const parts = [
    `throughput ${ratioWords(r.rps, false)}`,
    `p95 ${ratioWords(r.p95, true)}`,
    `p99 ${ratioWords(r.p99, true)}`,
    ...(r.rss !== null ? [`memory ${ratioWords(r.rss, true)}`] : []),
    ...(r.cpu !== null ? [`CPU per request ${ratioWords(r.cpu, true)}`] : []),
    ...(r.startup !== null ? [`cold start ${ratioWords(r.startup, true)}`] : []),
  ]
  return `${c.candidate} vs ${c.baseline}: ${parts.join(', ')}\n  ${confidenceText(c)}`
}

/** How sure a comparison is, in words: `confidence high: …`; with too few trials or too much noise, no confidence word, only the note. */
export function confidenceText(c: Pick<BenchComparison, 'confidence' | 'note'>): string {
  return c.confidence === 'high' || c.confidence === 'low' ? `confidence ${c.confidence}: ${c.note}` : c.note
}

/** Samples behind a latency figure (`12,345`), or `–` for figures written before they were counted. */
export function samplesText(count: number | undefined): string {
  return count === undefined ? '–' : int(count)
}
