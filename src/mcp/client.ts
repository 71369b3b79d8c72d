/**
 * Connecting to a live MCP server with the official SDK client: stdio (a command, through
 * `/bin/sh -c` when a string, its whole process tree stopped on close) or Streamable HTTP. A server
 * that does not start, speaks something else than JSON-RPC or never answers `initialize` is a
 * ParityError with what it printed.
 */
import type { ChildProcess } from 'node:child_process'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js'
import { ParityError } from '../model/errors.js'
import { isRunning, treePids } from '../systems/process-tree.js'
import type { McpTransportSpec } from '../model/mcp.js'

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

function preview(bytes: Buffer): string {
  const s = bytes.subarray(0, 120).toString('utf8')
  return JSON.stringify(s) + (bytes.length > 120 ? '…' : '')
}

/** A line of stdout that is JSON-RPC 2.0, as far as the first bytes tell. */
function looksJsonRpc(head: Buffer): boolean {
  const line = head.toString('utf8').split('\n')[0]!.trim()
  if (!line.startsWith('{')) return false
  try {
    return (JSON.parse(line) as { jsonrpc?: unknown }).jsonrpc === '2.0'
  } catch {
    return !head.includes(10) // an incomplete first line may still become JSON
  }
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
  let stdoutHead = Buffer.alloc(0)
  let protocolVersion = ''
  let closed = false
  let proc: ChildProcess | undefined
  let transport: Transport
  let failNow: ((e: ParityError) => void) | undefined

  if (spec.type === 'stdio') {
    const [command, ...args] = typeof spec.command === 'string' ? ['/bin/sh', '-c', spec.command] : spec.command
    const env: Record<string, string> = {}
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v
    const stdio = new StdioClientTransport({ command: command!, args, env: { ...env, ...spec.env }, ...(spec.cwd ? { cwd: spec.cwd } : {}), stderr: 'pipe' })
    stdio.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-tailBytes)
    })
    // The SDK keeps the child private; its stdout's first bytes are what a non-JSON-RPC server said.
    const start = stdio.start.bind(stdio)
    stdio.start = async () => {
      await start()
      proc = (stdio as unknown as { _process?: ChildProcess })._process
      proc?.stdout?.on('data', (chunk: Buffer) => {
        if (stdoutHead.length >= 512) return
        stdoutHead = Buffer.concat([stdoutHead, chunk]).subarray(0, 512)
        if (!looksJsonRpc(stdoutHead))
          failNow?.(
            new ParityError(
              'MCP_NOT_JSONRPC',
              `${what} does not speak JSON-RPC on stdout; it printed ${preview(stdoutHead)}`,
              'an MCP stdio server must write only JSON-RPC messages on stdout; send logs to stderr',
            ),
          )
      })
    }
    transport = stdio
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

  const pidOf = () => (transport instanceof StdioClientTransport ? (transport.pid ?? undefined) : undefined)
  let pids: number[] = []
  const stop = async (): Promise<void> => {
    const pid = pidOf() ?? proc?.pid
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
        failNow = reject
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
    const pid = pidOf() ?? proc?.pid
    if (pid) pids = treePids(pid)
    await stop()
    if (e instanceof ParityError) throw e
    const message = (e as Error).message ?? String(e)
    if (stdoutHead.length > 0 && !looksJsonRpc(stdoutHead)) {
      throw new ParityError(
        'MCP_NOT_JSONRPC',
        `${what} does not speak JSON-RPC on stdout; it printed ${preview(stdoutHead)}`,
        'an MCP stdio server must write only JSON-RPC messages on stdout; send logs to stderr',
      )
    }
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
  failNow = undefined
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
  }
}
