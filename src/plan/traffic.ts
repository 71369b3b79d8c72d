/**
 * Traffic per route from a replay corpus: each exchange counts for the inventory route whose key
 * matches its method and path (the most literal one when several do), else for a key inferred
 * from its path.
 */
import { normalizePath } from '../model/path.js'
import { inferRouteKey } from '../verify/compare.js'
import type { Exchange } from '../model/exchange.js'

export function trafficByRoute(exchanges: readonly Exchange[], routeKeys: readonly string[]): Map<string, number> {
  const templates = routeKeys.map((key) => {
    const space = key.indexOf(' ')
    const segs = key.slice(space + 1).split('/')
    return { key, method: key.slice(0, space), segs, literals: segs.filter((s) => !s.includes('{')).length }
  })
  const out = new Map<string, number>()
  for (const x of exchanges) {
    const method = x.ws ? 'WS' : x.request.method.toUpperCase()
    const segs = normalizePath(pathOf(x.request.url)).split('/')
    let best: (typeof templates)[number] | undefined
    for (const t of templates) {
      if (t.method !== method && t.method !== 'ALL' && !(t.method === 'WS' && method === 'GET')) continue
      if (t.segs.length !== segs.length || !t.segs.every((s, i) => s === segs[i] || (s.includes('{') && segs[i] !== ''))) continue
      if (!best || t.literals > best.literals) best = t
    }
    const key = best?.key ?? inferRouteKey(x)
    out.set(key, (out.get(key) ?? 0) + 1)
  }
  return out
}

function pathOf(url: string): string {
  const start = url.startsWith('/') ? 0 : url.indexOf('/', url.indexOf('//') + 2)
  const path = start < 0 ? '/' : url.slice(start)
  const q = path.search(/[?#]/)
  return q < 0 ? path : path.slice(0, q)
}
