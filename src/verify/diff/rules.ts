/**
 * Ignore rules as the diff applies them: JSON Pointers split into segments (`*` for any index or
 * key), header names lower-cased, each list compiled once and split by route once.
 */
import { ParityError } from '../../model/errors.js'
import type { IgnoreRule } from '../../model/exchange.js'

export interface CompiledRule {
  rule: IgnoreRule
  /** A body rule's pointer segments, or a header rule's lower-case name alone. */
  segs: string[]
}

/** A route's rules, by where they apply. */
export interface RouteRules {
  body: CompiledRule[]
  header: CompiledRule[]
}

function escapeSeg(s: string): string {
  if (!s.includes('~') && !s.includes('/')) return s
  return s.replace(/~/g, '~0').replace(/\//g, '~1')
}

/** The JSON Pointer of a path of segments. */
export function pointerOf(segs: readonly string[]): string {
  let out = ''
  for (const s of segs) out += `/${escapeSeg(s)}`
  return out
}

/** The segments of a JSON Pointer, unescaped. */
export function splitPointer(pointer: string): string[] {
  if (pointer === '') return []
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
}

/** Compile rules for matching; a body pointer that is not a JSON Pointer is a ParityError. */
export function compileRules(rules: IgnoreRule[]): CompiledRule[] {
  return rules.map((rule) => {
    if (rule.where === 'body' && rule.pointer !== '' && !rule.pointer.startsWith('/')) {
      throw new ParityError(
        'BAD_IGNORE_RULE',
        `ignore rule pointer "${rule.pointer}" (route ${rule.route}) is not a JSON Pointer`,
        'write body pointers as JSON Pointers starting with "/", e.g. /items/*/createdAt',
      )
    }
    return { rule, segs: rule.where === 'body' ? splitPointer(rule.pointer) : [rule.pointer.toLowerCase()] }
  })
}

/** Whether a rule's segments match a path's, `*` matching any one segment. */
export function segsMatch(rule: readonly string[], segs: readonly string[]): boolean {
  if (rule.length !== segs.length) return false
  for (let i = 0; i < rule.length; i++) if (rule[i] !== '*' && rule[i] !== segs[i]) return false
  return true
}

interface CompiledList {
  byRoute: Map<string, RouteRules>
  all: CompiledRule[]
}

/** Rules compiled once per rule list, and split by route once per route: a replay compares many exchanges with one list. */
const compiledCache = new WeakMap<IgnoreRule[], CompiledList>()
const noRules: RouteRules = { body: [], header: [] }
/** The list of the previous call: a replay compares every exchange with one list. */
let lastRules: { rules: IgnoreRule[]; cached: CompiledList } | undefined

/** The rules of a list that apply to a route (its own and those for `*`), compiled. */
export function rulesFor(rules: IgnoreRule[], route: string): RouteRules {
  if (rules.length === 0) return noRules
  let cached = lastRules?.rules === rules ? lastRules.cached : compiledCache.get(rules)
  if (!cached) compiledCache.set(rules, (cached = { byRoute: new Map(), all: compileRules(rules) }))
  lastRules = { rules, cached }
  let hit = cached.byRoute.get(route)
  if (!hit) {
    const own = cached.all.filter((r) => r.rule.route === '*' || r.rule.route === route)
    hit = { body: own.filter((r) => r.rule.where === 'body'), header: own.filter((r) => r.rule.where === 'header') }
    cached.byRoute.set(route, hit)
  }
  return hit
}
