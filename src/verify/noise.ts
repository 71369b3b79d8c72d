/**
 * Noise, Diffy's way: what differs between two answers of the baseline to one request is not a
 * difference the candidate can be blamed for. Learned as ignore rules per route; rules that match
 * nothing are reported.
 */
import type { Exchange, Headers, IgnoreRule, ReplayedExchange, TargetResponse } from '../model/exchange.js'
import { inferRouteKey } from '../model/route-infer.js'
import { compareBodies, isEmpty, textOf } from './diff/body.js'
import { makeContext, type DiffContext } from './diff/context.js'
import { compareHeaders, meaningfulSet } from './diff/headers.js'
import { walkJson } from './diff/json.js'
import { compileRules } from './diff/rules.js'
import { parseJsonTree, toJsonTree, type JsonNode } from './json-tree.js'

function fmt(v: unknown): string {
  const s = v === undefined ? 'absent' : typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v))
  return s.length > 80 ? `${s.slice(0, 80)}…` : s
}

/** The headers that are not meaningful, by lower-case name, each name's values joined in order. */
function rawHeaders(headers: Headers): Map<string, string> {
  const out = new Map<string, string>()
  for (const [n, v] of headers) {
    const name = n.toLowerCase()
    if (meaningfulSet.has(name)) continue
    const seen = out.get(name)
    out.set(name, seen === undefined ? v : `${seen}, ${v}`)
  }
  return out
}

type Learned = IgnoreRule & { seen: number }

/** Rules as they are learned, one per route, place and pointer, each counting the samples that showed it. */
function noiseLearner() {
  const found: Learned[] = []
  /** Rules by route, then by `where` and pointer, without building a key string per difference. */
  const byRoute = new Map<string, { header: Map<string, Learned>; body: Map<string, Learned> }>()
  const add = (route: string, where: 'header' | 'body', pointer: string, a: unknown, b: unknown, idx: number): void => {
    let places = byRoute.get(route)
    if (!places) byRoute.set(route, (places = { header: new Map(), body: new Map() }))
    let rule = places[where].get(pointer)
    if (!rule) {
      rule = { route, where, pointer, reason: `differs between two baseline answers: ${fmt(a)} vs ${fmt(b)}`, evidence: 0, seen: -1 }
      places[where].set(pointer, rule)
      found.push(rule)
    }
    // Samples are visited in order: one sample counts once, however many times it shows the field.
    if (rule.seen !== idx) {
      rule.seen = idx
      rule.evidence = (rule.evidence ?? 0) + 1
    }
  }
  const rules = (): IgnoreRule[] =>
    found
      .map(({ seen: _seen, ...rule }) => rule)
      .sort((a, b) => a.route.localeCompare(b.route) || a.where.localeCompare(b.where) || a.pointer.localeCompare(b.pointer))
  return { add, rules }
}

/** A context that finds raw differences: no detectors, no rules; normalisers on so that a reordered object is not noise. */
function rawContext(route: string): DiffContext {
  return makeContext([], route, { detectors: false })
}

/**
 * Noise, Diffy's way: for exchanges answered twice by the baseline, every field (a JSON Pointer
 * into the body, with `*` for array indices) and every header whose values differ between the two
 * answers becomes a proposed ignore rule for its route, with the number of exchanges that showed it.
 */
export function learnNoise(replayed: ReplayedExchange[], routeOf: (x: Exchange) => string): IgnoreRule[] {
  const learner = noiseLearner()
  const add = learner.add
  replayed.forEach((x, idx) => {
    const second = x.baseline2
    if (!second || second.error || x.baseline.error) return
    const route = routeOf(x.exchange)
    // Meaningful headers are learned as they are compared (cookie values, correlated ids in a
    // Location and charset spelling are not noise, they are never compared); the others raw.
    const ctx = rawContext(route)
    compareHeaders(ctx, x.baseline.headers, second.headers, [])
    ctx.where = 'body'
    compareBodies(ctx, x.baseline, second)
    for (const f of ctx.found) {
      if (f.diff.where === 'header') add(route, 'header', f.pattern.split('/')[0]!, f.diff.baseline, f.diff.candidate, idx)
    }
    const a = rawHeaders(x.baseline.headers)
    const b = rawHeaders(second.headers)
    for (const [name, va] of a) {
      const vb = b.get(name) ?? ''
      if (va !== vb) add(route, 'header', name, va || undefined, vb || undefined, idx)
    }
    for (const [name, vb] of b) if (!a.has(name) && vb !== '') add(route, 'header', name, undefined, vb, idx)
    for (const f of ctx.found) if (f.diff.where === 'body') add(route, 'body', f.pattern, f.diff.baseline, f.diff.candidate, idx)
  })
  return learner.rules()
}

/**
 * Noise in JSON values answered twice by the baseline (an MCP tool's results): every field whose
 * values differ between the two becomes a proposed body rule for the sample's route, as `learnNoise`
 * proposes for a JSON body.
 */
export function learnJsonNoise(samples: ReadonlyArray<{ route: string; first: unknown; second: unknown }>): IgnoreRule[] {
  const learner = noiseLearner()
  samples.forEach((s, idx) => {
    const ctx = rawContext(s.route)
    walkJson(ctx, toJsonTree(s.first), toJsonTree(s.second), [], [])
    for (const f of ctx.found) learner.add(s.route, 'body', f.pattern, f.diff.baseline, f.diff.candidate, idx)
  })
  return learner.rules()
}

function resolves(node: JsonNode, segs: readonly string[], i: number): boolean {
  if (i === segs.length) return true
  if (node === null || typeof node !== 'object') return false
  const seg = segs[i]!
  if (Array.isArray(node)) {
    if (seg === '*') return node.some((n) => resolves(n, segs, i + 1))
    const n = /^\d+$/.test(seg) ? node[Number(seg)] : undefined
    return n !== undefined && resolves(n, segs, i + 1)
  }
  if (node.kind === 'num') return false
  if (seg === '*') return [...node.values.values()].some((n) => resolves(n, segs, i + 1))
  const n = node.values.get(seg)
  return n !== undefined && resolves(n, segs, i + 1)
}

/**
 * The rules that match nothing in the replayed answers (a warning: a typo, or a field since
 * removed): a header rule whose header no answer of its routes carries, a body rule whose pointer
 * resolves in no body of its routes.
 */
export function unusedRules(rules: IgnoreRule[], replayed: ReplayedExchange[], routeOf: (x: Exchange) => string = inferRouteKey): IgnoreRule[] {
  const compiled = compileRules(rules)
  const used = new Set<number>()
  for (const x of replayed) {
    const route = routeOf(x.exchange)
    const answers = [x.baseline, x.baseline2, x.candidate].filter((r): r is TargetResponse => r !== undefined)
    let trees: Array<JsonNode | undefined> | undefined
    compiled.forEach((r, idx) => {
      if (used.has(idx) || (r.rule.route !== '*' && r.rule.route !== route)) return
      if (r.rule.where === 'header') {
        if (answers.some((a) => a.headers.some(([n]) => n.toLowerCase() === r.segs[0]))) used.add(idx)
        return
      }
      if (r.segs.length === 0) {
        if (answers.some((a) => !isEmpty(a.body))) used.add(idx)
        return
      }
      trees ??= answers.map((a) => {
        const t = a.body ? textOf(a.body) : undefined
        return t === undefined ? undefined : parseJsonTree(t)
      })
      if (trees.some((t) => t !== undefined && resolves(t, r.segs, 0))) used.add(idx)
    })
  }
  return rules.filter((_, idx) => !used.has(idx))
}
