/**
 * The dynamic stages of `parity run`: replay the config's corpus and run the old end-to-end suite
 * against the systems that have a `url`, and fold the evidence into the RunResult.
 */
import { spawn } from 'node:child_process'
import type { ResolvedConfig } from '../config/load.js'
import { isEndpoint } from '../model/inventory.js'
import type { RunResult } from '../model/run.js'
import { applyRouteEvidence } from './evidence.js'
import { runReplay } from './run-replay.js'

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

export async function runDynamicStages(run: RunResult, config: ResolvedConfig, cwd: string): Promise<RunResult> {
  const candidate = config.candidates.find((c) => c.url)
  const baseline = config.baseline
  if ((config.replay || config.e2e) && (!baseline.url || !candidate)) {
    run.diagnostics.push({
      level: 'warn',
      code: 'NO_URL',
      message: 'replay and e2e need a running baseline and candidate: give the systems a `url` in the config; the static results stand alone',
    })
    return run
  }
  if (config.replay && baseline.url && candidate?.url) {
    const inventory = run.pairs.flatMap((p) => (p.baseline && isEndpoint(p.baseline) ? [p.baseline] : []))
    const resets = { baseline: baseline.resetCommand, candidate: candidate.resetCommand }
    const replayed = await runReplay({
      corpus: config.replay.corpus,
      baseline: baseline.url,
      candidate: candidate.url,
      ...(baseline.url2 ? { baseline2: baseline.url2 } : {}),
      ...(config.replay.origin ? { origin: config.replay.origin } : {}),
      ...(config.replay.twice ? { twice: true } : {}),
      ...(config.replay.concurrency ? { concurrency: config.replay.concurrency } : {}),
      ...(config.replay.timeout ? { timeoutMs: config.replay.timeout * 1000 } : {}),
      ...(config.replay.ignore ? { ignore: config.replay.ignore } : {}),
      ...(config.replay.normalizers ? { normalizers: config.replay.normalizers } : {}),
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
  if (config.e2e && baseline.url && candidate?.url) {
    const { runE2e } = await import('./e2e.js')
    const result = await runE2e({
      command: config.e2e.command,
      baseline: baseline.url,
      candidate: candidate.url,
      cwd,
      ...(config.e2e.env ? { envName: config.e2e.env } : {}),
      ...(config.e2e.junit ? { junit: config.e2e.junit } : {}),
      ...(config.e2e.timeout ? { timeoutMs: config.e2e.timeout * 1000 } : {}),
    })
    run.tests = result.tests
  }
  return run
}
