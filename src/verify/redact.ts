/**
 * Secrets out of an exchange before it reaches disk. Values become `[redacted]`; names stay, so the
 * corpus still shows which headers, cookies and fields were sent, and replay's correlation can map
 * the one recorded placeholder to each target's fresh value (a redacted login token in a response
 * and the same placeholder in a later `Authorization: Bearer [redacted]`).
 */
import type { Body, Exchange, Headers, RecordedRequest, RecordedResponse, WsMessage } from './types.js'

export const REDACTED = '[redacted]'

export interface RedactOptions {
  /** Keep secrets (local use only): the exchange is returned unchanged. */
  keep?: boolean
  /** More header names whose values are secret (case-insensitive). */
  headers?: string[]
  /** More JSON / form field names whose values are secret (case-insensitive, exact). */
  fields?: string[]
}

const SECRET_HEADERS = ['authorization', 'proxy-authorization', 'x-api-key', 'cookie', 'set-cookie']

/** Field names, lower-cased without `_` and `-`: a name equal to one or ending in one is secret (newPassword, id_token). */
const SECRET_FIELDS = ['password', 'passwd', 'secret', 'token', 'apikey', 'accesstoken', 'refreshtoken', 'clientsecret']

const squash = (name: string): string => name.toLowerCase().replace(/[-_]/g, '')

/** Returns a redacted copy (the input is not changed); `keep: true` returns the exchange itself. */
export function redactExchange(x: Exchange, options: RedactOptions = {}): Exchange {
  if (options.keep) return x
  const extraHeaders = new Set((options.headers ?? []).map((h) => h.toLowerCase()))
  const extraFields = new Set((options.fields ?? []).map(squash))
  const isSecretField = (name: string): boolean => {
    const n = squash(name)
    return extraFields.has(n) || SECRET_FIELDS.some((f) => n === f || n.endsWith(f))
  }
  const redactHeaders = (headers: Headers): Headers =>
    headers.map(([name, value]): [string, string] => {
      const n = name.toLowerCase()
      if (n === 'cookie') return [name, redactCookie(value)]
      if (n === 'set-cookie') return [name, redactSetCookie(value)]
      if (n === 'authorization' || n === 'proxy-authorization') return [name, redactCredentials(value)]
      if (SECRET_HEADERS.includes(n) || extraHeaders.has(n)) return [name, REDACTED]
      return [name, value]
    })
  const out: Exchange = { ...x, request: redactRequest(x.request) }
  if (x.response) out.response = redactResponse(x.response)
  if (x.ws) out.ws = x.ws.map((m): WsMessage => (m.type === 'text' ? { ...m, data: redactJsonText(m.data, isSecretField) ?? m.data } : m))
  return out

  function redactRequest(r: RecordedRequest): RecordedRequest {
    const req: RecordedRequest = { ...r, url: redactUrl(r.url, isSecretField), headers: redactHeaders(r.headers) }
    if (r.body) req.body = redactBody(r.body, r.headers, isSecretField)
    return req
  }
  function redactResponse(r: RecordedResponse): RecordedResponse {
    const res: RecordedResponse = { ...r, headers: redactHeaders(r.headers) }
    if (r.body) res.body = redactBody(r.body, r.headers, isSecretField)
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

function redactUrl(url: string, isSecret: (name: string) => boolean): string {
  const q = url.indexOf('?')
  if (q < 0) return url
  const query = redactForm(url.slice(q + 1), isSecret)
  return query === undefined ? url : `${url.slice(0, q)}?${query}`
}

function contentType(headers: Headers): string {
  return (headers.find(([n]) => n.toLowerCase() === 'content-type')?.[1] ?? '').toLowerCase()
}

function redactBody(body: Body, headers: Headers, isSecret: (name: string) => boolean): Body {
  if (body.text === undefined) return body
  const type = contentType(headers)
  const text = type.includes('x-www-form-urlencoded') ? redactForm(body.text, isSecret) : redactJsonText(body.text, isSecret)
  return text === undefined ? body : { text, size: Buffer.byteLength(text, 'utf8') }
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
    if (!isSecret(name)) return pair
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
    if (Array.isArray(v)) return v.map(walk)
    if (typeof v !== 'object' || v === null) return v
    const out: Record<string, unknown> = {}
    for (const [k, child] of Object.entries(v)) {
      if (isSecret(k) && child !== null && child !== REDACTED) {
        changed = true
        out[k] = REDACTED
      } else out[k] = walk(child)
    }
    return out
  }
  const next = walk(value)
  return changed ? JSON.stringify(next) : undefined
}

/** A JSON value (MCP tool arguments, say) with secret fields at any depth replaced by the same field rules; the input is not changed. */
export function redactJsonValue(value: unknown, options: RedactOptions = {}): unknown {
  if (options.keep) return value
  const extra = new Set((options.fields ?? []).map(squash))
  const isSecret = (name: string): boolean => {
    const n = squash(name)
    return extra.has(n) || SECRET_FIELDS.some((f) => n === f || n.endsWith(f))
  }
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk)
    if (typeof v !== 'object' || v === null) return v
    const out: Record<string, unknown> = {}
    for (const [k, child] of Object.entries(v)) out[k] = isSecret(k) && child !== null ? REDACTED : walk(child)
    return out
  }
  return walk(value)
}
