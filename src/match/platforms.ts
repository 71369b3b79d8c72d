/**
 * The cross-platform matrix: which system has which item, over the baseline, its candidates and its
 * peers (sister platforms). A candidate has a baseline item when the pairs say it ports it (service by
 * service, one to one); everything else, a candidate's extras and every item of a peer, is placed by
 * its key. A peer is never paired: its services are rows of their own unless a baseline service has
 * the same name.
 */
import { isEndpoint, type Item } from '../model/inventory.js'
import type { Pair, PlatformMatrix, PlatformRow, SystemRole } from '../model/run.js'

export interface PlatformSystem {
  name: string
  role: SystemRole
  /** Its items; used for the baseline and the peers (candidates are read from the pairs). */
  items: readonly Item[]
}

/** With three systems or more, or any peer: the matrix; else undefined (two systems are the pairs themselves). */
export function platformMatrix(systems: readonly PlatformSystem[], pairs: readonly Pair[]): PlatformMatrix | undefined {
  if (systems.length < 3 && !systems.some((s) => s.role === 'peer')) return undefined
  const baseline = systems.find((s) => s.role === 'baseline')
  const candidates = systems.filter((s) => s.role === 'candidate').map((s) => s.name)
  const rows = new Map<string, PlatformRow>()
  const rowOf = (item: Item): PlatformRow => {
    const id = `${item.kind}\u0000${item.key}`
    let row = rows.get(id)
    if (!row) rows.set(id, (row = { kind: item.kind, key: item.key, display: displayOf(item), component: item.component, in: [], count: {} }))
    return row
  }
  const add = (row: PlatformRow, system: string) => {
    row.count[system] = (row.count[system] ?? 0) + 1
  }
  if (baseline) for (const item of baseline.items) if (item.kind !== 'column') add(rowOf(item), baseline.name)
  for (const p of pairs) {
    if (p.kind === 'column') continue
    if (!p.baseline) {
      if (p.candidate && p.status === 'extra') add(rowOf(p.candidate), p.candidateSystem)
      continue
    }
    const row = rowOf(p.baseline)
    for (const c of candidates) {
      const cell = p.matrix ? p.matrix[c] : c === p.candidateSystem ? { status: p.status, candidate: p.candidate } : undefined
      if (!cell?.candidate || cell.status === 'missing' || cell.status === 'excluded') continue
      add(row, c)
      if (cell.candidate.key !== p.key) ((row.as ??= {})[c] ??= []).push(nameOf(cell.candidate))
    }
  }
  for (const s of systems) if (s.role === 'peer') for (const item of s.items) if (item.kind !== 'column') add(rowOf(item), s.name)
  const order = systems.map((s) => s.name)
  for (const row of rows.values()) row.in = order.filter((n) => row.count[n])
  const list = [...rows.values()].filter((r) => r.in.length)
  const hasBaseline = (r: PlatformRow) => !!baseline && r.in.includes(baseline.name)
  // The baseline's rows first, the most widely shared first; then the others, the same way.
  list.sort(
    (a, b) =>
      Number(hasBaseline(b)) - Number(hasBaseline(a)) ||
      b.in.length - a.in.length ||
      bySystems(a.in, b.in, order) ||
      cmp(a.component, b.component) ||
      cmp(a.key, b.key),
  )
  const everywhere = (r: PlatformRow) => r.in.length === systems.length
  const only: Record<string, number> = {}
  const withBaseline: Record<string, number> = {}
  for (const s of systems) {
    only[s.name] = list.filter((r) => r.in.length === 1 && r.in[0] === s.name).length
    if (s !== baseline) withBaseline[s.name] = list.filter((r) => hasBaseline(r) && r.in.includes(s.name)).length
  }
  const baseRows = list.filter(hasBaseline)
  const baseShared = baseRows.filter(everywhere).length
  return {
    systems: systems.map((s) => ({ name: s.name, role: s.role })),
    rows: list,
    shared: list.filter(everywhere).length,
    only,
    baseline: { rows: baseRows.length, shared: baseShared, percent: baseRows.length ? Math.round((baseShared / baseRows.length) * 1000) / 10 : 0 },
    withBaseline,
  }
}

/** `GET /api/products/{id}` for an endpoint, `service shop-api` for the rest. */
function displayOf(item: Item): string {
  return isEndpoint(item) ? `${item.method} ${item.path}` : item.key
}

function nameOf(item: Item): string {
  return isEndpoint(item) ? `${item.method} ${item.path}` : item.name
}

/** The rows of the same systems together, in the systems' order (the candidates' before the peers'). */
function bySystems(a: string[], b: string[], order: string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = order.indexOf(a[i]!) - order.indexOf(b[i]!)
    if (d) return d
  }
  return a.length - b.length
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
