/**
 * Evidence a person can trust, on real servers: a write the candidate refuses and the reads after it
 * (likely consequences linked to the write, one root cause in the figures), a list route whose two
 * request shapes break differently (two groups, each with its own example), and a route the candidate
 * does not serve (`missing` in the pair, the figures, the vault and the HTML report; never "100% ported").
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Ajv2020 from 'ajv/dist/2020.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EndpointItem } from '../src/model/inventory.js'
import type { Exchange, RouteEvidence } from '../src/model/exchange.js'
import { emptyRun } from '../src/model/empty-run.js'
import type { Pair, RunResult } from '../src/model/run.js'
import { summarizePairs } from '../src/match/diff.js'
import { renderReplay } from '../src/report/replay-table.js'
import { renderHeadlines } from '../src/report/run-summary.js'
import { renderVault } from '../src/report/markdown/vault.js'
import { renderHtml } from '../src/report/html/render.js'
import { applyRouteEvidence } from '../src/verify/evidence.js'
import { replayEvidence, runReplay } from '../src/verify/replay-result.js'
import { writeNdjson } from './support/corpus-files.js'
import { useReportBrowser } from './support/report-browser.js'

const BOOKS = [
  { id: 1, title: 'Dune', year: 1965 },
  { id: 2, title: 'Anathem', year: 2008 },
  { id: 3, title: 'Solaris', year: 1961 },
]

/**
 * The shelf service. The candidate refuses names over 10 characters (a validation difference), drops
 * `total` from sorted lists, returns `page` as a string, and does not serve `/api/stats`.
 */
function startShelf(candidate: boolean): Promise<{ url: string; server: Server }> {
  const items = new Map<number, { id: number; name: string }>()
  let next = 1
  const server = createServer((req, res) => {
    void handle(req, res)
  })
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const body = Buffer.concat(chunks).toString('utf8')
    const json = (status: number, value: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(value))
    }
    const url = new URL(req.url ?? '/', 'http://x')
    if (req.method === 'POST' && url.pathname === '/api/items') {
      const name = String(JSON.parse(body || '{}').name ?? '')
      if (candidate && name.length > 10) return json(422, { error: 'name too long' })
      const item = { id: next++, name }
      items.set(item.id, item)
      return json(201, item)
    }
    if (req.method === 'GET' && url.pathname === '/api/items') return json(200, { items: [...items.values()] })
    const m = /^\/api\/items\/(\d+)$/.exec(url.pathname)
    if (m && req.method === 'GET') {
      const item = items.get(Number(m[1]))
      return item ? json(200, item) : json(404, { error: 'not found' })
    }
    if (req.method === 'GET' && url.pathname === '/api/books') {
      const sort = url.searchParams.get('sort')
      const page = url.searchParams.get('page')
      if (sort) {
        const list = [...BOOKS].sort((a, b) => String(a[sort as 'title']).localeCompare(String(b[sort as 'title'])))
        return json(200, candidate ? { items: list } : { items: list, total: list.length })
      }
      if (page) return json(200, { items: BOOKS, page: candidate ? page : Number(page) })
      return json(200, { items: BOOKS, total: BOOKS.length })
    }
    if (req.method === 'GET' && url.pathname === '/api/stats' && !candidate) return json(200, { items: items.size, books: BOOKS.length })
    json(404, { error: 'no route' })
  }
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server })))
}

function stop(server: Server): Promise<void> {
  server.closeAllConnections()
  return new Promise((resolve) => server.close(() => resolve()))
}

const ex = (session: string, seq: number, method: string, url: string, body?: unknown): Exchange => ({
  id: `${session}.${seq}`,
  session,
  seq,
  request: {
    method,
    url,
    headers: body === undefined ? [] : [['content-type', 'application/json']],
    ...(body === undefined ? {} : { body: { text: JSON.stringify(body), size: JSON.stringify(body).length } }),
  },
})

/**
 * One client creates an item both accept and one the candidate refuses, then reads both and the
 * list; another lists books two ways and asks for stats.
 */
const CORPUS: Exchange[] = [
  ex('writer', 0, 'POST', '/api/items', { name: 'short' }),
  ex('writer', 1, 'POST', '/api/items', { name: 'a rather long name' }),
  ex('writer', 2, 'GET', '/api/items/1'),
  ex('writer', 3, 'GET', '/api/items/2'),
  ex('writer', 4, 'GET', '/api/items/2?fields=name'),
  ex('writer', 5, 'GET', '/api/items'),
  ex('reader', 0, 'GET', '/api/books?sort=title'),
  ex('reader', 1, 'GET', '/api/books?sort=year'),
  ex('reader', 2, 'GET', '/api/books?page=2'),
  ex('reader', 3, 'GET', '/api/books'),
  ex('reader', 4, 'GET', '/api/stats'),
]

const ROUTES: Array<[string, string]> = [
  ['POST', '/api/items'],
  ['GET', '/api/items'],
  ['GET', '/api/items/{id}'],
  ['GET', '/api/books'],
  ['GET', '/api/stats'],
]

/** A run whose scan found every route on both sides (all ported), before the replay. */
function scannedRun(routes: Array<[string, string]>): RunResult {
  const pairs: Pair[] = routes.map(([method, path]) => {
    const key = `${method} ${path.replace(/\{[^}]+\}/g, '{}')}`
    const item = (file: string): EndpointItem => ({ kind: 'route', method, path, key, framework: 'express', component: 'api', source: { file, line: 1 } })
    return {
      kind: 'route',
      key,
      component: 'api',
      status: 'ported',
      baseline: item('old.js'),
      candidate: item('new.js'),
      candidateSystem: 'candidate',
      via: 'key',
    }
  })
  const stats = { files: 1, parsed: 1, lines: 1, skipped: {} }
  return {
    ...emptyRun(),
    systems: [
      {
        name: 'baseline',
        role: 'baseline',
        source: 'old',
        sourceKind: 'tree',
        frameworks: ['express'],
        stats,
        items: { route: pairs.length },
        diagnostics: [],
      },
      {
        name: 'candidate',
        role: 'candidate',
        source: 'new',
        sourceKind: 'tree',
        frameworks: ['express'],
        stats,
        items: { route: pairs.length },
        diagnostics: [],
      },
    ],
    pairs,
    candidates: { candidate: summarizePairs(pairs, ['candidate']).summary },
    ...summarizePairs(pairs, ['candidate']),
  }
}

const Ajv = Ajv2020 as unknown as typeof Ajv2020.default
const validate = new Ajv({ allErrors: true }).compile(JSON.parse(readFileSync(new URL('../schema/run.schema.json', import.meta.url), 'utf8')))

let tmp = ''
let corpus = ''
const servers: Server[] = []
const urls = { baseline: '', candidate: '' }
/** Fresh servers per replay: each replay starts from the same empty state. */
async function replayOnce(inventory?: EndpointItem[]) {
  const b = await startShelf(false)
  const c = await startShelf(true)
  servers.push(b.server, c.server)
  urls.baseline = b.url
  urls.candidate = c.url
  return replayEvidence({ corpus, baseline: b.url, candidate: c.url, concurrency: 1, ...(inventory ? { inventory } : {}) })
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'parity-consequences-'))
  corpus = join(tmp, 'shelf.ndjson')
  writeNdjson(corpus, CORPUS)
})
afterAll(async () => {
  await Promise.all(servers.map(stop))
  rmSync(tmp, { recursive: true, force: true })
})

const inventory = (): EndpointItem[] => scannedRun(ROUTES).pairs.map((p) => p.baseline as EndpointItem)
const route = (routes: RouteEvidence[], key: string) => routes.find((r) => r.key === key)!

describe('a write the candidate refuses, then reads of the same item', () => {
  it('shows the reads as likely consequences linked to the write, and the write as the root cause', async () => {
    const { routes } = await replayOnce(inventory())
    const write = route(routes, 'POST /api/items')
    expect(write.status).toBe('divergent')
    expect(write.groups?.[0]?.cause).toBeUndefined()
    expect(write.groups?.[0]?.differences.find((d) => d.where === 'status')).toMatchObject({ baseline: 201, candidate: 422, exchange: 'writer.1' })
    // The refused item's reads: linked to the write; the item both stored reads alike.
    const read = route(routes, 'GET /api/items/{}')
    expect(read.status).toBe('consequence')
    expect(read.exchanges).toBe(3)
    expect(read.consequences).toBe(2)
    expect(read.groups?.length).toBeGreaterThan(0)
    expect(read.groups?.every((g) => g.cause?.exchange === 'writer.1' && g.cause.route === 'POST /api/items')).toBe(true)
    expect(read.groups?.[0]?.cause?.via).toBe('path /api/items')
    // The list lacks the refused item: a consequence too, not a divergence of the list.
    const list = route(routes, 'GET /api/items')
    expect(list.status).toBe('consequence')
    expect(list.groups?.[0]?.cause?.exchange).toBe('writer.1')
  })

  it('counts one root cause in the figures and says what it left out', async () => {
    const { routes } = await replayOnce(inventory())
    const run = applyRouteEvidence(scannedRun(ROUTES), routes, 'candidate')
    // The write is the one divergence; the reads stay as they were (ported), counted apart.
    expect(run.pairs.find((p) => p.key === 'POST /api/items')?.status).toBe('divergent')
    expect(run.pairs.find((p) => p.key === 'GET /api/items/{}')?.status).toBe('ported')
    expect(run.pairs.find((p) => p.key === 'GET /api/items')?.status).toBe('ported')
    expect(run.summary.consequences).toBe(2)
    expect(validate(JSON.parse(JSON.stringify(run))), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true)
    expect(renderHeadlines(run)).toContain(
      'behaviour: 0 verified, 2 divergent (2 routes differing only as likely consequences of a refused write, not counted)',
    )
    // The terminal lists the cause first and the consequence under it, linked by exchange id.
    const text = renderReplay(run)
    const lines = text.split('\n')
    const at = (s: string) => lines.findIndex((l) => l.includes(s))
    expect(at('POST /api/items')).toBeLessThan(at('↳ GET /api/items/{id}'))
    expect(text).toContain('likely consequence of POST /api/items (exchange writer.1, path /api/items)')
  })
})

describe('a list route whose request shapes break differently', () => {
  it('keeps one group per shape, each with its own example exchange', async () => {
    const { routes } = await replayOnce(inventory())
    const books = route(routes, 'GET /api/books')
    expect(books.status).toBe('divergent')
    const groups = books.groups ?? []
    expect(groups.map((g) => g.shape).sort()).toEqual(['?page', '?sort'])
    const sort = groups.find((g) => g.shape === '?sort')!
    const page = groups.find((g) => g.shape === '?page')!
    expect(sort.exchanges).toBe(2)
    expect(sort.differences).toEqual([expect.objectContaining({ where: 'body', pointer: '/total', kind: 'missing', exchange: 'reader.0' })])
    expect(sort.examples.map((e) => e.request.url)).toEqual(['/api/books?sort=title'])
    expect(page.differences).toEqual([expect.objectContaining({ where: 'body', pointer: '/page', kind: 'type', exchange: 'reader.2' })])
    expect(page.examples.map((e) => e.id)).toEqual(['reader.2'])
  })
})

describe('a route the candidate does not serve', () => {
  it('is missing in the evidence, the pair and the figures, scanned or only seen in traffic', async () => {
    const { routes } = await replayOnce(inventory())
    expect(route(routes, 'GET /api/stats').status).toBe('missing')
    const run = applyRouteEvidence(scannedRun(ROUTES), routes, 'candidate')
    expect(run.pairs.find((p) => p.key === 'GET /api/stats')?.status).toBe('missing')
    expect(run.summary.missing).toBe(1)
    expect(run.summary.percent).toBe(80)
    // The scan missed it: it joins the inventory as seen in traffic, missing all the same.
    const partial = applyRouteEvidence(scannedRun(ROUTES.slice(0, 4)), routes, 'candidate')
    const joined = partial.pairs.find((p) => p.key === 'GET /api/stats')
    expect(joined).toMatchObject({ status: 'missing', candidate: null, baseline: { framework: 'traffic' } })
    expect(partial.summary.percent).toBe(80)
    expect(renderHeadlines(partial)).not.toContain('100%')
    expect(partial.diagnostics.map((d) => d.message).join('\n')).toContain('joined the inventory as seen in traffic')
  })

  it('is missing in the standalone replay run and in the vault', async () => {
    const b = await startShelf(false)
    const c = await startShelf(true)
    servers.push(b.server, c.server)
    const run = await runReplay({ corpus, baseline: b.url, candidate: c.url, concurrency: 1 })
    expect(run.pairs.find((p) => p.key === 'GET /api/stats')?.status).toBe('missing')
    expect(run.summary.missing).toBe(1)
    const files = renderVault(run)
    const all = [...files.values()].join('\n')
    expect(all).not.toContain('100% ported')
    const comparison = [...files.entries()].find(([name]) => name.includes('Comparison'))?.[1] ?? ''
    expect(comparison).toMatch(/\| GET \| `\/api\/stats` \|[^\n]*missing/)
    expect(comparison).toContain('- `GET /api/stats` missing (1 exchange)')
    // The consequence under its cause, linked by exchange id.
    const behaviour = comparison.slice(comparison.indexOf('## Behaviour'))
    expect(behaviour.indexOf('- `POST /api/items` divergent')).toBeLessThan(behaviour.indexOf('  - `GET /api/items/{id}` likely consequence'))
    expect(behaviour).toContain('likely consequence of `POST /api/items` (exchange `writer.1`, path /api/items)')
  })
})

describe('the HTML report', () => {
  const browser = useReportBrowser()
  it('shows the missing route as missing, the groups per shape, and the consequence under its cause', async () => {
    const { routes } = await replayOnce(inventory())
    const run = applyRouteEvidence(scannedRun(ROUTES), routes, 'candidate')
    const p = await browser.open(renderHtml(run), '#/behaviour')
    await p.waitForSelector('#routes')
    const status = async (key: string) => p.getAttribute(`#routes tr.route[data-key="${key}"]`, 'data-status')
    expect(await status('GET /api/stats')).toBe('missing')
    expect(await status('GET /api/items/{}')).toBe('consequence')
    const keys = await p.$$eval('#routes tr.route', (rows) => rows.map((r) => r.getAttribute('data-key')))
    expect(keys.indexOf('POST /api/items')).toBeLessThan(keys.indexOf('GET /api/items/{}'))
    expect(await p.textContent(`#routes tr.route[data-key="GET /api/items/{}"]`)).toContain('likely consequence of POST /api/items')
    await p.click('#routes tr.route[data-key="GET /api/books"]')
    const shapes = await p.$$eval('#routes .diff-group', (gs) => gs.map((g) => g.getAttribute('data-shape')))
    expect(shapes.sort()).toEqual(['?page', '?sort'])
    expect(await p.textContent('#routes .diff-group[data-shape="?page"]')).toContain('/api/books?page=2')
    // No card or figure says 100% ported while a route is missing.
    const overview = await browser.open(renderHtml(run), '#/')
    expect(await overview.textContent('body')).not.toContain('100%')
    const card = '.card[data-candidate="candidate"]'
    expect(await overview.textContent(`${card} li[data-status="missing"] b`)).toBe('1')
    expect(await overview.textContent(`${card} li[data-status="divergent"] b`)).toBe('2')
    expect(await overview.textContent(`${card} .card-consequences`)).toBe(
      '2 routes differing only as likely consequences of a refused write: not counted as divergent',
    )
    expect(await overview.textContent('#behaviour-card li[data-status="missing"] b')).toBe('1')
  })
})
