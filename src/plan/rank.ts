/**
 * `parity plan`: every component not fully ported in the first candidate, with a priority (traffic,
 * fan-in, share missing) and a risk (size, real-time, risky capabilities, low coverage), each score
 * shown with the factors behind it, an effort estimate from a stated formula, and a target-language
 * suggestion from the rule set. Pure over the RunResult, except for reading `sourceRoot`.
 */
import { capabilityCatalog } from '../capabilities/catalog.js'
import { ParityError } from '../model/errors.js'
import { isEndpoint, isMcp, type CapabilityItem, type Item } from '../model/inventory.js'
import type { Pair, RunResult } from '../model/run.js'
import { defaultLanguageRules, suggestLanguage, type LanguageRule } from './rules.js'
import { readComponentSources } from './sources.js'
import type { Level, Plan, PlanEntry, ScoreFactor } from '../model/plan.js'
import { DEFAULT_WEIGHTS, EFFORT, effortFormula, levelOf, REALTIME_CATEGORIES, RISKY_CATEGORIES, SATURATION } from './weights.js'

export interface PlanOptions {
  /** Overrides of the default weights, by factor name. */
  weights?: Record<string, number>
  /** Language rules (default: src/plan/language-rules.json). */
  rules?: LanguageRule[]
  /** Requests per route key, from the replay corpus. */
  traffic?: Map<string, number>
  /** Line coverage (0..1) of the baseline's files, by path relative to `sourceRoot`. */
  coverageByFile?: Map<string, number>
  /** The baseline's source folder: lines, imports and fan-in are read from it. */
  sourceRoot?: string
}

const LEVEL_RANK: Record<Level, number> = { high: 2, medium: 1, low: 0 }

export function planMigration(run: RunResult, options: PlanOptions = {}): Plan {
  const weights = mergeWeights(options.weights)
  const rules = options.rules ?? defaultLanguageRules()
  const first = run.systems.find((s) => s.role === 'candidate')?.name ?? Object.keys(run.candidates)[0] ?? ''
  const baseline = run.pairs.filter((p): p is Pair & { baseline: Item } => p.baseline !== null)

  const byComponent = new Map<string, Item[]>()
  const itemFiles = new Map<string, Map<string, number>>()
  for (const { baseline: item } of baseline) {
    const list = byComponent.get(item.component) ?? []
    list.push(item)
    byComponent.set(item.component, list)
    if (item.kind === 'capability' || item.kind === 'service') continue
    const counts = itemFiles.get(item.source.file) ?? new Map<string, number>()
    counts.set(item.component, (counts.get(item.component) ?? 0) + 1)
    itemFiles.set(item.source.file, counts)
  }
  const sources = options.sourceRoot ? readComponentSources(options.sourceRoot, itemFiles) : undefined
  const ownerOf = new Map<string, string>()
  if (sources) for (const [comp, s] of sources) for (const f of s.files) ownerOf.set(f, comp)
  else for (const [file, counts] of itemFiles) ownerOf.set(file, [...counts].sort((a, b) => b[1] - a[1])[0]![0])

  // Capabilities by the component whose files confirm them.
  // A capability confirmed by endpoints (WebSocket, SSE) belongs to the components serving them, not
  // to the file that wires the library into the app.
  const endpointComps = new Map<string, Set<string>>()
  for (const { baseline: item } of baseline) {
    if (isEndpoint(item)) endpointComps.set(item.kind, (endpointComps.get(item.kind) ?? new Set()).add(item.component))
  }
  const capsOf = new Map<string, CapabilityItem[]>()
  for (const { baseline: item } of baseline) {
    if (item.kind !== 'capability') continue
    const kinds = capabilityCatalog.find((c) => c.id === item.name)?.endpoints ?? []
    const served = kinds.flatMap((k) => [...(endpointComps.get(k) ?? [])])
    const comps = new Set([
      item.component,
      ...(served.length ? served : [item.source, ...item.evidence].map((at) => ownerOf.get(at.file)).filter((c): c is string => !!c)),
    ])
    for (const comp of comps) {
      const list = capsOf.get(comp) ?? []
      list.push(item)
      capsOf.set(comp, list)
    }
  }
  const totalTraffic = options.traffic ? [...options.traffic.values()].reduce((a, b) => a + b, 0) : 0

  const entries: PlanEntry[] = []
  for (const comp of run.components) {
    const summary = comp.candidates[first]
    if (!summary || summary.total === 0 || summary.percent >= 100) continue
    const items = (byComponent.get(comp.name) ?? []).filter((i) => i.kind !== 'column')
    const src = sources?.get(comp.name)
    const endpoints = items.filter((i) => isEndpoint(i) || isMcp(i))
    const tables = items.filter((i) => i.kind === 'table').length
    const serviceLines = items.reduce((n, i) => n + (i.kind === 'service' ? i.lines : 0), 0)
    const caps = capsOf.get(comp.name) ?? []
    const categoryOf = (c: CapabilityItem) => c.category ?? capabilityCatalog.find((e) => e.id === c.name)?.category
    const realtimeVia = [
      ...new Set([
        ...endpoints.filter((e) => e.kind === 'websocket' || e.kind === 'sse').map((e) => (e.kind === 'websocket' ? 'WebSocket endpoints' : 'SSE endpoints')),
        ...caps.filter((c) => REALTIME_CATEGORIES.includes(categoryOf(c) ?? '')).map((c) => c.name),
      ]),
    ]
    const risky = caps.filter((c) => RISKY_CATEGORIES.includes(categoryOf(c) ?? ''))
    const missingShare = summary.total ? summary.missing / summary.total : 0

    const priority: ScoreFactor[] = []
    if (options.traffic && totalTraffic > 0) {
      const hits = endpoints.reduce((n, e) => n + (options.traffic!.get(e.key) ?? 0), 0)
      const share = hits / totalTraffic
      priority.push(factor('traffic', share, weights, `${pct(share)} of the recorded traffic (${hits} of ${totalTraffic} requests)`))
    }
    if (sources) {
      const by = [...(src?.importedBy ?? [])].sort()
      priority.push(
        factor(
          'fanIn',
          by.length,
          weights,
          by.length ? `imported by ${by.length} other component${by.length === 1 ? '' : 's'}: ${by.join(', ')}` : 'no other component imports its files',
        ),
      )
    }
    priority.push(factor('missing', missingShare, weights, `${summary.missing} of ${summary.total} items still missing in ${first}`))

    const risk: ScoreFactor[] = []
    const lines = (src?.lines ?? 0) + serviceLines
    if (sources) risk.push(factor('lines', lines, weights, `${lines} lines in ${src?.files.size ?? 0} files${serviceLines ? ' and its service' : ''}`))
    else risk.push(factor('items', items.length, weights, `${items.length} items (sources not read: size counted in items)`))
    const realtimeEndpoints = endpoints.filter((e) => e.kind === 'websocket' || e.kind === 'sse').length
    risk.push(
      factor(
        'routes',
        endpoints.length,
        weights,
        `${endpoints.length} endpoint${endpoints.length === 1 ? '' : 's'}${realtimeEndpoints ? `, ${realtimeEndpoints} of them WebSocket or SSE` : ''}`,
      ),
    )
    risk.push(factor('tables', tables, weights, tables ? `${tables} database table${tables === 1 ? '' : 's'}` : 'no database table'))
    risk.push(
      factor(
        'realtime',
        realtimeVia.length ? 1 : 0,
        weights,
        realtimeVia.length ? `real-time: ${realtimeVia.join(', ')}` : 'no real-time endpoint or capability',
      ),
    )
    risk.push(
      factor(
        'capabilities',
        risky.length,
        weights,
        risky.length ? `uses ${risky.map((c) => `${c.name} (${categoryOf(c)})`).join(', ')}` : 'no queue, messaging or external integration',
      ),
    )
    if (options.coverageByFile) {
      const files = [...(src?.files ?? itemFilesOf(items))]
      const covered = files.filter((f) => options.coverageByFile!.has(f))
      const value = covered.length ? covered.reduce((n, f) => n + options.coverageByFile!.get(f)!, 0) / covered.length : 0
      risk.push({
        name: 'coverage',
        value: round(value, 3),
        weight: weights.coverage!,
        contribution: round(weights.coverage! * (1 - value), 3),
        reason: covered.length ? `baseline tests cover ${pct(value)} of its lines` : 'no coverage figure for its files: counted as untested',
      })
    }

    const priorityScore = score(priority)
    const riskScore = score(risk)
    const fromLines = !!sources
    const size = fromLines ? lines / EFFORT.linesPerDay : items.length / EFFORT.itemsPerDay
    const effort =
      EFFORT.base +
      missingShare * (size + endpoints.length * EFFORT.perEndpoint + tables * EFFORT.perTable) +
      (realtimeVia.length ? EFFORT.perRealtime : 0) +
      risky.length * EFFORT.perCapability
    const packages = new Set([...(src?.packages ?? []), ...caps.flatMap((c) => c.packages)])
    const suggestion = suggestLanguage(rules, {
      capabilities: [
        ...caps.map((c) => ({ id: c.name, ...(categoryOf(c) ? { category: categoryOf(c)! } : {}) })),
        ...(realtimeEndpoints ? [{ id: endpoints.some((e) => e.kind === 'websocket') ? 'websocket' : 'sse', category: 'real-time' }] : []),
      ],
      packages: [...packages].sort(),
      frameworks: [...new Set(endpoints.map((e) => ('framework' in e ? e.framework : '')).filter(Boolean))],
    })
    entries.push({
      rank: 0,
      component: comp.name,
      ported: summary.percent,
      priority: levelOf(priorityScore),
      priorityScore,
      risk: levelOf(riskScore),
      riskScore,
      effortDays: Math.max(EFFORT.base, Math.round(effort * 2) / 2),
      effortFormula: effortFormula(fromLines),
      factors: [...priority, ...risk],
      missing: summary.missingKeys.slice(0, 10),
      ...(suggestion ? { suggestion } : {}),
    })
  }
  entries.sort(
    (a, b) =>
      LEVEL_RANK[b.priority] - LEVEL_RANK[a.priority] ||
      LEVEL_RANK[b.risk] - LEVEL_RANK[a.risk] ||
      b.priorityScore - a.priorityScore ||
      b.riskScore - a.riskScore ||
      (a.component < b.component ? -1 : 1),
  )
  entries.forEach((e, i) => (e.rank = i + 1))
  const plan: Plan = { entries, weights }
  const platforms = platformMatrix(run)
  if (platforms) plan.platforms = platforms
  return plan
}

/**
 * With three or more systems: per component, the items each system has, and the share of the
 * baseline's items present in every system (columns follow their tables and are not counted).
 * Sorted by that share, so the components every platform shares (reuse candidates) come first.
 */
export function platformMatrix(run: RunResult): NonNullable<Plan['platforms']> | undefined {
  if (run.systems.length < 3) return undefined
  const baselineName = run.systems.find((s) => s.role === 'baseline')?.name ?? 'baseline'
  const candidates = run.systems.filter((s) => s.role === 'candidate').map((s) => s.name)
  const rows = new Map<string, { systems: Record<string, number>; base: number; everywhere: number }>()
  const row = (comp: string) => {
    let r = rows.get(comp)
    if (!r) rows.set(comp, (r = { systems: Object.fromEntries(run.systems.map((s) => [s.name, 0])), base: 0, everywhere: 0 }))
    return r
  }
  for (const p of run.pairs) {
    if (p.kind === 'column') continue
    if (!p.baseline) {
      const r = row(p.component)
      r.systems[p.candidateSystem] = (r.systems[p.candidateSystem] ?? 0) + 1
      continue
    }
    const r = row(p.component)
    r.base++
    r.systems[baselineName] = (r.systems[baselineName] ?? 0) + 1
    let all = true
    for (const c of candidates) {
      const cell = p.matrix ? p.matrix[c] : c === p.candidateSystem ? { candidate: p.candidate } : undefined
      if (cell?.candidate) r.systems[c] = (r.systems[c] ?? 0) + 1
      else all = false
    }
    if (all) r.everywhere++
  }
  return [...rows]
    .map(([component, r]) => ({ component, systems: r.systems, shared: r.base ? round(r.everywhere / r.base, 3) : 0 }))
    .sort((a, b) => b.shared - a.shared || (a.component < b.component ? -1 : 1))
}

function mergeWeights(overrides: Record<string, number> | undefined): Record<string, number> {
  const merged = { ...DEFAULT_WEIGHTS }
  const unknown = Object.keys(overrides ?? {}).filter((k) => !(k in DEFAULT_WEIGHTS))
  if (unknown.length) {
    throw new ParityError(
      'PLAN_WEIGHTS_INVALID',
      `unknown plan weight${unknown.length === 1 ? '' : 's'} ${unknown.map((k) => `\`${k}\``).join(', ')}`,
      `use ${Object.keys(DEFAULT_WEIGHTS).join(', ')}`,
    )
  }
  for (const [k, v] of Object.entries(overrides ?? {})) {
    if (!Number.isFinite(v) || v < 0)
      throw new ParityError('PLAN_WEIGHTS_INVALID', `plan weight \`${k}\` is ${v}`, 'a weight is a number of at least 0 (0 switches the factor off)')
    merged[k] = v
  }
  return merged
}

function factor(name: string, value: number, weights: Record<string, number>, reason: string): ScoreFactor {
  const weight = weights[name] ?? 0
  const saturation = SATURATION[name]
  const normalised = Math.min(1, saturation ? value / saturation : value)
  return { name, value: round(value, 3), weight, contribution: round(weight * normalised, 3), reason }
}

/** `100 × Σ contribution / Σ weight`, over the factors measured. */
function score(factors: ScoreFactor[]): number {
  const total = factors.reduce((n, f) => n + f.weight, 0)
  return total ? Math.round((100 * factors.reduce((n, f) => n + f.contribution, 0)) / total) : 0
}

function itemFilesOf(items: Item[]): Set<string> {
  return new Set(items.filter((i) => i.kind !== 'capability' && i.kind !== 'service').map((i) => i.source.file))
}

function pct(ratio: number): string {
  return `${Math.round(ratio * 1000) / 10}%`
}

function round(n: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(n * f) / f
}
