/**
 * The Mermaid diagram of a system page: clients, the entry points (HTTP routes by component,
 * WebSocket, SSE), the services, the capabilities by category and the database; on a candidate,
 * what it lacks compared with the baseline is drawn dashed and red.
 */
import { isEndpoint, type CapabilityItem, type Item, type ItemKind } from '../../model/inventory.js'
import type { Pair, PairStatus, SystemResult } from '../../model/run.js'
import { cellOf } from './items.js'
import type { Vault } from './vault-context.js'

/** Mermaid flowchart with ids we control (`n1`, `n2`...) and quoted, escaped labels. */
class Flow {
  readonly lines: string[] = ['flowchart LR']
  private n = 0
  node(label: string, shape: 'rect' | 'round' | 'db' | 'hex' | 'queue', cls?: string): string {
    const id = `n${++this.n}`
    const text = `"${label.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;').replace(/\n/g, '<br/>')}"`
    const body =
      shape === 'rect' ? `[${text}]` : shape === 'round' ? `([${text}])` : shape === 'db' ? `[(${text})]` : shape === 'hex' ? `{{${text}}}` : `[/${text}/]`
    this.lines.push(`  ${id}${body}${cls ? `:::${cls}` : ''}`)
    return id
  }
  edge(a: string, b: string, dashed = false): void {
    this.lines.push(`  ${a} ${dashed ? '-.->' : '-->'} ${b}`)
  }
  text(): string {
    return [
      '```mermaid',
      ...this.lines,
      '  classDef missing fill:#fde2e2,stroke:#c0392b,stroke-dasharray:5 3,color:#7b241c',
      '  classDef partial fill:#fff4d6,stroke:#b9770e',
      '  classDef extra fill:#e3f6e8,stroke:#1e8449',
      '```',
    ].join('\n')
  }
}

const SHAPE: Record<string, 'db' | 'hex' | 'queue' | 'round'> = { data: 'db', 'real-time': 'hex', 'background work': 'queue', messaging: 'queue' }

/** Items of a system as (status in that system, item): the baseline's own items, or a candidate's cells. */
export function systemItems(v: Vault, sys: SystemResult): { status: PairStatus; item: Item; pair: Pair }[] {
  const out: { status: PairStatus; item: Item; pair: Pair }[] = []
  for (const p of v.run.pairs) {
    if (sys.role === 'baseline') {
      if (p.baseline) out.push({ status: 'ported', item: p.baseline, pair: p })
      continue
    }
    if (!p.baseline) {
      if (p.candidateSystem === sys.name && p.candidate) out.push({ status: 'extra', item: p.candidate, pair: p })
      continue
    }
    const c = cellOf(p, sys.name)
    if (!c || c.status === 'excluded') continue
    // A missing item is drawn from the baseline, marked.
    out.push({ status: c.status, item: c.candidate ?? p.baseline, pair: p })
  }
  return out
}

/** The diagram as a fenced `mermaid` block. */
export function systemDiagram(v: Vault, sys: SystemResult): string {
  const f = new Flow()
  const items = systemItems(v, sys)
  const isCandidate = sys.role === 'candidate'
  const present = (x: { status: PairStatus }) => x.status !== 'missing'
  const of = (k: ItemKind) => items.filter((x) => x.item.kind === k)
  const clients = f.node('Clients', 'round')

  // The core: the system's services (or the system itself when none were found).
  const services = of('service')
  let core: string
  if (services.length) {
    core = 'core'
    f.lines.push(`  subgraph core["${sys.name.replace(/"/g, '#quot;')} services"]`)
    for (const s of services) {
      const it = s.item as Extract<Item, { kind: 'service' }>
      f.node(
        `${it.name}\n${[it.language, it.framework, it.port ? `:${it.port}` : ''].filter(Boolean).join(' · ')}${s.status === 'missing' ? '\n(missing)' : ''}`,
        'rect',
        s.status === 'missing' ? 'missing' : s.status === 'extra' ? 'extra' : undefined,
      )
    }
    f.lines.push('  end')
  } else core = f.node(`${sys.name}\n${sys.frameworks.join(', ')}`, 'rect')

  const entry = (k: ItemKind, title: string, shape: 'rect' | 'hex') => {
    const all = of(k)
    if (!all.length) return undefined
    const n = all.filter((x) => present(x) && x.status !== 'extra').length
    const extra = all.length - all.filter((x) => x.status !== 'extra').length
    const label = isCandidate ? `${title}\n${n} of ${all.length - extra} baseline${extra ? `, ${extra} extra` : ''}` : `${title}\n${n}`
    const cls = n + extra === 0 ? 'missing' : all.some((x) => x.status === 'missing') ? 'partial' : undefined
    const id = f.node(label, shape, cls)
    f.edge(clients, id, cls === 'missing')
    f.edge(id, core, cls === 'missing')
    return id
  }
  const gw = entry('route', 'HTTP gateway · routes', 'rect')
  // WebSocket and SSE endpoints are drawn as entry points; their capability is not drawn twice.
  const drawn = new Set<string>()
  if (entry('websocket', 'WebSocket', 'hex')) drawn.add('websocket')
  if (entry('sse', 'Server-sent events', 'hex')) drawn.add('sse')

  // Endpoint components behind the gateway.
  if (gw) {
    const comps = new Map<string, { present: number; all: number }>()
    for (const x of items) {
      if (!isEndpoint(x.item) || x.status === 'extra') continue
      const c = comps.get(x.pair.component) ?? { present: 0, all: 0 }
      c.all++
      if (present(x)) c.present++
      comps.set(x.pair.component, c)
    }
    const list = [...comps].slice(0, 30)
    for (const [name, c] of list) {
      const cls = !isCandidate ? undefined : c.present === 0 ? 'missing' : c.present < c.all ? 'partial' : undefined
      f.edge(gw, f.node(`${name}\n${isCandidate ? `${c.present} of ${c.all}` : c.all} endpoints`, 'rect', cls), cls === 'missing')
    }
    if (comps.size > list.length) f.edge(gw, f.node(`… ${comps.size - list.length} more components`, 'rect'))
  }

  // Capabilities, by the catalog's category.
  for (const x of of('capability')) {
    const cap = x.item as CapabilityItem
    if (drawn.has(cap.name)) continue
    const shape = SHAPE[cap.category ?? ''] ?? 'round'
    const missing = x.status === 'missing'
    f.edge(core, f.node(`${cap.label}${missing ? '\n(missing)' : ''}`, shape, missing ? 'missing' : x.status === 'extra' ? 'extra' : undefined), missing)
  }

  // The database: tables present, and the ones the candidate lacks.
  const tables = of('table')
  if (tables.length) {
    const have = tables.filter(present)
    const base = tables.filter((x) => x.status !== 'extra').length
    if (have.length) f.edge(core, f.node(`Database\n${isCandidate ? `${have.length} of ${base} tables` : `${have.length} tables`}`, 'db'))
    const lacking = tables.filter((x) => x.status === 'missing').map((x) => (x.item as Extract<Item, { kind: 'table' }>).name)
    if (lacking.length)
      f.edge(
        core,
        f.node(`Missing tables\n${lacking.slice(0, 6).join(', ')}${lacking.length > 6 ? `, … ${lacking.length - 6} more` : ''}`, 'db', 'missing'),
        true,
      )
  }
  return f.text()
}
