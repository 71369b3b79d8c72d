/**
 * Behavioural evidence into the RunResult: a route whose exchanges were all equivalent becomes
 * `verified`, any difference makes it `divergent`; summaries are recomputed from the new statuses.
 */
import type { Pair, RunResult } from '../model/run.js'
import { summarizePairs } from '../match/diff.js'
import type { RouteEvidence } from './types.js'

export function applyRouteEvidence(run: RunResult, routes: RouteEvidence[], candidate: string): RunResult {
  const byKey = new Map(routes.map((r) => [r.key, r]))
  const pairs: Pair[] = run.pairs.map((p) => {
    if (!p.baseline) return p
    const evidence = byKey.get(p.key)
    if (!evidence || (evidence.status !== 'verified' && evidence.status !== 'divergent')) return p
    const cell = p.matrix?.[candidate]
    const current = cell?.status ?? (p.candidateSystem === candidate ? p.status : undefined)
    if (current !== 'ported' && current !== 'verified' && current !== 'divergent') return p
    const next = { ...p }
    if (p.matrix && cell) next.matrix = { ...p.matrix, [candidate]: { ...cell, status: evidence.status } }
    if (p.candidateSystem === candidate) next.status = evidence.status
    return next
  })
  return { ...run, pairs, routes, ...summarizePairs(pairs, Object.keys(run.candidates)) }
}
