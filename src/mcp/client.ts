/**
 * Connecting to a live MCP server with the official SDK client: stdio (a command, through
 * `/bin/sh -c` when a string, its whole process tree stopped on close), Streamable HTTP or WebSocket (a `ws://` URL). A server
 * that does not start, speaks something else than JSON-RPC or never answers `initialize` is a
 * ParityError with what it printed.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { WebSocketClientTransport } from '@modelcontextprotocol/sdk/client/websocket.js'
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js'
import { ParityError } from '../model/errors.js'
import { isRunning, treePids } from '../systems/process-tree.js'
import type { McpTransportSpec } from '../model/mcp.js'
import { FilteredStdioTransport, type StrayOutput } from './stdio-transport.js'

export interface McpConnection {
  client: Client
  /** Closes the session and stops the server's process tree (stdio). Idempotent. */
  close(): Promise<void>
  pid?: number
  /** Spawn (or connect) to a completed `initialize`, ms. */
  initializeMs: number
  /** The protocol version the server agreed to. */
  protocolVersion: string
  /** The last lines the server wrote on stderr (stdio). */
  stderrTail(): string
  /** False once the server process exited or the transport closed. */
  alive(): boolean
  /** What a stdio server printed on stdout that was not JSON-RPC (set aside, not fatal); undefined over HTTP. */
  strayOutput(): StrayOutput | undefined
}

const tailBytes = 4096

/** How the spec reads in messages: the command as written, or the URL. */
export function describeSpec(spec: McpTransportSpec): string {
  if (spec.type === 'http') return spec.url
  return typeof spec.command === 'string' ? spec.command : spec.command.join(' ')
}

function lastLines(text: string, n = 5): string {
  return text.trim().split('\n').slice(-n).join('\n')
}

function preview(text: string): string {
  return JSON.stringify(text.slice(0, 120)) + (text.length > 120 ? '…' : '')
}

function signal(pids: number[], sig: NodeJS.Signals): void {
  for (const p of pids) {
    try {
      process.kill(p, sig)
    } catch {
      // gone already
    }
  }
}

/**
 * Connect and initialize. Errors: MCP_START_FAILED (the command is not found or exits; its last
 * stderr lines), MCP_NOT_JSONRPC (stdout is not JSON-RPC; its first bytes), MCP_INIT_TIMEOUT.
 */
export async function connectMcp(spec: McpTransportSpec, opts: { timeoutMs: number }): Promise<McpConnection> {
  const what = describeSpec(spec)
  const client = new Client({ name: 'parity', version: '1' }, { capabilities: {} })
  let stderr = ''
  let protocolVersion = ''
  let closed = false
  let stdio: FilteredStdioTransport | undefined
  let transport: Transport

  if (spec.type === 'stdio') {
    const [command, ...args] = typeof spec.command === 'string' ? ['/bin/sh', '-c', spec.command] : spec.command
    const env: Record<string, string> = {}
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v
    // Our own transport: a banner or a log line on stdout is set aside, not a broken session.
    stdio = new FilteredStdioTransport({
      command: command!,
      args,
      env: { ...env, ...spec.env },
      ...(spec.cwd ? { cwd: spec.cwd } : {}),
      onStderr: (chunk) => {
        stderr = (stderr + chunk.toString('utf8')).slice(-tailBytes)
      },
    })
    transport = stdio
  } else if (/^wss?:/i.test(spec.url)) {
    // The SDK's WebSocket client uses the global WebSocket, which Node 20 does not have: `ws` stands in.
    globalThis.WebSocket ??= (await import('ws')).WebSocket as unknown as typeof WebSocket
    transport = new WebSocketClientTransport(new URL(spec.url))
  } else {
    transport = new StreamableHTTPClientTransport(new URL(spec.url), spec.headers ? { requestInit: { headers: spec.headers } } : undefined)
  }
  const setVersion = transport.setProtocolVersion?.bind(transport)
  transport.setProtocolVersion = (v: string) => {
    protocolVersion = v
    setVersion?.(v)
  }
  transport.onclose = () => {
    closed = true
  }

  const pidOf = () => stdio?.pid
  let pids: number[] = []
  const stop = async (): Promise<void> => {
    const pid = pidOf()
    pids = [...new Set([...pids, ...(pid ? treePids(pid) : [])])]
    const closing = client.close().catch(() => undefined)
    // The SDK ends stdin and signals its direct child only (`sh`): stop the whole tree ourselves.
    const term = setTimeout(() => signal(pids, 'SIGTERM'), 300)
    const kill = setTimeout(() => signal(pids, 'SIGKILL'), 1500)
    await closing
    clearTimeout(term)
    clearTimeout(kill)
    signal(
      pids.filter((p) => isRunning(p)),
      'SIGKILL',
    )
    closed = true
  }

  const t0 = performance.now()
  let timer: NodeJS.Timeout | undefined
  try {
    await Promise.race([
      client.connect(transport, { timeout: opts.timeoutMs }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new ParityError(
                'MCP_INIT_TIMEOUT',
                `${what} did not answer initialize within ${opts.timeoutMs} ms`,
                `check that it is an MCP server on ${spec.type === 'http' ? 'that URL' : 'stdio'}, or raise --timeout`,
              ),
            ),
          opts.timeoutMs,
        )
      }),
    ])
  } catch (e) {
    clearTimeout(timer)
    // Let the pipes drain: the exit and the last stderr bytes arrive in separate events.
    await new Promise((r) => setTimeout(r, 50))
    const pid = pidOf()
    if (pid) pids = treePids(pid)
    await stop()
    const stray = stdio?.strayOutput()
    // Lines set aside and not one JSON-RPC message: it speaks something else.
    if (stray && stray.count > 0 && !stray.spokeJsonRpc) {
      throw new ParityError(
        'MCP_NOT_JSONRPC',
        `${what} does not speak JSON-RPC on stdout; it printed ${preview(stray.head)}`,
        'an MCP stdio server must write only JSON-RPC messages on stdout; send logs to stderr',
      )
    }
    if (e instanceof ParityError) throw e
    const message = (e as Error).message ?? String(e)
    const tail = lastLines(stderr)
    if (/timed? ?out/i.test(message)) {
      throw new ParityError(
        'MCP_INIT_TIMEOUT',
        `${what} did not answer initialize within ${opts.timeoutMs} ms`,
        'check that it is an MCP server, or raise --timeout',
      )
    }
    throw new ParityError(
      'MCP_START_FAILED',
      `${what} did not start: ${message}${tail ? `; its stderr ends with:\n${tail}` : ''}`,
      spec.type === 'http' ? 'start the server first and check the URL' : 'check the command runs in a shell from that directory',
    )
  }
  clearTimeout(timer)
  const initializeMs = performance.now() - t0
  const pid = pidOf()
  let stopped: Promise<void> | undefined
  return {
    client,
    ...(pid ? { pid } : {}),
    initializeMs,
    protocolVersion,
    stderrTail: () => lastLines(stderr),
    alive: () => !closed,
    close: () => (stopped ??= stop()),
    strayOutput: () => stdio?.strayOutput(),
  }
}
