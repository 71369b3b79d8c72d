/**
 * The terminal view of a plan: the ranked table (priority, risk, effort, language), then per
 * component the factors behind its scores, then the cross-platform matrix (one row per item) with
 * three or more systems or a peer.
 * A pure function of the RunResult.
 */
import type { RunResult } from '../model/run.js'
import { THRESHOLDS } from '../plan/weights.js'
import { renderPlatformTable } from './platform-table.js'
import { textTable } from './text-table.js'

export function renderPlanTable(run: RunResult): string {
  const plan = run.plan
  if (!plan) return 'No plan: run `parity plan`.\n'
  const out: string[] = []
  if (!plan.entries.length) out.push('Nothing left to port: every component is fully ported in the first candidate.')
  else {
    out.push(
      ...textTable(
        ['#', 'component', 'ported', 'priority', 'risk', 'effort', 'suggestion'],
        plan.entries.map((e) => [
          String(e.rank),
          e.component,
          `${e.ported}%`,
          `${e.priority} (${e.priorityScore})`,
          `${e.risk} (${e.riskScore})`,
          `${e.effortDays} d`,
          e.suggestion ? `${e.suggestion.language} (${e.suggestion.rule})` : '–',
        ]),
        new Set([0, 2, 5]),
      ),
    )
    out.push(
      '',
      `Scores: 100 × Σ weight × factor / Σ weight; high ≥ ${THRESHOLDS.high}, medium ≥ ${THRESHOLDS.medium}. Effort (person-days): ${plan.entries[0]!.effortFormula}.`,
    )
    for (const e of plan.entries) {
      out.push(
        '',
        `${e.rank}. ${e.component}: priority ${e.priority} (${e.priorityScore}), risk ${e.risk} (${e.riskScore}), effort ${e.effortDays} person-days`,
      )
      for (const f of e.factors) out.push(`   ${f.name.padEnd(13)} ${String(f.value).padStart(7)} × w${f.weight} → ${f.contribution.toFixed(2)}  ${f.reason}`)
      if (e.suggestion) out.push(`   suggestion    ${e.suggestion.language}: ${e.suggestion.reason} (rule ${e.suggestion.rule})`)
      if (e.missing.length) out.push(`   missing       ${e.missing.join(', ')}`)
    }
  }
  // The per-item matrix of the run (the plan's per-component one is superseded by it).
  if (run.platforms?.rows.length) out.push('', ...renderPlatformTable(run.platforms))
  return `${out.join('\n')}\n`
}
