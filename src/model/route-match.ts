/**
 * Which inventory route a recorded request belongs to: the one whose template matches its method and
 * path, the most literal one when several do. One matcher for every reader of traffic: the replay's
 * evidence per route (verify/evidence.ts) and the plan's traffic per route (plan/traffic.ts).
 */
import { normalizePath } from './path.js'

export interface RouteTemplate {
  method: string
  path: string
  key: string
  segs: string[]
  /** Segments without a parameter: more is more specific. */
  literals: number
}

export function routeTemplate(r: { method: string; path: string; key: string }): RouteTemplate {
  const segs = normalizePath(r.path).split('/')
  return { method: r.method.toUpperCase(), path: r.path, key: r.key, segs, literals: segs.filter((s) => !s.includes('{')).length }
}

/** The path of a request URL, without query or fragment; an absolute URL gives its path. */
export function requestPath(url: string): string {
  const q = url.search(/[?#]/)
  const p = q < 0 ? url : url.slice(0, q)
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(p)) {
    try {
      return new URL(p).pathname
    } catch {
      return p
    }
  }
  return p === '' ? '/' : p
}

export function decodeSegment(s: string): string {
  if (!s.includes('%')) return s
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

function segMatches(t: string, s: string): boolean {
  if (t === s) return true
  if (!t.includes('{')) return false
  if (t.startsWith('{') && t.endsWith('}') && t.indexOf('{', 1) < 0) return s !== ''
  // A segment mixing literal text and parameters (`{id}.json`): literal parts must appear in order.
  const re = new RegExp(
    `^${t
      .split(/\{[^}]*\}/)
      .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.+')}$`,
  )
  return re.test(s)
}

/** Whether a template matches a method and the decoded segments of a path (a WebSocket upgrade is a GET). */
export function templateMatches(t: RouteTemplate, method: string, segs: string[]): boolean {
  if (t.method !== method && t.method !== 'ALL' && !(t.method === 'WS' && method === 'GET') && !(t.method === 'GET' && method === 'WS')) return false
  const last = t.segs[t.segs.length - 1] ?? ''
  // A trailing catch-all (`{*rest}`, normalised to `{rest}` after a `*`) is not distinguishable here: exact length only.
  if (t.segs.length !== segs.length) {
    const trimmedT = last === '' ? t.segs.slice(0, -1) : t.segs
    const trimmedS = segs[segs.length - 1] === '' ? segs.slice(0, -1) : segs
    return trimmedT.length === trimmedS.length && trimmedT.every((ts, i) => segMatches(ts, trimmedS[i]!))
  }
  return t.segs.every((ts, i) => segMatches(ts, segs[i]!))
}

/** The most literal template matching a request (`method` upper-case, `WS` for an upgrade), or undefined. */
export function bestRoute<T extends RouteTemplate>(templates: readonly T[], method: string, url: string): T | undefined {
  const segs = requestPath(url).split('/').map(decodeSegment)
  let best: T | undefined
  for (const t of templates) if (templateMatches(t, method, segs) && (!best || t.literals > best.literals)) best = t
  return best
}
