/**
 * How serious what a candidate still lacks is: one grade per candidate, per component and per run,
 * carried by the RunResult (`Summary.gapSeverity`, `ComponentSummary.gapSeverity`,
 * `RunResult.gapSeverity`) so that every reader shows the same word for the same figures.
 *
 * Not the plan's priority (plan/rank.ts): that ranks what to port next by traffic, fan-in and share
 * missing; this grades the gap itself, from the figures alone.
 */
import type { ItemKind } from '../model/inventory.js'
import type { GapSeverity, Summary } from '../model/run.js'
import { statusOf } from './status.js'

/** Every grade, the most severe first. */
export const GAP_SEVERITIES: readonly GapSeverity[] = ['critical', 'high', 'medium', 'low', 'none']

/** Kinds whose absence stops a whole feature, not one endpoint. */
const CRITICAL_KINDS: ItemKind[] = ['capability', 'websocket', 'sse', 'service', 'table']

/**
 * `none` when complete, excluded or empty; `critical` when a whole capability, a WebSocket or SSE
 * endpoint, a service or a table is missing (whole features stop); `high` below 50% ported or with
 * divergent items; `medium` below 90%; `low` from 90%.
 */
export function gapSeverityOf(
  s: Pick<Summary, 'total' | 'excluded' | 'ported' | 'verified' | 'divergent' | 'missing' | 'percent' | 'byKind'> | undefined,
): GapSeverity {
  const status = statusOf(s)
  if (!s || status === 'complete' || status === 'excluded' || status === 'empty') return 'none'
  if (CRITICAL_KINDS.some((k) => (s.byKind[k]?.missing ?? 0) > 0)) return 'critical'
  if (s.percent < 50 || s.divergent > 0) return 'high'
  return s.percent < 90 ? 'medium' : 'low'
}

/** The most severe of several grades (one per candidate); `none` for none. */
export function mostSevere(grades: Iterable<GapSeverity | undefined>): GapSeverity {
  let worst = GAP_SEVERITIES.length - 1
  for (const g of grades) if (g) worst = Math.min(worst, GAP_SEVERITIES.indexOf(g))
  return GAP_SEVERITIES[worst]!
}
