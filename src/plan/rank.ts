/**
 * `parity plan`: every service (in a tree of several services) or component not fully ported, with a
 * priority (traffic, else what the code shows: dependents, endpoints, tables, capabilities; and the
 * share missing) and a risk (size, real-time, risky capabilities, low coverage), each score shown with
 * the factors behind it, an effort estimate from a stated formula, and a target among the candidates'
 * languages from the rule set. Every candidate gets what is left to port into it; packages without
 * routes (UIs, libraries) get their own recommendation. Pure over the RunResult, except for reading
 * `sourceRoot`.
 */
import { capabilityCatalog } from '../capabilities/catalog.js'
import { builtinExtractors } from '../extractors/registry.js'
import { pushTo } from '../model/collections.js'
import { ParityError } from '../model/errors.js'
import { isEndpoint, isMcp, type CapabilityItem, type EndpointItem, type Item, type PackageNote } from '../model/inventory.js'
import { bestRoute, requestPath, routeTemplate, templateMatches, type RouteTemplate } from '../model/route-match.js'
import type { CandidateCell, Pair, RunResult, ServicePort } from '../model/run.js'
import { languageName, plural } from '../model/words.js'
import { defaultLanguageRules, suggestLanguage, type LanguageRule, type RuleFacts } from './rules.js'
import { readComponentSources, type ComponentSources } from './sources.js'
import type { CandidateProgress, LanguageSuggestion, Level, Plan, PlanCandidate, PlanEntry, PlanPackage, ScoreFactor } from '../model/plan.js'
import { DEFAULT_WEIGHTS, EFFORT, effortFormula, levelOf, REALTIME_CATEGORIES, RISKY_CATEGORIES, SATURATION } from './weights.js'

export type TargetLanguage = Exclude<LanguageSuggestion['language'], 'keep'>

export interface PlanOptions {
  /** Overrides of the default weights, by factor name. */
  weights?: Record<string, number>
  /** Language rules (default: src/plan/language-rules.json). */
  rules?: LanguageRule[]
  /** The languages suggestions may name (default: the languages the candidates are written in). */
  targets?: TargetLanguage[]
  /** Requests per route key, from the replay corpus. */
  traffic?: Map<string, number>
  /** Line coverage (0..1) of the baseline's files, by path relative to `sourceRoot`. */
  coverageByFile?: Map<string, number>
  /** The baseline's source folder: lines, imports, calls and fan-in are read from it. */
  sourceRoot?: string
}

const LEVEL_RANK: Record<Level, number> = { high: 2, medium: 1, low: 0 }
const PRESENT = new Set(['ported', 'verified', 'divergent'])
const RULE_LANGUAGES: TargetLanguage[] = ['go', 'rust', 'typescript', 'python']

/** A row of the plan before it is scored: a service of a tree of several, or a component. */
interface Unit {
  name: string
  service?: string
  items: Item[]
  /** Per candidate: ported, missing and total (endpoints for a service, items for a component), and the keys missing. */
  progress: Record<string, CandidateProgress & { missingKeys: string[]; missingEndpoints?: number }>
  /** A service's port under way: the candidate and its port's name and language. */
  started?: { candidate: string; port: ServicePort }
}

export function planMigration(run: RunResult, options: PlanOptions = {}): Plan {
  const weights = mergeWeights(options.weights)
  const rules = options.rules ?? defaultLanguageRules()
  const candidateNames = run.systems.filter((s) => s.role === 'candidate').map((s) => s.name)
  if (!candidateNames.length) candidateNames.push(...Object.keys(run.candidates))
  const languageOf = candidateLanguages(run, candidateNames)
  const targets = targetLanguages(options.targets, candidateNames, languageOf)
  const allowed = (language: string) => targets.languages.includes(language)
  const baseline = run.pairs.filter((p): p is Pair & { baseline: Item } => p.baseline !== null)
  const cellOf = (p: Pair, candidate: string): CandidateCell | undefined =>
    p.matrix ? p.matrix[candidate] : candidate === p.candidateSystem ? { status: p.status, candidate: p.candidate } : undefined

  // Rows: services when the baseline has several (a service is ported once, into one language), else components.
  const byService = (run.services?.total ?? 0) > 1
  const unitOf = (item: Item): string | undefined => (byService ? (item.kind === 'service' ? item.name : item.service) : item.component)
  const itemsOf = new Map<string, Item[]>()
  const itemFiles = new Map<string, Map<string, number>>()
  for (const { baseline: item } of baseline) {
    const unit = unitOf(item)
    if (unit === undefined) continue
    pushTo(itemsOf, unit, item)
    if (item.kind === 'capability' || item.kind === 'service') continue
    const counts = itemFiles.get(item.source.file) ?? new Map<string, number>()
    counts.set(unit, (counts.get(unit) ?? 0) + 1)
    itemFiles.set(item.source.file, counts)
  }
  const units: Unit[] = byService ? serviceUnits(run, baseline, cellOf, candidateNames) : componentUnits(run, candidateNames)
  const packages = run.systems.find((s) => s.role === 'baseline')?.packages ?? []
  const roots = [
    ...(byService ? baseline.flatMap(({ baseline: i }) => (i.kind === 'service' ? [{ root: i.root, owner: i.name }] : [])) : []),
    ...packages.map((p) => ({ root: p.root, owner: p.name })),
  ]
  const sources = options.sourceRoot ? readComponentSources(options.sourceRoot, itemFiles, roots) : undefined
  const ownerOf = new Map<string, string>()
  if (sources) for (const [comp, s] of sources) for (const f of s.files) ownerOf.set(f, comp)
  else for (const [file, counts] of itemFiles) ownerOf.set(file, [...counts].sort((a, b) => b[1] - a[1])[0]![0])

  // Capabilities by the unit whose files confirm them.
  // A capability confirmed by endpoints (WebSocket, SSE) belongs to the units serving them, not
  // to the file that wires the library into the app.
  const endpointUnits = new Map<string, Set<string>>()
  for (const { baseline: item } of baseline) {
    const unit = unitOf(item)
    if (isEndpoint(item) && unit !== undefined) endpointUnits.set(item.kind, (endpointUnits.get(item.kind) ?? new Set()).add(unit))
  }
  const capsOf = new Map<string, CapabilityItem[]>()
  for (const { baseline: item } of baseline) {
    if (item.kind !== 'capability') continue
    const kinds = capabilityCatalog.find((c) => c.id === item.name)?.endpoints ?? []
    const served = kinds.flatMap((k) => [...(endpointUnits.get(k) ?? [])])
    const own = unitOf(item)
    const comps = new Set([
      ...(own !== undefined ? [own] : []),
      ...(served.length ? served : [item.source, ...item.evidence].map((at) => ownerOf.get(at.file)).filter((c): c is string => !!c)),
    ])
    for (const comp of comps) pushTo(capsOf, comp, item)
  }

  // Who calls whose routes: a call from one unit's (or package's) files to another unit's route.
  const callers = new Map<string, Map<string, Set<string>>>()
  const callsOf = new Map<string, Set<string>>()
  if (sources) {
    const templates = baseline.flatMap(({ baseline: i }) => {
      const unit = unitOf(i)
      return isEndpoint(i) && i.unresolved === undefined && unit !== undefined ? [{ ...routeTemplate(i), unit, item: i }] : []
    })
    // The scan's endpoints are declared where they stand: `router.get('/files', list)` is no call.
    const declared = new Set(baseline.flatMap(({ baseline: i }) => (isEndpoint(i) ? [`${i.source.file}:${i.source.line}`] : [])))
    for (const [from, src] of sources) {
      for (const call of src.calls) {
        if (declared.has(`${call.file}:${call.line}`)) continue
        const hit = routeOfCall(templates, call.method, call.path)
        if (!hit || hit.unit === from) continue
        const byCaller = callers.get(hit.unit) ?? new Map<string, Set<string>>()
        byCaller.set(from, (byCaller.get(from) ?? new Set()).add(`${hit.item.method} ${hit.item.path}`))
        callers.set(hit.unit, byCaller)
        callsOf.set(from, (callsOf.get(from) ?? new Set()).add(hit.unit))
      }
    }
  }
  const totalTraffic = options.traffic ? [...options.traffic.values()].reduce((a, b) => a + b, 0) : 0
  const fromTraffic = !!options.traffic && totalTraffic > 0

  const entries: PlanEntry[] = []
  for (const unit of units) {
    const items = (itemsOf.get(unit.name) ?? unit.items).filter((i) => i.kind !== 'column')
    const src = sources?.get(unit.name)
    const endpoints = items.filter((i) => isEndpoint(i) || isMcp(i))
    const tables = items.filter((i) => i.kind === 'table').length
    const serviceLines = items.reduce((n, i) => n + (i.kind === 'service' ? i.lines : 0), 0)
    const caps = capsOf.get(unit.name) ?? []
    const categoryOf = (c: CapabilityItem) => c.category ?? capabilityCatalog.find((e) => e.id === c.name)?.category
    const realtimeVia = [
      ...new Set([
        ...endpoints.filter((e) => e.kind === 'websocket' || e.kind === 'sse').map((e) => (e.kind === 'websocket' ? 'WebSocket endpoints' : 'SSE endpoints')),
        ...caps.filter((c) => REALTIME_CATEGORIES.includes(categoryOf(c) ?? '')).map((c) => c.name),
      ]),
    ]
    const risky = caps.filter((c) => RISKY_CATEGORIES.includes(categoryOf(c) ?? ''))
    const realtimeEndpoints = endpoints.filter((e) => e.kind === 'websocket' || e.kind === 'sse').length
    const packageNames = new Set([...(src?.packages ?? []), ...caps.flatMap((c) => c.packages)])

    // The target first: the missing share and the figures shown are the target candidate's.
    const facts: RuleFacts = {
      capabilities: [
        ...caps.map((c) => ({ id: c.name, ...(categoryOf(c) ? { category: categoryOf(c)! } : {}) })),
        ...(realtimeEndpoints ? [{ id: endpoints.some((e) => e.kind === 'websocket') ? 'websocket' : 'sse', category: 'real-time' }] : []),
      ],
      packages: [...packageNames].sort(),
      frameworks: [...new Set(endpoints.map((e) => ('framework' in e ? e.framework : '')).filter(Boolean))],
    }
    const suggestion = unit.started ? startedSuggestion(unit.started) : chooseTarget(rules, facts, allowed, unit, candidateNames, languageOf, targets.languages)
    const target = suggestion.candidate ?? candidateNames[0] ?? ''
    const progress = unit.progress[target] ?? { ported: 0, missing: 0, total: 0, missingKeys: [] }
    const missingShare = progress.total ? progress.missing / progress.total : 0
    const what = byService ? 'endpoints' : 'items'

    const priority: ScoreFactor[] = []
    if (fromTraffic) {
      const hits = endpoints.reduce((n, e) => n + (options.traffic!.get(e.key) ?? 0), 0)
      const share = hits / totalTraffic
      priority.push(factor('traffic', share, weights, `${pct(share)} of the recorded traffic (${hits} of ${totalTraffic} requests)`))
    }
    if (sources) {
      const importers = [...(src?.importedBy ?? [])].sort()
      const calling = callers.get(unit.name) ?? new Map<string, Set<string>>()
      const dependents = new Set([...importers, ...calling.keys()])
      const called = [...calling].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([who, routes]) => `${who} calls ${[...routes].sort().join(', ')}`)
      const imported = importers.length ? `imported by ${plural(importers.length, 'other component')}: ${importers.join(', ')}` : ''
      const reason = !dependents.size
        ? 'no other component imports its files or calls its routes'
        : !called.length
          ? imported
          : `${plural(dependents.size, 'dependent')}: ${[...called, ...(imported ? [imported] : [])].join('; ')}`
      priority.push(factor('fanIn', dependents.size, weights, reason))
    }
    if (!fromTraffic) {
      priority.push(factor('surface', endpoints.length, weights, `${plural(endpoints.length, 'endpoint')}`))
      priority.push(factor('data', tables, weights, tables ? `${plural(tables, 'database table')}` : 'no database table'))
      priority.push(
        factor('uses', caps.length, weights, caps.length ? `uses ${caps.map((c) => c.name).join(', ')}` : 'no capability (queue, cache, SDK...) detected'),
      )
    }
    priority.push(
      factor(
        'missing',
        missingShare,
        weights,
        unit.started || !byService
          ? `${progress.missing} of ${progress.total} ${what} still missing in ${target}`
          : `${progress.missing} of ${progress.total} ${what}: no port yet`,
      ),
    )

    const risk: ScoreFactor[] = []
    const lines = (src?.lines ?? 0) + serviceLines
    if (sources)
      risk.push(factor('lines', lines, weights, `${plural(lines, 'line')} in ${plural(src?.files.size ?? 0, 'file')}${serviceLines ? ' and its service' : ''}`))
    else risk.push(factor('items', items.length, weights, `${items.length} items (sources not read: size counted in items)`))
    risk.push(
      factor(
        'routes',
        endpoints.length,
        weights,
        `${plural(endpoints.length, 'endpoint')}${realtimeEndpoints ? `, ${realtimeEndpoints} of them WebSocket or SSE` : ''}`,
      ),
    )
    risk.push(factor('tables', tables, weights, tables ? `${plural(tables, 'database table')}` : 'no database table'))
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
    entries.push({
      rank: 0,
      component: unit.name,
      ...(unit.service ? { service: unit.service } : {}),
      ported: progress.ported,
      candidates: Object.fromEntries(candidateNames.map((c) => [c, figures(unit.progress[c])])),
      priority: levelOf(priorityScore),
      priorityScore,
      risk: levelOf(riskScore),
      riskScore,
      effortDays: Math.max(EFFORT.base, Math.round(effort * 2) / 2),
      effortFormula: effortFormula(fromLines),
      factors: [...priority, ...risk],
      missing: progress.missingKeys.slice(0, 10),
      suggestion,
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

  const endpointsMissing = (e: PlanEntry, candidate: string) =>
    byService ? (e.candidates?.[candidate]?.missing ?? 0) : (units.find((u) => u.name === e.component)?.progress[candidate]?.missingEndpoints ?? 0)
  const perCandidate: PlanCandidate[] = candidateNames.map((name) => {
    const next = entries.filter((e) => (byService ? e.suggestion?.candidate === name : (e.candidates?.[name]?.ported ?? 0) < 100))
    const language = languageOf.get(name)
    const ports = byService ? (run.services?.rows ?? []).map((r) => r.candidates[name]?.status) : []
    return {
      name,
      ...(language ? { language } : {}),
      ...(byService ? { migrated: ports.filter((s) => s === 'migrated').length, partly: ports.filter((s) => s === 'partly').length } : {}),
      next: next.map((e) => e.component),
      endpointsLeft: next.reduce((n, e) => n + endpointsMissing(e, name), 0),
    }
  })

  const plan: Plan = {
    entries,
    weights,
    targets,
    priorityFrom: fromTraffic ? 'traffic' : 'code',
    candidates: perCandidate,
  }
  if (packages.length) plan.packages = packages.map((p) => packagePlan(p, rules, allowed, sources?.get(p.name), callsOf.get(p.name), entries, run))
  return plan
}

function figures(p: (CandidateProgress & { missingKeys?: string[] }) | undefined): CandidateProgress {
  return p ? { ported: p.ported, missing: p.missing, total: p.total, ...(p.port ? { port: p.port } : {}) } : { ported: 0, missing: 0, total: 0 }
}

/** Services of the baseline not migrated in any candidate, with their endpoints' figures per candidate (the service table's). */
function serviceUnits(
  run: RunResult,
  baseline: Array<Pair & { baseline: Item }>,
  cellOf: (p: Pair, candidate: string) => CandidateCell | undefined,
  candidates: string[],
): Unit[] {
  const endpointsOf = new Map<string, Array<Pair & { baseline: EndpointItem }>>()
  for (const p of baseline)
    if (isEndpoint(p.baseline) && p.baseline.service && p.status !== 'excluded') pushTo(endpointsOf, p.baseline.service, p as Pair & { baseline: EndpointItem })
  const units: Unit[] = []
  for (const row of run.services?.rows ?? []) {
    const ports = Object.entries(row.candidates)
    if (ports.some(([, port]) => port.status === 'migrated')) continue
    const endpoints = endpointsOf.get(row.service) ?? []
    const progress: Unit['progress'] = {}
    for (const c of candidates) {
      const port = row.candidates[c]
      const missingKeys = endpoints.filter((p) => !port || port.status === 'not-started' || !PRESENT.has(cellOf(p, c)?.status ?? '')).map((p) => p.key)
      progress[c] = {
        ported: port?.percent ?? 0,
        missing: missingKeys.length,
        total: endpoints.length,
        missingKeys,
        ...(port?.service && port.status !== 'not-started' ? { port: port.service } : {}),
      }
    }
    const partly = ports.filter(([, port]) => port.status === 'partly').sort((a, b) => b[1].percent - a[1].percent)[0]
    units.push({ name: row.service, service: row.service, items: [], progress, ...(partly ? { started: { candidate: partly[0], port: partly[1] } } : {}) })
  }
  return units
}

/** Components not fully ported in at least one candidate, with each candidate's figures. */
function componentUnits(run: RunResult, candidates: string[]): Unit[] {
  const units: Unit[] = []
  for (const comp of run.components) {
    const progress: Unit['progress'] = {}
    let left = false
    for (const c of candidates) {
      const s = comp.candidates[c]
      if (!s || s.total === 0) continue
      if (s.percent < 100) left = true
      const missingEndpoints = (['route', 'websocket', 'sse'] as const).reduce((n, k) => n + (s.byKind[k]?.missing ?? 0), 0)
      progress[c] = { ported: s.percent, missing: s.missing, total: s.total, missingKeys: s.missingKeys, missingEndpoints }
    }
    if (left) units.push({ name: comp.name, items: [], progress })
  }
  return units
}

/** A port under way is finished where it started. */
function startedSuggestion(started: NonNullable<Unit['started']>): LanguageSuggestion {
  const { port, candidate } = started
  const language = (port.language === 'javascript' ? 'typescript' : (port.language ?? 'typescript')) as TargetLanguage
  return {
    language,
    rule: `started: ${port.service}`,
    reason: `Its port ${port.service} (${languageName(language)}) has ${port.ported} of its ${port.of} endpoints: finish it there.`,
    candidate,
  }
}

/**
 * The first rule that names a target language (or `keep`); when none does, the candidate that has
 * ported most of it, else the first target. The candidate receiving it is the one in that language
 * that has most of it.
 */
function chooseTarget(
  rules: readonly LanguageRule[],
  facts: RuleFacts,
  allowed: (language: string) => boolean,
  unit: Unit,
  candidates: string[],
  languageOf: Map<string, string>,
  targets: string[],
): LanguageSuggestion {
  const inLanguage = (language: string) =>
    candidates
      .filter((c) => languageOf.get(c) === language)
      .sort((a, b) => (unit.progress[b]?.ported ?? 0) - (unit.progress[a]?.ported ?? 0) || candidates.indexOf(a) - candidates.indexOf(b))[0]
  const chosen = suggestLanguage(rules, facts, allowed)
  if (chosen) {
    const candidate = chosen.language === 'keep' ? undefined : inLanguage(chosen.language)
    return { ...chosen, ...(candidate ? { candidate } : {}) }
  }
  const passed = suggestLanguage(rules, facts)
  const passedOver = passed ? [`${passed.rule.split(':')[0]} (${passed.language})`] : []
  const furthest = candidates
    .filter((c) => (unit.progress[c]?.ported ?? 0) > 0 && languageOf.has(c))
    .sort((a, b) => unit.progress[b]!.ported - unit.progress[a]!.ported)[0]
  if (furthest) {
    const language = languageOf.get(furthest)! as TargetLanguage
    return {
      language,
      rule: `furthest: ${furthest}`,
      reason: `No rule names one of the target languages for it; ${furthest} (${languageName(language)}) has ported most of it (${unit.progress[furthest]!.ported}%).`,
      candidate: furthest,
      ...(passedOver.length ? { passedOver } : {}),
    }
  }
  const language = (targets[0] ?? 'typescript') as TargetLanguage
  const candidate = inLanguage(language)
  return {
    language,
    rule: 'first-target',
    reason: `No rule names one of the target languages for it: ${languageName(language)}, the first target.`,
    ...(candidate ? { candidate } : {}),
    ...(passedOver.length ? { passedOver } : {}),
  }
}

/** A package without routes: a UI by the rules (kept in TypeScript), a library alongside the services that use it. */
function packagePlan(
  note: PackageNote,
  rules: readonly LanguageRule[],
  allowed: (language: string) => boolean,
  src: ComponentSources | undefined,
  calls: Set<string> | undefined,
  entries: PlanEntry[],
  run: RunResult,
): PlanPackage {
  const facts: RuleFacts = { capabilities: [], packages: [...new Set([...note.frameworks, ...(src?.packages ?? [])])].sort(), frameworks: [] }
  const base = {
    name: note.name,
    root: note.root,
    kind: note.kind,
    language: note.language,
    lines: src?.lines ?? note.lines,
    usedBy: note.usedBy,
    calls: [...(calls ?? [])].sort(),
  }
  const byRules = suggestLanguage(rules, facts, allowed)
  if (byRules?.language === 'keep' || note.kind === 'ui') {
    return {
      ...base,
      suggestion:
        byRules?.language === 'keep'
          ? byRules
          : {
              language: 'keep',
              rule: `ui: ${note.frameworks.join(', ')}`,
              reason: 'It renders UI in the browser: keep it in TypeScript; it has no server to port.',
            },
    }
  }
  // A library goes where the services that use it go.
  const users = note.usedBy
  const languages = new Map<string, number>()
  for (const user of users) {
    const entry = entries.find((e) => e.component === user)
    const port = run.services?.rows.find((r) => r.service === user)
    const language = entry?.suggestion?.language ?? Object.values(port?.candidates ?? {}).find((c) => c.status !== 'not-started')?.language
    if (language && language !== 'keep') languages.set(language, (languages.get(language) ?? 0) + 1)
  }
  const language = [...languages].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] as TargetLanguage | undefined
  if (!users.length || !language)
    return {
      ...base,
      suggestion: {
        language: 'keep',
        rule: users.length ? `library: ${users.join(', ')}` : 'unused-library',
        reason: users.length
          ? 'Its users stay in TypeScript for now: keep it with them.'
          : 'No service of the tree declares it as a dependency: nothing to port it for yet.',
      },
    }
  return {
    ...base,
    suggestion: {
      language,
      rule: `library: ${users.join(', ')}`,
      reason: `A library its services use: port it alongside them, into ${languageName(language)} like most of them.`,
    },
  }
}

/** The route a call reaches: by its method when the call says it, else by its path alone. */
function routeOfCall<T extends RouteTemplate>(templates: readonly T[], method: string | undefined, path: string): T | undefined {
  if (method) return bestRoute(templates, method, path)
  const segs = requestPath(path).split('/')
  let best: T | undefined
  for (const t of templates) if (templateMatches(t, t.method, segs) && (!best || t.literals > best.literals)) best = t
  return best
}

/** The language of each candidate: of its services (the most), else of its frameworks' extractors. */
export function candidateLanguages(run: RunResult, candidates: readonly string[]): Map<string, string> {
  const counts = new Map<string, Map<string, number>>()
  const add = (system: string, item: Item | null | undefined) => {
    if (item?.kind !== 'service') return
    const language = item.language === 'javascript' ? 'typescript' : item.language
    const m = counts.get(system) ?? new Map<string, number>()
    counts.set(system, m.set(language, (m.get(language) ?? 0) + 1))
  }
  for (const p of run.pairs) {
    if (p.matrix) for (const [name, cell] of Object.entries(p.matrix)) add(name, cell.candidate)
    else add(p.candidateSystem, p.candidate)
  }
  const out = new Map<string, string>()
  for (const name of candidates) {
    const byServices = [...(counts.get(name) ?? [])].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0]
    const frameworks = run.systems.find((s) => s.name === name)?.frameworks ?? []
    const families = new Set(frameworks.map((f) => builtinExtractors.find((x) => x.id === f)?.family).filter((f) => f !== undefined))
    const byFrameworks = families.size === 1 ? [...families][0] : undefined
    const language = byServices ?? (byFrameworks === 'js' ? 'typescript' : byFrameworks)
    if (language) out.set(name, language)
  }
  return out
}

function targetLanguages(given: TargetLanguage[] | undefined, candidates: string[], languageOf: Map<string, string>): NonNullable<Plan['targets']> {
  if (given?.length) return { languages: [...new Set(given)], from: 'config' }
  const languages = [...new Set(candidates.map((c) => languageOf.get(c)).filter((l): l is string => !!l && (RULE_LANGUAGES as string[]).includes(l)))]
  return languages.length ? { languages, from: 'candidates' } : { languages: [...RULE_LANGUAGES], from: 'rules' }
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
