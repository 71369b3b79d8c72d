/**
 * The classification of the old end-to-end suite's tests, owned here and carried by the RunResult
 * (`E2eTest.outcome`): the terminal, the vault, the HTML report and the dashboard show it, none
 * re-derives it.
 */
import type { E2eOutcome, E2eTest } from '../model/exchange.js'

/**
 * What one test says about the candidate: `regression` (passes on the baseline, fails on the
 * candidate), `missing` (passes on the baseline, never ran on the candidate), `fixed`, `fail-both`,
 * `skipped` (skipped on either side), `new` (only on the candidate), `pass-both`.
 */
export function classifyE2eTest(t: E2eTest): E2eOutcome {
  if (t.baseline === 'pass' && t.candidate === 'pass') return 'pass-both'
  if (t.baseline === 'pass' && t.candidate === 'fail') return 'regression'
  if (t.baseline === 'pass' && t.candidate === 'absent') return 'missing'
  if (t.baseline === 'absent') return t.candidate === 'skip' ? 'skipped' : 'new'
  if (t.baseline === 'skip' || t.candidate === 'skip') return 'skipped'
  if (t.candidate === 'pass') return 'fixed'
  return 'fail-both'
}

/** Tests passing on the candidate over the tests it did not skip (those it never ran count as not passing); 0 when none. */
export function candidatePassRate(tests: E2eTest[]): number {
  const counted = tests.filter((t) => t.candidate !== 'skip')
  return counted.length ? counted.filter((t) => t.candidate === 'pass').length / counted.length : 0
}

/** The outcome of a test: as stored, or classified for a run stored before outcomes were. */
export function outcomeOf(t: E2eTest): E2eOutcome {
  return t.outcome ?? classifyE2eTest(t)
}

/** Tests per outcome, every outcome present (0 when none). */
export function e2eCounts(tests: E2eTest[]): Record<E2eOutcome, number> {
  const counts: Record<E2eOutcome, number> = { 'pass-both': 0, regression: 0, missing: 0, fixed: 0, 'fail-both': 0, skipped: 0, new: 0 }
  for (const t of tests) counts[outcomeOf(t)]++
  return counts
}
