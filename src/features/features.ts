/**
 * Feature checklists from the pairs: each configured feature's items are matched against the
 * baseline's items with the `exclude` rules' key patterns, and its status per candidate follows from
 * the statuses of what it matched. `proposeFeatures` groups what it sees into features for a person
 * to accept.
 */
import { plural } from '../model/words.js'
import { stringify } from 'yaml'
import type { ResolvedConfig } from '../config/load.js'
import type { FeatureConfig } from '../config/schema.js'
import { compileExclude } from '../match/rules.js'
import { isEndpoint, isMcp, isResolvedEndpoint, type CapabilityItem, type Diagnostic, type EndpointItem, type Item } from '../model/inventory.js'
import { componentOf } from '../model/path.js'
import type { Pair, PairStatus, RunResult } from '../model/run.js'
import type { FeatureCandidate, FeatureResult, FeatureStatus } from '../model/features.js'

/** A feature item as written in the config, in the key form the matcher reads. */
export function featurePattern(item: FeatureConfig['items'][number]): string {
  if (typeof item !== 'string') return 'capability' in item ? `capability ${item.capability}` : `table ${item.table}`
  const m = /^(capability|table)\s*:\s*(.+)$/i.exec(item.trim())
  return m ? `${m[1]!.toLowerCase()} ${m[2]!.trim()}` : item.trim()
}

/** The candidates' names, in the order of the config. */
function candidateNames(run: RunResult): string[] {
  return run.systems.filter((s) => s.role === 'candidate').map((s) => s.name)
}

/** A baseline pair's status in one candidate. */
export function statusIn(pair: Pair, candidate: string): PairStatus {
  const cell = pair.matrix?.[candidate]
  if (cell) return cell.status
  return pair.candidateSystem === candidate ? pair.status : 'missing'
}

/** Items dynamic evidence can reach: only these can be `verified`. */
function evidenced(item: Item): boolean {
  return isEndpoint(item) || isMcp(item)
}

/** The status of a set of baseline pairs in one candidate. */
export function featureStatus(pairs: Pair[], candidate: string): FeatureCandidate {
  const counted = pairs.filter((p) => statusIn(p, candidate) !== 'excluded')
  const statuses = counted.map((p) => ({ p, s: statusIn(p, candidate) }))
  const present = statuses.filter(({ s }) => s === 'ported' || s === 'verified' || s === 'divergent')
  const verified = statuses.filter(({ s }) => s === 'verified').length
  const missing = statuses.filter(({ s }) => s === 'missing').map(({ p }) => p.key)
  const divergent = statuses.filter(({ s }) => s === 'divergent').map(({ p }) => p.key)
  const total = counted.length
  const allEvidenced = statuses.filter(({ p }) => evidenced(p.baseline!))
  let status: FeatureStatus
  if (!total || !present.length) status = 'missing'
  else if (present.length < total) status = 'partial'
  else if (allEvidenced.length && allEvidenced.every(({ s }) => s === 'verified')) status = 'verified'
  else status = 'complete'
  return { status, present: present.length, total, verified, missing, divergent }
}

/** The component most of the pairs belong to. */
function mainComponent(pairs: Pair[]): string | undefined {
  const counts = new Map<string, number>()
  for (const p of pairs) counts.set(p.component, (counts.get(p.component) ?? 0) + 1)
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0]
}

/** A feature's result from the pairs each of its patterns matched. */
function featureResult(run: RunResult, name: string, patterns: Array<{ pattern: string; pairs: Pair[] }>, component?: string): FeatureResult {
  const seen = new Set<string>()
  const pairs: Pair[] = []
  for (const { pairs: ps } of patterns) for (const p of ps) if (!seen.has(p.key)) seen.add(p.key) && pairs.push(p)
  const c = component ?? mainComponent(pairs)
  return {
    name,
    ...(c ? { component: c } : {}),
    items: patterns.map(({ pattern, pairs: ps }) => ({ pattern, keys: ps.map((p) => p.key) })),
    excluded: pairs.filter((p) => p.status === 'excluded').map((p) => p.key),
    candidates: Object.fromEntries(candidateNames(run).map((cand) => [cand, featureStatus(pairs, cand)])),
  }
}

/** The configured features' statuses; a pattern that matches no baseline item is a warning naming it. */
export function evaluateFeatures(run: RunResult, features: FeatureConfig[]): { features: FeatureResult[]; diagnostics: Diagnostic[] } {
  const baseline = run.pairs.filter((p) => p.baseline)
  const diagnostics: Diagnostic[] = []
  const results = features.map((f) => {
    const patterns = f.items.map((written) => {
      const pattern = featurePattern(written)
      const rule = compileExclude({ match: pattern, reason: `feature ${f.name}` })
      const pairs = baseline.filter((p) => rule.test(p.baseline!))
      if (!pairs.length) diagnostics.push({ level: 'warn', code: 'FEATURE_UNMATCHED', message: `feature ${f.name}: \`${pattern}\` matches no baseline item` })
      return { pattern, pairs }
    })
    return featureResult(run, f.name, patterns, f.component)
  })
  return { features: results, diagnostics }
}

/** `METHOD /path/{param}` as a person writes it (the matcher blanks parameter names). */
function written(item: EndpointItem): string {
  return `${item.method} ${item.path}`
}

/** The literal prefix up to the segment that names a route's component: `/api/auth/login` -> `/api/auth`. */
function routePrefix(path: string): string {
  const name = componentOf(path)
  const segments = path.split('/')
  const at = segments.findIndex((s) => s.toLowerCase() === name)
  return at === -1 ? '/' : segments.slice(0, at + 1).join('/')
}

/** How close (in lines) a route must be to a capability's call site to be one of its routes. */
const CALL_SITE_LINES = 10

/**
 * Features proposed from the baseline: routes that share a path prefix and a handler file, and each
 * capability with the routes declared at its call sites. Marked `proposed`, with a reason.
 */
export function proposeFeatures(run: RunResult): FeatureResult[] {
  const pairs = run.pairs.filter((p) => p.baseline && p.status !== 'excluded')
  const endpoints = pairs.filter((p) => isResolvedEndpoint(p.baseline!))
  const groups = new Map<string, { prefix: string; file: string; pairs: Pair[] }>()
  for (const p of endpoints) {
    const item = p.baseline as EndpointItem
    const prefix = routePrefix(item.path)
    const id = `${prefix}\u0000${item.source.file}`
    const g = groups.get(id) ?? { prefix, file: item.source.file, pairs: [] }
    g.pairs.push(p)
    groups.set(id, g)
  }
  const byPrefix = new Map<string, number>()
  for (const g of groups.values()) byPrefix.set(g.prefix, (byPrefix.get(g.prefix) ?? 0) + 1)
  const proposals: FeatureResult[] = []
  for (const g of [...groups.values()].sort((a, b) => a.prefix.localeCompare(b.prefix) || a.file.localeCompare(b.file))) {
    if (g.pairs.length < 2) continue
    const base = componentOf(g.prefix)
    const name = byPrefix.get(g.prefix)! > 1 ? `${base}-${g.file.replace(/^.*\//, '').replace(/\.[^.]*$/, '')}` : base
    const patterns = g.pairs.map((p) => ({ pattern: written(p.baseline as EndpointItem), pairs: [p] }))
    proposals.push({ ...featureResult(run, name, patterns), proposed: true, reason: `${g.pairs.length} routes under ${g.prefix} in ${g.file}` })
  }
  for (const p of pairs.filter((p) => p.kind === 'capability')) {
    const cap = p.baseline as CapabilityItem
    const sites = endpoints.filter((e) =>
      cap.evidence.some((ev) => ev.file === e.baseline!.source.file && Math.abs(ev.line - e.baseline!.source.line) <= CALL_SITE_LINES),
    )
    const patterns = [{ pattern: p.key, pairs: [p] }, ...sites.map((e) => ({ pattern: written(e.baseline as EndpointItem), pairs: [e] }))]
    const where = cap.evidence
      .slice(0, 3)
      .map((e) => `${e.file}:${e.line}`)
      .join(', ')
    proposals.push({
      ...featureResult(run, cap.name, patterns),
      proposed: true,
      reason: `capability ${cap.label}${sites.length ? ` with ${plural(sites.length, 'route')} at its call sites` : ''} (${where})`,
    })
  }
  return proposals
}

/** Proposed features as a `features:` block ready to paste into a YAML config. */
export function featuresYaml(features: FeatureResult[]): string {
  return stringify({
    features: features.map((f) => ({ name: f.name, ...(f.component ? { component: f.component } : {}), items: f.items.map((i) => i.pattern) })),
  })
}

/**
 * The features stage: `parity features`, and `parity run` after the dynamic stages (so that
 * `verified` counts). Proposals are made when asked, or when the config declares no feature.
 */
export function runFeatureStage(run: RunResult, config: Pick<ResolvedConfig, 'features'>, options: { propose?: boolean } = {}): RunResult {
  const { features, diagnostics } = evaluateFeatures(run, config.features ?? [])
  return {
    ...run,
    diagnostics: [...run.diagnostics, ...diagnostics],
    ...(features.length ? { features } : {}),
    ...(options.propose || !features.length ? { featureProposals: proposeFeatures(run) } : {}),
  }
}
