/**
 * The diff of response headers: every one but those of the connection and, as noise, those made
 * per request; each by its own rules: media types and their parameters, cache directives in any
 * order, Location by path, Set-Cookie by name and attributes, validators by presence, token lists
 * as sets, each side's own origin replaced by a placeholder. A difference a client feels (CORS,
 * compression, validators, caching, security, pagination) carries a note that says so.
 */
import type { Difference, Headers } from '../../model/exchange.js'
import { idClass } from '../../model/id-shape.js'
import type { DiffContext } from './context.js'
import { numberShape, stringShape } from './detectors.js'

/**
 * Headers compared by their own rules (before every header was compared, these were the only ones);
 * noise learning reads them as they are compared.
 */
export const MEANINGFUL_HEADERS: readonly string[] = ['content-type', 'location', 'cache-control', 'set-cookie', 'www-authenticate']
export const meaningfulSet: ReadonlySet<string> = new Set(MEANINGFUL_HEADERS)

/**
 * Headers of the connection or of the framing, never compared: hop-by-hop (RFC 9110 7.6.1) and
 * `content-length` (the body is compared itself, decoded), the WebSocket handshake's per-connection key.
 */
export const TRANSPORT_HEADERS: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'content-length',
  'sec-websocket-accept',
])

/**
 * Headers whose value is made per request or names the server's software (a rewrite changes it by
 * definition): noise by default, with the built-in detectors on.
 */
export const PER_REQUEST_HEADERS: ReadonlySet<string> = new Set([
  'date',
  'age',
  'x-request-id',
  'x-trace-id',
  'x-correlation-id',
  'x-amzn-trace-id',
  'x-amzn-requestid',
  'x-amz-request-id',
  'x-cloud-trace-context',
  'x-b3-traceid',
  'x-b3-spanid',
  'x-b3-parentspanid',
  'x-b3-sampled',
  'b3',
  'request-id',
  'traceparent',
  'tracestate',
  'x-runtime',
  'x-response-time',
  'server-timing',
  'server',
  'x-powered-by',
  'via',
])

/** Whether a header is left out of the comparison by default (its differences are not the candidate's). */
export function isDefaultNoiseHeader(name: string): boolean {
  return TRANSPORT_HEADERS.has(name) || PER_REQUEST_HEADERS.has(name)
}

/** Validators and expiry times: their values are each server's own; only their presence is compared. */
const PRESENCE_ONLY = new Set(['etag', 'last-modified', 'expires'])

/** Lists of tokens whose order and case carry no meaning. */
const TOKEN_SETS = new Set([
  'vary',
  'allow',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-expose-headers',
  'content-language',
])

/** Security headers a browser acts on. */
const SECURITY_HEADERS = new Set([
  'x-content-type-options',
  'strict-transport-security',
  'x-frame-options',
  'content-security-policy',
  'referrer-policy',
  'permissions-policy',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'cross-origin-embedder-policy',
])

/** A header's values; `folded` when some were found only by ignoring the name's case. */
interface HeaderValues {
  values: string[]
  folded: boolean
}

/**
 * Every header by name (lower case), its values in order; a name spelt with other case joins the
 * lower-case one only when the header-case normaliser is on.
 */
function headerValues(headers: Headers, ctx: DiffContext): Map<string, HeaderValues> {
  const out = new Map<string, HeaderValues>()
  for (const [n, v] of headers) {
    // An empty value says what an absent header says.
    if (v === '') continue
    let name = n
    let folded = false
    if (ctx.norm['header-case']) {
      name = n.toLowerCase()
      folded = name !== n
    }
    const hv = out.get(name)
    if (hv) {
      hv.values.push(v)
      hv.folded ||= folded
    } else out.set(name, { values: [v], folded })
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
  const diff: Difference = { where: 'header', pointer, kind, baseline, candidate }
  const said = noteOf(ctx, name, kind, baseline, candidate)
  if (said) diff.note = said
  ctx.found.push({ diff, pattern: pointer })
}

/** What a header difference means to a client, in words, for the headers where that is known. */
function noteOf(ctx: DiffContext, name: string, kind: Difference['kind'], baseline: unknown, candidate: unknown): string | undefined {
  const lost = kind === 'missing'
  if (name.startsWith('access-control-')) {
    if (lost) return `CORS: the candidate does not send ${name}; a browser refuses the cross-origin request the baseline allows`
    return kind === 'extra' ? `CORS: only the candidate sends ${name}` : `CORS: ${name} differs; browsers allow other origins, methods or headers`
  }
  if (name === 'content-encoding') {
    const accepted = ctx.requestHeaders?.find(([n]) => n.toLowerCase() === 'accept-encoding')?.[1]
    const b = typeof baseline === 'string' ? baseline.trim().toLowerCase() : ''
    const accepts = accepted?.split(',').map((t) => t.split(';')[0]!.trim().toLowerCase())
    if (lost && b && accepts?.includes(b)) return `compression lost: the request accepts ${accepted}, the baseline answers ${b}, the candidate uncompressed`
    if (lost) return 'compression lost: the candidate answers uncompressed'
    return kind === 'extra' ? `the candidate compresses (${String(candidate)}), the baseline does not` : undefined
  }
  if (name === 'etag' || name === 'last-modified') {
    if (lost) return `validator lost: without ${name} clients cannot revalidate (a conditional request gets the whole body, never 304)`
    return kind === 'extra' ? `only the candidate sends the validator ${name}` : undefined
  }
  if (name === 'cache-control' || name === 'expires' || name === 'vary')
    return `caching: ${name} ${lost ? 'dropped by the candidate' : kind === 'extra' ? 'added by the candidate' : 'differs'}`
  if (SECURITY_HEADERS.has(name)) return `security header ${lost ? 'dropped by the candidate' : kind === 'extra' ? 'added by the candidate' : 'differs'}`
  if (name === 'x-total-count' || name === 'link' || name === 'x-next-page' || name === 'x-page' || name === 'x-per-page')
    return `pagination header ${lost ? 'dropped by the candidate: clients that read the total or follow the next page lose it' : kind === 'extra' ? 'added by the candidate' : 'differs'}`
  return undefined
}

/**
 * A value with each target's own origin (`http://127.0.0.1:41815`, or its `host:port`) replaced by
 * a placeholder: a `Link` or `Location` that differs only by the port each side listens on is equal.
 */
function withoutOrigin(v: string, origin: string | undefined): string {
  if (!origin || !v.includes(origin.replace(/^https?:\/\//, ''))) return v
  const host = origin.replace(/^https?:\/\//, '')
  return v.split(origin).join('{origin}').split(`//${host}`).join('//{origin}').split(host).join('{origin}')
}

function tokenSet(v: string): string {
  return [
    ...new Set(
      v
        .split(',')
        .map((t) => t.trim().toLowerCase())
        .filter(Boolean),
    ),
  ]
    .sort()
    .join(', ')
}

/** Two values of one per-request shape (UUIDs, timestamps, tokens, epoch times as in `X-RateLimit-Reset`): noise to the detectors. */
function sameShape(b: string, c: string, nowS: number): boolean {
  const shape = stringShape(b) ?? numberShape(b, nowS)
  return shape !== undefined && shape === (stringShape(c) ?? numberShape(c, nowS))
}

const noValues: HeaderValues = { values: [], folded: false }

/**
 * Compare every response header into the context: by its own rules where it has them, by value
 * otherwise. Transport headers are never compared; per-request ones (Date, request and trace ids,
 * timings, the server's name) only when named in `extra` or with the detectors off.
 */
export function compareHeaders(ctx: DiffContext, base: Headers, cand: Headers, extra: string[]): void {
  const allB = headerValues(base, ctx)
  const allC = headerValues(cand, ctx)
  const asked = extra.length ? new Set(extra.map((h) => h.toLowerCase())) : undefined
  const names = new Set([...allB.keys(), ...allC.keys()])
  for (const name of names) {
    const lower = name.toLowerCase()
    if (!asked?.has(lower) && (TRANSPORT_HEADERS.has(lower) || (ctx.detectors && PER_REQUEST_HEADERS.has(lower)))) continue
    const hb = allB.get(name) ?? noValues
    const hc = allC.get(name) ?? noValues
    const bv = hb.values
    const cv = hc.values
    // Case matters to the outcome only when the two sides spell the name differently.
    if (hb.folded !== hc.folded) ctx.normalized.add('header-case')
    if (ctx.headerRules.some((r) => r.segs[0] === lower)) {
      if (bv.join('\n') !== cv.join('\n')) ctx.ignored.add(`header:${lower}`)
      continue
    }
    if (lower === 'set-cookie') {
      compareCookies(ctx, bv, cv)
      continue
    }
    // The pointer is the name as sent: with the header-case normaliser off, `Cache-Control` is another header.
    if (bv.length === 0) {
      reportHeader(ctx, lower, 'extra', undefined, cv.join(', '), name)
      continue
    }
    if (cv.length === 0) {
      reportHeader(ctx, lower, 'missing', bv.join(', '), undefined, name)
      continue
    }
    if (PRESENCE_ONLY.has(lower)) continue
    const b = bv.join(', ')
    const c = cv.join(', ')
    if (b === c) continue
    if (lower === 'content-type') {
      if (normContentType(b) !== normContentType(c)) reportHeader(ctx, lower, 'value', b, c)
    } else if (lower === 'cache-control') {
      if (normCacheControl(b) !== normCacheControl(c)) reportHeader(ctx, lower, 'value', b, c)
    } else if (lower === 'www-authenticate') {
      if (normAuthenticate(b) !== normAuthenticate(c)) reportHeader(ctx, lower, 'value', b, c)
    } else if (lower === 'location') {
      compareLocation(ctx, b, c)
    } else if (TOKEN_SETS.has(lower)) {
      if (tokenSet(b) !== tokenSet(c)) reportHeader(ctx, lower, 'value', b, c)
    } else if (withoutOrigin(b, ctx.origins?.baseline) === withoutOrigin(c, ctx.origins?.candidate)) {
      ctx.normalized.add('own-origin')
    } else if (ctx.detectors && sameShape(b, c, ctx.nowS)) {
      ctx.ignored.add(`header:${lower}`)
    } else {
      reportHeader(ctx, lower, 'value', b, c)
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
