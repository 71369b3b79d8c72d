/**
 * Client sessions for the recorder (and the credential helpers that group a HAR's entries, in
 * corpus.ts): exchanges are grouped by what identifies the client that sent them, not by the
 * connection they came over (an HTTP client spreads one user's strictly sequential
 * requests over several keep-alive connections; replaying each connection as its own session loses
 * the ids and tokens the user's earlier requests produced).
 *
 * What identifies a client, in this order:
 * 1. the header named by `sessionHeader` (when configured): its value alone decides;
 * 2. a credential the request carries: the `Authorization` token, an identifying cookie value, the
 *    value of a header that is secret by name (`x-auth-token`, `x-session-id`, `x-api-key`);
 * 3. the login that issued it: a credential first seen in an answer (`Set-Cookie`, a secret
 *    response header, a token field or JWT in a JSON body) belongs to the session of the request
 *    that got it, so the requests that then present it join that session.
 * A request with none of these stays in the session its connection last carried (a fresh connection
 * opens a new one), as before. A credential never seen before joins its connection's session when
 * that session holds no credential yet (the login's), else opens a new session.
 *
 * Values are never kept: only an HMAC of each (a random key per recorder, held in memory, never
 * written), because redaction removes the values before the exchange is written.
 */
import { createHmac, randomBytes } from 'node:crypto'
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib'
import type { Headers } from '../model/exchange.js'
import { isSecretFieldName, isSecretHeaderName, isSecretValue } from './redact.js'

export interface ClientSessionsOptions {
  /** A request header that names the client (`x-client-id`); when present, its value alone decides. */
  sessionHeader?: string
  /** More headers whose values are credentials (the recorder's `--redact-header` names), beside the defaults. */
  credentialHeaders?: string[]
}

/** A session id and the request's number within it (the order requests arrived in). */
export interface SessionSlot {
  session: string
  seq: number
}

/** Shorter values are too likely to be shared by chance (`1`, `en`, `dark`) to identify a client. */
const MIN_CREDENTIAL = 8
/** Hashes and sessions held at most; the oldest go first (a recorder may run for days). */
const MAX_KEYS = 100_000
const MAX_SESSIONS = 100_000
/** Bounds on reading an answer's body for issued tokens. */
const MAX_BODY_NODES = 5_000
const MAX_DECODED = 8 * 1024 * 1024
/** A JSON text that may issue a credential: a key naming a secret, or a JWT. */
const ISSUES_HINT = /"[^"]*(?:token|secret|session|sid|jwt|key|credential|signature|pass|bearer|refresh|auth|otp|pin|sig)[^"]*"\s*:|eyJ/i
/** Cookie names that say the cookie identifies a session, whatever its value looks like. */
const SESSION_COOKIE = /sess|sid|token|auth|login|jwt|user/i

export class ClientSessions {
  private readonly key = randomBytes(32)
  private readonly header: string | undefined
  private readonly extra: ReadonlySet<string>
  /** HMAC of an identifying value -> session id. */
  private readonly owners = new Map<string, string>()
  private readonly sessions = new Map<string, { seq: number; credentialed: boolean }>()
  /** The session each connection last carried. */
  private readonly connections = new WeakMap<object, string>()
  private next = 0

  constructor(
    private readonly prefix: string,
    options: ClientSessionsOptions = {},
  ) {
    this.header = options.sessionHeader?.trim().toLowerCase() || undefined
    this.extra = new Set((options.credentialHeaders ?? []).map((h) => h.toLowerCase()))
  }

  /** The session of a request, from its headers as the client sent them (before redaction), and its number in it. */
  take(connection: object, headers: Headers): SessionSlot {
    const named = sessionHeaderCredential(headers, this.header)
    let id: string | undefined
    let keys: string[]
    if (named !== undefined) {
      keys = [this.hash(named)]
      id = this.live(this.owners.get(keys[0]!)) ?? this.open()
    } else {
      keys = requestCredentials(headers, this.extra).map((v) => this.hash(v))
      for (const k of keys) {
        id = this.live(this.owners.get(k))
        if (id) break
      }
      const current = this.live(this.connections.get(connection))
      if (!id && keys.length > 0) id = current && !this.sessions.get(current)?.credentialed ? current : this.open()
      id ??= current ?? this.open()
    }
    for (const k of keys) this.own(k, id)
    const state = this.sessions.get(id)!
    // Most recently used last: the sessions evicted first are the ones idle longest.
    this.sessions.delete(id)
    this.sessions.set(id, state)
    if (keys.length > 0) state.credentialed = true
    this.connections.set(connection, id)
    return { session: id, seq: state.seq++ }
  }

  /**
   * The credentials an answer issues join the session of the request that got them. Called with the
   * headers as soon as they arrive, and with the body once it is whole (before the client can use it).
   */
  issued(session: string, headers: Headers, body?: Buffer): void {
    const state = this.sessions.get(session)
    if (!state) return
    const values = body === undefined ? headerCredentials(headers, this.header, this.extra) : bodyCredentials(headers, body)
    for (const v of values) this.own(this.hash(v), session)
    if (values.length > 0) state.credentialed = true
  }

  private hash(value: string): string {
    return createHmac('sha256', this.key).update(value).digest('base64')
  }

  /** The session, unless it was evicted (a client that comes back after that starts a new one, numbered from 0 again). */
  private live(id: string | undefined): string | undefined {
    return id !== undefined && this.sessions.has(id) ? id : undefined
  }

  /** The first live session to hold a value keeps it. */
  private own(key: string, id: string): void {
    if (this.live(this.owners.get(key))) return
    this.owners.delete(key)
    if (this.owners.size >= MAX_KEYS) this.owners.delete(this.owners.keys().next().value as string)
    this.owners.set(key, id)
  }

  private open(): string {
    const id = `${this.prefix}.${++this.next}`
    if (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value as string)
    this.sessions.set(id, { seq: 0, credentialed: false })
    return id
  }
}

/** A cookie identifies a client when its name says so or its value looks generated, and it is long enough. */
export function identifyingCookie(name: string, value: string): boolean {
  if (value.length < MIN_CREDENTIAL) return false
  return SESSION_COOKIE.test(name) || value.length >= 16 || (/\d/.test(value) && /[a-z]/i.test(value))
}

function cookiePairs(header: string): Array<[string, string]> {
  const out: Array<[string, string]> = []
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0) out.push([part.slice(0, eq).trim(), part.slice(eq + 1).trim()])
  }
  return out
}

/** The identifying values a request carries: the Authorization token, identifying cookies, secret headers' values. */
export function requestCredentials(headers: Headers, extra: ReadonlySet<string> = new Set()): string[] {
  const out: string[] = []
  for (const [name, value] of headers) {
    const n = name.toLowerCase()
    if (n === 'authorization' || n === 'proxy-authorization') {
      // `Bearer abc`: the token, so that a token issued in a login's body matches.
      const token = /^[A-Za-z][\w-]*\s+(\S.*)$/.exec(value.trim())?.[1] ?? value.trim()
      if (token.length >= MIN_CREDENTIAL) out.push(token)
    } else if (n === 'cookie') {
      for (const [k, v] of cookiePairs(value)) if (identifyingCookie(k, v)) out.push(v)
    } else if ((isSecretHeaderName(n) || extra.has(n)) && value.length >= MIN_CREDENTIAL) out.push(value)
  }
  return out
}

/** The credentials an answer issues, in its headers and (when given) its body. */
export function answerCredentials(headers: Headers, body: Buffer | undefined, sessionHeader: string | undefined): string[] {
  return [...headerCredentials(headers, sessionHeader), ...(body ? bodyCredentials(headers, body) : [])]
}

/** The value a configured session header gives a request, as a credential of its own kind. */
export function sessionHeaderCredential(headers: Headers, sessionHeader: string | undefined): string | undefined {
  if (!sessionHeader) return undefined
  const name = sessionHeader.trim().toLowerCase()
  const v = headers.find(([n]) => n.toLowerCase() === name)?.[1]
  return v ? `header\0${v}` : undefined
}

/** Credentials issued in an answer's headers: cookies set, secret headers, the session header. */
function headerCredentials(headers: Headers, sessionHeader: string | undefined, extra: ReadonlySet<string> = new Set()): string[] {
  const out: string[] = []
  for (const [name, value] of headers) {
    const n = name.toLowerCase()
    if (n === 'set-cookie') {
      const [pair] = cookiePairs(value.split(';')[0] ?? '')
      if (pair && identifyingCookie(pair[0], pair[1])) out.push(pair[1])
    } else if (sessionHeader && n === sessionHeader && value) out.push(`header\0${value}`)
    else if (n !== 'cookie' && (isSecretHeaderName(n) || extra.has(n)) && value.length >= MIN_CREDENTIAL) out.push(value)
  }
  return out
}

/** Tokens issued in a JSON body: string values under a secret field name (token, accessToken, sessionId...) and JWTs. */
function bodyCredentials(headers: Headers, body: Buffer): string[] {
  const text = decode(headers, body)
  if (text === undefined) return []
  const start = text.trimStart()[0]
  // Most answers issue nothing: a scan for a secret-like key or a JWT spares parsing them.
  if ((start !== '{' && start !== '[') || !ISSUES_HINT.test(text)) return []
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return []
  }
  const out: string[] = []
  let budget = MAX_BODY_NODES
  const walk = (v: unknown, key: string): void => {
    if (--budget < 0) return
    if (typeof v === 'string') {
      if (v.length >= MIN_CREDENTIAL && (isSecretValue(v) || (key !== '' && isSecretFieldName(key)))) out.push(v)
    } else if (Array.isArray(v)) for (const x of v) walk(x, key)
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k)
  }
  walk(value, '')
  return out
}

/** The body as text, decoded when compressed; undefined when it is not text. */
function decode(headers: Headers, body: Buffer): string | undefined {
  const encoding = (headers.find(([n]) => n.toLowerCase() === 'content-encoding')?.[1] ?? '').trim().toLowerCase()
  let bytes = body
  try {
    if (encoding === 'gzip' || encoding === 'x-gzip') bytes = gunzipSync(body, { maxOutputLength: MAX_DECODED })
    else if (encoding === 'br') bytes = brotliDecompressSync(body, { maxOutputLength: MAX_DECODED })
    else if (encoding === 'deflate') bytes = inflateSync(body, { maxOutputLength: MAX_DECODED })
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return undefined
  }
}
