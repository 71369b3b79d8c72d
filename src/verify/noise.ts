/**
 * Noise, Diffy's way: what differs between two answers of the baseline to one request is not a
 * difference the candidate can be blamed for. Learned as ignore rules per route; rules that match
 * nothing are reported.
 */
import type { Difference, Exchange, ExchangeVerdict, IgnoreRule, ReplayedExchange, TargetResponse } from '../model/exchange.js'
import { inferRouteKey } from '../model/route-infer.js'
import { compareBodies, isEmpty, textOf } from './diff/body.js'
import { makeContext, type DiffContext } from './diff/context.js'
import { compareHeaders, isDefaultNoiseHeader } from './diff/headers.js'
import { walkJson } from './diff/json.js'
import { compileRules, rulesFor, segsMatch, splitPointer, type CompiledRule } from './diff/rules.js'
import { parseJsonTree, toJsonTree, type JsonNode } from './json-tree.js'
import { redactDifference, redactJsonValue } from './redact.js'

/** A value as a rule's reason shows it: secrets out (the reason is stored with the run), long ones cut. */
function fmt(value: unknown): string {
  const v = redactJsonValue(value)
  const s = v === undefined ? 'absent' : typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v))
  return s.length > 80 ? `${s.slice(0, 80)}…` : s
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
      // The values as a stored difference shows them: a secret field or header (`/secret`, `x-api-key`) by its name too.
      const shown = redactDifference({ where, pointer, kind: 'value', baseline: a, candidate: b })
      rule = { route, where, pointer, reason: `differs between two baseline answers: ${fmt(shown.baseline)} vs ${fmt(shown.candidate)}`, evidence: 0, seen: -1 }
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
 * Headers are read as they are compared (a `Link` that differs only by the port of each instance,
 * given in `origins`, is not noise); those never compared (Date, request ids) give no rule.
 */
export function learnNoise(replayed: ReplayedExchange[], routeOf: (x: Exchange) => string, origins?: { baseline?: string; baseline2?: string }): IgnoreRule[] {
  const learner = noiseLearner()
  const add = learner.add
  replayed.forEach((x, idx) => {
    const second = x.baseline2
    if (!second || second.error || x.baseline.error) return
    const route = routeOf(x.exchange)
    const ctx = rawContext(route)
    if (origins) ctx.origins = { ...(origins.baseline ? { baseline: origins.baseline } : {}), ...(origins.baseline2 ? { candidate: origins.baseline2 } : {}) }
    compareHeaders(ctx, x.baseline.headers, second.headers, [])
    ctx.where = 'body'
    compareBodies(ctx, x.baseline, second)
    for (const f of ctx.found) {
      if (f.diff.where !== 'header') continue
      const name = f.pattern.split('/')[0]!
      if (!isDefaultNoiseHeader(name)) add(route, 'header', name, f.diff.baseline, f.diff.candidate, idx)
    }
    for (const f of ctx.found) if (f.diff.where === 'body') add(route, 'body', f.pattern, f.diff.baseline, f.diff.candidate, idx)
  })
  return learner.rules()
}

/** Whether a rule covers a place: a header by name, a body pointer at or under the rule's (`*` any one segment). */
function covers(rule: CompiledRule, where: Difference['where'], pointer: string): boolean {
  if (rule.rule.where !== where) return false
  if (where === 'header') return rule.segs[0] === pointer.split('/')[0]!.toLowerCase()
  const segs = splitPointer(pointer)
  if (segs.length < rule.segs.length) return false
  return segsMatch(rule.segs, segs.slice(0, rule.segs.length))
}

/**
 * Learned noise never hides a change of type or presence: the differences of `bare` (the exchange
 * compared without the learned rules) of kind `type`, `missing` or `extra` that a learned rule
 * covers are put back into `verdict`, each with a note naming the rule. Two answers of the
 * baseline that differ in a value say nothing about a candidate that changes the value's type
 * or drops the field, and a baseline replayed against its own leftover state is not noise.
 */
export function keepTypeAndPresence(verdict: ExchangeVerdict, bare: ExchangeVerdict, learned: IgnoreRule[], route: string): ExchangeVerdict {
  const rules = rulesFor(learned, route)
  const all = [...rules.header, ...rules.body]
  if (!all.length) return verdict
  const have = new Set(verdict.differences.map((d) => `${d.where} ${d.pointer} ${d.kind}`))
  const kept: Difference[] = []
  for (const d of bare.differences) {
    if ((d.where !== 'header' && d.where !== 'body') || (d.kind !== 'type' && d.kind !== 'missing' && d.kind !== 'extra')) continue
    if (have.has(`${d.where} ${d.pointer} ${d.kind}`)) continue
    const rule = all.find((r) => covers(r, d.where, d.pointer))
    if (!rule) continue
    const what = d.kind === 'type' ? 'a change of type' : d.kind === 'missing' ? 'a field the candidate lacks' : 'a field only the candidate has'
    const place = d.where === 'header' ? `header ${d.pointer}` : `body ${d.pointer || '(whole body)'}`
    kept.push({
      ...d,
      note: `a learned noise rule (${rule.rule.where} ${rule.rule.pointer || '(whole body)'} on ${rule.rule.route}) would have hidden ${what} at ${place}: kept as a difference`,
    })
  }
  if (!kept.length) return verdict
  return { ...verdict, outcome: 'different', differences: [...verdict.differences, ...kept] }
}

/**
 * How many exchanges each learned rule silenced: a difference between baseline and candidate that
 * the rule ignored (read from each verdict's `ignored` list; a rule is checked before any detector).
 * Returns the rules with `silenced` set.
 */
export function countSilenced(learned: IgnoreRule[], verdicts: ExchangeVerdict[], routes: string[]): IgnoreRule[] {
  const counts = new Map<IgnoreRule, number>()
  verdicts.forEach((v, i) => {
    if (!v.ignored.length) return
    const rules = rulesFor(learned, routes[i]!)
    const restored = new Set(v.differences.filter((d) => d.note?.startsWith('a learned noise rule')).map((d) => d.pointer))
    for (const r of [...rules.header, ...rules.body]) {
      const hit = v.ignored.some((entry) => {
        const header = entry.startsWith('header:')
        const pointer = header ? entry.slice(7) : entry
        if (restored.has(pointer)) return false
        return header ? r.rule.where === 'header' && r.segs[0] === pointer : r.rule.where === 'body' && segsMatch(r.segs, splitPointer(pointer))
      })
      if (hit) counts.set(r.rule, (counts.get(r.rule) ?? 0) + 1)
    }
  })
  return learned.map((r) => ({ ...r, silenced: counts.get(r) ?? 0 }))
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
