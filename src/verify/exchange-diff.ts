/**
 * The diff of one replayed exchange: failures, status, meaningful headers, body and WebSocket
 * messages compared under the rules of its route, and the verdict they give.
 */
import type { Difference, ExchangeVerdict, IgnoreRule, ReplayedExchange, TargetResponse } from '../model/exchange.js'
import { inferRouteKey } from '../model/route-infer.js'
import { compareBodies } from './diff/body.js'
import { makeContext, type DiffOptions } from './diff/context.js'
import { compareHeaders } from './diff/headers.js'
import { compareWsMessages } from './diff/ws-messages.js'

export interface CompareOptions extends DiffOptions {
  /** The exchange's route key, to select route-specific rules; inferred from the request path when absent. */
  route?: string
  /** Header names compared beside the allow-list (lower case). */
  headers?: string[]
  /** WebSocket messages may arrive out of order within this many positions (0, the default: in order). */
  wsWindow?: number
  /** Each side's own origin, replaced by a placeholder in header values (a `Link` with each side's port is equal). */
  origins?: { baseline?: string; candidate?: string }
}

function errorText(r: TargetResponse): string {
  return r.error ? `${r.error.code}: ${r.error.message}` : `status ${r.status}`
}

/** Both sides refusing alike proves nothing about the route's behaviour. */
function vacuousStatus(status: number): boolean {
  return status === 401 || status === 403 || status === 404 || status >= 500
}

/**
 * Compare the baseline's and the candidate's answers to one exchange. `equal` when nothing
 * meaningful differs (after ignore rules, detectors and normalisers); `different` with the list
 * otherwise; `unproven` when both sides answered 401/403/404/5xx alike or both failed; `error`
 * when only the baseline failed (the reference is missing, the candidate cannot be judged).
 */
export function compareExchange(x: ReplayedExchange, rules: IgnoreRule[], options?: CompareOptions): ExchangeVerdict {
  const route = options?.route ?? inferRouteKey(x.exchange)
  const ctx = makeContext(rules, route, options)
  const base = x.baseline
  const cand = x.candidate
  if (base.error || cand.error) {
    if (base.error && cand.error) return { outcome: 'unproven', differences: [], normalized: [], ignored: [] }
    const diff: Difference = { where: 'error', pointer: '', kind: 'value', baseline: errorText(base), candidate: errorText(cand) }
    return { outcome: base.error ? 'error' : 'different', differences: [diff], normalized: [], ignored: [] }
  }
  if (base.status !== cand.status) {
    const diff: Difference = { where: 'status', pointer: '', kind: 'value', baseline: base.status, candidate: cand.status }
    if ((base.status === 304 || cand.status === 304) && x.exchange.request.headers.some(([n]) => n.toLowerCase() === 'if-none-match'))
      diff.note = `conditional request (If-None-Match with the side's own ETag): the ${base.status === 304 ? 'baseline' : 'candidate'} answers 304 Not Modified, the ${base.status === 304 ? 'candidate' : 'baseline'} ${base.status === 304 ? cand.status : base.status} with the whole body`
    ctx.found.push({ diff, pattern: '' })
  }
  if (options?.origins) ctx.origins = options.origins
  ctx.requestHeaders = x.exchange.request.headers
  // A 304 against a 200 says it all: the 304 has no body and only the validators' headers by definition.
  const notModified = (base.status === 304) !== (cand.status === 304)
  if (!notModified) compareHeaders(ctx, base.headers, cand.headers, options?.headers ?? [])
  ctx.where = 'body'
  if (!notModified) compareBodies(ctx, base, cand)
  if (base.ws || cand.ws) {
    ctx.where = 'ws'
    compareWsMessages(ctx, base.ws ?? [], cand.ws ?? [], options?.wsWindow ?? 0)
  }
  const differences = ctx.found.map((f) => f.diff)
  const outcome = differences.length > 0 ? 'different' : base.status === cand.status && vacuousStatus(base.status) ? 'unproven' : 'equal'
  return { outcome, differences, normalized: [...ctx.normalized].sort(), ignored: [...ctx.ignored].sort() }
}
