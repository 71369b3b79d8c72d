/**
 * From a system's `run` block in the config to a RunSpec: the port chosen (a free one, unless the
 * config fixes it), the command pinned to CPUs when asked, the log file beside the history store.
 */
import { join } from 'node:path'
import type { ResolvedSystem } from '../config/load.js'
import type { RunSpec } from './types.js'

export interface SpecOptions {
  /** Folder for the systems' log files. */
  logDir: string
  /** A suffix for a second instance of the same system (`-2`). */
  instance?: string
  /** `taskset` CPU list to pin the system to. */
  cpus?: string
}

export async function runSpecOf(system: ResolvedSystem, options: SpecOptions): Promise<RunSpec> {
  const run = system.run
  if (!run) throw new Error(`${system.name} has no run block`)
  const { freePort } = await import('./local-ports.js')
  const port = run.port && !options.instance ? run.port : await freePort()
  let command: string[] | string = run.command
  if (options.cpus) command = ['taskset', '-c', options.cpus, ...(typeof command === 'string' ? ['/bin/sh', '-c', command] : command)]
  const name = `${system.name}${options.instance ?? ''}`
  return {
    name,
    command,
    cwd: run.cwd,
    ...(run.env ? { env: run.env } : {}),
    port,
    url: `http://127.0.0.1:${port}`,
    ready: run.ready && Object.keys(run.ready).length ? run.ready : { tcp: true },
    ...(run.timeout ? { readyTimeoutMs: run.timeout * 1000 } : {}),
    ...(run.grace ? { graceMs: run.grace * 1000 } : {}),
    logFile: join(options.logDir, `${name}.log`),
  }
}
