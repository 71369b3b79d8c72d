import { plural } from '../model/words.js'
import { pushTo } from '../model/collections.js'
import { isEndpoint, isMcp, type EndpointItem, type Inventory, type Item } from '../model/inventory.js'

/**
 * The terminal view of an inventory: endpoints grouped by component with counts, then MCP tools,
 * resources and prompts, services, capabilities and database tables, a summary line and the diagnostics.
 */
export function renderInventoryTable(inv: Inventory): string {
  const lines: string[] = []
  const endpoints = inv.items.filter(isEndpoint)
  const byComponent = new Map<string, EndpointItem[]>()
  for (const item of endpoints) pushTo(byComponent, item.component, item)
  const methodWidth = Math.max(6, ...endpoints.map((i) => i.method.length))
  const pathWidth = Math.min(60, Math.max(4, ...endpoints.map((i) => i.path.length)))
  const handlerWidth = Math.min(28, Math.max(0, ...endpoints.map((i) => (i.handler ?? '').length)))
  lines.push(`${inv.root}  (${inv.frameworks.join(', ') || 'no framework found'})`, '')
  for (const [component, items] of [...byComponent].sort(([a], [b]) => a.localeCompare(b))) {
    const open = items.filter((i) => i.unresolved !== undefined).length
    const known = items.length - open
    lines.push(`${component}  ${known} ${known === 1 ? 'endpoint' : 'endpoints'}${open ? `, ${open} unresolved` : ''}`)
    for (const i of items) {
      const tag = (i.kind === 'route' ? '' : ` [${i.kind}]`) + (i.unresolved !== undefined ? ' [unresolved]' : '')
      lines.push(
        `  ${i.method.padEnd(methodWidth)} ${(i.path + tag).padEnd(pathWidth)}  ${(i.handler ?? '').padEnd(handlerWidth)}  ${i.source.file}:${i.source.line}`.trimEnd(),
      )
    }
    lines.push('')
  }
  const mcp = inv.items.filter(isMcp)
  if (mcp.length) {
    const kinds = (['mcp-tool', 'mcp-resource', 'mcp-prompt'] as const).map((k) => mcp.filter((i) => i.kind === k))
    const counted = kinds.map((list, n) => `${list.length} ${['tool', 'resource', 'prompt'][n]}${list.length === 1 ? '' : 's'}`)
    lines.push(`mcp  ${counted.filter((c) => !c.startsWith('0 ')).join(', ')}`)
    const nameWidth = Math.min(48, Math.max(...mcp.map((i) => i.name.length)))
    for (const i of kinds.flat()) lines.push(`  ${i.kind.slice(4).padEnd(9)} ${i.name.padEnd(nameWidth)}  ${i.source.file}:${i.source.line}`)
    lines.push('')
  }
  const others = (kind: Item['kind']) => inv.items.filter((i) => i.kind === kind)
  const services = others('service')
  if (services.length) {
    lines.push(`services  ${services.length}`)
    for (const s of services) {
      if (s.kind !== 'service') continue
      const port = s.port ? `:${s.port}` : ''
      lines.push(
        `  ${s.name.padEnd(24)} ${s.language.padEnd(10)} ${(s.framework ?? '').padEnd(10)} ${String(s.routes).padStart(4)} routes ${String(s.lines).padStart(7)} lines  ${port.padEnd(6)} ${s.root}`.trimEnd(),
      )
    }
    lines.push('')
  }
  const capabilities = others('capability')
  if (capabilities.length) {
    lines.push(`capabilities  ${capabilities.length}`)
    for (const c of capabilities) {
      if (c.kind !== 'capability') continue
      lines.push(`  ${c.label.padEnd(28)} ${c.packages.join(', ').padEnd(28)} ${c.source.file}:${c.source.line}`.trimEnd())
    }
    lines.push('')
  }
  const tables = others('table')
  if (tables.length) {
    const columns = others('column')
    lines.push(`database  ${plural(tables.length, 'table')}, ${plural(columns.length, 'column')}`)
    for (const t of tables) {
      if (t.kind !== 'table') continue
      const cols = columns.filter((c) => c.kind === 'column' && c.table === t.name).length
      lines.push(
        `  ${t.name.padEnd(28)} ${String(cols).padStart(3)} ${cols === 1 ? 'column ' : 'columns'}  ${t.origin.padEnd(10)} ${t.source.file}:${t.source.line}`,
      )
    }
    lines.push('')
  }
  lines.push(summaryLine(inv))
  if (inv.diagnostics.length) {
    lines.push('', 'Diagnostics:')
    for (const d of inv.diagnostics) {
      const where = d.file ? `${d.file}${d.line ? `:${d.line}` : ''}` : ''
      lines.push(`  ${d.level.padEnd(5)} ${d.code.padEnd(16)} ${where}  ${d.message}`)
    }
  }
  return `${lines.join('\n')}\n`
}

export function summaryLine(inv: Inventory): string {
  // Endpoints with a partly unknown path are counted as unresolved, not as routes.
  const count = (kind: string) => inv.items.filter((i) => i.kind === kind && !(isEndpoint(i) && i.unresolved !== undefined)).length
  const codes = new Map<string, number>()
  for (const d of inv.diagnostics) codes.set(d.code, (codes.get(d.code) ?? 0) + 1)
  const components = new Set(inv.items.filter(isEndpoint).map((i) => i.component)).size
  const parts = [plural(count('route'), 'route'), `${count('websocket')} WebSocket`, `${count('sse')} SSE`, `in ${plural(components, 'component')}`]
  for (const [kind, one, many] of [
    ['mcp-tool', 'MCP tool', 'MCP tools'],
    ['mcp-resource', 'MCP resource', 'MCP resources'],
    ['mcp-prompt', 'MCP prompt', 'MCP prompts'],
    ['service', 'service', 'services'],
    ['capability', 'capability', 'capabilities'],
    ['table', 'table', 'tables'],
  ] as const) {
    if (count(kind)) parts.push(plural(count(kind), one, many))
  }
  const unresolved = codes.get('UNRESOLVED_PATH') ?? 0
  const problems = [
    `${unresolved} unresolved`,
    ...[...codes].filter(([c]) => c !== 'UNRESOLVED_PATH').map(([c, n]) => `${n} ${c.toLowerCase().replace(/_/g, ' ')}`),
  ]
  const skipped = Object.values(inv.stats.skipped).reduce((a, b) => a + b, 0)
  return `${parts.join(', ')} · ${problems.join(', ')} · ${plural(inv.stats.files, 'file')}, ${plural(inv.stats.lines, 'line')}, ${skipped} skipped`
}
