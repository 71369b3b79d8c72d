/**
 * The bench stage of `parity run`: the config's systems (started by parity when they have a `run`
 * block, or at their `url`), its scenarios (or a mix from the replay corpus), into the RunResult.
 */
import { spawnSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import type { ResolvedConfig, ResolvedSystem } from '../config/load.js'
import type { BenchConfig } from '../config/schema.js'
import type { RunResult } from '../model/run.js'
import { runSpecOf } from '../systems/spec.js'
import { checkTarget, mixFromCorpus, runBench, type BenchEvent, type BenchScenario, type BenchSide, type SetupStep } from './runner.js'
import type { RequestTemplate } from '../model/bench.js'
import { attachServiceBench } from '../assess/service-bench.js'

export const BENCH_DEFAULTS = { connections: 16, duration: 5, warmup: 2, trials: 3, startupRuns: 10, startupWarmup: 1 }

/** A config request (`{ method, path, headers, body }`) as a template: JSON bodies serialised with a content-type. */
function templateOf(r: { method: string; path: string; headers?: Record<string, string> | undefined; body?: unknown }): RequestTemplate {
  const headers = Object.entries(r.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v] as [string, string])
  let body: string | undefined
  if (typeof r.body === 'string') body = r.body
  else if (r.body !== undefined) {
    body = JSON.stringify(r.body)
    if (!headers.some(([k]) => k === 'content-type')) headers.push(['content-type', 'application/json'])
  }
  return { method: r.method.toUpperCase(), path: r.path, ...(headers.length ? { headers } : {}), ...(body !== undefined ? { body } : {}) }
}

/** The config's setup steps. */
export function setupOf(bench: BenchConfig): SetupStep[] {
  return (bench.setup ?? []).map((s) => ({ ...templateOf(s), ...(s.capture ? { capture: s.capture } : {}), ...(s.repeat ? { repeat: s.repeat } : {}) }))
}

/** The config's scenarios as request templates. */
export function scenariosOf(bench: BenchConfig, corpusFile?: string, readCorpus?: (file: string) => import('../model/exchange.js').Corpus): BenchScenario[] {
  if (bench.scenarios?.length) {
    return bench.scenarios.map((s) => {
      const requests: RequestTemplate[] = s.requests.map((r) => ({ ...templateOf(r), ...(r.weight ? { weight: r.weight } : {}) }))
      return { name: s.name ?? (requests.length === 1 ? `${requests[0]!.method} ${requests[0]!.path}` : 'mix'), requests }
    })
  }
  if (corpusFile && readCorpus) {
    const requests = mixFromCorpus(readCorpus(corpusFile))
    if (requests.length) return [{ name: 'corpus mix', requests }]
  }
  return []
}

export async function runBenchStage(run: RunResult, config: ResolvedConfig, onEvent?: (e: BenchEvent) => void): Promise<RunResult> {
  const bench = config.bench!
  const runnable = (s: ResolvedSystem) => !!(s.run || s.url)
  const systems = [config.baseline, ...config.candidates].filter(runnable)
  if (!runnable(config.baseline) || systems.length < 2) {
    run.diagnostics.push({
      level: 'warn',
      code: 'BENCH_NO_SYSTEMS',
      message: 'bench needs the baseline and a candidate that parity can start (`run:`) or reach (`url:`); skipped',
    })
    return run
  }
  const { readCorpus } = await import('../verify/corpus.js')
  const scenarios = scenariosOf(bench, config.replay?.corpus, (f) => readCorpus(f, config.replay?.origin ? { origin: config.replay.origin } : {}))
  if (!scenarios.length && !bench.websocket) {
    run.diagnostics.push({
      level: 'warn',
      code: 'BENCH_NO_SCENARIO',
      message: 'bench has no scenarios and the replay corpus has no GET request answered 2xx without a session; skipped',
    })
    return run
  }
  const logDir = join(dirname(config.historyFile), 'logs')
  const sides: BenchSide[] = []
  for (const s of systems) {
    if (s.run) sides.push({ name: s.name, role: s.role, run: await runSpecOf(s, { logDir, ...(bench.cpus?.systems ? { cpus: bench.cpus.systems } : {}) }) })
    else {
      // A url the config names is a host the config allows (the one target policy).
      checkTarget(s.url!, true)
      sides.push({ name: s.name, role: s.role, url: s.url! })
    }
  }
  if (bench.cpus?.generator) pinSelf(bench.cpus.generator, run)
  const report = await runBench({
    sides,
    scenarios,
    ...(bench.setup?.length ? { setup: setupOf(bench) } : {}),
    connections: bench.connections ?? BENCH_DEFAULTS.connections,
    ...(bench.rate ? { rate: bench.rate } : {}),
    durationMs: (bench.duration ?? BENCH_DEFAULTS.duration) * 1000,
    warmupMs: (bench.warmup ?? BENCH_DEFAULTS.warmup) * 1000,
    trials: bench.trials ?? BENCH_DEFAULTS.trials,
    ...(bench.maxSpread ? { maxSpread: bench.maxSpread } : {}),
    startup:
      bench.startup === false
        ? false
        : { runs: bench.startup?.runs ?? BENCH_DEFAULTS.startupRuns, warmup: bench.startup?.warmup ?? BENCH_DEFAULTS.startupWarmup },
    ...(bench.websocket
      ? { websocket: { path: bench.websocket.path, connections: bench.websocket.connections ?? 50, messages: bench.websocket.messages ?? 200 } }
      : {}),
    ...(onEvent ? { onEvent } : {}),
  })
  run.bench = report.entries
  run.benchComparisons = report.comparisons
  if (report.ws) run.wsBench = report.ws
  attachServiceBench(run, scenarios)
  for (const e of report.entries) {
    for (const t of e.trials)
      if (t.failed) run.diagnostics.push({ level: 'warn', code: 'BENCH_TRIAL_FAILED', message: `${e.system} ${e.scenario} trial ${t.index + 1}: ${t.failed}` })
    if (e.generatorBound)
      run.diagnostics.push({
        level: 'warn',
        code: 'GENERATOR_BOUND',
        message: `${e.system} ${e.scenario}: the load generator was at its ceiling; throughput is a floor, not the server's capacity (use fewer connections, or \`parity bench --export k6\`)`,
      })
  }
  return run
}

/** Pin parity's own threads (the load generator) to CPUs, when taskset is there. */
function pinSelf(cpus: string, run: RunResult): void {
  const r = spawnSync('taskset', ['-a', '-p', '-c', cpus, String(process.pid)], { stdio: 'ignore' })
  if (r.status !== 0)
    run.diagnostics.push({
      level: 'warn',
      code: 'CPU_PIN',
      message: `could not pin the load generator to CPUs ${cpus} (taskset ${r.error ? 'is not installed' : 'failed'}); it runs unpinned`,
    })
}
