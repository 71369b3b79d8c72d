/**
 * Features: named groups of baseline items (routes, capabilities, tables) that people speak of
 * ("2FA", "bulk import"), each with a status per candidate computed from the pairs.
 */

/** Where a feature stands in one candidate. */
export type FeatureStatus = 'verified' | 'complete' | 'partial' | 'missing'

/** One candidate's view of a feature. */
export interface FeatureCandidate {
  /**
   * `verified`: every item that dynamic evidence reaches (endpoints, MCP items) is verified and the
   * rest are present; `complete`: every item present; `partial`: some present; `missing`: none.
   */
  status: FeatureStatus
  /** Items present (ported, verified or divergent). */
  present: number
  /** Items counted (excluded items are not). */
  total: number
  verified: number
  /** Keys of the items the candidate lacks. */
  missing: string[]
  /** Keys of present items whose answers differ from the baseline's. */
  divergent: string[]
}

/** One item of a feature and the baseline keys it matched. */
export interface FeaturePattern {
  /** As written: `POST /api/auth/2fa/*`, `capability totp`, `table users`. */
  pattern: string
  /** Baseline keys it matched (excluded ones included). */
  keys: string[]
}

export interface FeatureResult {
  name: string
  /** The config's component, or the one most of its items belong to. */
  component?: string
  /** Set on features parity proposes, for a person to accept into the config. */
  proposed?: true
  /** Why it was proposed: `5 routes under /api/auth in src/routes/auth.ts`. */
  reason?: string
  items: FeaturePattern[]
  /** Excluded baseline keys it matched (not counted). */
  excluded: string[]
  /** By candidate name. */
  candidates: Record<string, FeatureCandidate>
}
