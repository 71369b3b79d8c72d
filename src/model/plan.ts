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
  /**
   * The rule's id and why it matched (`compute-heavy: sharp, ffmpeg`); `started: <port>` when a port
   * is under way, `furthest: <candidate>` or `first-target` when no rule names a target language.
   */
  rule: string
  reason: string
  /** The candidate that receives it: the one written in that language (the furthest along on it when several). */
  candidate?: string
  /** Rules that matched before it but name a language that is not a target (`compute-heavy (rust)`). */
  passedOver?: string[]
}

/** How much of a plan row one candidate has. */
export interface CandidateProgress {
  /** Percent ported, one decimal. */
  ported: number
  /** Items (for a service: endpoints) still missing in it. */
  missing: number
  total: number
  /** In a tree of services: the candidate's service that ports it, when one does. */
  port?: string
}

/** A component, or in a tree of several services a service, not yet fully ported, ranked. */
export interface PlanEntry {
  rank: number
  /** The component, or the service when the row is a service. */
  component: string
  /** In a tree of several services: the baseline service the row is (rows are services there). */
  service?: string
  /** Share ported in the candidate it is suggested for (else the first candidate), percent. */
  ported: number
  /** Per candidate: how much of it each has. */
  candidates?: Record<string, CandidateProgress>
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

/** What is left to port into one candidate, in rank order. */
export interface PlanCandidate {
  name: string
  /** The language it is written in, when its inventory shows one. */
  language?: string
  /** In a tree of several services: baseline services its ports have entirely, and in part. */
  migrated?: number
  partly?: number
  /**
   * Plan rows left for it, by rank: in a tree of several services those suggested for it (a service
   * is ported once, into one language); otherwise every component it lacks (each candidate is a
   * whole rewrite).
   */
  next: string[]
  /** Baseline endpoints still missing in it over those rows. */
  endpointsLeft: number
}

/** A package without routes (a UI, a library) and what to do with it. */
export interface PlanPackage {
  name: string
  root: string
  kind: 'ui' | 'library'
  language: string
  lines: number
  /** Services and packages that declare it as a dependency. */
  usedBy: string[]
  /** Baseline services whose routes its code calls (`fetch('/files')`). */
  calls: string[]
  suggestion: LanguageSuggestion
}

export interface Plan {
  entries: PlanEntry[]
  /**
   * The languages suggestions choose among: the candidates' own (`candidates`), the config's
   * `plan.targets` (`config`), or every language of the rules when no candidate shows one (`rules`).
   */
  targets?: { languages: string[]; from: 'candidates' | 'config' | 'rules' }
  /** What priority rests on: the replay corpus's traffic, or without one what the code shows. */
  priorityFrom?: 'traffic' | 'code'
  /** Every candidate, with what is left to port into it. */
  candidates?: PlanCandidate[]
  /** Packages without routes, each with its own recommendation. */
  packages?: PlanPackage[]
  /** The weights used (defaults merged with the config's `plan.weights`). */
  weights: Record<string, number>
  /**
   * In runs stored before `RunResult.platforms` (one row per item, peers included), which replaced
   * it: per component, the items each system had and the share of the baseline's in every system.
   * No longer computed; kept so those runs still read.
   */
  platforms?: Array<{ component: string; systems: Record<string, number>; shared: number }>
}
