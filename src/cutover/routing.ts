/**
 * From a RunResult to the cut-over plan: a route whose pair is `verified` goes to the candidate
 * (with the canary weight), every other route stays on the baseline unless a force rule of the
 * config moves it, and a template the gateway cannot express is listed and left on the baseline.
 */
import { plural } from '../model/words.js'
import type { ExcludeRule } from '../config/schema.js'
import { ParityError } from '../model/errors.js'
import { isResolvedEndpoint, type EndpointItem } from '../model/inventory.js'
import type { Pair, PairStatus, RunResult } from '../model/run.js'
import { compileExclude } from '../match/rules.js'
import type { CutoverPlan, PlannedRoute, UnexpressedRoute, Upstream } from './types.js'

export interface PlanOptions {
  baselineUrl: string
  candidateUrl: string
  /** The candidate whose statuses count (default: the run's first candidate). */
  candidate?: string
  /** Percent (0-100) of a moved route's requests sent to the candidate. */
  canary?: number
  /** The config's `cutover.force` rules. */
  force?: ExcludeRule[]
}

/** An http(s) base URL as an upstream; anything else is a usage error naming the flag. */
export function upstreamOf(name: string, url: string, flag: string): Upstream {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    throw new ParityError('USAGE', `${flag} ${url} is not a URL`, `give ${flag} http://host:port`)
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new ParityError('USAGE', `${flag} ${url} is not an http URL`, `give ${flag} http://host:port`)
  if (u.pathname !== '/' || u.search)
    throw new ParityError('USAGE', `${flag} ${url} has a path; a gateway upstream is a host and a port`, `give ${flag} ${u.origin}`)
  const port = u.port || (u.protocol === 'https:' ? '443' : '80')
  return { name, url: u.origin, hostPort: `${u.hostname}:${port}` }
}

// Characters a path template may hold literally: RFC 3986 pchar without `%` (gateways match the decoded path).
const LITERAL = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/]*$/
const PARAM = /\{[^{}/]*\}/g

/** Why a template cannot be matched by a gateway, or undefined when it can. */
export function unexpressible(method: string, path: string): string | undefined {
  if (!path.startsWith('/')) return `the path \`${path}\` does not start with /`
  if (!/^(?:[A-Z]+)$/.test(method)) return `the method \`${method}\` is not an HTTP method token`
  const literal = path.replace(PARAM, '')
  if (literal.includes('%')) return 'it holds a percent-encoded literal, and gateways match the decoded path'
  if (/[{}]/.test(literal)) return 'a `{` or `}` that is not a whole `{param}` (a parameter spanning segments or nested braces)'
  if (!LITERAL.test(literal))
    return `it holds ${[...new Set(literal.replace(/[A-Za-z0-9\-._~!$&'()*+,;=:@/]/g, ''))].map((c) => JSON.stringify(c)).join(', ')}, which a request path cannot carry literally`
  return undefined
}

/** `^/api/items/[^/]+$`: literals escaped, each `{param}` one segment (or the part of one it spans). */
export function templateRegex(path: string): string {
  const parts = path.split(PARAM)
  return `^${parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^/]+')}$`
}

/** Literal segments before parameter segments, position by position: the order a gateway must try them in. */
function specificity(path: string): number[] {
  return path.split('/').map((s) => (s.includes('{') ? 1 : 0))
}

function compareRoutes(a: PlannedRoute, b: PlannedRoute): number {
  const sa = specificity(a.path)
  const sb = specificity(b.path)
  for (let i = 0; i < Math.min(sa.length, sb.length); i++) if (sa[i] !== sb[i]) return sa[i]! - sb[i]!
  if (sa.length !== sb.length) return sa.length - sb.length
  if ((a.method === 'ALL') !== (b.method === 'ALL')) return a.method === 'ALL' ? 1 : -1
  // At equal rank the baseline is tried first: a conflict never moves a route by accident.
  if (a.to !== b.to) return a.to === 'baseline' ? -1 : 1
  return a.path < b.path ? -1 : a.path > b.path ? 1 : a.method < b.method ? -1 : a.method > b.method ? 1 : 0
}

const STAYS: Record<Exclude<PairStatus, 'verified'>, (candidate: string, pair: Pair) => string> = {
  divergent: () => 'divergent: the candidate answered differently in replay',
  ported: (c) => `ported but not verified: ${c} has it, no replay evidence yet`,
  missing: (c) => `missing: ${c} does not have it`,
  extra: (c) => `extra: only ${c} has it, never compared with the baseline`,
  excluded: (_, p) => `excluded${p.reason ? `: ${p.reason}` : ''}`,
}

/** The plan for one candidate of a run. */
export function planCutover(run: RunResult, options: PlanOptions): CutoverPlan {
  const candidates = run.systems.filter((s) => s.role === 'candidate').map((s) => s.name)
  const baselineName = run.systems.find((s) => s.role === 'baseline')?.name ?? 'baseline'
  const candidate = options.candidate ?? candidates[0] ?? 'candidate'
  if (options.candidate && !candidates.includes(options.candidate)) {
    throw new ParityError('USAGE', `the run has no candidate \`${options.candidate}\``, `choose one of ${candidates.join(', ') || '(none)'}`)
  }
  const canary = options.canary
  if (canary !== undefined && !(canary >= 0 && canary <= 100))
    throw new ParityError('USAGE', `--canary ${canary} is not a percent`, 'give --canary a number from 0 to 100')
  const force = (options.force ?? []).map((rule) => compileExclude(rule))
  const routes: PlannedRoute[] = []
  const unexpressed: UnexpressedRoute[] = []
  const seen = new Set<string>()
  for (const pair of run.pairs) {
    const status = pair.matrix?.[candidate]?.status ?? (pair.candidateSystem === candidate ? pair.status : undefined)
    if (!status) continue
    const item = [pair.baseline, pair.candidate, pair.matrix?.[candidate]?.candidate].find((i): i is EndpointItem => !!i && isResolvedEndpoint(i))
    if (!item) continue
    const websocket = item.kind === 'websocket' || item.method === 'WS'
    const method = websocket ? 'GET' : item.method.toUpperCase()
    const why = unexpressible(method, item.path)
    if (why) {
      unexpressed.push({ key: pair.key, status, reason: `${why}: left on the baseline` })
      continue
    }
    const regex = templateRegex(item.path)
    if (seen.has(`${method} ${regex}`)) continue
    seen.add(`${method} ${regex}`)
    const rule = force.find((f) => f.test(item))
    if (rule) rule.matched++
    let to: PlannedRoute['to'] = 'baseline'
    let reason: string
    if (status === 'verified') {
      to = 'candidate'
      reason = `verified: replay found ${candidate}'s answers equivalent to ${baselineName}'s`
    } else if (rule && status !== 'missing' && status !== 'excluded') {
      to = 'candidate'
      reason = `${STAYS[status](candidate, pair)}; forced to the candidate by \`${rule.rule.match}\`: ${rule.rule.reason}`
    } else {
      reason = STAYS[status](candidate, pair)
      if (rule) reason += `; the force rule \`${rule.rule.match}\` is ignored: there is nothing to send to the candidate`
    }
    if (to === 'candidate' && canary !== undefined && canary < 100) reason += ` (canary: ${canary}% to ${candidate}, ${100 - canary}% to ${baselineName})`
    routes.push({
      key: pair.key,
      method: item.method === 'ALL' ? 'ALL' : method,
      path: item.path,
      status,
      to,
      ...(to === 'candidate' && canary !== undefined && canary < 100 ? { weight: canary } : {}),
      reason,
      ...(rule && to === 'candidate' && status !== 'verified' ? { forced: rule.rule.match } : {}),
      ...(websocket ? { websocket: true } : {}),
      regex,
    })
  }
  routes.sort(compareRoutes)
  return {
    run: { ...(run.id ? { id: run.id } : {}), startedAt: run.startedAt },
    baseline: upstreamOf(baselineName, options.baselineUrl, '--baseline-url'),
    candidate: upstreamOf(candidate, options.candidateUrl, '--candidate-url'),
    ...(canary !== undefined && canary < 100 ? { canary } : {}),
    routes,
    unexpressed,
  }
}

/** The header every rendered config starts with, as comment lines (without the comment marker). */
export function planHeader(plan: CutoverPlan): string[] {
  const moved = plan.routes.filter((r) => r.to === 'candidate').length
  return [
    `parity cutover: generated from run ${plan.run.id ?? '(unsaved)'} of ${plan.run.startedAt}`,
    `baseline ${plan.baseline.name} at ${plan.baseline.url}; candidate ${plan.candidate.name} at ${plan.candidate.url}`,
    `${plural(moved, 'route')} to the candidate${plan.canary !== undefined ? ` (canary ${plan.canary}%)` : ''}, ${plan.routes.length - moved} listed on the baseline; anything else goes to the baseline`,
    'Re-run `parity cutover` after more routes are verified to move them over.',
    ...(plan.unexpressed.length
      ? ['Routes this syntax cannot express (left on the baseline):', ...plan.unexpressed.map((u) => `  ${u.key} (${u.status}): ${u.reason}`)]
      : []),
  ]
}

/** The planned route a request takes, as the gateway picks it (first match in order); undefined: the default, the baseline. */
export function routeOf(plan: CutoverPlan, method: string, path: string): PlannedRoute | undefined {
  const m = method.toUpperCase() === 'WS' ? 'GET' : method.toUpperCase()
  return plan.routes.find((r) => (r.method === 'ALL' || r.method === m) && new RegExp(r.regex).test(path))
}
