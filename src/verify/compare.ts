/**
 * The comparing side of behavioural parity, pure functions without I/O: noise learned from two
 * baseline answers (Diffy's model) and built-in detectors, the diff of one replayed exchange
 * (status, meaningful headers, JSON bodies structurally, text, bytes, WebSocket messages), and the
 * per-route evidence joined to the inventory.
 */
import { redactDifference, redactExample, type RedactOptions } from './redact.js'
import { createHash } from 'node:crypto'
import { ParityError } from '../model/errors.js'
import { routeKey } from '../model/path.js'
import { bestRoute, decodeSegment, requestPath, routeTemplate } from '../model/route-match.js'
import { canonicalNumber, parseJsonTree, toPlain, typeOf, type JsonNode } from './json-tree.js'
import type {
  Body, Difference, Exchange, ExchangeVerdict, Headers, IgnoreRule, ReplayedExchange, RouteEvidence, TargetResponse, WsMessage,
} from '../model/exchange.js'

/** Cross-language quirks that compare equal when their normaliser is on (all are, by default). */
export type Normalizer = 'key-order' | 'number-format' | 'timestamp' | 'null-vs-absent' | 'header-case'
export const NORMALIZERS: readonly Normalizer[] = ['key-order', 'number-format', 'timestamp', 'null-vs-absent', 'header-case']

export interface CompareOptions {
  /** Switch normalisers off (or on) by name; all are on by default. */
  normalizers?: Partial<Record<Normalizer, boolean>>
  /** The exchange's route key, to select route-specific rules; inferred from the request path when absent. */
  route?: string
  /** Built-in noise detectors (timestamps, epochs, UUIDs, tokens, request-id headers); on by default. */
  detectors?: boolean
  /** Header names compared beside the allow-list (lower case). */
  headers?: string[]
  /** WebSocket messages may arrive out of order within this many positions (0, the default: in order). */
  wsWindow?: number
}

/** Headers whose differences are meaningful to a client. */
export const MEANINGFUL_HEADERS: readonly string[] = ['content-type', 'location', 'cache-control', 'set-cookie', 'www-authenticate']
/** Headers that carry a per-request value: tolerated when both sides send one. */
const requestIdHeaders = new Set([
  'x-request-id', 'x-trace-id', 'x-correlation-id', 'x-amzn-trace-id', 'request-id', 'traceparent', 'tracestate', 'date', 'etag', 'x-runtime', 'x-response-time',
])

const previewLimit = 200

// ---------------------------------------------------------------------------------------------
// Value shapes: the built-in detectors

const uuidRe = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const isoRe = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?(Z|[+-]\d{2}:?\d{2})?$/i
const rfcRe = /^(?:[A-Z][a-z]{2}, )?\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} (?:GMT|UTC|[+-]\d{4})$/
const hexRe = /^[0-9a-f]{16,}$/i
const tokenRe = /^[A-Za-z0-9_\-+/=.]{20,}$/

function digitCount(s: string): number {
  let n = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 48 && c <= 57) n++
  }
  return n
}

/** A random-looking token: long, no spaces, letters of both cases or hex, several digits (JWTs, API keys, base64). */
function isToken(s: string): boolean {
  return tokenRe.test(s) && digitCount(s) >= 3 && /[a-z]/.test(s) && /[A-Z]/.test(s)
}

/**
 * The shape of a string the detectors treat as noise (`uuid`, `iso:dddd-dd-ddTdd:dd:ddZ`, `rfc`,
 * `hex:32`, `token`), or undefined for an ordinary value. Two values of one shape differ only by noise.
 */
export function stringShape(s: string): string | undefined {
  if (uuidRe.test(s)) return 'uuid'
  if (isoRe.test(s)) return `iso:${s.replace(/\d/g, 'd')}`
  if (rfcRe.test(s)) return 'rfc'
  if (hexRe.test(s) && digitCount(s) > 0) return `hex:${s.length}`
  if (isToken(s)) return 'token'
  return undefined
}

const year = 365.25 * 24 * 3600
/** `epoch-s` or `epoch-ms` for an integer within twenty years before and five after now. */
function numberShape(raw: string, nowS: number): string | undefined {
  if (!/^\d+$/.test(raw)) return undefined
  const n = Number(raw)
  if (n >= nowS - 20 * year && n <= nowS + 5 * year) return 'epoch-s'
  if (n >= (nowS - 20 * year) * 1000 && n <= (nowS + 5 * year) * 1000) return 'epoch-ms'
  return undefined
}

/** A timestamp as epoch seconds and its fraction digits as written; undefined when not one. */
function parseInstant(s: string): { sec: number; frac: string } | undefined {
  const m = isoRe.exec(s)
  if (m) {
    const [, y, mo, d, h, mi, se, frac, zone] = m
    let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se))
    if (zone && zone.toUpperCase() !== 'Z') {
      const z = zone.replace(':', '')
      const off = (Number(z.slice(1, 3)) * 60 + Number(z.slice(3, 5))) * 60_000
      ms -= z.startsWith('-') ? -off : off
    }
    return Number.isNaN(ms) ? undefined : { sec: ms / 1000, frac: frac ?? '' }
  }
  if (rfcRe.test(s)) {
    const ms = Date.parse(s)
    return Number.isNaN(ms) ? undefined : { sec: ms / 1000, frac: '' }
  }
  return undefined
}

/** Same instant whatever the format or zone, compared at the coarser of the two precisions. */
function sameInstant(a: string, b: string): boolean {
  const x = parseInstant(a)
  const y = parseInstant(b)
  if (!x || !y || x.sec !== y.sec) return false
  const p = Math.min(x.frac.length, y.frac.length)
  return x.frac.slice(0, p) === y.frac.slice(0, p)
}

/** A path segment that is an id: numeric, UUID, hex id or token. */
function idClass(seg: string): string | undefined {
  if (/^\d+$/.test(seg)) return 'int'
  // Every other class is at least 8 characters long.
  if (seg.length < 8) return undefined
  if (uuidRe.test(seg)) return 'uuid'
  if (/^[0-9a-f]{8,}$/i.test(seg) && digitCount(seg) > 0) return 'hex'
  if (/^[A-Za-z0-9_-]{16,}$/.test(seg) && digitCount(seg) >= 2 && /[A-Za-z]/.test(seg)) return 'token'
  if (isToken(seg)) return 'token'
  return undefined
}

// ---------------------------------------------------------------------------------------------
// JSON Pointer helpers

function escapeSeg(s: string): string {
  if (!s.includes('~') && !s.includes('/')) return s
  return s.replace(/~/g, '~0').replace(/\//g, '~1')
}
function pointerOf(segs: readonly string[]): string {
  let out = ''
  for (const s of segs) out += `/${escapeSeg(s)}`
  return out
}
function splitPointer(pointer: string): string[] {
  if (pointer === '') return []
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
}

interface CompiledRule {
  rule: IgnoreRule
  segs: string[]
}

function compileRules(rules: IgnoreRule[]): CompiledRule[] {
  return rules.map((rule) => {
    if (rule.where === 'body' && rule.pointer !== '' && !rule.pointer.startsWith('/')) {
      throw new ParityError('BAD_IGNORE_RULE', `ignore rule pointer "${rule.pointer}" (route ${rule.route}) is not a JSON Pointer`,
        'write body pointers as JSON Pointers starting with "/", e.g. /items/*/createdAt')
    }
    return { rule, segs: rule.where === 'body' ? splitPointer(rule.pointer) : [rule.pointer.toLowerCase()] }
  })
}

function segsMatch(rule: readonly string[], segs: readonly string[]): boolean {
  if (rule.length !== segs.length) return false
  for (let i = 0; i < rule.length; i++) if (rule[i] !== '*' && rule[i] !== segs[i]) return false
  return true
}

// ---------------------------------------------------------------------------------------------
// The structural walker

interface Found {
  diff: Difference
  /** The pointer with `*` for array indices: what a learned rule is written as. */
  pattern: string
}

interface Ctx {
  norm: Record<Normalizer, boolean>
  detectors: boolean
  bodyRules: CompiledRule[]
  headerRules: CompiledRule[]
  where: Difference['where']
  found: Found[]
  normalized: Set<string>
  ignored: Set<string>
  nowS: number
  /** A probe only asks whether two values are equal: it stops at the first difference. */
  probe?: boolean
}

function child(ctx: Ctx): Ctx {
  return { ...ctx, found: [], normalized: new Set(), ignored: new Set() }
}
function merge(into: Ctx, from: Ctx): void {
  into.found.push(...from.found)
  for (const n of from.normalized) into.normalized.add(n)
  for (const i of from.ignored) into.ignored.add(i)
}

function preview(v: unknown): unknown {
  if (typeof v === 'string' && v.length > previewLimit) return `${v.slice(0, previewLimit)}…`
  return v
}

function plain(n: JsonNode | undefined): unknown {
  return n === undefined ? undefined : preview(toPlain(n))
}

function report(ctx: Ctx, segs: string[], pat: string[], kind: Difference['kind'], baseline: unknown, candidate: unknown): void {
  ctx.found.push({ diff: { where: ctx.where, pointer: pointerOf(segs), kind, baseline, candidate }, pattern: pointerOf(pat) })
}

function isIgnored(ctx: Ctx, segs: string[]): boolean {
  if (ctx.where !== 'body') return false
  for (const r of ctx.bodyRules) if (segsMatch(r.segs, segs)) return true
  return false
}

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
  return `{${[...n.keys].sort().map((k) => `${JSON.stringify(k)}:${canonicalText(n.values.get(k)!)}`).join(',')}}`
}

function walk(ctx: Ctx, a: JsonNode, b: JsonNode, segs: string[], pat: string[]): void {
  if (isIgnored(ctx, segs)) {
    if (!nodeEqual(a, b)) ctx.ignored.add(pointerOf(segs))
    return
  }
  const ta = typeOf(a)
  const tb = typeOf(b)
  if (ta !== tb) {
    report(ctx, segs, pat, 'type', plain(a), plain(b))
    return
  }
  if (ta === 'object') walkObject(ctx, a as Extract<JsonNode, { kind: 'obj' }>, b as Extract<JsonNode, { kind: 'obj' }>, segs, pat)
  else if (ta === 'array') walkArray(ctx, a as JsonNode[], b as JsonNode[], segs, pat)
  else if (ta === 'number') compareNumber(ctx, (a as { raw: string }).raw, (b as { raw: string }).raw, segs, pat)
  else if (ta === 'string') compareString(ctx, a as string, b as string, segs, pat)
  else if (a !== b) report(ctx, segs, pat, 'value', a, b)
}

// The walker keeps one mutable path (`segs`, and `pat` with `*` for indices), pushed and popped.

function walkObject(ctx: Ctx, a: Extract<JsonNode, { kind: 'obj' }>, b: Extract<JsonNode, { kind: 'obj' }>, segs: string[], pat: string[]): void {
  let orderDiffers = false
  if (a.keys.length === b.keys.length) {
    for (let i = 0; i < a.keys.length && !orderDiffers; i++) if (a.keys[i] !== b.keys[i]) orderDiffers = true
  } else orderDiffers = true
  if (orderDiffers) {
    const commonA = a.keys.filter((k) => b.values.has(k))
    const commonB = b.keys.filter((k) => a.values.has(k))
    if (commonA.some((k, i) => k !== commonB[i])) {
      if (ctx.norm['key-order']) ctx.normalized.add('key-order')
      else report(ctx, segs, pat, 'order', commonA, commonB)
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
      else report(ctx, segs, pat, 'missing', plain(va), undefined)
    } else walk(ctx, va, vb, segs, pat)
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
    else report(ctx, segs, pat, 'extra', undefined, plain(vb))
    segs.pop()
    pat.pop()
  }
}

const permutationLimit = 200

function walkArray(ctx: Ctx, a: JsonNode[], b: JsonNode[], segs: string[], pat: string[]): void {
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
    walk(ctx, a[i]!, b[i]!, segs, pat)
    segs.pop()
    if (ctx.found.length > before) moved.push(i)
  }
  pat.pop()
  if (a.length === b.length) {
    if (moved.length > 1 && !ctx.probe && sameContentReordered(ctx, a, b, segs, moved)) {
      ctx.found.length = mark
      // Pointers ignored while comparing misaligned elements are dropped with their differences.
      if (ctx.ignored.size > ignoredBefore) ctx.ignored = new Set([...ctx.ignored].slice(0, ignoredBefore))
      report(ctx, segs, pat, 'order', plain(a), plain(b))
    }
    return
  }
  pat.push('*')
  for (let i = common; i < a.length; i++) {
    segs.push(String(i))
    if (isIgnored(ctx, segs)) ctx.ignored.add(pointerOf(segs))
    else report(ctx, segs, pat, 'missing', plain(a[i]), undefined)
    segs.pop()
  }
  for (let i = common; i < b.length; i++) {
    segs.push(String(i))
    if (isIgnored(ctx, segs)) ctx.ignored.add(pointerOf(segs))
    else report(ctx, segs, pat, 'extra', undefined, plain(b[i]))
    segs.pop()
  }
  pat.pop()
}

/**
 * Whether the elements that differ in place are the same elements in another order (each matched
 * under the same rules, detectors and normalisers); a probe stops at its first difference.
 */
function sameContentReordered(ctx: Ctx, a: JsonNode[], b: JsonNode[], segs: string[], moved: number[]): boolean {
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
      const probe = child(ctx)
      probe.probe = true
      segs.push(String(i))
      walk(probe, a[i]!, b[j]!, segs, ['*'])
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

function compareNumber(ctx: Ctx, a: string, b: string, segs: string[], pat: string[]): void {
  if (a === b) return
  if (canonicalNumber(a) === canonicalNumber(b)) {
    if (ctx.norm['number-format']) ctx.normalized.add('number-format')
    else report(ctx, segs, pat, 'value', a, b)
    return
  }
  if (ctx.detectors) {
    const shape = numberShape(a, ctx.nowS)
    if (shape !== undefined && shape === numberShape(b, ctx.nowS)) {
      ctx.ignored.add(pointerOf(segs))
      return
    }
  }
  report(ctx, segs, pat, 'value', toPlain({ kind: 'num', raw: a }), toPlain({ kind: 'num', raw: b }))
}

function compareString(ctx: Ctx, a: string, b: string, segs: string[], pat: string[]): void {
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
  report(ctx, segs, pat, 'value', preview(a), preview(b))
}

// ---------------------------------------------------------------------------------------------
// Headers

/** A header's values; `folded` when some were found only by ignoring the name's case. */
interface HeaderValues {
  values: string[]
  folded: boolean
}

/**
 * The values of the headers named in `names` (lower case), in one pass over the list, at the
 * position of their name; a name spelt with other case counts only when the header-case
 * normaliser is on.
 */
function headerValues(headers: Headers, names: readonly string[], ctx: Ctx): Array<HeaderValues | undefined> | undefined {
  let out: Array<HeaderValues | undefined> | undefined
  for (const [n, v] of headers) {
    let at = names.indexOf(n)
    let folded = false
    if (at < 0) {
      if (!ctx.norm['header-case']) continue
      const lower = n.toLowerCase()
      if (lower === n || (at = names.indexOf(lower)) < 0) continue
      folded = true
    }
    out ??= new Array<HeaderValues | undefined>(names.length)
    const hv = out[at]
    if (hv) {
      hv.values.push(v)
      hv.folded ||= folded
    } else out[at] = { values: [v], folded }
  }
  return out
}

function normContentType(v: string): string {
  const [type = '', ...params] = v.split(';').map((p) => p.trim())
  const media = type.toLowerCase()
  const kept: string[] = []
  for (const p of params) {
    const eq = p.indexOf('=')
    if (eq < 0) continue
    const k = p.slice(0, eq).trim().toLowerCase()
    let val = p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1')
    if (k === 'charset') {
      val = val.toLowerCase().replace(/^utf8$/, 'utf-8')
      // JSON is UTF-8 by definition (RFC 8259): `application/json` and `...; charset=utf-8` are one type.
      if (val === 'utf-8' && isJsonMedia(media)) continue
    }
    kept.push(`${k}=${val}`)
  }
  return [media, ...kept.sort()].join(';')
}

function isJsonMedia(media: string): boolean {
  return media === 'application/json' || media.endsWith('+json') || media === 'text/json'
}

function normCacheControl(v: string): string {
  return v.split(',').map((d) => d.trim().toLowerCase().replace(/\s*=\s*/, '=')).filter(Boolean).sort().join(', ')
}

function normAuthenticate(v: string): string {
  return v.trim().replace(/\s+/g, ' ').replace(/^(\S+)/, (s) => s.toLowerCase()).replace(/([A-Za-z_-]+)\s*=/g, (_, k: string) => `${k.toLowerCase()}=`)
}

/** A Set-Cookie header as its name and attributes (values of the cookie and of Expires dropped). */
function cookieShape(v: string): { name: string; attributes: string } {
  const [pair = '', ...attrs] = v.split(';').map((p) => p.trim())
  const name = pair.split('=')[0]!.trim()
  const kept = attrs.filter(Boolean).map((a) => {
    const eq = a.indexOf('=')
    const k = (eq < 0 ? a : a.slice(0, eq)).trim().toLowerCase()
    if (eq < 0) return k
    if (k === 'expires') return k
    const val = a.slice(eq + 1).trim()
    return `${k}=${k === 'samesite' ? val.toLowerCase() : val}`
  })
  return { name, attributes: kept.sort().join('; ') }
}

function locationPath(v: string): string {
  try {
    return new URL(v, 'http://parity.invalid').pathname
  } catch {
    return v
  }
}

function reportHeader(ctx: Ctx, name: string, kind: Difference['kind'], baseline: unknown, candidate: unknown, pointer = name): void {
  ctx.found.push({ diff: { where: 'header', pointer, kind, baseline, candidate }, pattern: pointer })
}

const meaningfulSet: ReadonlySet<string> = new Set(MEANINGFUL_HEADERS)
const noValues: HeaderValues = { values: [], folded: false }

function compareHeaders(ctx: Ctx, base: Headers, cand: Headers, extra: string[]): void {
  const names = extra.length === 0 ? MEANINGFUL_HEADERS : [...new Set([...MEANINGFUL_HEADERS, ...extra.map((h) => h.toLowerCase())])]
  const allB = headerValues(base, names, ctx)
  const allC = headerValues(cand, names, ctx)
  if (!allB && !allC) return
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!
    const hb = allB?.[i] ?? noValues
    const hc = allC?.[i] ?? noValues
    const bv = hb.values
    const cv = hc.values
    if (bv.length === 0 && cv.length === 0) continue
    // Case matters to the outcome only when the two sides spell the name differently.
    if (hb.folded !== hc.folded) ctx.normalized.add('header-case')
    if (ctx.headerRules.some((r) => r.segs[0] === name)) {
      if (bv.join('\n') !== cv.join('\n')) ctx.ignored.add(`header:${name}`)
      continue
    }
    if (name === 'set-cookie') {
      compareCookies(ctx, bv, cv)
      continue
    }
    if (bv.length === 0) {
      reportHeader(ctx, name, 'extra', undefined, cv.join(', '))
      continue
    }
    if (cv.length === 0) {
      reportHeader(ctx, name, 'missing', bv.join(', '), undefined)
      continue
    }
    const b = bv.join(', ')
    const c = cv.join(', ')
    if (b === c) continue
    if (name === 'content-type') {
      if (normContentType(b) !== normContentType(c)) reportHeader(ctx, name, 'value', b, c)
    } else if (name === 'cache-control') {
      if (normCacheControl(b) !== normCacheControl(c)) reportHeader(ctx, name, 'value', b, c)
    } else if (name === 'www-authenticate') {
      if (normAuthenticate(b) !== normAuthenticate(c)) reportHeader(ctx, name, 'value', b, c)
    } else if (name === 'location') {
      compareLocation(ctx, b, c)
    } else if (ctx.detectors && requestIdHeaders.has(name)) {
      ctx.ignored.add(`header:${name}`)
    } else if (ctx.detectors && stringShape(b) !== undefined && stringShape(b) === stringShape(c)) {
      ctx.ignored.add(`header:${name}`)
    } else {
      reportHeader(ctx, name, 'value', b, c)
    }
  }
}

/** Location: the path only; segments that are ids of one class on both sides are correlated ids. */
function compareLocation(ctx: Ctx, b: string, c: string): void {
  const pb = locationPath(b).split('/')
  const pc = locationPath(c).split('/')
  let tolerated = false
  const same = pb.length === pc.length && pb.every((s, i) => {
    const t = pc[i]!
    if (s === t) return true
    const k = idClass(s)
    if (k !== undefined && k === idClass(t)) {
      tolerated = true
      return true
    }
    return false
  })
  if (!same) reportHeader(ctx, 'location', 'value', b, c)
  else if (tolerated) ctx.ignored.add('header:location')
}

function compareCookies(ctx: Ctx, bv: string[], cv: string[]): void {
  const b = new Map(bv.map((v) => { const s = cookieShape(v); return [s.name, s.attributes] as const }))
  const c = new Map(cv.map((v) => { const s = cookieShape(v); return [s.name, s.attributes] as const }))
  for (const [name, attrs] of b) {
    const pointer = `set-cookie/${name}`
    if (!c.has(name)) reportHeader(ctx, 'set-cookie', 'missing', attrs, undefined, pointer)
    else if (c.get(name) !== attrs) reportHeader(ctx, 'set-cookie', 'value', attrs, c.get(name), pointer)
  }
  for (const [name, attrs] of c) if (!b.has(name)) reportHeader(ctx, 'set-cookie', 'extra', undefined, attrs, `set-cookie/${name}`)
}

// ---------------------------------------------------------------------------------------------
// Bodies

function headerOf(headers: Headers, name: string): string | undefined {
  for (const [n, v] of headers) if (n.toLowerCase() === name) return v
  return undefined
}

/** Content types seen, whether each is JSON: a replay sees a handful, thousands of times. */
const jsonMediaOf = new Map<string, boolean>()

function labelledJson(r: TargetResponse): boolean {
  const ct = headerOf(r.headers, 'content-type')
  if (ct === undefined) return false
  let json = jsonMediaOf.get(ct)
  if (json === undefined) {
    json = isJsonMedia(normContentType(ct).split(';')[0]!)
    if (jsonMediaOf.size >= 256) jsonMediaOf.clear()
    jsonMediaOf.set(ct, json)
  }
  return json
}

function isEmpty(body: Body | undefined): boolean {
  return body === undefined || (body.size === 0 && !body.text && !body.base64)
}

function textOf(body: Body): string | undefined {
  if (body.text !== undefined) return body.text
  if (body.base64 !== undefined) {
    const buf = Buffer.from(body.base64, 'base64')
    const text = buf.toString('utf8')
    return Buffer.byteLength(text) === buf.length && !text.includes('\uFFFD') ? text : undefined
  }
  return undefined
}

function digest(body: Body): string {
  if (body.sha256) return body.sha256
  const bytes = body.text !== undefined ? Buffer.from(body.text, 'utf8') : Buffer.from(body.base64 ?? '', 'base64')
  return createHash('sha256').update(bytes).digest('hex')
}

function bodyPreview(body: Body): unknown {
  const t = body.text
  if (t !== undefined) return preview(t)
  return { size: body.size, sha256: digest(body) }
}

function compareBodies(ctx: Ctx, base: TargetResponse, cand: TargetResponse): void {
  const b = base.body
  const c = cand.body
  if (isIgnored(ctx, [])) {
    if (!isEmpty(b) || !isEmpty(c)) {
      if (isEmpty(b) !== isEmpty(c) || (b && c && digest(b) !== digest(c))) ctx.ignored.add('')
    }
    return
  }
  if (isEmpty(b) && isEmpty(c)) return
  if (isEmpty(b)) return report(ctx, [], [], 'extra', undefined, bodyPreview(c!))
  if (isEmpty(c)) return report(ctx, [], [], 'missing', bodyPreview(b!), undefined)
  const bb = b!
  const cb = c!
  // Byte-equal texts parse to one tree (or fail alike): nothing can differ, be normalised or ignored.
  if (bb.text !== undefined && bb.text === cb.text) return
  if (labelledJson(base) || labelledJson(cand)) {
    const tb = textOf(bb)
    const tc = textOf(cb)
    const nb = tb === undefined ? undefined : parseJsonTree(tb)
    const nc = tc === undefined ? undefined : parseJsonTree(tc)
    if (nb !== undefined && nc !== undefined) return walk(ctx, nb, nc, [], [])
    if (tb !== undefined && tc !== undefined && (nb === undefined) !== (nc === undefined)) {
      return report(ctx, [], [], 'type', nb === undefined ? preview(tb) : plain(nb), nc === undefined ? preview(tc) : plain(nc))
    }
  }
  if (bb.text !== undefined && cb.text !== undefined) return compareString(ctx, bb.text, cb.text, [], [])
  if (bb.size !== cb.size || digest(bb) !== digest(cb)) report(ctx, [], [], 'value', bodyPreview(bb), bodyPreview(cb))
}

// ---------------------------------------------------------------------------------------------
// WebSocket messages

function compareMessage(ctx: Ctx, a: WsMessage, b: WsMessage, i: number): void {
  const segs = [String(i)]
  if (a.type !== b.type) return report(ctx, segs, ['*'], 'type', a.type, b.type)
  if (a.type === 'text') {
    const na = parseJsonTree(a.data)
    const nb = parseJsonTree(b.data)
    if (na !== undefined && nb !== undefined) return walk(ctx, na, nb, segs, ['*'])
    return compareString(ctx, a.data, b.data, segs, ['*'])
  }
  if (a.data !== b.data) report(ctx, segs, ['*'], 'value', preview(a.data), preview(b.data))
}

function compareWs(ctx: Ctx, base: WsMessage[], cand: WsMessage[], window: number): void {
  const a = base.filter((m) => m.dir === 'in')
  const b = cand.filter((m) => m.dir === 'in')
  if (window <= 0) {
    const common = Math.min(a.length, b.length)
    for (let i = 0; i < common; i++) compareMessage(ctx, a[i]!, b[i]!, i)
  } else {
    // Unordered within a window: each baseline message takes the first unused equal candidate message near it.
    const used = new Array<boolean>(b.length).fill(false)
    const unmatched: number[] = []
    for (let i = 0; i < a.length; i++) {
      let hit = -1
      for (let j = Math.max(0, i - window); j <= Math.min(b.length - 1, i + window) && hit < 0; j++) {
        if (used[j]) continue
        const probe = child(ctx)
        compareMessage(probe, a[i]!, b[j]!, i)
        if (probe.found.length === 0) {
          hit = j
          merge(ctx, probe)
        }
      }
      if (hit >= 0) used[hit] = true
      else unmatched.push(i)
    }
    const free = b.map((_, j) => j).filter((j) => !used[j])
    // Pair what is left in order, so a changed message is one value difference, not a missing and an extra.
    const pairs = Math.min(unmatched.length, free.length)
    for (let k = 0; k < pairs; k++) compareMessage(ctx, a[unmatched[k]!]!, b[free[k]!]!, unmatched[k]!)
    for (const i of unmatched.slice(pairs)) report(ctx, [String(i)], ['*'], 'missing', preview(a[i]!.data), undefined)
    for (const j of free.slice(pairs)) report(ctx, [String(j)], ['*'], 'extra', undefined, preview(b[j]!.data))
    return
  }
  for (let i = b.length; i < a.length; i++) report(ctx, [String(i)], ['*'], 'missing', preview(a[i]!.data), undefined)
  for (let i = a.length; i < b.length; i++) report(ctx, [String(i)], ['*'], 'extra', undefined, preview(b[i]!.data))
}

// ---------------------------------------------------------------------------------------------
// One exchange

/** Rules compiled once per rule list, and split by route once per route: a replay compares many exchanges with one list. */
const compiledCache = new WeakMap<IgnoreRule[], { byRoute: Map<string, { body: CompiledRule[]; header: CompiledRule[] }>; all: CompiledRule[] }>()

const noCompiledRules: { body: CompiledRule[]; header: CompiledRule[] } = { body: [], header: [] }
/** The list of the previous call: a replay compares every exchange with one list. */
let lastRules: { rules: IgnoreRule[]; cached: { byRoute: Map<string, { body: CompiledRule[]; header: CompiledRule[] }>; all: CompiledRule[] } } | undefined

function rulesFor(rules: IgnoreRule[], route: string): { body: CompiledRule[]; header: CompiledRule[] } {
  if (rules.length === 0) return noCompiledRules
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

/** Read only: shared by every context that switches no normaliser. */
const allNormalizers = Object.fromEntries(NORMALIZERS.map((n) => [n, true])) as Record<Normalizer, boolean>

function makeCtx(rules: IgnoreRule[], route: string, options: CompareOptions | undefined): Ctx {
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
  const ctx = makeCtx(rules, route, options)
  const base = x.baseline
  const cand = x.candidate
  if (base.error || cand.error) {
    if (base.error && cand.error) return { outcome: 'unproven', differences: [], normalized: [], ignored: [] }
    const diff: Difference = { where: 'error', pointer: '', kind: 'value', baseline: errorText(base), candidate: errorText(cand) }
    return { outcome: base.error ? 'error' : 'different', differences: [diff], normalized: [], ignored: [] }
  }
  if (base.status !== cand.status) ctx.found.push({ diff: { where: 'status', pointer: '', kind: 'value', baseline: base.status, candidate: cand.status }, pattern: '' })
  compareHeaders(ctx, base.headers, cand.headers, options?.headers ?? [])
  ctx.where = 'body'
  compareBodies(ctx, base, cand)
  if (base.ws || cand.ws) {
    ctx.where = 'ws'
    compareWs(ctx, base.ws ?? [], cand.ws ?? [], options?.wsWindow ?? 0)
  }
  const differences = ctx.found.map((f) => f.diff)
  const outcome = differences.length > 0 ? 'different' : base.status === cand.status && vacuousStatus(base.status) ? 'unproven' : 'equal'
  return { outcome, differences, normalized: [...ctx.normalized].sort(), ignored: [...ctx.ignored].sort() }
}

// ---------------------------------------------------------------------------------------------
// Learning noise from two baseline answers

function fmt(v: unknown): string {
  const s = v === undefined ? 'absent' : typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v)
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

/**
 * Noise, Diffy's way: for exchanges answered twice by the baseline, every field (a JSON Pointer
 * into the body, with `*` for array indices) and every header whose values differ between the two
 * answers becomes a proposed ignore rule for its route, with the number of exchanges that showed it.
 */
export function learnNoise(replayed: ReplayedExchange[], routeOf: (x: Exchange) => string): IgnoreRule[] {
  type Learned = IgnoreRule & { seen: number }
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
    // Exchanges are visited in order: one exchange counts once, however many times it shows the field.
    if (rule.seen !== idx) {
      rule.seen = idx
      rule.evidence = (rule.evidence ?? 0) + 1
    }
  }
  replayed.forEach((x, idx) => {
    const second = x.baseline2
    if (!second || second.error || x.baseline.error) return
    const route = routeOf(x.exchange)
    // Meaningful headers are learned as they are compared (cookie values, correlated ids in a
    // Location and charset spelling are not noise, they are never compared); the others raw.
    // Body differences are raw too: no detectors, no rules; normalisers on so that a reordered
    // object is not noise.
    const ctx = makeCtx([], route, { detectors: false })
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
  return found
    .map(({ seen: _seen, ...rule }) => rule)
    .sort((a, b) => a.route.localeCompare(b.route) || a.where.localeCompare(b.where) || a.pointer.localeCompare(b.pointer))
}

// ---------------------------------------------------------------------------------------------
// Rules that match nothing

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

// ---------------------------------------------------------------------------------------------
// Route templates and evidence


/**
 * Templates and route keys already inferred: learning noise and comparing ask for the same
 * exchanges' routes. Bounded: emptied when full; URLs past 2 KiB are not kept.
 */
const templateCache = new Map<string, string>()
const keyCache = new Map<string, Map<string, string>>()
const inferCacheLimit = 32_768

/** A route template inferred from one request path: id-like segments (numbers, UUIDs, hex ids, tokens) become `{id}`. */
export function inferTemplate(url: string): string {
  let template = templateCache.get(url)
  if (template === undefined) {
    const segs = requestPath(url).split('/')
    template = segs.map((s) => (s !== '' && idClass(decodeSegment(s)) !== undefined ? '{id}' : s)).join('/') || '/'
    if (templateCache.size >= inferCacheLimit) templateCache.clear()
    if (url.length <= 2048) templateCache.set(url, template)
  }
  return template
}


function methodOf(x: Exchange): string {
  return x.ws ? 'WS' : x.request.method.toUpperCase()
}

/** The route key of an exchange from its inferred template: `GET /api/bookmarks/{}`. */
export function inferRouteKey(x: Exchange): string {
  const method = methodOf(x)
  const template = inferTemplate(x.request.url)
  let byMethod = keyCache.get(template)
  if (byMethod === undefined) {
    if (keyCache.size >= inferCacheLimit) keyCache.clear()
    keyCache.set(template, (byMethod = new Map()))
  }
  let key = byMethod.get(method)
  if (key === undefined) byMethod.set(method, (key = routeKey(method, template)))
  return key
}

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
    throw new ParityError('VERDICT_COUNT', `${verdicts.length} verdicts for ${replayed.length} replayed exchanges`, 'pass one verdict per replayed exchange, in the same order')
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
    const method = methodOf(x.exchange)
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
