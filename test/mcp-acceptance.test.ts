/** MCP acceptance on servers that real projects ship: one that prints a banner and log lines on stdout, one whose tool schemas current SDK clients reject (fixtures/mcp). */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { compareMcp } from '../src/mcp/compare-servers.js'
import type { McpTransportSpec } from '../src/model/mcp.js'

const dir = new URL('../fixtures/mcp/', import.meta.url).pathname
const stdio = (file: string): McpTransportSpec => ({ type: 'stdio', command: `node ${join(dir, file)}` })

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
