/**
 * The pass-through core shared by the recording proxy and shadow mode: forwards one client request
 * to the configured target and streams the answer back as it arrives (status, reason, headers in
 * their order with repeats, chunked framing, trailers), while tapping both bodies for the record.
 * Uses node:http rather than undici on purpose: raw header order and repeats, and chunks written as
 * they come, are what "unchanged" means here.
 */
import { createHash, type Hash } from 'node:crypto'
import http, { type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import https from 'node:https'
import type { Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import { ParityError } from '../model/errors.js'
import { toBody } from './corpus.js'
import type { Body, Headers, RecordedRequest, RecordedResponse, WsMessage } from '../model/exchange.js'
import { WsFrameReader } from './ws-frames.js'

/** Hop-by-hop headers (RFC 9110 §7.6.1): they describe one connection, so they are not forwarded. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'te', 'upgrade', 'expect'])

/** Validates a target base URL (`http://127.0.0.1:3000`); only http and https are accepted. */
export function parseTarget(value: string, label: string): URL {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new ParityError('BAD_TARGET', `${label} is not a URL: ${JSON.stringify(value)}`, `pass a base URL such as http://127.0.0.1:3000`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ParityError('BAD_TARGET', `${label} must be an http or https URL: ${value}`, `pass a base URL such as http://127.0.0.1:3000`)
  }
  return url
}

/** Joins the target's base path with a request's path and query; an absolute-form URL keeps only its path. */
export function targetPath(target: URL, requestUrl: string): string {
  let path = requestUrl
  if (!path.startsWith('/')) {
    try {
      const u = new URL(path)
      path = u.pathname + u.search
    } catch {
      path = `/${path}`
    }
  }
  const base = target.pathname.replace(/\/+$/, '')
  return base + path
}

/** How long a request still uploading after its answer may go on before it is recorded as far as it came. */
const UPLOAD_GRACE_MS = 5000
/**
 * Uploads larger than this wait EARLY_ANSWER_WAIT_MS for an answer to their headers before the body
 * is streamed. A server that answers on the headers (401, 413) and closes with the body unread resets
 * the connection; a proxy that is still writing the body then meets the reset before it has read the
 * answer, and its client would get a 502 where a direct client gets the 413.
 */
const EARLY_ANSWER_BYTES = 1024 * 1024
const EARLY_ANSWER_WAIT_MS = 100

/** Collects a body as it streams: kept whole up to `limit` bytes, past it only size and sha256. */
export class BodyTap {
  private chunks: Buffer[] = []
  private kept = 0
  private hash: Hash = createHash('sha256')
  size = 0
  overflow = false

  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    this.size += chunk.length
    this.hash.update(chunk)
    if (this.overflow) return
    if (this.kept + chunk.length > this.limit) {
      this.overflow = true
      this.chunks = []
      return
    }
    this.chunks.push(chunk)
    this.kept += chunk.length
  }

  /** The whole bytes, or undefined once past the limit. */
  bytes(): Buffer | undefined {
    return this.overflow ? undefined : Buffer.concat(this.chunks)
  }

  /** The body as stored in a corpus; undefined when empty. */
  body(): Body | undefined {
    if (this.size === 0) return undefined
    // A copy's digest: chunks that still arrive (an upload the server answered before reading) can be hashed after.
    if (this.overflow) return { size: this.size, sha256: this.hash.copy().digest('hex') }
    return toBody(Buffer.concat(this.chunks), Infinity)
  }
}

/** Raw `[name, value, name, value]` into lower-cased pairs, order and repeats kept. */
export function headersFromRaw(raw: string[]): Headers {
  const out: Headers = []
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i]!.toLowerCase(), raw[i + 1]!])
  return out
}

/** Request headers as sent upstream: hop-by-hop dropped, Host set to the target's. */
function upstreamRequestHeaders(raw: string[], host: string, upgrade: boolean): string[] {
  const out: string[] = []
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!
    const lower = name.toLowerCase()
    if (lower === 'host') {
      out.push(name, host)
      continue
    }
    // For an upgrade, Connection and Upgrade are the point. Compression is not offered, so that
    // frames can be read for the record (the handshake is otherwise forwarded as is).
    if (upgrade && (lower === 'connection' || lower === 'upgrade')) out.push(name, raw[i + 1]!)
    else if (upgrade && lower === 'sec-websocket-extensions') continue
    else if (!HOP_BY_HOP.has(lower)) out.push(name, raw[i + 1]!)
  }
  return out
}

/** Response headers for the client: the connection-level ones belong to the client's own connection. */
function clientResponseHeaders(raw: string[]): string[] {
  const out: string[] = []
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const lower = raw[i]!.toLowerCase()
    if (lower === 'connection' || lower === 'keep-alive' || lower === 'proxy-connection') continue
    out.push(raw[i]!, raw[i + 1]!)
  }
  return out
}

/** One forwarded exchange, reported once the client's answer has been written (or failed). */
export interface PassThroughResult {
  request: RecordedRequest
  /** The full request bytes, when within the limit (shadow mode mirrors them). */
  requestBytes?: Buffer
  response?: RecordedResponse
  startedAt: string
  durationMs: number
  /** Set when the target failed or a side hung up before the answer was complete. */
  error?: { code: 'refused' | 'reset' | 'other'; message: string }
  ws?: WsMessage[]
}

export interface PassThroughOptions {
  target: URL
  agent: http.Agent
  maxBodyBytes: number
  /**
   * Sees the answer before the client can act on it: its headers as they arrive, its body (within
   * `maxBodyBytes`) as soon as it is whole, before the client's side is ended (the recorder's sessions).
   */
  observe?: { headers?(headers: Headers): void; body?(headers: Headers, bytes: Buffer): void }
}

function requestFor(target: URL): typeof http.request {
  return target.protocol === 'https:' ? https.request : http.request
}

function errorCode(e: NodeJS.ErrnoException): 'refused' | 'reset' | 'other' {
  if (e.code === 'ECONNREFUSED') return 'refused'
  if (e.code === 'ECONNRESET' || e.code === 'EPIPE') return 'reset'
  return 'other'
}

/** Forwards one request to the target and streams the answer to the client. */
export function passThrough(req: IncomingMessage, res: ServerResponse, options: PassThroughOptions, done: (r: PassThroughResult) => void): void {
  const { target } = options
  const started = Date.now()
  const startedAt = new Date(started).toISOString()
  const path = targetPath(target, req.url ?? '/')
  const headers = upstreamRequestHeaders(req.rawHeaders, target.host, false)
  const request: RecordedRequest = { method: req.method ?? 'GET', url: req.url ?? '/', headers: headersFromRaw(headers) }
  const requestTap = new BodyTap(options.maxBodyBytes)
  const responseTap = new BodyTap(options.maxBodyBytes)
  let finished = false
  const finish = (r: Omit<PassThroughResult, 'request' | 'startedAt' | 'durationMs'>): void => {
    if (finished) return
    finished = true
    const durationMs = Date.now() - started
    let recorded = false
    const record = () => {
      if (recorded) return
      recorded = true
      const body = requestTap.body()
      if (body) request.body = body
      const bytes = requestTap.bytes()
      done({ request, ...(bytes ? { requestBytes: bytes } : {}), startedAt, durationMs, ...r })
    }
    // A server may answer (401, 413) before it has read a large upload: the request is recorded once
    // the client has finished sending it (or gone), at most a few seconds later.
    if (req.complete || req.destroyed) return record()
    // The target will read no more: read the rest of the upload here (counted, not kept past the limit) so that it ends.
    req.unpipe(upstream)
    req.resume()
    const timer = setTimeout(record, UPLOAD_GRACE_MS)
    timer.unref()
    const settle = () => {
      clearTimeout(timer)
      record()
    }
    req.once('end', settle)
    req.once('close', settle)
    // The request's own 'close' may have come with the answer: the client's connection ending ends the upload too.
    req.socket?.once('close', settle)
  }

  res.sendDate = false // the target's Date (or its absence) passes through
  const upstream = requestFor(target)({
    protocol: target.protocol,
    hostname: target.hostname,
    port: target.port,
    method: req.method,
    path,
    headers,
    agent: options.agent,
  })
  // Large uploads: headers first, then the body, unless the target has answered meanwhile.
  const declared = Number(req.headers['content-length'] ?? 0)
  const large = declared > EARLY_ANSWER_BYTES || (req.headers['content-length'] === undefined && /chunked/i.test(req.headers['transfer-encoding'] ?? ''))
  let bodyStarted = false
  const sendBody = () => {
    if (bodyStarted) return
    bodyStarted = true
    req.pipe(upstream)
  }
  upstream.on('response', (up) => {
    if (!bodyStarted) {
      // Answered on the headers: the body is not sent, and this connection, its request unfinished, is not reused.
      bodyStarted = true
      up.once('end', () => upstream.destroy())
    }
    // Recorded as the client gets them: the proxy-to-target connection's own headers are not part of the answer.
    const passed = clientResponseHeaders(up.rawHeaders)
    const response: RecordedResponse = { status: up.statusCode ?? 0, headers: headersFromRaw(passed) }
    options.observe?.headers?.(response.headers)
    res.writeHead(up.statusCode ?? 502, up.statusMessage, passed)
    res.flushHeaders()
    // Each chunk is written as it arrives; the target waits while the client's socket is full.
    up.on('data', (chunk: Buffer) => {
      responseTap.push(chunk)
      if (!res.write(chunk)) up.pause()
    })
    res.on('drain', () => up.resume())
    up.on('end', () => {
      // 'end' comes on the tick after the last chunk, before any more I/O: the client cannot have sent its next request yet.
      const bytes = options.observe?.body ? responseTap.bytes() : undefined
      if (bytes) options.observe?.body?.(response.headers, bytes)
      if (up.rawTrailers.length > 0) res.addTrailers(pairs(up.rawTrailers))
      res.end(() => {
        const body = responseTap.body()
        if (body) response.body = body
        finish({ response })
      })
    })
    up.on('error', (e: NodeJS.ErrnoException) => {
      res.destroy()
      finish({ response, error: { code: errorCode(e), message: e.message } })
    })
    up.on('aborted', () => {
      res.destroy()
      finish({ response, error: { code: 'reset', message: 'the target closed the connection mid-answer' } })
    })
  })
  upstream.on('error', (e: NodeJS.ErrnoException) => {
    if (!res.headersSent) {
      const text = `parity: the target ${target.origin} did not answer (${e.code ?? e.message})\n`
      res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) })
      res.end(text)
    } else {
      res.destroy()
    }
    finish({ error: { code: errorCode(e), message: e.message } })
  })
  res.on('close', () => {
    if (!res.writableFinished) {
      upstream.destroy()
      finish({ error: { code: 'reset', message: 'the client closed the connection before the answer was complete' } })
    }
  })
  req.on('data', (chunk: Buffer) => requestTap.push(chunk))
  if (!large) return sendBody()
  req.pause()
  upstream.flushHeaders()
  const wait = setTimeout(sendBody, EARLY_ANSWER_WAIT_MS)
  upstream.once('response', () => clearTimeout(wait))
  upstream.once('error', () => clearTimeout(wait))
}

function pairs(raw: string[]): Array<[string, string]> {
  const out: Array<[string, string]> = []
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i]!, raw[i + 1]!])
  return out
}

/**
 * Passes a WebSocket upgrade through: the handshake goes to the target, its answer back to the
 * client, then both sockets are piped byte for byte while each direction is read for messages.
 * `done` fires once, when the connection is over.
 */
export function passUpgrade(req: IncomingMessage, client: Duplex, head: Buffer, options: PassThroughOptions, done: (r: PassThroughResult) => void): void {
  const { target } = options
  const started = Date.now()
  const startedAt = new Date(started).toISOString()
  const headers = upstreamRequestHeaders(req.rawHeaders, target.host, true)
  const request: RecordedRequest = { method: req.method ?? 'GET', url: req.url ?? '/', headers: headersFromRaw(headers) }
  let finished = false
  const finish = (r: Omit<PassThroughResult, 'request' | 'startedAt' | 'durationMs'>): void => {
    if (finished) return
    finished = true
    done({ request, startedAt, durationMs: Date.now() - started, ...r })
  }
  client.on('error', () => {})
  const upstream = requestFor(target)({
    protocol: target.protocol,
    hostname: target.hostname,
    port: target.port,
    method: req.method,
    path: targetPath(target, req.url ?? '/'),
    headers,
    agent: false,
  })
  upstream.on('upgrade', (up, socket: Socket, upHead: Buffer) => {
    const response: RecordedResponse = { status: up.statusCode ?? 101, headers: headersFromRaw(up.rawHeaders) }
    const messages: WsMessage[] = []
    const opened = Date.now()
    const outReader = new WsFrameReader()
    const inReader = new WsFrameReader()
    const record = (dir: 'in' | 'out', reader: WsFrameReader, chunk: Buffer): void => {
      for (const m of reader.push(chunk)) {
        messages.push({ dir, type: m.type, data: m.type === 'text' ? m.data.toString('utf8') : m.data.toString('base64'), at: Date.now() - opened })
      }
    }
    socket.on('error', () => {})
    client.write(`${statusLine(up) + rawHeaderLines(up.rawHeaders)}\r\n`)
    if (upHead.length > 0) {
      record('in', inReader, upHead)
      client.write(upHead)
    }
    if (head.length > 0) {
      record('out', outReader, head)
      socket.write(head)
    }
    socket.on('data', (chunk: Buffer) => record('in', inReader, chunk))
    client.on('data', (chunk: Buffer) => record('out', outReader, chunk))
    socket.pipe(client)
    client.pipe(socket)
    const over = (): void => {
      socket.destroy()
      client.destroy()
      finish({ response, ws: messages })
    }
    socket.on('close', over)
    client.on('close', over)
  })
  upstream.on('response', (up) => {
    // The target refused the upgrade: its answer goes back whole, and the connection ends.
    const tap = new BodyTap(options.maxBodyBytes)
    const all: Buffer[] = []
    up.on('data', (chunk: Buffer) => {
      tap.push(chunk)
      all.push(chunk)
    })
    up.on('end', () => {
      const bytes = Buffer.concat(all)
      const raw: string[] = []
      for (let i = 0; i + 1 < up.rawHeaders.length; i += 2) {
        const name = up.rawHeaders[i]!.toLowerCase()
        if (name === 'transfer-encoding' || name === 'content-length' || name === 'connection' || name === 'keep-alive') continue
        raw.push(up.rawHeaders[i]!, up.rawHeaders[i + 1]!)
      }
      client.end(
        `${statusLine(up) + rawHeaderLines([...raw, 'content-length', String(bytes.length), 'connection', 'close'])}\r\n${bytes.toString('latin1')}`,
        'latin1',
      )
      const response: RecordedResponse = { status: up.statusCode ?? 0, headers: headersFromRaw(clientResponseHeaders(up.rawHeaders)) }
      const body = tap.body()
      if (body) response.body = body
      finish({ response })
    })
    up.on('error', () => client.destroy())
  })
  upstream.on('error', (e: NodeJS.ErrnoException) => {
    client.end('HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\nconnection: close\r\n\r\n')
    finish({ error: { code: errorCode(e), message: e.message } })
  })
  client.on('close', () => {
    if (!finished) upstream.destroy()
  })
  upstream.end()
}

function statusLine(up: IncomingMessage): string {
  return `HTTP/${up.httpVersion} ${up.statusCode} ${up.statusMessage ?? ''}\r\n`
}

function rawHeaderLines(raw: string[]): string {
  let s = ''
  for (let i = 0; i + 1 < raw.length; i += 2) s += `${raw[i]}: ${raw[i + 1]}\r\n`
  return s
}

/** Listens on host:port (0 = a free port); a port in use is a ParityError. */
export function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException): void => {
      reject(new ParityError('LISTEN_FAILED', `cannot listen on ${host}:${port}: ${e.code ?? e.message}`, 'choose another --listen port, or 0 for a free one'))
    }
    server.once('error', onError)
    server.listen(port, host, () => {
      server.off('error', onError)
      const address = server.address()
      resolve(typeof address === 'object' && address ? address.port : port)
    })
  })
}

/** Stops a server: no new connections, open ones (keep-alive, upgraded) closed. */
export function closeServer(server: Server, upgraded: Set<Duplex>): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve())
    server.closeAllConnections()
    for (const s of upgraded) s.destroy()
  })
}

/** A client connection is a session: each gets an id and numbers its requests. */
export class Sessions {
  private readonly ids = new WeakMap<object, { id: string; seq: number }>()
  private next = 0
  constructor(private readonly prefix: string) {}

  take(socket: object): { session: string; seq: number } {
    let s = this.ids.get(socket)
    if (!s) {
      s = { id: `${this.prefix}.${++this.next}`, seq: 0 }
      this.ids.set(socket, s)
    }
    return { session: s.id, seq: s.seq++ }
  }
}
