/**
 * `parity record --mcp`: a stdio pass-through between a real MCP client and the real server. The
 * client spawns parity as its server command; parity spawns the server and pipes both directions
 * unchanged (bytes, not re-serialised messages), and every `tools/call` request the client sends is
 * appended to a calls file as `{ tool, arguments }`, secrets redacted, one write per call.
 */
import { spawn } from 'node:child_process'
import { appendFileSync } from 'node:fs'
import type { Readable, Writable } from 'node:stream'
import { StringDecoder } from 'node:string_decoder'
import { stringify } from 'yaml'
import { ParityError } from '../model/errors.js'
import { redactJsonValue } from '../verify/redact.js'
import type { McpCall } from '../model/mcp.js'

export interface McpRecordOptions {
  /** The server's argv (no shell). */
  command: string[]
  /** The calls file (YAML), appended to. */
  out: string
  /** Write secrets as they are (local use only). */
  keepSecrets?: boolean
  /** The client's side: what it sends, and where the server's answers go. */
  input: Readable
  output: Writable
  /** Where the server's stderr goes (default: ignored). */
  errors?: Writable
  cwd?: string
  /** SIGTERM, then SIGKILL to the server's group after this long once the client has gone (ms, default 2 000). */
  graceMs?: number
}

export interface McpRecorder {
  /** Calls written so far. */
  recorded(): number
  /** Resolves when the server has exited (the client closed its end, or `stop`), with its exit code. */
  done: Promise<number>
  /** Stop the server's process group (Ctrl-C of parity). */
  stop(): void
}

/** The `tools/call` requests in one line of newline-delimited JSON-RPC (a message or a batch). */
export function toolCallsIn(line: string): McpCall[] {
  let msg: unknown
  try {
    msg = JSON.parse(line)
  } catch {
    return []
  }
  const out: McpCall[] = []
  for (const m of Array.isArray(msg) ? msg : [msg]) {
    const r = m as { method?: unknown; params?: { name?: unknown; arguments?: unknown } } | null
    if (r?.method !== 'tools/call' || typeof r.params?.name !== 'string') continue
    const args = r.params.arguments
    out.push({ tool: r.params.name, ...(args && typeof args === 'object' && !Array.isArray(args) ? { arguments: args as Record<string, unknown> } : {}) })
  }
  return out
}

export function startMcpRecorder(opts: McpRecordOptions): McpRecorder {
  const [command, ...args] = opts.command
  if (!command)
    throw new ParityError('USAGE', 'record --mcp needs the server command after `--`', 'run `parity record --mcp --out calls.yaml -- node server.js`')
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', opts.errors ? 'pipe' : 'ignore'], detached: true, ...(opts.cwd ? { cwd: opts.cwd } : {}) })
  // Both are pipes (stdio 'pipe' above).
  const stdin = child.stdin!
  const stdout = child.stdout!
  let count = 0
  let pending = ''
  const decoder = new StringDecoder('utf8')
  const write = (line: string) => {
    for (const call of toolCallsIn(line)) {
      const args = call.arguments ? (redactJsonValue(call.arguments, { keep: !!opts.keepSecrets }) as Record<string, unknown>) : undefined
      appendFileSync(opts.out, stringify([{ tool: call.tool, ...(args ? { arguments: args } : {}) }]))
      count++
    }
  }
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal)
    } catch {
      // the group is gone
    }
  }
  let timer: NodeJS.Timeout | undefined
  const stop = () => {
    killGroup('SIGTERM')
    timer ??= setTimeout(() => killGroup('SIGKILL'), opts.graceMs ?? 2000)
    timer.unref()
  }

  const onData = (chunk: Buffer) => {
    // Bytes go on first and unchanged; the recording reads a copy, line by line.
    stdin.write(chunk)
    pending += decoder.write(chunk)
    let nl = pending.indexOf('\n')
    while (nl >= 0) {
      const line = pending.slice(0, nl).trim()
      pending = pending.slice(nl + 1)
      if (line) write(line)
      nl = pending.indexOf('\n')
    }
  }
  opts.input.on('data', onData)
  opts.input.once('end', () => {
    if (pending.trim()) write(pending.trim())
    pending = ''
    stdin.end()
    // A server that does not exit when its stdin closes is stopped after the grace period.
    const t = setTimeout(stop, opts.graceMs ?? 2000)
    t.unref()
    child.once('exit', () => clearTimeout(t))
  })
  stdin.on('error', () => undefined)
  stdout.pipe(opts.output, { end: false })
  if (opts.errors) child.stderr?.pipe(opts.errors, { end: false })

  const done = new Promise<number>((resolve, reject) => {
    child.once('error', (e) => {
      opts.input.off('data', onData)
      reject(new ParityError('MCP_RECORD_SPAWN', `${opts.command.join(' ')}: ${e.message}`, 'check the server command after `--`'))
    })
    child.once('close', (code, signal) => {
      opts.input.off('data', onData)
      if (timer) clearTimeout(timer)
      // The leader is gone; anything it left in its group goes too.
      killGroup('SIGKILL')
      resolve(code ?? (signal ? 128 + 15 : 0))
    })
  })
  return { recorded: () => count, done, stop }
}
