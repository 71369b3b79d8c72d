/**
 * `parity record --mcp` from the built CLI, as a real MCP client sees it: the SDK client spawns
 * parity as its server command, calls tools through it and gets the real server's answers, while
 * the calls file fills up (secrets redacted).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { afterAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { toolCallsIn } from '../src/mcp/record.js'
import { treePids } from '../src/systems/resources.js'

const repo = new URL('..', import.meta.url).pathname
const tmp = mkdtempSync(join(tmpdir(), 'parity-mcp-record-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

describe('parity record --mcp', () => {
  it('passes a real client through to the real server and writes each tools/call', async () => {
    const out = join(tmp, 'calls.yaml')
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [
        join(repo, 'bin/parity.js'),
        'record',
        '--mcp',
        '--out',
        out,
        '--',
        process.execPath,
        join(repo, 'fixtures/mcp-bench/server.mjs'),
        'recorded',
        '3.1.4',
      ],
      stderr: 'pipe',
    })
    let stderr = ''
    transport.stderr?.on('data', (d) => (stderr += d))
    const client = new Client({ name: 'test', version: '1' })
    await client.connect(transport)
    expect(client.getServerVersion()).toMatchObject({ name: 'recorded', version: '3.1.4' })
    const tools = await client.listTools()
    expect(tools.tools.map((t) => t.name).sort()).toEqual(['echo', 'fail', 'sleep'])
    expect((await client.callTool({ name: 'echo', arguments: { text: 'héllo ✓', token: 's3cr3t' } })).content).toEqual([
      { type: 'text', text: 'echo: héllo ✓' },
    ])
    expect(await client.callTool({ name: 'fail', arguments: {} })).toMatchObject({ isError: true })
    const parity = transport.pid!
    const tree = treePids(parity)
    expect(tree.length).toBeGreaterThanOrEqual(2)
    await client.close()
    for (let i = 0; i < 100 && tree.some((p) => treePids(p).length); i++) await new Promise((r) => setTimeout(r, 20))
    expect(tree.filter((p) => treePids(p).length)).toEqual([])

    const text = readFileSync(out, 'utf8')
    expect(text).not.toContain('s3cr3t')
    expect(parse(text)).toEqual([
      { tool: 'echo', arguments: { text: 'héllo ✓', token: '[redacted]' } },
      { tool: 'fail', arguments: {} },
    ])
    expect(stderr).toContain('recorded 2 tool calls')
  })

  it('reads tools/call requests out of single messages and batches only', () => {
    expect(toolCallsIn('{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"a","arguments":{"x":1}}}')).toEqual([
      { tool: 'a', arguments: { x: 1 } },
    ])
    expect(toolCallsIn('[{"jsonrpc":"2.0","id":1,"method":"tools/list"},{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"b"}}]')).toEqual([
      { tool: 'b' },
    ])
    expect(toolCallsIn('{"jsonrpc":"2.0","id":1,"result":{}}')).toEqual([])
    expect(toolCallsIn('not json')).toEqual([])
  })
})
