/**
 * `parity mcp` as a run: probe both servers, diff their tools, make the scripted calls on both,
 * and return a RunResult whose `tools` is the checklist and whose pairs are the MCP items.
 */
import { plural } from '../model/words.js'
import { summarizePairs } from '../match/diff.js'
import type { Diagnostic, McpItem } from '../model/inventory.js'
import type { Pair, RunResult, SystemResult } from '../model/run.js'
import { emptyRun } from '../model/empty-run.js'
import { readCalls, runCalls, type McpCallsResult } from './calls.js'
import { connectMcp, describeSpec, type McpConnection } from './client.js'
import { probeConnected } from './probe.js'
import { diffMcp } from './schema-diff.js'
import type { McpCall, McpProbe, McpToolResult, McpTransportSpec } from '../model/mcp.js'

export interface McpParityInput {
  baseline: McpTransportSpec
  candidate: McpTransportSpec
  /** A second baseline instance: calls made on both, differences between them learned as noise. */
  baseline2?: McpTransportSpec
  /** A calls file, or the calls themselves. */
  calls?: string | McpCall[]
  /** Initialize and per call (default 10 000 ms). */
  timeoutMs?: number
  /** More secret names, beside the defaults, kept out of the stored changes. */
  redact?: { headers?: string[]; fields?: string[] }
}

export interface McpParity {
  tools: McpToolResult[]
  probes: { baseline: McpProbe; candidate: McpProbe }
  calls?: McpCallsResult
  diagnostics: Diagnostic[]
}

/** Probe, diff and call; every connection closed (and its process tree stopped) before returning. */
export async function compareMcp(input: McpParityInput): Promise<McpParity> {
  const timeoutMs = input.timeoutMs ?? 10_000
  const calls = typeof input.calls === 'string' ? readCalls(input.calls) : input.calls
  const conns: McpConnection[] = []
  const open = async (spec: McpTransportSpec) => {
    const c = await connectMcp(spec, { timeoutMs })
    conns.push(c)
    return c
  }
  try {
    // allSettled: when one server fails to start, the others are still waited for, so that `finally` stops them all.
    const opened = await Promise.allSettled([open(input.baseline), open(input.candidate), input.baseline2 && calls?.length ? open(input.baseline2) : undefined])
    const failed = opened.find((o): o is PromiseRejectedResult => o.status === 'rejected')
    if (failed) throw failed.reason
    const [base, cand, base2] = opened.map((o) => (o as PromiseFulfilledResult<McpConnection | undefined>).value) as [
      McpConnection,
      McpConnection,
      McpConnection | undefined,
    ]
    const [bp, cp] = await Promise.all([
      probeConnected(base, describeSpec(input.baseline), timeoutMs),
      probeConnected(cand, describeSpec(input.candidate), timeoutMs),
    ])
    const diagnostics: Diagnostic[] = [
      ...bp.diagnostics.map((d) => ({ ...d, message: `baseline: ${d.message}` })),
      ...cp.diagnostics.map((d) => ({ ...d, message: `candidate: ${d.message}` })),
    ]
    const tools = diffMcp(bp.items, cp.items)
    markClientRejects(tools, bp, cp)
    let result: McpCallsResult | undefined
    // A tool the candidate does not list is missing already: calling it there only repeats that.
    const missing = new Set(tools.filter((t) => t.kind === 'mcp-tool' && t.status === 'missing').map((t) => t.name))
    const callable = calls?.filter((c) => !missing.has(c.tool)) ?? []
    if (calls && callable.length < calls.length) {
      diagnostics.push({
        level: 'info',
        code: 'MCP_CALLS_SKIPPED',
        message: `${plural(calls.length - callable.length, 'call')} not made: their tool is missing in the candidate (${[...new Set(calls.filter((c) => missing.has(c.tool)).map((c) => c.tool))].join(', ')})`,
      })
    }
    if (callable.length) {
      result = await runCalls(base2 ? [base, base2] : base, cand, callable, { timeoutMs, ...(input.redact ? { redact: input.redact } : {}) })
      mergeCalls(tools, result, diagnostics)
    }
    diagnostics.push(...strayDiagnostics([base, 'baseline'], [cand, 'candidate'], ...(base2 ? [[base2, 'second baseline'] as const] : [])))
    return { tools, probes: { baseline: bp, candidate: cp }, ...(result ? { calls: result } : {}), diagnostics }
  } finally {
    await Promise.all(conns.map((c) => c.close()))
  }
}

/**
 * A tool the official SDK client refuses to list on the candidate (and not on the baseline) is
 * broken for every current client, whatever its schema diff says: one breaking change says so.
 */
export function markClientRejects(tools: McpToolResult[], baseline: McpProbe, candidate: McpProbe): void {
  for (const t of tools) {
    if (t.kind !== 'mcp-tool' || t.status === 'missing' || t.status === 'extra') continue
    const reason = candidate.clientRejects?.[t.name]
    if (reason === undefined || baseline.clientRejects?.[t.name] !== undefined) continue
    t.changes.unshift({ kind: 'input-schema', breaking: true, detail: `current MCP SDK clients cannot list this tool: ${reason}`, pointer: '' })
    t.status = 'divergent'
  }
}

/** A finding per server that printed lines other than JSON-RPC on stdout: they were skipped, and an MCP client that does not skip them breaks. */
function strayDiagnostics(...servers: Array<readonly [McpConnection, string]>): Diagnostic[] {
  const out: Diagnostic[] = []
  for (const [conn, side] of servers) {
    const stray = conn.strayOutput()
    if (!stray?.count) continue
    const shown = stray.lines.map((l) => `  ${l}`).join('\n')
    const more = stray.count > stray.lines.length ? `\n  … and ${plural(stray.count - stray.lines.length, 'more line')}` : ''
    out.push({
      level: 'warn',
      code: 'MCP_STDOUT_NOT_PROTOCOL',
      message: `${side}: printed ${plural(stray.count, 'line')} on stdout that ${stray.count === 1 ? 'is' : 'are'} not JSON-RPC (skipped; a strict MCP client fails on them, logs belong on stderr):\n${shown}${more}`,
    })
  }
  return out
}

/** Calls into the checklist: a tool whose calls were all equivalent is verified, one that differed divergent. */
export function mergeCalls(tools: McpToolResult[], result: McpCallsResult, diagnostics: Diagnostic[]): void {
  for (const [name, r] of result.byTool) {
    const tool = tools.find((t) => t.kind === 'mcp-tool' && t.name === name)
    if (!tool) {
      diagnostics.push({ level: 'warn', code: 'MCP_CALL_UNKNOWN_TOOL', message: `${plural(r.total, 'call')} to ${name}, which neither server lists` })
      continue
    }
    tool.calls = { total: r.total, equivalent: r.equivalent }
    tool.changes.push(...r.changes)
    if (tool.status === 'missing' || tool.status === 'extra') continue
    if (tool.changes.some((c) => c.breaking)) tool.status = 'divergent'
    else if (r.total > 0 && r.equivalent === r.total) tool.status = 'verified'
  }
  for (const o of result.outcomes) {
    const at = `call ${o.index + 1} (${o.call.tool})`
    if (o.verdict.outcome === 'error')
      diagnostics.push({
        level: 'warn',
        code: 'MCP_CALL_BASELINE_FAILED',
        message: `${at}: the baseline failed (${o.baseline.error?.message}); the candidate cannot be judged`,
      })
    if (o.verdict.outcome === 'unproven')
      diagnostics.push({
        level: 'warn',
        code: 'MCP_CALL_FAILED',
        message: `${at}: both servers failed (baseline: ${o.baseline.error?.message}; candidate: ${o.candidate.error?.message})`,
      })
    else if (o.candidate.error)
      diagnostics.push({
        level: 'warn',
        code: o.candidate.error.code === 'timeout' ? 'MCP_CALL_TIMEOUT' : 'MCP_CALL_FAILED',
        message: `${at}: the candidate failed: ${o.candidate.error.message}`,
      })
    if (o.expectation) diagnostics.push({ level: 'warn', code: 'MCP_EXPECT_FAILED', message: `${at}: ${o.expectation}` })
  }
}

/** The checklist as pairs: the MCP item on each side, with the checklist's status. */
export function toolPairs(tools: McpToolResult[], baseline: McpItem[], candidate: McpItem[], candidateSystem: string): Pair[] {
  const find = (items: McpItem[], t: McpToolResult) => items.find((i) => i.kind === t.kind && i.name === t.name) ?? null
  return tools.map((t) => {
    const b = t.status === 'extra' ? null : find(baseline, t)
    const c = t.status === 'missing' ? null : find(candidate, t)
    return {
      kind: t.kind,
      key: `${t.kind} ${t.name}`,
      component: (b ?? c)?.component ?? 'mcp',
      status: t.status,
      baseline: b,
      candidate: c,
      candidateSystem,
      ...(b && c ? { via: 'key' as const } : {}),
    }
  })
}

/** What each server said in `initialize`, for RunResult.mcpServers. */
export function serverSummary(p: McpProbe): NonNullable<RunResult['mcpServers']>[string] {
  return {
    serverInfo: p.serverInfo,
    protocolVersion: p.protocolVersion,
    ...(p.instructions !== undefined ? { instructions: p.instructions } : {}),
    pages: p.pages,
    initializeMs: Math.round(p.initializeMs * 10) / 10,
  }
}

function countKinds(items: McpItem[]): SystemResult['items'] {
  const out: SystemResult['items'] = {}
  for (const i of items) out[i.kind] = (out[i.kind] ?? 0) + 1
  return out
}

/** `parity mcp`: the RunResult of one baseline and one candidate server. */
export async function runMcpParity(input: McpParityInput): Promise<RunResult> {
  const startedAt = new Date().toISOString()
  const parity = await compareMcp(input)
  const { baseline: bp, candidate: cp } = parity.probes
  const pairs = toolPairs(parity.tools, bp.items, cp.items, 'candidate')
  const system = (name: string, role: SystemResult['role'], spec: McpTransportSpec, p: McpProbe): SystemResult => ({
    name,
    role,
    source: describeSpec(spec),
    sourceKind: 'url',
    frameworks: ['probe'],
    stats: { files: 0, parsed: 0, lines: 0, skipped: {} },
    items: countKinds(p.items),
    diagnostics: [],
  })
  const noise = parity.calls?.noise ?? []
  return {
    ...emptyRun(startedAt),
    systems: [system('baseline', 'baseline', input.baseline, bp), system('candidate', 'candidate', input.candidate, cp)],
    pairs,
    nearMisses: [],
    ...summarizePairs(pairs, ['candidate']),
    diagnostics: parity.diagnostics,
    ...(noise.length ? { noise } : {}),
    tools: parity.tools,
    mcpServers: { baseline: serverSummary(bp), candidate: serverSummary(cp) },
  }
}
