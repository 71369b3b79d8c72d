/**
 * A rewrite that never answers must not pass the latency gates (issue: a failure is never success).
 * Real servers on 127.0.0.1: a baseline that answers, a candidate that accepts connections and never
 * replies, and one that leaves one request in ten unanswered. Requests still waiting when a trial ends
 * are timeouts; a side with more failed or unanswered requests than the limit passes no latency or
 * throughput gate, and its ratios are not computed.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runLoad } from '../src/bench/generator.js'
import type { RunResult } from '../src/model/run.js'

const repo = new URL('..', import.meta.url).pathname
const tmp = mkdtempSync(join(tmpdir(), 'parity-unanswered-'))
const http: Server[] = []
const sockets: Socket[] = []
let silent: TcpServer
const urls = { answers: '', silent: '', flaky: '' }

async function listen(server: Server): Promise<string> {
  http.push(server)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

beforeAll(async () => {
  urls.answers = await listen(createServer((_q, res) => res.end('ok')))
  let n = 0
  // One request in ten never gets an answer.
  urls.flaky = await listen(createServer((_q, res) => void (++n % 10 === 0 ? undefined : res.end('ok'))))
  silent = createTcpServer((s) => sockets.push(s))
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r))
  urls.silent = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`
})
afterAll(async () => {
  for (const s of sockets) s.destroy()
  for (const s of http) s.closeAllConnections()
  await Promise.all([...http.map((s) => new Promise((r) => s.close(r))), new Promise((r) => silent.close(r))])
  rmSync(tmp, { recursive: true, force: true })
})

describe('requests outstanding when a trial ends', () => {
  it('are timeouts under the closed model, not silence', async () => {
    const r = await runLoad({ url: urls.silent, connections: 4, durationMs: 300, warmupMs: 0, requests: [{ method: 'GET', path: '/' }] })
    expect(r.errors).toBe(4)
    expect(r.errorsByKind.timeout).toBe(4)
    expect(r.requests).toBe(4)
  })

  it('carry their age as latency under the open model', async () => {
    const r = await runLoad({ url: urls.silent, connections: 4, rate: 20, durationMs: 500, warmupMs: 0, requests: [{ method: 'GET', path: '/' }] })
    expect(r.errorsByKind.timeout).toBeGreaterThan(0)
    expect(r.latency.max).toBeGreaterThan(100)
  })
})

describe('latency gates on a side that does not answer', () => {
  async function bench(candidate: string): Promise<{ code: number; run: RunResult }> {
    const dir = mkdtempSync(join(tmp, 'cfg-'))
    writeFileSync(
      join(dir, 'parity.config.yaml'),
      `systems:
  - { name: old, role: baseline, source: ., url: "${urls.answers}" }
  - { name: new, role: candidate, source: ., url: "${candidate}" }
bench:
  scenarios: [{ requests: [{ method: GET, path: /items }] }]
  connections: 4
  duration: 1
  warmup: 0.2
  trials: 2
gates: [p95 < 100ms, p99 < 100ms, p95 <= 2x]
history: ./history.sqlite
`,
    )
    writeFileSync(join(dir, 'index.js'), '')
    const r = await promisify(execFile)(process.execPath, [join(repo, 'bin/parity.js'), 'bench', '--format', 'json'], {
      cwd: dir,
      env: { ...process.env, CI: 'true' },
      timeout: 120_000,
    }).then(
      (x) => ({ code: 0, stdout: x.stdout }),
      (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
    )
    return { code: r.code, run: JSON.parse(r.stdout) as RunResult }
  }

  it('fails every latency gate of a candidate that never answers, and computes no ratio for it', async () => {
    const { code, run } = await bench(urls.silent)
    expect(code).toBe(1)
    const gates = run.assessment!.gates
    expect(gates.map((g) => g.passed)).toEqual([false, false, false])
    expect(gates[0]!.message).toMatch(/new GET \/items: 100% of requests failed or went unanswered \(\d+ of \d+, \d+ timed out\)/)
    expect(run.benchComparisons![0]!.ratios.p95).toBeNull()
    expect(run.assessment!.verdict.productionReady).toBe(false)
  })

  it('fails them too when one request in ten goes unanswered', async () => {
    const { run } = await bench(urls.flaky)
    const entry = run.bench!.find((e) => e.system === 'new')!
    expect(entry.errorsByKind.timeout).toBeGreaterThan(0)
    expect(run.assessment!.gates.find((g) => g.gate === 'p99 < 100ms')!.passed).toBe(false)
  })

  it('passes them for a candidate that answers', async () => {
    const { run } = await bench(urls.answers)
    expect(run.assessment!.gates.find((g) => g.gate === 'p95 < 100ms')!.passed).toBe(true)
  })
})
