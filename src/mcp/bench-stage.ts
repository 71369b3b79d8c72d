/**
 * The MCP bench stage of `parity run`: every system with an `mcp` block, cold starts alternating
 * between the systems, then tool by tool the baseline and each candidate in turn (so a drift of the
 * machine over the stage hits every side alike), into `run.mcpBench`.
 */
import type { ResolvedConfig } from '../config/load.js'
import type { RunResult } from '../model/run.js'
import { sampleResources } from '../systems/resources.js'
import { startupStats } from '../systems/supervisor.js'
import type { ResourceSampler, StartupStats } from '../systems/types.js'
import { readCalls } from './calls.js'
import { mcpSpecOf } from './stage.js'
import { benchMcpTool, MCP_BENCH_DEFAULTS, openMcpSession, type McpBenchSession } from './bench.js'
import type { McpBenchEntry, McpCall } from '../model/mcp.js'

/** One call per tool: the config's `bench.tools` (their first call in the file, or no arguments), else the first call of each tool in the file. */
export function benchCallsOf(tools: string[] | undefined, calls: McpCall[]): McpCall[] {
  const first = new Map<string, McpCall>()
  for (const c of calls) if (!first.has(c.tool)) first.set(c.tool, c)
  if (!tools?.length) return [...first.values()]
  return tools.map((t) => first.get(t) ?? { tool: t, arguments: {} })
}

export async function runMcpBenchStage(run: RunResult, config: ResolvedConfig): Promise<RunResult> {
  const bench = config.mcp?.bench ?? {}
  const systems = [config.baseline, ...config.candidates].flatMap((s) => {
    const spec = mcpSpecOf(s)
    return spec ? [{ system: s, spec }] : []
  })
  if (!config.baseline.mcp || systems.length < 2) {
    run.diagnostics.push({
      level: 'warn',
      code: 'MCP_BENCH_NO_SYSTEMS',
      message: 'the MCP bench needs the baseline and a candidate with an `mcp` block; skipped',
    })
    return run
  }
  // A tool the checklist found missing in the candidate is not timed: its calls would only fail there.
  const missing = new Set((run.tools ?? []).filter((t) => t.kind === 'mcp-tool' && t.status === 'missing').map((t) => t.name))
  const calls = benchCallsOf(bench.tools, config.mcp?.calls ? readCalls(config.mcp.calls) : []).filter((c) => !missing.has(c.tool))
  if (!calls.length) {
    run.diagnostics.push({
      level: 'warn',
      code: 'MCP_BENCH_NO_TOOLS',
      message: 'the MCP bench has no tools: list them in `mcp.bench.tools` or give a calls file; skipped',
    })
    return run
  }
  const timeoutMs = (config.mcp?.timeout ?? MCP_BENCH_DEFAULTS.timeoutMs / 1000) * 1000
  const concurrency = bench.concurrency ?? MCP_BENCH_DEFAULTS.concurrency
  const perTool = bench.calls ?? MCP_BENCH_DEFAULTS.calls
  const runs = bench.startup ?? MCP_BENCH_DEFAULTS.startupRuns

  // Cold starts, alternating between the systems; a system that never initializes is left out.
  const times = systems.map(() => [] as number[])
  const failed = new Set<number>()
  for (let r = 0; r < runs; r++) {
    for (const [i, s] of systems.entries()) {
      if (failed.has(i) || s.spec.type !== 'stdio') continue
      try {
        const session = await openMcpSession(s.spec, timeoutMs)
        times[i]!.push(Math.round(session.initializeMs * 100) / 100)
        await session.close()
      } catch (e) {
        failed.add(i)
        run.diagnostics.push({ level: 'error', code: 'MCP_BENCH_START', message: `${s.system.name}: ${(e as Error).message}` })
      }
    }
  }
  const startup = times.map((t): StartupStats | undefined => (t.length ? startupStats(t, 0) : undefined))

  const sessions: Array<{ session: McpBenchSession; sampler?: ResourceSampler } | undefined> = []
  try {
    for (const [i, s] of systems.entries()) {
      if (failed.has(i)) {
        sessions.push(undefined)
        continue
      }
      try {
        const session = await openMcpSession(s.spec, timeoutMs)
        sessions.push({ session, ...(session.pid !== undefined ? { sampler: sampleResources(session.pid) } : {}) })
      } catch (e) {
        sessions.push(undefined)
        run.diagnostics.push({ level: 'error', code: 'MCP_BENCH_START', message: `${s.system.name}: ${(e as Error).message}` })
      }
    }
    const entries: McpBenchEntry[] = []
    for (const call of calls) {
      for (const [i, s] of systems.entries()) {
        const open = sessions[i]
        if (!open) continue
        const entry = await benchMcpTool(open.session, call, {
          system: s.system.name,
          role: s.system.role,
          concurrency,
          calls: perTool,
          timeoutMs,
          ...(open.sampler ? { sampler: open.sampler } : {}),
        })
        const st = startup[i]
        entries.push(st ? { ...entry, startup: st } : entry)
      }
    }
    run.mcpBench = entries
  } finally {
    for (const open of sessions) {
      open?.sampler?.stop()
      await open?.session.close()
    }
  }
  return run
}
