/**
 * The comparing side on a whole replayed session: a bookmarks API answered by two baseline
 * instances and a candidate, with planted noise (random ids, timestamps, tokens, request-id headers,
 * per-instance values only two baseline answers reveal) and one planted difference per route.
 * Noise is learned, then every planted difference is found and nothing else is reported.
 */
import { describe, expect, it } from 'vitest'
import { inferRouteKey } from '../src/model/route-infer.js'
import { routeEvidence } from '../src/verify/evidence.js'
import { compareExchange } from '../src/verify/exchange-diff.js'
import { learnNoise, unusedRules } from '../src/verify/noise.js'
import type { Headers, ReplayedExchange, TargetResponse } from '../src/model/exchange.js'

let seed = 7
const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
const hex = (n: number): string => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('')
const uuid = (): string => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`
const token = (): string => `eyJhbGciOiJIUzI1NiJ9.${hex(6)}Ab${hex(10)}.Zx${hex(20)}`
const instant = (): string => new Date(1_700_000_000_000 + Math.floor(random() * 1e10)).toISOString()

type Side = 'baseline' | 'baseline2' | 'candidate'
const json = (body: unknown, status = 200, headers: Headers = []): TargetResponse => {
  const text = JSON.stringify(body)
  return {
    status,
    durationMs: 1,
    body: { text, size: Buffer.byteLength(text) },
    headers: [
      ['content-type', 'application/json; charset=utf-8'],
      ['x-request-id', uuid()],
      ['date', new Date().toUTCString()],
      ['x-served-by', `node-${hex(2)}`],
      ...headers,
    ],
  }
}

/** What the fixture API answers on one side, with its planted difference on the candidate. */
function respond(side: Side, method: string, url: string, n: number): TargetResponse {
  const cand = side === 'candidate'
  if (url === '/api/health') return json({ ok: true, uptime: Math.floor(random() * 1000) })
  if (url === '/api/admin') return json({ error: 'unauthorized' }, 401)
  if (url === '/api/login') {
    // Planted: the candidate's session cookie lacks HttpOnly.
    return json({ token: token(), expiresAt: instant() }, 200, [['set-cookie', `sid=${hex(24)}; Path=/${cand ? '' : '; HttpOnly'}`]])
  }
  if (url === '/api/bookmarks' && method === 'GET') {
    const items = [1, 2, 3].map((id) => ({ id, title: `b${id}`, nonce: Math.floor(random() * 1e6) }))
    // Planted: the candidate lists them newest first.
    return json({ items: cand ? items.reverse() : items, total: 3 })
  }
  if (url === '/api/tags') return json({ count: cand ? '4' : 4, tags: ['a', 'b', 'c', 'd'] }) // planted: type change
  if (url === '/api/export') {
    const text = 'id,title\n1,b1\n'
    return { status: 200, durationMs: 1, headers: [['content-type', cand ? 'text/plain' : 'text/csv']], body: { text, size: text.length } } // planted: header
  }
  if (method === 'DELETE') return { status: cand ? 200 : 204, headers: [], durationMs: 1 } // planted: status
  const body: Record<string, unknown> = { id: n, uuid: uuid(), title: `bookmark ${n}`, createdAt: instant(), owner: { id: 1, name: 'ann' } }
  if (!cand) body.description = 'kept' // planted: missing field
  return json(body)
}

function session(): ReplayedExchange[] {
  const calls: Array<[string, string]> = [
    ['POST', '/api/login'],
    ['GET', '/api/health'],
    ['GET', '/api/admin'],
    ['GET', '/api/bookmarks'],
    ['GET', '/api/tags'],
    ['GET', '/api/export'],
  ]
  for (let n = 1; n <= 5; n++) calls.push(['GET', `/api/bookmarks/${n}`])
  calls.push(['DELETE', '/api/bookmarks/5'])
  return calls.map(([method, url], seq) => {
    const n = Number(url.split('/').pop()) || 0
    const request = { method, url, headers: [] as Headers }
    return {
      exchange: { id: String(seq), session: 's1', seq, request },
      sent: { baseline: request, candidate: request },
      baseline: respond('baseline', method, url, n),
      baseline2: respond('baseline2', method, url, n),
      candidate: respond('candidate', method, url, n),
    }
  })
}

describe('a replayed session with planted noise and planted differences', () => {
  const replayed = session()
  const rules = learnNoise(replayed, inferRouteKey)
  const verdicts = replayed.map((x) => compareExchange(x, rules))
  const inventory = [
    { method: 'GET', path: '/api/bookmarks/{id}', key: 'GET /api/bookmarks/{}' },
    { method: 'DELETE', path: '/api/bookmarks/{id}', key: 'DELETE /api/bookmarks/{}' },
    { method: 'PUT', path: '/api/bookmarks/{id}', key: 'PUT /api/bookmarks/{}' },
  ]
  const routes = routeEvidence(replayed, verdicts, inventory)

  it('learns the per-instance noise only two baseline answers reveal, with evidence', () => {
    const learned = rules.map((r) => `${r.route} ${r.where} ${r.pointer} ${r.evidence}`)
    expect(learned).toContain('GET /api/bookmarks body /items/*/nonce 1')
    expect(learned).toContain('GET /api/health body /uptime 1')
    expect(learned).toContain('GET /api/bookmarks/{} header x-served-by 5')
    expect(rules.every((r) => r.reason.startsWith('differs between two baseline answers: '))).toBe(true)
    // Noise the built-in detectors also cover is learned too (it does differ), never a planted difference.
    expect(learned.some((l) => /description|count|HttpOnly|content-type/.test(l))).toBe(false)
  })

  it('finds every planted difference and nothing else', () => {
    const found = routes.flatMap((r) => r.differences.map((d) => `${r.key} ${d.where} ${d.pointer} ${d.kind}`)).sort()
    expect(found).toEqual([
      'DELETE /api/bookmarks/{} status  value',
      'GET /api/bookmarks body /items order',
      'GET /api/bookmarks/{} body /description missing',
      'GET /api/export header content-type value',
      'GET /api/tags body /count type',
      'POST /api/login header set-cookie/sid value',
    ])
    const login = routes.find((r) => r.key === 'POST /api/login')!
    expect(login.differences[0]).toMatchObject({ baseline: 'httponly; path=/', candidate: 'path=/' })
  })

  it('turns verdicts into route statuses, with unexercised inventory routes and a minimal example', () => {
    expect(routes.map((r) => [r.key, r.status, r.exchanges])).toEqual([
      ['GET /api/admin', 'unproven', 1],
      ['GET /api/bookmarks', 'divergent', 1],
      ['DELETE /api/bookmarks/{}', 'divergent', 1],
      ['GET /api/bookmarks/{}', 'divergent', 5],
      ['PUT /api/bookmarks/{}', 'unexercised', 0],
      ['GET /api/export', 'divergent', 1],
      ['GET /api/health', 'verified', 1],
      ['POST /api/login', 'divergent', 1],
      ['GET /api/tags', 'divergent', 1],
    ])
    expect(routes.find((r) => r.key === 'GET /api/bookmarks/{}')!.example?.request.url).toBe('/api/bookmarks/1')
    expect(routes.find((r) => r.status === 'verified')!.example).toBeUndefined()
  })

  it('without the learned rules, the per-instance noise shows; without detectors, ids and timestamps show too', () => {
    const raw = replayed.map((x) => compareExchange(x, []))
    const pointers = new Set(raw.flatMap((v) => v.differences.map((d) => d.pointer)))
    expect(pointers.has('/uptime')).toBe(true)
    expect(pointers.has('/uuid')).toBe(false)
    const bare = replayed.map((x) => compareExchange(x, rules, { detectors: false }))
    const barePointers = new Set(bare.flatMap((v) => v.differences.map((d) => d.pointer)))
    // Learned rules still cover what the two baseline answers showed, so only the planted ones remain,
    // and the request id: a per-request header is never learned, it is left out by the detectors.
    expect(barePointers).toEqual(new Set(['/description', '/items', '/count', 'content-type', 'set-cookie/sid', '', 'x-request-id']))
  })

  it('every learned rule matches something; a rule for a field that never appears does not', () => {
    expect(unusedRules(rules, replayed)).toEqual([])
    const stale = { route: 'GET /api/bookmarks/{}', where: 'body' as const, pointer: '/updatedAt', reason: 'config' }
    expect(unusedRules([...rules, stale], replayed)).toEqual([stale])
  })
})
