/**
 * Secrets out of an exchange before it reaches disk. Values become `[redacted]`; names stay, so the
 * corpus still shows which headers, cookies and fields were sent, and replay's correlation can map
 * the one recorded placeholder to each target's fresh value (a redacted login token in a response
 * and the same placeholder in a later `Authorization: Bearer [redacted]`).
 */
import { brotliDecompressSync, gunzipSync, inflateSync, type InputType, type ZlibOptions } from 'node:zlib'
import * as zlib from 'node:zlib'
import type { Body, Difference, Exchange, Headers, RecordedRequest, RecordedResponse, TargetResponse, WsMessage } from '../model/exchange.js'

export const REDACTED = '[redacted]'

export interface RedactOptions {
  /** Keep secrets (local use only): the exchange is returned unchanged. */
  keep?: boolean
  /** More header names whose values are secret (case-insensitive). */
  headers?: string[]
  /** More JSON / form field names whose values are secret (case-insensitive, exact). */
  fields?: string[]
}

const SECRET_HEADERS = ['authorization', 'proxy-authorization', 'x-api-key', 'api-key', 'x-goog-api-key', 'cookie', 'set-cookie']
/** Header names holding one of these (lower-cased) are secret: `x-auth-token`, `x-csrf-token`, `x-amz-security-token`, `x-session-id`. */
const SECRET_HEADER_PARTS = ['token', 'secret', 'api-key', 'apikey', 'password', 'session', 'csrf', 'xsrf', 'signature', 'credential']

/** Field names, lower-cased without `_` and `-`: a name equal to one or ending in one is secret (newPassword, id_token, sessionJwt). */
const SECRET_FIELDS = [
  'password',
  'passwd',
  'secret',
  'token',
  'apikey',
  'accesstoken',
  'refreshtoken',
  'clientsecret',
  'jwt',
  'privatekey',
  'signature',
  'credential',
  'credentials',
]
/** Field names secret only as a whole (a `key` query parameter, an `otp`), never as a suffix (`primaryKey`, `zipcode`). */
const SECRET_EXACT = ['key', 'sig', 'pin', 'otp', 'session', 'sessionid', 'sid', 'bearer', 'refresh', 'auth', 'passcode', 'totp']

/** A JSON Web Token, whatever the name it is sent under. */
const JWT = /^(Bearer\s+)?eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*$/

const squash = (name: string): string => name.toLowerCase().replace(/[-_]/g, '')

/** True for a field name whose value is secret by the default rules or one of `extra` (squashed names). */
function secretName(name: string, extra: ReadonlySet<string>): boolean {
  const n = squash(name)
  return extra.has(n) || SECRET_EXACT.includes(n) || SECRET_FIELDS.some((f) => n === f || n.endsWith(f))
}

function secretHeader(name: string, extra: ReadonlySet<string>): boolean {
  const n = name.toLowerCase()
  return SECRET_HEADERS.includes(n) || extra.has(n) || SECRET_HEADER_PARTS.some((p) => n.includes(p))
}

/** True for a header whose value the recorder redacts by default (Authorization, cookies, `x-auth-token`...). */
export function isSecretHeaderName(name: string): boolean {
  return secretHeader(name, new Set())
}

/** True for a JSON, form or query field whose value the recorder redacts by default (token, sessionId, password...). */
export function isSecretFieldName(name: string): boolean {
  return secretName(name, new Set())
}

/** True for a value that is a secret whatever its name: a JWT. */
export function isSecretValue(value: unknown): boolean {
  return typeof value === 'string' && JWT.test(value.trim())
}

/** Returns a redacted copy (the input is not changed); `keep: true` returns the exchange itself. */
export function redactExchange(x: Exchange, options: RedactOptions = {}): Exchange {
  if (options.keep) return x
  const extraHeaders = new Set((options.headers ?? []).map((h) => h.toLowerCase()))
  const extraFields = new Set((options.fields ?? []).map(squash))
  const isSecretField = (name: string): boolean => secretName(name, extraFields)
  const redactHeaders = (headers: Headers): Headers =>
    headers.map(([name, value]): [string, string] => {
      const n = name.toLowerCase()
      if (n === 'cookie') return [name, redactCookie(value)]
      if (n === 'set-cookie') return [name, redactSetCookie(value)]
      if (n === 'authorization' || n === 'proxy-authorization') return [name, redactCredentials(value)]
      if (secretHeader(n, extraHeaders) || isSecretValue(value)) return [name, REDACTED]
      return [name, value]
    })
  const out: Exchange = { ...x, request: redactRequest(x.request) }
  if (x.response) out.response = redactResponse(x.response)
  if (x.ws) out.ws = x.ws.map((m): WsMessage => (m.type === 'text' ? { ...m, data: redactJsonText(m.data, isSecretField) ?? m.data } : m))
  return out

  function redactRequest(r: RecordedRequest): RecordedRequest {
    const req: RecordedRequest = { ...r, url: redactUrl(r.url, isSecretField), headers: redactHeaders(r.headers) }
    if (r.body) {
      const { body, decoded } = redactBody(r.body, r.headers, isSecretField)
      req.body = body
      if (decoded) req.headers = withoutEncoding(req.headers, body.size)
    }
    return req
  }
  function redactResponse(r: RecordedResponse): RecordedResponse {
    const res: RecordedResponse = { ...r, headers: redactHeaders(r.headers) }
    if (r.body) {
      const { body, decoded } = redactBody(r.body, r.headers, isSecretField)
      res.body = body
      if (decoded) res.headers = withoutEncoding(res.headers, body.size)
    }
    return res
  }
}

/** `Bearer abc` -> `Bearer [redacted]`: the scheme is no secret and tells the diff what was sent. */
function redactCredentials(value: string): string {
  const m = /^([A-Za-z][\w-]*)\s+\S/.exec(value)
  return m ? `${m[1]} ${REDACTED}` : REDACTED
}

/** `a=1; b=2` -> `a=[redacted]; b=[redacted]`. */
function redactCookie(value: string): string {
  return value
    .split(';')
    .map((part) => {
      const eq = part.indexOf('=')
      return eq < 0 ? part : `${part.slice(0, eq)}=${REDACTED}`
    })
    .join(';')
}

/** `sid=abc; Path=/; HttpOnly` -> `sid=[redacted]; Path=/; HttpOnly`: only the value is secret. */
function redactSetCookie(value: string): string {
  const semi = value.indexOf(';')
  const first = semi < 0 ? value : value.slice(0, semi)
  const eq = first.indexOf('=')
  const redacted = eq < 0 ? REDACTED : `${first.slice(0, eq)}=${REDACTED}`
  return semi < 0 ? redacted : redacted + value.slice(semi)
}

/** A body stored decoded: its `content-encoding` goes, its `content-length` is the decoded size. */
function withoutEncoding(headers: Headers, size: number): Headers {
  return headers
    .filter(([n]) => n.toLowerCase() !== 'content-encoding')
    .map(([n, v]): [string, string] => (n.toLowerCase() === 'content-length' ? [n, String(size)] : [n, v]))
}

const MAX_DECODED = 64 * 1024 * 1024

/** A compressed body (gzip, deflate, br, zstd where this Node has it) as text, or undefined when it is none or not text. */
function decoded(body: Body, headers: Headers): string | undefined {
  if (body.base64 === undefined) return undefined
  const encoding = (headers.find(([n]) => n.toLowerCase() === 'content-encoding')?.[1] ?? '').trim().toLowerCase()
  const zstd = (zlib as unknown as { zstdDecompressSync?: (b: InputType, o?: ZlibOptions) => Buffer }).zstdDecompressSync
  const inflate: Record<string, ((b: InputType, o?: ZlibOptions) => Buffer) | undefined> = {
    gzip: gunzipSync,
    'x-gzip': gunzipSync,
    deflate: inflateSync,
    br: brotliDecompressSync,
    zstd,
  }
  const fn = inflate[encoding]
  if (!fn) return undefined
  try {
    const bytes = fn(Buffer.from(body.base64, 'base64'), { maxOutputLength: MAX_DECODED })
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return undefined
  }
}

function redactUrl(url: string, isSecret: (name: string) => boolean): string {
  const q = url.indexOf('?')
  if (q < 0) return url
  const query = redactForm(url.slice(q + 1), isSecret)
  return query === undefined ? url : `${url.slice(0, q)}?${query}`
}

function contentType(headers: Headers): string {
  return (headers.find(([n]) => n.toLowerCase() === 'content-type')?.[1] ?? '').toLowerCase()
}

/**
 * A body with its secrets replaced. A compressed body (a browser's, axios's, requests' default) is
 * decoded first and kept decoded (`decoded`: the caller drops its `content-encoding`), so that what is
 * stored is what was read, redacted.
 */
function redactBody(body: Body, headers: Headers, isSecret: (name: string) => boolean): { body: Body; decoded: boolean } {
  const plain = decoded(body, headers)
  const source = plain ?? body.text
  if (source === undefined) return { body, decoded: false }
  const type = contentType(headers)
  const text = type.includes('x-www-form-urlencoded')
    ? redactForm(source, isSecret)
    : type.includes('multipart/form-data')
      ? redactMultipart(source, headers.find(([n]) => n.toLowerCase() === 'content-type')?.[1] ?? '', isSecret)
      : redactJsonText(source, isSecret)
  const out = text ?? source
  if (plain === undefined && text === undefined) return { body, decoded: false }
  return { body: { text: out, size: Buffer.byteLength(out, 'utf8') }, decoded: plain !== undefined }
}

/** `multipart/form-data`: the value of each part whose name is secret. */
function redactMultipart(text: string, type: string, isSecret: (name: string) => boolean): string | undefined {
  // The boundary as written: it is case-sensitive.
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1]
  if (!boundary) return undefined
  let changed = false
  const parts = text.split(`--${boundary}`).map((part) => {
    const name = /content-disposition:[^\r\n]*\bname="([^"]*)"/i.exec(part)?.[1]
    const split = part.indexOf('\r\n\r\n')
    if (name === undefined || split < 0 || /\bfilename="/i.test(part.slice(0, split)) || !isSecret(name)) return part
    changed = true
    const end = part.endsWith('\r\n') ? '\r\n' : ''
    return `${part.slice(0, split + 4)}${REDACTED}${end}`
  })
  return changed ? parts.join(`--${boundary}`) : undefined
}

/** A form or query string with secret fields' values replaced; undefined when nothing changed. */
function redactForm(text: string, isSecret: (name: string) => boolean): string | undefined {
  let changed = false
  const parts = text.split('&').map((pair) => {
    const eq = pair.indexOf('=')
    if (eq < 0) return pair
    let name: string
    try {
      name = decodeURIComponent(pair.slice(0, eq).replace(/\+/g, ' '))
    } catch {
      name = pair.slice(0, eq)
    }
    let value = pair.slice(eq + 1)
    try {
      value = decodeURIComponent(value.replace(/\+/g, ' '))
    } catch {}
    if (!isSecret(name) && !isSecretValue(value)) return pair
    changed = true
    return `${pair.slice(0, eq)}=${REDACTED}`
  })
  return changed ? parts.join('&') : undefined
}

/** JSON text with secret fields (any depth) replaced; undefined when it is not JSON or nothing changed. */
function redactJsonText(text: string, isSecret: (name: string) => boolean): string | undefined {
  const start = text.trimStart()[0]
  if (start !== '{' && start !== '[') return undefined
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return undefined
  }
  let changed = false
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string' && URL_WITH_QUERY.test(v)) {
      const url = redactUrl(v, isSecret)
      if (url !== v) changed = true
      return url
    }
    if (Array.isArray(v)) return v.map(walk)
    if (typeof v !== 'object' || v === null) return v
    const out: Record<string, unknown> = {}
    for (const [k, child] of Object.entries(v)) {
      // A secret name holding an object (`auth: { token }`) is walked: its names stay, its secrets go.
      if ((isSecret(k) && child !== null && typeof child !== 'object' && child !== REDACTED) || isSecretValue(child)) {
        changed = true
        out[k] = REDACTED
      } else out[k] = walk(child)
    }
    return out
  }
  const next = walk(value)
  return changed ? JSON.stringify(next) : undefined
}

const URL_WITH_QUERY = /^(?:[a-z][a-z0-9+.-]*:|\/)[^\s?]*\?\S+$/i

/** A JSON value (MCP tool arguments, say) with secret fields at any depth replaced by the same field rules; the input is not changed. */
export function redactJsonValue(value: unknown, options: RedactOptions = {}): unknown {
  if (options.keep) return value
  const extra = new Set((options.fields ?? []).map(squash))
  const walk = (v: unknown): unknown => {
    if (isSecretValue(v)) return REDACTED
    // A URL held in a value (`otpauth://totp/x?secret=...`, a signed link) keeps its secret query parameters out.
    if (typeof v === 'string' && URL_WITH_QUERY.test(v)) return redactUrl(v, (name) => secretName(name, extra))
    if (Array.isArray(v)) return v.map(walk)
    if (typeof v !== 'object' || v === null) return v
    const out: Record<string, unknown> = {}
    for (const [k, child] of Object.entries(v)) out[k] = secretName(k, extra) && child !== null && typeof child !== 'object' ? REDACTED : walk(child)
    return out
  }
  return walk(value)
}

/**
 * A difference as it may be stored (history, reports, vault, `--out`): the values of a secret header
 * or field (the pointer's last segment), and JWT-shaped values anywhere, replaced.
 */
export function redactDifference(d: Difference, options: RedactOptions = {}): Difference {
  if (options.keep) return d
  const extraHeaders = new Set((options.headers ?? []).map((h) => h.toLowerCase()))
  const extraFields = new Set((options.fields ?? []).map(squash))
  const last = decodeURIComponent(d.pointer.split('/').pop() ?? '')
    .replace(/~1/g, '/')
    .replace(/~0/g, '~')
  const secret = d.where === 'header' ? secretHeader(d.pointer, extraHeaders) : d.where === 'body' && last !== '' && secretName(last, extraFields)
  const value = (v: unknown) =>
    v === undefined || v === null
      ? v
      : secret
        ? REDACTED
        : d.where === 'header' && typeof v === 'string'
          ? redactHeaderValue(d.pointer, v)
          : redactJsonValue(v, options)
  return { ...d, baseline: value(d.baseline), candidate: value(d.candidate) }
}

/** A header value as stored: cookies' and credentials' values out, a JWT out. */
function redactHeaderValue(name: string, v: string): string {
  const n = name.toLowerCase()
  if (n === 'set-cookie') return redactSetCookie(v)
  if (n === 'cookie') return redactCookie(v)
  return isSecretValue(v) ? REDACTED : v
}

/** A route's example exchange as it may be stored: the request and both answers redacted like a recording. */
export function redactExample(
  example: { request: RecordedRequest; baseline: TargetResponse; candidate: TargetResponse },
  options: RedactOptions = {},
): typeof example {
  if (options.keep) return example
  const answer = (r: TargetResponse): TargetResponse => {
    const x = redactExchange(
      {
        id: '',
        session: '',
        seq: 0,
        startedAt: '',
        request: example.request,
        response: { status: r.status, headers: r.headers, ...(r.body ? { body: r.body } : {}) },
        ...(r.ws ? { ws: r.ws } : {}),
      } as Exchange,
      options,
    )
    return { ...r, headers: x.response!.headers, ...(x.response!.body ? { body: x.response!.body } : {}), ...(x.ws ? { ws: x.ws } : {}) }
  }
  const request = redactExchange({ id: '', session: '', seq: 0, startedAt: '', request: example.request } as Exchange, options).request
  return { request, baseline: answer(example.baseline), candidate: answer(example.candidate) }
}
