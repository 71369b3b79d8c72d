/**
 * Traffic per route from a replay corpus: each exchange counts for the inventory route whose key
 * matches its method and path (the most literal one when several do), else for a key inferred
 * from its path.
 */
import { exchangeMethod, inferRouteKey } from '../model/route-infer.js'
import { bestRoute, routeTemplate } from '../model/route-match.js'
import type { Exchange } from '../model/exchange.js'

export function trafficByRoute(exchanges: readonly Exchange[], routeKeys: readonly string[]): Map<string, number> {
  // The replay's own matcher (model/route-match.ts): the plan's traffic and the replay's evidence count the same requests for a route.
  const templates = routeKeys.map((key) => {
    const space = key.indexOf(' ')
    return routeTemplate({ method: key.slice(0, space), path: key.slice(space + 1), key })
  })
  const out = new Map<string, number>()
  for (const x of exchanges) {
    const key = bestRoute(templates, exchangeMethod(x), x.request.url)?.key ?? inferRouteKey(x)
    out.set(key, (out.get(key) ?? 0) + 1)
  }
  return out
}
