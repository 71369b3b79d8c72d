/**
 * Stateful correlation for replay: a value an earlier response produced (an id, a token, a cookie, a
 * Location segment) that a later request uses is replaced by the value the same target produced.
 * One Correlator per target and per session; baseline, baseline2 and candidate never share one.
 */
import type { Body, Exchange, Headers, RecordedRequest, RecordedResponse, TargetResponse, WsMessage } from '../model/exchange.js'

/** Keys whose values are always taken as ids or secrets when they differ. */
const TOKEN_KEY = /(^|_|-)(id|uuid|token|access_token|refresh_token|id_token|session|sessionid|sid|csrf|nonce|key)$|[a-z0-9]Id$|Token$/i
/** Splits header values, paths and plain-text bodies into tokens, keeping the delimiters. */
const DELIMITERS = /([\s,;=&?/:"'()[\]{}<>]+)/
/** Values at least this long are also replaced inside longer strings (they cannot collide by chance). */
const LONG = 8
/** Bounds on the structural walk of one body. */
const MAX_NODES = 20_000
/**
 * The recorder's placeholder for a secret (src/verify/redact.ts). One placeholder stands for many
 * secrets, so it is mapped by where it sits (cookie name, field name, header), never as a value.
 */
export const PLACEHOLDER = '[redacted]'
const PLACEHOLDER_ENCODED = encodeURIComponent(PLACEHOLDER)
/** Fields whose secret a redacted `Authorization: Bearer` most likely carried, best first. */
const BEARER_FIELDS = ['accesstoken', 'token', 'idtoken', 'jwt', 'sessiontoken', 'authtoken']

export interface Correlator {
  /** recorded value -> this target's value; first mapping wins. */
  readonly values: Map<string, string>
  /** Scenario captures: name -> this target's value. */
  readonly captures: Map<string, string>
  /** Secrets the recording redacted, by place (`cookie:sid`, `field:accesstoken`, `header:x-api-key`); latest wins. */
  readonly secrets: Map<string, string>
  /** The recorded request with recorded values and `${name}` references replaced for this target. */
  apply(request: RecordedRequest): RecordedRequest
  /** Replaces values in one WebSocket text message the client sends. */
  applyText(text: string): string
  /** Learns from this target's answer to `exchange` (against the recorded answer and the captures). */
  learn(exchange: Exchange, actual: TargetResponse): void
}

export function createCorrelator(): Correlator {
  const values = new Map<string, string>()
  const captures = new Map<string, string>()
  const secrets = new Map<string, string>()
  // Long keys, longest first, for substring replacement; rebuilt lazily when values change.
  let longKeys: string[] | undefined

  function remember(recorded: string, actual: string): void {
    if (recorded === actual || recorded === '' || recorded === PLACEHOLDER || values.has(recorded)) return
    values.set(recorded, actual)
    longKeys = undefined
  }

  function replaceString(s: string): string {
    if (values.size === 0 && captures.size === 0) return s
    let out = s
    if (captures.size > 0 && out.includes('${')) {
      out = out.replace(/\$\{([A-Za-z_][\w.-]*)\}/g, (m, name: string) => captures.get(name) ?? m)
    }
    if (values.size === 0) return out
    const whole = values.get(out)
    if (whole !== undefined) return whole
    longKeys ??= [...values.keys()].filter((k) => k.length >= LONG).sort((a, b) => b.length - a.length)
    for (const k of longKeys) if (out.includes(k)) out = out.split(k).join(values.get(k))
    const parts = out.split(DELIMITERS)
    let changed = false
    for (let i = 0; i < parts.length; i += 2) {
      const part = parts[i]
      if (!part) continue
      const hit = values.get(part) ?? decodedHit(part)
      if (hit !== undefined) {
        parts[i] = hit
        changed = true
      }
    }
    return changed ? parts.join('') : out
  }

  // A percent-encoded token (a query value) maps through its decoded form.
  function decodedHit(part: string): string | undefined {
    if (!part.includes('%') && !part.includes('+')) return undefined
    let decoded: string
    try {
      decoded = decodeURIComponent(part.replace(/\+/g, ' '))
    } catch {
      return undefined
    }
    const hit = values.get(decoded)
    return hit === undefined ? undefined : encodeURIComponent(hit)
  }

  function replaceJson(v: unknown, budget: { n: number }): unknown {
    if (--budget.n < 0) return v
    if (typeof v === 'string') return replaceString(v)
    if (typeof v === 'number') {
      const hit = values.get(String(v))
      if (hit === undefined) return v
      const n = Number(hit)
      return Number.isFinite(n) && String(n) === hit ? n : hit
    }
    if (Array.isArray(v)) return v.map((x) => replaceJson(x, budget))
    if (v && typeof v === 'object') {
      const o: Record<string, unknown> = {}
      for (const [k, x] of Object.entries(v)) o[k] = replaceJson(x, budget)
      return o
    }
    return v
  }

  function replaceBody(body: Body | undefined, headers: Headers): Body | undefined {
    if (!body || body.text === undefined || (values.size === 0 && captures.size === 0)) return body
    const json = parseJson(body.text, headers)
    let text: string
    if (json.ok) {
      const next = replaceJson(json.value, { n: MAX_NODES })
      const serialized = JSON.stringify(next)
      // Keep the recorded bytes when nothing changed (whitespace and number formats as sent).
      text = serialized === JSON.stringify(json.value) ? body.text : serialized
    } else {
      text = replaceString(body.text)
    }
    if (text === body.text) return body
    return { text, size: Buffer.byteLength(text) }
  }

  function learnPair(recorded: unknown, actual: unknown, key: string, budget: { n: number }): void {
    if (--budget.n < 0 || recorded === actual) return
    if (Array.isArray(recorded) && Array.isArray(actual)) {
      const n = Math.min(recorded.length, actual.length)
      for (let i = 0; i < n; i++) learnPair(recorded[i], actual[i], key, budget)
      return
    }
    if (isObject(recorded) && isObject(actual)) {
      for (const [k, r] of Object.entries(recorded)) if (k in actual) learnPair(r, actual[k], k, budget)
      return
    }
    if ((typeof recorded === 'string' || typeof recorded === 'number') && (typeof actual === 'string' || typeof actual === 'number')) {
      if (recorded === PLACEHOLDER) secrets.set(`field:${squash(key)}`, String(actual))
      else if (looksLikeId(recorded, key)) remember(String(recorded), String(actual))
    }
  }

  /** A placeholder in a request, filled from the secret this target produced for the same place. */
  function fillSecrets(request: RecordedRequest): RecordedRequest {
    const field = (name: string): string | undefined => secrets.get(`field:${squash(name)}`)
    const headers = request.headers.map(([n, v]): [string, string] => {
      if (!v.includes(PLACEHOLDER)) return [n, v]
      const name = n.toLowerCase()
      if (name === 'cookie')
        return [
          n,
          v
            .split(';')
            .map((part) => fillPair(part, (k) => secrets.get(`cookie:${k.trim()}`)))
            .join(';'),
        ]
      if (name === 'authorization' || name === 'proxy-authorization') {
        const token = BEARER_FIELDS.map((f) => secrets.get(`field:${f}`)).find((x) => x !== undefined)
        return [n, token === undefined ? v : v.replace(PLACEHOLDER, token)]
      }
      return [n, v === PLACEHOLDER ? (secrets.get(`header:${name}`) ?? field(name) ?? v) : v]
    })
    let url = request.url
    const q = url.indexOf('?')
    if (q >= 0 && (url.includes(PLACEHOLDER) || url.includes(PLACEHOLDER_ENCODED))) {
      const query = url
        .slice(q + 1)
        .split('&')
        .map((pair) => fillPair(pair, (k) => mapDefined(field(k), encodeURIComponent)))
      url = `${url.slice(0, q)}?${query.join('&')}`
    }
    let body = request.body
    if (body?.text?.includes(PLACEHOLDER)) {
      const json = parseJson(body.text, request.headers)
      const text = json.ok
        ? JSON.stringify(fillJson(json.value, '', field))
        : body.text
            .split('&')
            .map((p) => fillPair(p, (k) => mapDefined(field(k), encodeURIComponent)))
            .join('&')
      if (text !== body.text) body = { text, size: Buffer.byteLength(text) }
    }
    return { ...request, url, headers, body }
  }

  return {
    values,
    captures,
    secrets,
    apply(request) {
      const filled = secrets.size > 0 ? fillSecrets(request) : request
      if (values.size === 0 && captures.size === 0) return filled
      return {
        method: filled.method,
        url: replaceUrl(filled.url, replaceString),
        headers: filled.headers.map(([n, v]) => [n, replaceString(v)]),
        body: replaceBody(filled.body, filled.headers),
      }
    },
    applyText: replaceString,
    learn(exchange, actual) {
      if (actual.error) return
      const recorded = exchange.response
      if (recorded) learnResponse(recorded, actual)
      if (exchange.ws && actual.ws) learnWs(exchange.ws, actual.ws)
      for (const [name, where] of Object.entries(exchange.capture ?? {})) {
        const v = captureValue(where, actual)
        if (v === undefined) continue
        captures.set(name, v)
        // A captured value the recording also holds maps like any other.
        const r = recorded ? captureValue(where, recorded) : undefined
        if (r !== undefined) remember(r, v)
      }
    },
  }

  function learnResponse(recorded: RecordedResponse, actual: TargetResponse): void {
    const r = parseJson(recorded.body?.text, recorded.headers)
    const a = parseJson(actual.body?.text, actual.headers)
    if (r.ok && a.ok) learnPair(r.value, a.value, '', { n: MAX_NODES })
    const rl = header(recorded.headers, 'location')
    const al = header(actual.headers, 'location')
    if (rl !== undefined && al !== undefined) {
      const rs = pathSegments(rl)
      const as = pathSegments(al)
      if (rs.length === as.length) rs.forEach((s, i) => looksLikeId(s, 'id') && remember(s, as[i] as string))
    }
    const rc = cookies(recorded.headers)
    const ac = cookies(actual.headers)
    for (const [name, v] of rc) {
      const mine = ac.get(name)
      if (mine === undefined) continue
      if (v === PLACEHOLDER) secrets.set(`cookie:${name}`, mine)
      else remember(v, mine)
    }
    for (const [n, v] of recorded.headers) {
      if (v !== PLACEHOLDER || n === 'set-cookie') continue
      const mine = header(actual.headers, n.toLowerCase())
      if (mine !== undefined) secrets.set(`header:${n.toLowerCase()}`, mine)
    }
  }

  // Server messages of a WebSocket exchange pair up by position, like array items.
  function learnWs(recorded: WsMessage[], actual: WsMessage[]): void {
    const r = recorded.filter((m) => m.dir === 'in' && m.type === 'text')
    const a = actual.filter((m) => m.dir === 'in' && m.type === 'text')
    const budget = { n: MAX_NODES }
    for (let i = 0; i < Math.min(r.length, a.length); i++) {
      const rj = parseJson((r[i] as WsMessage).data, [])
      const aj = parseJson((a[i] as WsMessage).data, [])
      if (rj.ok && aj.ok) learnPair(rj.value, aj.value, '', budget)
    }
  }
}

/** A recorded id or token: an id-like key, or a string that looks generated rather than written. */
export function looksLikeId(value: string | number, key: string): boolean {
  if (typeof value === 'number') return Number.isInteger(value) && TOKEN_KEY.test(key)
  if (value.length === 0 || value.length > 4096 || /\s/.test(value)) return false
  if (TOKEN_KEY.test(key)) return true
  return (value.length >= 6 && /\d/.test(value)) || value.length >= 16
}

/** A capture's value from an answer: `/json/pointer`, or `header:name`. */
export function captureValue(where: string, response: { headers: Headers; body?: Body }): string | undefined {
  if (where.startsWith('header:')) return header(response.headers, where.slice(7).trim().toLowerCase())
  const json = parseJson(response.body?.text, response.headers)
  if (!json.ok) return undefined
  const v = resolvePointer(json.value, where)
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  return v === undefined ? undefined : JSON.stringify(v)
}

export function resolvePointer(value: unknown, pointer: string): unknown {
  if (pointer === '' || pointer === '/') return value
  let cur = value
  for (const raw of pointer.replace(/^\//, '').split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    if (Array.isArray(cur)) cur = cur[Number(key)]
    else if (isObject(cur)) cur = cur[key]
    else return undefined
  }
  return cur
}

function replaceUrl(url: string, replace: (s: string) => string): string {
  const q = url.indexOf('?')
  const path = q < 0 ? url : url.slice(0, q)
  const query = q < 0 ? '' : url.slice(q + 1)
  const nextPath = path
    .split('/')
    .map((seg) => (seg ? replace(seg) : seg))
    .join('/')
  if (q < 0) return nextPath
  const nextQuery = query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=')
      return eq < 0 ? replace(pair) : `${pair.slice(0, eq)}=${replace(pair.slice(eq + 1))}`
    })
    .join('&')
  return `${nextPath}?${nextQuery}`
}

function pathSegments(location: string): string[] {
  let path = location
  try {
    path = new URL(location, 'http://x.invalid').pathname
  } catch {
    // keep the raw value
  }
  return path.split('/').filter(Boolean)
}

function cookies(headers: Headers): Map<string, string> {
  const out = new Map<string, string>()
  for (const [n, v] of headers) {
    if (n !== 'set-cookie') continue
    const first = v.split(';')[0] ?? ''
    const eq = first.indexOf('=')
    if (eq > 0) out.set(first.slice(0, eq).trim(), first.slice(eq + 1).trim())
  }
  return out
}

function header(headers: Headers, name: string): string | undefined {
  for (const [n, v] of headers) if (n.toLowerCase() === name) return v
  return undefined
}

function parseJson(text: string | undefined, headers: Headers): { ok: true; value: unknown } | { ok: false } {
  if (text === undefined) return { ok: false }
  const ct = header(headers, 'content-type') ?? ''
  const t = text.trimStart()
  if (!ct.includes('json') && !t.startsWith('{') && !t.startsWith('[')) return { ok: false }
  try {
    return { ok: true, value: JSON.parse(text) }
  } catch {
    return { ok: false }
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** `name=value` with a placeholder value (raw or percent-encoded) filled by `lookup(name)`. */
function fillPair(pair: string, lookup: (name: string) => string | undefined): string {
  const eq = pair.indexOf('=')
  if (eq < 0) return pair
  const value = pair.slice(eq + 1).trim()
  if (value !== PLACEHOLDER && value !== PLACEHOLDER_ENCODED) return pair
  let name = pair.slice(0, eq)
  try {
    name = decodeURIComponent(name)
  } catch {
    // keep the raw name
  }
  const filled = lookup(name)
  return filled === undefined ? pair : `${pair.slice(0, eq)}=${filled}`
}

function fillJson(v: unknown, key: string, field: (name: string) => string | undefined): unknown {
  if (v === PLACEHOLDER) return field(key) ?? v
  if (Array.isArray(v)) return v.map((x) => fillJson(x, key, field))
  if (isObject(v)) {
    const o: Record<string, unknown> = {}
    for (const [k, x] of Object.entries(v)) o[k] = fillJson(x, k, field)
    return o
  }
  return v
}

function mapDefined<T, U>(v: T | undefined, f: (x: T) => U): U | undefined {
  return v === undefined ? undefined : f(v)
}

/** Field names compared without case, `_` and `-` (as the recorder does). */
function squash(name: string): string {
  return name.toLowerCase().replace(/[-_]/g, '')
}
