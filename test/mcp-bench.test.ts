/**
 * The MCP bench against real SDK servers over stdio: cold starts, per tool latency with calls in
 * flight, errors counted, the process tree sampled; and the stage alternating two systems.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Ajv2020 from 'ajv/dist/2020.js'
import { describe, expect, it, onTestFinished } from 'vitest'
import { assess } from '../src/assess/gates.js'
import { emptyRun } from '../src/model/empty-run.js'
import { loadConfig } from '../src/config/load.js'
import { openMcpSession } from '../src/mcp/bench.js'
import { benchMcp } from './support/mcp-bench.js'
import { benchCallsOf, runMcpBenchStage } from '../src/mcp/bench-stage.js'
import type { McpBenchEntry } from '../src/model/mcp.js'
import type { RunResult } from '../src/model/run.js'
import { treePids } from '../src/systems/resources.js'

const dir = new URL('../fixtures/mcp-bench/', import.meta.url).pathname
const server = join(dir, 'server.mjs')

describe('benchMcp', () => {
  it('times each tool on one session: the 20 ms tool at p50 >= 19 ms, errors counted, startup and resources measured', async () => {
    const entries = await benchMcp({
      system: 'fixture',
      role: 'baseline',
      spec: { type: 'stdio', command: [process.execPath, server] },
      tools: [{ tool: 'sleep' }, { tool: 'echo', arguments: { text: 'x' } }, { tool: 'fail' }, { tool: 'no-such-tool' }],
      concurrency: 4,
      calls: 24,
      startupRuns: 2,
    })
    expect(entries.map((e) => e.tool)).toEqual(['sleep', 'echo', 'fail', 'no-such-tool'])
    const [sleep, echo, fail, missing] = entries
    expect(sleep!.calls).toBe(24)
    expect(sleep!.latency.p50).toBeGreaterThanOrEqual(19)
    expect(sleep!.errors).toBe(0)
    expect(echo!.errors).toBe(0)
    expect(echo!.latency.p50).toBeLessThan(sleep!.latency.p50)
    expect(fail!.errors).toBe(24)
    expect(missing!.errors).toBe(24)
    expect(sleep!.callsPerSecond).toBeGreaterThan(0)
    expect(sleep!.startup?.runs).toBe(2)
    expect(sleep!.startup!.median).toBeGreaterThan(0)
    expect(sleep!.resources?.rssPeakMb).toBeGreaterThan(0)
  })

  it('a session stops the whole tree, also behind a shell', async () => {
    const session = await openMcpSession({ type: 'stdio', command: `${process.execPath} ${server} shell 1 && true` })
    expect(session.pid).toBeTypeOf('number')
    const tree = treePids(session.pid!)
    expect(tree.length).toBeGreaterThanOrEqual(2)
    expect((await session.client.callTool({ name: 'echo', arguments: { text: 'a' } })).content).toEqual([{ type: 'text', text: 'echo: a' }])
    await session.close()
    for (let i = 0; i < 50 && tree.some((p) => treePids(p).length); i++) await new Promise((r) => setTimeout(r, 20))
    expect(tree.filter((p) => treePids(p).length)).toEqual([])
  })

  it('a command that is no MCP server is a ParityError naming it', async () => {
    await expect(openMcpSession({ type: 'stdio', command: ['node', '-e', 'console.log("hello"); setTimeout(() => {}, 5000)'] }, 1500)).rejects.toMatchObject({
      code: 'MCP_INITIALIZE',
    })
  })
})

describe('runMcpBenchStage', () => {
  it('benches each tool on both systems in turn, with cold starts', async () => {
    const config = await loadConfig(join(dir, 'parity.config.yaml'))
    const run = { diagnostics: [] } as unknown as RunResult
    await runMcpBenchStage(run, config)
    expect(run.diagnostics).toEqual([])
    expect(run.mcpBench!.map((e) => `${e.tool} ${e.system} ${e.role}`)).toEqual([
      'sleep old baseline',
      'sleep new candidate',
      'echo old baseline',
      'echo new candidate',
    ])
    for (const e of run.mcpBench!) {
      expect(e.calls).toBe(20)
      expect(e.concurrency).toBe(2)
      expect(e.errors).toBe(0)
      expect(e.startup?.runs).toBe(2)
    }
    expect(run.mcpBench![0]!.latency.p50).toBeGreaterThanOrEqual(19)
  })

  it('picks one call per tool', () => {
    const calls = [{ tool: 'a', arguments: { x: 1 } }, { tool: 'b' }, { tool: 'a', arguments: { x: 2 } }]
    expect(benchCallsOf(undefined, calls)).toEqual([{ tool: 'a', arguments: { x: 1 } }, { tool: 'b' }])
    expect(benchCallsOf(['b', 'c'], calls)).toEqual([{ tool: 'b' }, { tool: 'c', arguments: {} }])
  })
})

describe('benchMcp over Streamable HTTP', () => {
  it('times the tools of a server on 127.0.0.1 (no cold start, no process to sample)', async () => {
    const child = spawn(process.execPath, [server, 'http-fixture'], {
      env: { ...process.env, MCP_HTTP: '1' },
      detached: true,
      stdio: ['ignore', 'pipe', 'ignore'],
    })
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no listening line')), 10_000)
        let out = ''
        child.stdout!.on('data', (d) => {
          out += d
          const m = /listening (\S+)/.exec(out)
          if (m) {
            clearTimeout(timer)
            resolve(m[1]!)
          }
        })
      })
      const entries = await benchMcp({
        system: 'http',
        role: 'candidate',
        spec: { type: 'http', url },
        tools: [{ tool: 'sleep' }, { tool: 'echo', arguments: { text: 'x' } }],
        concurrency: 3,
        calls: 12,
        startupRuns: 3,
      })
      expect(entries.map((e) => [e.tool, e.calls, e.errors])).toEqual([
        ['sleep', 12, 0],
        ['echo', 12, 0],
      ])
      expect(entries[0]!.latency.p50).toBeGreaterThanOrEqual(19)
      expect(entries[0]!.startup).toBeUndefined()
      expect(entries[0]!.resources).toBeUndefined()
    } finally {
      process.kill(-child.pid!, 'SIGKILL')
    }
  })
})

describe('MCP bench in trials', () => {
  // Both systems are the fixture server; `sleep` answers after 20 ms, `fail` answers every call with isError.
  const configFile = () => {
    const tmp = mkdtempSync(join(tmpdir(), 'parity-mcp-trials-'))
    onTestFinished(() => rmSync(tmp, { recursive: true, force: true }))
    writeFileSync(
      join(tmp, 'parity.config.yaml'),
      [
        'systems:',
        '  - { name: old, role: baseline, source: ., mcp: { command: [node, server.mjs, old, "1.0.0"], cwd: DIR } }',
        '  - { name: new, role: candidate, source: ., mcp: { command: [node, server.mjs, new, "2.0.0"], cwd: DIR } }',
        'mcp:',
        '  bench: { tools: [sleep, fail], concurrency: 2, calls: 25, trials: 3, startup: 0 }',
        `history: ${join(tmp, 'history.sqlite')}`,
        '',
      ]
        .join('\n')
        .replaceAll('DIR', JSON.stringify(dir)),
    )
    return join(tmp, 'parity.config.yaml')
  }

  it('alternates trials, merges their histograms, counts errored calls apart; a tool whose calls all errored fails mcpP95; MCP RSS feeds the rss gate', async () => {
    const config = await loadConfig(configFile())
    const run = emptyRun()
    run.candidates = { new: { ...run.summary } } as RunResult['candidates']
    await runMcpBenchStage(run, config)
    expect(run.mcpBench!.map((e) => `${e.tool} ${e.system}`)).toEqual(['sleep old', 'sleep new', 'fail old', 'fail new'])
    const [sleep, , , fail] = run.mcpBench!
    // Three trials of 25 calls each (at least 250 ms each: the sampler's 10 Hz sees them), every timed call in the merged figures.
    expect(sleep!.trials!.map((t) => [t.index, t.calls, t.errors, t.latency.count])).toEqual([
      [0, 25, 0, 25],
      [1, 25, 0, 25],
      [2, 25, 0, 25],
    ])
    expect(sleep!.latency.count).toBe(75)
    expect(sleep!.latency.max).toBe(Math.max(...sleep!.trials!.map((t) => t.latency.max)))
    expect(sleep!.distribution!.at(-1)).toEqual([100, sleep!.latency.max])
    expect(sleep!.idle?.samples).toBeGreaterThan(0)
    expect(sleep!.resources?.cpuMeanPercent).toBeTypeOf('number')
    // Errors are counted, never timed: no latency at all.
    expect(fail!.errors).toBe(75)
    expect(fail!.latency.count).toBe(0)
    expect(fail!.trials!.every((t) => t.errors === 25 && t.latency.count === 0)).toBe(true)
    expect(run.diagnostics.map((d) => d.code)).toContain('MCP_BENCH_ERRORS')
    // Compared like the HTTP bench: trials per side, a confidence word only with three or more.
    const [cmpSleep, cmpFail] = run.mcpBenchComparisons!
    expect(cmpSleep).toMatchObject({ scenario: 'sleep', baseline: 'old', candidate: 'new', trials: { baseline: 3, candidate: 3 } })
    expect(['high', 'low', 'too-noisy']).toContain(cmpSleep!.confidence)
    expect(cmpSleep!.ratios.p95).toBeTypeOf('number')
    expect(cmpFail).toMatchObject({ scenario: 'fail', confidence: 'low', ratios: { p95: null } })
    expect(cmpFail!.note).toContain('every call of fail on old errored')

    const { gates } = assess(run, ['mcpP95 < 60000ms', 'rss < 100000mb', 'rss < 1mb', 'cpu < 100000'])
    expect(gates[0]).toMatchObject({ passed: false })
    expect(gates[0]!.message).toContain('new fail: cannot be measured, every call errored (75 of 75)')
    // Each tool's row: the server's peak RSS under that tool's load (or at rest, when higher).
    const rss = (e: McpBenchEntry) => Math.max(e.resources?.rssPeakMb ?? 0, e.idle?.rssPeakMb ?? 0)
    const [newSleep] = run.mcpBench!.filter((e) => e.system === 'new')
    expect(gates[1]).toMatchObject({ passed: true })
    expect(gates[1]!.message).toContain('new MCP sleep')
    expect(gates[2]).toMatchObject({ passed: false, actual: rss(newSleep!) })
    expect(gates[2]!.message).toMatch(/^new MCP sleep: [\d.]+ MiB; new MCP fail: [\d.]+ MiB$/)
    expect(gates[3]!.message).toContain('new MCP sleep')

    const schema = JSON.parse(readFileSync(new URL('../schema/run.schema.json', import.meta.url), 'utf8'))
    const validate = new (Ajv2020 as unknown as typeof Ajv2020.default)({ allErrors: true, strict: false }).compile(schema)
    expect(validate(JSON.parse(JSON.stringify(run))), JSON.stringify(validate.errors)).toBe(true)
  })
})
