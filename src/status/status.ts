/**
 * `parity status`: is each configured system and each service the scan found with a port up, how
 * fast its readiness check answers, which version it reports, and which process holds its port.
 * Every check is bounded (2 s per request, at most three requests per entry) and all run at once.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { connect } from 'node:net'
import { performance } from 'node:perf_hooks'
import type { ResolvedConfig, ResolvedSystem } from '../config/load.js'
import type { ServiceItem } from '../model/inventory.js'
import type { RunResult } from '../model/run.js'
import { portOwner } from '../systems/local-ports.js'
import type { SystemStatus } from '../model/status.js'

/** Per request and per TCP connect. */
const TIMEOUT_MS = 2000
/** Enough for a health or version document; the rest is not read. */
const MAX_BODY = 64 * 1024
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]', '0.0.0.0'])
/** The server is not there: no point trying a bare TCP connection. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN'])

interface HttpAnswer {
  status: number
  headers: IncomingHttpHeaders
  body: string
}

function get(url: URL): Promise<HttpAnswer | { error: string; code?: string }> {
  return new Promise((resolve) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest
    const req = send(url, { method: 'GET', agent: false, headers: { accept: 'application/json, */*' } }, (res) => {
      const chunks: Buffer[] = []
      let size = 0
      res.on('data', (c: Buffer) => {
        if (size < MAX_BODY) chunks.push(c)
        size += c.length
        if (size >= MAX_BODY) res.destroy()
      })
      const done = () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8').slice(0, MAX_BODY) })
      res.on('end', done)
      res.on('close', done)
      res.on('error', done)
    })
    req.setTimeout(TIMEOUT_MS, () => req.destroy(Object.assign(new Error(`no answer within ${TIMEOUT_MS / 1000} s`), { code: 'ETIMEDOUT' })))
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.message, ...(e.code ? { code: e.code } : {}) }))
    req.end()
  })
}

function tcpConnect(host: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host: host.replace(/^\[|\]$/g, ''), port })
    socket.setTimeout(TIMEOUT_MS, () => {
      socket.destroy()
      resolve(`no connection within ${TIMEOUT_MS / 1000} s`)
    })
    socket.once('connect', () => {
      socket.destroy()
      resolve(undefined)
    })
    socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message))
  })
}

function portOf(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80
}

/** A `version` field of a JSON object body, or a short version-like plain text body. */
function versionInBody(a: HttpAnswer, plainText: boolean): string | undefined {
  const body = a.body.trim()
  if (!body) return undefined
  try {
    const doc = JSON.parse(body) as unknown
    if (doc && typeof doc === 'object' && !Array.isArray(doc)) {
      const v = (doc as Record<string, unknown>).version
      if (typeof v === 'string' && v.trim()) return v.trim()
      if (typeof v === 'number') return String(v)
    }
    return undefined
  } catch {
    return plainText && body.length <= 40 && /^v?\d[\w.+-]*$/.test(body) ? body : undefined
  }
}

function header(a: HttpAnswer, name: string): string | undefined {
  const v = a.headers[name]
  const s = Array.isArray(v) ? v[0] : v
  return s?.trim() || undefined
}

/**
 * The version, from the readiness answer first (an `x-version` header, a JSON `version`), then
 * `GET /version` and `GET /health`, then the readiness answer's `server` header.
 */
async function findVersion(base: URL, path: string, ready: HttpAnswer): Promise<{ version: string; from: string } | undefined> {
  const xVersion = header(ready, 'x-version')
  if (xVersion) return { version: xVersion, from: 'x-version header' }
  const inReady = ready.status < 300 ? versionInBody(ready, false) : undefined
  if (inReady) return { version: inReady, from: path }
  for (const extra of ['/version', '/health'].filter((p) => p !== path)) {
    const a = await get(new URL(extra, base))
    if ('error' in a || a.status >= 300) continue
    const v = header(a, 'x-version') ?? versionInBody(a, extra === '/version')
    if (v) return { version: v, from: extra }
  }
  const server = header(ready, 'server')
  return server ? { version: server, from: 'server header' } : undefined
}

/** The readiness check of one address: HTTP on `path`, else a TCP connection; then the version and the port's owner. */
export async function probe(entry: SystemStatus, base: string, path: string, strictPath: boolean): Promise<SystemStatus> {
  let url: URL
  try {
    url = new URL(base)
  } catch {
    return { ...entry, url: base, state: 'down', note: `not a URL: ${base}` }
  }
  const port = portOf(url)
  const local = LOCAL_HOSTS.has(url.hostname)
  const withOwner = (s: SystemStatus): SystemStatus => {
    const owner = local ? portOwner(port) : undefined
    return owner ? { ...s, owner } : s
  }
  const out: SystemStatus = { ...entry, url: url.origin, port }
  const t0 = performance.now()
  const answer = await get(new URL(path, url))
  const ms = Math.round((performance.now() - t0) * 10) / 10
  if (!('error' in answer)) {
    const ok = !strictPath || (answer.status >= 200 && answer.status < 300)
    const checked: SystemStatus = { ...out, state: ok ? 'up' : 'down', check: 'http', path, httpStatus: answer.status, responseMs: ms }
    if (!ok) return withOwner({ ...checked, note: `GET ${path} answered ${answer.status}` })
    const version = await findVersion(url, path, answer)
    return withOwner(version ? { ...checked, version: version.version, versionFrom: version.from } : checked)
  }
  if (answer.code && UNREACHABLE.has(answer.code))
    return withOwner({ ...out, state: 'down', path, note: answer.code === 'ECONNREFUSED' ? 'connection refused' : answer.code })
  // Something accepts connections but gave no HTTP answer: a TCP connection is the readiness check.
  const t1 = performance.now()
  const refused = await tcpConnect(url.hostname, port)
  const tcpMs = Math.round((performance.now() - t1) * 10) / 10
  if (refused) return withOwner({ ...out, state: 'down', note: `${answer.error}; TCP: ${refused}` })
  return withOwner({ ...out, state: 'up', check: 'tcp', responseMs: tcpMs, note: `no HTTP answer (${answer.error})` })
}

/** The systems parity checks: a peer is compared on its code only, never started or checked. */
function systemsOf(config: ResolvedConfig): Array<ResolvedSystem & { role: 'baseline' | 'candidate' }> {
  return [config.baseline, ...config.candidates]
}

/** Services with a port, by the system that has them (a baseline item, or a candidate's). */
function servicesOf(run: RunResult | undefined): Array<{ system: string; service: ServiceItem }> {
  if (!run) return []
  const baseline = run.systems.find((s) => s.role === 'baseline')?.name
  const seen = new Set<string>()
  const out: Array<{ system: string; service: ServiceItem }> = []
  const add = (system: string | undefined, item: unknown) => {
    const s = item as ServiceItem | null | undefined
    if (!system || !s || s.kind !== 'service' || !s.port) return
    const id = `${system}\0${s.key}`
    if (seen.has(id)) return
    seen.add(id)
    out.push({ system, service: s })
  }
  for (const p of run.pairs) {
    if (p.kind !== 'service') continue
    add(baseline, p.baseline)
    add(p.candidateSystem, p.candidate)
    for (const [name, cell] of Object.entries(p.matrix ?? {})) add(name, cell.candidate)
  }
  return out
}

/**
 * Every configured system (its `url`, or its `run.port`; a system parity starts on a free port is
 * `on-demand`), every service of the run's inventory with a port (once per port), and the MCP
 * servers (listed, with what they said in the run's `initialize` when there is one).
 */
export async function checkStatus(config: ResolvedConfig, run?: RunResult): Promise<SystemStatus[]> {
  const checks: Array<Promise<SystemStatus>> = []
  const ports = new Set<number>()
  for (const s of systemsOf(config)) {
    const entry: SystemStatus = { name: s.name, kind: 'system', system: s.name, role: s.role, state: 'unchecked' }
    const base = s.url ?? (s.run?.port ? `http://127.0.0.1:${s.run.port}` : undefined)
    if (base) {
      const ready = s.run?.ready?.http
      checks.push(probe(entry, base, ready ?? '/', ready !== undefined))
      try {
        ports.add(portOf(new URL(base)))
      } catch {
        // reported by probe
      }
    } else if (s.run) {
      checks.push(Promise.resolve({ ...entry, state: 'on-demand', note: 'not running (started by parity on demand)' }))
    } else {
      checks.push(Promise.resolve({ ...entry, note: 'scan only: no url or run block' }))
    }
  }
  // A port is checked once; the other services that state it are named on the first one.
  const sharing = new Map<number, string[]>()
  for (const { system, service } of servicesOf(run)) {
    const port = service.port!
    if (ports.has(port)) {
      sharing.get(port)?.push(`${system}/${service.name}`)
      continue
    }
    ports.add(port)
    sharing.set(port, [])
    const role = systemsOf(config).find((s) => s.name === system)?.role ?? 'candidate'
    const entry: SystemStatus = { name: `${system}/${service.name}`, kind: 'service', system, role, state: 'unchecked' }
    checks.push(probe(entry, `http://127.0.0.1:${port}`, '/', false))
  }
  for (const s of systemsOf(config)) {
    if (!s.mcp) continue
    const info = run?.mcpServers?.[s.name]
    const entry: SystemStatus = {
      name: `${s.name}/mcp`,
      kind: 'mcp',
      system: s.name,
      role: s.role,
      state: 'unchecked',
      note: s.mcp.url ? 'MCP over Streamable HTTP, not probed' : 'MCP over stdio, started on demand',
      ...(s.mcp.url ? { url: s.mcp.url } : {}),
      ...(info ? { version: `${info.serverInfo.name} ${info.serverInfo.version}`, versionFrom: 'serverInfo of the last run' } : {}),
    }
    checks.push(Promise.resolve(entry))
  }
  const entries = await Promise.all(checks)
  return entries.map((e) => {
    const also = e.kind === 'service' && e.port ? sharing.get(e.port) : undefined
    return also?.length ? { ...e, note: [e.note, `same port as ${also.join(', ')}`].filter(Boolean).join('; ') } : e
  })
}

/** The status stage of `parity run`: probes only what has an address (a url, a fixed port, a service's port); cheap. */
export async function runStatusStage(run: RunResult, config: ResolvedConfig): Promise<RunResult> {
  const checkedAt = new Date().toISOString()
  return { ...run, status: { checkedAt, entries: await checkStatus(config, run) } }
}
