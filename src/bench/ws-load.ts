/**
 * WebSocket fan-out load: N clients hold a connection open, one publisher sends messages that the
 * server broadcasts, and every client's receipt is timed against the message's send time.
 */
import WebSocket from 'ws'
import { ParityError } from '../model/errors.js'
import { createLatencyHistogram } from './histogram.js'
import type { WsFanoutResult } from '../model/bench.js'

export type { WsFanoutResult }

export interface WsFanoutOptions {
  /** ws:// base URL. */
  url: string
  /** Appended to the URL (`/ws`). */
  path?: string
  /** Subscribers held open. */
  connections: number
  /** Messages the publisher sends. */
  messages: number
  /** Between two messages (ms, default 10). */
  intervalMs?: number
  /**
   * The message text for message i (default `{"i":i,"t":sendTime}`). For latency, the broadcast copy
   * must be JSON with the same `i` (its send time is kept here) or a `t` of performance.now() at sending.
   */
  publish?: (i: number) => string
  /** For connecting, and for the last broadcasts after the final message (ms, default 10 000). */
  timeoutMs?: number
}

const DEFAULT_TIMEOUT_MS = 10_000

export async function runWsFanout(opts: WsFanoutOptions): Promise<WsFanoutResult> {
  const target = wsUrl(opts)
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const intervalMs = opts.intervalMs ?? 10
  const hist = createLatencyHistogram()
  const sentAt = new Float64Array(opts.messages)
  let received = 0
  const expected = () => connected * published
  let connected = 0
  let published = 0
  let allIn: () => void = () => {}

  const onMessage = (data: WebSocket.RawData) => {
    const now = performance.now()
    let msg: unknown
    try {
      msg = JSON.parse(String(data))
    } catch {
      return
    }
    if (typeof msg !== 'object' || msg === null) return
    const { i, t } = msg as { i?: unknown; t?: unknown }
    const from = typeof t === 'number' ? t : typeof i === 'number' && i >= 0 && i < published ? sentAt[i]! : undefined
    if (from === undefined) return
    received++
    hist.record((now - from) * 1000)
    if (published === opts.messages && received >= expected()) allIn()
  }

  const sockets: WebSocket[] = []
  const open = (subscriber: boolean) =>
    new Promise<WebSocket | undefined>((resolve) => {
      const ws = new WebSocket(target, { perMessageDeflate: false })
      sockets.push(ws)
      const timer = setTimeout(() => {
        ws.terminate()
        resolve(undefined)
      }, timeoutMs)
      ws.once('open', () => {
        clearTimeout(timer)
        if (subscriber) ws.on('message', onMessage)
        resolve(ws)
      })
      ws.on('error', () => {
        // before open: a failed connection; after: the close that follows is enough
        clearTimeout(timer)
        resolve(undefined)
      })
    })

  try {
    const clients = await Promise.all(Array.from({ length: opts.connections }, () => open(true)))
    connected = clients.filter(Boolean).length
    const publisher = await open(false)
    if (publisher) {
      for (let i = 0; i < opts.messages; i++) {
        if (publisher.readyState !== WebSocket.OPEN) break
        const t = performance.now()
        sentAt[i] = t
        published = i + 1
        publisher.send(opts.publish ? opts.publish(i) : JSON.stringify({ i, t }))
        if (i + 1 < opts.messages) await sleep(intervalMs)
      }
      // The last broadcasts: until every client has every message, or the timeout.
      if (received < expected()) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, timeoutMs)
          allIn = () => {
            clearTimeout(timer)
            resolve()
          }
        })
      }
    }
  } finally {
    for (const ws of sockets) ws.terminate()
  }
  return {
    connected,
    failed: opts.connections - connected,
    successRate: opts.connections > 0 ? connected / opts.connections : 0,
    published,
    received,
    latency: hist.summary(),
  }
}

function wsUrl(opts: WsFanoutOptions): string {
  let u: URL
  try {
    u = new URL(opts.url)
  } catch {
    throw new ParityError('BAD_URL', `${opts.url} is not a URL`, 'give a WebSocket URL like ws://127.0.0.1:3000')
  }
  if (u.protocol !== 'ws:')
    throw new ParityError('BAD_URL', `${opts.url}: only ws: targets can be loaded`, 'give the plain WebSocket address, e.g. ws://127.0.0.1:3000/ws')
  if (!Number.isInteger(opts.connections) || opts.connections < 1 || !Number.isInteger(opts.messages) || opts.messages < 1) {
    throw new ParityError(
      'BAD_LOAD_OPTIONS',
      `connections and messages must be positive integers (got ${opts.connections}, ${opts.messages})`,
      'e.g. connections: 100, messages: 50',
    )
  }
  if (opts.path) u.pathname = u.pathname.replace(/\/+$/, '') + (opts.path.startsWith('/') ? opts.path : `/${opts.path}`)
  return u.href
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}
