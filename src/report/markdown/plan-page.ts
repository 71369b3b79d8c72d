/**
 * The "## Plan" section of the vault's Comparison page: what to port next, ranked, with the score,
 * the factors and the language suggestion of each component (the platform matrix is platforms-page.ts).
 */
import type { RunResult } from '../../model/run.js'
import { THRESHOLDS } from '../../plan/weights.js'
import { cell, code } from './markup.js'

/** Lines of the section; empty when the run has no plan. */
export function planMarkdown(run: RunResult): string[] {
  const plan = run.plan
  if (!plan) return []
  const out = ['## Plan', '']
  if (!plan.entries.length) out.push('Nothing left to port: every component is fully ported in the first candidate.', '')
  else {
    out.push(
      `What to port next, ranked by priority then risk. Scores are 100 × Σ weight × factor / Σ weight (high ≥ ${THRESHOLDS.high}, medium ≥ ${THRESHOLDS.medium}); effort in person-days is ${code(plan.entries[0]!.effortFormula)}.`,
      '',
      '| # | Component | Ported | Priority | Risk | Effort | Suggestion | Why |',
      '| ---: | --- | ---: | --- | --- | ---: | --- | --- |',
    )
    for (const e of plan.entries) {
      // The factors that added most, as the reasons a reader scans first.
      const why = [...e.factors]
        .filter((f) => f.contribution > 0)
        .sort((a, b) => b.contribution - a.contribution)
        .slice(0, 3)
        .map((f) => f.reason)
      const suggestion = e.suggestion ? `${e.suggestion.language} (${code(e.suggestion.rule)}): ${e.suggestion.reason}` : '—'
      out.push(
        `| ${e.rank} | ${cell(e.component)} | ${e.ported}% | ${e.priority} (${e.priorityScore}) | ${e.risk} (${e.riskScore}) | ${e.effortDays} | ${cell(suggestion)} | ${cell(why.join('; ') || '—')} |`,
      )
    }
    out.push('')
  }
  return out
}
