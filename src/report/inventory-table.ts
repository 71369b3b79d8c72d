import { pushTo } from '../model/collections.js'
import type { Inventory, Item } from '../model/inventory.js'

/** The terminal view of an inventory: routes grouped by component with counts, then a summary and the diagnostics. */
export function renderInventoryTable(inv: Inventory): string {
  const lines: string[] = []
  const byComponent = new Map<string, Item[]>()
  for (const item of inv.items) pushTo(byComponent, item.component, item)
  const methodWidth = Math.max(6, ...inv.items.map((i) => i.method.length))
  const pathWidth = Math.min(60, Math.max(4, ...inv.items.map((i) => i.path.length)))
  const handlerWidth = Math.min(28, Math.max(0, ...inv.items.map((i) => (i.handler ?? '').length)))
  lines.push(`${inv.root}  (${inv.frameworks.join(', ') || 'no framework found'})`, '')
  for (const [component, items] of [...byComponent].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`${component}  ${items.length} ${items.length === 1 ? 'endpoint' : 'endpoints'}`)
    for (const i of items) {
      const tag = i.kind === 'route' ? '' : ` [${i.kind}]`
      lines.push(
        `  ${i.method.padEnd(methodWidth)} ${(i.path + tag).padEnd(pathWidth)}  ${(i.handler ?? '').padEnd(handlerWidth)}  ${i.source.file}:${i.source.line}`.trimEnd(),
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
  const count = (kind: string) => inv.items.filter((i) => i.kind === kind).length
  const codes = new Map<string, number>()
  for (const d of inv.diagnostics) codes.set(d.code, (codes.get(d.code) ?? 0) + 1)
  const components = new Set(inv.items.map((i) => i.component)).size
  const parts = [
    `${count('route')} routes`,
    `${count('websocket')} WebSocket`,
    `${count('sse')} SSE`,
    `in ${components} components`,
  ]
  const unresolved = codes.get('UNRESOLVED_PATH') ?? 0
  const problems = [
    `${unresolved} unresolved`,
    ...[...codes].filter(([c]) => c !== 'UNRESOLVED_PATH').map(([c, n]) => `${n} ${c.toLowerCase().replace(/_/g, ' ')}`),
  ]
  const skipped = Object.values(inv.stats.skipped).reduce((a, b) => a + b, 0)
  return `${parts.join(', ')} · ${problems.join(', ')} · ${inv.stats.files} files, ${inv.stats.lines} lines, ${skipped} skipped`
}
