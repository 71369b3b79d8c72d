/**
 * Migration planning: what to port next, at what risk, into which language, with the score and the
 * reasons behind every figure. `parity plan` prints it; `parity run` puts it in the RunResult.
 */

export type Level = 'high' | 'medium' | 'low'

/** One factor of a score: its raw value, its weight, and what it added. */
export interface ScoreFactor {
  /** `lines`, `routes`, `tables`, `fanIn`, `capabilities`, `realtime`, `coverage`, `traffic`... */
  name: string
  value: number
  weight: number
  contribution: number
  /** One sentence: `12 routes, 3 of them WebSocket`. */
  reason: string
}

/** A language suggestion from the rule set, with the rule that fired. */
export interface LanguageSuggestion {
  language: 'rust' | 'go' | 'typescript' | 'python' | 'keep'
  /** The rule's id and why it matched (`compute-heavy: sharp, ffmpeg`). */
  rule: string
  reason: string
}

/** A component (or service) not yet fully ported, ranked. */
export interface PlanEntry {
  rank: number
  component: string
  /** Share ported in the first candidate, percent. */
  ported: number
  priority: Level
  priorityScore: number
  risk: Level
  riskScore: number
  /** Person-days, from the formula in `effortFormula`. */
  effortDays: number
  effortFormula: string
  factors: ScoreFactor[]
  /** Items still missing (keys), first ones. */
  missing: string[]
  suggestion?: LanguageSuggestion
}

export interface Plan {
  entries: PlanEntry[]
  /** The weights used (defaults merged with the config's `plan.weights`). */
  weights: Record<string, number>
  /**
   * With three or more systems: per component, the items each system has (by system name) and the
   * share of the baseline's items present in every system (0..1), highest first: reuse candidates.
   * Superseded by `RunResult.platforms` (one row per item, peers included), which every report shows.
   */
  platforms?: Array<{ component: string; systems: Record<string, number>; shared: number }>
}
