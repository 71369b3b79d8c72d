#!/usr/bin/env node
// The cost of standing in the traffic: requests per second from a keep-alive client with bounded
// concurrency, straight to a local server, through `parity record` (writing the corpus) and through
// `parity shadow` (copying every request to a second server). Needs `npm run build`.
import http from 'node:http'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { startRecorder } from '../dist/verify/record.js'
import { startShadow } from '../dist/verify/shadow.js'

const requests = Number(process.argv[process.argv.indexOf('--requests') + 1]) || 5000
const concurrency = 32
const body = JSON.stringify({ items: Array.from({ length: 20 }, (_, i) => ({ id: i, name: `item ${i}`, tags: ['a', 'b'] })) })

function serve() {
  const server = http.createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(body)
    })
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${server.address().port}` })))
}

function get(url, agent) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, timeout: 10_000 }, (res) => {
      res.resume()
      res.on('end', resolve)
    })
    req.on('timeout', () => req.destroy(new Error('timeout')))
    req.on('error', reject)
  })
}

async function run(label, base) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency })
  let next = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        const i = next++
        await get(`${base}/api/items/${i}`, agent)
      }
    }),
  )
  const seconds = (performance.now() - started) / 1000
  agent.destroy()
  console.log(
    `${label.padEnd(28)} ${Math.round(requests / seconds)
      .toString()
      .padStart(7)} req/s  (${requests} requests, ${concurrency} at once)`,
  )
}

const baseline = await serve()
const candidate = await serve()
const dir = mkdtempSync(join(tmpdir(), 'parity-bench-proxy-'))
try {
  await run('direct', baseline.url)
  const recorder = await startRecorder({ target: baseline.url, out: join(dir, 'corpus.ndjson') })
  await run('through parity record', recorder.url)
  await recorder.close()
  console.log(`${'corpus written'.padEnd(28)} ${recorder.recorded()} exchanges, ${(statSync(join(dir, 'corpus.ndjson')).size / 1e6).toFixed(1)} MB`)
  let pairs = 0
  const shadow = await startShadow({ baseline: baseline.url, candidate: candidate.url, onPair: () => pairs++ })
  await run('through parity shadow', shadow.url)
  const until = Date.now() + 30_000
  while (pairs + shadow.stats().dropped < requests && Date.now() < until) await new Promise((r) => setTimeout(r, 20))
  const s = shadow.stats()
  console.log(`${'shadow copies'.padEnd(28)} mirrored ${s.mirrored}, pairs ${pairs}, dropped ${s.dropped}, candidate errors ${s.candidateErrors}`)
  await shadow.close()
} finally {
  baseline.server.close()
  candidate.server.close()
  rmSync(dir, { recursive: true, force: true })
}
