/**
 * The load generator. Raw TCP sockets with requests serialised once into buffers and a minimal
 * HTTP/1.1 response parser: measured faster than undici's `Client.dispatch()` with a no-op handler
 * (bench/generator.mjs prints both), and the generator's cost is what limits what we can measure.
 *
 * Closed model: `connections` loops, each sends its next request when the previous one answers.
 * Open model (`rate`): request i is due at start + i / rate; it goes out on any free connection,
 * or waits for one, and its latency counts from when it was due (wrk2's correction of coordinated
 * omission). A failed request is data (errorsByKind), never an exception.
 */
import { connect, type Socket } from 'node:net'
import { ParityError } from '../model/errors.js'
import { createLatencyHistogram, type LatencyHistogram } from './histogram.js'
import type { LoadOptions, LoadResult, RequestTemplate } from '../model/bench.js'

const DEFAULT_WARMUP_MS = 2000
const DEFAULT_TIMEOUT_MS = 10_000
/** The longest a Node timer waits; past it, it fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1
/** After the window, how long requests in flight may still answer before they count as timeouts. */
const DRAIN_MS = 2000
const PROGRESS_MS = 250
/** Wait before retrying a connection the target refused, so that a dead target is not spun on. */
const RECONNECT_BACKOFF_MS = 50
const MAX_HEAD_BYTES = 64 * 1024

const ERROR_KINDS = ['timeout', 'connect', 'status-5xx', 'status-4xx', 'other'] as const
type ErrorKind = (typeof ERROR_KINDS)[number]

const CRLFCRLF = Buffer.from('\r\n\r\n')

// Parser states.
const HEAD = 0
const BODY = 1
const CHUNK_SIZE = 2
const CHUNK_DATA = 3
const CHUNK_CRLF = 4
const TRAILER = 5
const UNTIL_CLOSE = 6

/** `drain`: the window is over, no request goes out, the answers of those in flight still count (for a bounded time). */
type Phase = 'connecting' | 'warmup' | 'measure' | 'drain' | 'done'

/** Run one load measurement against `opts.url`. Resolves with the figures; throws only for bad options. */
export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const run = new LoadRun(opts)
  return run.start()
}

/** Like runLoad, with the measured window's latency histogram, so that trials can be merged into one. */
export async function measureLoad(opts: LoadOptions): Promise<{ result: LoadResult; histogram: LatencyHistogram }> {
  const run = new LoadRun(opts)
  const result = await run.start()
  return { result, histogram: run.hist }
}

/** Each request of the mix as the bytes sent on the wire, and whether its answer has a body. */
export interface SerialisedRequest {
  bytes: Buffer
  head: boolean
}

/** Serialise the templates against a base URL (its path prefix is kept). */
export function serialiseRequests(base: URL, requests: RequestTemplate[]): SerialisedRequest[] {
  const prefix = base.pathname.replace(/\/+$/, '')
  return requests.map((r) => {
    const method = r.method.toUpperCase()
    const path = prefix + (r.path.startsWith('/') ? r.path : `/${r.path}`)
    const headers = r.headers ?? []
    const has = (name: string) => headers.some(([n]) => n.toLowerCase() === name)
    let head = `${method} ${path} HTTP/1.1\r\n`
    if (!has('host')) head += `Host: ${base.host}\r\n`
    for (const [n, v] of headers) head += `${n}: ${v}\r\n`
    const body = r.body === undefined ? undefined : Buffer.from(r.body)
    if (body && !has('content-length') && !has('transfer-encoding')) head += `Content-Length: ${body.length}\r\n`
    else if (!body && (method === 'POST' || method === 'PUT' || method === 'PATCH') && !has('content-length')) head += 'Content-Length: 0\r\n'
    head += '\r\n'
    const bytes = body ? Buffer.concat([Buffer.from(head, 'latin1'), body]) : Buffer.from(head, 'latin1')
    return { bytes, head: method === 'HEAD' }
  })
}

/**
 * A deterministic weighted order of the templates (smooth weighted round-robin, as nginx): each
 * template appears in proportion to its weight and as evenly spread as can be. One cycle.
 */
export function weightedSequence(weights: number[], maxLength = 10_000): Uint32Array {
  const w = weights.map((x) => (Number.isFinite(x) && x > 0 ? x : 0))
  const total = w.reduce((a, b) => a + b, 0)
  if (total === 0) return Uint32Array.from(weights.map((_, i) => i))
  const integral = w.every((x) => Number.isInteger(x))
  const length = integral && total <= maxLength ? total : maxLength
  const current = new Array<number>(w.length).fill(0)
  const seq = new Uint32Array(length)
  for (let s = 0; s < length; s++) {
    let best = 0
    for (let i = 0; i < w.length; i++) {
      current[i]! += w[i]!
      if (current[i]! > current[best]!) best = i
    }
    current[best]! -= total
    seq[s] = best
  }
  return seq
}

function validate(opts: LoadOptions): URL {
  let url: URL
  try {
    url = new URL(opts.url)
  } catch {
    throw new ParityError('BAD_URL', `${opts.url} is not a URL`, 'give a base URL like http://127.0.0.1:3000')
  }
  if (url.protocol !== 'http:')
    throw new ParityError(
      'BAD_URL',
      `${opts.url}: only http: targets can be loaded`,
      'give the plain-HTTP address the server listens on, e.g. http://127.0.0.1:3000',
    )
  const bad = (message: string, hint: string) => new ParityError('BAD_LOAD_OPTIONS', message, hint)
  if (!opts.requests.length) throw bad('no requests to send', 'give at least one request template, e.g. { method: "GET", path: "/" }')
  if (!Number.isInteger(opts.connections) || opts.connections < 1)
    throw bad(`connections must be a positive integer, got ${opts.connections}`, 'e.g. connections: 50')
  if (opts.durationMs === undefined && opts.count === undefined) throw bad('neither durationMs nor count is set', 'set durationMs (e.g. 10000), count, or both')
  if (opts.durationMs !== undefined && !(opts.durationMs > 0)) throw bad(`durationMs must be positive, got ${opts.durationMs}`, 'e.g. durationMs: 10000')
  // A timer past 2^31 - 1 ms fires at once: every request would time out, a window would end at its start.
  for (const [name, ms] of [
    ['durationMs', opts.durationMs],
    ['timeoutMs', opts.timeoutMs],
    ['warmupMs', opts.warmupMs],
  ] as const) {
    if (ms !== undefined && ms > MAX_TIMER_MS) throw bad(`${name} ${ms} is longer than a timer can wait (${MAX_TIMER_MS} ms)`, 'give at most a day')
  }
  if (opts.count !== undefined && !(Number.isInteger(opts.count) && opts.count > 0))
    throw bad(`count must be a positive integer, got ${opts.count}`, 'e.g. count: 10000')
  if (opts.rate !== undefined && !(opts.rate > 0)) throw bad(`rate must be positive, got ${opts.rate}`, 'requests per second, e.g. rate: 1000')
  if (opts.pipelining !== undefined && !(Number.isInteger(opts.pipelining) && opts.pipelining >= 1))
    throw bad(`pipelining must be an integer >= 1, got ${opts.pipelining}`, 'leave it unset (1) unless the target is meant to take pipelined requests')
  return url
}

/** One keep-alive connection: its socket, its requests in flight (FIFO) and the response parser. */
class Conn {
  socket: Socket | null = null
  connected = false
  connectingSince = 0
  /** Requests in flight: the time each counts from (intended or sent), when it went out, its template. */
  readonly from: number[] = []
  readonly sentAt: number[] = []
  readonly tpl: number[] = []
  head = 0
  inflight = 0
  // Parser.
  state = HEAD
  partial: Buffer | null = null
  remaining = 0
  status = 0
  closeAfter = false
  chunkSize = 0
  chunkExt = false
  lineLen = 0
  free = false

  constructor(readonly run: LoadRun) {}

  open(): void {
    const run = this.run
    const socket = connect({ host: run.host, port: run.port })
    this.socket = socket
    this.connected = false
    this.connectingSince = performance.now()
    this.resetParser()
    socket.setNoDelay(true)
    let failure: NodeJS.ErrnoException | undefined
    socket.on('connect', () => {
      if (this.socket !== socket) return
      this.connected = true
      run.ready(this)
    })
    socket.on('data', (chunk: Buffer) => {
      if (this.socket === socket) this.onData(chunk)
    })
    socket.on('error', (e: NodeJS.ErrnoException) => {
      failure = e
    })
    socket.on('close', () => {
      if (this.socket !== socket) return
      this.socket = null
      run.closed(this, failure)
    })
  }

  send(from: number, now: number, tpl: number): void {
    this.from.push(from)
    this.sentAt.push(now)
    this.tpl.push(tpl)
    this.inflight++
    this.socket!.write(this.run.wire[tpl]!.bytes)
  }

  /** Drop the socket without its close event counting (the caller has accounted for what was in flight). */
  drop(): void {
    const s = this.socket
    this.socket = null
    this.connected = false
    this.clearInflight()
    s?.destroy()
  }

  clearInflight(): void {
    this.from.length = 0
    this.sentAt.length = 0
    this.tpl.length = 0
    this.head = 0
    this.inflight = 0
  }

  resetParser(): void {
    this.state = HEAD
    this.partial = null
    this.remaining = 0
    this.closeAfter = false
  }

  onData(chunk: Buffer): void {
    let buf = chunk
    let off = 0
    if (this.partial) {
      buf = Buffer.concat([this.partial, chunk])
      this.partial = null
    }
    const len = buf.length
    while (off < len) {
      const state = this.state
      if (state === HEAD) {
        const end = buf.indexOf(CRLFCRLF, off)
        if (end < 0) {
          if (len - off > MAX_HEAD_BYTES) return this.fail('other')
          this.partial = buf.subarray(off)
          return
        }
        if (this.inflight === 0) return this.fail('other')
        if (!this.parseHead(buf, off, end)) return this.fail('other')
        off = end + 4
        if (this.status >= 100 && this.status < 200) continue // interim answer: the real one follows
        if (this.state === HEAD) {
          if (!this.complete()) return
        }
      } else if (state === BODY) {
        const n = len - off
        if (n < this.remaining) {
          this.remaining -= n
          return
        }
        off += this.remaining
        this.remaining = 0
        this.state = HEAD
        if (!this.complete()) return
      } else if (state === UNTIL_CLOSE) {
        return
      } else if (state === CHUNK_DATA) {
        const n = len - off
        if (n < this.remaining) {
          this.remaining -= n
          return
        }
        off += this.remaining
        this.remaining = 2
        this.state = CHUNK_CRLF
      } else if (state === CHUNK_CRLF) {
        const n = Math.min(len - off, this.remaining)
        off += n
        this.remaining -= n
        if (this.remaining === 0) {
          this.state = CHUNK_SIZE
          this.chunkSize = 0
          this.chunkExt = false
        }
      } else if (state === CHUNK_SIZE) {
        const c = buf[off++]!
        if (c === 10) {
          if (this.chunkSize === 0) {
            this.state = TRAILER
            this.lineLen = 0
          } else {
            this.state = CHUNK_DATA
            this.remaining = this.chunkSize
          }
        } else if (c === 13 || this.chunkExt) {
          // end of line or a chunk extension: skip
        } else if (c === 59) {
          this.chunkExt = true
        } else {
          const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1
          if (d < 0) {
            if (c === 32 || c === 9) continue
            return this.fail('other')
          }
          this.chunkSize = this.chunkSize * 16 + d
        }
      } else {
        // TRAILER: lines until an empty one.
        const c = buf[off++]!
        if (c === 10) {
          if (this.lineLen === 0) {
            this.state = HEAD
            if (!this.complete()) return
          }
          this.lineLen = 0
        } else if (c !== 13) this.lineLen++
      }
    }
  }

  /** Status line and the three headers that frame the body. False when it is not HTTP. */
  private parseHead(buf: Buffer, start: number, end: number): boolean {
    // "HTTP/1.x NNN"
    if (buf[start] !== 72 || buf[start + 8] !== 32) return false
    const s = (buf[start + 9]! - 48) * 100 + (buf[start + 10]! - 48) * 10 + (buf[start + 11]! - 48)
    if (!(s >= 100 && s <= 999)) return false
    this.status = s
    const head = buf.toString('latin1', start, end).toLowerCase()
    this.closeAfter = buf[start + 7] === 48 // HTTP/1.0 closes unless told otherwise
    let length = -1
    let chunked = false
    let i = head.indexOf('\r\n')
    while (i >= 0 && i < head.length) {
      const next = head.indexOf('\r\n', i + 2)
      const lineEnd = next < 0 ? head.length : next
      const colon = head.indexOf(':', i + 2)
      if (colon > 0 && colon < lineEnd) {
        const name = head.slice(i + 2, colon)
        if (name === 'content-length') length = Number.parseInt(head.slice(colon + 1, lineEnd).trim(), 10)
        else if (name === 'transfer-encoding') chunked = head.slice(colon + 1, lineEnd).includes('chunked')
        else if (name === 'connection') {
          const v = head.slice(colon + 1, lineEnd)
          if (v.includes('close')) this.closeAfter = true
          else if (v.includes('keep-alive')) this.closeAfter = false
        }
      }
      i = next
    }
    if (s < 200) {
      this.state = HEAD
      return true
    }
    if (this.run.wire[this.tpl[this.head]!]!.head || s === 204 || s === 304) this.state = HEAD
    else if (chunked) {
      this.state = CHUNK_SIZE
      this.chunkSize = 0
      this.chunkExt = false
    } else if (length >= 0) {
      this.state = length === 0 ? HEAD : BODY
      this.remaining = length
    } else this.state = UNTIL_CLOSE
    return true
  }

  /** One response is whole. False when the connection is gone (closed after it). */
  complete(): boolean {
    const h = this.head
    const from = this.from[h]!
    this.head = h + 1
    this.inflight--
    if (this.inflight === 0) {
      this.from.length = 0
      this.sentAt.length = 0
      this.tpl.length = 0
      this.head = 0
    }
    const status = this.status
    this.run.response(from, status)
    if (this.closeAfter) {
      if (this.inflight > 0) this.run.fail(this.inflight, 'connect')
      this.drop()
      this.run.reopen(this, false)
      return false
    }
    this.run.next(this)
    return this.socket !== null
  }

  /** A broken answer: count what was in flight, start over on a new connection. */
  fail(kind: ErrorKind): void {
    if (this.inflight > 0) this.run.fail(this.inflight, kind)
    this.drop()
    this.run.reopen(this, false)
  }
}

class LoadRun {
  readonly url: URL
  readonly host: string
  readonly port: number
  readonly wire: SerialisedRequest[]
  readonly seq: Uint32Array
  seqPos = 0
  readonly conns: Conn[] = []
  readonly pipelining: number
  readonly timeoutMs: number
  readonly rate: number | undefined
  phase: Phase = 'connecting'
  readonly hist: LatencyHistogram = createLatencyHistogram()
  recorded = 0
  errors = 0
  readonly errorsByKind: Record<ErrorKind, number> = { timeout: 0, connect: 0, 'status-5xx': 0, 'status-4xx': 0, other: 0 }
  readonly statusCounts = new Uint32Array(1000)
  measureStart = 0
  measureEnd = 0
  measuredIssued = 0
  inflightTotal = 0
  cpuStart: NodeJS.CpuUsage = { user: 0, system: 0 }
  cpu: NodeJS.CpuUsage = { user: 0, system: 0 }
  // Open model.
  t0 = 0
  scheduled = 0
  readonly freeList: Conn[] = []
  tick: NodeJS.Timeout | null = null
  readonly timers: NodeJS.Timeout[] = []
  private resolveDone: () => void = () => {}
  readonly done = new Promise<void>((r) => (this.resolveDone = r))

  constructor(readonly opts: LoadOptions) {
    this.url = validate(opts)
    this.host = this.url.hostname.replace(/^\[|\]$/g, '')
    this.port = this.url.port ? Number(this.url.port) : 80
    this.wire = serialiseRequests(this.url, opts.requests)
    this.seq = weightedSequence(opts.requests.map((r) => r.weight ?? 1))
    this.pipelining = opts.pipelining ?? 1
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS
    this.rate = opts.rate
  }

  async start(): Promise<LoadResult> {
    const signal = this.opts.signal
    const onAbort = () => this.finish()
    if (signal?.aborted) return this.result()
    signal?.addEventListener('abort', onAbort, { once: true })
    try {
      await this.preconnect()
      if (this.phase === 'done') return this.result()
      const warmup = this.opts.warmupMs ?? DEFAULT_WARMUP_MS
      this.timers.push(setInterval(() => this.sweep(), Math.max(10, Math.min(100, this.timeoutMs / 4))))
      if (warmup > 0) {
        this.phase = 'warmup'
        this.timers.push(setTimeout(() => this.beginMeasure(), warmup))
      } else this.beginMeasure()
      this.t0 = performance.now()
      for (const c of this.conns) if (c.connected) this.next(c)
      await this.done
      return this.result()
    } finally {
      signal?.removeEventListener('abort', onAbort)
      this.finish()
    }
  }

  /** Open every connection before the clock starts; refused ones retry (and count) once measuring. */
  private async preconnect(): Promise<void> {
    const waits: Array<Promise<void>> = []
    for (let i = 0; i < this.opts.connections; i++) {
      const c = new Conn(this)
      this.conns.push(c)
      c.open()
      const socket = c.socket!
      waits.push(
        new Promise<void>((resolve) => {
          socket.once('connect', () => resolve())
          socket.once('close', () => resolve())
        }),
      )
    }
    const limit = new Promise<void>((r) => this.timers.push(setTimeout(r, Math.min(this.timeoutMs, 5000))))
    await Promise.race([Promise.all(waits), limit, this.done])
  }

  private beginMeasure(): void {
    if (this.phase === 'done') return
    this.hist.reset()
    this.recorded = 0
    this.errors = 0
    for (const k of ERROR_KINDS) this.errorsByKind[k] = 0
    this.statusCounts.fill(0)
    this.measuredIssued = 0
    this.phase = 'measure'
    this.measureStart = performance.now()
    this.cpuStart = process.cpuUsage()
    if (this.opts.durationMs !== undefined) this.timers.push(setTimeout(() => this.endWindow(), this.opts.durationMs))
    const onProgress = this.opts.onProgress
    if (onProgress) {
      this.timers.push(
        setInterval(() => {
          if (this.phase !== 'measure') return
          const elapsedMs = performance.now() - this.measureStart
          onProgress({
            elapsedMs: Math.round(elapsedMs),
            requests: this.recorded,
            rps: Math.round(this.recorded / (elapsedMs / 1000)),
            p99: this.hist.percentile(99),
            errors: this.errors,
          })
        }, PROGRESS_MS),
      )
    }
  }

  /**
   * The measured window is over: no request goes out any more; those in flight have a bounded time
   * to answer (their answers count), then the ones still waiting count as timeouts.
   */
  private endWindow(): void {
    if (this.phase !== 'measure') return
    this.measureEnd = performance.now()
    this.cpu = process.cpuUsage(this.cpuStart)
    this.phase = 'drain'
    if (this.inflightTotal <= 0) return this.finish()
    this.timers.push(
      setTimeout(
        () => {
          this.countOutstanding(performance.now())
          this.finish()
        },
        Math.min(this.timeoutMs, DRAIN_MS),
      ),
    )
  }

  /** Stop at once (the window's end after its drain, or an abort: then what is in flight is not counted). */
  finish(): void {
    if (this.phase === 'done') return
    if (this.phase === 'measure') {
      this.measureEnd = performance.now()
      this.cpu = process.cpuUsage(this.cpuStart)
    }
    this.phase = 'done'
    for (const t of this.timers) clearTimeout(t)
    if (this.tick) clearTimeout(this.tick)
    for (const c of this.conns) c.drop()
    this.resolveDone()
  }

  /**
   * Requests still waiting when the window ends never got an answer in it: each is a timeout. Under
   * the closed model every one counts (a request sent in the warm-up held its connection through the
   * whole window); under the open model those due in the window count, their age so far as their
   * latency (a lower bound), so a server that stops answering cannot look fast.
   */
  private countOutstanding(now: number): void {
    for (const c of this.conns) {
      for (let i = c.head; i < c.head + c.inflight; i++) {
        const from = c.from[i]
        if (from === undefined || (this.rate !== undefined && from < this.measureStart)) continue
        this.recorded++
        this.errors++
        this.errorsByKind.timeout++
        if (this.rate !== undefined) this.hist.record((now - from) * 1000)
      }
    }
  }

  /** May another request go out? */
  private canIssue(): boolean {
    if (this.phase === 'measure') return this.opts.count === undefined || this.measuredIssued < this.opts.count
    return this.phase === 'warmup'
  }

  private issue(c: Conn, from: number, now: number): void {
    const tpl = this.seq[this.seqPos]!
    this.seqPos = this.seqPos + 1 === this.seq.length ? 0 : this.seqPos + 1
    if (this.phase === 'measure') this.measuredIssued++
    this.inflightTotal++
    c.send(from, now, tpl)
  }

  /** A connection can take work: send its next request (closed) or offer it to the scheduler (open). */
  next(c: Conn): void {
    if (!c.socket || !c.connected) return
    if (this.rate === undefined) {
      while (c.inflight < this.pipelining && this.canIssue()) {
        const now = performance.now()
        this.issue(c, now, now)
      }
      this.checkCountDone()
      return
    }
    if (!c.free && c.inflight < this.pipelining) {
      c.free = true
      this.freeList.push(c)
    }
    this.dispatch()
  }

  /** Open model: send every request that is due on free connections; sleep until the next is due. */
  private dispatch(): void {
    if (this.phase === 'done') return
    const rate = this.rate!
    const now = performance.now()
    const due = Math.floor(((now - this.t0) * rate) / 1000) + 1
    while (this.scheduled < due && this.freeList.length > 0 && this.canIssue()) {
      const c = this.freeList[this.freeList.length - 1]!
      if (!c.socket || !c.connected || c.inflight >= this.pipelining) {
        c.free = false
        this.freeList.pop()
        continue
      }
      this.issue(c, this.t0 + (this.scheduled * 1000) / rate, now)
      this.scheduled++
      if (c.inflight >= this.pipelining) {
        c.free = false
        this.freeList.pop()
      }
    }
    this.checkCountDone()
    if (this.scheduled >= due && !this.tick && this.canIssue()) {
      const wait = Math.max(0, this.t0 + (this.scheduled * 1000) / rate - performance.now())
      this.tick = setTimeout(() => {
        this.tick = null
        this.dispatch()
      }, wait)
    }
  }

  private checkCountDone(): void {
    if (
      this.phase === 'measure' &&
      this.opts.count !== undefined &&
      (this.recorded >= this.opts.count || (this.measuredIssued >= this.opts.count && this.inflightTotal === 0))
    )
      this.endWindow()
    else if (this.phase === 'drain' && this.inflightTotal <= 0) this.finish()
  }

  ready(c: Conn): void {
    if (this.phase === 'warmup' || this.phase === 'measure') this.next(c)
  }

  response(from: number, status: number): void {
    this.inflightTotal--
    // Open model: the window holds the requests due in it (a backlog from the warm-up would lift the rate past the one asked).
    if ((this.phase !== 'measure' && this.phase !== 'drain') || (this.rate !== undefined && from < this.measureStart)) return this.checkCountDone()
    this.hist.record((performance.now() - from) * 1000)
    this.recorded++
    this.statusCounts[status]!++
    if (status >= 400) {
      this.errors++
      this.errorsByKind[status >= 500 ? 'status-5xx' : 'status-4xx']++
    }
    this.checkCountDone()
  }

  /** `n` requests ended without an answer. */
  fail(n: number, kind: ErrorKind): void {
    this.inflightTotal -= n
    if (this.phase !== 'measure' && this.phase !== 'drain') return
    this.recorded += n
    this.errors += n
    this.errorsByKind[kind] += n
    this.checkCountDone()
  }

  /** The socket closed on its own (refused, reset, or closed by the server). */
  closed(c: Conn, failure: NodeJS.ErrnoException | undefined): void {
    const wasConnected = c.connected
    c.connected = false
    if (c.inflight > 0) {
      if (c.state === UNTIL_CLOSE && c.inflight === 1) {
        c.state = HEAD
        c.closeAfter = false
        c.complete() // the body ran to the end of the connection
      } else this.fail(c.inflight, failure?.code === 'ETIMEDOUT' ? 'timeout' : 'connect')
      c.clearInflight()
    }
    if (!wasConnected && this.phase === 'measure') {
      // a refused connection is one failed request
      this.inflightTotal++
      this.fail(1, 'connect')
    }
    this.reopen(c, !wasConnected)
  }

  reopen(c: Conn, backoff: boolean): void {
    if (this.phase === 'done') return
    c.free = false
    if (!backoff) return c.open()
    const t = setTimeout(() => {
      const i = this.timers.indexOf(t)
      if (i >= 0) this.timers.splice(i, 1)
      if (this.phase !== 'done' && !c.socket) c.open()
    }, RECONNECT_BACKOFF_MS)
    this.timers.push(t)
  }

  /** Requests past their timeout, connections stuck connecting: count them and start over. */
  private sweep(): void {
    const now = performance.now()
    for (const c of this.conns) {
      if (!c.socket) continue
      if (c.inflight > 0 && now - c.sentAt[c.head]! > this.timeoutMs) {
        this.fail(c.inflight, 'timeout')
        c.drop()
        this.reopen(c, false)
      } else if (!c.connected && now - c.connectingSince > this.timeoutMs) {
        c.drop()
        if (this.phase === 'measure') {
          this.inflightTotal++
          this.fail(1, 'connect')
        }
        this.reopen(c, false)
      }
    }
  }

  result(): LoadResult {
    const durationMs = this.measureEnd > this.measureStart ? this.measureEnd - this.measureStart : 0
    const cpuUs = this.cpu.user + this.cpu.system
    const cpuPercent = durationMs > 0 ? (cpuUs / (durationMs * 1000)) * 100 : 0
    const statusCounts: Record<string, number> = {}
    this.statusCounts.forEach((n, s) => {
      if (n > 0) statusCounts[String(s)] = n
    })
    return {
      target: this.opts.url,
      model: this.rate === undefined ? 'closed' : 'open',
      connections: this.opts.connections,
      ...(this.rate !== undefined ? { rate: this.rate } : {}),
      requests: this.recorded,
      durationMs: Math.round(durationMs),
      throughput: { rps: durationMs > 0 ? Math.round((this.recorded / durationMs) * 1000 * 10) / 10 : 0 },
      latency: this.hist.summary(),
      errors: this.errors,
      errorsByKind: { ...this.errorsByKind },
      statusCounts,
      distribution: this.hist.distribution(),
      generator: { cpuPercent: Math.round(cpuPercent * 10) / 10, usPerRequest: this.recorded > 0 ? Math.round((cpuUs / this.recorded) * 100) / 100 : 0 },
      generatorBound: cpuPercent >= 90,
    }
  }
}
