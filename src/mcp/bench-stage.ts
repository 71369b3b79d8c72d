/**
 * The MCP bench stage of `parity run`: every system with an `mcp` block, cold starts alternating
 * between the systems, then tool by tool the baseline and each candidate in turn (so a drift of the
 * machine over the stage hits every side alike), into `run.mcpBench`.
 */
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import type { ResolvedConfig, ResolvedSystem } from '../config/load.js'
import { ParityError } from '../model/errors.js'
import type { RunResult } from '../model/run.js'
import { sampleResources } from '../systems/resources.js'
import { startupStats } from '../systems/supervisor.js'
import type { ResourceSampler, StartupStats } from '../systems/types.js'
import { benchMcpTool, MCP_BENCH_DEFAULTS, openMcpSession, type McpBenchSession } from './bench.js'
import type { McpBenchEntry, McpCall, McpTransportSpec } from './types.js'

/** The transport of a system's `mcp` block. */
export function mcpSpecOf(system: ResolvedSystem): McpTransportSpec | undefined {
  const m = system.mcp
  if (!m) return undefined
  if (m.url) return { type: 'http', url: m.url }
  if (!m.command) return undefined
  return { type: 'stdio', command: m.command, ...(m.cwd ? { cwd: m.cwd } : {}), ...(m.env ? { env: m.env } : {}) }
}

/** A calls file (YAML or JSON): a list of `{ tool, arguments }`. */
export function readMcpCalls(file: string): McpCall[] {
  let value: unknown
  try {
    value = parse(readFileSync(file, 'utf8'))
  } catch (e) {
    throw new ParityError('MCP_CALLS', `${file}: ${(e as Error).message}`, 'give a YAML or JSON list of `{ tool, arguments }`')
  }
  if (!Array.isArray(value)) throw new ParityError('MCP_CALLS', `${file} is not a list of calls`, 'give a YAML or JSON list of `{ tool, arguments }`')
  return value.map((c: unknown, i) => {
    const call = c as Partial<McpCall> | null
    if (!call || typeof call.tool !== 'string' || (call.arguments !== undefined && (typeof call.arguments !== 'object' || call.arguments === null))) {
      throw new ParityError('MCP_CALLS', `${file}: call ${i + 1} needs a \`tool\` name and \`arguments\` as an object`, 'write each call as `{ tool: name, arguments: { ... } }`')
    }
    return call as McpCall
  })
}

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
    run.diagnostics.push({ level: 'warn', code: 'MCP_BENCH_NO_SYSTEMS', message: 'the MCP bench needs the baseline and a candidate with an `mcp` block; skipped' })
    return run
  }
  const calls = benchCallsOf(bench.tools, config.mcp?.calls ? readMcpCalls(config.mcp.calls) : [])
  if (!calls.length) {
    run.diagnostics.push({ level: 'warn', code: 'MCP_BENCH_NO_TOOLS', message: 'the MCP bench has no tools: list them in `mcp.bench.tools` or give a calls file; skipped' })
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
