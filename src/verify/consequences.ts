/**
 * Consequences traced: after a write one side accepted and the other refused, later reads of the
 * same data differ because the state differs, not because the reading route is wrong. Within one
 * session, a differing exchange that follows an earlier refused write on data that write touched
 * (one path is a prefix of the other, or it names an id the write created or used) is a likely
 * consequence of it; chains lead back to the first write, the root cause.
 */
import type { ExchangeVerdict, ReplayedExchange } from '../model/exchange.js'

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
const WRITES_LOOKED_AT = 200

/** An id-like key of a response body: `id`, `_id`, `uuid`, `slug`, `userId`, `user_id`. */
const ID_KEY = /^(id|_id|uuid|slug)$|[a-z]Id$|_id$/

/** The cause of a likely consequence, by index into the replayed exchanges, and what ties them. */
export interface TracedCause {
  cause: number
  via: string
}

function pathSegments(url: string): string[] {
  const q = url.search(/[?#]/)
  return (q >= 0 ? url.slice(0, q) : url).split('/').filter(Boolean)
}

/** Segments and query values a request names: where an id it reads would appear. */
function namedValues(url: string): Set<string> {
  const out = new Set(pathSegments(url).map(safeDecode))
  const q = url.indexOf('?')
  if (q >= 0) for (const v of new URLSearchParams(url.slice(q + 1)).values()) out.add(v)
  return out
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

/** A path segment that is an id rather than a word: digits, a UUID, a long hex or mixed token. */
function idLike(seg: string): boolean {
  return /^\d+$/.test(seg) || /^[0-9a-f-]{8,}$/i.test(seg) || (/\d/.test(seg) && /^[\w-]{6,}$/.test(seg))
}

/** The ids a write created or used: id-like keys of its answer (two levels deep), its Location, and id segments of its path. */
function writeIds(x: ReplayedExchange): Set<string> {
  const ids = new Set<string>()
  const collect = (value: unknown, depth: number): void => {
    if (!value || typeof value !== 'object' || depth > 2) return
    for (const [k, v] of Object.entries(value)) {
      if ((typeof v === 'string' || typeof v === 'number') && ID_KEY.test(k) && String(v).length > 0) ids.add(String(v))
      else if (v && typeof v === 'object') collect(v, depth + 1)
    }
  }
  for (const text of [x.exchange.response?.body?.text, x.baseline.body?.text]) {
    if (!text) continue
    try {
      collect(JSON.parse(text), 0)
    } catch {
      // Not JSON: no ids from the body.
    }
  }
  for (const headers of [x.exchange.response?.headers, x.baseline.headers]) {
    const location = headers?.find(([n]) => n === 'location')?.[1]
    const last = location ? pathSegments(location).pop() : undefined
    if (last) ids.add(safeDecode(last))
  }
  for (const seg of pathSegments(x.exchange.request.url)) if (idLike(seg)) ids.add(safeDecode(seg))
  return ids
}

/**
 * One side accepted the write (2xx) and the other refused it (another status, or no answer): from
 * there the two states differ. A write both accepted (201 against 200, another body) leaves them alike
 * as far as parity can tell, so what differs after it is its own difference.
 */
function refused(x: ReplayedExchange): boolean {
  const ok = (r: ReplayedExchange['baseline']) => !r.error && r.status >= 200 && r.status < 300
  return ok(x.baseline) !== ok(x.candidate)
}

/** Why `later` reads what `write` touched, or undefined when it does not. */
function touches(write: { segments: string[]; ids: Set<string> }, later: ReplayedExchange): string | undefined {
  const segs = pathSegments(later.exchange.request.url)
  const n = Math.min(segs.length, write.segments.length)
  if (n > 0 && segs.slice(0, n).every((s, i) => s === write.segments[i])) return `path /${segs.slice(0, n).join('/')}`
  for (const v of namedValues(later.exchange.request.url)) if (write.ids.has(v)) return `id ${v}`
  return undefined
}

/**
 * For each replayed exchange that differs and follows a differing write of its session on the same
 * data, its root cause (an index into `replayed`); `verdicts[i]` is the verdict of `replayed[i]`.
 */
export function traceConsequences(replayed: ReplayedExchange[], verdicts: ExchangeVerdict[]): Map<number, TracedCause> {
  const bySession = new Map<string, number[]>()
  replayed.forEach((x, i) => {
    const list = bySession.get(x.exchange.session)
    if (list) list.push(i)
    else bySession.set(x.exchange.session, [i])
  })
  const out = new Map<number, TracedCause>()
  for (const indexes of bySession.values()) {
    indexes.sort((a, b) => replayed[a]!.exchange.seq - replayed[b]!.exchange.seq || a - b)
    const writes: Array<{ index: number; root: number; segments: string[]; ids: Set<string> }> = []
    for (const i of indexes) {
      const x = replayed[i]!
      if (verdicts[i]?.outcome !== 'different') continue
      // A target that did not answer is a failure of its own, whatever came before.
      const failed = !!(x.baseline.error || x.candidate.error)
      // The latest earlier differing write that touched this data; its own root when it is itself a consequence.
      // Bounded: the last WRITES_LOOKED_AT refused writes of the session, so a long session stays linear.
      for (let w = failed ? -1 : writes.length - 1; w >= Math.max(0, writes.length - WRITES_LOOKED_AT); w--) {
        const via = touches(writes[w]!, x)
        if (via) {
          out.set(i, { cause: writes[w]!.root, via })
          break
        }
      }
      if (refused(x) && WRITES.has(x.exchange.request.method.toUpperCase())) {
        writes.push({ index: i, root: out.get(i)?.cause ?? i, segments: pathSegments(x.exchange.request.url), ids: writeIds(x) })
      }
    }
  }
  return out
}
