/**
 * The structural diff of two JSON values: keys in any order, numbers by their exact value, arrays
 * in place or reordered, noise detectors and normalisers, ignore rules by JSON Pointer. Bodies and
 * WebSocket messages walk their trees here; `diffJson` is the same walk for any two values.
 */
import type { Difference, IgnoreRule } from '../../model/exchange.js'
import { canonicalNumber, toJsonTree, toPlain, typeOf, type JsonNode, type JsonObject } from '../json-tree.js'
import { addDifference, childContext, isIgnored, makeContext, plainPreview, preview, type DiffContext, type DiffOptions } from './context.js'
import { numberShape, sameInstant, stringShape } from './detectors.js'
import { pointerOf } from './rules.js'

/** Exact structural equality (numbers by their text, object keys in any order). */
function nodeEqual(a: JsonNode, b: JsonNode): boolean {
  if (a === b) return true
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => nodeEqual(x, b[i]!))
  if (Array.isArray(b)) return false
  if (a.kind === 'num') return b.kind === 'num' && a.raw === b.raw
  if (b.kind !== 'obj' || a.keys.length !== b.keys.length) return false
  return a.keys.every((k) => b.values.has(k) && nodeEqual(a.values.get(k)!, b.values.get(k)!))
}

/** A stable text of a node for multiset comparisons (keys sorted, numbers canonical). */
function canonicalText(n: JsonNode): string {
  if (n === null || typeof n !== 'object') return JSON.stringify(n)
  if (Array.isArray(n)) return `[${n.map(canonicalText).join(',')}]`
  if (n.kind === 'num') return canonicalNumber(n.raw)
  return `{${[...n.keys]
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalText(n.values.get(k)!)}`)
    .join(',')}}`
}

/**
 * Compare two trees at a path into the context. The walker keeps one mutable path (`segs`, and
 * `pat` with `*` for indices), pushed and popped.
 */
export function walkJson(ctx: DiffContext, a: JsonNode, b: JsonNode, segs: string[], pat: string[]): void {
  if (isIgnored(ctx, segs)) {
    if (!nodeEqual(a, b)) ctx.ignored.add(pointerOf(segs))
    return
  }
  const ta = typeOf(a)
  const tb = typeOf(b)
  if (ta !== tb) {
    addDifference(ctx, segs, pat, 'type', plainPreview(a), plainPreview(b))
    return
  }
  if (ta === 'object') walkObject(ctx, a as JsonObject, b as JsonObject, segs, pat)
  else if (ta === 'array') walkArray(ctx, a as JsonNode[], b as JsonNode[], segs, pat)
  else if (ta === 'number') compareNumber(ctx, (a as { raw: string }).raw, (b as { raw: string }).raw, segs, pat)
  else if (ta === 'string') compareStrings(ctx, a as string, b as string, segs, pat)
  else if (a !== b) addDifference(ctx, segs, pat, 'value', a, b)
}

function walkObject(ctx: DiffContext, a: JsonObject, b: JsonObject, segs: string[], pat: string[]): void {
  let orderDiffers = false
  if (a.keys.length === b.keys.length) {
    for (let i = 0; i < a.keys.length && !orderDiffers; i++) if (a.keys[i] !== b.keys[i]) orderDiffers = true
  } else orderDiffers = true
  if (orderDiffers) {
    const commonA = a.keys.filter((k) => b.values.has(k))
    const commonB = b.keys.filter((k) => a.values.has(k))
    if (commonA.some((k, i) => k !== commonB[i])) {
      if (ctx.norm['key-order']) ctx.normalized.add('key-order')
      else addDifference(ctx, segs, pat, 'order', commonA, commonB)
    }
  }
  for (const k of a.keys) {
    if (ctx.probe && ctx.found.length > 0) return
    const va = a.values.get(k)!
    segs.push(k)
    pat.push(k)
    const vb = b.values.get(k)
    if (vb === undefined) {
      if (isIgnored(ctx, segs)) ctx.ignored.add(pointerOf(segs))
      else if (va === null && ctx.norm['null-vs-absent']) ctx.normalized.add('null-vs-absent')
      else addDifference(ctx, segs, pat, 'missing', plainPreview(va), undefined)
    } else walkJson(ctx, va, vb, segs, pat)
    segs.pop()
    pat.pop()
  }
  if (!orderDiffers) return
  for (const k of b.keys) {
    if (a.values.has(k)) continue
    const vb = b.values.get(k)!
    segs.push(k)
    pat.push(k)
    if (isIgnored(ctx, segs)) ctx.ignored.add(pointerOf(segs))
    else if (vb === null && ctx.norm['null-vs-absent']) ctx.normalized.add('null-vs-absent')
    else addDifference(ctx, segs, pat, 'extra', undefined, plainPreview(vb))
    segs.pop()
    pat.pop()
  }
}

const permutationLimit = 200

function walkArray(ctx: DiffContext, a: JsonNode[], b: JsonNode[], segs: string[], pat: string[]): void {
  const common = Math.min(a.length, b.length)
  const mark = ctx.found.length
  const ignoredBefore = ctx.ignored.size
  /** Indices whose elements differ in place: only those can have moved. */
  const moved: number[] = []
  pat.push('*')
  for (let i = 0; i < common; i++) {
    if (ctx.probe && ctx.found.length > 0) break
    const before = ctx.found.length
    segs.push(String(i))
    walkJson(ctx, a[i]!, b[i]!, segs, pat)
    segs.pop()
    if (ctx.found.length > before) moved.push(i)
  }
  pat.pop()
  if (a.length === b.length) {
    if (moved.length > 1 && !ctx.probe && sameContentReordered(ctx, a, b, segs, moved)) {
      ctx.found.length = mark
      // Pointers ignored while comparing misaligned elements are dropped with their differences.
      if (ctx.ignored.size > ignoredBefore) ctx.ignored = new Set([...ctx.ignored].slice(0, ignoredBefore))
      addDifference(ctx, segs, pat, 'order', plainPreview(a), plainPreview(b))
    }
    return
  }
  pat.push('*')
  for (let i = common; i < a.length; i++) {
    segs.push(String(i))
    if (isIgnored(ctx, segs)) ctx.ignored.add(pointerOf(segs))
    else addDifference(ctx, segs, pat, 'missing', plainPreview(a[i]), undefined)
    segs.pop()
  }
  for (let i = common; i < b.length; i++) {
    segs.push(String(i))
    if (isIgnored(ctx, segs)) ctx.ignored.add(pointerOf(segs))
    else addDifference(ctx, segs, pat, 'extra', undefined, plainPreview(b[i]))
    segs.pop()
  }
  pat.pop()
}

/**
 * Whether the elements that differ in place are the same elements in another order (each matched
 * under the same rules, detectors and normalisers); a probe stops at its first difference.
 */
function sameContentReordered(ctx: DiffContext, a: JsonNode[], b: JsonNode[], segs: string[], moved: number[]): boolean {
  if (moved.length > permutationLimit) {
    const count = new Map<string, number>()
    for (const i of moved) count.set(canonicalText(a[i]!), (count.get(canonicalText(a[i]!)) ?? 0) + 1)
    for (const j of moved) {
      const k = canonicalText(b[j]!)
      const n = count.get(k) ?? 0
      if (n === 0) return false
      count.set(k, n - 1)
    }
    return true
  }
  const used = new Set<number>()
  for (const i of moved) {
    let hit = -1
    for (const j of moved) {
      if (j === i || used.has(j)) continue
      const probe = childContext(ctx)
      probe.probe = true
      segs.push(String(i))
      walkJson(probe, a[i]!, b[j]!, segs, ['*'])
      segs.pop()
      if (probe.found.length === 0) {
        hit = j
        break
      }
    }
    if (hit < 0) return false
    used.add(hit)
  }
  return true
}

function compareNumber(ctx: DiffContext, a: string, b: string, segs: string[], pat: string[]): void {
  if (a === b) return
  if (canonicalNumber(a) === canonicalNumber(b)) {
    if (ctx.norm['number-format']) ctx.normalized.add('number-format')
    else addDifference(ctx, segs, pat, 'value', a, b)
    return
  }
  if (ctx.detectors) {
    const shape = numberShape(a, ctx.nowS)
    if (shape !== undefined && shape === numberShape(b, ctx.nowS)) {
      ctx.ignored.add(pointerOf(segs))
      return
    }
  }
  addDifference(ctx, segs, pat, 'value', toPlain({ kind: 'num', raw: a }), toPlain({ kind: 'num', raw: b }))
}

/** Two strings (JSON string values, or whole texts): noise of one shape, one instant, or a difference. */
export function compareStrings(ctx: DiffContext, a: string, b: string, segs: string[], pat: string[]): void {
  if (a === b) return
  if (ctx.detectors) {
    const shape = stringShape(a)
    if (shape !== undefined && shape === stringShape(b)) {
      ctx.ignored.add(pointerOf(segs))
      return
    }
  }
  if (ctx.norm.timestamp && sameInstant(a, b)) {
    ctx.normalized.add('timestamp')
    return
  }
  addDifference(ctx, segs, pat, 'value', preview(a), preview(b))
}

export interface JsonDiffOptions extends DiffOptions {
  /** Ignore rules (body rules apply; header rules are for exchanges). */
  rules?: IgnoreRule[]
  /** The route key selecting rules: that route's and those for `*`; without it, those for `*` only. */
  route?: string
}

/** What differs between two JSON values, and what was tolerated. */
export interface JsonDiff {
  /** Each with `where: 'body'` and a JSON Pointer into the values. */
  differences: Difference[]
  /** Normalisers that changed something (`number-format`, `key-order`, `null-vs-absent`, `timestamp`). */
  normalized: string[]
  /** Pointers ignored as noise, by a rule or a detector. */
  ignored: string[]
}

/**
 * Diff two JSON values (plain JS values, compared as `JSON.stringify` would write them) the way a
 * replayed JSON body is diffed: same normalisers, detectors and ignore rules, same differences.
 */
export function diffJson(baseline: unknown, candidate: unknown, options?: JsonDiffOptions): JsonDiff {
  const ctx = makeContext(options?.rules ?? [], options?.route ?? '*', options)
  walkJson(ctx, toJsonTree(baseline), toJsonTree(candidate), [], [])
  return { differences: ctx.found.map((f) => f.diff), normalized: [...ctx.normalized].sort(), ignored: [...ctx.ignored].sort() }
}
