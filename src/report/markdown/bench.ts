/**
 * The "## Performance" section of the Comparison page: per scenario, each system's throughput,
 * latency, errors, memory, CPU and cold start, then each candidate against the baseline.
 */
import type { RunResult } from '../../model/run.js'
import { confidenceText } from '../bench-table.js'
import { code, table } from './markup.js'

/** Lines of the section; empty when the run has no bench results. */
export function benchMarkdown(run: RunResult): string[] {
  if (!run.bench?.length) return []
  const out = [
    '## Performance',
    '',
    'Measured in the same run, trials alternating between the systems; percentiles are medians over the trials, max the slowest of all, samples every timed request.',
    '',
  ]
  for (const scenario of [...new Set(run.bench.map((e) => e.scenario))]) {
    const rows = run.bench.filter((e) => e.scenario === scenario)
    const f = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(2))
    out.push(`### ${code(scenario)}`, '')
    out.push(
      ...table(
        ['System', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'Samples', 'Errors', 'RSS peak', 'CPU', 'Cold start'],
        rows.map((e) => {
          const ran = e.trials.some((x) => x.result && !x.failed)
          return [
            e.system ?? e.target,
            ran ? String(Math.round(e.throughput.rps)) : '—',
            ran ? f(e.latency.p50) : '—',
            ran ? f(e.latency.p95) : '—',
            ran ? f(e.latency.p99) : '—',
            ran ? f(e.latency.max) : '—',
            ran && e.latency.count !== undefined ? String(e.latency.count) : '—',
            String(e.errors),
            e.resources ? `${Math.round(e.resources.rssPeakMb)} MiB` : '—',
            e.resources ? `${Math.round(e.resources.cpuMeanPercent)}%` : '—',
            e.startup ? `${f(e.startup.median)} ms` : '—',
          ]
        }),
      ),
      '',
    )
    for (const c of (run.benchComparisons ?? []).filter((x) => x.scenario === scenario)) {
      const r = c.ratios
      const x = (n: number | null) => (n === null ? '—' : `${n.toFixed(2)}x`)
      out.push(
        `${c.candidate} against ${c.baseline}: throughput ${x(r.rps)}, p95 ${x(r.p95)}, memory ${x(r.rss)}, cold start ${x(r.startup)} (${confidenceText(c)}).`,
        '',
      )
    }
  }
  return out
}
