/**
 * The systems the replay and e2e stages talk to: a system with a `url` is reached there; one with a
 * `run` block is started on a free port the first time a stage asks for it (a second baseline
 * instance, `-2`, for learning noise), and every started system is stopped with its process tree
 * when the pipeline releases them.
 */
import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import type { ResolvedConfig, ResolvedSystem } from '../config/load.js'
import type { Diagnostic } from '../model/inventory.js'
import { runSpecOf } from '../systems/spec.js'
import type { StartedSystem } from '../systems/types.js'

export interface SharedSystems {
  /** The base URL of a system: its `url`, else an instance parity starts (once per instance suffix). */
  urlOf(system: ResolvedSystem, instance?: string): Promise<string>
  /** Stops every started system; a system that had exited before is a warning. */
  release(): Promise<Diagnostic[]>
}

export const isRunnable = (s: ResolvedSystem): boolean => !!(s.url || s.run)

/** The candidate the replay and e2e stages compare with the baseline: the first parity can reach or start. */
export function verifiedCandidate(config: ResolvedConfig): ResolvedSystem | undefined {
  return isRunnable(config.baseline) ? config.candidates.find(isRunnable) : undefined
}

export function sharedSystems(config: ResolvedConfig): SharedSystems {
  const logDir = join(dirname(config.historyFile), 'logs')
  const started = new Map<string, Promise<StartedSystem>>()
  return {
    async urlOf(system, instance) {
      if (!system.run) return system.url!
      const key = `${system.name}${instance ?? ''}`
      let starting = started.get(key)
      if (!starting) {
        starting = (async () => {
          const { startSystem } = await import('../systems/supervisor.js')
          return startSystem(await runSpecOf(system, { logDir, ...(instance ? { instance } : {}) }))
        })()
        started.set(key, starting)
      }
      return (await starting).url
    },
    async release() {
      const systems = (await Promise.allSettled(started.values())).flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
      started.clear()
      const diagnostics: Diagnostic[] = systems
        .filter((s) => !s.alive)
        .map((s) => ({ level: 'warn', code: 'SYSTEM_EXITED', message: `${s.name} exited during replay or e2e; its log: ${s.logFile}` }))
      await Promise.all(systems.map((s) => s.stop()))
      return diagnostics
    },
  }
}

/**
 * Run a system's resetCommand through the shell, bounded in time; a failure is an error. The target
 * it resets is in PARITY_RESET_TARGET (`baseline` or `candidate`), for one command that resets either.
 */
export function runResetCommand(command: string, cwd: string, target?: 'baseline' | 'candidate'): Promise<void> {
  return new Promise((resolve, reject) => {
    const env = target ? { ...process.env, PARITY_RESET_TARGET: target } : process.env
    const child = spawn('/bin/sh', ['-c', command], { cwd, stdio: 'ignore', detached: true, env })
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
