import { ParityError } from '../model/errors.js'
import type { McpTransportSpec } from '../model/mcp.js'
import { runMcpParity } from '../mcp/compare-servers.js'
import { parseCommandArgs, secondsFlag, tableOrJson } from './args.js'
import type { Command } from './command.js'
import { emit } from './output.js'
import { runStages } from './config-command.js'
import { requireConfig } from '../config/load.js'
import type { RunResult } from '../model/run.js'
import { relative, resolve } from 'node:path'
import { renderMcpTable } from '../report/mcp-table.js'

const HELP = `Usage: parity mcp --baseline "CMD ARGS" --candidate "CMD ARGS" [options]
       parity mcp [--config FILE]        (the systems' \`mcp\` blocks, as \`parity run\` compares them)

Compare two MCP servers: initialize, tools/list (every page), resources and prompts; every tool
present, missing or extra, its description, input and output JSON Schemas (breaking: a new required
argument, a removed property, a narrowed type or enum, additionalProperties: false, a tighter
minItems/maxItems; compatible: a new optional argument, a wider enum, a title or description) and
annotations. Lines a stdio server prints on stdout that are not JSON-RPC are skipped and reported;
tools the MCP SDK client rejects are reported as such. With --calls, each scripted call is made on both servers and the answers compared
(content, structuredContent, isError, JSON-RPC error codes; text holding JSON compared as JSON):
a tool whose calls all agree is verified, one that differs divergent. Commands run through the
shell with the environment inherited.

With a config, its systems are scanned and the baseline's and first candidate's \`mcp\` blocks
compared with the config's \`mcp\` block (calls, timeout): the scanned MCP items take the live
status. --calls and --timeout override the block's.

Options:
  --config FILE           the config (default: parity.config.* in this folder, when no server is given)
  --baseline "CMD"        the baseline server over stdio
  --candidate "CMD"       the candidate server over stdio
  --baseline-url URL      the baseline over Streamable HTTP, or WebSocket for ws:// (instead of --baseline)
  --candidate-url URL     the candidate over Streamable HTTP, or WebSocket for ws:// (instead of --candidate)
  --allow-remote          allow a URL that is not on this machine (default: loopback only)
  --baseline2 "CMD"       a second baseline instance: differences between the two are learned as noise
  --calls FILE            scripted calls, YAML or JSON: a list of { tool, arguments, expect }
  --timeout S             initialize and each call (default 10)
  --format table|json     output (default table); json is a RunResult with \`tools\` and \`mcpServers\`
  --out FILE              write the output to FILE
Exit code 1 when a tool is missing or divergent, 2 on error.
`

function specOf(side: string, command: unknown, url: unknown): McpTransportSpec {
  if (command && url)
    throw new ParityError('USAGE', `give --${side} or --${side}-url, not both`, `--${side} "CMD ARGS" for stdio, --${side}-url URL for Streamable HTTP`)
  if (typeof url === 'string') {
    try {
      new URL(url)
    } catch {
      throw new ParityError('USAGE', `--${side}-url ${url} is not a URL`, 'write it as http://127.0.0.1:3000/mcp')
    }
    return { type: 'http', url }
  }
  if (typeof command === 'string' && command.trim()) return { type: 'stdio', command }
  throw new ParityError('USAGE', `mcp needs --${side} (or --${side}-url)`, 'run `parity mcp --baseline "node old.js" --candidate "./new-server"`')
}

export const mcpCommand: Command = async (argv, io) => {
  const { values } = parseCommandArgs('mcp', argv, {
    baseline: { type: 'string' },
    candidate: { type: 'string' },
    'baseline-url': { type: 'string' },
    'candidate-url': { type: 'string' },
    'allow-remote': { type: 'boolean' },
    baseline2: { type: 'string' },
    config: { type: 'string' },
    calls: { type: 'string' },
    timeout: { type: 'string' },
    format: { type: 'string', default: 'table' },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  })
  if (values.help) {
    io.stdout(HELP)
    return 0
  }
  const format = tableOrJson('mcp', values.format)
  // The one target policy, before the first connection: loopback unless --allow-remote.
  const { checkTarget } = await import('../systems/targets.js')
  for (const flag of ['baseline-url', 'candidate-url'] as const)
    if (typeof values[flag] === 'string')
      checkTarget(values[flag] as string, { allowRemote: !!values['allow-remote'], what: 'MCP calls', protocols: ['http:', 'https:', 'ws:', 'wss:'] })
  const timeout = secondsFlag('timeout', values.timeout)
  const given = (['baseline', 'candidate', 'baseline-url', 'candidate-url', 'baseline2'] as const).filter((flag) => values[flag])
  if (values.config || !given.length) {
    if (given.length)
      throw new ParityError(
        'USAGE',
        `mcp: --${given[0]} with a config`,
        "the config's systems give the servers (their `mcp` blocks): drop the flag, or drop --config and give --baseline and --candidate",
      )
    const config = await requireConfig('mcp', values.config)
    if (![config.baseline, ...config.candidates].some((s) => s.mcp)) {
      throw new ParityError(
        'NO_MCP',
        `no system in ${relative(process.cwd(), config.file)} has an \`mcp\` block`,
        'add `mcp: { command: "node server.js" }` (or `url`) to the baseline and a candidate, or give --baseline and --candidate',
      )
    }
    const mcp = { ...config.mcp, ...(values.calls ? { calls: resolve(values.calls) } : {}), ...(timeout ? { timeout } : {}) }
    const run = await runStages({ ...config, mcp }, ['mcp'], io)
    // No pair of servers compared (a block missing, a server that did not start) is an error, never a clean result.
    if (!run.tools) {
      const why = run.diagnostics.find((d) => d.code === 'MCP_NO_PAIR' || d.level === 'error')
      throw new ParityError(
        why?.code ?? 'MCP_NO_PAIR',
        why?.message ?? 'no MCP servers were compared',
        'give the baseline and a candidate an `mcp` block, and check that both servers start',
      )
    }
    emit(io, format === 'json' ? `${JSON.stringify(run, null, 2)}\n` : renderMcpTable(run, { diagnostics: true }), values.out)
    return run.diagnostics.some((d) => d.level === 'error') ? 2 : exitOf(run)
  }
  const baseline = specOf('baseline', values.baseline, values['baseline-url'])
  const candidate = specOf('candidate', values.candidate, values['candidate-url'])
  const timeoutMs = timeout === undefined ? undefined : timeout * 1000
  const run = await runMcpParity({
    baseline,
    candidate,
    ...(typeof values.baseline2 === 'string' ? { baseline2: { type: 'stdio', command: values.baseline2 } } : {}),
    ...(typeof values.calls === 'string' ? { calls: values.calls } : {}),
    ...(timeoutMs ? { timeoutMs } : {}),
  })
  emit(io, format === 'json' ? `${JSON.stringify(run, null, 2)}\n` : renderMcpTable(run, { diagnostics: true }), values.out)
  return exitOf(run)
}

function exitOf(run: RunResult): number {
  return run.tools?.some((t) => t.status === 'missing' || t.status === 'divergent') ? 1 : 0
}
