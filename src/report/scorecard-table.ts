/**
 * The terminal view of the scorecards: one row per system, one column per metric measured
 * anywhere, then each figure's source and detail, and the problems (artifact, message, hint).
 * A pure function of the RunResult; the vault's section reuses the grid.
 */
import type { RunResult } from '../model/run.js'
import type { ScoreFigure, Scorecard } from '../model/scorecard.js'
import { textTable } from './text-table.js'

/** Column titles of the metrics, in display order. */
export const SCORE_TITLES: Record<string, string> = {
  testCoverage: 'Tests',
  typeCoverage: 'Types',
  criticalVulnerabilities: 'Critical',
  highVulnerabilities: 'High',
  vulnerabilities: 'Vulns',
  apiDocumented: 'API docs',
  bundleRaw: 'Bundle',
  bundleGzip: 'Gzip',
}

/** The label of a figure's source line: the three vulnerability figures share one. */
export function sourceLabel(metric: string): string {
  return metric.endsWith('Vulnerabilities') || metric === 'vulnerabilities' ? 'Audit' : (SCORE_TITLES[metric] ?? metric)
}

/** A figure as read: `91.5%`, `3`, `41.2 kB`. */
export function formatFigure(f: Pick<ScoreFigure, 'value' | 'unit'>): string {
  if (f.unit === 'ratio') return `${(Math.floor(f.value * 1000 + 1e-6) / 10).toFixed(1)}%`
  if (f.unit === 'count') return String(f.value)
  if (f.value < 1024) return `${f.value} B`
  if (f.value < 1024 ** 2) return `${(f.value / 1024).toFixed(1)} kB`
  return `${(f.value / 1024 ** 2).toFixed(2)} MB`
}

/** Metrics present on any scorecard (in display order), and a row of formatted values per system (`—` when not measured). */
export function scoreGrid(cards: readonly Scorecard[]): { metrics: string[]; rows: Array<{ system: string; cells: string[] }> } {
  const present = new Set(cards.flatMap((c) => c.figures.map((f) => f.metric)))
  const metrics = [...Object.keys(SCORE_TITLES).filter((m) => present.has(m)), ...[...present].filter((m) => !(m in SCORE_TITLES))]
  return {
    metrics,
    rows: cards.map((c) => ({
      system: c.system,
      cells: metrics.map((m) => {
        const f = c.figures.find((x) => x.metric === m)
        return f ? formatFigure(f) : '—'
      }),
    })),
  }
}

export function renderScorecardTable(run: RunResult): string {
  const cards = run.scorecards ?? []
  if (!cards.length) return 'No scorecard: no system has a `scorecard` block in the config.\n'
  const { metrics, rows } = scoreGrid(cards)
  const out: string[] = ['Scorecard', '']
  if (metrics.length) {
    out.push(
      ...textTable(
        ['System', ...metrics.map((m) => SCORE_TITLES[m] ?? m)],
        rows.map((r) => [r.system, ...r.cells]),
        new Set(metrics.map((_, i) => i + 1)),
      ),
      '',
    )
  }
  for (const c of cards) {
    // The three vulnerability figures share a source and a detail: say it once.
    const said = new Set<string>()
    const lines = c.figures.flatMap((f) => {
      const line = `${f.source}${f.detail ? `: ${f.detail}` : ''}`
      if (said.has(line)) return []
      said.add(line)
      return [`  ${sourceLabel(f.metric).padEnd(9)} ${line}`]
    })
    if (!lines.length && !c.problems.length) continue
    out.push(`${c.system}:`, ...lines)
    for (const p of c.problems) out.push(`  ✗ ${p.message}`, `    hint: ${p.hint}`)
    out.push('')
  }
  return `${out.join('\n').trimEnd()}\n`
}
