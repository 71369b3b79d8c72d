/**
 * The defaults of `parity plan`: factor weights, where each factor saturates, the level
 * thresholds and the effort formula's constants. The config's `plan.weights` overrides weights.
 */
import type { Level } from '../model/plan.js'

/**
 * Factors that make a component urgent. With traffic recorded: traffic, fan-in (dependents) and the
 * share missing. Without, priority comes from what the code shows: dependents (`fanIn`: components
 * that import its files or call its routes), its endpoints (`surface`), its tables (`data`), its
 * capabilities (`uses`), and the share missing.
 */
export const PRIORITY_FACTORS = ['traffic', 'fanIn', 'surface', 'data', 'uses', 'missing'] as const
/** Factors that make a component hard to port. `items` stands in for `lines` when no source is read. */
export const RISK_FACTORS = ['lines', 'items', 'routes', 'tables', 'realtime', 'capabilities', 'coverage'] as const

/** Default weights, by factor name. */
export const DEFAULT_WEIGHTS: Readonly<Record<string, number>> = {
  traffic: 3,
  fanIn: 2,
  surface: 1,
  data: 0.5,
  uses: 0.5,
  missing: 1,
  lines: 1,
  items: 1,
  routes: 0.5,
  tables: 0.5,
  realtime: 2,
  capabilities: 1.5,
  coverage: 1,
}

/**
 * A factor's normalised value is `min(1, value / saturation)`: 2000 lines, 20 endpoints, 5 tables,
 * 3 dependents, 2 risky capabilities, 40 items or a quarter of the traffic count fully; for priority
 * without traffic, 10 endpoints, 3 tables and 3 capabilities. `missing`, `realtime` and `coverage`
 * are already 0..1.
 */
export const SATURATION: Readonly<Record<string, number>> = {
  lines: 2000,
  items: 40,
  routes: 20,
  tables: 5,
  fanIn: 3,
  capabilities: 2,
  surface: 10,
  data: 3,
  uses: 3,
  traffic: 0.25,
}

/**
 * Scores are `100 × Σ contribution / Σ weight` over the factors measured, where contribution is
 * `weight × normalised value`. A score of at least `high` is high, of at least `medium` medium.
 */
export const THRESHOLDS = { high: 50, medium: 25 } as const

export function levelOf(score: number): Level {
  return score >= THRESHOLDS.high ? 'high' : score >= THRESHOLDS.medium ? 'medium' : 'low'
}

/** Catalog categories of capabilities that raise risk: real-time, and the rest counted by `capabilities`. */
export const REALTIME_CATEGORIES: readonly string[] = ['real-time']
export const RISKY_CATEGORIES: readonly string[] = ['background work', 'messaging', 'integration', 'ai', 'business', 'storage']

/**
 * Effort in person-days:
 * `base + missing × (lines/linesPerDay + endpoints×perEndpoint + tables×perTable) + realtime×perRealtime + capabilities×perCapability`,
 * `missing` the share still missing, `realtime` 1 when it has real-time endpoints or capabilities;
 * without sources `items/itemsPerDay` replaces `lines/linesPerDay`. Rounded to half days.
 */
export const EFFORT = { base: 0.5, linesPerDay: 400, itemsPerDay: 16, perEndpoint: 0.25, perTable: 0.5, perRealtime: 2, perCapability: 1 } as const

export function effortFormula(fromLines: boolean): string {
  const size = fromLines ? `lines/${EFFORT.linesPerDay}` : `items/${EFFORT.itemsPerDay}`
  return `${EFFORT.base} + missing × (${size} + endpoints×${EFFORT.perEndpoint} + tables×${EFFORT.perTable}) + realtime×${EFFORT.perRealtime} + capabilities×${EFFORT.perCapability}`
}
