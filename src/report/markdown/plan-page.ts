/**
 * The "## Plan" section of the vault's Comparison page: what to port next, ranked, with the score,
 * the factors and the language suggestion of each component, and the platform matrix.
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
  if (plan.platforms?.length) {
    const systems = Object.keys(plan.platforms[0]!.systems)
    out.push(
      '### Platforms',
      '',
      'Items of each component per system; shared is the share of the baseline items present in every system: the reuse candidates come first.',
      '',
    )
    out.push(`| Component | ${systems.map(cell).join(' | ')} | Shared |`, `| --- | ${systems.map(() => '---:').join(' | ')} | ---: |`)
    for (const p of plan.platforms)
      out.push(`| ${cell(p.component)} | ${systems.map((s) => String(p.systems[s] ?? 0)).join(' | ')} | ${Math.round(p.shared * 100)}% |`)
    out.push('')
  }
  return out
}
