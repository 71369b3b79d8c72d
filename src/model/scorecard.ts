/**
 * The scorecard: quality figures per system, each read from an artifact a team already produces
 * (coverage reports, audit outputs, an OpenAPI document, a built front end), and gated like the rest.
 */

/** One figure of one system, with where it came from. */
export interface ScoreFigure {
  /** `testCoverage`, `typeCoverage`, `criticalVulnerabilities`, `highVulnerabilities`, `vulnerabilities`, `apiDocumented`, `bundleRaw`, `bundleGzip`. */
  metric: string
  /** A ratio 0..1, a count, or bytes. */
  value: number
  unit: 'ratio' | 'count' | 'bytes'
  /** The artifact it was read from (relative to the config), or `computed` for type coverage. */
  source: string
  /** Extra detail: `lines 812/903`, `by severity: critical 1, high 3`, `per entry: main.js 41,230 B`. */
  detail?: string
}

export interface Scorecard {
  system: string
  figures: ScoreFigure[]
  /** Artifacts that were missing or malformed: named with a hint; the rest of the scorecard stands. */
  problems: Array<{ source: string; message: string; hint: string }>
}
