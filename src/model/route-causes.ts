/**
 * Replayed routes in the order every reader lists them: the run's order, except that a route whose
 * differences are only likely consequences comes right after the route of the write that caused
 * them, never before it. One order, so that the terminal, the vault, the HTML report and the
 * dashboard agree.
 */
import type { RouteEvidence } from './exchange.js'

/** The route keys of the writes a route's consequence groups point to, first seen first. */
export function causesOf(r: RouteEvidence): string[] {
  return [...new Set((r.groups ?? []).flatMap((g) => (g.cause ? [g.cause.route] : [])))]
}

/** Routes with a rank: 0 for a root cause, 1 for a likely consequence listed under its cause (`under`, its key). */
export interface OrderedRoute {
  route: RouteEvidence
  /** The cause's route key when this route is listed under it. */
  under?: string
}

/** Each cause followed by the consequence routes it caused; every other route keeps its place. */
export function orderByCause(routes: RouteEvidence[]): OrderedRoute[] {
  const byKey = new Map(routes.map((r) => [r.key, r]))
  const sorted = routes.map((r) => ({ r }))
  const placed = new Set<string>()
  const out: OrderedRoute[] = []
  const consequencesOf = (key: string) => sorted.filter((x) => x.r.status === 'consequence' && causesOf(x.r)[0] === key).map((x) => x.r)
  for (const { r } of sorted) {
    if (placed.has(r.key)) continue
    // A consequence whose cause is listed waits for it.
    const cause = r.status === 'consequence' ? causesOf(r)[0] : undefined
    if (cause && byKey.has(cause) && cause !== r.key) continue
    placed.add(r.key)
    out.push({ route: r })
    for (const c of consequencesOf(r.key)) {
      if (placed.has(c.key) || c.key === r.key) continue
      placed.add(c.key)
      out.push({ route: c, under: r.key })
    }
  }
  // Consequences whose cause chain never got placed (a cycle): at the end, never dropped.
  for (const { r } of sorted) if (!placed.has(r.key)) out.push({ route: r })
  return out
}

/** A request shape in words: `?page,sort {name}` as written, `-` as "no query or body". */
export function shapeLabel(shape: string): string {
  return shape === '-' ? 'with no query or body' : shape
}
