/** MCP acceptance on servers that real projects ship: one that prints a banner and log lines on stdout, one whose tool schemas current SDK clients reject (fixtures/mcp). */
import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, describe, expect, it } from 'vitest'
import { compareMcp } from '../src/mcp/compare-servers.js'
import type { McpTransportSpec } from '../src/model/mcp.js'

const dir = new URL('../fixtures/mcp/', import.meta.url).pathname
const stdio = (file: string): McpTransportSpec => ({ type: 'stdio', command: `node ${join(dir, file)}` })
const started: ChildProcess[] = []
afterAll(() => {
  for (const c of started) if (c.pid && c.exitCode === null) process.kill(-c.pid, 'SIGKILL')
})

/** A fixture over WebSocket (`--ws`), in its own process group; resolves to the URL it prints. */
async function overWebSocket(file: string): Promise<McpTransportSpec> {
  const child = spawn(process.execPath, [join(dir, file), '--ws'], { detached: true, stdio: ['ignore', 'pipe', 'inherit'] })
  started.push(child)
  const rl = createInterface({ input: child.stdout! })
  const url = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${file} --ws printed no URL in 10 s`)), 10_000)
    rl.once('line', (line) => {
      clearTimeout(t)
      resolve(line.trim())
    })
  })
  rl.close()
  return { type: 'http', url }
}

describe('a server that prints non-protocol lines on stdout', () => {
  it('is compared all the same, its lines reported as a finding', async () => {
    const r = await compareMcp({
      baseline: stdio('baseline.mjs'),
      candidate: stdio('banner.mjs'),
      calls: [
        { tool: 'echo', arguments: { text: 'hi' } },
        { tool: 'add', arguments: { a: 2, b: 3 } },
      ],
      timeoutMs: 10_000,
    })
    // The same tools as the baseline, and the calls answered alike.
    expect(r.tools.filter((t) => t.kind === 'mcp-tool').every((t) => t.status === 'ported' || t.status === 'verified')).toBe(true)
    expect(r.tools.find((t) => t.name === 'echo')).toMatchObject({ status: 'verified', calls: { total: 1, equivalent: 1 } })
    const stray = r.diagnostics.filter((d) => d.code === 'MCP_STDOUT_NOT_PROTOCOL')
    expect(stray).toHaveLength(1)
    expect(stray[0]!.message).toMatch(/^candidate: printed 4 lines on stdout that are not JSON-RPC/)
    expect(stray[0]!.message).toContain('Fixture MCP server v1.0.0 starting')
    expect(stray[0]!.message).toContain('called add')
  })
})

describe('a server whose tool schemas current SDK clients reject', () => {
  it('is reported as such, with the SDK reason, not as arguments removed', async () => {
    const r = await compareMcp({ baseline: stdio('baseline.mjs'), candidate: stdio('rejected.mjs'), timeoutMs: 10_000 })
    const finding = r.diagnostics.find((d) => d.code === 'MCP_CLIENTS_CANNOT_LIST')
    expect(finding?.message).toMatch(/^candidate: current clients cannot list its tools: the MCP SDK client rejects tools\/list \(.*inputSchema/)
    expect(finding?.message).toContain('echo (inputSchema.type:')
    expect(r.diagnostics.some((d) => d.code === 'MCP_CLIENTS_CANNOT_LIST' && d.message.startsWith('baseline'))).toBe(false)
    const tools = r.tools.filter((t) => t.kind === 'mcp-tool')
    // The arguments are the same once the `$ref` is followed: no argument removed, restricted or required.
    expect(tools.flatMap((t) => t.changes.map((c) => c.detail)).filter((d) => /removed|restricted|required/.test(d))).toEqual([])
    for (const t of tools) {
      expect(t.status).toBe('divergent')
      expect(t.changes[0]).toMatchObject({ breaking: true, detail: expect.stringMatching(/^current MCP SDK clients cannot list this tool: inputSchema\.type/) })
    }
  })
})

describe('servers over WebSocket', () => {
  it('are compared as over stdio', async () => {
    const [baseline, candidate] = await Promise.all([overWebSocket('baseline.mjs'), overWebSocket('candidate.mjs')])
    const r = await compareMcp({ baseline, candidate, calls: [{ tool: 'lookup', arguments: { id: 7 } }], timeoutMs: 10_000 })
    const status = Object.fromEntries(r.tools.filter((t) => t.kind === 'mcp-tool').map((t) => [t.name, t.status]))
    expect(status).toMatchObject({ legacy: 'missing', greet: 'divergent', lookup: 'divergent', echo: 'ported' })
    expect(r.probes.candidate.serverInfo).toEqual({ name: 'fixture-rs', version: '2.0.0' })
  })
})
