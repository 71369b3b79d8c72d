#!/usr/bin/env node
// `npm run bench:replay`: replays a corpus of 20,000 exchanges (5,000 sessions of login, create,
// read, list; ids and tokens correlated per target) against two local servers, each in its own
// process, and prints exchanges per second end to end; then it diffs every exchange and prints the
// share of time diffing takes. Needs `npm run build`.
// Flags: --exchanges N (default 20000), --concurrency N (sessions in flight, default 64), --twice
// (the baseline answers every request a second time, so the diff learns the random ids as noise).
import { fork } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import { fileURLToPath } from 'node:url'
import { performance } from 'node:perf_hooks'

const self = fileURLToPath(import.meta.url)
const flag = (name, fallback) => {
  const i = process.argv.indexOf(name)
  return i > 0 ? Number(process.argv[i + 1]) || fallback : fallback
}

if (process.argv[2] === 'serve') serve()
else await main()

/** The service under test: login gives a token, items get random ids, reads need both. */
function serve() {
  const tokens = new Set()
  const items = new Map()
  const server = createServer((req, res) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      const json = (status, value) => {
        const body = JSON.stringify(value)
        res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
        res.end(body)
      }
      const token = (req.headers.authorization ?? '').slice(7)
      const [path, query = ''] = (req.url ?? '/').split('?')
      if (req.method === 'POST' && path === '/login') {
        const t = randomBytes(12).toString('hex')
        tokens.add(t)
        return json(200, { token: t })
      }
      if (!tokens.has(token)) return json(401, { error: 'unauthorized' })
      if (req.method === 'POST' && path === '/items') {
        const id = randomBytes(6).toString('hex')
        const item = { id, name: JSON.parse(Buffer.concat(chunks).toString() || '{}').name, createdAt: new Date().toISOString(), tags: ['a', 'b'] }
        items.set(id, item)
        return json(201, item)
      }
      if (req.method === 'GET' && path.startsWith('/items/')) {
        const item = items.get(path.slice(7))
        return item ? json(200, item) : json(404, { error: 'not found' })
      }
      if (req.method === 'GET' && path === '/items') return json(200, { page: Number(new URLSearchParams(query).get('page')), total: items.size })
      json(404, { error: 'no route' })
    })
  })
  server.keepAliveTimeout = 30_000
  server.listen(0, '127.0.0.1', () => process.send?.({ port: server.address().port }))
}

function startServer() {
  return new Promise((resolve, reject) => {
    const child = fork(self, ['serve'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    child.once('message', (m) => resolve({ child, url: `http://127.0.0.1:${m.port}` }))
    child.once('error', reject)
  })
}

/** A corpus as if recorded against a third instance: its own tokens and ids. */
function corpus(n) {
  const exchanges = []
  const text = (v) => {
    const t = JSON.stringify(v)
    return { text: t, size: Buffer.byteLength(t) }
  }
  const jsonHeaders = [['content-type', 'application/json']]
  for (let s = 0; exchanges.length < n; s++) {
    const session = `s${s}`
    const token = `rec${s.toString(16).padStart(21, '0')}`
    // Hex ids like the servers make, so route templates are inferred (`GET /items/{}`).
    const id = createHash('sha256').update(`id${s}`).digest('hex').slice(0, 12)
    const auth = [
      ['authorization', `Bearer ${token}`],
      ['content-type', 'application/json'],
    ]
    const item = { id, name: `item ${s}`, createdAt: '2024-01-01T00:00:00.000Z', tags: ['a', 'b'] }
    const steps = [
      [
        { method: 'POST', url: '/login', headers: jsonHeaders, body: text({ user: session }) },
        { status: 200, headers: jsonHeaders, body: text({ token }) },
      ],
      [
        { method: 'POST', url: '/items', headers: auth, body: text({ name: `item ${s}` }) },
        { status: 201, headers: jsonHeaders, body: text(item) },
      ],
      [
        { method: 'GET', url: `/items/${id}`, headers: auth },
        { status: 200, headers: jsonHeaders, body: text(item) },
      ],
      [
        { method: 'GET', url: `/items?page=${s % 7}`, headers: auth },
        { status: 200, headers: jsonHeaders, body: text({ page: s % 7, total: s + 1 }) },
      ],
    ]
    steps.slice(0, n - exchanges.length).forEach(([request, response], seq) => exchanges.push({ id: `${session}-${seq}`, session, seq, request, response }))
  }
  return { format: 'ndjson', source: 'bench', exchanges, skipped: [] }
}

async function main() {
  const n = flag('--exchanges', 20_000)
  const concurrency = flag('--concurrency', 64)
  const twice = process.argv.includes('--twice')
  const { replayCorpus } = await import('../dist/verify/replay.js')
  const { compareExchange } = await import('../dist/verify/exchange-diff.js')
  const { learnNoise } = await import('../dist/verify/noise.js')
  const { inferRouteKey } = await import('../dist/model/route-infer.js')
  const [a, b] = await Promise.all([startServer(), startServer()])
  try {
    const c = corpus(n)
    // A short warm-up so JIT and connection set-up do not count.
    await replayCorpus(corpus(400), { baseline: a.url, candidate: b.url }, { concurrency })
    const t0 = performance.now()
    const replayed = await replayCorpus(c, { baseline: a.url, candidate: b.url }, { concurrency, twice })
    const replayMs = performance.now() - t0
    const failed = replayed.filter((r) => r.baseline.status >= 400 || r.candidate.status >= 400 || r.baseline.error || r.candidate.error).length
    console.log(`replay: ${n} exchanges (${n * (twice ? 3 : 2)} requests), ${concurrency} sessions in flight${twice ? ', baseline twice' : ''}`)
    console.log(`  ${(replayMs / 1000).toFixed(2)} s, ${Math.round(n / (replayMs / 1000))} exchanges/s end to end (goal >= 2000)`)
    console.log(`  answers not 2xx or failed: ${failed} (0 means every id and token was correlated)`)
    const t1 = performance.now()
    const rules = learnNoise(replayed, inferRouteKey)
    let different = 0
    for (const r of replayed) if (compareExchange(r, rules).outcome === 'different') different++
    const diffMs = performance.now() - t1
    console.log(
      `  diffing: ${diffMs.toFixed(0)} ms, ${((100 * diffMs) / replayMs).toFixed(1)}% of replay time (goal < 10%); ${rules.length} noise rules learned, ${different} exchanges different`,
    )
    // Without --twice nothing is learned: the random ids the two servers made are differences.
    const mem = process.memoryUsage()
    console.log(`  heap used ${(mem.heapUsed / 2 ** 20).toFixed(0)} MiB, rss ${(mem.rss / 2 ** 20).toFixed(0)} MiB`)
  } finally {
    a.child.kill()
    b.child.kill()
  }
}
