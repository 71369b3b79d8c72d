/**
 * Every MCP extractor against its fixture project under fixtures/extractors/<id>/: the tools,
 * resources and prompts the scan lists, with their schemas, and the diagnostics, must equal
 * expected.txt exactly (line format in test/support/mcp-items.ts; `//` lines are comments). Each
 * fixture holds a sub-project that gets the SDK only transitively and must add nothing.
 */
import { existsSync, readFileSync } from 'node:fs'
import Ajv2020 from 'ajv/dist/2020.js'
import { beforeAll, describe, expect, it } from 'vitest'
import { builtinExtractors } from '../src/extractors/registry.js'
import { isMcp, type Inventory, type McpItem } from '../src/model/inventory.js'
import { diffSystems } from '../src/match/diff.js'
import { renderInventoryTable } from '../src/report/inventory-table.js'
import { mcpInventory, mcpLines } from './support/mcp-items.js'

const fixtureRoot = new URL('../fixtures/extractors/', import.meta.url).pathname
const schema = JSON.parse(readFileSync(new URL('../schema/inventory.schema.json', import.meta.url), 'utf8'))
const validate = new (Ajv2020 as unknown as typeof Ajv2020.default)({ allErrors: true }).compile(schema)
const mcpExtractors = builtinExtractors.filter((x) => x.provides?.includes('mcp'))

function expectedLines(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.trim().startsWith('//'))
    .map((l) => l.trimEnd())
}

it('there is an MCP extractor for each SDK the issue names', () => {
  expect(mcpExtractors.map((x) => x.id).sort()).toEqual(['fastmcp', 'mcp-go', 'mcp-ts', 'rmcp'])
})

describe.each(mcpExtractors.map((x) => [x.id] as const))('MCP extractor %s', (id) => {
  const dir = `${fixtureRoot}${id}`
  let inventory: Inventory
  beforeAll(async () => {
    inventory = await mcpInventory(dir)
  })
  it('has a fixture project with an expected listing', () => {
    expect(existsSync(`${dir}/expected.txt`), `${dir}/expected.txt is missing`).toBe(true)
  })
  it('lists exactly the expected tools, resources, prompts and diagnostics', () => {
    expect(mcpLines(inventory)).toEqual(expectedLines(`${dir}/expected.txt`))
  })
  it('produces an inventory that follows the published JSON Schema', () => {
    expect(validate(JSON.parse(JSON.stringify(inventory))), JSON.stringify(validate.errors)).toBe(true)
  })
  it('keys every item by kind and name, in the mcp component', () => {
    for (const item of inventory.items.filter(isMcp)) {
      expect(item.key).toBe(`${item.kind} ${item.name}`)
      expect(item.component).toBe('mcp')
    }
  })
})

describe('mcp-ts', () => {
  let inventory: Inventory
  beforeAll(async () => {
    inventory = await mcpInventory(`${fixtureRoot}mcp-ts`)
  })
  const tool = (name: string) => inventory.items.find((i): i is McpItem => isMcp(i) && i.key === `mcp-tool ${name}`)

  it('turns a zod shape into the JSON Schema of the arguments, descriptions and defaults included', () => {
    expect(tool('find_references')?.inputSchema).toEqual({
      type: 'object',
      properties: {
        file: { type: 'string', description: 'Absolute path' },
        position: { type: 'object', properties: { line: { type: 'integer' }, character: { type: 'integer' } }, required: ['line', 'character'] },
        includeDeclaration: { type: 'boolean' },
        scope: { type: 'string', enum: ['file', 'workspace'], default: 'workspace' },
      },
      required: ['file', 'position'],
    })
  })

  it('keeps a literal low-level inputSchema as written', () => {
    expect(tool('hover')?.inputSchema).toEqual({
      type: 'object',
      properties: { file: { type: 'string' }, line: { type: 'integer' } },
      required: ['file', 'line'],
    })
  })

  it('names the framework and shows the MCP items in the scan table', () => {
    expect(inventory.frameworks).toContain('mcp-ts')
    const table = renderInventoryTable(inventory)
    expect(table).toMatch(/^mcp {2}8 tools, 3 resources, 1 prompt$/m)
    expect(table).toMatch(/^ {2}tool +find_references +src\/server\.ts:10$/m)
    expect(table).toMatch(/8 MCP tools, 3 MCP resources, 1 MCP prompt\b/)
  })
})

describe('the diff of two MCP codebases (a TypeScript server and its Rust port)', () => {
  it('pairs tools, resources and prompts by key across languages and counts them by kind', async () => {
    const [ts, rust] = await Promise.all([mcpInventory(`${fixtureRoot}mcp-ts`), mcpInventory(`${fixtureRoot}rmcp`)])
    const system = (name: string, role: 'baseline' | 'candidate', inventory: Inventory) => ({
      name,
      role,
      source: name,
      sourceKind: 'tree' as const,
      inventory,
    })
    const result = diffSystems(system('ts', 'baseline', ts), [system('rust', 'candidate', rust)])
    const statuses = Object.fromEntries(result.pairs.filter((p) => p.kind.startsWith('mcp-')).map((p) => [p.key, p.status]))
    expect(statuses).toEqual({
      'mcp-tool find_references': 'ported',
      'mcp-tool ping': 'ported',
      'mcp-tool rename_symbol': 'ported',
      'mcp-tool restart_server': 'missing',
      'mcp-tool workspace_symbols': 'ported',
      'mcp-tool hover': 'ported',
      'mcp-tool diagnostics': 'missing',
      'mcp-tool half_written': 'missing',
      'mcp-resource lsp://status': 'missing',
      'mcp-resource lsp://workspace': 'missing',
      'mcp-resource lsp://symbols/{path}': 'missing',
      'mcp-prompt explain_symbol': 'ported',
    })
    expect(result.summary.byKind['mcp-tool']).toMatchObject({ ported: 5, missing: 3, extra: 0 })
    expect(result.summary.byKind['mcp-prompt']).toMatchObject({ ported: 1 })
    // Tools sort before resources and prompts within the mcp component.
    const kinds = result.pairs.filter((p) => p.component === 'mcp').map((p) => p.kind)
    expect(kinds.indexOf('mcp-resource')).toBeGreaterThan(kinds.lastIndexOf('mcp-tool'))
  })
})
