import { createServer, type Server } from 'node:http'
import { createServer as createTcpServer, type AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runLoad, serialiseRequests, weightedSequence } from '../src/bench/generator.js'
import type { LoadProgress } from '../src/model/bench.js'

let server: Server
let base = ''
const seen: Record<string, number> = {}
const arrivals: number[] = []

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? ''
    seen[path] = (seen[path] ?? 0) + 1
    if (path === '/tick') {
      arrivals.push(performance.now())
      res.end('ok')
    } else if (path === '/slow') setTimeout(() => res.end('slow'), 20)
    else if (path === '/chunked') {
      res.write('part one ')
      res.end('part two')
    } else if (path === '/missing') {
      res.statusCode = 404
      res.end('no')
    } else if (path === '/boom') {
      res.statusCode = 500
      res.end('boom')
    } else if (path === '/close') {
      res.setHeader('connection', 'close')
      res.end('bye')
    } else if (path === '/hang') {
      // never answers
    } else if (path === '/echo') {
      let n = 0
      req.on('data', (d: Buffer) => (n += d.length))
      req.on('end', () => res.end(String(n)))
    } else res.end('ok')
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise((r) => server.close(r))
})

describe('runLoad, closed model', () => {
  it('counts answers, statuses and errors by kind over a mix', async () => {
    const r = await runLoad({
      url: base,
      requests: [
        { method: 'GET', path: '/', weight: 3 },
        { method: 'GET', path: '/chunked' },
        { method: 'GET', path: '/missing' },
        { method: 'GET', path: '/boom' },
      ],
      connections: 4,
      count: 600,
      warmupMs: 0,
    })
    expect(r.model).toBe('closed')
    expect(r.requests).toBe(600)
    expect(r.statusCounts).toEqual({ '200': 400, '404': 100, '500': 100 })
    expect(r.errorsByKind).toEqual({ timeout: 0, connect: 0, 'status-5xx': 100, 'status-4xx': 100, other: 0 })
    expect(r.errors).toBe(200)
    expect(r.latency.min).toBeGreaterThan(0)
    expect(r.latency.p50).toBeLessThanOrEqual(r.latency.p99)
    expect(r.distribution.map(([p]) => p)).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 99, 99.9, 99.99, 100])
    expect(r.generator.usPerRequest).toBeGreaterThan(0)
  })

  it('measures a fixed-latency server within a generous tolerance, and reports progress', async () => {
    const progress: LoadProgress[] = []
    const r = await runLoad({
      url: base,
      requests: [{ method: 'GET', path: '/slow' }],
      connections: 5,
      durationMs: 800,
      count: 500,
      warmupMs: 100,
      onProgress: (p) => progress.push(p),
    })
    expect(r.requests).toBeGreaterThan(20)
    expect(r.latency.p50).toBeGreaterThanOrEqual(19)
    expect(r.latency.p50).toBeLessThan(200)
    expect(r.statusCounts['200']).toBe(r.requests)
    expect(progress.length).toBeGreaterThanOrEqual(1)
    expect(progress[0]!.requests).toBeGreaterThan(0)
  })

  it('sends bodies with their length, and reconnects after Connection: close', async () => {
    const before = seen['/close'] ?? 0
    const r = await runLoad({
      url: base,
      requests: [
        { method: 'POST', path: '/echo', body: 'x'.repeat(1000), headers: [['content-type', 'text/plain']] },
        { method: 'GET', path: '/close' },
      ],
      connections: 2,
      count: 100,
      warmupMs: 0,
    })
    expect(r.requests).toBe(100)
    expect(r.errors).toBe(0)
    expect((seen['/close'] ?? 0) - before).toBeGreaterThanOrEqual(50)
  })

  it('counts a request past its timeout as a timeout', async () => {
    const r = await runLoad({
      url: base,
      requests: [{ method: 'GET', path: '/hang' }],
      connections: 2,
      count: 2,
      timeoutMs: 200,
      warmupMs: 0,
      durationMs: 5000,
    })
    expect(r.errorsByKind.timeout).toBe(2)
    expect(r.requests).toBe(2)
  })

  it('reports a refusing target as connect errors, without throwing', async () => {
    const closed = createTcpServer()
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r))
    const port = (closed.address() as AddressInfo).port
    await new Promise((r) => closed.close(r))
    const r = await runLoad({ url: `http://127.0.0.1:${port}`, requests: [{ method: 'GET', path: '/' }], connections: 3, durationMs: 300, warmupMs: 0 })
    expect(r.requests).toBeGreaterThan(0)
    expect(r.errorsByKind.connect).toBe(r.requests)
    expect(r.statusCounts).toEqual({})
  })

  it('stops when the signal aborts', async () => {
    const ac = new AbortController()
    setTimeout(() => ac.abort(), 300)
    const r = await runLoad({ url: base, requests: [{ method: 'GET', path: '/slow' }], connections: 2, durationMs: 30_000, warmupMs: 0, signal: ac.signal })
    // Without the abort this would run for 30 s, past the test's time limit.
    expect(r.requests).toBeGreaterThan(0)
    expect(r.errors).toBe(0)
  })
})

describe('runLoad, open model', () => {
  it('sends at the rate asked and counts latency from the intended send time', async () => {
    arrivals.length = 0
    const r = await runLoad({ url: base, requests: [{ method: 'GET', path: '/tick' }], connections: 4, rate: 200, count: 100, durationMs: 5000, warmupMs: 0 })
    expect(r.model).toBe('open')
    expect(r.rate).toBe(200)
    expect(r.requests).toBe(100)
    // The server saw 100 requests spread over about 99 / 200 s; a closed loop would send them in a few ms.
    expect(arrivals).toHaveLength(100)
    expect(arrivals[99]! - arrivals[0]!).toBeGreaterThan(400)
  })

  it('charges queueing to latency when the connections cannot keep up (coordinated omission)', async () => {
    // One connection to a 20 ms server can do about 50/s; at 200/s the requests queue, and the wait counts.
    const r = await runLoad({ url: base, requests: [{ method: 'GET', path: '/slow' }], connections: 1, rate: 200, count: 30, durationMs: 5000, warmupMs: 0 })
    expect(r.requests).toBe(30)
    expect(r.latency.max).toBeGreaterThan(200)
    expect(r.latency.p50).toBeGreaterThan(r.latency.min * 3)
  })
})

describe('bad input', () => {
  it('rejects URLs that are not http', async () => {
    await expect(runLoad({ url: 'not a url', requests: [{ method: 'GET', path: '/' }], connections: 1, count: 1 })).rejects.toMatchObject({ code: 'BAD_URL' })
    await expect(runLoad({ url: 'https://127.0.0.1:1', requests: [{ method: 'GET', path: '/' }], connections: 1, count: 1 })).rejects.toMatchObject({
      code: 'BAD_URL',
    })
  })
  it('rejects options without a bound or a connection', async () => {
    await expect(runLoad({ url: base, requests: [{ method: 'GET', path: '/' }], connections: 1 })).rejects.toMatchObject({ code: 'BAD_LOAD_OPTIONS' })
    await expect(runLoad({ url: base, requests: [{ method: 'GET', path: '/' }], connections: 0, count: 1 })).rejects.toMatchObject({ code: 'BAD_LOAD_OPTIONS' })
    await expect(runLoad({ url: base, requests: [], connections: 1, count: 1 })).rejects.toMatchObject({ code: 'BAD_LOAD_OPTIONS' })
  })
})

describe('helpers', () => {
  it('spreads a weighted mix evenly and deterministically', () => {
    const seq = [...weightedSequence([5, 1, 1])]
    expect(seq).toHaveLength(7)
    expect(seq.filter((x) => x === 0)).toHaveLength(5)
    expect(seq).toEqual([0, 0, 1, 0, 2, 0, 0])
    expect([...weightedSequence([5, 1, 1])]).toEqual(seq)
    const frac = weightedSequence([0.5, 1.5], 100)
    expect([...frac].filter((x) => x === 1)).toHaveLength(75)
  })
  it('serialises requests once, with Host, lengths and the base path', () => {
    const [get, post] = serialiseRequests(new URL('http://127.0.0.1:8080/api/'), [
      { method: 'get', path: '/items?x=1' },
      { method: 'POST', path: 'items', body: 'é', headers: [['x-a', 'b']] },
    ])
    expect(get!.bytes.toString()).toBe('GET /api/items?x=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n')
    expect(post!.bytes.toString()).toBe('POST /api/items HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nx-a: b\r\nContent-Length: 2\r\n\r\né')
  })
})
