/**
 * Behavioural evidence into the RunResult: a route whose exchanges were all equivalent becomes
 * `verified`, any difference makes it `divergent`; summaries are recomputed from the new statuses.
 */
import type { Pair, RunResult } from '../model/run.js'
import { summarizePairs } from '../match/diff.js'
import type { RouteEvidence } from '../model/exchange.js'

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
  // Exercised routes that pair with no baseline item: said, never dropped without a word.
  const known = new Set(run.pairs.flatMap((p) => (p.baseline ? [p.key] : [])))
  const unmatched = routes.filter((r) => r.exchanges > 0 && !known.has(r.key))
  const diagnostics = unmatched.length
    ? [
        ...run.diagnostics,
        {
          level: 'warn' as const,
          code: 'REPLAY_UNMATCHED',
          message: `${unmatched.length} replayed route${unmatched.length === 1 ? '' : 's'} match${unmatched.length === 1 ? 'es' : ''} no baseline route of the inventory, so ${unmatched.length === 1 ? 'its' : 'their'} evidence counts nowhere: ${unmatched.slice(0, 5).map((r) => r.key).join(', ')}${unmatched.length > 5 ? ', ...' : ''}`,
        },
      ]
    : run.diagnostics
  return { ...run, pairs, routes, diagnostics, ...summarizePairs(pairs, Object.keys(run.candidates)) }
}
