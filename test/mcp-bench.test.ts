/**
 * The MCP bench against real SDK servers over stdio: cold starts, per tool latency with calls in
 * flight, errors counted, the process tree sampled; and the stage alternating two systems.
 */
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config/load.js'
import { openMcpSession } from '../src/mcp/bench.js'
import { benchMcp } from './support/mcp-bench.js'
import { benchCallsOf, runMcpBenchStage } from '../src/mcp/bench-stage.js'
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
