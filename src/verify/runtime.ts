/**
 * The inventory confirmed at run time. For each system with a `run` block, `parity run` starts it
 * once with the route tap loaded into Node (`src/tap/route-tap.mjs`, through `NODE_OPTIONS`), which
 * records every route the framework registers, and reads the OpenAPI document the system serves
 * when it serves one. The scan's routes are then marked `confirmed`, and what only the running
 * system showed is listed as a scan miss. Bounded: one start per system, a few requests of 2 s each.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { request } from 'undici'
import type { ResolvedConfig, ResolvedSystem } from '../config/load.js'
import { isEndpoint, type EndpointItem, type Item } from '../model/inventory.js'
import { normalizePath, pathKey, routeKey } from '../model/path.js'
import type { RunResult, RuntimeInventory } from '../model/run.js'
import { isSpecText, readSpec } from '../openapi/openapi.js'
import { runSpecOf } from '../systems/spec.js'
import type { StartedSystem } from '../systems/types.js'

const TAP = new URL('../tap/route-tap.mjs', import.meta.url)
/** Where frameworks serve their OpenAPI document by default (FastAPI, Fastify swagger, NestJS, Swagger, springdoc). */
const OPENAPI_PATHS = ['/openapi.json', '/docs/json', '/api-json', '/swagger.json', '/v3/api-docs', '/api/openapi.json', '/docs/openapi.json']
const REQUEST_MS = 2000
/** After readiness, the tap writes at `listening` and 300 ms later: wait for the second write. */
const SETTLE_MS = 600

interface Seen {
  method: string
  path: string
  key: string
  via: 'tap' | 'openapi'
  framework?: string
}

export interface RuntimeOptions {
  /** Starts a system (tests may pass their own); default: the supervisor's. */
  start?: (spec: Awaited<ReturnType<typeof runSpecOf>>) => Promise<StartedSystem>
}

/** Start each system that has a `run` block, read what it registers and documents, and fold it into the run. */
export async function runRuntimeStage(run: RunResult, config: ResolvedConfig, options: RuntimeOptions = {}): Promise<RunResult> {
  for (const system of [config.baseline, ...config.candidates]) {
    const result = run.systems.find((s) => s.name === system.name)
    if (!system.run || !result || result.sourceKind !== 'tree' || system.run.tap === false) continue
    const observed = await observe(system, config, options)
    const items = systemItems(run, system.name)
    result.runtime = compare(observed, items)
    const missed = result.runtime.scanMissed
    if (missed.length) {
      run.diagnostics.push({
        level: 'warn',
        code: 'SCAN_MISSED_AT_RUN_TIME',
        message: `${system.name} registered ${missed.length} route${missed.length === 1 ? '' : 's'} at run time that the scan did not find (${missed
          .slice(0, 5)
          .map((m) => `${m.method} ${m.path}`)
          .join(', ')}${missed.length > 5 ? ', ...' : ''}); the figures do not count ${missed.length === 1 ? 'it' : 'them'}`,
      })
    }
  }
  return run
}

interface Observed {
  routes: Seen[]
  frameworks: string[]
  openapi?: string
  notes: string[]
}

async function observe(system: ResolvedSystem, config: ResolvedConfig, options: RuntimeOptions): Promise<Observed> {
  const notes: string[] = []
  const folder = mkdtempSync(join(tmpdir(), 'parity-tap-'))
  const spec = await runSpecOf(system, { logDir: join(dirname(config.historyFile), 'logs'), instance: '-tap' })
  const inherited = [process.env.NODE_OPTIONS, spec.env?.NODE_OPTIONS].filter(Boolean).join(' ')
  spec.env = { ...spec.env, PARITY_ROUTE_TAP: folder, NODE_OPTIONS: `${inherited} --import=${TAP.href}`.trim() }
  const start = options.start ?? (await import('../systems/supervisor.js')).startSystem
  let started: StartedSystem | undefined
  const routes: Seen[] = []
  const frameworks = new Set<string>()
  let openapi: string | undefined
  try {
    started = await start(spec)
    await new Promise((r) => setTimeout(r, SETTLE_MS))
    for (const file of readdirSync(folder)) {
      if (!/^routes-\d+\.json$/.test(file)) continue
      let data: { frameworks?: string[]; notes?: string[]; routes?: Array<{ method: string; path: string; framework?: string }> }
      try {
        data = JSON.parse(readFileSync(join(folder, file), 'utf8'))
      } catch {
        continue
      }
      for (const f of data.frameworks ?? []) frameworks.add(f)
      notes.push(...(data.notes ?? []))
      for (const r of data.routes ?? []) {
        if (typeof r?.method !== 'string' || typeof r.path !== 'string') continue
        const path = normalizePath(r.path)
        routes.push({ method: r.method, path, key: routeKey(r.method, path), via: 'tap', ...(r.framework ? { framework: r.framework } : {}) })
      }
    }
    if (!frameworks.size)
      notes.push('the route tap saw no Express, Fastify, Koa or Hono router register a route (a system not run by Node, or a framework the tap does not read)')
    const doc = await readServedOpenApi(started.url, system.run?.openapi)
    if (doc) {
      openapi = doc.path
      for (const item of doc.items) routes.push({ method: item.method, path: item.path, key: item.key, via: 'openapi' })
    }
  } catch (e) {
    notes.push(`${system.name} did not start for the run-time inventory: ${e instanceof Error ? e.message : String(e)}`)
  } finally {
    await started?.stop()
    rmSync(folder, { recursive: true, force: true })
  }
  return { routes, frameworks: [...frameworks].sort(), ...(openapi ? { openapi } : {}), notes }
}

/** The first OpenAPI document the system answers at the configured path or a usual one. */
async function readServedOpenApi(base: string, configured: string | undefined): Promise<{ path: string; items: EndpointItem[] } | undefined> {
  for (const path of configured ? [configured, ...OPENAPI_PATHS] : OPENAPI_PATHS) {
    try {
      const res = await request(`${base}${path}`, { headersTimeout: REQUEST_MS, bodyTimeout: REQUEST_MS, signal: AbortSignal.timeout(REQUEST_MS) })
      if (res.statusCode !== 200) {
        await res.body.dump()
        continue
      }
      const text = await res.body.text()
      if (text.length > 20 * 1024 * 1024 || !isSpecText(text.slice(0, 4096).replace(/^\s*\{\s*/, ''))) continue
      return { path, items: readSpec(text, path).items }
    } catch {}
  }
  return undefined
}

/** The scan's items of one system, as the pairs hold them. */
function systemItems(run: RunResult, name: string): Item[] {
  const out = new Set<Item>()
  const baselineName = run.systems.find((s) => s.role === 'baseline')?.name
  for (const p of run.pairs) {
    if (name === baselineName) {
      if (p.baseline) out.add(p.baseline)
      continue
    }
    const cell = p.matrix?.[name]
    const candidate = cell ? cell.candidate : p.candidateSystem === name ? p.candidate : null
    if (candidate) out.add(candidate)
  }
  return [...out]
}

/** Mark the scan's routes that the running system showed, and list what only one side has. */
export function compare(observed: Observed, items: Item[]): RuntimeInventory {
  const endpoints = items.filter(isEndpoint)
  const resolved = endpoints.filter((i) => !i.unresolved)
  const byKey = new Map<string, EndpointItem[]>()
  const byPath = new Map<string, EndpointItem[]>()
  for (const i of resolved) {
    byKey.set(i.key, [...(byKey.get(i.key) ?? []), i])
    const pk = pathKey(i.path)
    byPath.set(pk, [...(byPath.get(pk) ?? []), i])
  }
  // One entry per key: the tap's word is stronger than the document's.
  const seen = new Map<string, Seen>()
  for (const r of observed.routes) if (!seen.has(r.key) || r.via === 'tap') seen.set(r.key, r)

  const scanMissed: RuntimeInventory['scanMissed'] = []
  const completes: RuntimeInventory['resolved'] = []
  const matched = new Set<EndpointItem>()
  let confirmed = 0
  for (const r of seen.values()) {
    const pk = pathKey(r.path)
    // `ALL` on either side covers every method at its path.
    const hits = [
      ...(byKey.get(r.key) ?? []),
      ...(byPath.get(pk) ?? []).filter((i) => i.method === 'ALL' || r.method === 'ALL' || (i.kind === 'websocket' && r.method === 'GET')),
    ]
    if (hits.length) {
      for (const i of hits) {
        if (!matched.has(i)) confirmed++
        matched.add(i)
        i.confirmed ??= r.via
      }
      continue
    }
    const partial = endpoints.find(
      (i) => i.unresolved && (i.method === r.method || i.method === 'ALL') && completesPath(i.key.slice(i.key.indexOf(' ') + 1), r.path),
    )
    if (partial) {
      completes.push({ from: partial.key, to: r.key })
      continue
    }
    scanMissed.push({ method: r.method, path: r.path, key: r.key, via: r.via, ...(r.framework ? { framework: r.framework } : {}) })
  }
  // A WebSocket upgrade is handled beside the router (the `ws` library): the tap cannot see it, so it is not "not seen".
  const notSeen = resolved.filter((i) => !matched.has(i) && i.kind !== 'websocket').map((i) => ({ key: i.key, ...(i.source ? { source: i.source } : {}) }))
  const via: RuntimeInventory['via'] = []
  if (observed.frameworks.length) via.push('tap')
  if (observed.openapi) via.push('openapi')
  return {
    via,
    frameworks: observed.frameworks,
    ...(observed.openapi ? { openapi: observed.openapi } : {}),
    routes: seen.size,
    confirmed,
    scanMissed,
    notSeen: via.length ? notSeen : [],
    resolved: completes,
    notes: observed.notes,
  }
}

/** `/{?}/articles/{}` (an unresolved item's key path) completed by `/api/articles/{x}`: each unknown part stands for one or more segments. */
export function completesPath(partialKey: string, full: string): boolean {
  const pattern = partialKey
    .split('{?}')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\{\\\}/g, '[^/]+'))
    .join('.+')
  return new RegExp(`^${pattern}$`).test(pathKey(full))
}
