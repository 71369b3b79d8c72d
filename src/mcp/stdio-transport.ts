/**
 * An MCP stdio client transport that reads only JSON-RPC lines from the server's stdout. Real
 * servers print banners and log lines there; the SDK's own transport turns each into an error and
 * parity stopped the comparison. Here such a line is kept aside (the first few, and a count) for
 * the report, and the session goes on.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js'
import { type JSONRPCMessage, JSONRPCMessageSchema } from '@modelcontextprotocol/sdk/types.js'

/** Lines kept word for word; the rest are only counted. */
export const STRAY_LINES_KEPT = 10
/** Characters kept of one stray line. */
const STRAY_LINE_CHARS = 200
/** A line longer than this (no newline yet) is dropped: the SDK's own limit. */
const MAX_BUFFER = 10 * 1024 * 1024

/** What the server wrote on stdout that was not JSON-RPC. */
export interface StrayOutput {
  /** Every such line (blank lines aside). */
  count: number
  /** The first STRAY_LINES_KEPT of them, each cut at 200 characters. */
  lines: string[]
  /** The first bytes of stdout, for a server that never spoke JSON-RPC. */
  head: string
  /** At least one JSON-RPC message was read. */
  spokeJsonRpc: boolean
}

export interface FilteredStdioOptions {
  command: string
  args: string[]
  env: Record<string, string>
  cwd?: string
  /** Every chunk of the server's stderr. */
  onStderr?: (chunk: Buffer) => void
}

export class FilteredStdioTransport implements Transport {
  onclose?: () => void
  onerror?: (error: Error) => void
  onmessage?: <T extends JSONRPCMessage>(message: T) => void
  private proc: ChildProcess | undefined
  private buffer = Buffer.alloc(0)
  private readonly stray: StrayOutput = { count: 0, lines: [], head: '', spokeJsonRpc: false }

  constructor(private readonly options: FilteredStdioOptions) {}

  /** The server's pid once started. */
  get pid(): number | undefined {
    return this.proc?.pid
  }

  /** What it printed that was not JSON-RPC, so far. */
  strayOutput(): StrayOutput {
    return { ...this.stray, lines: [...this.stray.lines] }
  }

  start(): Promise<void> {
    if (this.proc) throw new Error('FilteredStdioTransport already started')
    const o = this.options
    return new Promise((resolve, reject) => {
      const proc = spawn(o.command, o.args, { env: o.env, ...(o.cwd ? { cwd: o.cwd } : {}), stdio: ['pipe', 'pipe', 'pipe'] })
      this.proc = proc
      proc.once('error', (e) => {
        reject(e)
        this.onerror?.(e)
      })
      proc.once('spawn', () => resolve())
      proc.once('close', () => {
        this.proc = undefined
        this.onclose?.()
      })
      proc.stdin?.on('error', (e) => this.onerror?.(e))
      proc.stderr?.on('data', (c: Buffer) => o.onStderr?.(c))
      proc.stdout?.on('data', (c: Buffer) => this.read(c))
    })
  }

  private read(chunk: Buffer): void {
    if (this.stray.head.length < 512) this.stray.head = (this.stray.head + chunk.toString('utf8')).slice(0, 512)
    this.buffer = Buffer.concat([this.buffer, chunk])
    let nl = this.buffer.indexOf(10)
    while (nl >= 0) {
      const line = this.buffer.toString('utf8', 0, nl).replace(/\r$/, '')
      this.buffer = this.buffer.subarray(nl + 1)
      this.line(line)
      nl = this.buffer.indexOf(10)
    }
    if (this.buffer.length > MAX_BUFFER) {
      this.line(`${this.buffer.toString('utf8', 0, STRAY_LINE_CHARS)}… (a line over ${MAX_BUFFER} bytes, dropped)`)
      this.buffer = Buffer.alloc(0)
    }
  }

  private line(line: string): void {
    if (!line.trim()) return
    let message: JSONRPCMessage | undefined
    try {
      const parsed = JSONRPCMessageSchema.safeParse(JSON.parse(line))
      if (parsed.success) message = parsed.data
    } catch {
      message = undefined
    }
    if (message) {
      this.stray.spokeJsonRpc = true
      this.onmessage?.(message)
      return
    }
    this.stray.count++
    if (this.stray.lines.length < STRAY_LINES_KEPT) this.stray.lines.push(line.length > STRAY_LINE_CHARS ? `${line.slice(0, STRAY_LINE_CHARS)}…` : line)
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve, reject) => {
      const stdin = this.proc?.stdin
      if (!stdin || stdin.destroyed) {
        reject(new Error('Not connected'))
        return
      }
      if (stdin.write(`${JSON.stringify(message)}\n`)) resolve()
      else stdin.once('drain', resolve)
    })
  }

  /** Ends stdin and waits (at most 2 s) for the server to exit; the caller stops what is left of its tree. */
  async close(): Promise<void> {
    const proc = this.proc
    if (!proc) return
    const closed = new Promise<void>((r) => proc.once('close', () => r()))
    try {
      proc.stdin?.end()
    } catch {
      // already closed
    }
    await Promise.race([closed, new Promise((r) => setTimeout(r, 2000).unref())])
  }
}
