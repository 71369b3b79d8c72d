/**
 * Recorded traffic resolves what the scan could not: an unresolved `GET /{?}/articles/{id}` and an
 * observed `GET /api/articles/x` make `GET /api/articles/{id}`, marked as resolved by traffic. Each
 * unknown part takes the text the requests show there; several different texts make several routes
 * (`/pages/{?}` seen as `/pages/about` and `/pages/terms`), at most 20 per unresolved route.
 */
import type { Diagnostic, EndpointItem, Inventory } from '../model/inventory.js'
import { componentOf, normalizePath, routeKey } from '../model/path.js'

const MAX_PER_ITEM = 20

export interface ObservedRequest {
  method: string
  /** Path, perhaps with a query. */
  url: string
}

/** Replace each unresolved endpoint that recorded requests complete by the routes they show; returns how many were resolved. */
export function resolveByTraffic(inventory: Inventory, requests: readonly ObservedRequest[], corpus: string): number {
  const paths = requests.map((r) => ({ method: r.method.toUpperCase(), path: pathOf(r.url) }))
  let resolved = 0
  const out: typeof inventory.items = []
  for (const item of inventory.items) {
    if (!('unresolved' in item) || !item.unresolved || (item.kind !== 'route' && item.kind !== 'sse')) {
      out.push(item)
      continue
    }
    const made = complete(item, paths)
    if (!made.length) {
      out.push(item)
      continue
    }
    resolved++
    for (const path of made) {
      const { unresolved: _why, ...rest } = item
      out.push({
        ...rest,
        path,
        key: routeKey(item.method, path),
        component: componentOf(path),
        resolvedFrom: { path: item.path, by: 'traffic' },
      } satisfies EndpointItem)
    }
    inventory.diagnostics.push(note(item, made, corpus))
  }
  inventory.items = out
  return resolved
}

/** The full paths an unresolved route takes in the observed requests of its method. */
export function complete(item: EndpointItem, observed: ReadonlyArray<{ method: string; path: string }>): string[] {
  // Placeholders in order: `{?}` (unknown text) or a parameter `{name}`.
  const parts = item.path.split(/(\{[^}]*\})/)
  let pattern = '^'
  for (const p of parts) {
    if (p === '{?}') pattern += '(.+?)'
    else if (/^\{[^}]*\}$/.test(p)) pattern += '[^/]+'
    else pattern += p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  }
  const re = new RegExp(`${pattern}/?$`)
  const made = new Set<string>()
  for (const o of observed) {
    if (item.method !== 'ALL' && o.method !== item.method) continue
    const m = re.exec(o.path)
    if (!m) continue
    let i = 1
    const path = parts.map((p) => (p === '{?}' ? m[i++]! : p)).join('')
    // An unknown part seen holding only a parameter-like value (`42`, a UUID) is no route of its own.
    if (m.slice(1).some((g) => /^\/?([0-9]+|[0-9a-f]{8}-[0-9a-f-]{27,})\/?$/i.test(g))) continue
    made.add(normalizePath(path))
    if (made.size >= MAX_PER_ITEM) break
  }
  return [...made]
}

function pathOf(url: string): string {
  const q = url.search(/[?#]/)
  const path = q === -1 ? url : url.slice(0, q)
  try {
    return decodeURI(path)
  } catch {
    return path
  }
}

function note(item: EndpointItem, made: string[], corpus: string): Diagnostic {
  return {
    level: 'info',
    code: 'RESOLVED_BY_TRAFFIC',
    ...(item.source ? { file: item.source.file, line: item.source.line } : {}),
    message: `${item.method} ${item.path} is ${made.map((p) => `${item.method} ${p}`).join(', ')} in the requests of ${corpus}`,
  }
}
