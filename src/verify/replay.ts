/**
 * The replay engine: each session of a corpus is sent in order to the baseline, an optional second
 * baseline and the candidate, sessions side by side up to a bound, with stateful correlation per
 * target. A failed request is a TargetResponse with `error`; the run always continues.
 */
import { createHash } from 'node:crypto'
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib'
import type { Readable, Transform } from 'node:stream'
import { Pool } from 'undici'
import WebSocket from 'ws'
import { ParityError } from '../model/errors.js'
import { createCorrelator, type Correlator } from './correlate.js'
import { inferRouteKey } from '../model/route-infer.js'
import type { Body, Corpus, Exchange, Headers, RecordedRequest, ReplayedExchange, TargetResponse, WsMessage } from '../model/exchange.js'

export interface ReplayTargets {
  baseline: string
  /** A second, independent baseline instance (Diffy's secondary). */
  baseline2?: string
  candidate: string
}

export interface ReplayOptions {
  /** Sessions in flight at once (default 8). */
  concurrency?: number
  /** Per request, headers and body (default 10000). */
  timeoutMs?: number
  /** Larger bodies are streamed and kept as size + sha256 only (default 1 MiB). */
  maxBodyBytes?: number
  /**
   * Without `baseline2`: run the whole corpus against the baseline a second time, after the first
   * pass and a `reset('baseline')`; its answers become `baseline2` (Diffy's noise model).
   */
  twice?: boolean
  /** Brings a target back to its initial state; called for both before the first pass. */
  reset?: (target: 'baseline' | 'candidate') => Promise<void>
  /**
   * After the first pass, once per route whose GET the baseline answered with an ETag, the same
   * request sent again to each side with `If-None-Match` and that side's own ETag (the baseline's to
   * a side without one): a lost 304 is a difference. On by default.
   */
  revalidate?: boolean
  onProgress?: (done: number, total: number) => void
}

type Slot = 'baseline' | 'baseline2' | 'candidate'

/** Headers that belong to one connection, never forwarded (RFC 9110 7.6.1), plus ones we recompute. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
  'expect',
])
const WS_HANDSHAKE = new Set(['sec-websocket-key', 'sec-websocket-version', 'sec-websocket-extensions', 'sec-websocket-accept'])
/** How long a socket stays open for server messages past the script (no message for this long ends it). */
const WS_IDLE_MS = 150
/** Upper bound on waiting for one expected server message. */
const WS_MESSAGE_WAIT_MS = 2000

/** A target: its origin, the path prefix of its base URL, and a keep-alive pool. */
interface Target {
  slot: Slot
  origin: string
  host: string
  prefix: string
  pool: Pool
  wsBase: string
}

export async function replayCorpus(corpus: Corpus, targets: ReplayTargets, options: ReplayOptions = {}): Promise<ReplayedExchange[]> {
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 8))
  const timeoutMs = Math.max(1, options.timeoutMs ?? 10_000)
  const maxBodyBytes = Math.max(0, options.maxBodyBytes ?? 1024 * 1024)
  const baseline = openTarget('baseline', targets.baseline, concurrency)
  const candidate = openTarget('candidate', targets.candidate, concurrency)
  const second = targets.baseline2 ? openTarget('baseline2', targets.baseline2, concurrency) : undefined
  const sequential = !second && options.twice === true

  const exchanges = corpus.exchanges.filter((e) => !e.skipReplay && (!corpus.origin || !e.host || e.host === corpus.origin))
  const sessions = groupSessions(exchanges)
  const index = new Map(exchanges.map((e, i) => [e, i]))
  const results: ReplayedExchange[] = new Array(exchanges.length)
  const total = exchanges.length * (sequential ? 2 : 1)
  let done = 0
  const tick = (): void => {
    done++
    options.onProgress?.(done, total)
  }
  const ctx = { timeoutMs, maxBodyBytes }

  try {
    if (options.reset) {
      await options.reset('baseline')
      await options.reset('candidate')
    }
    await runBounded(sessions, concurrency, async (session) => {
      const corr = { baseline: createCorrelator(), candidate: createCorrelator(), baseline2: second ? createCorrelator() : undefined }
      for (const ex of session) {
        const sentB = corr.baseline.apply(ex.request)
        const sentC = corr.candidate.apply(ex.request)
        const [b, c, b2] = await Promise.all([
          send(baseline, ex, sentB, corr.baseline, ctx),
          send(candidate, ex, sentC, corr.candidate, ctx),
          second && corr.baseline2 ? send(second, ex, corr.baseline2.apply(ex.request), corr.baseline2, ctx) : undefined,
        ])
        const r: ReplayedExchange = { exchange: ex, sent: { baseline: sentB, candidate: sentC }, baseline: b, candidate: c }
        if (b2) r.baseline2 = b2
        results[index.get(ex) as number] = r
        tick()
      }
    })
    const conditional = options.revalidate === false ? [] : await revalidate(results, { baseline, candidate, ...(second ? { second } : {}) }, ctx)
    if (sequential) {
      if (options.reset) await options.reset('baseline')
      await runBounded(sessions, concurrency, async (session) => {
        const corr = createCorrelator()
        for (const ex of session) {
          const r = results[index.get(ex) as number] as ReplayedExchange
          r.baseline2 = await send(baseline, ex, corr.apply(ex.request), corr, ctx)
          tick()
        }
      })
    }
    results.push(...conditional)
  } finally {
    await Promise.all([baseline, candidate, second].map((t) => t?.pool.close().catch(() => undefined)))
  }
  return results
}

/** At most this many conditional requests in one replay (one per route, sent one after another). */
const MAX_REVALIDATIONS = 200

function etagOf(r: TargetResponse | undefined): string | undefined {
  return r && !r.error ? r.headers.find(([n]) => n.toLowerCase() === 'etag')?.[1] : undefined
}

function withHeader(request: RecordedRequest, name: string, value: string): RecordedRequest {
  const headers: Headers = request.headers.filter(([n]) => !/^if-(none-match|modified-since|match|unmodified-since)$/i.test(n))
  headers.push([name, value])
  return { ...request, headers }
}

/**
 * The conditional requests of the replay: for the first GET of each route that both sides answered
 * alike with a 2xx and the baseline with an ETag, the request as it was sent, with `If-None-Match`
 * and each side's own ETag. Bounded by the count of routes (at most `MAX_REVALIDATIONS`) and by the
 * timeout of each request.
 */
async function revalidate(
  results: ReplayedExchange[],
  targets: { baseline: Target; candidate: Target; second?: Target },
  ctx: { timeoutMs: number; maxBodyBytes: number },
): Promise<ReplayedExchange[]> {
  const seen = new Set<string>()
  const out: ReplayedExchange[] = []
  for (const r of results) {
    if (out.length >= MAX_REVALIDATIONS) break
    if (r.exchange.request.method.toUpperCase() !== 'GET' || r.exchange.ws) continue
    const tagB = etagOf(r.baseline)
    if (!tagB || r.baseline.status < 200 || r.baseline.status >= 300 || r.candidate.status !== r.baseline.status) continue
    const route = inferRouteKey(r.exchange)
    if (seen.has(route)) continue
    seen.add(route)
    const sentB = withHeader(r.sent.baseline, 'if-none-match', tagB)
    const sentC = withHeader(r.sent.candidate, 'if-none-match', etagOf(r.candidate) ?? tagB)
    const tagB2 = etagOf(r.baseline2)
    const [b, c, b2] = await Promise.all([
      sendHttp(targets.baseline, sentB, ctx),
      sendHttp(targets.candidate, sentC, ctx),
      targets.second && tagB2 ? sendHttp(targets.second, withHeader(r.sent.baseline, 'if-none-match', tagB2), ctx) : undefined,
    ])
    const exchange: Exchange = { ...r.exchange, id: `${r.exchange.id}~if-none-match`, request: withHeader(r.exchange.request, 'if-none-match', tagB) }
    delete exchange.response
    const x: ReplayedExchange = { exchange, sent: { baseline: sentB, candidate: sentC }, baseline: b, candidate: c }
    if (b2) x.baseline2 = b2
    out.push(x)
  }
  return out
}

function openTarget(slot: Slot, base: string, concurrency: number): Target {
  let url: URL
  try {
    url = new URL(base)
  } catch {
    throw new ParityError('BAD_TARGET_URL', `${slot}: "${base}" is not a URL`, 'Give a base URL such as http://127.0.0.1:8080')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ParityError('BAD_TARGET_URL', `${slot}: "${base}" is not http(s)`, 'Give an http:// or https:// base URL')
  }
  const prefix = url.pathname.replace(/\/+$/, '')
  return {
    slot,
    origin: url.origin,
    host: url.host,
    prefix,
    // One connection per session in flight, kept alive across requests.
    pool: new Pool(url.origin, { connections: concurrency, keepAliveTimeout: 10_000, pipelining: 1 }),
    wsBase: `${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}${prefix}`,
  }
}

function groupSessions(exchanges: Exchange[]): Exchange[][] {
  const by = new Map<string, Exchange[]>()
  for (const e of exchanges) {
    const list = by.get(e.session)
    if (list) list.push(e)
    else by.set(e.session, [e])
  }
  const out = [...by.values()]
  for (const list of out) list.sort((a, b) => a.seq - b.seq)
  return out
}

async function runBounded<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++] as T)
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}

/** Path and query of a recorded URL; an absolute URL loses its origin (we only ever send to targets). */
function pathOf(url: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    try {
      const u = new URL(url)
      return u.pathname + u.search
    } catch {
      return '/'
    }
  }
  return url.startsWith('/') ? url : `/${url}`
}

function forwardHeaders(headers: Headers, host: string, drop?: Set<string>): Record<string, string | string[]> {
  const named = new Set<string>()
  for (const [n, v] of headers) if (n.toLowerCase() === 'connection') for (const t of v.split(',')) named.add(t.trim().toLowerCase())
  const out: Record<string, string | string[]> = {}
  for (const [raw, v] of headers) {
    const n = raw.toLowerCase()
    if (HOP_BY_HOP.has(n) || named.has(n) || n.startsWith(':') || drop?.has(n)) continue
    const prev = out[n]
    if (prev === undefined) out[n] = v
    else if (Array.isArray(prev)) prev.push(v)
    else out[n] = [prev, v]
  }
  out.host = host
  return out
}

function isWebSocket(ex: Exchange): boolean {
  if (ex.ws) return true
  return ex.request.headers.some(([n, v]) => n.toLowerCase() === 'upgrade' && v.toLowerCase() === 'websocket')
}

async function send(
  target: Target,
  ex: Exchange,
  request: RecordedRequest,
  corr: Correlator,
  ctx: { timeoutMs: number; maxBodyBytes: number },
): Promise<TargetResponse> {
  const res = isWebSocket(ex) ? await sendWs(target, ex, request, corr, ctx) : await sendHttp(target, request, ctx)
  corr.learn(ex, res)
  return res
}

/**
 * Why the recorded request cannot be sent as it was, or undefined. A request sent without the body
 * it had is another request: both sides may answer it alike and "verify" what was never exercised.
 */
export function unsendable(request: RecordedRequest): string | undefined {
  const b = request.body
  if (b?.omitted) return `its ${b.size > 0 ? `${b.size}-byte ` : ''}body is not in the corpus (the recording left it out)`
  if (b && b.text === undefined && b.base64 === undefined && b.size > 0) {
    return `its ${b.size}-byte body is not in the corpus (${b.sha256 ? 'recorded as a hash only: larger than the recorder keeps' : 'the recording left it out'})`
  }
  const bytes = b?.text !== undefined ? Buffer.byteLength(b.text, 'utf8') : b?.base64 !== undefined ? Buffer.byteLength(b.base64, 'base64') : 0
  if (bytes > 0) return undefined
  const header = (name: string) => request.headers.find(([n]) => n.toLowerCase() === name)?.[1]
  const declared = Number(header('content-length') ?? 0)
  if (Number.isFinite(declared) && declared > 0) return `it declares a ${declared}-byte body (content-length) that is not in the corpus`
  if (/chunked/i.test(header('transfer-encoding') ?? '')) return 'it declares a chunked body that is not in the corpus'
  return undefined
}

async function sendHttp(target: Target, request: RecordedRequest, ctx: { timeoutMs: number; maxBodyBytes: number }): Promise<TargetResponse> {
  const started = performance.now()
  const fail = (code: NonNullable<TargetResponse['error']>['code'], message: string): TargetResponse => ({
    status: 0,
    headers: [],
    durationMs: round(performance.now() - started),
    error: { code, message },
  })
  const missing = unsendable(request)
  if (missing) return fail('not-sent', missing)
  let body: Buffer | undefined
  if (request.body) {
    if (request.body.text !== undefined) body = Buffer.from(request.body.text, 'utf8')
    else if (request.body.base64 !== undefined) body = Buffer.from(request.body.base64, 'base64')
    if (body?.length === 0) body = undefined
  }
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(new Error('timeout')), ctx.timeoutMs)
  try {
    const res = await target.pool.request({
      path: target.prefix + pathOf(request.url),
      method: request.method.toUpperCase() as 'GET',
      headers: forwardHeaders(request.headers, target.host),
      body,
      signal: controller.signal,
      headersTimeout: ctx.timeoutMs,
      bodyTimeout: ctx.timeoutMs,
    })
    const headers = headerList(res.headers)
    const encoding = headers
      .find(([n]) => n === 'content-encoding')?.[1]
      ?.trim()
      .toLowerCase()
    const read = await readBody(res.body, encoding, ctx.maxBodyBytes)
    const out: TargetResponse = { status: res.statusCode, headers, durationMs: round(performance.now() - started) }
    if (read.size > 0 || read.sha256) out.body = read
    return out
  } catch (e) {
    return fail(...classify(e, controller.signal.aborted))
  } finally {
    clearTimeout(timer)
  }
}

function headerList(h: Record<string, string | string[] | undefined>): Headers {
  const out: Headers = []
  for (const [n, v] of Object.entries(h)) {
    if (v === undefined) continue
    if (Array.isArray(v)) for (const x of v) out.push([n.toLowerCase(), x])
    else out.push([n.toLowerCase(), v])
  }
  return out
}

/**
 * Streams a body: kept whole up to the limit, past it only size and sha256 (memory stays bounded).
 * A gzip, br or deflate body is decoded (its content-encoding header is kept as sent), so the two
 * sides are compared on content, not on compression.
 */
async function readBody(stream: Readable, encoding: string | undefined, limit: number): Promise<Body> {
  let source: Readable = stream
  let decoder: Transform | undefined
  if (encoding === 'gzip' || encoding === 'x-gzip') decoder = createGunzip()
  else if (encoding === 'br') decoder = createBrotliDecompress()
  else if (encoding === 'deflate') decoder = createInflate()
  if (decoder) {
    stream.on('error', (e) => decoder?.destroy(e))
    source = stream.pipe(decoder)
  }
  const hash = createHash('sha256')
  let chunks: Buffer[] | undefined = []
  let size = 0
  try {
    for await (const chunk of source) {
      const buf = chunk as Buffer
      size += buf.length
      hash.update(buf)
      if (chunks) {
        if (size > limit) chunks = undefined
        else chunks.push(buf)
      }
    }
  } catch (e) {
    // A body that is not in the encoding it claims is an error of its own kind, not a timeout.
    const code = (e as { code?: string }).code ?? ''
    if (decoder && (code.startsWith('Z_') || code.includes('BROTLI'))) throw new BodyDecodeError(String(e))
    throw e
  }
  if (!chunks) return { size, sha256: hash.digest('hex') }
  return encodeBody(Buffer.concat(chunks, size))
}

class BodyDecodeError extends Error {}

const utf8 = new TextDecoder('utf-8', { fatal: true })

function encodeBody(buf: Buffer): Body {
  try {
    return { text: utf8.decode(buf), size: buf.length }
  } catch {
    return { base64: buf.toString('base64'), size: buf.length }
  }
}

function classify(e: unknown, aborted: boolean): [NonNullable<TargetResponse['error']>['code'], string] {
  const err = e as { code?: string; message?: string; cause?: { code?: string; message?: string } }
  const code = err?.code ?? err?.cause?.code ?? ''
  const message = err?.message ?? String(e)
  if (e instanceof BodyDecodeError) return ['other', `the body could not be decoded: ${message}`]
  if (aborted || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') {
    return ['timeout', `no complete answer within the timeout (${code || 'aborted'})`]
  }
  if (code === 'ECONNREFUSED') return ['refused', message]
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET' || code === 'ECONNABORTED') return ['reset', message]
  return ['other', code ? `${code}: ${message}` : message]
}

/**
 * A WebSocket exchange: open the socket on the target, send the client's messages in order, wait
 * (bounded) for as many server messages as the recording holds before each next client message,
 * then collect for a short idle window.
 */
async function sendWs(
  target: Target,
  ex: Exchange,
  request: RecordedRequest,
  corr: Correlator,
  ctx: { timeoutMs: number; maxBodyBytes: number },
): Promise<TargetResponse> {
  const started = performance.now()
  const messages: WsMessage[] = []
  const script = ex.ws ?? []
  const protocols = request.headers
    .filter(([n]) => n.toLowerCase() === 'sec-websocket-protocol')
    .flatMap(([, v]) => v.split(',').map((p) => p.trim()))
    .filter(Boolean)
  const headers = forwardHeaders(request.headers, target.host, new Set([...WS_HANDSHAKE, 'sec-websocket-protocol']))
  let status = 0
  let resHeaders: Headers = []
  let error: TargetResponse['error']
  const socket = new WebSocket(target.wsBase + pathOf(request.url), protocols, {
    headers: headers as Record<string, string>,
    handshakeTimeout: ctx.timeoutMs,
    followRedirects: false,
    maxPayload: Math.max(ctx.maxBodyBytes, 64 * 1024),
    perMessageDeflate: false,
  })
  let waiter: (() => void) | undefined
  let closed = false
  const wake = (): void => {
    const w = waiter
    waiter = undefined
    w?.()
  }
  socket.on('upgrade', (res) => {
    status = res.statusCode ?? 101
    resHeaders = headerList(res.headers)
  })
  socket.on('unexpected-response', (_req, res) => {
    status = res.statusCode ?? 0
    resHeaders = headerList(res.headers)
    error = { code: 'other', message: `the server answered ${status} instead of upgrading` }
    res.resume()
    socket.terminate()
  })
  socket.on('message', (data, isBinary) => {
    const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer)
    messages.push({
      dir: 'in',
      type: isBinary ? 'binary' : 'text',
      data: isBinary ? buf.toString('base64') : buf.toString('utf8'),
      at: round(performance.now() - started),
    })
    wake()
  })
  socket.on('error', (e) => {
    if (!error) error = { code: classify(e, false)[0], message: e.message }
    if (/timeout/i.test(e.message)) error = { code: 'timeout', message: e.message }
  })
  socket.on('close', () => {
    closed = true
    wake()
  })
  const waitFor = (pred: () => boolean, ms: number): Promise<void> =>
    new Promise((resolve) => {
      if (pred() || closed) return resolve()
      const timer = setTimeout(() => {
        waiter = undefined
        resolve()
      }, ms)
      const check = (): void => {
        if (pred() || closed) {
          clearTimeout(timer)
          resolve()
        } else waiter = check
      }
      waiter = check
    })

  socket.on('open', wake)
  await waitFor(() => socket.readyState === WebSocket.OPEN, ctx.timeoutMs)
  if (socket.readyState === WebSocket.OPEN) {
    let expectedIn = 0
    const budgetEnd = performance.now() + ctx.timeoutMs
    for (const m of script) {
      if (m.dir === 'in') {
        expectedIn++
        continue
      }
      const want = expectedIn
      await waitFor(() => inCount(messages) >= want, Math.min(WS_MESSAGE_WAIT_MS, Math.max(0, budgetEnd - performance.now())))
      if (socket.readyState !== WebSocket.OPEN) break
      const payload = m.type === 'binary' ? Buffer.from(m.data, 'base64') : corr.applyText(m.data)
      socket.send(payload, { binary: m.type === 'binary' })
      messages.push({ dir: 'out', type: m.type, data: m.type === 'binary' ? m.data : (payload as string), at: round(performance.now() - started) })
    }
    const want = expectedIn
    await waitFor(() => inCount(messages) >= want, Math.min(WS_MESSAGE_WAIT_MS, Math.max(0, budgetEnd - performance.now())))
    // A short idle window for messages the recording did not have (bounded by the count of waits).
    for (let i = 0; i < 20 && !closed; i++) {
      const before = messages.length
      await waitFor(() => messages.length > before, WS_IDLE_MS)
      if (messages.length === before) break
    }
    socket.close(1000)
    await waitFor(() => closed, 500)
    if (!closed) socket.terminate()
  } else {
    if (!error) error = { code: 'timeout', message: 'the WebSocket did not open within the timeout' }
    socket.terminate()
  }
  const out: TargetResponse = { status, headers: resHeaders, durationMs: round(performance.now() - started), ws: messages.filter((m) => m.dir === 'in') }
  if (error && status !== 101) out.error = error
  return out
}

function inCount(messages: WsMessage[]): number {
  let n = 0
  for (const m of messages) if (m.dir === 'in') n++
  return n
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100
}
