/**
 * The codenav MCP pair under examples/: both servers started as the demo starts them, the calls
 * file made on each; exactly the planted differences show (search_text missing, list_symbols'
 * new required `kind`, find_definition's 0-based lines, file_outline's description), nothing else.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readCalls } from '../src/mcp/calls.js'

const examples = new URL('../examples/', import.meta.url).pathname
const clients: Client[] = []

async function start(dir: string): Promise<Client> {
  const client = new Client({ name: 'test', version: '1' })
  await client.connect(
    new StdioClientTransport({ command: process.execPath, args: ['--import', 'tsx', 'src/server.ts'], cwd: join(examples, dir), stderr: 'ignore' }),
  )
  clients.push(client)
  return client
}

let baseline: Client
let candidate: Client
beforeAll(async () => {
  ;[baseline, candidate] = await Promise.all([start('codenav-mcp'), start('codenav-mcp-next')])
})
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()))
})

describe('examples: the codenav MCP pair', () => {
  it('lists the planted tool differences and nothing else', async () => {
    const [b, c] = await Promise.all([baseline.listTools(), candidate.listTools()])
    expect(b.tools.map((t) => t.name)).toEqual(['find_definition', 'find_references', 'list_symbols', 'search_text', 'file_outline'])
    expect(c.tools.map((t) => t.name)).toEqual(['find_definition', 'find_references', 'list_symbols', 'file_outline'])
    const byName = (tools: typeof b.tools) => new Map(tools.map((t) => [t.name, t]))
    const bt = byName(b.tools)
    const differ: string[] = []
    for (const t of c.tools) {
      const o = bt.get(t.name)!
      if (o.description !== t.description) differ.push(`${t.name} description`)
      if (JSON.stringify(o.inputSchema) !== JSON.stringify(t.inputSchema)) differ.push(`${t.name} input`)
    }
    expect(differ).toEqual(['list_symbols input', 'file_outline description'])
    expect(c.tools.find((t) => t.name === 'list_symbols')!.inputSchema.required).toEqual(['file', 'kind'])
    expect((await candidate.listResourceTemplates()).resourceTemplates).toEqual((await baseline.listResourceTemplates()).resourceTemplates)
    expect((await candidate.listPrompts()).prompts).toEqual((await baseline.listPrompts()).prompts)
    expect(baseline.getServerVersion()!.version).not.toBe(candidate.getServerVersion()!.version)
  })

  it('answers the calls file alike except for the planted differences', async () => {
    const calls = readCalls(join(examples, 'mcp-calls.yaml'))
    expect(calls.length).toBeGreaterThanOrEqual(10)
    const differing: string[] = []
    for (const call of calls) {
      const req = { name: call.tool, arguments: call.arguments ?? {} }
      const [b, c] = await Promise.all([baseline.callTool(req), candidate.callTool(req).catch((e: Error) => ({ thrown: e.message }))])
      if (call.expect?.isError !== undefined) expect(!!b.isError).toBe(call.expect.isError)
      else expect(b.isError).toBeFalsy()
      if (JSON.stringify(b) !== JSON.stringify(c)) differing.push(`${call.tool} ${JSON.stringify(call.arguments)}`)
    }
    expect(differing).toEqual([
      'find_definition {"symbol":"Circle"}',
      'find_definition {"symbol":"distance"}',
      'list_symbols {"file":"src/shapes.ts"}',
      'list_symbols {"file":"src/geometry.ts"}',
      'search_text {"query":"area()"}',
    ])
  })

  it('the indexed find_references of the rewrite answers as the baseline scan for every identifier of the tree', async () => {
    const words = new Set<string>()
    for (const f of ['geometry.ts', 'shapes.ts', 'render.ts', 'index.ts'])
      for (const w of readFileSync(join(examples, 'codenav-mcp/sample/src', f), 'utf8').match(/[A-Za-z_$][\w$]*/g) ?? []) words.add(w)
    expect(words.size).toBeGreaterThan(50)
    const differ: string[] = []
    for (const symbol of [...words].slice(0, 200)) {
      const req = { name: 'find_references', arguments: { symbol } }
      const [b, c] = await Promise.all([baseline.callTool(req), candidate.callTool(req)])
      if (JSON.stringify(b) !== JSON.stringify(c)) differ.push(symbol)
    }
    expect(differ).toEqual([])
  })
})
