/**
 * Findings, gates and the verdict: what `parity run` decides from a RunResult and the previous run.
 * Findings carry stable fingerprints (type + kind + key + candidate), so that an accepted
 * difference survives unrelated edits; gates are written as `metric op number` or `noRegression`.
 */
import { plural } from '../model/words.js'
import { createHash } from 'node:crypto'
import { ParityError } from '../model/errors.js'
import { unanswered } from '../bench/stats.js'
import type { BenchComparison, BenchEntry } from '../model/bench.js'
import { mcpTimed } from '../model/mcp.js'
import type { Assessment, Finding, GateResult, Pair, PairStatus, RunResult } from '../model/run.js'

export interface AcceptedDifference {
  fingerprint: string
  reason: string
}

const COVERAGE = ['ported', 'verified', 'missing', 'divergent', 'extra', 'missingCapabilities', 'missingTables', 'e2ePassRate', 'unresolved'] as const
/** From the bench, of each candidate: absolute (`p95 < 100ms`) or relative to the baseline (`p95 <= 0.5x`). */
const BENCH = ['p50', 'p90', 'p95', 'p99', 'rps', 'startup', 'rss', 'cpu'] as const
/** MCP: breaking changes and missing tools in the checklist; p95 per tool (worst) and startup (median) of the candidates' MCP bench. */
const MCP = ['mcpBreaking', 'mcpMissing', 'mcpP95', 'mcpStartup'] as const
/** The scorecard, of each candidate: ratios, counts, or bytes (absolute, or `bundleGzip <= 0.7x` against the baseline's). */
const SCORE = [
  'testCoverage',
  'typeCoverage',
  'apiDocumented',
  'criticalVulnerabilities',
  'highVulnerabilities',
  'vulnerabilities',
  'bundleRaw',
  'bundleGzip',
] as const
const METRICS = [...COVERAGE, ...BENCH, ...MCP, ...SCORE] as const
type Metric = (typeof METRICS)[number]
type BenchMetric = (typeof BENCH)[number]
const isBench = (m: string): m is BenchMetric => (BENCH as readonly string[]).includes(m)
type McpMetric = (typeof MCP)[number]
const isMcpMetric = (m: string): m is McpMetric => (MCP as readonly string[]).includes(m)
const MCP_TIMED = new Set<string>(['mcpP95', 'mcpStartup'])
type ScoreMetric = (typeof SCORE)[number]
const isScoreMetric = (m: string): m is ScoreMetric => (SCORE as readonly string[]).includes(m)
const SCORE_BYTES = new Set<string>(['bundleRaw', 'bundleGzip'])
const BYTE_UNITS: Record<string, number> = { '': 1, b: 1, kb: 1024, kib: 1024, mb: 1024 ** 2, mib: 1024 ** 2 }
/** The unit a bench metric is compared in, and the units it may be written in (factor to that unit). */
const UNITS: Record<BenchMetric, { unit: string; accept: Record<string, number> }> = {
  p50: { unit: 'ms', accept: { ms: 1, s: 1000, '': 1 } },
  p90: { unit: 'ms', accept: { ms: 1, s: 1000, '': 1 } },
  p95: { unit: 'ms', accept: { ms: 1, s: 1000, '': 1 } },
  p99: { unit: 'ms', accept: { ms: 1, s: 1000, '': 1 } },
  startup: { unit: 'ms', accept: { ms: 1, s: 1000, '': 1 } },
  rps: { unit: 'req/s', accept: { '': 1 } },
  rss: { unit: 'MiB', accept: { mb: 1, mib: 1, gb: 1024, gib: 1024, kb: 1 / 1024, kib: 1 / 1024, '': 1 } },
  cpu: { unit: '% of a core', accept: { '%': 1, '': 1 } },
}
const RATIOS = new Set<Metric>(['ported', 'verified', 'e2ePassRate', 'testCoverage', 'typeCoverage', 'apiDocumented'])
/** The finding type a counting gate counts. */
const FINDING_OF = { missing: 'missing', divergent: 'divergent', missingCapabilities: 'missing-capability', missingTables: 'missing-table' } as const

const OPS = ['>=', '<=', '==', '!=', '>', '<'] as const
type Op = (typeof OPS)[number]

export interface ParsedGate {
  text: string
  metric: Metric | 'noRegression'
  op?: Op
  value?: number
  /** A bench gate written with `x`: candidate / baseline. */
  relative?: boolean
}

/** Whether a gate is measured by the bench (`p95 < 100ms`, `rps >= 1.5x`); false for one that does not parse. */
export function isBenchGate(text: string): boolean {
  try {
    return isBench(parseGate(text).metric)
  } catch {
    return false
  }
}

/** `ported >= 0.9`, `ported >= 90%`, `missingTables == 0`, `noRegression`; a bad gate is a usage error. */
export function parseGate(text: string): ParsedGate {
  const t = text.trim()
  if (t === 'noRegression') return { text: t, metric: 'noRegression' }
  const m = /^([A-Za-z][A-Za-z0-9]*)\s*(>=|<=|==|!=|>|<)\s*(\d+(?:\.\d+)?)\s*([A-Za-z%]*)$/.exec(t)
  if (!m || !(METRICS as readonly string[]).includes(m[1]!)) {
    throw new ParityError(
      'BAD_GATE',
      `gate \`${text}\` is not understood`,
      `write \`<metric> <op> <number>\` with a metric among ${COVERAGE.join(', ')} (ratios 0..1 or %), or ${BENCH.join(', ')} (\`p95 < 100ms\`, \`rss < 250mb\`, or \`p95 <= 0.5x\` against the baseline), ${MCP.join(', ')} (\`mcpBreaking == 0\`, \`mcpP95 < 100ms\`), ${SCORE.join(', ')} (\`testCoverage >= 90%\`, \`criticalVulnerabilities == 0\`, \`bundleGzip < 300kb\` or \`bundleGzip <= 0.7x\`), or \`noRegression\``,
    )
  }
  const metric = m[1] as Metric
  let value = Number(m[3])
  const unit = m[4]!.toLowerCase()
  if (isBench(metric)) {
    if (unit === 'x') return { text: t, metric, op: m[2] as Op, value, relative: true }
    const factor = UNITS[metric].accept[unit]
    if (factor === undefined) {
      const units = Object.keys(UNITS[metric].accept).filter(Boolean)
      throw new ParityError(
        'BAD_GATE',
        `gate \`${text}\`: ${metric} is not measured in \`${m[4]}\``,
        `write it in ${units.length ? units.join(' or ') : 'a plain number'}, or as a ratio to the baseline (\`${metric} ${m[2]} 0.5x\`)`,
      )
    }
    return { text: t, metric, op: m[2] as Op, value: value * factor }
  }
  if (MCP_TIMED.has(metric)) {
    const factor = ({ ms: 1, s: 1000, '': 1 } as Record<string, number>)[unit]
    if (factor === undefined)
      throw new ParityError('BAD_GATE', `gate \`${text}\`: ${metric} is not measured in \`${m[4]}\``, `write it in ms or s (\`${metric} ${m[2]} 100ms\`)`)
    return { text: t, metric, op: m[2] as Op, value: value * factor }
  }
  if (SCORE_BYTES.has(metric)) {
    if (unit === 'x') return { text: t, metric, op: m[2] as Op, value, relative: true }
    const factor = BYTE_UNITS[unit]
    if (factor === undefined)
      throw new ParityError(
        'BAD_GATE',
        `gate \`${text}\`: ${metric} is not measured in \`${m[4]}\``,
        `write it in bytes, kb or mb (\`${metric} < 300kb\`), or as a ratio to the baseline (\`${metric} <= 0.7x\`)`,
      )
    return { text: t, metric, op: m[2] as Op, value: value * factor }
  }
  if (unit && unit !== '%') {
    throw new ParityError(
      'BAD_GATE',
      `gate \`${text}\`: ${metric} takes no unit \`${m[4]}\``,
      RATIOS.has(metric) ? `write a ratio (${metric} ${m[2]} 0.9) or a percentage (90%)` : 'write a plain number',
    )
  }
  if (unit === '%') value /= 100
  if (RATIOS.has(metric) && value > 1) {
    throw new ParityError('BAD_GATE', `gate \`${text}\`: ${metric} is a ratio between 0 and 1`, `write ${metric} ${m[2]} ${value / 100} or ${value}%`)
  }
  return { text: t, metric, op: m[2] as Op, value }
}

/** Three significant figures: `588`, `12.4`, `0.58` (a hundredth of 588 ms says nothing). */
function sig(v: number): number {
  const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits
  return Math.abs(v) >= 100 ? Math.round(v) : Math.abs(v) >= 10 ? round(v, 1) : round(v, 2)
}

/** A gate's measured value in the gate's own terms: `0.43x`, `87.5%`, `120 ms`, `212 MiB`, `41,230 B`, `3`. */
export function formatGateValue(text: string, actual: number): string {
  let gate: ParsedGate
  try {
    gate = parseGate(text)
  } catch {
    return String(actual)
  }
  const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits
  const metric = gate.metric
  if (gate.relative) return `${round(actual, 2)}x`
  if (metric !== 'noRegression' && RATIOS.has(metric)) return `${round(actual * 100, 1)}%`
  if (isBench(metric)) return `${UNITS[metric].unit === 'ms' ? sig(actual) : round(actual, 2)} ${UNITS[metric].unit}`
  if (MCP_TIMED.has(metric)) return `${sig(actual)} ms`
  if (SCORE_BYTES.has(metric)) return `${Math.round(actual).toLocaleString('en-US')} B`
  return String(round(actual, 2))
}

/** Stable id of a finding: the same difference gets the same fingerprint on every run. */
export function fingerprint(type: Finding['type'], kind: string, key: string, candidate: string): string {
  return createHash('sha256').update(`${type}\u0000${kind}\u0000${key}\u0000${candidate}`).digest('hex').slice(0, 16)
}

const PASSING: ReadonlySet<PairStatus> = new Set(['ported', 'verified'])

/** The status of a baseline pair in each candidate. */
function statuses(pair: Pair): Array<[string, PairStatus]> {
  return pair.matrix ? Object.entries(pair.matrix).map(([c, cell]) => [c, cell.status]) : [[pair.candidateSystem, pair.status]]
}

export function findingsOf(run: RunResult, previous?: RunResult): Finding[] {
  const findings: Finding[] = []
  const before = new Map<string, PairStatus>()
  for (const p of previous?.pairs ?? []) if (p.baseline) for (const [c, s] of statuses(p)) before.set(`${p.key}\u0000${c}`, s)
  for (const pair of run.pairs) {
    if (!pair.baseline || pair.kind === 'column') continue
    const source = pair.baseline.source
    for (const [candidate, status] of statuses(pair)) {
      const add = (type: Finding['type'], message: string) =>
        findings.push({ fingerprint: fingerprint(type, pair.kind, pair.key, candidate), type, kind: pair.kind, key: pair.key, candidate, message, source })
      if (status === 'missing') {
        const type = pair.kind === 'capability' ? 'missing-capability' : pair.kind === 'table' ? 'missing-table' : 'missing'
        add(type, `${pair.key} is missing in ${candidate}${pair.impact ? `: ${pair.impact}` : ''}`)
      } else if (status === 'divergent') add('divergent', `${pair.key} behaves differently in ${candidate}`)
      const was = before.get(`${pair.key}\u0000${candidate}`)
      if (was && PASSING.has(was) && !PASSING.has(status) && status !== 'excluded') {
        add('regression', `${pair.key} was ${was} in ${candidate} in the previous run and is ${status} now`)
      }
    }
  }
  return findings
}

/** A named gate from the config's `objectives`. */
export interface Objective {
  name: string
  gate: string
  why?: string
}

/**
 * Evaluate the gates and the objectives (named gates, after them) on a run (and the previous one, for
 * `noRegression`), with the accepted-differences ledger. A failing objective fails like a gate.
 */
export function assess(run: RunResult, gates: string[], accepted: AcceptedDifference[] = [], previous?: RunResult, objectives: Objective[] = []): Assessment {
  const parsed = gates.map(parseGate)
  const named = objectives.map((o) => ({ objective: o, gate: parseGate(o.gate) }))
  const findings = findingsOf(run, previous)
  const ledger = new Map(accepted.map((a) => [a.fingerprint, a]))
  const used = new Set<string>()
  for (const f of findings) {
    const entry = ledger.get(f.fingerprint)
    if (entry) {
      f.accepted = { reason: entry.reason }
      used.add(f.fingerprint)
    }
  }
  const open = findings.filter((f) => !f.accepted)
  // Each result carries its value as shown (`0.43x`, `87.5%`, `588 ms`): readers print it, none parses the gate again.
  const shown = (g: GateResult): GateResult => (g.actual === null ? g : { ...g, display: formatGateValue(g.gate, g.actual) })
  const results: GateResult[] = [
    ...parsed.map((gate) => shown(evaluate(gate, run, open, previous))),
    ...named.map(({ objective, gate }) =>
      shown({ ...evaluate(gate, run, open, previous), objective: objective.name, ...(objective.why ? { why: objective.why } : {}) }),
    ),
  ]
  const label = (g: GateResult) => (g.objective ? `${g.objective}: ${g.gate}` : g.gate)
  const failed = results.filter((g) => !g.passed).map(label)
  const undecided = results.filter((g) => g.undecided).map(label)
  return {
    findings,
    gates: results,
    verdict: {
      productionReady: results.length > 0 && failed.length === 0,
      failed,
      ...(undecided.length ? { undecided } : {}),
      staleAcceptances: accepted.filter((a) => !used.has(a.fingerprint)).map((a) => a.fingerprint),
    },
  }
}

function evaluate(gate: ParsedGate, run: RunResult, open: Finding[], previous?: RunResult): GateResult {
  if (gate.metric === 'noRegression') {
    const regressions = open.filter((f) => f.type === 'regression')
    if (!previous) return { gate: gate.text, passed: true, actual: 0, message: 'no previous run to compare with', findings: [] }
    return {
      gate: gate.text,
      passed: regressions.length === 0,
      actual: regressions.length,
      message: regressions.length
        ? `${plural(regressions.length, 'item')} ported before are not now: ${regressions
            .slice(0, 3)
            .map((f) => f.key)
            .join(', ')}${regressions.length > 3 ? ', …' : ''}`
        : 'nothing that was ported went back',
      findings: regressions.map((f) => f.fingerprint),
    }
  }
  if (isMcpMetric(gate.metric)) return evaluateMcp(gate as ParsedGate & { metric: McpMetric }, run)
  if (isBench(gate.metric)) return evaluateBench(gate as ParsedGate & { metric: BenchMetric }, run)
  if (isScoreMetric(gate.metric)) return evaluateScore(gate as ParsedGate & { metric: ScoreMetric }, run)
  // Every candidate must pass: the worst one decides.
  const per = Object.entries(run.candidates).map(([name, s]) => {
    const count = (type: Finding['type']) => open.filter((f) => f.type === type && f.candidate === name)
    let actual: number | null = null
    let related: Finding[] = []
    switch (gate.metric) {
      case 'ported':
        actual = s.total ? (s.ported + s.verified + s.divergent) / s.total : 1
        break
      case 'verified':
        actual = s.verified + s.divergent === 0 ? null : s.verified / (s.total || 1)
        break
      case 'missing':
      case 'divergent':
      case 'missingCapabilities':
      case 'missingTables':
        related = count(FINDING_OF[gate.metric])
        actual = related.length
        break
      case 'extra':
        actual = s.extra
        break
      case 'unresolved': {
        // The endpoints whose path the scan could not resolve, in the two inventories this candidate's figures rest on.
        const of = (system: string) => run.systems.find((x) => x.name === system)?.unresolved ?? 0
        actual = of(run.systems.find((x) => x.role === 'baseline')?.name ?? '') + of(name)
        break
      }
      case 'e2ePassRate': {
        // The old suite's pass rate on the candidate (run against the first candidate).
        const tests = name === Object.keys(run.candidates)[0] ? (run.tests ?? []) : []
        const counted = tests.filter((t) => t.candidate !== 'skip')
        actual = counted.length ? counted.filter((t) => t.candidate === 'pass').length / counted.length : null
        break
      }
    }
    const measured = actual
    return { name, actual: measured, related, passed: measured !== null && compare(measured, gate.op!, gate.value!) }
  })
  const failing = per.filter((p) => !p.passed)
  const worst = failing[0] ?? per[0]
  const show = (v: number | null) => (v === null ? 'not measured' : RATIOS.has(gate.metric as Metric) ? `${Math.round(v * 1000) / 10}%` : String(v))
  const message = failing.length
    ? failing
        .map((p) => {
          if (p.actual !== null) return `${p.name}: ${show(p.actual)}`
          return `${p.name}: ${gate.metric === 'e2ePassRate' ? 'the end-to-end suite did not run against it' : 'no behavioural evidence yet (replay or e2e not run)'}`
        })
        .join('; ')
    : per.map((p) => `${p.name}: ${show(p.actual)}`).join('; ')
  return {
    gate: gate.text,
    passed: failing.length === 0 && per.length > 0,
    actual: worst?.actual ?? null,
    message,
    findings: failing.flatMap((p) => p.related.map((f) => f.fingerprint)),
  }
}

/** A bench gate: every candidate, in every scenario, must pass; the worst decides. */
function evaluateBench(gate: ParsedGate & { metric: BenchMetric }, run: RunResult): GateResult {
  const metric = gate.metric
  const per: Array<{ where: string; actual: number | null; entries?: BenchEntry[]; comparison?: BenchComparison }> = []
  // Memory and CPU are a server's whatever it serves: an MCP server's count like an HTTP server's.
  const resource = metric === 'rss' || metric === 'cpu'
  const mcp = resource ? (run.mcpBench ?? []) : []
  const mcpComparisons = resource ? (run.mcpBenchComparisons ?? []) : []
  const names = gatedCandidates(run, [
    ...(run.bench ?? []).map((e) => e.system),
    ...(run.benchComparisons ?? []).map((c) => c.candidate),
    ...mcp.filter((e) => e.role === 'candidate').map((e) => e.system),
  ])
  const bench = run.bench ?? []
  for (const name of names) {
    if (gate.relative) {
      for (const c of mcpComparisons.filter((x) => x.candidate === name)) per.push({ where: `${name} MCP ${c.scenario}`, actual: c.ratios[metric] ?? null })
      const comparisons = (run.benchComparisons ?? []).filter((c) => c.candidate === name)
      // A ratio rests on both sides: the candidate's entry and the baseline's, for the scenario.
      for (const c of comparisons)
        per.push({
          where: `${name} ${c.scenario}`,
          actual: c.ratios[metric] ?? null,
          entries: bench.filter((e) => e.scenario === c.scenario && (e.system === name || e.system === c.baseline)),
          comparison: c,
        })
      if (!comparisons.length && !mcpComparisons.some((x) => x.candidate === name)) per.push({ where: name, actual: null })
    } else {
      const all = bench.filter((e) => e.system === name)
      // A cold start belongs to the system, not to a scenario: once per system.
      const entries = metric === 'startup' ? all.slice(0, 1) : all
      for (const e of entries) per.push({ where: metric === 'startup' ? name : `${name} ${e.scenario}`, actual: absolute(e, metric), entries: [e] })
      const tools = mcp.filter((e) => e.system === name)
      // Under load; RSS at rest counts too (a server may hold more idle than under one tool's calls); CPU at rest does not stand for load.
      for (const e of tools) {
        const rss = Math.max(e.resources?.rssPeakMb ?? 0, e.idle?.rssPeakMb ?? 0)
        per.push({ where: `${name} MCP ${e.tool}`, actual: metric === 'rss' ? (rss > 0 ? rss : null) : (e.resources?.cpuMeanPercent ?? null) })
      }
      if (!entries.length && !tools.length) per.push({ where: name, actual: null })
    }
  }
  // Latency and throughput are evidence only from a side that answered: errors and timeouts over the
  // limit fail the gate whatever the figure (a server that never answers is not 0 ms fast).
  const answers = ANSWERED.has(metric)
  const unit = gate.relative ? 'x' : ` ${UNITS[metric].unit}`
  const round = (v: number) => (gate.relative ? Math.round(v * 100) / 100 : sig(v))
  const results = per.map((p) => {
    const unhealthy = answers ? (p.entries ?? []).map(unanswered).find(Boolean) : undefined
    const undecided = p.comparison && p.actual !== null && !unhealthy ? noisyOutcome(p.comparison, metric, gate, round) : undefined
    return { ...p, unhealthy, undecided, passed: !unhealthy && !undecided && p.actual !== null && compare(p.actual, gate.op!, gate.value!) }
  })
  const failing = results.filter((r) => !r.passed)
  const show = (v: number | null) => (v === null ? 'not measured (no bench)' : `${round(v)}${unit}`)
  // A ratio resting on fewer than three trials a side is decided on its figure, and says so (once).
  const few = results.find((r) => r.comparison?.confidence === 'too-few-trials')?.comparison
  const listed = failing.length ? failing : results
  // Candidates the bench did not measure are named, so that a pass is not read as theirs.
  const unmeasured = Object.keys(run.candidates).filter((c) => !names.includes(c))
  const undecided = results.find((r) => r.undecided)?.undecided
  return {
    gate: gate.text,
    passed: results.length > 0 && failing.length === 0,
    actual: (failing[0] ?? results[0])?.actual ?? null,
    message: [
      ...listed.map((r) => `${r.where}: ${r.unhealthy ?? (r.undecided ? `${show(r.actual)}, ${r.undecided}` : show(r.actual))}`),
      ...unmeasured.map((c) => `${c}: not benched`),
      ...(few ? [`${few.note.replace(/^too few trials to say: /, 'too few trials to say how sure: ')}`] : []),
    ].join('; '),
    findings: [],
    ...(undecided ? { undecided } : {}),
  }
}

/**
 * Why a ratio gate on a too-noisy comparison cannot be decided: the trials allow ratios on both
 * sides of the gate's limit (the noise could flip it). Undefined when the comparison is not too
 * noisy, or when every ratio the trials allow gives the same outcome (then the noise cannot flip it).
 */
function noisyOutcome(c: BenchComparison, metric: BenchMetric, gate: ParsedGate, round: (v: number) => number): string | undefined {
  // Memory, CPU per request and cold start are not per-trial ratios: the trials' spread says nothing of them.
  if (c.confidence !== 'too-noisy' || !TRIAL_RATIOS.has(metric)) return undefined
  const range = (c.ranges as Record<string, [number, number] | undefined> | undefined)?.[metric]
  if (range && compare(range[0], gate.op!, gate.value!) === compare(range[1], gate.op!, gate.value!)) return undefined
  const span = range ? `the trials allow ${round(range[0])}x to ${round(range[1])}x` : 'the trials give no range for it'
  return `undecided: ${c.note.split('; ')[0]}; ${span}`
}

/** Bench metrics measured from answers: a side whose requests failed or timed out cannot pass them. */
const ANSWERED = new Set<BenchMetric>(['p50', 'p90', 'p95', 'p99', 'rps'])
/** Ratios measured trial by trial, whose range the trials' spread gives (BenchComparison.ranges). */
const TRIAL_RATIOS = ANSWERED

/** An MCP gate: counts from the tool checklist; timings from the candidates' MCP bench (p95: the worst tool; startup: the median). */
function evaluateMcp(gate: ParsedGate & { metric: McpMetric }, run: RunResult): GateResult {
  const tools = run.tools
  const candidates = (run.mcpBench ?? []).filter((e) => e.role === 'candidate')
  let actual: number | null = null
  let where = ''
  let unmeasurable: string[] = []
  switch (gate.metric) {
    case 'mcpBreaking': {
      const breaking = (tools ?? []).flatMap((t) => t.changes.filter((c) => c.breaking).map((c) => `${t.name}: ${c.detail}`))
      actual = tools ? breaking.length : null
      where = breaking.slice(0, 3).join('; ') + (breaking.length > 3 ? '; …' : '')
      break
    }
    case 'mcpMissing': {
      const missing = (tools ?? []).filter((t) => t.status === 'missing').map((t) => t.name)
      actual = tools ? missing.length : null
      where = missing.slice(0, 5).join(', ') + (missing.length > 5 ? ', …' : '')
      break
    }
    case 'mcpP95': {
      // Only calls that answered are timed; a tool whose every call errored has no latency, and cannot pass.
      const timed = candidates.filter(mcpTimed)
      const worst = [...timed].sort((a, b) => b.latency.p95 - a.latency.p95)[0]
      actual = worst ? worst.latency.p95 : null
      const errored = candidates.filter((e) => e.errors > 0 && mcpTimed(e))
      where = worst
        ? `${worst.system} ${worst.tool}${errored.length ? `; errored calls not timed: ${errored.map((e) => `${e.system} ${e.tool} ${e.errors}`).join(', ')}` : ''}`
        : ''
      unmeasurable = candidates
        .filter((e) => !mcpTimed(e))
        .map((e) => `${e.system} ${e.tool}: cannot be measured, every call errored (${e.errors} of ${e.calls * (e.trials?.length ?? 1)})`)
      break
    }
    case 'mcpStartup': {
      const starts = candidates.flatMap((e) => (e.startup ? [{ system: e.system, median: e.startup.median }] : []))
      const seen = new Map(starts.map((s) => [s.system, s.median]))
      const worst = [...seen.entries()].sort((a, b) => b[1] - a[1])[0]
      actual = worst ? worst[1] : null
      where = worst ? worst[0] : ''
      break
    }
  }
  const timed = MCP_TIMED.has(gate.metric)
  const passed = actual !== null && !unmeasurable.length && compare(actual, gate.op!, gate.value!)
  const figure =
    actual === null
      ? unmeasurable.length
        ? ''
        : timed
          ? 'not measured (no MCP bench)'
          : 'not measured (no MCP checklist: `parity mcp` or the MCP stage did not run)'
      : `${timed ? `${sig(actual)} ms` : String(actual)}${where ? ` (${where})` : ''}`
  const message = [...unmeasurable, figure].filter(Boolean).join('; ')
  return { gate: gate.text, passed, actual, message, findings: [] }
}

/** A scorecard gate: every candidate's figure (or its ratio to the baseline's) must pass; one not measured fails. */
function evaluateScore(gate: ParsedGate & { metric: ScoreMetric }, run: RunResult): GateResult {
  const figure = (system: string | undefined) => run.scorecards?.find((c) => c.system === system)?.figures.find((f) => f.metric === gate.metric)?.value
  const baseline = figure(run.systems.find((s) => s.role === 'baseline')?.name)
  const names = gatedCandidates(
    run,
    (run.scorecards ?? []).map((c) => c.system),
  )
  const results = names.map((name) => {
    const own = figure(name)
    let actual: number | null = own ?? null
    let why = `no ${gate.metric} on its scorecard`
    if (gate.relative) {
      actual = own !== undefined && baseline ? own / baseline : null
      if (own !== undefined) why = `the baseline has no ${gate.metric} to compare with`
    }
    return { name, actual, why, passed: actual !== null && compare(actual, gate.op!, gate.value!) }
  })
  const failing = results.filter((r) => !r.passed)
  const show = (v: number) =>
    gate.relative
      ? `${Math.round(v * 100) / 100}x`
      : RATIOS.has(gate.metric)
        ? `${Math.round(v * 1000) / 10}%`
        : SCORE_BYTES.has(gate.metric)
          ? `${Math.round(v).toLocaleString('en-US')} B`
          : String(v)
  return {
    gate: gate.text,
    passed: results.length > 0 && failing.length === 0,
    actual: (failing[0] ?? results[0])?.actual ?? null,
    message: (failing.length ? failing : results).map((r) => `${r.name}: ${r.actual === null ? `not measured (${r.why})` : show(r.actual)}`).join('; '),
    findings: [],
  }
}

function absolute(e: BenchEntry, metric: BenchMetric): number | null {
  switch (metric) {
    case 'rps':
      return e.trials.some((t) => t.result) ? e.throughput.rps : null
    case 'startup':
      return e.startup?.median ?? null
    case 'rss':
      return e.resources?.rssPeakMb ?? null
    case 'cpu':
      return e.resources?.cpuMeanPercent ?? null
    default:
      return e.trials.some((t) => t.result) ? e.latency[metric] : null
  }
}

/**
 * The candidates a measured gate (bench, scorecard) applies to: those that were measured; a
 * scan-only candidate has nothing to gate. When none was measured, all of them, so the gate fails
 * as not measured instead of passing on nothing.
 */
function gatedCandidates(run: RunResult, measured: Array<string | undefined>): string[] {
  const seen = new Set(measured)
  return Object.keys(run.candidates).filter((n) => !seen.size || seen.has(n))
}

function compare(a: number, op: Op, b: number): boolean {
  const eps = 1e-9
  switch (op) {
    case '>=':
      return a >= b - eps
    case '<=':
      return a <= b + eps
    case '>':
      return a > b
    case '<':
      return a < b
    case '==':
      return Math.abs(a - b) < eps
    case '!=':
      return Math.abs(a - b) >= eps
  }
}
