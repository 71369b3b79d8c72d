/**
 * Behavioural evidence per route: the replayed exchanges and their verdicts joined to the
 * inventory's routes, then into the RunResult, where a route whose exchanges were all equivalent
 * becomes `verified` and any difference makes it `divergent`; summaries are recomputed from the new statuses.
 */
import { ParityError } from '../model/errors.js'
import type { DifferenceGroup, ExchangeVerdict, ReplayedExchange, RouteEvidence } from '../model/exchange.js'
import { exchangeMethod, inferTemplate } from '../model/route-infer.js'
import { bestRoute, routeTemplate } from '../model/route-match.js'
import type { EndpointItem } from '../model/inventory.js'
import { componentOf, routeKey } from '../model/path.js'
import type { Pair, RunResult } from '../model/run.js'
import { plural } from '../model/words.js'
import { summarizePairs } from '../match/diff.js'
import { traceConsequences } from './consequences.js'
import { redactDifference, redactExample, type RedactOptions } from './redact.js'
import { requestShape } from './request-shape.js'

function exchangeSize(x: ReplayedExchange): number {
  return (x.exchange.request.body?.size ?? 0) + (x.baseline.body?.size ?? 0) + (x.candidate.body?.size ?? 0) + x.exchange.request.url.length
}

/** A candidate answer that says the route is not served there. */
function notServed(status: number): boolean {
  return status === 404 || status === 405
}

const MAX_EXAMPLES = 5

/**
 * Evidence per route template. Each exchange is joined to the inventory route whose template
 * matches its path (the most literal one when several do); exchanges no inventory route matches,
 * or all of them without an inventory, get a template inferred from the path. A route is `missing`
 * when the candidate answered 404/405 to every exchange the baseline served (even after a refused
 * write: a route that answers nothing else cannot be told from one that is not there), `divergent` when any other exchange differs, `consequence` when every exchange that
 * differs follows an earlier differing write on the same data (consequences.ts), `verified` when
 * some are equal and none differs, `unproven` when none was equal (vacuous answers or failures),
 * `unexercised` when it is in the inventory but no exchange touched it. Differences are grouped by
 * the shape of the request, each with the exchange that showed it first; root causes come first.
 * `verdicts[i]` is the verdict of `replayed[i]`.
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
  interface GroupAcc {
    group: DifferenceGroup
    seen: Set<string>
  }
  interface Acc {
    route: RouteEvidence
    outcomes: Set<string>
    seen: Set<string>
    exampleSize: number
    /** The example came from a consequence: an independent difference replaces it. */
    exampleIsConsequence: boolean
    groups: Map<string, GroupAcc>
    /** Exchanges the baseline served (no failure), and of them those the candidate did not. */
    served: number
    notServed: number
    independent: number
  }
  const byKey = new Map<string, Acc>()
  const accFor = (method: string, path: string, key: string): Acc => {
    let acc = byKey.get(key)
    if (!acc) {
      acc = {
        route: { method, path, key, status: 'unexercised', exchanges: 0, differences: [] },
        outcomes: new Set(),
        seen: new Set(),
        exampleSize: Infinity,
        exampleIsConsequence: false,
        groups: new Map(),
        served: 0,
        notServed: 0,
        independent: 0,
      }
      byKey.set(key, acc)
    }
    return acc
  }
  for (const t of templates) accFor(t.method, t.path, t.key)
  const routeOf = (x: ReplayedExchange) => {
    const method = exchangeMethod(x.exchange)
    const best = bestRoute(templates, method, x.exchange.request.url)
    const path = best?.path ?? inferTemplate(x.exchange.request.url)
    return best ? { method: best.method, path: best.path, key: best.key } : { method, path, key: routeKey(method, path) }
  }
  const traced = traceConsequences(replayed, verdicts)
  replayed.forEach((x, i) => {
    const verdict = verdicts[i]!
    const r = routeOf(x)
    const acc = accFor(r.method, r.path, r.key)
    acc.route.exchanges++
    acc.outcomes.add(verdict.outcome)
    const t = traced.get(i)
    // Consequences count here too: a route that answers 404/405 to everything is missing, whatever came before.
    if (!x.baseline.error && !x.candidate.error && !notServed(x.baseline.status)) {
      acc.served++
      if (notServed(x.candidate.status)) acc.notServed++
    }
    for (const d of verdict.differences) {
      const k = `${d.where}\n${d.pointer}\n${d.kind}`
      if (acc.seen.has(k)) continue
      acc.seen.add(k)
      // Evidence is stored (history, reports, vault, --out): secrets out of it, as out of a recording.
      acc.route.differences.push(redactDifference(d, redact))
    }
    if (verdict.outcome !== 'different') return
    if (!t) acc.independent++
    else acc.route.consequences = (acc.route.consequences ?? 0) + 1
    const size = exchangeSize(x)
    // The smallest independent difference, else the smallest consequence.
    const better = acc.exampleSize === Infinity || (acc.exampleIsConsequence && !t) || (acc.exampleIsConsequence === !!t && size < acc.exampleSize)
    if (better) {
      acc.exampleSize = size
      acc.exampleIsConsequence = !!t
      acc.route.example = redactExample({ request: x.exchange.request, baseline: x.baseline, candidate: x.candidate }, redact)
    }
    // Grouped by the shape of the request, and apart when it is a consequence of another write.
    const shape = requestShape(x.exchange.request)
    const cause = t ? replayed[t.cause]! : undefined
    const groupKey = `${shape}\n${cause?.exchange.id ?? ''}`
    let g = acc.groups.get(groupKey)
    if (!g) {
      g = { group: { shape, exchanges: 0, differences: [], examples: [] }, seen: new Set() }
      if (t && cause) {
        g.group.cause = {
          exchange: cause.exchange.id,
          route: routeOf(cause).key,
          request: `${cause.exchange.request.method.toUpperCase()} ${cause.exchange.request.url.split('?')[0]}`,
          via: t.via,
        }
      }
      acc.groups.set(groupKey, g)
    }
    g.group.exchanges++
    let kept = false
    for (const d of verdict.differences) {
      const k = `${d.where}\n${d.pointer}\n${d.kind}`
      if (g.seen.has(k)) continue
      g.seen.add(k)
      g.group.differences.push({ ...redactDifference(d, redact), exchange: x.exchange.id })
      if (!kept && g.group.examples.length < MAX_EXAMPLES) {
        kept = true
        g.group.examples.push({
          id: x.exchange.id,
          ...redactExample({ request: x.exchange.request, baseline: x.baseline, candidate: x.candidate }, redact),
        })
      }
    }
  })
  const out: RouteEvidence[] = []
  for (const acc of byKey.values()) {
    const { route, outcomes } = acc
    if (route.exchanges > 0) {
      route.status =
        acc.served > 0 && acc.notServed === acc.served
          ? 'missing'
          : acc.independent > 0
            ? 'divergent'
            : outcomes.has('different')
              ? 'consequence'
              : outcomes.has('equal')
                ? 'verified'
                : 'unproven'
    }
    if (acc.groups.size) {
      // Root causes first, then likely consequences; the most exchanges first within each.
      route.groups = [...acc.groups.values()]
        .map((g) => g.group)
        .sort((a, b) => Number(!!a.cause) - Number(!!b.cause) || b.exchanges - a.exchanges || a.shape.localeCompare(b.shape))
    }
    out.push(route)
  }
  return out.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method))
}

/** The status a route's evidence gives its pair: none for what proves nothing (unproven, unexercised, a likely consequence). */
function pairStatusOf(status: RouteEvidence['status']): 'verified' | 'divergent' | 'missing' | undefined {
  return status === 'verified' || status === 'divergent' || status === 'missing' ? status : undefined
}

/** The same route as seen in traffic: an inventory item whose framework says where it comes from. */
function trafficItem(r: RouteEvidence): EndpointItem {
  return {
    kind: 'route',
    method: r.method,
    path: r.path,
    key: r.key,
    framework: 'traffic',
    component: componentOf(r.path),
    source: { file: 'traffic', line: 1 },
  }
}

/**
 * Route evidence into a run: the pairs of verified, divergent and missing routes take that status for
 * `candidate` (a route the running candidate does not serve is missing, whatever its scan found).
 * Exercised routes no baseline item pairs with join the inventory as seen in traffic (framework
 * `traffic`), so that no figure says "ported" while an exercised route is missing. Likely
 * consequences leave their pair as it was and are counted apart (`Summary.consequences`).
 */
export function applyRouteEvidence(run: RunResult, routes: RouteEvidence[], candidate: string): RunResult {
  const byKey = new Map(routes.map((r) => [r.key, r]))
  const pairs: Pair[] = run.pairs.map((p) => {
    if (!p.baseline) return p
    const evidence = byKey.get(p.key)
    const status = evidence && pairStatusOf(evidence.status)
    if (!status) return p
    const cell = p.matrix?.[candidate]
    const current = cell?.status ?? (p.candidateSystem === candidate ? p.status : undefined)
    if (current !== 'ported' && current !== 'verified' && current !== 'divergent') return p
    const next = { ...p }
    if (p.matrix && cell) next.matrix = { ...p.matrix, [candidate]: { ...cell, status } }
    if (p.candidateSystem === candidate) next.status = status
    return next
  })
  // Exercised routes that pair with no baseline item join the inventory, seen in traffic, never dropped without a word.
  const known = new Set(run.pairs.flatMap((p) => (p.baseline ? [p.key] : [])))
  const unmatched = routes.filter((r) => r.exchanges > 0 && !known.has(r.key))
  const joined: string[] = []
  const multi = run.pairs.some((p) => p.matrix)
  for (const r of unmatched) {
    const status = pairStatusOf(r.status) ?? (r.status === 'consequence' ? 'ported' : undefined)
    if (!status) continue
    const item = trafficItem(r)
    // The candidate's scan may hold it as an extra: that item is its port.
    const extra = pairs.findIndex((p) => !p.baseline && p.key === r.key && p.candidateSystem === candidate)
    const port = extra >= 0 ? pairs[extra]!.candidate : status === 'missing' ? null : item
    const pair: Pair = {
      kind: 'route',
      key: r.key,
      component: item.component,
      status,
      baseline: item,
      candidate: port,
      candidateSystem: candidate,
      via: 'key',
      ...(multi ? { matrix: { [candidate]: { status, candidate: port, via: 'key' as const } } } : {}),
    }
    if (extra >= 0) pairs.splice(extra, 1, pair)
    else pairs.push(pair)
    joined.push(r.key)
  }
  const left = unmatched.filter((r) => !joined.includes(r.key))
  const diagnostics = [...run.diagnostics]
  const list = (keys: string[]) => `${keys.slice(0, 5).join(', ')}${keys.length > 5 ? ', ...' : ''}`
  if (joined.length) {
    diagnostics.push({
      level: 'warn',
      code: 'REPLAY_UNMATCHED',
      message: `${plural(joined.length, 'replayed route')} the scan did not find joined the inventory as seen in traffic (counted in the figures): ${list(joined)}`,
    })
  }
  if (left.length) {
    diagnostics.push({
      level: 'warn',
      code: 'REPLAY_UNMATCHED',
      message: `${plural(left.length, 'replayed route')} match${left.length === 1 ? 'es' : ''} no baseline route of the inventory and proved nothing (both sides refused alike, or failed), so ${left.length === 1 ? 'its' : 'their'} evidence counts nowhere: ${list(left.map((r) => r.key))}`,
    })
  }
  const summaries = summarizePairs(pairs, Object.keys(run.candidates), run.services?.rule)
  // Routes whose only differences are likely consequences: not counted as divergent, said beside the figure.
  const consequences = routes.filter((r) => r.status === 'consequence').length
  if (consequences) {
    // `summary` is the first candidate's own object: set once, it holds for both.
    const own = summaries.candidates[candidate]
    if (own) own.consequences = consequences
  }
  return { ...run, pairs, routes, diagnostics, ...summaries }
}
