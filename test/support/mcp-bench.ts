/** One system's MCP bench, for the tests of the parts the bench stage uses (sessions, per-tool load, cold starts). */
import { MCP_BENCH_DEFAULTS, benchMcpTool, openMcpSession } from '../../src/mcp/bench.js'
import type { McpBenchEntry, McpCall, McpTransportSpec } from '../../src/model/mcp.js'
import { sampleResources } from '../../src/systems/resources.js'
import { startupStats } from '../../src/systems/supervisor.js'
import type { StartupStats } from '../../src/systems/types.js'

export interface McpBenchOptions {
  system: string
  role: 'baseline' | 'candidate'
  spec: McpTransportSpec
  /** One representative call per tool. */
  tools: McpCall[]
  /** Calls in flight (default 4). */
  concurrency?: number
  /** Calls per tool (default 200). */
  calls?: number
  /** Cold starts to a completed initialize (default 5; 0 to skip; stdio only). */
  startupRuns?: number
  /** Per call, and for `initialize` (ms, default 10 000). */
  timeoutMs?: number
}

/** `runs` fresh starts to a completed initialize, each closed before the next. */
export async function measureMcpStartup(spec: McpTransportSpec, runs: number, timeoutMs = MCP_BENCH_DEFAULTS.timeoutMs): Promise<StartupStats> {
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const s = await openMcpSession(spec, timeoutMs)
    times.push(Math.round(s.initializeMs * 100) / 100)
    await s.close()
  }
  return startupStats(times, 0)
}

/** Cold start, then every tool of `tools` on one session: one entry per tool, each carrying the system's `startup`. */
export async function benchMcp(opts: McpBenchOptions): Promise<McpBenchEntry[]> {
  const concurrency = opts.concurrency ?? MCP_BENCH_DEFAULTS.concurrency
  const calls = opts.calls ?? MCP_BENCH_DEFAULTS.calls
  const timeoutMs = opts.timeoutMs ?? MCP_BENCH_DEFAULTS.timeoutMs
  const runs = opts.spec.type === 'stdio' ? (opts.startupRuns ?? MCP_BENCH_DEFAULTS.startupRuns) : 0
  const startup = runs > 0 ? await measureMcpStartup(opts.spec, runs, timeoutMs) : undefined
  const session = await openMcpSession(opts.spec, timeoutMs)
  const sampler = session.pid !== undefined ? sampleResources(session.pid) : undefined
  try {
    const out: McpBenchEntry[] = []
    for (const call of opts.tools) {
      const entry = await benchMcpTool(session, call, { system: opts.system, role: opts.role, concurrency, calls, timeoutMs, ...(sampler ? { sampler } : {}) })
      out.push(startup ? { ...entry, startup } : entry)
    }
    return out
  } finally {
    sampler?.stop()
    await session.close()
  }
}
