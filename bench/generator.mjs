#!/usr/bin/env node
// Load generator benchmark (`npm run bench:generator`, which builds first): how much load parity's
// generator (dist/bench/generator.js) can send, against wrk, on the same target.
//
// A minimal node:http server (`res.end('ok')`) runs pinned to CPU 0; the generators run one at a
// time pinned to CPU 1, in turns A B A B (3 rounds each): wrk -t1 -c50 -d5s and parity with 50
// connections for 5 s. Printed: req/s and the generator's CPU µs per request for both, the ratio
// parity / wrk (goal ≥ 0.9), and the generator ceiling (req/s per core). Then the transport
// choice: raw sockets (what generator.ts uses) against undici's Client.dispatch() with a no-op handler.
// Then latency below saturation (50% of wrk's rate): parity's open model against its closed
// model and wrk at a similar number of requests in flight. Debian's wrk has no -R (wrk2), so
// that is the comparison made; it is printed as such.
//
// Usage: node bench/generator.mjs [--rounds N] [--seconds S] [--connections C] [--json]
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const SELF = fileURLToPath(import.meta.url)
const LOAD = join(REPO, 'dist/bench/generator.js')
const GOAL = 0.9

// Worker mode: one measurement in this (pinned) process, JSON on stdout.
if (process.argv[2] === '--worker') {
  const spec = JSON.parse(process.argv[3])
  const result = spec.kind === 'undici' ? await undiciLoad(spec) : await (await import(pathToFileURL(LOAD).href)).runLoad(spec)
  process.stdout.write(JSON.stringify(result))
  process.exit(0)
}

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '50' },
    json: { type: 'boolean', default: false },
  },
})
const ROUNDS = Math.max(1, Number(values.rounds))
const SECONDS = Math.max(1, Number(values.seconds))
const CONNS = Math.max(1, Number(values.connections))

if (!existsSync(LOAD)) {
  console.error('dist/bench/generator.js is missing: run `npm run build` first (npm run bench:generator does)')
  process.exit(2)
}
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0
const haveWrk = has('wrk')
const haveTaskset = has('taskset')
const haveTime = existsSync('/usr/bin/time')
const cores = (await import('node:os')).availableParallelism()
const pinned = haveTaskset && cores >= 2
if (!haveWrk) console.log('wrk is not installed: parity runs alone (install it with `apt-get install wrk` for the comparison)')
if (!haveTaskset) console.log('taskset is missing: nothing is pinned (it comes with util-linux: `apt-get install util-linux`)')
else if (cores < 2) console.log('one CPU only: server and generator share it; nothing is pinned')
const pin = (cpu, argv) => (pinned ? ['taskset', '-c', String(cpu), ...argv] : argv)

const server = await startServer()
const url = `http://127.0.0.1:${server.port}/`
const out = { server: url, pinned, rounds: ROUNDS, seconds: SECONDS, connections: CONNS, closed: [], transport: {}, latency: {} }
try {
  // 1. Throughput, A B A B.
  for (let r = 0; r < ROUNDS; r++) {
    if (haveWrk) {
      const w = await runWrk(CONNS, SECONDS)
      out.closed.push({ tool: 'wrk', round: r, ...w })
      log(`round ${r + 1}  wrk     ${fmt(w.rps)} req/s  ${w.usPerRequest.toFixed(2)} µs/req  cpu ${w.cpuPercent.toFixed(0)}%`)
    }
    const p = await runParity({ url, requests: [{ method: 'GET', path: '/' }], connections: CONNS, durationMs: SECONDS * 1000, warmupMs: 1000 })
    out.closed.push({
      tool: 'parity',
      round: r,
      rps: p.throughput.rps,
      usPerRequest: p.generator.usPerRequest,
      cpuPercent: p.generator.cpuPercent,
      p50: p.latency.p50,
      p99: p.latency.p99,
    })
    log(
      `round ${r + 1}  parity  ${fmt(p.throughput.rps)} req/s  ${p.generator.usPerRequest.toFixed(2)} µs/req  cpu ${p.generator.cpuPercent.toFixed(0)}%${p.errors ? `  errors ${p.errors}` : ''}`,
    )
  }
  const med = (tool, k) => median(out.closed.filter((x) => x.tool === tool).map((x) => x[k]))
  const parityRps = med('parity', 'rps')
  const parityCpu = med('parity', 'cpuPercent')
  out.parity = {
    rps: parityRps,
    usPerRequest: med('parity', 'usPerRequest'),
    cpuPercent: parityCpu,
    ceiling: parityCpu > 0 ? Math.round(parityRps / (parityCpu / 100)) : null,
  }
  log('')
  log(
    `parity  median ${fmt(parityRps)} req/s, ${out.parity.usPerRequest.toFixed(2)} µs CPU per request, generator ceiling ≈ ${fmt(out.parity.ceiling)} req/s per core`,
  )
  if (haveWrk) {
    const wrkRps = med('wrk', 'rps')
    out.wrk = { rps: wrkRps, usPerRequest: med('wrk', 'usPerRequest'), cpuPercent: med('wrk', 'cpuPercent') }
    out.ratio = Math.round((parityRps / wrkRps) * 100) / 100
    log(
      `wrk     median ${fmt(wrkRps)} req/s, ${out.wrk.usPerRequest.toFixed(2)} µs CPU per request, ceiling ≈ ${fmt(Math.round(wrkRps / (out.wrk.cpuPercent / 100)))} req/s per core`,
    )
    log(
      `parity / wrk = ${out.ratio}x req/s (goal ≥ ${GOAL}x: ${out.ratio >= GOAL ? 'met' : 'NOT met'}); CPU per request ${(out.parity.usPerRequest / out.wrk.usPerRequest).toFixed(2)}x wrk's`,
    )
  }

  // 2. Transport: raw sockets against undici's dispatch, same load.
  const u = await runParity({ kind: 'undici', url, connections: CONNS, durationMs: SECONDS * 1000, warmupMs: 1000 })
  out.transport = { rawSockets: { rps: parityRps, usPerRequest: out.parity.usPerRequest }, undiciDispatch: u }
  log('')
  log(
    `transport: raw sockets ${fmt(parityRps)} req/s (${out.parity.usPerRequest.toFixed(2)} µs/req) vs undici Client.dispatch ${fmt(u.rps)} req/s (${u.usPerRequest.toFixed(2)} µs/req)`,
  )

  // 3. Latency below saturation.
  const base = out.wrk?.rps ?? parityRps
  const rate = Math.round(base / 2)
  const open = await runParity({ url, requests: [{ method: 'GET', path: '/' }], connections: CONNS, rate, durationMs: SECONDS * 1000, warmupMs: 1000 })
  // Little's law: requests in flight = rate × mean latency; a closed loop with that many connections runs at about that load (capped at the closed runs' connections).
  const inflight = Math.min(CONNS, Math.max(1, Math.round((open.throughput.rps * open.latency.mean) / 1000)))
  const closed = await runParity({ url, requests: [{ method: 'GET', path: '/' }], connections: inflight, durationMs: SECONDS * 1000, warmupMs: 1000 })
  out.latency = { rate, inflight, open: pick(open), closed: pick(closed) }
  log('')
  log(`latency at ${fmt(rate)} req/s (50% of ${out.wrk ? "wrk's" : "parity's"} closed-loop rate):`)
  log(
    `  parity open model, ${CONNS} connections, rate ${fmt(rate)}: ${fmt(open.throughput.rps)} req/s  p50 ${open.latency.p50} ms  p99 ${open.latency.p99} ms  (from intended send times)`,
  )
  log(
    `  parity closed model, ${inflight} connection(s) (≈ the open run's requests in flight): ${fmt(closed.throughput.rps)} req/s  p50 ${closed.latency.p50} ms  p99 ${closed.latency.p99} ms`,
  )
  if (haveWrk) {
    const w = await runWrk(inflight, SECONDS)
    out.latency.wrk = { connections: inflight, rps: w.rps, p50: w.p50, p99: w.p99 }
    log(`  wrk, -c${inflight} (closed loop, no -R in Debian's wrk): ${fmt(w.rps)} req/s  p50 ${w.p50} ms  p99 ${w.p99} ms`)
  }
  log("  note: the closed runs go as fast as their connections allow, so their load is near, not equal to, the open run's rate.")
} finally {
  server.stop()
}
if (values.json) console.log(JSON.stringify(out, null, 2))

function log(line) {
  if (!values.json) console.log(line)
}

function fmt(n) {
  return n == null ? '-' : Math.round(n).toLocaleString('en-US')
}

function median(list) {
  const s = [...list].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

function pick(r) {
  return { rps: r.throughput.rps, p50: r.latency.p50, p99: r.latency.p99, mean: r.latency.mean, cpuPercent: r.generator.cpuPercent, errors: r.errors }
}

async function startServer() {
  const code = "require('node:http').createServer((q, s) => s.end('ok')).listen(0, '127.0.0.1', function () { console.log(this.address().port) })"
  const [cmd, ...args] = pin(0, [process.execPath, '-e', code])
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] })
  const port = await new Promise((resolve, reject) => {
    child.stdout.once('data', (d) => resolve(Number(String(d).trim())))
    child.once('exit', (c) => reject(new Error(`server exited (${c})`)))
  })
  return { port, stop: () => child.kill() }
}

async function runParity(spec) {
  const [cmd, ...args] = pin(1, [process.execPath, SELF, '--worker', JSON.stringify(spec)])
  const { stdout, code } = await exec(cmd, args)
  if (code !== 0) throw new Error(`parity worker exited with ${code}`)
  return JSON.parse(stdout)
}

/** wrk's req/s and latency, and its CPU from /usr/bin/time (or the shell's `times`). */
async function runWrk(connections, seconds) {
  const wrk = ['wrk', '-t1', `-c${connections}`, `-d${seconds}s`, '--latency', url]
  const argv = haveTime ? ['/usr/bin/time', '-f', 'CPU %U %S %e', ...wrk] : ['sh', '-c', `${wrk.join(' ')}; times`]
  const [cmd, ...args] = pin(1, argv)
  const { stdout, stderr } = await exec(cmd, args)
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? 0)
  const total = Number(/(\d+) requests in/.exec(stdout)?.[1] ?? 0)
  let cpuS = 0
  let wallS = seconds
  const t = /CPU ([\d.]+) ([\d.]+) ([\d.]+)/.exec(stderr)
  if (t) {
    cpuS = Number(t[1]) + Number(t[2])
    wallS = Number(t[3])
  } else {
    const lines = [...stdout.matchAll(/(\d+)m([\d.]+)s (\d+)m([\d.]+)s/g)]
    const last = lines[lines.length - 1]
    if (last) cpuS = Number(last[1]) * 60 + Number(last[2]) + Number(last[3]) * 60 + Number(last[4])
  }
  const lat = (p) => {
    const m = new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s)`, 'm').exec(stdout)
    if (!m) return null
    const v = Number(m[1])
    return m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v
  }
  return { rps, cpuPercent: (cpuS / wallS) * 100, usPerRequest: total > 0 ? (cpuS * 1e6) / total : 0, p50: lat(50), p99: lat(99) }
}

function exec(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.once('error', reject)
    child.once('close', (code) => resolve({ stdout, stderr, code }))
  })
}

/** The alternative transport: undici's Client.dispatch() with a minimal handler, closed loops. */
async function undiciLoad({ url, connections, durationMs, warmupMs }) {
  const { Client } = await import('undici')
  const u = new URL(url)
  const clients = Array.from({ length: connections }, () => new Client(u.origin, { pipelining: 1, connections: 1 }))
  let recording = false
  let stopped = false
  let count = 0
  const loop = (client) =>
    new Promise((resolve) => {
      const handler = {
        onConnect() {},
        onHeaders() {
          return true
        },
        onData() {
          return true
        },
        onComplete() {
          if (recording) count++
          if (stopped) resolve()
          else client.dispatch({ method: 'GET', path: u.pathname }, handler)
        },
        onError() {
          if (stopped) resolve()
          else setTimeout(() => client.dispatch({ method: 'GET', path: u.pathname }, handler), 10)
        },
      }
      client.dispatch({ method: 'GET', path: u.pathname }, handler)
    })
  const loops = clients.map(loop)
  await new Promise((r) => setTimeout(r, warmupMs))
  recording = true
  const t0 = performance.now()
  const c0 = process.cpuUsage()
  await new Promise((r) => setTimeout(r, durationMs))
  const cpu = process.cpuUsage(c0)
  const wall = performance.now() - t0
  const n = count
  stopped = true
  await Promise.race([Promise.all(loops), new Promise((r) => setTimeout(r, 2000))])
  await Promise.all(clients.map((c) => c.destroy()))
  const cpuUs = cpu.user + cpu.system
  return { rps: Math.round((n / wall) * 1000), usPerRequest: n ? cpuUs / n : 0, cpuPercent: (cpuUs / (wall * 1000)) * 100 }
}
