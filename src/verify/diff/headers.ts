/**
 * The diff of response headers: only those meaningful to a client (and any asked for), each by
 * its own rules: media types and their parameters, cache directives in any order, Location by
 * path, Set-Cookie by name and attributes, per-request ids tolerated.
 */
import type { Difference, Headers } from '../../model/exchange.js'
import { idClass } from '../../model/id-shape.js'
import type { DiffContext } from './context.js'
import { stringShape } from './detectors.js'

/** Headers whose differences are meaningful to a client. */
export const MEANINGFUL_HEADERS: readonly string[] = ['content-type', 'location', 'cache-control', 'set-cookie', 'www-authenticate']
export const meaningfulSet: ReadonlySet<string> = new Set(MEANINGFUL_HEADERS)

/** Headers that carry a per-request value: tolerated when both sides send one. */
const requestIdHeaders = new Set([
  'x-request-id',
  'x-trace-id',
  'x-correlation-id',
  'x-amzn-trace-id',
  'request-id',
  'traceparent',
  'tracestate',
  'date',
  'etag',
  'x-runtime',
  'x-response-time',
])

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
function headerValues(headers: Headers, names: readonly string[], ctx: DiffContext): Array<HeaderValues | undefined> | undefined {
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

/** A media type with its parameters sorted, charset spelt one way (and left out where JSON implies it). */
export function normContentType(v: string): string {
  const [type = '', ...params] = v.split(';').map((p) => p.trim())
  const media = type.toLowerCase()
  const kept: string[] = []
  for (const p of params) {
    const eq = p.indexOf('=')
    if (eq < 0) continue
    const k = p.slice(0, eq).trim().toLowerCase()
    let val = p
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1')
    if (k === 'charset') {
      val = val.toLowerCase().replace(/^utf8$/, 'utf-8')
      // JSON is UTF-8 by definition (RFC 8259): `application/json` and `...; charset=utf-8` are one type.
      if (val === 'utf-8' && isJsonMedia(media)) continue
    }
    kept.push(`${k}=${val}`)
  }
  return [media, ...kept.sort()].join(';')
}

export function isJsonMedia(media: string): boolean {
  return media === 'application/json' || media.endsWith('+json') || media === 'text/json'
}

function normCacheControl(v: string): string {
  return v
    .split(',')
    .map((d) =>
      d
        .trim()
        .toLowerCase()
        .replace(/\s*=\s*/, '='),
    )
    .filter(Boolean)
    .sort()
    .join(', ')
}

function normAuthenticate(v: string): string {
  return v
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/^(\S+)/, (s) => s.toLowerCase())
    .replace(/([A-Za-z_-]+)\s*=/g, (_, k: string) => `${k.toLowerCase()}=`)
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

function reportHeader(ctx: DiffContext, name: string, kind: Difference['kind'], baseline: unknown, candidate: unknown, pointer = name): void {
  ctx.found.push({ diff: { where: 'header', pointer, kind, baseline, candidate }, pattern: pointer })
}

const noValues: HeaderValues = { values: [], folded: false }

/** Compare the meaningful headers, and those of `extra` (any case), into the context. */
export function compareHeaders(ctx: DiffContext, base: Headers, cand: Headers, extra: string[]): void {
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
function compareLocation(ctx: DiffContext, b: string, c: string): void {
  const pb = locationPath(b).split('/')
  const pc = locationPath(c).split('/')
  let tolerated = false
  const same =
    pb.length === pc.length &&
    pb.every((s, i) => {
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

function compareCookies(ctx: DiffContext, bv: string[], cv: string[]): void {
  const b = new Map(
    bv.map((v) => {
      const s = cookieShape(v)
      return [s.name, s.attributes] as const
    }),
  )
  const c = new Map(
    cv.map((v) => {
      const s = cookieShape(v)
      return [s.name, s.attributes] as const
    }),
  )
  for (const [name, attrs] of b) {
    const pointer = `set-cookie/${name}`
    if (!c.has(name)) reportHeader(ctx, 'set-cookie', 'missing', attrs, undefined, pointer)
    else if (c.get(name) !== attrs) reportHeader(ctx, 'set-cookie', 'value', attrs, c.get(name), pointer)
  }
  for (const [name, attrs] of c) if (!b.has(name)) reportHeader(ctx, 'set-cookie', 'extra', undefined, attrs, `set-cookie/${name}`)
}
