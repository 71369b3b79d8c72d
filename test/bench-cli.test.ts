/**
 * `parity bench` from the built CLI: against running servers (--target), and with a config whose
 * systems parity starts itself (cold start, resources, gates). Real servers on 127.0.0.1; latency
 * is checked only against a server's own fixed delay, never against parity's speed.
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import type { RunResult } from '../src/model/run.js'

const repo = new URL('..', import.meta.url).pathname
const servers: Server[] = []

async function serve(delayMs: number): Promise<string> {
  const server = createServer((_req, res) => {
    const answer = () => res.end('ok')
    if (delayMs) setTimeout(answer, delayMs)
    else answer()
  })
  servers.push(server)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

async function bench(args: string[], cwd = repo): Promise<{ code: number; stdout: string; stderr: string }> {
  const run = promisify(execFile)
  return run(process.execPath, [join(repo, 'bin/parity.js'), 'bench', ...args], { cwd, env: { ...process.env, CI: 'true' }, timeout: 120_000 }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  )
}

let fast = ''
let slow = ''
beforeAll(async () => {
  fast = await serve(0)
  slow = await serve(20)
})
afterAll(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))))

const quick = ['--connections', '4', '--duration', '1', '--warmup', '0.2']

describe('parity bench --target', () => {
  it('measures two running servers in alternating trials and prints the JSON contract', async () => {
    const { code, stdout } = await bench(['--target', slow, '--target', fast, '--path', '/items', ...quick, '--trials', '2', '--format', 'json'])
    expect(code).toBe(0)
    const run = JSON.parse(stdout) as RunResult
    expect(run.bench).toHaveLength(2)
    const [b, c] = run.bench!
    expect(b).toMatchObject({ target: slow, role: 'baseline', scenario: 'GET /items', model: 'closed', connections: 4, errors: 0 })
    expect(c).toMatchObject({ target: fast, role: 'candidate', errors: 0 })
    expect(b!.trials).toHaveLength(2)
    expect(b!.throughput.rps).toBeGreaterThan(0)
    // The slow server adds 20 ms to every answer: its percentiles cannot be below that.
    expect(b!.latency.p50).toBeGreaterThanOrEqual(19)
    expect(b!.latency.p95).toBeGreaterThanOrEqual(b!.latency.p50)
    expect(c!.latency.p50).toBeLessThan(b!.latency.p50)
    expect(b!.distribution.length).toBeGreaterThan(5)
    const [cmp] = run.benchComparisons!
    expect(cmp).toMatchObject({ baseline: 'baseline', candidate: 'candidate', scenario: 'GET /items' })
    expect(cmp!.ratios.rps!).toBeGreaterThan(1)
    expect(cmp!.ratios.p50!).toBeLessThan(1)
  })

  it('switches to the open model with --rate', async () => {
    const { code, stdout } = await bench(['--target', fast, '--rate', '200', ...quick, '--trials', '1', '--format', 'json'])
    expect(code).toBe(0)
    const [e] = (JSON.parse(stdout) as RunResult).bench!
    expect(e).toMatchObject({ model: 'open', rate: 200 })
    // At 200 req/s for one second, about 200 requests are measured.
    expect(e!.trials[0]!.result!.requests).toBeGreaterThan(100)
    expect(e!.trials[0]!.result!.requests).toBeLessThan(300)
  })

  it('prints a table with both systems and their ratio', async () => {
    const { code, stdout } = await bench(['--target', slow, '--target', fast, ...quick, '--trials', '1'])
    expect(code).toBe(0)
    expect(stdout).toMatch(/^baseline\s+[\d,]+/m)
    expect(stdout).toMatch(/^candidate\s+[\d,]+/m)
    expect(stdout).toMatch(/candidate vs baseline: throughput [\d.]+x/)
  })

  it('refuses a target that is not on this machine, without sending anything', async () => {
    const { code, stderr } = await bench(['--target', 'http://example.com', ...quick])
    expect(code).toBe(2)
    expect(stderr).toMatch(/not on this machine/)
    expect(stderr).toMatch(/--allow-remote/)
  })

  it('reports a target that refuses connections as a failed trial, exit 2', async () => {
    const dead = await serve(0)
    await new Promise((r) => servers.pop()!.close(r))
    const { code, stdout, stderr } = await bench(['--target', dead, ...quick, '--trials', '1', '--format', 'json'])
    expect(code).toBe(2)
    expect(stderr).toMatch(/no successful trial/)
    const [e] = (JSON.parse(stdout) as RunResult).bench!
    expect(e!.trials[0]!.failed).toMatch(/refused/)
  })

  it('rejects bad numbers with a hint', async () => {
    const { code, stderr } = await bench(['--target', fast, '--connections', 'many'])
    expect(code).toBe(2)
    expect(stderr).toMatch(/--connections many/)
  })

  it('exports the scenario as a k6 script instead of sending load', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parity-k6-'))
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
    const file = join(dir, 'load.js')
    const { code } = await bench(['--target', fast, '--path', '/items', '--connections', '8', '--duration', '30', '--export', 'k6', file])
    expect(code).toBe(0)
    const script = readFileSync(file, 'utf8')
    expect(script).toContain("from 'k6/http'")
    expect(script).toContain('/items')
  })
})

describe('parity bench --ws', () => {
  it('holds subscribers open on a broadcasting path and times publish to receipt on every one', async () => {
    const { WebSocketServer } = await import('ws')
    const server = createServer()
    const wss = new WebSocketServer({ server, path: '/feed' })
    wss.on('connection', (socket) => socket.on('message', (data) => wss.clients.forEach((c) => c.send(data.toString()))))
    servers.push(server)
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const { code, stdout } = await bench(['--target', url, '--ws', '/feed', '--connections', '5', '--messages', '20', '--format', 'json'])
    wss.close()
    expect(code).toBe(0)
    const [w] = (JSON.parse(stdout) as RunResult).wsBench!
    expect(w).toMatchObject({ path: '/feed', connections: 5, connected: 5, failed: 0, successRate: 1, published: 20 })
    // Every subscriber gets every message (the publisher's own copy is not counted).
    expect(w!.received).toBeGreaterThanOrEqual(100)
    expect(w!.latency.max).toBeGreaterThanOrEqual(w!.latency.p50)
  })
})

describe('parity bench with a config', () => {
  it('starts both systems, measures cold start and resources, stops them, and checks the bench gates', async () => {
    const cwd = join(repo, 'fixtures/bench')
    const { code, stdout, stderr } = await bench(['--format', 'json'], cwd)
    expect(stderr).not.toMatch(/Error:\s+at /)
    const run = JSON.parse(stdout) as RunResult
    // The setup's captured value (`/session`, echoed by the fixture) filled the scenario's path.
    expect(run.bench!.map((e) => e.scenario)).toEqual(['GET /items${who}', 'GET /items${who}'])
    const slowEntry = run.bench!.find((e) => e.system === 'slow')!
    const fastEntry = run.bench!.find((e) => e.system === 'fast')!
    expect(slowEntry.startup!.runs).toBe(2)
    expect(slowEntry.startup!.times).toHaveLength(2)
    expect(slowEntry.resources!.rssPeakMb).toBeGreaterThan(5)
    expect(fastEntry.resources!.processes).toBeGreaterThanOrEqual(1)
    expect(slowEntry.latency.p50).toBeGreaterThanOrEqual(19)
    const gates = Object.fromEntries(run.assessment!.gates.map((g) => [g.gate, g.passed]))
    expect(gates).toEqual({ 'p95 < 10s': true, 'rps >= 10000x': false })
    expect(code).toBe(1)
    // The systems were stopped: their log files exist, and nothing listens any more on their ports.
    expect(existsSync(join(repo, '.tmp/logs/slow.log'))).toBe(true)
    for (const e of run.bench!) {
      const alive = await fetch(e.target).then(
        () => true,
        () => false,
      )
      expect(alive).toBe(false)
    }
  })
})

it('stops with a clear error when a setup request cannot capture what the scenarios need', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parity-bench-setup-'))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  const config = readFileSync(join(repo, 'fixtures/bench/parity.config.yaml'), 'utf8')
    .replace(/\.\/(slow|fast)/g, (_m, name: string) => join(repo, 'fixtures/bench', name))
    .replace('capture: { who: /path }', 'capture: { who: /token }')
    .replace('startup: { runs: 2, warmup: 0 }', 'startup: false')
    .replace('../../.tmp/bench-fixture-history.sqlite', join(dir, 'history.sqlite'))
  writeFileSync(join(dir, 'parity.config.yaml'), config)
  const { code, stderr } = await bench([], dir)
  expect(code).toBe(2)
  expect(stderr).toMatch(/bench\.setup\[0\] on slow: nothing at \/token to capture as who/)
})

it('marks a trial failed when its server crashes mid-load, starts it again, and goes on with the others', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parity-bench-crash-'))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  writeFileSync(
    join(dir, 'parity.config.yaml'),
    `systems:
  - { name: crashy, role: baseline, source: ${join(repo, 'test/fixtures/systems')}, run: { command: [node, crash.mjs], env: { CRASH_AFTER: "300" }, grace: 0.5 } }
  - { name: fast, role: candidate, source: ${join(repo, 'fixtures/bench/fast')}, run: { command: [node, server.mjs] } }
bench:
  scenarios: [{ requests: [{ method: GET, path: /x }] }]
  connections: 4
  duration: 1
  warmup: 0
  trials: 2
  startup: false
history: ${join(dir, 'history.sqlite')}
`,
  )
  const { code, stdout, stderr } = await bench(['--format', 'json'], dir)
  const run = JSON.parse(stdout) as RunResult
  const crashy = run.bench!.find((e) => e.system === 'crashy')!
  const fast = run.bench!.find((e) => e.system === 'fast')!
  // Both trials of the crashing server failed with its exit status; it was started again for the second.
  expect(crashy.trials.map((t) => t.failed)).toEqual([expect.stringMatching(/crashy exited during the trial \(code 3\)/), expect.stringMatching(/code 3/)])
  // The other side was measured in both trials regardless.
  expect(fast.trials.filter((t) => !t.failed && t.result)).toHaveLength(2)
  expect(run.diagnostics.filter((d) => d.code === 'BENCH_TRIAL_FAILED')).toHaveLength(2)
  expect(code).toBe(2)
  expect(stderr).toMatch(/no successful trial for crashy/)
})
