/**
 * What the views read off the RunResult without drawing it: which sections the run has, counts, the
 * outcome of each test, the systems measured. The client shows the run's figures and never
 * recomputes a status the run carries.
 */
import type { StartupStats } from '../../model/resources.js'
import type { E2eTest, RouteEvidence } from '../../model/exchange.js'
import type { Finding, RunResult } from '../../model/run.js'
import type { Scorecard } from '../../model/scorecard.js'
import type { LoadedRun } from './state.js'

export function hasBehaviour(run: RunResult): boolean {
  return !!(run.routes?.length || run.tests?.length)
}

export function hasBench(run: RunResult): boolean {
  return !!(run.bench?.length || run.wsBench?.length)
}

export function hasMcp(run: RunResult): boolean {
  return !!(run.tools?.length || run.mcpBench?.length)
}

export function hasScorecard(run: RunResult): boolean {
  return !!run.scorecards?.length
}

/** The unresolved routes of every system's scan. */
export function unresolvedTotal(run: RunResult): number {
  return run.systems.reduce((n, s) => n + (s.unresolved || 0), 0)
}

export const ROUTE_STATUSES = ['verified', 'divergent', 'missing', 'consequence', 'unproven', 'unexercised'] as const
export type RouteStatus = RouteEvidence['status']

/** Statuses that only runs with them show a count for (runs stored before them never have them). */
export const RARE_ROUTE_STATUSES: RouteStatus[] = ['missing', 'consequence']

export function routeCounts(run: RunResult): Record<RouteStatus, number> {
  const counts: Record<RouteStatus, number> = { verified: 0, divergent: 0, missing: 0, consequence: 0, unproven: 0, unexercised: 0 }
  ;(run.routes || []).forEach((r) => {
    counts[r.status] = (counts[r.status] || 0) + 1
  })
  return counts
}

/** The finding of a divergent route (findings are keyed by the route key), the first candidate's first. */
export function routeFinding(d: LoadedRun, r: RouteEvidence): Finding | null {
  const findings = d.run.assessment?.findings ? d.run.assessment.findings : []
  const mine = findings.filter((f) => f.type === 'divergent' && f.key === r.key)
  return mine.find((f) => f.candidate === d.candidates[0]) || mine[0] || null
}

export type TestOutcome = 'pass' | 'regression' | 'missing' | 'fail-both' | 'fixed' | 'other'
export const OUTCOME_ORDER: TestOutcome[] = ['regression', 'missing', 'fail-both', 'fixed', 'other', 'pass']
export const OUTCOME_LABEL: Record<TestOutcome, string> = {
  pass: 'pass on both',
  regression: 'regression',
  missing: 'not run on the candidate',
  'fail-both': 'fail on both',
  fixed: 'fixed',
  other: 'skipped or new',
}

/**
 * The outcome the run carries (assess/e2e.ts; runs stored before it get it when read back), grouped
 * for the view: skipped and new tests read as other.
 */
export function testOutcome(t: E2eTest): TestOutcome {
  const o = t.outcome ?? 'skipped'
  return o === 'pass-both' ? 'pass' : o === 'skipped' || o === 'new' ? 'other' : o
}

export function testCounts(run: RunResult): Record<TestOutcome, number> {
  const c: Record<TestOutcome, number> = { pass: 0, regression: 0, missing: 0, 'fail-both': 0, fixed: 0, other: 0 }
  ;(run.tests || []).forEach((t) => {
    c[testOutcome(t)]++
  })
  return c
}

/** A bench entry's system: its name from the config, else its target. */
export function systemOf(e: { system?: string; target: string }): string {
  return e.system || e.target
}

/** The distinct values of `key` over `list`, in first-seen order. */
export function distinct<T>(list: T[], key: (x: T) => string): string[] {
  const out: string[] = []
  list.forEach((x) => {
    const k = key(x)
    if (out.indexOf(k) < 0) out.push(k)
  })
  return out
}

/** A system measured by the MCP bench, with its cold start and RSS peak. */
export interface McpSystem {
  name: string
  role: 'baseline' | 'candidate'
  startup: StartupStats | null
  rss: number | null
}

/** The systems the MCP bench measured, baseline first. */
export function mcpSystems(run: RunResult): McpSystem[] {
  const list: McpSystem[] = []
  ;(run.mcpBench || []).forEach((e) => {
    let s = list.find((x) => x.name === e.system)
    if (!s) list.push((s = { name: e.system, role: e.role, startup: e.startup || null, rss: null }))
    if (e.resources) s.rss = Math.max(s.rss || 0, e.resources.rssPeakMb)
  })
  return list.filter((s) => s.role === 'baseline').concat(list.filter((s) => s.role !== 'baseline'))
}

/** The artifacts each system's scorecard could not read. */
export function scorecardProblems(scorecards: Scorecard[]): Array<{ system: string; p: Scorecard['problems'][number] }> {
  const rows: Array<{ system: string; p: Scorecard['problems'][number] }> = []
  scorecards.forEach((c) => {
    ;(c.problems || []).forEach((p) => {
      rows.push({ system: c.system, p })
    })
  })
  return rows
}
