/**
 * Service to service pairing, before item to item: in a monorepo a route is ported only by the port
 * of its own service. A baseline service pairs with the candidate service of the same name, else with
 * the one a map rule names, else one whose name differs only by a language or role mark (`go-file-management-service`,
 * `auth-rs` for `auth-service`), else with one that serves most of the same routes. Routes that most
 * services share (`GET /health`) are no evidence of a rename.
 */
import { isEndpoint, type Item, type ServiceItem } from '../model/inventory.js'

/** How a candidate service was paired: by its name, or as a rename (a name mark or the routes it shares). */
export interface ServicePair {
  candidate: string
  via: 'key' | 'map' | 'service-rename'
}

/** Name parts that say the language or the role, not the service. */
export const MARKS: ReadonlySet<string> = new Set([
  'go',
  'golang',
  'rs',
  'rust',
  'py',
  'python',
  'ts',
  'js',
  'node',
  'service',
  'svc',
  'server',
  'srv',
  'new',
  'next',
  'v2',
])

/** A service name without its marks: `go-file-management-service` and `file-management-service` are `file-management`. */
export function serviceStem(name: string): string {
  const parts = name
    .toLowerCase()
    .split(/[-_.\s]+/)
    .filter(Boolean)
  const kept = parts.filter((p) => !MARKS.has(p))
  return (kept.length ? kept : parts).join('-')
}

/** Share of a candidate service's own routes that the baseline service serves, above which it is a rename. */
const RENAME_OVERLAP = 0.5

/** The candidate service each baseline service pairs with, by baseline service name; each candidate service pairs once. */
export function pairServices(
  baseItems: readonly Item[],
  candItems: readonly Item[],
  mapped: ReadonlyMap<string, string> = new Map(),
): Map<string, ServicePair> {
  const pairs = new Map<string, ServicePair>()
  const baseServices = baseItems.filter((i): i is ServiceItem => i.kind === 'service').map((s) => s.name)
  const candServices = candItems.filter((i): i is ServiceItem => i.kind === 'service').map((s) => s.name)
  if (!baseServices.length || !candServices.length) return pairs
  const taken = new Set<string>()
  // A map rule (`service billing -> service billing-rs`) says so before any name or route does.
  for (const [base, cand] of mapped) {
    if (!baseServices.includes(base) || !candServices.includes(cand) || taken.has(cand)) continue
    pairs.set(base, { candidate: cand, via: 'map' })
    taken.add(cand)
  }
  for (const name of baseServices) {
    if (!pairs.has(name) && !taken.has(name) && candServices.includes(name)) {
      pairs.set(name, { candidate: name, via: 'key' })
      taken.add(name)
    }
  }
  const routesOf = (items: readonly Item[]) => {
    const out = new Map<string, Set<string>>()
    for (const i of items) if (isEndpoint(i) && i.service) (out.get(i.service) ?? out.set(i.service, new Set()).get(i.service)!).add(i.key)
    return out
  }
  const baseRoutes = routesOf(baseItems)
  const candRoutes = routesOf(candItems)
  // A key served by more than one baseline service says nothing about which one a port replaces.
  const servedBy = new Map<string, number>()
  for (const keys of baseRoutes.values()) for (const k of keys) servedBy.set(k, (servedBy.get(k) ?? 0) + 1)
  const telling = (keys: Set<string> | undefined) => [...(keys ?? [])].filter((k) => (servedBy.get(k) ?? 0) <= 1)
  const scored: Array<{ base: string; cand: string; score: number }> = []
  for (const base of baseServices) {
    if (pairs.has(base)) continue
    for (const cand of candServices) {
      if (taken.has(cand)) continue
      const own = telling(candRoutes.get(cand))
      const shared = own.filter((k) => baseRoutes.get(base)?.has(k)).length
      const sameStem = serviceStem(base) === serviceStem(cand)
      if (sameStem || (own.length > 0 && shared / own.length >= RENAME_OVERLAP)) scored.push({ base, cand, score: (sameStem ? 1000 : 0) + shared })
    }
  }
  scored.sort((a, b) => b.score - a.score || a.base.localeCompare(b.base) || a.cand.localeCompare(b.cand))
  for (const s of scored) {
    if (pairs.has(s.base) || taken.has(s.cand)) continue
    pairs.set(s.base, { candidate: s.cand, via: 'service-rename' })
    taken.add(s.cand)
  }
  return pairs
}
