/**
 * The MCP bench stage of `parity run`: every system with an `mcp` block, cold starts alternating
 * between the systems, each server at rest for a second (idle RSS and CPU), then tool by tool in
 * trials alternating baseline, candidate, baseline... (so a drift of the machine over the stage hits
 * every side alike), into `run.mcpBench` and, each candidate against the baseline with the HTTP
 * bench's statistics, `run.mcpBenchComparisons`.
 */

/** How long each server is sampled at rest before its first call. */
const IDLE_MS = 1000
import type { ResolvedConfig } from '../config/load.js'
import { createLatencyHistogram, type LatencyHistogram } from '../bench/histogram.js'
import { combineResources, judgeTrials, latencyOverTrials } from '../bench/runner.js'
import { DEFAULT_MAX_SPREAD, median } from '../bench/stats.js'
import type { BenchComparison } from '../model/bench.js'
import type { RunResult } from '../model/run.js'
import { sampleResources } from '../systems/resources.js'
import { startupStats } from '../systems/supervisor.js'
import type { ResourceSampler, ResourceStats, StartupStats } from '../systems/types.js'
import { readCalls } from './calls.js'
import { mcpSpecOf } from './stage.js'
import { benchMcpTool, MCP_BENCH_DEFAULTS, openMcpSession, type McpBenchSession } from './bench.js'
import { mcpTimed, type McpBenchEntry, type McpBenchTrial, type McpCall } from '../model/mcp.js'

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
  const trials = bench.trials ?? MCP_BENCH_DEFAULTS.trials

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

  const sessions: Array<{ session: McpBenchSession; sampler?: ResourceSampler; idle?: ResourceStats } | undefined> = []
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
    // At rest, before any call: each server's tree for a second, like an HTTP system's before load.
    for (const open of sessions) {
      if (!open?.sampler) continue
      open.sampler.mark()
      await new Promise((r) => setTimeout(r, IDLE_MS))
      const idle = open.sampler.mark()
      if (idle.samples > 0) open.idle = idle
    }
    const entries: McpBenchEntry[] = []
    for (const call of calls) {
      // Trials alternate between the systems (baseline, candidate, baseline, ...), so a drift of the machine falls on every side alike.
      const trialsOf = systems.map(() => [] as McpBenchTrial[])
      const merged = systems.map(() => createLatencyHistogram())
      for (let t = 0; t < trials; t++) {
        for (const [i, s] of systems.entries()) {
          const open = sessions[i]
          if (!open) continue
          const one = await benchMcpTool(open.session, call, {
            system: s.system.name,
            role: s.system.role,
            concurrency,
            calls: perTool,
            timeoutMs,
            into: merged[i]!,
            ...(open.sampler ? { sampler: open.sampler } : {}),
          })
          trialsOf[i]!.push({
            index: t,
            calls: one.calls,
            errors: one.errors,
            callsPerSecond: one.callsPerSecond,
            latency: one.latency,
            ...(one.resources ? { resources: one.resources } : {}),
          })
        }
      }
      for (const [i, s] of systems.entries()) {
        const open = sessions[i]
        if (!open) continue
        entries.push(mcpEntryOf(s.system.name, s.system.role, call.tool, concurrency, perTool, trialsOf[i]!, merged[i]!, startup[i], open.idle))
      }
    }
    run.mcpBench = entries
    run.mcpBenchComparisons = compareMcpEntries(entries, config.bench?.maxSpread ?? DEFAULT_MAX_SPREAD)
    for (const e of entries) {
      if (e.errors === 0) continue
      const all = e.errors === e.calls * (e.trials?.length ?? 1)
      run.diagnostics.push({
        level: 'warn',
        code: 'MCP_BENCH_ERRORS',
        message: `${e.system} ${e.tool}: ${e.errors} of ${e.calls * (e.trials?.length ?? 1)} calls errored${all ? ': the tool has no latency' : ' (not timed)'}`,
      })
    }
  } finally {
    for (const open of sessions) {
      open?.sampler?.stop()
      await open?.session.close()
    }
  }
  return run
}

/** A tool's figures on one server over its trials: latency of the timed calls (HTTP bench rules), errors apart, resources combined. */
export function mcpEntryOf(
  system: string,
  role: 'baseline' | 'candidate',
  tool: string,
  concurrency: number,
  calls: number,
  trials: McpBenchTrial[],
  merged: LatencyHistogram,
  startup: StartupStats | undefined,
  idle: ResourceStats | undefined,
): McpBenchEntry {
  const timed = trials.filter((t) => t.latency.count !== 0)
  const latency = timed.length ? latencyOverTrials(timed.map((t) => t.latency)) : merged.summary()
  const resources = trials.flatMap((t) => (t.resources ? [t.resources] : []))
  return {
    system,
    role,
    tool,
    concurrency,
    calls,
    callsPerSecond: Math.round(median(trials.map((t) => t.callsPerSecond)) * 10) / 10,
    latency: { ...latency, count: merged.count },
    errors: trials.reduce((n, t) => n + t.errors, 0),
    ...(resources.length ? { resources: combineResources(resources) } : {}),
    ...(idle ? { idle } : {}),
    ...(startup ? { startup } : {}),
    trials,
    ...(merged.count ? { distribution: merged.distribution() } : {}),
  }
}

/** Each candidate against the baseline, tool by tool, with the HTTP bench's confidence (trials, spread, ranges). */
export function compareMcpEntries(entries: McpBenchEntry[], maxSpread = DEFAULT_MAX_SPREAD): BenchComparison[] {
  const out: BenchComparison[] = []
  const figures = (e: McpBenchEntry) =>
    (e.trials ?? []).filter((t) => t.latency.count !== 0).map((t) => ({ throughput: { rps: t.callsPerSecond }, latency: t.latency }))
  const round = (x: number) => Math.round(x * 1000) / 1000
  for (const b of entries.filter((e) => e.role === 'baseline')) {
    for (const c of entries.filter((e) => e.role === 'candidate' && e.tool === b.tool)) {
      const broken = [b, c].filter((e) => !mcpTimed(e)).map((e) => `every call of ${e.tool} on ${e.system} errored: it has no latency`)
      const judged = judgeTrials(figures(b), figures(c), maxSpread, broken)
      const ratio = (x: number | undefined, y: number | undefined) => (judged.has && x !== undefined && y !== undefined && x > 0 ? round(y / x) : null)
      const cpuPerCall = (e: McpBenchEntry) => (e.resources && e.callsPerSecond > 0 ? e.resources.cpuMeanPercent / e.callsPerSecond : undefined)
      const errors = [b, c].filter((e) => e.errors > 0 && mcpTimed(e)).map((e) => `${e.system}: ${e.errors} calls errored, not timed`)
      out.push({
        scenario: b.tool,
        baseline: b.system,
        candidate: c.system,
        ratios: {
          rps: ratio(b.callsPerSecond, c.callsPerSecond),
          p50: ratio(b.latency.p50, c.latency.p50),
          p90: ratio(b.latency.p90, c.latency.p90),
          p95: ratio(b.latency.p95, c.latency.p95),
          p99: ratio(b.latency.p99, c.latency.p99),
          rss: b.resources && c.resources && b.resources.rssPeakMb > 0 ? round(c.resources.rssPeakMb / b.resources.rssPeakMb) : null,
          cpu: ratio(cpuPerCall(b), cpuPerCall(c)),
          startup: b.startup && c.startup && b.startup.median > 0 ? round(c.startup.median / b.startup.median) : null,
        },
        ...judged.verdict,
        ...(errors.length ? { note: `${judged.verdict.note}; ${errors.join('; ')}` } : {}),
      })
    }
  }
  return out
}
