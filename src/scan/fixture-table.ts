/**
 * The plain-text route table that fixture projects are checked against (`expected.txt`), one line
 * per item and per diagnostic, so that a reviewer can read an extractor's whole behaviour at once:
 *
 *     GET /api/users/{id} route src/users.ts:5 getUser   #param
 *     ! UNRESOLVED_PATH src/app.ts:8                       #unresolved
 *     skip wildcard: the framework has no wildcard routes
 *
 * Text after `#` on a line is a tag naming the conformance case the line demonstrates.
 */
import { isResolvedEndpoint, type Inventory } from '../model/inventory.js'

/** Lines for the endpoints (what route extractors' fixtures check) and the warnings. */
export function inventoryLines(inv: Inventory): string[] {
  const items = inv.items
    .filter(isResolvedEndpoint)
    .map((i) => [i.method, i.path, i.kind, `${i.source.file}:${i.source.line}`, i.handler ?? ''].join(' ').trim())
  const diagnostics = inv.diagnostics.filter((d) => d.level !== 'info').map((d) => `! ${d.code} ${d.file ?? ''}${d.line ? `:${d.line}` : ''}`.trim())
  return [...items, ...diagnostics]
}

export interface ExpectedTable {
  lines: string[]
  tags: Map<string, string[]>
  skips: Map<string, string>
}

export function parseExpected(text: string): ExpectedTable {
  const lines: string[] = []
  const tags = new Map<string, string[]>()
  const skips = new Map<string, string>()
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (!line || line.startsWith('//')) continue
    const skip = /^skip\s+([\w-]+):\s*(.+)$/.exec(line)
    if (skip) {
      skips.set(skip[1]!, skip[2]!)
      continue
    }
    const hash = line.indexOf(' #')
    const body = (hash === -1 ? line : line.slice(0, hash)).trim().replace(/\s+/g, ' ')
    lines.push(body)
    if (hash !== -1) {
      for (const tag of line
        .slice(hash)
        .split(/\s+/)
        .filter((t) => t.startsWith('#'))) {
        tags.set(tag.slice(1), [...(tags.get(tag.slice(1)) ?? []), body])
      }
    }
  }
  return { lines, tags, skips }
}
