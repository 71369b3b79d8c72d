/** Helpers for the supervisor and resource tests: fixture specs, and an independent liveness check. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from '../../src/systems/local-ports.js'
import type { RunSpec } from '../../src/systems/types.js'

export const systemFixtures = fileURLToPath(new URL('../fixtures/systems/', import.meta.url))

/** A RunSpec for `test/fixtures/systems/<name>.mjs` on a free port, logging into `logDir`. */
export async function fixtureSpec(name: string, logDir: string, extra: Partial<RunSpec> = {}): Promise<RunSpec> {
  const port = extra.port ?? (await freePort())
  return {
    name,
    command: [process.execPath, join(systemFixtures, `${name}.mjs`)],
    cwd: systemFixtures,
    port,
    url: `http://127.0.0.1:${port}`,
    ready: { tcp: true },
    logFile: join(logDir, `${name}.log`),
    ...extra,
  }
}

/** Read from /proc directly (not through the module under test); a zombie counts as dead. */
export function processAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1')
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3)
    return state !== 'Z' && state !== 'X'
  } catch {
    return false
  }
}

/** The process group of a live process, from /proc. */
export function processGroup(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1')
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2])
}

export async function getText(url: string): Promise<{ status: number; body: string }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) })
  return { status: res.status, body: await res.text() }
}
