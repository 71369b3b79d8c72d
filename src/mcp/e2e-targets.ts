/**
 * What an MCP end-to-end suite is handed in `parity run` (`e2e.mcp`): the baseline's and the first
 * MCP candidate's `mcp` blocks, as one shell command line each (stdio: its folder and environment
 * written in) or as URLs (Streamable HTTP, WebSocket).
 */
import type { ResolvedConfig } from '../config/load.js'
import type { McpTransportSpec } from '../model/mcp.js'
import type { E2eTarget } from '../verify/e2e.js'
import { mcpSpecOf } from './stage.js'

const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`)

/** A stdio spec as one line for `sh -c`: `cd DIR && export K=V && CMD`. */
export function stdioCommandLine(spec: Extract<McpTransportSpec, { type: 'stdio' }>): string {
  const command = typeof spec.command === 'string' ? spec.command : spec.command.map(quote).join(' ')
  const steps = [
    ...(spec.cwd ? [`cd ${quote(spec.cwd)}`] : []),
    ...Object.entries(spec.env ?? {}).map(([k, v]) => `export ${k}=${quote(v)}`),
    // A group, so that a command line of its own (`a && b`) keeps its meaning after the prefix.
    spec.cwd || spec.env ? `{ ${command}\n}` : command,
  ]
  return steps.join(' && ')
}

/** The suite's two targets, or why there are none (no pair of `mcp` blocks, or one over stdio and one over a URL). */
export function mcpE2eTargets(config: ResolvedConfig): { target: E2eTarget; baseline: string; candidate: string } | { problem: string } {
  const base = mcpSpecOf(config.baseline)
  const cand = config.candidates.map(mcpSpecOf).find((s) => s !== undefined)
  if (!base || !cand) return { problem: 'e2e.mcp needs an `mcp` block on the baseline and on a candidate; the MCP e2e suite did not run' }
  if (base.type === 'stdio' && cand.type === 'stdio') return { target: 'mcp-command', baseline: stdioCommandLine(base), candidate: stdioCommandLine(cand) }
  if (base.type === 'http' && cand.type === 'http') return { target: 'mcp-url', baseline: base.url, candidate: cand.url }
  return {
    problem: `e2e.mcp: the baseline's MCP server is reached over ${base.type === 'stdio' ? 'stdio' : 'a URL'} and the candidate's over ${cand.type === 'stdio' ? 'stdio' : 'a URL'}; one suite variable cannot carry both, so the MCP e2e suite did not run`,
  }
}
