/**
 * The dynamic stages of `parity run`: replay the config's corpus, run the old end-to-end suite and
 * benchmark the systems, and fold the evidence into the RunResult.
 */
import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import type { BenchEvent } from '../bench/runner.js'
import type { ResolvedConfig, ResolvedSystem } from '../config/load.js'
import { runSpecOf } from '../systems/spec.js'
import type { StartedSystem } from '../systems/types.js'
import { isResolvedEndpoint } from '../model/inventory.js'
import type { RunResult } from '../model/run.js'
import { applyRouteEvidence } from './evidence.js'
import { runReplay } from './replay-result.js'

/** Run a system's resetCommand through the shell, bounded in time; a failure is an error. */
function reset(command: string, cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], { cwd, stdio: 'ignore', detached: true })
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL')
      } catch {}
      reject(new Error(`resetCommand \`${command}\` did not finish in 120 s`))
    }, 120_000)
    child.on('error', (e) => reject(e))
    child.on('exit', (code) => {
      clearTimeout(timer)
      if (code === 0) resolve()
      else reject(new Error(`resetCommand \`${command}\` exited with ${code}`))
    })
  })
}

export interface StageOptions {
  /** Progress of the bench stage (a line per trial on a TTY). */
  onBenchEvent?: (e: BenchEvent) => void
  /** Called as each stage starts (the live view of \`parity serve\`). */
  onStage?: (stage: 'runtime' | 'replay' | 'e2e' | 'mcp' | 'bench') => void
  /** Progress within the replay stage: exchanges done of total. */
  onProgress?: (done: number, total: number) => void
}

/**
 * Replay and e2e against the baseline and the first candidate that parity can reach (a `url`) or
 * start (a `run` block: started on a free port, a second baseline instance for learning noise, all
 * stopped with their trees afterwards); then the bench, which starts its own fresh instances.
 */
export async function runDynamicStages(run: RunResult, config: ResolvedConfig, cwd: string, options: StageOptions = {}): Promise<RunResult> {
  const runnable = (s: ResolvedSystem) => !!(s.url || s.run)
  // First, what the running systems register: the scan's routes confirmed, its misses listed.
  if ([config.baseline, ...config.candidates].some((s) => s.run && s.run.tap !== false)) {
    options.onStage?.('runtime')
    const { runRuntimeStage } = await import('./runtime.js')
    run = await runRuntimeStage(run, config)
  }
  const baseline = config.baseline
  const candidate = config.candidates.find(runnable)
  if ((config.replay || config.e2e) && (!runnable(baseline) || !candidate)) {
    run.diagnostics.push({
      level: 'warn',
      code: 'NO_URL',
      message: 'replay and e2e need a running baseline and candidate: give the systems a `run` block (parity starts them) or a `url`; the static results stand alone',
    })
  } else if ((config.replay || config.e2e) && candidate) {
    run = await verifyStages(run, config, cwd, baseline, candidate, options)
  }
  if ([config.baseline, ...config.candidates].some((s) => s.mcp) || config.mcp) {
    options.onStage?.('mcp')
    const { runMcpStage } = await import('../mcp/stage.js')
    run = await runMcpStage(run, config)
    if (config.mcp?.bench) {
      const { runMcpBenchStage } = await import('../mcp/bench-stage.js')
      run = await runMcpBenchStage(run, config)
    }
  }
  if (config.bench) {
    options.onStage?.('bench')
    const { runBenchStage } = await import('../bench/stage.js')
    run = await runBenchStage(run, config, options.onBenchEvent)
  }
  return run
}

async function verifyStages(run: RunResult, config: ResolvedConfig, cwd: string, baseline: ResolvedSystem, candidate: ResolvedSystem, options: StageOptions = {}): Promise<RunResult> {
  const started: StartedSystem[] = []
  const logDir = join(dirname(config.historyFile), 'logs')
  const urlOf = async (s: ResolvedSystem, instance?: string): Promise<string> => {
    if (!s.run) return s.url!
    const { startSystem } = await import('../systems/supervisor.js')
    const system = await startSystem(await runSpecOf(s, { logDir, ...(instance ? { instance } : {}) }))
    started.push(system)
    return system.url
  }
  try {
    const baseUrl = await urlOf(baseline)
    // Noise is learned from two answers: a second instance when parity can start one, unless the config asks for `twice`.
    const baseUrl2 = baseline.url2 ?? (config.replay && baseline.run && !config.replay.twice ? await urlOf(baseline, '-2') : undefined)
    const candidateUrl = await urlOf(candidate)
    if (config.replay) {
      options.onStage?.('replay')
      const inventory = run.pairs.flatMap((p) => (p.baseline && isResolvedEndpoint(p.baseline) ? [p.baseline] : []))
      const resets = { baseline: baseline.resetCommand, candidate: candidate.resetCommand }
      const replayed = await runReplay({
        corpus: config.replay.corpus,
        baseline: baseUrl,
        candidate: candidateUrl,
        ...(baseUrl2 ? { baseline2: baseUrl2 } : {}),
        ...(config.replay.origin ? { origin: config.replay.origin } : {}),
        ...(config.replay.twice ? { twice: true } : {}),
        ...(config.replay.concurrency ? { concurrency: config.replay.concurrency } : {}),
        ...(config.replay.timeout ? { timeoutMs: config.replay.timeout * 1000 } : {}),
        ...(config.replay.ignore ? { ignore: config.replay.ignore } : {}),
        ...(config.replay.normalizers ? { normalizers: config.replay.normalizers } : {}),
        ...(config.redact ? { redact: config.redact } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        inventory,
        reset: async (target) => {
          const command = resets[target]
          if (command) await reset(command, cwd)
        },
      })
      run = applyRouteEvidence(run, replayed.routes ?? [], candidate.name)
      run.noise = replayed.noise ?? []
      run.diagnostics.push(...replayed.diagnostics)
    }
    if (config.e2e) {
      options.onStage?.('e2e')
      const { runE2e } = await import('./e2e.js')
      const result = await runE2e({
        command: config.e2e.command,
        baseline: baseUrl,
        candidate: candidateUrl,
        cwd,
        ...(config.e2e.env ? { envName: config.e2e.env } : {}),
        ...(config.e2e.junit ? { junit: config.e2e.junit } : {}),
        ...(config.e2e.timeout ? { timeoutMs: config.e2e.timeout * 1000 } : {}),
      })
      run.tests = result.tests
    }
    for (const s of started) {
      if (!s.alive) run.diagnostics.push({ level: 'warn', code: 'SYSTEM_EXITED', message: `${s.name} exited during replay or e2e; its log: ${s.logFile}` })
    }
  } finally {
    await Promise.all(started.map((s) => s.stop()))
  }
  return run
}
