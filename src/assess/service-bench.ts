/**
 * The bench's figures per service, for the service table: a scenario belongs to a baseline service
 * when every request of it hits one of that service's endpoints; the service's req/s on a system is
 * the median over its scenarios there. RSS is the system's process tree under load, so it is given
 * only where the system is that one service: a system of several services shares one RSS.
 */
import type { RequestTemplate } from '../model/bench.js'
import { isEndpoint } from '../model/inventory.js'
import { bestRoute, routeTemplate, type RouteTemplate } from '../model/route-match.js'
import type { RunResult, ServiceBench } from '../model/run.js'

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

/** Fills `bench` on the rows of `run.services` from `run.bench`, given the scenarios' requests. */
export function attachServiceBench(run: RunResult, scenarios: ReadonlyArray<{ name: string; requests: RequestTemplate[] }>): void {
  const m = run.services
  if (!m || !run.bench?.length) return
  const soleService = m.total === 1 ? m.rows[0]!.service : undefined
  const templates: Array<RouteTemplate & { service: string }> = []
  for (const p of run.pairs) {
    const b = p.baseline
    if (b && isEndpoint(b) && !b.unresolved && (b.service ?? soleService)) templates.push({ ...routeTemplate(b), service: (b.service ?? soleService)! })
  }
  const serviceOf = new Map<string, string>()
  for (const s of scenarios) {
    const hit = new Set(s.requests.map((r) => bestRoute(templates, r.method.toUpperCase(), r.path)?.service ?? ''))
    if (hit.size === 1 && !hit.has('')) serviceOf.set(s.name, [...hit][0]!)
  }
  if (!serviceOf.size) return
  // Services per system, to know whose RSS is one service's.
  const servicesIn = (system: string) => run.systems.find((s) => s.name === system)?.items.service ?? 0
  const figure = (system: string, service: string): ServiceBench | undefined => {
    const entries = run.bench!.filter((e) => e.system === system && serviceOf.get(e.scenario) === service && e.trials.some((t) => t.result))
    if (!entries.length) return undefined
    const rss = entries.map((e) => e.resources?.rssPeakMb).filter((x): x is number => x !== undefined)
    return {
      rps: Math.round(median(entries.map((e) => e.throughput.rps))),
      scenarios: entries.map((e) => e.scenario),
      ...(rss.length && servicesIn(system) <= 1 ? { rssMb: Math.round(Math.max(...rss)) } : {}),
    }
  }
  const baseline = run.systems.find((s) => s.role === 'baseline')?.name
  for (const row of m.rows) {
    const own = baseline ? figure(baseline, row.service) : undefined
    if (own) row.bench = own
    for (const [name, port] of Object.entries(row.candidates)) {
      if (port.status === 'not-started') continue
      const f = figure(name, row.service)
      if (f) port.bench = f
    }
  }
}
