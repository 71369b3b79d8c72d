/**
 * The MCP items a scan finds in a fixture project, one line each, so that a fixture's expected.txt
 * reads as the server's tool list (schemas written TypeScript-like, `?` for an optional property):
 *
 *     mcp-tool read_file src/server.ts:12 (mcp-ts) "Read a file" {path: string, limit?: integer} @readOnlyHint=true
 *     ! UNRESOLVED_MCP_NAME src/server.ts:40
 */
import { builtinExtractors } from '../../src/extractors/registry.js'
import { isMcp, type Inventory } from '../../src/model/inventory.js'
import { scanPath } from '../../src/scan/scan.js'

export async function mcpInventory(dir: string): Promise<Inventory> {
  return scanPath({ path: dir, extractors: builtinExtractors })
}

export function mcpLines(inv: Inventory): string[] {
  const out: string[] = []
  for (const i of inv.items.filter(isMcp)) {
    let line = `${i.kind} ${i.name} ${i.source.file}:${i.source.line} (${i.framework})`
    if (i.description !== undefined) line += ` ${JSON.stringify(i.description)}`
    if (i.inputSchema !== undefined) line += ` ${typeText(i.inputSchema)}`
    if (i.outputSchema !== undefined) line += ` -> ${typeText(i.outputSchema)}`
    for (const [k, v] of Object.entries(i.annotations ?? {})) line += ` @${k}=${JSON.stringify(v)}`
    out.push(line)
  }
  for (const d of inv.diagnostics) if (d.level !== 'info') out.push(`! ${d.code} ${d.file ?? ''}${d.line ? `:${d.line}` : ''}`)
  return out
}

function typeText(schema: unknown): string {
  if (!schema || typeof schema !== 'object') return 'any'
  const s = schema as Record<string, unknown>
  if (Array.isArray(s.enum)) return s.enum.map((v) => JSON.stringify(v)).join('|')
  if ('const' in s) return JSON.stringify(s.const)
  if (Array.isArray(s.anyOf)) return s.anyOf.map(typeText).join(' | ')
  const type = Array.isArray(s.type) ? s.type.join('|') : s.type
  if (type === 'array') {
    const items = typeText(s.items)
    return items.includes('|') ? `(${items})[]` : `${items}[]`
  }
  if (type === 'object') {
    if (s.properties && typeof s.properties === 'object') {
      const required = new Set(Array.isArray(s.required) ? s.required : [])
      const props = Object.entries(s.properties as Record<string, unknown>).map(([k, v]) => `${k}${required.has(k) ? '' : '?'}: ${typeText(v)}`)
      return `{${props.join(', ')}}`
    }
    return s.additionalProperties ? `Record<${typeText(s.additionalProperties)}>` : 'object'
  }
  return typeof type === 'string' ? type : 'any'
}
