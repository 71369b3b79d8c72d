/**
 * The terminal view of MCP parity: the tool checklist (name, status, changes, breaking ones marked)
 * with what each server said in `initialize`, then per tool the latency of every system side by
 * side, cold starts and memory. A pure function of the RunResult; the rows are shared with the vault.
 */
import { mcpTimed, type McpBenchEntry, type McpChange, type McpToolResult } from '../model/mcp.js'
import { confidenceText, samplesText } from './bench-table.js'
import type { RunResult } from '../model/run.js'
import { textTable } from './text-table.js'

const ms = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2))

export const MCP_STATUS_MARK: Record<McpToolResult['status'], string> = { verified: '✓', ported: '○', divergent: '≠', missing: '✗', extra: '+' }

const KIND_WORD: Record<McpToolResult['kind'], string> = { 'mcp-tool': 'tool', 'mcp-resource': 'resource', 'mcp-prompt': 'prompt' }

/** `breaking input-schema: argument `kind` is now required`. */
export function changeText(c: McpChange): string {
  return `${c.breaking ? 'breaking ' : ''}${c.kind}: ${c.detail}`
}

/** The checklist's counts by status, in a fixed order. */
export function mcpCounts(tools: readonly McpToolResult[]): Array<[McpToolResult['status'], number]> {
  const order: Array<McpToolResult['status']> = ['verified', 'ported', 'divergent', 'missing', 'extra']
  return order.map((s): [McpToolResult['status'], number] => [s, tools.filter((t) => t.status === s).length]).filter(([, n]) => n > 0)
}

export interface McpLatencyTable {
  /** Systems in the order they were measured (baseline first). */
  systems: Array<{
    name: string
    role: 'baseline' | 'candidate'
    startup?: McpBenchEntry['startup']
    rssPeakMb?: number
    /** Under load, the highest of the tools' mean CPU (% of a core). */
    cpuPercent?: number
    idle?: McpBenchEntry['idle']
  }>
  /** One row per tool, an entry per system (absent when that system was not measured for it). */
  rows: Array<{ tool: string; entries: Array<McpBenchEntry | undefined> }>
  concurrency: number
  calls: number
  /** Trials per tool and system. */
  trials: number
}

/** The bench entries arranged per tool, systems side by side. */
export function mcpLatencyTable(entries: readonly McpBenchEntry[]): McpLatencyTable | undefined {
  if (!entries.length) return undefined
  const systems: McpLatencyTable['systems'] = []
  for (const e of entries) {
    let s = systems.find((x) => x.name === e.system)
    if (!s) systems.push((s = { name: e.system, role: e.role, ...(e.startup ? { startup: e.startup } : {}), ...(e.idle ? { idle: e.idle } : {}) }))
    if (e.resources) {
      s.rssPeakMb = Math.max(s.rssPeakMb ?? 0, e.resources.rssPeakMb)
      s.cpuPercent = Math.max(s.cpuPercent ?? 0, e.resources.cpuMeanPercent)
    }
  }
  systems.sort((a, b) => (a.role === b.role ? 0 : a.role === 'baseline' ? -1 : 1))
  const tools = [...new Set(entries.map((e) => e.tool))]
  return {
    systems,
    rows: tools.map((tool) => ({ tool, entries: systems.map((s) => entries.find((e) => e.tool === tool && e.system === s.name)) })),
    concurrency: entries[0]!.concurrency,
    calls: entries[0]!.calls,
    trials: entries[0]!.trials?.length ?? 1,
  }
}

/** candidate p95 / baseline p95, as text (`0.42x`), or `–`. */
export function p95Ratio(base: McpBenchEntry | undefined, cand: McpBenchEntry | undefined): string {
  if (!base || !cand || !mcpTimed(base) || !mcpTimed(cand) || base.latency.p95 <= 0) return '–'
  return `${(cand.latency.p95 / base.latency.p95).toFixed(2)}x`
}

export function renderMcpTable(run: RunResult, options: { diagnostics?: boolean } = {}): string {
  const tools = run.tools ?? []
  const bench = mcpLatencyTable(run.mcpBench ?? [])
  if (!tools.length && !bench) return 'No MCP results: no server was probed or measured.\n'
  const out: string[] = []
  const servers = Object.entries(run.mcpServers ?? {})
  if (servers.length) {
    out.push('MCP servers', '')
    out.push(
      ...textTable(
        ['System', 'serverInfo', 'protocol', 'initialize'],
        servers.map(([name, s]) => [name, `${s.serverInfo.name} ${s.serverInfo.version}`, s.protocolVersion, `${ms(s.initializeMs)} ms`]),
        new Set([3]),
      ),
      '',
    )
  }
  if (tools.length) {
    out.push(
      `MCP tools  (${mcpCounts(tools)
        .map(([s, n]) => `${n} ${s}`)
        .join(', ')})`,
      '',
    )
    const rows: string[][] = []
    for (const t of tools) {
      const calls = t.calls ? `${t.calls.equivalent}/${t.calls.total}` : ''
      const changes = t.changes.length ? t.changes : [undefined]
      changes.forEach((c, i) => {
        const first = i === 0
        rows.push([
          first ? `${MCP_STATUS_MARK[t.status]} ${t.name}` : '',
          first ? KIND_WORD[t.kind] : '',
          first ? t.status : '',
          first ? calls : '',
          c ? `${c.breaking ? '! ' : '  '}${c.kind}: ${c.detail}` : '',
        ])
      })
    }
    out.push(...textTable(['Tool', 'Kind', 'Status', 'Calls', 'Changes (! breaking)'], rows, new Set([3])), '')
  }
  if (bench) {
    const base = bench.systems.findIndex((s) => s.role === 'baseline')
    const cand = bench.systems.findIndex((s) => s.role === 'candidate')
    const t = bench.trials
    out.push(
      `MCP latency per tool  (${bench.calls} calls per trial, ${t} trial${t === 1 ? '' : 's'} alternating, ${bench.concurrency} in flight on one session; ms of the calls that answered, errors apart)`,
      '',
    )
    const head = [
      'Tool',
      ...bench.systems.flatMap((s) => [`${s.name} p50`, 'p95', 'p99', 'max', 'samples', 'calls/s', 'err']),
      ...(base >= 0 && cand >= 0 ? ['p95 ratio'] : []),
    ]
    const dash = ['–', '–', '–', '–', '–', '–', '–']
    const rows = bench.rows.map((r) => [
      r.tool,
      ...r.entries.flatMap((e) =>
        !e
          ? dash
          : mcpTimed(e)
            ? [
                ms(e.latency.p50),
                ms(e.latency.p95),
                ms(e.latency.p99),
                ms(e.latency.max),
                samplesText(e.latency.count),
                e.callsPerSecond.toFixed(0),
                String(e.errors),
              ]
            : ['–', '–', '–', '–', '0', '–', `${e.errors} (all)`],
      ),
      ...(base >= 0 && cand >= 0 ? [p95Ratio(r.entries[base], r.entries[cand])] : []),
    ])
    out.push(...textTable(head, rows, new Set(head.map((_, i) => i).filter((i) => i > 0))), '')
    for (const c of run.mcpBenchComparisons ?? []) out.push(`  ${c.scenario}: ${c.candidate} vs ${c.baseline}: ${confidenceText(c)}`)
    for (const s of bench.systems) {
      const parts = [
        s.startup ? `cold start ${ms(s.startup.median)} ms (median of ${s.startup.runs}, ${ms(s.startup.min)}–${ms(s.startup.max)})` : '',
        s.rssPeakMb !== undefined ? `RSS peak ${s.rssPeakMb.toFixed(0)} MiB` : '',
        s.cpuPercent !== undefined ? `CPU ${s.cpuPercent.toFixed(0)}% of a core under load` : '',
        s.idle ? `at rest ${s.idle.rssPeakMb.toFixed(0)} MiB, CPU ${s.idle.cpuMeanPercent.toFixed(1)}%` : '',
      ]
      if (parts.some(Boolean)) out.push(`  ${s.name}: ${parts.filter(Boolean).join(', ')}`)
    }
    out.push('')
  }
  if (options.diagnostics) for (const d of run.diagnostics) out.push(`${d.level}: ${d.code}: ${d.message}`)
  return `${out.join('\n')}\n`
}
