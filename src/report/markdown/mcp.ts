/**
 * The "## MCP tools" section of the vault's Comparison page: serverInfo of each server, the tool
 * checklist (breaking changes in bold), and the latency per tool side by side.
 */
import { mcpTimed } from '../../model/mcp.js'
import type { RunResult } from '../../model/run.js'
import { confidenceText } from '../bench-table.js'
import { mcpCounts, mcpLatencyTable, MCP_STATUS_MARK, p95Ratio } from '../mcp-table.js'
import { cell, code, table } from './markup.js'

const ms = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(2))

/** Lines of the section; empty when the run has no MCP results. */
export function mcpMarkdown(run: RunResult): string[] {
  const tools = run.tools ?? []
  const bench = mcpLatencyTable(run.mcpBench ?? [])
  if (!tools.length && !bench) return []
  const out = ['## MCP tools', '']
  const servers = Object.entries(run.mcpServers ?? {})
  if (servers.length) {
    out.push(
      ...table(
        ['System', 'serverInfo', 'Protocol', 'initialize'],
        servers.map(([name, s]) => [name, code(`${s.serverInfo.name} ${s.serverInfo.version}`), s.protocolVersion, `${ms(s.initializeMs)} ms`]),
      ),
      '',
    )
  }
  if (tools.length) {
    out.push(
      `Checklist: ${mcpCounts(tools)
        .map(([s, n]) => `${n} ${s}`)
        .join(', ')}. serverInfo versions are expected to differ and are not findings.`,
      '',
    )
    out.push(
      ...table(
        ['Tool', 'Kind', 'Status', 'Calls', 'Changes'],
        tools.map((t) => [
          code(t.name),
          t.kind.replace('mcp-', ''),
          `${MCP_STATUS_MARK[t.status]} ${t.status}`,
          t.calls ? `${t.calls.equivalent}/${t.calls.total} equivalent` : '',
          t.changes.map((c) => cell(`${c.breaking ? '**breaking** ' : ''}${c.kind}: ${c.detail}`)).join('<br>'),
        ]),
      ),
      '',
    )
  }
  if (bench) {
    const base = bench.systems.findIndex((s) => s.role === 'baseline')
    const cand = bench.systems.findIndex((s) => s.role === 'candidate')
    out.push(
      '### MCP latency',
      '',
      `${bench.calls} calls per trial, ${bench.trials} trial${bench.trials === 1 ? '' : 's'} per tool alternating between the systems, ${bench.concurrency} in flight on one session; milliseconds of the calls that answered (max: the slowest; samples: calls timed), errors counted apart.`,
      '',
    )
    out.push(
      ...table(
        [
          'Tool',
          ...bench.systems.map((s) => `${s.name} p50 / p95 / p99 / max`),
          ...bench.systems.map((s) => `${s.name} samples`),
          ...bench.systems.map((s) => `${s.name} calls/s`),
          'Errors',
          ...(base >= 0 && cand >= 0 ? ['p95 ratio'] : []),
        ],
        bench.rows.map((r) => [
          code(r.tool),
          ...r.entries.map((e) =>
            !e ? '—' : mcpTimed(e) ? `${ms(e.latency.p50)} / ${ms(e.latency.p95)} / ${ms(e.latency.p99)} / ${ms(e.latency.max)}` : 'every call errored',
          ),
          ...r.entries.map((e) => (e?.latency.count !== undefined ? String(e.latency.count) : '—')),
          ...r.entries.map((e) => (e ? String(Math.round(e.callsPerSecond)) : '—')),
          r.entries.map((e) => (e ? String(e.errors) : '—')).join(' / '),
          ...(base >= 0 && cand >= 0 ? [p95Ratio(r.entries[base], r.entries[cand])] : []),
        ]),
      ),
      '',
    )
    const lines = bench.systems.flatMap((s) => {
      const parts = [
        s.startup ? `cold start ${ms(s.startup.median)} ms (median of ${s.startup.runs})` : '',
        s.rssPeakMb !== undefined ? `RSS peak ${Math.round(s.rssPeakMb)} MiB` : '',
        s.cpuPercent !== undefined ? `CPU ${Math.round(s.cpuPercent)}% of a core under load` : '',
        s.idle ? `at rest ${Math.round(s.idle.rssPeakMb)} MiB, CPU ${s.idle.cpuMeanPercent.toFixed(1)}%` : '',
      ].filter(Boolean)
      return parts.length ? [`- ${s.name}: ${parts.join(', ')}`] : []
    })
    if (lines.length) out.push(...lines, '')
    const notes = (run.mcpBenchComparisons ?? []).map((c) => `- ${code(c.scenario)}: ${c.candidate} against ${c.baseline}: ${confidenceText(c)}.`)
    if (notes.length) out.push(...notes, '')
  }
  return out
}
