/**
 * Pairing: every baseline item gets a status in every candidate (by canonical key, one to one, then
 * map rules, then a candidate handler of every method on the same path); candidate-only items are extra.
 * Linear in the number of items: one key index per candidate.
 */
import { gapSeverityOf, mostSevere } from '../assess/gap.js'
import { statusOf } from '../assess/status.js'
import { schemaFigures } from '../assess/schema.js'
import { serviceMigration } from '../assess/services.js'
import { verifiedPercentOf } from '../assess/verified.js'
import type { ComponentConfig, ExcludeRule, MapRule } from '../config/schema.js'
import { isEndpoint, type Diagnostic, type Inventory, type Item, type ItemKind } from '../model/inventory.js'
import type {
  CandidateCell,
  ComponentSummary,
  Counts,
  MigratedRule,
  NearMiss,
  Pair,
  PairStatus,
  RunResult,
  Summary,
  SystemResult,
  SystemRole,
} from '../model/run.js'
import { pushTo } from '../model/collections.js'
import { capabilityShortfall } from './capability-use.js'
import { findNearMisses } from './near.js'
import { platformMatrix } from './platforms.js'
import { compareColumns, pairSchema, type SchemaPairNames } from './schema.js'
import { pairServices } from './services.js'
import { baselineComponents, candidateComponents } from './components.js'
import { canonicalKey, compileComponents, compileExclude, compileMap } from './rules.js'

export interface SystemInventory {
  name: string
  role: SystemRole
  source: string
  sourceKind: SystemResult['sourceKind']
  inventory: Inventory
}

export interface DiffRules {
  components?: ComponentConfig[]
  map?: MapRule[]
  exclude?: ExcludeRule[]
  /** What a service's port needs to count as migrated (default: every endpoint). */
  migrated?: MigratedRule
}

export interface DiffOptions {
  /** What is lost when a candidate lacks a capability (the catalog's impact sentence). */
  impactOf?: (capability: string) => string | undefined
  /** Sister platforms: in the cross-platform matrix only, never paired, never in a figure of ports. */
  peers?: SystemInventory[]
}

export type DiffResult = Pick<
  RunResult,
  'systems' | 'pairs' | 'nearMisses' | 'components' | 'summary' | 'candidates' | 'gapSeverity' | 'services' | 'platforms' | 'database' | 'diagnostics'
>

const KIND_ORDER: ItemKind[] = ['route', 'websocket', 'sse', 'mcp-tool', 'mcp-resource', 'mcp-prompt', 'capability', 'service', 'table', 'column']

export function diffSystems(baseline: SystemInventory, candidates: SystemInventory[], rules: DiffRules = {}, options: DiffOptions = {}): DiffResult {
  const componentOf = compileComponents(rules.components ?? [])
  // The config's components win; else the model's (match/components.ts). A candidate item counts under the baseline service its service ports.
  const withComponent = (items: Item[], serviceOf: (i: Item) => string | undefined = (i) => i.service) =>
    items.map((i) => {
      const c = componentOf(i, serviceOf(i) ?? (i.kind === 'service' ? i.name : undefined))
      return c && c !== i.component ? { ...i, component: c } : i
    })
  const model = baselineComponents(baseline.inventory.items)
  const baseItems = withComponent(model.items)
  const maps = (rules.map ?? []).map(compileMap)
  // Services a map rule pairs (`service billing -> service billing-rs`), for service to service pairing.
  const mappedServices = new Map<string, Map<string, string>>()
  for (const rule of rules.map ?? []) {
    const from = canonicalKey(rule.from)
    const to = canonicalKey(rule.to)
    if (!from.startsWith('service ') || !to.startsWith('service ')) continue
    for (const cand of candidates) {
      if (rule.candidate && rule.candidate !== cand.name) continue
      const m = mappedServices.get(cand.name) ?? new Map<string, string>()
      mappedServices.set(cand.name, m)
      const base = baseItems.find((i) => i.kind === 'service' && i.key === from)
      const port = cand.inventory.items.find((i) => i.kind === 'service' && i.key === to)
      if (base?.kind === 'service' && port?.kind === 'service') m.set(base.name, port.name)
    }
  }
  const excludes = (rules.exclude ?? []).map(compileExclude)
  const diagnostics: Diagnostic[] = []

  // Excluded baseline items, with the first rule's reason.
  const excludedBy = new Map<Item, string>()
  for (const item of baseItems) {
    const rule = excludes.find((r) => r.test(item))
    if (rule) {
      rule.matched++
      excludedBy.set(item, rule.rule.reason)
    }
  }

  const cells = new Map<Item, Record<string, CandidateCell>>()
  const extrasBy = new Map<string, Item[]>()
  const nearMisses: NearMiss[] = []
  for (const cand of candidates) {
    // Services pair first: in a monorepo an item is ported only by an item of its service's port.
    const servicePairs = pairServices(baseItems, cand.inventory.items, mappedServices.get(cand.name))
    const portOf = new Map([...servicePairs].map(([base, p]) => [p.candidate, base]))
    const candItems = withComponent(candidateComponents(cand.inventory.items, model.context, servicePairs), (i) =>
      i.service ? portOf.get(i.service) : i.kind === 'service' ? portOf.get(i.name) : undefined,
    )
    const byKey = new Map<string, Item>()
    // Every candidate item of a key, for one-to-one pairing by key: a monorepo's many `GET /health`.
    const allByKey = new Map<string, Item[]>()
    const byPath = new Map<string, Item[]>()
    for (const c of candItems) {
      // A partly unknown path pairs with nothing by key: it is proposed as a near match instead.
      if (isEndpoint(c) && c.unresolved !== undefined) continue
      if (!byKey.has(c.key)) byKey.set(c.key, c)
      pushTo(allByKey, c.key, c)
      if (isEndpoint(c)) {
        const path = c.key.slice(c.key.indexOf(' ') + 1)
        const list = byPath.get(path)
        if (list) list.push(c)
        else byPath.set(path, [c])
      }
    }
    const sameService = (item: Item, c: Item) => !item.service || !c.service || servicePairs.get(item.service)?.candidate === c.service
    const candServiceByName = new Map(candItems.flatMap((c) => (c.kind === 'service' ? [[c.name, c] as const] : [])))
    // Tables and columns under another naming convention, and join tables by what they reference.
    const schemaPairs = pairSchema(baseItems, candItems)
    // Table renames carry their columns along.
    const tableRenames = new Map<string, string>()
    const used = new Set<Item>()
    const missing: Item[] = []
    // Items of services this candidate ports pair first: a candidate of one service (its items untagged) gives its `GET /health` to the service it ports, not to the first of many.
    const ported = (i: Item) => (i.service && servicePairs.has(i.service) ? 0 : 1)
    for (const item of [...baseItems].sort((a, b) => ported(a) - ported(b))) {
      const cellsOf = cells.get(item) ?? {}
      cells.set(item, cellsOf)
      if (excludedBy.has(item)) {
        cellsOf[cand.name] = { status: 'excluded', candidate: null }
        continue
      }
      let found: CandidateCell | undefined
      // By key, one to one: a candidate item that already ports a baseline item ports no other (a map rule may say otherwise).
      const direct = isEndpoint(item) && item.unresolved !== undefined ? undefined : allByKey.get(item.key)?.find((c) => !used.has(c) && sameService(item, c))
      if (direct) {
        found = { status: 'ported', candidate: direct, via: 'key' }
        used.add(direct)
      }
      if (!found && item.kind === 'service') {
        const pair = servicePairs.get(item.name)
        const port = pair ? candServiceByName.get(pair.candidate) : undefined
        if (pair && port && !used.has(port)) found = { status: 'ported', candidate: port, via: pair.via }
      }
      for (const rule of maps) {
        const key = rule.apply(item, cand.name)
        if (key === undefined) continue
        rule.matched++
        const hit = byKey.get(key)
        if (!found && hit) {
          found = { status: 'ported', candidate: hit, via: 'map', rule: rule.label }
          if (item.kind === 'table') tableRenames.set(item.key.slice(6), key.slice(6))
        }
      }
      if (!found && item.kind === 'column') {
        const dot = item.key.indexOf('.')
        const renamed = tableRenames.get(item.key.slice(7, dot))
        const hit = renamed ? byKey.get(`column ${renamed}${item.key.slice(dot)}`) : undefined
        if (hit) found = { status: 'ported', candidate: hit, via: 'map' }
      }
      if (!found && (item.kind === 'table' || item.kind === 'column')) {
        const hit = schemaPairs.get(item)
        if (hit && !used.has(hit.candidate)) found = { status: 'ported', candidate: hit.candidate, via: hit.via }
      }
      if (!found && isEndpoint(item) && item.unresolved === undefined) {
        const space = item.key.indexOf(' ')
        const onPath = byPath.get(item.key.slice(space + 1)) ?? []
        const inService = onPath.filter((c) => sameService(item, c))
        const any = item.method === 'ALL' ? inService[0] : inService.find((c) => isEndpoint(c) && c.method === 'ALL')
        if (any) found = { status: 'ported', candidate: any, via: 'any-method' }
      }
      // A capability the candidate only imports or builds, where the baseline calls it, is not ported.
      const short = found?.candidate ? capabilityShortfall(item, found.candidate) : undefined
      if (found && short) {
        used.add(found.candidate!)
        cellsOf[cand.name] = { status: 'missing', candidate: null, notPorted: short }
      } else if (found) {
        used.add(found.candidate!)
        cellsOf[cand.name] = found
      } else {
        cellsOf[cand.name] = { status: 'missing', candidate: null }
        missing.push(item)
      }
    }
    // One service on each side is the system and its rewrite, whatever their names.
    const baseServices = baseItems.filter((i) => i.kind === 'service' && !excludedBy.has(i))
    const candServices = candItems.filter((i) => i.kind === 'service')
    if (baseServices.length === 1 && candServices.length === 1 && cells.get(baseServices[0]!)?.[cand.name]?.status === 'missing') {
      cells.get(baseServices[0]!)![cand.name] = { status: 'ported', candidate: candServices[0]!, via: 'sole-service' }
      used.add(candServices[0]!)
      missing.splice(missing.indexOf(baseServices[0]!), 1)
    }
    compareSchemaCells(baseItems, (item) => cells.get(item)?.[cand.name])
    const extras = candItems.filter((c) => !used.has(c))
    extrasBy.set(cand.name, extras)
    // Near matches too stay inside paired services: a route of an unported service has no rename in another's port.
    const nearOf = (items: Item[]) => items.filter((i) => isEndpoint(i) || i.kind === 'table')
    const missingBy = new Map<string, Item[]>()
    for (const i of nearOf(missing)) pushTo(missingBy, i.service ?? '', i)
    for (const [service, list] of missingBy) {
      const port = service ? servicePairs.get(service)?.candidate : undefined
      if (service && !port) continue
      nearMisses.push(
        ...findNearMisses(
          list,
          nearOf(extras).filter((c) => !service || !c.service || c.service === port),
          cand.name,
        ),
      )
    }
    if (!candItems.length) {
      // A candidate without any source file was reported when it was read.
      if (cand.inventory.stats.files > 0) {
        diagnostics.push({
          level: 'warn',
          code: 'EMPTY_SYSTEM',
          message: `candidate \`${cand.name}\` (${cand.source}) has no items: no framework parity knows was found there`,
        })
      }
    } else if (used.size === 0 && baseItems.length) {
      diagnostics.push({
        level: 'warn',
        code: 'NOTHING_IN_COMMON',
        message: `no baseline item was found in candidate \`${cand.name}\`: check that the right folders are compared, or add map rules`,
      })
    }
  }
  for (const rule of maps) {
    if (rule.matched === 0) diagnostics.push({ level: 'warn', code: 'MAP_RULE_UNUSED', message: `map rule \`${rule.label}\` matches no baseline item` })
  }
  for (const rule of excludes) {
    if (rule.matched === 0)
      diagnostics.push({ level: 'warn', code: 'EXCLUDE_RULE_UNUSED', message: `exclude rule \`${rule.rule.match}\` matches no baseline item` })
  }

  const first = candidates[0]?.name ?? ''
  const several = candidates.length > 1
  const pairs: Pair[] = baseItems.map((item) => {
    const byCandidate = cells.get(item) ?? {}
    const cell = byCandidate[first] ?? { status: 'missing' as const, candidate: null }
    const pair: Pair = {
      kind: item.kind,
      key: item.key,
      component: item.component,
      status: cell.status,
      baseline: item,
      candidate: cell.candidate,
      candidateSystem: first,
    }
    if (cell.via) pair.via = cell.via
    if (cell.rule) pair.rule = cell.rule
    if (cell.column) pair.column = cell.column
    if (cell.notPorted) pair.notPorted = cell.notPorted
    const reason = excludedBy.get(item)
    if (reason) pair.reason = reason
    if (item.kind === 'capability' && Object.values(byCandidate).some((c) => c.status === 'missing')) {
      const impact = options.impactOf?.(item.name)
      if (impact) pair.impact = impact
    }
    if (several) pair.matrix = byCandidate
    return pair
  })
  for (const cand of candidates) {
    for (const extra of extrasBy.get(cand.name) ?? []) {
      pairs.push({
        kind: extra.kind,
        key: extra.key,
        component: extra.component,
        status: 'extra',
        baseline: null,
        candidate: extra,
        candidateSystem: cand.name,
      })
    }
  }
  // Sort once on a precomputed key: a comparator recomputing it is the slow part on large runs.
  const sortKey = new Map(
    pairs.map((p) => [p, `${p.component}\u0000${KIND_ORDER.indexOf(p.kind)}\u0000${pathOrKey(p)}\u0000${p.key}\u0000${p.candidateSystem}`]),
  )
  pairs.sort((a, b) => cmp(sortKey.get(a)!, sortKey.get(b)!))

  const {
    summary,
    candidates: summaries,
    gapSeverity,
    components,
    services,
    database,
  } = summarizePairs(
    pairs,
    candidates.map((c) => c.name),
    rules.migrated,
  )

  const peers = (options.peers ?? []).map((p) => ({ ...p, inventory: { ...p.inventory, items: withComponent(p.inventory.items) } }))
  const platforms = platformMatrix(
    [
      { name: baseline.name, role: baseline.role, items: baseItems },
      ...candidates.map((c) => ({ name: c.name, role: c.role, items: [] })),
      ...peers.map((p) => ({ name: p.name, role: p.role, items: p.inventory.items })),
    ],
    pairs,
  )

  return {
    systems: [baseline, ...candidates, ...peers].map(systemResult),
    pairs,
    nearMisses,
    components,
    summary,
    candidates: summaries,
    gapSeverity,
    ...(services ? { services } : {}),
    ...(platforms ? { platforms } : {}),
    ...(database ? { database } : {}),
    diagnostics,
  }
}

/** Each column present on both sides, compared (types, nullability, foreign keys through the pairs of their tables). */
function compareSchemaCells(baseItems: Item[], cellOf: (item: Item) => CandidateCell | undefined): void {
  const names: SchemaPairNames = { tables: new Map(), columns: new Map() }
  const columns: Array<[Item, CandidateCell]> = []
  for (const item of baseItems) {
    const cell = cellOf(item)
    const c = cell?.candidate
    if (!cell || !c) continue
    if (item.kind === 'table' && c.kind === 'table') names.tables.set(item.name.toLowerCase(), c.name.toLowerCase())
    if (item.kind === 'column' && c.kind === 'column') {
      names.columns.set(`${item.table}.${item.name}`.toLowerCase(), `${c.table}.${c.name}`.toLowerCase())
      columns.push([item, cell])
    }
  }
  for (const [item, cell] of columns) {
    if (item.kind === 'column' && cell.candidate?.kind === 'column') cell.column = compareColumns(item, cell.candidate, names)
  }
}

/**
 * Figures from pair statuses: per candidate, per component (in name order) and for the first
 * candidate. Recomputed when evidence turns ported pairs into verified or divergent ones.
 */
export function summarizePairs(
  pairs: Pair[],
  candidateNames: string[],
  migrated?: MigratedRule,
): Pick<DiffResult, 'summary' | 'candidates' | 'gapSeverity' | 'components' | 'services' | 'database'> {
  const first = candidateNames[0] ?? ''
  const summaries: Record<string, Summary> = {}
  const byComponent = new Map<string, Pair[]>()
  for (const p of pairs) pushTo(byComponent, p.component, p)
  const components: ComponentSummary[] = [...byComponent.keys()].sort(cmp).map((name) => ({ name, candidates: {} }))
  for (const name of candidateNames) {
    summaries[name] = summarize(pairs, name, first)
    for (const comp of components) {
      const own = byComponent.get(comp.name)!
      comp.candidates[name] = {
        ...summarize(own, name, first),
        missingKeys: own.filter((p) => p.baseline && statusIn(p, name, first) === 'missing' && p.kind !== 'column').map((p) => p.key),
      }
    }
  }
  for (const comp of components) comp.gapSeverity = mostSevere(candidateNames.map((name) => comp.candidates[name]?.gapSeverity))
  const gapSeverity = mostSevere(candidateNames.map((name) => summaries[name]?.gapSeverity))
  const services = serviceMigration(pairs, candidateNames, migrated)
  const database = schemaFigures(pairs, candidateNames)
  return {
    summary: summaries[first] ?? summarize([], first, first),
    candidates: summaries,
    gapSeverity,
    components,
    ...(services ? { services } : {}),
    ...(database ? { database } : {}),
  }
}

function statusIn(pair: Pair, candidate: string, first: string): PairStatus | undefined {
  if (!pair.baseline) return pair.candidateSystem === candidate ? 'extra' : undefined
  if (pair.matrix) return pair.matrix[candidate]?.status
  return candidate === first ? pair.status : undefined
}

function emptyCounts(): Counts {
  return { ported: 0, missing: 0, extra: 0, excluded: 0, verified: 0, divergent: 0 }
}

function summarize(pairs: Pair[], candidate: string, first: string): Summary {
  const summary: Summary = { ...emptyCounts(), total: 0, percent: 0, byKind: {} }
  for (const pair of pairs) {
    const status = statusIn(pair, candidate, first)
    if (!status) continue
    const kindCounts = (summary.byKind[pair.kind] ??= emptyCounts())
    kindCounts[status]++
    if (pair.kind === 'column') continue
    summary[status]++
    if (pair.baseline && status !== 'excluded') summary.total++
    if (pair.baseline && status !== 'excluded' && isEndpoint(pair.baseline) && pair.baseline.unresolved !== undefined)
      summary.unresolved = (summary.unresolved ?? 0) + 1
  }
  const done = summary.ported + summary.verified + summary.divergent
  summary.percent = summary.total ? Math.round((done / summary.total) * 1000) / 10 : 0
  summary.verifiedPercent = verifiedPercentOf(summary)
  summary.status = statusOf(summary)
  summary.gapSeverity = gapSeverityOf(summary)
  return summary
}

/** Code-point order: stable across locales, and much faster than localeCompare on large runs. */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function pathOrKey(p: Pair): string {
  const item = p.baseline ?? p.candidate
  return item && isEndpoint(item) ? item.path : p.key
}

function systemResult(s: SystemInventory): SystemResult {
  const items: Partial<Record<ItemKind, number>> = {}
  let unresolved = 0
  for (const i of s.inventory.items) {
    if (isEndpoint(i) && i.unresolved !== undefined) unresolved++
    else items[i.kind] = (items[i.kind] ?? 0) + 1
  }
  return {
    ...(unresolved ? { unresolved } : {}),
    name: s.name,
    role: s.role,
    source: s.source,
    sourceKind: s.sourceKind,
    frameworks: s.inventory.frameworks,
    stats: s.inventory.stats,
    items,
    ...(s.inventory.packages?.length ? { packages: s.inventory.packages } : {}),
    diagnostics: s.inventory.diagnostics,
  }
}
