/**
 * Latency of an MCP server, tool by tool: cold start (spawn to a completed `initialize`, median of
 * N fresh starts), then per tool a fixed number of calls with a fixed number in flight on one
 * session, the calls that answered into an HDR histogram and those that errored counted apart;
 * the server's process tree RSS and CPU sampled meanwhile.
 * The official SDK client is the load generator, so the figures include what a real client pays.
 */
import { performance } from 'node:perf_hooks'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js'
import { createLatencyHistogram, type LatencyHistogram } from '../bench/histogram.js'
import { ParityError } from '../model/errors.js'
import { treePids } from '../systems/resources.js'
import type { ResourceSampler } from '../systems/types.js'
import type { McpBenchEntry, McpCall, McpTransportSpec } from '../model/mcp.js'

export const MCP_BENCH_DEFAULTS = { concurrency: 4, calls: 200, trials: 3, startupRuns: 5, timeoutMs: 10_000 }

/** A connected client with the server's pid (stdio) and a stop that takes the whole tree down. */
export interface McpBenchSession {
  client: Client
  pid: number | undefined
  /** Spawn (or connect) to a completed initialize, ms. */
  initializeMs: number
  close(): Promise<void>
}

function transportOf(spec: McpTransportSpec): Transport & { pid?: number | null } {
  if (spec.type === 'http') return new StreamableHTTPClientTransport(new URL(spec.url), spec.headers ? { requestInit: { headers: spec.headers } } : undefined)
  const [command, ...args] = typeof spec.command === 'string' ? ['/bin/sh', '-c', spec.command] : spec.command
  if (!command) throw new ParityError('MCP_NO_COMMAND', 'the MCP server command is empty', 'give `mcp.command` as a string or an argv array')
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v
  return new StdioClientTransport({ command, args, env: { ...env, ...spec.env }, ...(spec.cwd ? { cwd: spec.cwd } : {}), stderr: 'ignore' })
}

/** SIGKILL what is left of a tree (a shell's children survive the SDK's SIGTERM of the shell). */
function killTree(pids: number[]): void {
  for (const p of pids) {
    try {
      process.kill(p, 'SIGKILL')
    } catch {
      // already gone
    }
  }
}

/** Spawn (or connect to) the server and complete `initialize`. */
export async function openMcpSession(spec: McpTransportSpec, timeoutMs = MCP_BENCH_DEFAULTS.timeoutMs): Promise<McpBenchSession> {
  const transport = transportOf(spec)
  const client = new Client({ name: 'parity-bench', version: '0.1.0' })
  const started = performance.now()
  let pid: number | undefined
  const close = async () => {
    const tree = pid !== undefined ? treePids(pid) : []
    await client.close().catch(() => undefined)
    killTree(tree.filter((p) => treePids(p).length > 0))
  }
  try {
    await client.connect(transport, { timeout: timeoutMs })
  } catch (e) {
    pid = transport.pid ?? undefined
    await close()
    const what = spec.type === 'stdio' ? (typeof spec.command === 'string' ? spec.command : spec.command.join(' ')) : spec.url
    throw new ParityError(
      'MCP_INITIALIZE',
      `${what}: no completed initialize (${(e as Error).message})`,
      'check that the command starts an MCP server speaking JSON-RPC on stdout (or the URL its Streamable HTTP endpoint)',
    )
  }
  const initializeMs = performance.now() - started
  pid = transport.pid ?? undefined
  return { client, pid, initializeMs, close }
}

/**
 * `calls` calls of one tool, `concurrency` in flight on the session. Calls that error (isError,
 * JSON-RPC errors, timeouts) are counted and not timed: a call that failed fast is no evidence of
 * speed. `into`: a histogram the timed calls are added to as well (to merge trials).
 */
export async function benchMcpTool(
  session: McpBenchSession,
  call: McpCall,
  opts: {
    system: string
    role: 'baseline' | 'candidate'
    concurrency: number
    calls: number
    timeoutMs: number
    sampler?: ResourceSampler
    into?: LatencyHistogram
  },
): Promise<McpBenchEntry> {
  const histogram = createLatencyHistogram()
  let errors = 0
  let issued = 0
  opts.sampler?.mark()
  const started = performance.now()
  const worker = async () => {
    while (issued < opts.calls) {
      issued++
      const t0 = performance.now()
      let ok = false
      try {
        const result = await session.client.callTool({ name: call.tool, arguments: call.arguments ?? {} }, undefined, {
          timeout: call.timeoutMs ?? opts.timeoutMs,
        })
        ok = !result.isError
      } catch {
        ok = false
      }
      if (ok) histogram.record((performance.now() - t0) * 1000)
      else errors++
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency, opts.calls)) }, worker))
  const seconds = (performance.now() - started) / 1000
  const resources = opts.sampler?.mark()
  opts.into?.merge(histogram)
  return {
    system: opts.system,
    role: opts.role,
    tool: call.tool,
    concurrency: opts.concurrency,
    calls: opts.calls,
    callsPerSecond: seconds > 0 ? Math.round((opts.calls / seconds) * 10) / 10 : 0,
    latency: histogram.summary(),
    errors,
    ...(resources && resources.samples > 0 ? { resources } : {}),
  }
}
