/** Connecting to and probing real MCP servers (fixtures/mcp, written with the TypeScript SDK): stdio and Streamable HTTP, and servers that misbehave. */
import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, describe, expect, it } from 'vitest'
import { connectMcp } from '../src/mcp/client.js'
import { probeMcp } from './support/mcp-probe.js'
import type { McpTransportSpec } from '../src/model/mcp.js'
import { isRunning, treePids } from '../src/systems/process-tree.js'

const dir = new URL('../fixtures/mcp/', import.meta.url).pathname
const stdio = (file: string, ...args: string[]): McpTransportSpec => ({ type: 'stdio', command: `node ${join(dir, file)} ${args.join(' ')}`.trim() })
const started: ChildProcess[] = []
afterAll(() => {
  for (const c of started) if (c.pid) process.kill(-c.pid, 'SIGKILL')
})

/** The HTTP fixture, in its own process group; resolves to the URL it prints. */
async function httpServer(file: string): Promise<string> {
  const child = spawn(process.execPath, [join(dir, file), '--http'], { detached: true, stdio: ['ignore', 'pipe', 'inherit'] })
  started.push(child)
  const rl = createInterface({ input: child.stdout! })
  const url = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('the HTTP fixture printed no URL in 10 s')), 10_000)
    rl.once('line', (line) => {
      clearTimeout(t)
      resolve(line.trim())
    })
  })
  rl.close()
  return url
}

describe('probeMcp', () => {
  it('reads initialize, tools, resources, templates and prompts over stdio', async () => {
    const p = await probeMcp(stdio('baseline.mjs'), { timeoutMs: 10_000 })
    expect(p.serverInfo).toEqual({ name: 'fixture', version: '1.0.0' })
    expect(p.instructions).toBe('A test server.')
    expect(p.protocolVersion).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    expect(p.pages).toBe(1)
    expect(p.diagnostics).toEqual([])
    expect(p.items.map((i) => i.key)).toEqual([
      'mcp-tool echo',
      'mcp-tool add',
      'mcp-tool greet',
      'mcp-tool lookup',
      'mcp-tool version',
      'mcp-tool search',
      'mcp-tool stamp',
      'mcp-tool fail',
      'mcp-tool legacy',
      'mcp-resource file:///readme.md',
      'mcp-resource file:///{path}',
      'mcp-prompt summarize',
    ])
    const add = p.items.find((i) => i.name === 'add')!
    expect(add.outputSchema).toEqual({ type: 'object', properties: { sum: { type: 'number' } }, required: ['sum'] })
    expect(p.items.find((i) => i.name === 'echo')!.annotations).toEqual({ readOnlyHint: true })
    expect(p.items.every((i) => i.framework === 'probe')).toBe(true)
  })

  it('follows nextCursor and reports a malformed inputSchema', async () => {
    const p = await probeMcp(stdio('paged.mjs'), { timeoutMs: 10_000 })
    expect(p.pages).toBe(3)
    expect(p.items.map((i) => i.name)).toEqual(['t1', 't2', 't3', 't4', 'odd'])
    expect(p.diagnostics).toEqual([
      expect.objectContaining({ code: 'MCP_SCHEMA_MALFORMED', message: expect.stringContaining('tool odd: inputSchema') }),
      // The SDK client sees only the first page: `odd`, on the third, is named by the check of each tool.
      expect.objectContaining({ code: 'MCP_CLIENTS_CANNOT_LIST', message: expect.stringContaining('1 tool rejected: odd (inputSchema.properties:') }),
    ])
    expect(p.clientRejects).toEqual({ odd: expect.stringContaining('inputSchema.properties') })
    expect(p.items.find((i) => i.name === 'odd')!.inputSchema).toEqual({ type: 'object', properties: 'not an object' })
  })

  it('probes a Streamable HTTP server', async () => {
    const url = await httpServer('baseline.mjs')
    const p = await probeMcp({ type: 'http', url }, { timeoutMs: 10_000 })
    expect(p.serverInfo.name).toBe('fixture')
    expect(p.items.filter((i) => i.kind === 'mcp-tool')).toHaveLength(9)
  })
})

describe('connectMcp', () => {
  it('stops the server process tree on close', async () => {
    const conn = await connectMcp(stdio('baseline.mjs'), { timeoutMs: 10_000 })
    const pids = treePids(conn.pid!)
    expect(pids.length).toBeGreaterThan(0)
    await conn.close()
    expect(pids.filter((p) => isRunning(p))).toEqual([])
    expect(conn.alive()).toBe(false)
  })

  it('MCP_START_FAILED for a command that does not exist, with its stderr', async () => {
    const err = await connectMcp({ type: 'stdio', command: 'parity-no-such-server-xyz --stdio' }, { timeoutMs: 10_000 }).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'MCP_START_FAILED', message: expect.stringContaining('parity-no-such-server-xyz') })
    expect((err as Error).message).toMatch(/not found/)
  })

  it('MCP_START_FAILED for an argv whose program does not exist', async () => {
    const err = await connectMcp({ type: 'stdio', command: ['/nonexistent/parity-server'] }, { timeoutMs: 10_000 }).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'MCP_START_FAILED' })
  })

  it('MCP_NOT_JSONRPC names the first bytes on stdout when not one line was JSON-RPC', async () => {
    const err = await connectMcp(stdio('notjson.mjs'), { timeoutMs: 1500 }).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'MCP_NOT_JSONRPC', message: expect.stringContaining('Server listening on port 8080') })
  })

  it('MCP_INIT_TIMEOUT for a server that never answers initialize', async () => {
    const err = await connectMcp(stdio('silent.mjs'), { timeoutMs: 1500 }).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'MCP_INIT_TIMEOUT', message: expect.stringContaining('1500 ms') })
  })

  it('MCP_START_FAILED for an HTTP URL nobody listens on', async () => {
    const err = await connectMcp({ type: 'http', url: 'http://127.0.0.1:9/mcp' }, { timeoutMs: 5000 }).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'MCP_START_FAILED' })
  })
})
