/**
 * The bench stage: start each system (or use its URL), measure its cold starts, then load it with
 * every scenario in alternating trials (A B A B, so that drift of a shared machine falls on both
 * sides alike) while its process tree is sampled; then medians, spreads and the candidate/baseline
 * ratios with a confidence note. Servers parity started are stopped, with their trees, whatever
 * happens.
 */
import type { Corpus } from '../model/exchange.js'
import { ParityError } from '../model/errors.js'
import { checkTarget as checkPolicy } from '../systems/targets.js'
import type { ResourceStats, RunSpec, StartedSystem, StartupStats } from '../systems/types.js'
import { createLatencyHistogram, type LatencyHistogram } from './histogram.js'
import { compareSides, DEFAULT_MAX_SPREAD, MIN_TRIALS, mean, median, noisySeries, ratioRange, stddev, tooFewTrials, tooNoisy, unanswered } from './stats.js'
import type {
  BenchComparison,
  BenchEntry,
  BenchReport,
  LatencySummary,
  LoadProgress,
  LoadResult,
  RequestTemplate,
  Trial,
  WsBenchEntry,
} from '../model/bench.js'

export interface BenchSide {
  name: string
  role: 'baseline' | 'candidate'
  /** A running system: load goes here. */
  url?: string
  /** Or how to start it (port chosen); then cold start and resources are measured too. */
  run?: RunSpec
}

export interface BenchScenario {
  name: string
  requests: RequestTemplate[]
}

/** A request sent once to each system before the trials (log in, seed data); captures feed `${name}` in the scenarios. */
export interface SetupStep extends RequestTemplate {
  /** By name: a JSON Pointer into the answer's body, or `header:<name>`. */
  capture?: Record<string, string>
  /** Send it this many times; `${i}` in it is the index. */
  repeat?: number
}

export interface BenchPlan {
  sides: BenchSide[]
  setup?: SetupStep[]
  scenarios: BenchScenario[]
  connections: number
  rate?: number
  durationMs: number
  warmupMs: number
  trials: number
  /** Cold starts to measure per started system; false to skip. */
  startup: { runs: number; warmup: number } | false
  timeoutMs?: number
  /** Spread of the trials (coefficient of variation) over which a comparison is too noisy to decide (default DEFAULT_MAX_SPREAD). */
  maxSpread?: number
  /** WebSocket fan-out per side, after the HTTP scenarios. */
  websocket?: { path: string; connections: number; messages: number }
  /** `taskset` CPU lists. */
  cpus?: { systems?: string; generator?: string }
  /** A trial starts, progresses, ends; a system starts. For a progress line. */
  onEvent?: (e: BenchEvent) => void
  signal?: AbortSignal
}

export type BenchEvent =
  | { type: 'startup'; side: string; run: number; runs: number }
  | { type: 'trial'; side: string; scenario: string; trial: number; trials: number }
  | { type: 'progress'; side: string; progress: LoadProgress }
  | { type: 'trial-end'; side: string; result?: LoadResult; failed?: string }

/** Load goes only to the addresses the config or the command line names, and on this machine only to loopback unless allowed. */
export function checkTarget(url: string, allowRemote = false): URL {
  try {
    return checkPolicy(url, { allowRemote, protocols: ['http:'], what: 'load' })
  } catch (e) {
    if (e instanceof ParityError && e.code === 'REMOTE_TARGET') {
      throw new ParityError(
        'REMOTE_TARGET',
        e.message,
        'pass --allow-remote if you own that server and mean to load it; for distributed load, `parity bench --export k6 FILE.js`',
      )
    }
    throw e
  }
}

/** A weighted mix from a corpus: its GET requests that were answered 2xx and carry no session secret, weighted by how often they were sent. */
export function mixFromCorpus(corpus: Corpus): RequestTemplate[] {
  const counts = new Map<string, number>()
  for (const e of corpus.exchanges) {
    if (e.request.method !== 'GET' || e.ws || !e.response || e.response.status < 200 || e.response.status > 299) continue
    if (e.request.headers.some(([n]) => n === 'authorization' || n === 'cookie' || n === 'x-api-key')) continue
    if (!e.request.url.startsWith('/')) continue
    counts.set(e.request.url, (counts.get(e.request.url) ?? 0) + 1)
  }
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([path, weight]) => ({ method: 'GET', path, weight }))
}

export async function runBench(plan: BenchPlan): Promise<BenchReport> {
  const { startSystem, measureColdStart } = await import('../systems/supervisor.js')
  const { sampleResources } = await import('../systems/resources.js')
  const { measureLoad } = await import('./generator.js')
  const emit = plan.onEvent ?? (() => {})
  const started = new Map<string, StartedSystem>()
  const startups = new Map<string, StartupStats>()
  const idle = new Map<string, ResourceStats>()
  const trials = new Map<string, Trial[]>()
  // Per system and scenario: every measured trial's latencies, merged (for the chart and the true max).
  const merged = new Map<string, LatencyHistogram>()
  const key = (side: string, scenario: string) => `${side}\u0000${scenario}`
  const ws: WsBenchEntry[] = []
  const captured = new Map<string, Record<string, string>>()
  try {
    for (const side of plan.sides) {
      if (side.run && plan.startup) {
        emit({ type: 'startup', side: side.name, run: 0, runs: plan.startup.runs })
        startups.set(side.name, await measureColdStart(side.run, { runs: plan.startup.runs, warmup: plan.startup.warmup }))
      }
    }
    // Start every system first, so that each idles while the others run.
    for (const side of plan.sides) {
      if (side.run) started.set(side.name, await startSystem(side.run))
      else if (side.url) checkTarget(side.url, true)
      if (plan.setup?.length) captured.set(side.name, await runSetup(started.get(side.name)?.url ?? side.url!, plan.setup, side.name))
    }
    for (const side of plan.sides) {
      const s = started.get(side.name)
      if (!s) continue
      const sampler = sampleResources(s.pid)
      await sleep(1000, plan.signal)
      idle.set(side.name, sampler.stop())
    }
    for (const scenario of plan.scenarios) {
      for (let t = 0; t < plan.trials; t++) {
        for (const side of plan.sides) {
          if (plan.signal?.aborted) break
          emit({ type: 'trial', side: side.name, scenario: scenario.name, trial: t, trials: plan.trials })
          const trial = await oneTrial(side, scenario, t)
          const list = trials.get(key(side.name, scenario.name)) ?? []
          list.push(trial)
          trials.set(key(side.name, scenario.name), list)
          emit({ type: 'trial-end', side: side.name, ...(trial.result ? { result: trial.result } : {}), ...(trial.failed ? { failed: trial.failed } : {}) })
        }
      }
    }
    if (plan.websocket) {
      const { runWsFanout } = await import('./ws-load.js')
      for (const side of plan.sides) {
        if (plan.signal?.aborted) break
        const system = started.get(side.name)
        const url = (system?.url ?? side.url!).replace(/^http/, 'ws')
        const r = await runWsFanout({ url, path: plan.websocket.path, connections: plan.websocket.connections, messages: plan.websocket.messages })
        ws.push({
          target: url,
          system: side.name,
          role: side.role,
          path: plan.websocket.path,
          connections: plan.websocket.connections,
          messages: plan.websocket.messages,
          ...r,
        })
      }
    }
  } finally {
    await Promise.all([...started.values()].map((s) => s.stop()))
  }

  async function oneTrial(side: BenchSide, scenario: BenchScenario, index: number): Promise<Trial> {
    let system = started.get(side.name)
    if (system && !system.alive && side.run) {
      // It crashed in an earlier trial: start it again, so that the run goes on.
      try {
        system = await startSystem(side.run)
        started.set(side.name, system)
        if (plan.setup?.length) captured.set(side.name, await runSetup(system.url, plan.setup, side.name))
      } catch (e) {
        return { index, failed: `could not restart: ${(e as Error).message.split('\n')[0]}` }
      }
    }
    const url = system?.url ?? side.url!
    const sampler = system ? sampleResources(system.pid) : undefined
    let marked = false
    const crashed = system?.exited.then((x) => x)
    const { result, histogram } = await measureLoad({
      url,
      requests: fill(scenario.requests, captured.get(side.name) ?? {}),
      connections: plan.connections,
      ...(plan.rate ? { rate: plan.rate } : {}),
      durationMs: plan.durationMs,
      warmupMs: plan.warmupMs,
      ...(plan.timeoutMs ? { timeoutMs: plan.timeoutMs } : {}),
      ...(plan.signal ? { signal: plan.signal } : {}),
      onProgress: (progress) => {
        if (!marked) {
          sampler?.mark()
          marked = true
        }
        emit({ type: 'progress', side: side.name, progress })
      },
    })
    const resources = sampler?.stop()
    if (system?.alive !== false && !(result.requests > 0 && result.errorsByKind.connect === result.requests)) {
      const k = key(side.name, scenario.name)
      const into = merged.get(k) ?? createLatencyHistogram()
      into.merge(histogram)
      merged.set(k, into)
    }
    if (system && !system.alive) {
      const how = await crashed
      return {
        index,
        failed: `${side.name} exited during the trial (${how?.signal ? `signal ${how.signal}` : `code ${how?.code}`}); see ${system.logFile}`,
        result,
        ...(resources ? { resources } : {}),
      }
    }
    if (result.requests > 0 && result.errorsByKind.connect === result.requests) {
      return { index, failed: `${url} refused every connection`, result }
    }
    return { index, result, ...(resources ? { resources } : {}) }
  }

  const entries: BenchEntry[] = []
  for (const scenario of plan.scenarios) {
    for (const side of plan.sides) {
      const list = trials.get(key(side.name, scenario.name)) ?? []
      const all = merged.get(key(side.name, scenario.name))
      entries.push(summarise(side, scenario, list, started.get(side.name)?.url ?? side.url ?? '', plan, startups.get(side.name), idle.get(side.name), all))
    }
  }
  const comparisons = compareEntries(entries, plan.sides, plan.maxSpread)
  const ceilings = entries.flatMap((e) =>
    e.trials.flatMap((t) => (t.result && t.result.generator.cpuPercent > 0 ? [t.result.throughput.rps / (t.result.generator.cpuPercent / 100)] : [])),
  )
  return { entries, comparisons, ...(ws.length ? { ws } : {}), ...(ceilings.length ? { generatorCeiling: Math.round(Math.max(...ceilings)) } : {}) }
}

/** Send the setup requests in order; a failed one is an error naming the step and the system. */
export async function runSetup(base: string, steps: SetupStep[], system: string): Promise<Record<string, string>> {
  const { request } = await import('undici')
  const values: Record<string, string> = {}
  for (const [n, step] of steps.entries()) {
    for (let i = 0; i < (step.repeat ?? 1); i++) {
      const [filled] = fill([step], { ...values, i: String(i) })
      const r = filled!
      let res: Awaited<ReturnType<typeof request>>
      try {
        res = await request(new URL(r.path, base), {
          method: r.method as 'GET',
          headers: Object.fromEntries(r.headers ?? []),
          ...(r.body !== undefined ? { body: r.body } : {}),
          headersTimeout: 10_000,
          bodyTimeout: 10_000,
        })
      } catch (e) {
        throw new ParityError(
          'BENCH_SETUP_FAILED',
          `bench.setup[${n}] ${r.method} ${r.path} on ${system}: ${(e as Error).message}`,
          'check that the system answers that request after it starts',
        )
      }
      const text = await res.body.text()
      if (res.statusCode >= 400) {
        throw new ParityError(
          'BENCH_SETUP_FAILED',
          `bench.setup[${n}] ${r.method} ${r.path} on ${system} answered ${res.statusCode}: ${text.slice(0, 200)}`,
          'fix the setup request (body, headers, captured values) in the config',
        )
      }
      for (const [name, where] of Object.entries(step.capture ?? {})) {
        const value = where.startsWith('header:') ? res.headers[where.slice(7).toLowerCase()] : pointerValue(text, where)
        if (value === undefined || value === null) {
          throw new ParityError(
            'BENCH_SETUP_FAILED',
            `bench.setup[${n}] on ${system}: nothing at ${where} to capture as ${name}`,
            `the answer was: ${text.slice(0, 200)}`,
          )
        }
        values[name] = Array.isArray(value) ? String(value[0]) : typeof value === 'object' ? JSON.stringify(value) : String(value)
      }
    }
  }
  return values
}

function pointerValue(text: string, pointer: string): unknown {
  let node: unknown
  try {
    node = JSON.parse(text)
  } catch {
    return undefined
  }
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    if (node === null || typeof node !== 'object') return undefined
    node = (node as Record<string, unknown>)[key]
  }
  return node
}

/** `${name}` in paths, headers and bodies replaced by captured values. */
function fill<T extends RequestTemplate>(requests: T[], values: Record<string, string>): T[] {
  if (!Object.keys(values).length) return requests
  const sub = (t: string) => t.replace(/\$\{(\w+)\}/g, (m, name: string) => values[name] ?? m)
  return requests.map((r) => ({
    ...r,
    path: sub(r.path),
    ...(r.headers ? { headers: r.headers.map(([k, v]) => [k, sub(v)] as [string, string]) } : {}),
    ...(r.body !== undefined ? { body: sub(r.body) } : {}),
  }))
}

function summarise(
  side: BenchSide,
  scenario: BenchScenario,
  trials: Trial[],
  target: string,
  plan: BenchPlan,
  startup: StartupStats | undefined,
  idle: ResourceStats | undefined,
  all?: LatencyHistogram,
): BenchEntry {
  const ok = trials.filter((t) => !t.failed && t.result)
  const results = ok.map((t) => t.result!)
  const rps = results.map((r) => r.throughput.rps)
  const latency = latencyOverTrials(results.map((r) => r.latency))
  const errorsByKind: Record<string, number> = {}
  for (const t of trials) for (const [k, n] of Object.entries(t.result?.errorsByKind ?? {})) errorsByKind[k] = (errorsByKind[k] ?? 0) + n
  const mid = medianIndex(rps)
  const resources = ok.flatMap((t) => (t.resources ? [t.resources] : []))
  const m = mean(rps)
  return {
    target,
    system: side.name,
    role: side.role,
    scenario: scenario.name,
    model: plan.rate ? 'open' : 'closed',
    connections: plan.connections,
    ...(plan.rate ? { rate: plan.rate } : {}),
    throughput: { rps: round(median(rps)) },
    latency,
    errors: trials.reduce((n, t) => n + (t.result?.errors ?? 0), 0),
    errorsByKind,
    spread: { min: round(rps.length ? Math.min(...rps) : 0), max: round(rps.length ? Math.max(...rps) : 0), cv: round(m ? stddev(rps) / m : 0, 3) },
    trials,
    // The chart: every measured trial's latencies together (else, from figures alone, the median trial's).
    distribution: all && all.count > 0 ? all.distribution() : mid >= 0 ? results[mid]!.distribution : [],
    generatorBound: results.some((r) => r.generatorBound),
    ...(resources.length ? { resources: combineResources(resources) } : {}),
    ...(idle ? { idle } : {}),
    ...(startup ? { startup } : {}),
  }
}

/**
 * One side's latency over its trials: each percentile the median of the trials' (one disturbed trial
 * does not move it), but `min` and `max` the true extremes over every trial, and `count` every sample.
 */
export function latencyOverTrials(list: readonly LatencySummary[]): LatencySummary {
  const med = (k: keyof LatencySummary) => round(median(list.map((l) => l[k] ?? 0)))
  const counts = list.map((l) => l.count)
  return {
    p50: med('p50'),
    p90: med('p90'),
    p95: med('p95'),
    p99: med('p99'),
    p999: med('p999'),
    max: list.length ? Math.max(...list.map((l) => l.max)) : 0,
    mean: med('mean'),
    min: list.length ? Math.min(...list.map((l) => l.min)) : 0,
    ...(counts.every((c): c is number => typeof c === 'number') ? { count: counts.reduce((n, c) => n + c, 0) } : {}),
  }
}

/** Peak of peaks; medians of the means. */
export function combineResources(list: ResourceStats[]): ResourceStats {
  return {
    samples: list.reduce((n, r) => n + r.samples, 0),
    rssPeakMb: round(Math.max(...list.map((r) => r.rssPeakMb))),
    rssMeanMb: round(median(list.map((r) => r.rssMeanMb))),
    cpuMeanPercent: round(median(list.map((r) => r.cpuMeanPercent))),
    cpuPeakPercent: round(Math.max(...list.map((r) => r.cpuPeakPercent))),
    processes: Math.max(...list.map((r) => r.processes)),
    method: list[0]!.method,
  }
}

/** Each candidate against the baseline, per scenario; `maxSpread` is the trials' spread over which a comparison is too noisy to decide. */
export function compareEntries(entries: BenchEntry[], sides: BenchSide[], maxSpread = DEFAULT_MAX_SPREAD): BenchComparison[] {
  const baseline = sides.find((s) => s.role === 'baseline')
  if (!baseline) return []
  const out: BenchComparison[] = []
  for (const b of entries.filter((e) => e.system === baseline.name)) {
    for (const c of entries.filter((e) => e.role === 'candidate' && e.scenario === b.scenario)) {
      const broken = [unanswered(b), unanswered(c)].filter((x): x is string => !!x)
      const cpuPerRequest = (e: BenchEntry) => (e.resources && e.throughput.rps > 0 ? e.resources.cpuMeanPercent / e.throughput.rps : undefined)
      const judged = judgeTrials(measured(b), measured(c), maxSpread, broken)
      const ratio = (x: number | undefined, y: number | undefined) => (judged.has && x !== undefined && y !== undefined && x > 0 ? round(y / x, 3) : null)
      out.push({
        scenario: b.scenario,
        baseline: b.system!,
        candidate: c.system!,
        ratios: {
          rps: ratio(b.throughput.rps, c.throughput.rps),
          p50: ratio(b.latency.p50, c.latency.p50),
          p90: ratio(b.latency.p90, c.latency.p90),
          p95: ratio(b.latency.p95, c.latency.p95),
          p99: ratio(b.latency.p99, c.latency.p99),
          rss: b.resources && c.resources ? round(c.resources.rssPeakMb / b.resources.rssPeakMb, 3) : null,
          cpu: ratio(cpuPerRequest(b), cpuPerRequest(c)),
          startup: b.startup && c.startup && b.startup.median > 0 ? round(c.startup.median / b.startup.median, 3) : null,
        },
        ...judged.verdict,
        ...(b.generatorBound || c.generatorBound
          ? {
              confidence: judged.verdict.confidence === 'high' ? 'low' : judged.verdict.confidence,
              note: `${judged.verdict.note}; the load generator was at its ceiling (generator-bound): throughput is the generator's, not the server's`,
            }
          : {}),
      })
    }
  }
  return out
}

/** Per-trial figures of one side: throughput and latency percentiles (requests or calls per second as `rps`). */
export interface TrialFigures {
  throughput: { rps: number }
  latency: LatencySummary
}

const RANGED = ['rps', 'p50', 'p90', 'p95', 'p99'] as const

/**
 * The confidence of one comparison from the trials of its two sides, shared by the HTTP and the MCP
 * bench: under MIN_TRIALS on a side no confidence word (`too-few-trials`); a per-trial throughput or
 * p95 spread over `maxSpread` on a side is `too-noisy`; else `high` or `low` as compareSides says.
 * `broken` (a side left requests unanswered) makes it `low` with those reasons. `has`: both sides
 * have figures a ratio can rest on.
 */
export function judgeTrials(
  b: readonly TrialFigures[],
  c: readonly TrialFigures[],
  maxSpread: number,
  broken: string[] = [],
): { has: boolean; verdict: Pick<BenchComparison, 'confidence' | 'note' | 'trials' | 'ranges'> } {
  const rpsB = b.map((r) => r.throughput.rps)
  const rpsC = c.map((r) => r.throughput.rps)
  const has = rpsB.length > 0 && rpsC.length > 0 && !broken.length
  const trials = { baseline: b.length, candidate: c.length }
  const ranges: NonNullable<BenchComparison['ranges']> = {}
  for (const k of RANGED) {
    const of = (list: readonly TrialFigures[]) => list.map((r) => (k === 'rps' ? r.throughput.rps : r.latency[k]))
    const rr = has ? ratioRange(of(b), of(c)) : null
    if (rr) ranges[k] = rr
  }
  const base = { trials, ...(Object.keys(ranges).length ? { ranges } : {}) }
  if (broken.length) return { has, verdict: { ...base, confidence: 'low', note: broken.join('; ') } }
  if (has && (b.length < MIN_TRIALS || c.length < MIN_TRIALS)) {
    return { has, verdict: { ...base, confidence: 'too-few-trials', note: tooFewTrials(b.length, c.length) } }
  }
  const sides = compareSides(rpsB, rpsC)
  const noisy = noisySeries(
    [
      { what: 'baseline throughput', values: rpsB },
      { what: 'candidate throughput', values: rpsC },
      { what: 'baseline p95', values: b.map((r) => r.latency.p95) },
      { what: 'candidate p95', values: c.map((r) => r.latency.p95) },
    ],
    maxSpread,
  )
  if (has && noisy.length) return { has, verdict: { ...base, confidence: 'too-noisy', note: `${tooNoisy(noisy, maxSpread)}; ${sides.note}` } }
  return { has, verdict: { ...base, confidence: sides.confidence, note: sides.note } }
}

const measured = (e: BenchEntry): LoadResult[] => e.trials.flatMap((t) => (!t.failed && t.result ? [t.result] : []))

/** Index of the value nearest the median (the lower middle for an even count). */
function medianIndex(values: number[]): number {
  if (!values.length) return -1
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0])
  return order[(order.length - 1) >> 1]![1]
}

function round(n: number, digits = 2): number {
  const f = 10 ** digits
  return Math.round(n * f) / f
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms)
    signal?.addEventListener('abort', () => {
      clearTimeout(t)
      resolve()
    })
  })
}
