import type { McpItem } from '../model/inventory.js'
import type { InventoryContext } from './context.js'

/**
 * MCP tools, resources and prompts from the facts extractors report, one item per key in path
 * order: a name registered twice (two transports of one server) is one item, at its first place.
 */
export function readMcpItems(ctx: InventoryContext): McpItem[] {
  const items = new Map<string, McpItem>()
  const records = ctx.records.filter((r) => r.facts.mcp?.length).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  for (const record of records) {
    for (const fact of record.facts.mcp!) {
      const key = `${fact.kind} ${fact.name}`
      if (items.has(key)) continue
      const item: McpItem = {
        kind: fact.kind,
        key,
        component: 'mcp',
        source: { file: record.path, line: fact.line },
        name: fact.name,
        framework: fact.framework ?? 'mcp',
      }
      if (fact.description !== undefined) item.description = fact.description
      if (fact.inputSchema !== undefined) item.inputSchema = fact.inputSchema
      if (fact.outputSchema !== undefined) item.outputSchema = fact.outputSchema
      if (fact.annotations !== undefined) item.annotations = fact.annotations
      items.set(key, item)
    }
  }
  return [...items.values()]
}
