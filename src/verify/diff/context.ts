/**
 * The state one diff carries through its parts (status, headers, body, WebSocket messages): the
 * options, the rules of the route, and what was found, normalised and ignored so far.
 */
import type { Difference, Headers, IgnoreRule } from '../../model/exchange.js'
import { toPlain, type JsonNode } from '../json-tree.js'
import { pointerOf, rulesFor, segsMatch, type CompiledRule } from './rules.js'

/** Cross-language quirks that compare equal when their normaliser is on (all are, by default). */
export type Normalizer = 'key-order' | 'number-format' | 'timestamp' | 'null-vs-absent' | 'header-case'
export const NORMALIZERS: readonly Normalizer[] = ['key-order', 'number-format', 'timestamp', 'null-vs-absent', 'header-case']

/** How values are compared, whatever holds them. */
export interface DiffOptions {
  /** Switch normalisers off (or on) by name; all are on by default. */
  normalizers?: Partial<Record<Normalizer, boolean>>
  /** Built-in noise detectors (timestamps, epochs, UUIDs, tokens, request-id headers); on by default. */
  detectors?: boolean
}

export interface Found {
  diff: Difference
  /** The pointer with `*` for array indices: what a learned rule is written as. */
  pattern: string
}

export interface DiffContext {
  norm: Record<Normalizer, boolean>
  detectors: boolean
  bodyRules: CompiledRule[]
  headerRules: CompiledRule[]
  where: Difference['where']
  found: Found[]
  normalized: Set<string>
  ignored: Set<string>
  nowS: number
  /** Each side's own origin (`http://127.0.0.1:41815`): replaced by a placeholder in header values before they are compared. */
  origins?: { baseline?: string; candidate?: string }
  /** The request's headers, for what an answer depends on (the compression it accepts). */
  requestHeaders?: Headers
  /** A probe only asks whether two values are equal: it stops at the first difference. */
  probe?: boolean
}

/** Read only: shared by every context that switches no normaliser. */
const allNormalizers = Object.fromEntries(NORMALIZERS.map((n) => [n, true])) as Record<Normalizer, boolean>

/** A fresh context for one diff with the rules of `route` (its own and those for `*`). */
export function makeContext(rules: IgnoreRule[], route: string, options: DiffOptions | undefined): DiffContext {
  const compiled = rulesFor(rules, route)
  const switched = options?.normalizers
  const norm = switched ? (Object.fromEntries(NORMALIZERS.map((n) => [n, switched[n] ?? true])) as Record<Normalizer, boolean>) : allNormalizers
  return {
    norm,
    detectors: options?.detectors ?? true,
    bodyRules: compiled.body,
    headerRules: compiled.header,
    where: 'body',
    found: [],
    normalized: new Set(),
    ignored: new Set(),
    nowS: Date.now() / 1000,
  }
}

/** A context that finds into its own lists, to try a comparison before keeping its result. */
export function childContext(ctx: DiffContext): DiffContext {
  return { ...ctx, found: [], normalized: new Set(), ignored: new Set() }
}

export function mergeContext(into: DiffContext, from: DiffContext): void {
  into.found.push(...from.found)
  for (const n of from.normalized) into.normalized.add(n)
  for (const i of from.ignored) into.ignored.add(i)
}

const previewLimit = 200

/** A value as a difference shows it: long strings cut. */
export function preview(v: unknown): unknown {
  if (typeof v === 'string' && v.length > previewLimit) return `${v.slice(0, previewLimit)}…`
  return v
}

export function plainPreview(n: JsonNode | undefined): unknown {
  return n === undefined ? undefined : preview(toPlain(n))
}

/** Record a difference at a path (`segs`), learned as `pat` (`*` for indices). */
export function addDifference(ctx: DiffContext, segs: string[], pat: string[], kind: Difference['kind'], baseline: unknown, candidate: unknown): void {
  ctx.found.push({ diff: { where: ctx.where, pointer: pointerOf(segs), kind, baseline, candidate }, pattern: pointerOf(pat) })
}

/** Whether a body rule of the route covers this path. */
export function isIgnored(ctx: DiffContext, segs: string[]): boolean {
  if (ctx.where !== 'body') return false
  for (const r of ctx.bodyRules) if (segsMatch(r.segs, segs)) return true
  return false
}
