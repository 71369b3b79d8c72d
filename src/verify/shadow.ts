/**
 * `parity shadow`: clients are answered by the baseline alone, through the same pass-through as
 * `parity record`; a copy of each sampled request goes to the candidate afterwards, from a bounded
 * queue, and the pair is handed to `onPair`. The client's answer never waits for the candidate and
 * never depends on it: a slow or down candidate only shows in the stats and in the pairs.
 *
 * Sessions here are client connections (they only name the copies; the recorder groups by client).
 * A copy is sent once the baseline has answered in full, so the candidate sees one connection's
 * requests in the order the baseline did.
 */
import { setMaxListeners } from 'node:events'
import http from 'node:http'
import type { Duplex } from 'node:stream'
import { Agent, request } from 'undici'
import { ParityError } from '../model/errors.js'
import { BodyTap, closeServer, listen, parseTarget, passThrough, passUpgrade, Sessions, targetPath, type PassThroughResult } from './pass-through.js'
import type { Exchange, Headers, RecordedRequest, ReplayedExchange, TargetResponse } from '../model/exchange.js'

export interface ShadowOptions {
  /** Port to listen on; 0 (the default) takes a free one. Always on 127.0.0.1 unless `host` says otherwise. */
  listen?: number
  host?: string
  /** Answers the clients. */
  baseline: string
  /** Receives the copies; its answers are never sent to a client. */
  candidate: string
  /** Share of requests copied to the candidate, 0..1 (default 1). */
  sample?: number
  /** Copies waiting for the candidate; past this they are dropped and counted (default 1000). */
  queue?: number
  /** Copies sent to the candidate at once (default 32). */
  concurrency?: number
  /** The candidate's time to answer one copy (default 10 s), then the pair holds a `timeout` error. */
  timeoutMs?: number
  /** Bodies larger than this are kept as size and sha256; a request larger than this is not copied (default 1 MiB). */
  maxBodyBytes?: number
  /** Each pair, baseline and candidate answers, once the candidate's answer (or error) is in. */
  onPair?: (x: ReplayedExchange) => void
}

export interface ShadowStats {
  /** Client requests answered through the baseline. */
  forwarded: number
  /** Copies sent to the candidate. */
  mirrored: number
  /** Sampled copies not sent: the queue was full, or the request too large to copy. */
  dropped: number
  /** Copies the candidate did not answer (refused, reset, timed out). */
  candidateErrors: number
  /** Copies sent or queued but cut off when shadow stopped before the candidate answered: no comparison was made. */
  unfinished: number
}

export interface Shadow {
  port: number
  url: string
  stats(): ShadowStats
  /** Copies queued or waiting for the candidate. */
  pending(): number
  /**
   * Stops listening, then lets the copies queued or in flight finish for up to `drainMs` (default: the
   * candidate timeout); those still unanswered then are aborted and counted as `unfinished`.
   */
  close(drainMs?: number): Promise<void>
  /** Ends a draining `close` now: what is still pending is counted as `unfinished`. */
  abort(): void
}

/** The longest a timer can wait. */
const MAX_TIMER_MS = 2 ** 31 - 1

/** Request headers that undici sets itself or refuses; the rest of the copy is sent as recorded. */
const NOT_COPIED = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'expect', 'te'])

interface Job {
  exchange: Exchange
  baseline: TargetResponse
  bytes: Buffer
}

/** Starts shadow mode. */
export async function startShadow(options: ShadowOptions): Promise<Shadow> {
  const baseline = parseTarget(options.baseline, '--baseline')
  const candidate = parseTarget(options.candidate, '--candidate')
  const sample = options.sample ?? 1
  if (!(sample >= 0 && sample <= 1))
    throw new ParityError('BAD_SAMPLE', `--sample must be between 0 and 1, got ${options.sample}`, 'pass a share such as --sample 0.1')
  const queueLimit = options.queue ?? 1000
  const concurrency = options.concurrency ?? 32
  if (!Number.isInteger(queueLimit) || queueLimit < 0)
    throw new ParityError('BAD_QUEUE', `the mirror queue must be a whole number >= 0, got ${options.queue}`, 'pass --queue 1000')
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new ParityError('BAD_CONCURRENCY', `mirror concurrency must be a whole number >= 1, got ${options.concurrency}`, 'pass 8')
  const timeoutMs = options.timeoutMs ?? 10_000
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024
  const host = options.host ?? '127.0.0.1'

  const baselineAgent = new http.Agent({ keepAlive: true })
  const candidateAgent = new Agent({ headersTimeout: timeoutMs, bodyTimeout: timeoutMs, connectTimeout: timeoutMs })
  const abort = new AbortController()
  setMaxListeners(0, abort.signal) // one listener per copy in flight, released when it settles
  const sessions = new Sessions(Date.now().toString(36))
  const upgraded = new Set<Duplex>()
  const stats: ShadowStats = { forwarded: 0, mirrored: 0, dropped: 0, candidateErrors: 0, unfinished: 0 }
  const waiting: Job[] = []
  const inFlight = new Set<Promise<void>>()
  let aborted = false

  let endDrain = (): void => {}
  const drained = new Promise<void>((resolve) => (endDrain = resolve))
  const pump = (): void => {
    while (!aborted && inFlight.size < concurrency && waiting.length > 0) {
      const job = waiting.shift()!
      stats.mirrored++
      const p = mirror(job).finally(() => {
        inFlight.delete(p)
        pump()
      })
      inFlight.add(p)
    }
  }

  const mirror = async (job: Job): Promise<void> => {
    const sent: RecordedRequest = { ...job.exchange.request, headers: job.exchange.request.headers.filter(([n]) => !NOT_COPIED.has(n)) }
    const answer = await send(candidate, sent, job.bytes, candidateAgent, maxBodyBytes, abort.signal)
    if (aborted) {
      // Cut off by the end of the drain, not by the candidate: no comparison, and said so.
      stats.unfinished++
      return
    }
    if (answer.error) stats.candidateErrors++
    try {
      options.onPair?.({ exchange: job.exchange, sent: { baseline: job.exchange.request, candidate: sent }, baseline: job.baseline, candidate: answer })
    } catch {
      // A failing consumer must not stop the mirror.
    }
  }

  const done = (slot: { session: string; seq: number }, r: PassThroughResult): void => {
    if (sample === 0 || (sample < 1 && Math.random() >= sample)) return
    if (aborted || !r.requestBytes || waiting.length >= queueLimit + Math.max(0, concurrency - inFlight.size)) {
      stats.dropped++
      return
    }
    const exchange: Exchange = {
      id: `${slot.session}.${slot.seq}`,
      session: slot.session,
      seq: slot.seq,
      host: baseline.host,
      startedAt: r.startedAt,
      request: r.request,
      ...(r.response ? { response: r.response } : {}),
    }
    const answer: TargetResponse = {
      status: r.response?.status ?? 0,
      headers: r.response?.headers ?? [],
      durationMs: r.durationMs,
      ...(r.response?.body ? { body: r.response.body } : {}),
      ...(r.error ? { error: r.error } : {}),
    }
    waiting.push({ exchange, baseline: answer, bytes: r.requestBytes })
    pump()
  }

  const server = http.createServer((req, res) => {
    stats.forwarded++
    const slot = sessions.take(req.socket)
    passThrough(req, res, { target: baseline, agent: baselineAgent, maxBodyBytes }, (r) => done(slot, r))
  })
  // WebSocket upgrades reach the baseline only; they are not copied.
  server.on('upgrade', (req, socket: Duplex, head: Buffer) => {
    stats.forwarded++
    upgraded.add(socket)
    passUpgrade(req, socket, head, { target: baseline, agent: baselineAgent, maxBodyBytes }, () => upgraded.delete(socket))
  })
  server.on('clientError', (_e, socket) => socket.destroy())

  const port = await listen(server, host, options.listen ?? 0)
  return {
    port,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    stats: () => ({ ...stats }),
    pending: () => waiting.length + inFlight.size,
    abort: stopDrain,
    async close(drainMs = timeoutMs) {
      await closeServer(server, upgraded)
      // Client requests still being answered when the server closed may still queue copies; the
      // drain takes those too. It ends when nothing is pending, at the deadline, or on abort().
      const deadline = setTimeout(stopDrain, Math.min(Math.max(0, drainMs), MAX_TIMER_MS))
      while (!aborted && waiting.length + inFlight.size > 0) await Promise.race([...inFlight, drained])
      clearTimeout(deadline)
      stopDrain()
      await Promise.allSettled([...inFlight])
      baselineAgent.destroy()
      await candidateAgent.destroy()
    },
  }

  function stopDrain(): void {
    if (aborted) return
    aborted = true
    stats.unfinished += waiting.length
    waiting.length = 0
    abort.abort()
    endDrain()
  }
}

/** Sends one request with undici; every failure becomes a TargetResponse with `error`. */
async function send(target: URL, sent: RecordedRequest, bytes: Buffer, dispatcher: Agent, maxBodyBytes: number, signal: AbortSignal): Promise<TargetResponse> {
  const started = Date.now()
  try {
    const res = await request(new URL(targetPath(target, sent.url), target.origin), {
      method: sent.method as 'GET',
      headers: sent.headers.flat(),
      ...(bytes.length > 0 || !['GET', 'HEAD'].includes(sent.method) ? { body: bytes } : {}),
      dispatcher,
      signal,
    })
    const tap = new BodyTap(maxBodyBytes)
    for await (const chunk of res.body) tap.push(chunk as Buffer)
    const headers: Headers = []
    for (const [name, value] of Object.entries(res.headers)) {
      if (Array.isArray(value)) for (const v of value) headers.push([name.toLowerCase(), v])
      else if (value !== undefined) headers.push([name.toLowerCase(), value])
    }
    const body = tap.body()
    return { status: res.statusCode, headers, ...(body ? { body } : {}), durationMs: Date.now() - started }
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException }
    const code = String(err.code ?? err.cause?.code ?? '') // an AbortError's code is a number
    const kind: NonNullable<TargetResponse['error']>['code'] =
      code === 'ECONNREFUSED'
        ? 'refused'
        : code.includes('TIMEOUT')
          ? 'timeout'
          : code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE'
            ? 'reset'
            : 'other'
    return { status: 0, headers: [], durationMs: Date.now() - started, error: { code: kind, message: err.message } }
  }
}
