/**
 * `parity serve`: the dashboard. A node:http server that serves the client of the HTML report (the
 * same files, fetched rather than inlined) and a small JSON API over the history store, with server-
 * sent events for new runs and for the progress of a `parity run` in flight (tailed from
 * `live.ndjson`). Read-only on the store, which it never creates; the only write is an accepted
 * difference into the config's ledger, taken from loopback pages only.
 */
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { verifiedPercentOf } from '../assess/verified.js'
import type { DashboardInfo, LiveEvent, LiveProgress, LiveSnapshot, RunListEntry } from '../model/dashboard.js'
import { ParityError } from '../model/errors.js'
import type { RunResult } from '../model/run.js'
import { parityVersion } from '../model/version.js'
import type { HistoryStore } from '../store/history.js'
import { acceptDifference } from './accept.js'
import { CLIENT_DIR, clientMissing } from './client-assets.js'
import { liveFile } from './live.js'

export interface ServeOptions {
  historyFile: string
  /** The config, when serving one: needed to accept differences. */
  configFile?: string
  /** Default 127.0.0.1. */
  host?: string
  /** Default 4177; 0 picks a free port. */
  port?: number
  /** How often the store and the live file are looked at for SSE clients (default 500 ms). */
  pollMs?: number
}

export interface Dashboard {
  url: string
  port: number
  host: string
  close(): Promise<void>
}

const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.html': 'text/html; charset=utf-8' }
/** Scripts only from this origin, no inline script; the client draws bars with inline style attributes. */
export const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
const MAX_BODY = 16 * 1024

const INDEX_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="parity-mode" content="serve">
<title>parity dashboard</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/style.css">
</head>
<body>
<div id="app"><p class="wrap">Loading the runs\u2026</p><noscript>The dashboard needs JavaScript.</noscript></div>
<script src="/app.js"></script>
</body>
</html>
`

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase()
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || h === '::ffff:127.0.0.1'
}

/** The host part of a Host header (`127.0.0.1:4177`, `[::1]:4177`, `localhost`). */
function hostOf(header: string | undefined): string | undefined {
  if (!header) return undefined
  const m = /^(\[[^\]]*\]|[^:]*)(:\d+)?$/.exec(header.trim())
  return m?.[1]
}

function originHost(origin: string): string | undefined {
  try {
    return new URL(origin).hostname
  } catch {
    return undefined
  }
}

/** The client's files by request path, read once: nothing else is ever served from disk. */
function clientFiles(): Map<string, { type: string; body: Buffer }> {
  const files = new Map<string, { type: string; body: Buffer }>()
  let names: string[]
  try {
    names = readdirSync(CLIENT_DIR)
  } catch {
    throw clientMissing()
  }
  for (const name of names) {
    const ext = name.slice(name.lastIndexOf('.'))
    const type = TYPES[ext]
    if (type) files.set(`/${name}`, { type, body: readFileSync(CLIENT_DIR + name) })
  }
  const index = { type: TYPES['.html']!, body: Buffer.from(INDEX_HTML) }
  files.set('/', index)
  files.set('/index.html', index)
  return files
}

/** Opens the store only once it exists: serving never creates it. */
function storeOpener(file: string) {
  let store: HistoryStore | undefined
  const open = async (): Promise<HistoryStore | undefined> => {
    if (store) return store
    if (!existsSync(file) || statSync(file).size === 0) return undefined
    const { openHistory } = await import('../store/history.js')
    store = openHistory(file)
    return store
  }
  return { open, close: () => store?.close() }
}

/** Follows `live.ndjson`: new lines since the last look, starting over when a new run truncates it. */
function liveTail(file: string) {
  let offset = 0
  let rest = ''
  let state: { running: boolean; pid?: number; stage?: string; progress?: LiveProgress } = { running: false }
  const apply = (e: LiveEvent) => {
    if (e.type === 'start') state = { running: true, pid: e.pid }
    else if (e.type === 'stage') state = { ...state, running: true, stage: e.stage }
    else if (e.type === 'progress') state = { ...state, running: true, progress: e }
    else state = { running: false }
  }
  const read = (): LiveEvent[] => {
    let size: number
    try {
      size = statSync(file).size
    } catch {
      return []
    }
    if (size < offset) {
      offset = 0
      rest = ''
    }
    if (size === offset) return []
    const fd = openSync(file, 'r')
    try {
      const buf = Buffer.alloc(Math.min(size - offset, 1 << 20))
      const n = readSync(fd, buf, 0, buf.length, offset)
      offset += n
      const lines = (rest + buf.subarray(0, n).toString('utf8')).split('\n')
      rest = lines.pop() ?? ''
      const events: LiveEvent[] = []
      for (const line of lines) {
        if (!line.trim()) continue
        try {
          const e = JSON.parse(line) as LiveEvent
          apply(e)
          events.push(e)
        } catch {
          // a torn or foreign line is skipped
        }
      }
      return events
    } finally {
      closeSync(fd)
    }
  }
  /** The stage and progress of a run still in progress (its writer alive), for a page that connects late. */
  const current = (): LiveSnapshot | undefined => {
    if (!state.running || !state.pid) return undefined
    try {
      process.kill(state.pid, 0)
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ESRCH') return undefined
    }
    return { type: 'state', stage: state.stage ?? null, progress: state.progress ?? null }
  }
  return { read, current }
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value)
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) })
  res.end(body)
}

const notFound = (res: ServerResponse, what = 'not found') => sendJson(res, 404, { error: what })

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > MAX_BODY) {
        reject(new ParityError('TOO_LARGE', 'request body too large', 'send { fingerprint, reason } only'))
        req.destroy()
      } else chunks.push(c)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

/** One line for the run picker. */
function runSummary(r: ReturnType<HistoryStore['runs']>[number]): RunListEntry {
  const percents: Record<string, { ported: number; verified: number }> = {}
  for (const [name, s] of Object.entries(r.candidates)) {
    percents[name] = { ported: s.percent, verified: s.verifiedPercent ?? verifiedPercentOf(s) }
  }
  const verdict = r.productionReady === null ? 'no-gates' : r.productionReady ? 'production-ready' : 'not-ready'
  return { id: r.id, startedAt: r.startedAt, ...(r.commit ? { commit: r.commit } : {}), ...(r.branch ? { branch: r.branch } : {}), verdict, percents }
}

/** Starts the dashboard. Rejects with a ParityError when the port is taken or the address cannot be bound. */
export async function startDashboard(options: ServeOptions): Promise<Dashboard> {
  const host = options.host ?? '127.0.0.1'
  const loopbackBound = isLoopbackHost(host)
  const files = clientFiles()
  const stores = storeOpener(options.historyFile)
  const openStore = stores.open
  const live = liveTail(liveFile(options.historyFile))
  live.read() // skip what was written before this server started, but remember the state
  const clients = new Set<ServerResponse>()
  const latestId = async () => (await openStore())?.runs().at(-1)?.id
  // Known from the start, so a run stored before the first poll is still announced.
  let lastId = await latestId()

  const broadcast = (event: string, data: unknown) => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`
    for (const c of clients) c.write(frame)
  }

  const poll = async () => {
    for (const e of live.read()) broadcast('progress', e)
    try {
      const id = await latestId()
      if (id && id !== lastId) broadcast('run', { id })
      lastId = id
    } catch {
      // a store being created by a run: looked at again on the next tick
    }
  }
  let timer: NodeJS.Timeout | undefined
  const ensurePolling = () => {
    if (timer) return
    timer = setInterval(() => void poll(), options.pollMs ?? 500)
    timer.unref()
  }

  const api = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    const store = await openStore()
    if (req.method === 'GET' && path === '/api/info') {
      const info: DashboardInfo = {
        version: parityVersion(),
        config: options.configFile ?? null,
        historyFile: options.historyFile,
        storeExists: !!store,
        canAccept: !!options.configFile,
      }
      return sendJson(res, 200, info)
    }
    if (req.method === 'GET' && path === '/api/runs') return sendJson(res, 200, store ? store.runs().map(runSummary) : [])
    if (req.method === 'GET' && path === '/api/history') return sendJson(res, 200, store ? store.history() : { runs: [], items: [] })
    if (req.method === 'GET' && path.startsWith('/api/run/')) {
      const id = path.slice('/api/run/'.length)
      if (!/^[A-Za-z0-9._-]+$/.test(id)) return notFound(res, 'no such run')
      const run = store ? (id === 'latest' ? store.latest() : store.get(id)) : undefined
      return run ? sendJson(res, 200, run) : notFound(res, store ? 'no such run' : 'no runs yet: run `parity run`')
    }
    if (req.method === 'GET' && path === '/api/events') return events(req, res)
    if (path === '/api/accept') {
      if (req.method !== 'POST') return sendJson(res, 405, { error: 'POST only' })
      return accept(req, res, store)
    }
    return notFound(res, 'no such API route')
  }

  const events = async (req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' })
    res.write('retry: 2000\n\n')
    // The latest run now: a page that loaded just before a run was stored catches up.
    res.write(`event: latest\ndata: ${JSON.stringify({ id: (await latestId()) ?? null })}\n\n`)
    const state = live.current()
    if (state) res.write(`event: progress\ndata: ${JSON.stringify(state)}\n\n`)
    clients.add(res)
    ensurePolling()
    req.on('close', () => clients.delete(res))
  }

  const accept = async (req: IncomingMessage, res: ServerResponse, store: HistoryStore | undefined) => {
    // CSRF and DNS rebinding: a page of another origin may post, but never with our loopback Origin and Host.
    const origin = req.headers.origin
    const hostHeader = hostOf(req.headers.host)
    // Headers can be written by anyone: the peer's own address decides first.
    const peer = req.socket.remoteAddress ?? ''
    if (!isLoopbackHost(peer)) return sendJson(res, 403, { error: 'accepting is only possible from this machine' })
    if (!hostHeader || !isLoopbackHost(hostHeader))
      return sendJson(res, 403, { error: 'accepting is only possible from the dashboard on loopback (127.0.0.1)' })
    if (origin !== undefined && !isLoopbackHost(originHost(origin) ?? '')) return sendJson(res, 403, { error: `origin ${origin} may not change the config` })
    const type = String(req.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim()
      .toLowerCase()
    if (type !== 'application/json') return sendJson(res, 415, { error: 'send JSON with content-type: application/json' })
    if (!options.configFile)
      return sendJson(res, 409, { error: 'no config: this dashboard reads a history file only (--history); start it with --config FILE to accept differences' })
    let body: unknown
    try {
      body = JSON.parse(await readBody(req))
    } catch (e) {
      return sendJson(res, e instanceof ParityError ? 413 : 400, { error: e instanceof ParityError ? e.message : 'the body is not JSON' })
    }
    const { fingerprint, reason } = (body ?? {}) as { fingerprint?: unknown; reason?: unknown }
    if (typeof fingerprint !== 'string' || !/^[0-9a-f]{16}$/.test(fingerprint)) return sendJson(res, 400, { error: 'fingerprint: 16 hex digits expected' })
    if (typeof reason !== 'string' || !reason.trim()) return sendJson(res, 400, { error: 'reason: say why this difference is accepted' })
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(reason) || reason.length > 500) return sendJson(res, 400, { error: 'reason: one line of at most 500 characters' })
    const latest: RunResult | undefined = store?.latest()
    const finding = latest?.assessment?.findings.find((f) => f.fingerprint === fingerprint)
    if (!finding) return sendJson(res, 400, { error: `${fingerprint} is not a finding of the latest run` })
    try {
      await acceptDifference(options.configFile, { fingerprint, reason: reason.trim() })
    } catch (e) {
      if (e instanceof ParityError) return sendJson(res, e.code === 'ALREADY_ACCEPTED' ? 409 : 422, { error: e.message, hint: e.hint })
      throw e
    }
    return sendJson(res, 201, {
      accepted: { fingerprint, reason: reason.trim() },
      key: finding.key,
      config: options.configFile,
      note: 'takes effect on the next run',
    })
  }

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    res.setHeader('content-security-policy', CSP)
    res.setHeader('x-content-type-options', 'nosniff')
    res.setHeader('referrer-policy', 'no-referrer')
    res.setHeader('x-frame-options', 'DENY')
    // Bound to loopback: a page reached through another name (DNS rebinding) gets nothing.
    const reqHost = hostOf(req.headers.host)
    if (loopbackBound && (!reqHost || !isLoopbackHost(reqHost))) return sendJson(res, 403, { error: 'this dashboard answers on loopback names only' })
    const raw = req.url ?? '/'
    const path = raw.split('?')[0]!
    // Only exact, plain paths: anything encoded, dotted, doubled or with a NUL is not a file of ours.
    if (!/^\/[A-Za-z0-9/_.-]*$/.test(path) || path.includes('..') || path.includes('//')) return notFound(res)
    if (path === '/api' || path.startsWith('/api/')) return api(req, res, path)
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'GET only' })
    const file = files.get(path)
    if (!file) return notFound(res)
    res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-cache', 'content-length': file.body.length })
    res.end(req.method === 'HEAD' ? undefined : file.body)
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: (e as Error).message })
      else res.end()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE')
        reject(
          new ParityError(
            'PORT_IN_USE',
            `port ${options.port ?? 4177} on ${host} is already in use`,
            'pass another port with --port N, or stop the other server (--port 0 picks a free one)',
          ),
        )
      else if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND')
        reject(
          new ParityError('BAD_HOST', `cannot listen on ${host}: ${e.message}`, 'pass an address of this machine with --host, or leave it out for 127.0.0.1'),
        )
      else if (e.code === 'EACCES')
        reject(new ParityError('PORT_DENIED', `not allowed to listen on port ${options.port}`, 'use a port above 1023 with --port N'))
      else reject(e)
    })
    server.listen(options.port ?? 4177, host, () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  const shown = host.includes(':') ? `[${host}]` : host
  return {
    url: `http://${shown}:${port}/`,
    port,
    host,
    close: async () => {
      if (timer) clearInterval(timer)
      for (const c of clients) c.end()
      clients.clear()
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeAllConnections()
      await closed
      stores.close()
    },
  }
}
