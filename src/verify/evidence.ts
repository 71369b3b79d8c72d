/**
 * Behavioural evidence per route: the replayed exchanges and their verdicts joined to the
 * inventory's routes, then into the RunResult, where a route whose exchanges were all equivalent
 * becomes `verified` and any difference makes it `divergent`; summaries are recomputed from the new statuses.
 */
import { ParityError } from '../model/errors.js'
import type { ExchangeVerdict, ReplayedExchange, RouteEvidence } from '../model/exchange.js'
import { routeKey } from '../model/path.js'
import { exchangeMethod, inferTemplate } from '../model/route-infer.js'
import { bestRoute, routeTemplate } from '../model/route-match.js'
import type { Pair, RunResult } from '../model/run.js'
import { summarizePairs } from '../match/diff.js'
import { redactDifference, redactExample, type RedactOptions } from './redact.js'

function exchangeSize(x: ReplayedExchange): number {
  return (x.exchange.request.body?.size ?? 0) + (x.baseline.body?.size ?? 0) + (x.candidate.body?.size ?? 0) + x.exchange.request.url.length
}

/**
 * Evidence per route template. Each exchange is joined to the inventory route whose template
 * matches its path (the most literal one when several do); exchanges no inventory route matches,
 * or all of them without an inventory, get a template inferred from the path. A route is
 * `divergent` when any exchange differs, `verified` when some are equal and none differs,
 * `unproven` when none was equal (vacuous answers or failures), `unexercised` when it is in the
 * inventory but no exchange touched it. `verdicts[i]` is the verdict of `replayed[i]`.
 */
export function routeEvidence(
  replayed: ReplayedExchange[],
  verdicts: ExchangeVerdict[],
  inventory?: Array<{ method: string; path: string; key: string }>,
  redact: RedactOptions = {},
): RouteEvidence[] {
  if (verdicts.length !== replayed.length) {
    throw new ParityError(
      'VERDICT_COUNT',
      `${verdicts.length} verdicts for ${replayed.length} replayed exchanges`,
      'pass one verdict per replayed exchange, in the same order',
    )
  }
  const templates = (inventory ?? []).map(routeTemplate)
  interface Acc {
    route: RouteEvidence
    outcomes: Set<string>
    seen: Set<string>
    exampleSize: number
  }
  const byKey = new Map<string, Acc>()
  const accFor = (method: string, path: string, key: string): Acc => {
    let acc = byKey.get(key)
    if (!acc) {
      acc = { route: { method, path, key, status: 'unexercised', exchanges: 0, differences: [] }, outcomes: new Set(), seen: new Set(), exampleSize: Infinity }
      byKey.set(key, acc)
    }
    return acc
  }
  for (const t of templates) accFor(t.method, t.path, t.key)
  replayed.forEach((x, i) => {
    const verdict = verdicts[i]!
    const method = exchangeMethod(x.exchange)
    const best = bestRoute(templates, method, x.exchange.request.url)
    const path = best?.path ?? inferTemplate(x.exchange.request.url)
    const acc = best ? accFor(best.method, best.path, best.key) : accFor(method, path, routeKey(method, path))
    acc.route.exchanges++
    acc.outcomes.add(verdict.outcome)
    for (const d of verdict.differences) {
      const k = `${d.where}\n${d.pointer}\n${d.kind}`
      if (acc.seen.has(k)) continue
      acc.seen.add(k)
      // Evidence is stored (history, reports, vault, --out): secrets out of it, as out of a recording.
      acc.route.differences.push(redactDifference(d, redact))
    }
    if (verdict.outcome === 'different') {
      const size = exchangeSize(x)
      if (size < acc.exampleSize) {
        acc.exampleSize = size
        acc.route.example = redactExample({ request: x.exchange.request, baseline: x.baseline, candidate: x.candidate }, redact)
      }
    }
  })
  const out: RouteEvidence[] = []
  for (const { route, outcomes } of byKey.values()) {
    if (route.exchanges > 0) {
      route.status = outcomes.has('different') ? 'divergent' : outcomes.has('equal') ? 'verified' : 'unproven'
    }
    out.push(route)
  }
  return out.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method))
}

/** Route evidence into a run: the pairs of verified and divergent routes take that status for `candidate`. */

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
          message: `${unmatched.length} replayed route${unmatched.length === 1 ? '' : 's'} match${unmatched.length === 1 ? 'es' : ''} no baseline route of the inventory, so ${unmatched.length === 1 ? 'its' : 'their'} evidence counts nowhere: ${unmatched
            .slice(0, 5)
            .map((r) => r.key)
            .join(', ')}${unmatched.length > 5 ? ', ...' : ''}`,
        },
      ]
    : run.diagnostics
  return { ...run, pairs, routes, diagnostics, ...summarizePairs(pairs, Object.keys(run.candidates), run.services?.rule) }
}
