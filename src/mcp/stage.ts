/**
 * The MCP stage of `parity run`: the baseline and the first candidate with an `mcp` block are
 * probed, diffed and called (`mcp.calls`), and the checklist lands in the RunResult: `tools`,
 * `mcpServers`, and the pairs (MCP items of the scan take the live status; items only the live
 * servers list are added).
 */
import type { ResolvedConfig, ResolvedSystem } from '../config/load.js'
import { summarizePairs } from '../match/diff.js'
import { isParityError } from '../model/errors.js'
import type { Pair, RunResult } from '../model/run.js'
import { compareMcp, serverSummary, toolPairs } from './compare-servers.js'
import type { McpTransportSpec } from '../model/mcp.js'

/** A system's `mcp` block as a transport. */
export function mcpSpecOf(system: ResolvedSystem): McpTransportSpec | undefined {
  const m = system.mcp
  if (!m) return undefined
  if (m.url) return { type: 'http', url: m.url }
  if (m.command === undefined) return undefined
  return { type: 'stdio', command: m.command, ...(m.cwd ? { cwd: m.cwd } : {}), ...(m.env ? { env: m.env } : {}) }
}

const isMcpKind = (k: Pair['kind']) => k === 'mcp-tool' || k === 'mcp-resource' || k === 'mcp-prompt'

export async function runMcpStage(run: RunResult, config: ResolvedConfig): Promise<RunResult> {
  const baseline = config.baseline
  const candidate = config.candidates.find((c) => c.mcp)
  const bs = mcpSpecOf(baseline)
  const cs = candidate ? mcpSpecOf(candidate) : undefined
  if (!bs || !cs || !candidate) {
    if (bs || cs || config.mcp) {
      run.diagnostics.push({
        level: 'warn',
        code: 'MCP_NO_PAIR',
        message: 'MCP parity needs an `mcp` block on the baseline and on a candidate; the MCP stage did not run',
      })
    }
    return run
  }
  let parity: Awaited<ReturnType<typeof compareMcp>>
  try {
    parity = await compareMcp({
      baseline: bs,
      candidate: cs,
      ...(config.mcp?.calls ? { calls: config.mcp.calls } : {}),
      timeoutMs: (config.mcp?.timeout ?? 10) * 1000,
      ...(config.redact ? { redact: config.redact } : {}),
    })
  } catch (e) {
    if (!isParityError(e)) throw e
    run.diagnostics.push({ level: 'error', code: e.code, message: `MCP stage: ${e.message}${e.hint ? ` (${e.hint})` : ''}` })
    return run
  }
  const live = new Map(parity.tools.map((t) => [`${t.kind} ${t.name}`, t]))
  const scanned = new Set<string>()
  const pairs: Pair[] = run.pairs.map((p) => {
    if (!isMcpKind(p.kind) || !p.baseline) return p
    scanned.add(p.key)
    const t = live.get(p.key)
    if (!t || (t.status !== 'verified' && t.status !== 'divergent')) return p
    const cell = p.matrix?.[candidate.name]
    const current = cell?.status ?? (p.candidateSystem === candidate.name ? p.status : undefined)
    if (current !== 'ported' && current !== 'verified' && current !== 'divergent') return p
    const next = { ...p }
    if (p.matrix && cell) next.matrix = { ...p.matrix, [candidate.name]: { ...cell, status: t.status } }
    if (p.candidateSystem === candidate.name) next.status = t.status
    return next
  })
  // Candidate-only items of the scan count as seen too: the probe does not add them twice.
  for (const p of run.pairs) if (isMcpKind(p.kind) && !p.baseline) scanned.add(p.key)
  const { baseline: bp, candidate: cp } = parity.probes
  // Concrete resources a scanned template covers (`file:///src/a.ts` under `file:///{+path}`) are that template's, not items of their own.
  const templates = [...scanned].filter((k) => k.startsWith('mcp-resource ') && k.includes('{')).map((k) => templateRegex(k.slice('mcp-resource '.length)))
  const liveOnly = parity.tools.filter((t) => !scanned.has(`${t.kind} ${t.name}`) && !(t.kind === 'mcp-resource' && templates.some((re) => re.test(t.name))))
  const others = config.candidates.filter((c) => c.name !== candidate.name).map((c) => c.name)
  const added = toolPairs(liveOnly, bp.items, cp.items, candidate.name).map((p) =>
    p.baseline && others.length
      ? {
          ...p,
          matrix: {
            [candidate.name]: { status: p.status, candidate: p.candidate },
            ...Object.fromEntries(others.map((o) => [o, { status: 'missing' as const, candidate: null }])),
          },
        }
      : p,
  )
  const all = [...pairs, ...added]
  return {
    ...run,
    pairs: all,
    ...summarizePairs(all, Object.keys(run.candidates), run.services?.rule),
    diagnostics: [...run.diagnostics, ...parity.diagnostics],
    tools: parity.tools,
    mcpServers: { ...run.mcpServers, [baseline.name]: serverSummary(bp), [candidate.name]: serverSummary(cp) },
    ...(parity.calls?.noise.length ? { noise: [...(run.noise ?? []), ...parity.calls.noise] } : {}),
  }
}

/** An RFC 6570 URI template as a regular expression over concrete URIs (`{+path}` spans slashes, `{name}` does not). */
function templateRegex(template: string): RegExp {
  const parts = template.split(/(\{[^}]*\})/)
  const body = parts
    .map((p) => (p.startsWith('{') ? (p.startsWith('{+') || p.startsWith('{/') ? '.+' : '[^/]+') : p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('')
  return new RegExp(`^${body}$`)
}
