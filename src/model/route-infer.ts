/**
 * Route keys for requests no inventory route matches: a template inferred from the path, id-like
 * segments as `{id}`. Used wherever traffic is counted per route: the replay's noise and evidence,
 * the plan's traffic, the shadow's report.
 */
import type { Exchange } from './exchange.js'
import { idClass } from './id-shape.js'
import { routeKey } from './path.js'
import { decodeSegment, requestPath } from './route-match.js'

/**
 * Templates and route keys already inferred: learning noise and comparing ask for the same
 * exchanges' routes. Bounded: emptied when full; URLs past 2 KiB are not kept.
 */
const templateCache = new Map<string, string>()
const keyCache = new Map<string, Map<string, string>>()
const inferCacheLimit = 32_768

/** A route template inferred from one request path: id-like segments (numbers, UUIDs, hex ids, tokens) become `{id}`. */
export function inferTemplate(url: string): string {
  let template = templateCache.get(url)
  if (template === undefined) {
    const segs = requestPath(url).split('/')
    template = segs.map((s) => (s !== '' && idClass(decodeSegment(s)) !== undefined ? '{id}' : s)).join('/') || '/'
    if (templateCache.size >= inferCacheLimit) templateCache.clear()
    if (url.length <= 2048) templateCache.set(url, template)
  }
  return template
}

/** The method a route of an exchange is keyed by: upper case, `WS` for a WebSocket session. */
export function exchangeMethod(x: Exchange): string {
  return x.ws ? 'WS' : x.request.method.toUpperCase()
}

/** The route key of an exchange from its inferred template: `GET /api/bookmarks/{}`. */
export function inferRouteKey(x: Exchange): string {
  const method = exchangeMethod(x)
  const template = inferTemplate(x.request.url)
  let byMethod = keyCache.get(template)
  if (byMethod === undefined) {
    if (keyCache.size >= inferCacheLimit) keyCache.clear()
    keyCache.set(template, (byMethod = new Map()))
  }
  let key = byMethod.get(method)
  if (key === undefined) byMethod.set(method, (key = routeKey(method, template)))
  return key
}
