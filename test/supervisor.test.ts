import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, describe, expect, it } from 'vitest'
import { isParityError, type ParityError } from '../src/model/errors.js'
import { freePort, portOwner } from '../src/systems/local-ports.js'
import { treePids } from '../src/systems/resources.js'
import { measureColdStart, outlierIndexes, startSystem, startupStats, stopAll } from '../src/systems/supervisor.js'
import type { StartedSystem } from '../src/systems/types.js'
import { fixtureSpec, getText, processAlive, processGroup, systemFixtures } from './support/systems.js'

const logDir = mkdtempSync(join(tmpdir(), 'parity-systems-'))

afterAll(async () => {
  await stopAll()
  rmSync(logDir, { recursive: true, force: true })
})

async function startError(p: Promise<StartedSystem>): Promise<ParityError> {
  try {
    const s = await p
    await s.stop()
  } catch (e) {
    if (isParityError(e)) return e
    throw e
  }
  throw new Error('expected a ParityError')
}

describe('startSystem and stop', () => {
  for (const ready of [{ http: '/health' }, { tcp: true }, { log: 'fast listening on \\d+' }]) {
    it(`starts the fast server, ready by ${Object.keys(ready)[0]}, and stops its whole tree`, async () => {
      const spec = await fixtureSpec('fast', logDir, { ready })
      const system = await startSystem(spec)
      expect(system.alive).toBe(true)
      expect(system.readyMs).toBeGreaterThan(0)
      expect(await getText(`${system.url}/x`)).toEqual({ status: 200, body: 'ok' })
      const pids = treePids(system.pid)
      expect(pids[0]).toBe(system.pid)
      const exit = await system.stop()
      expect(exit.signal ?? exit.code).toBeTruthy()
      expect(system.alive).toBe(false)
      for (const pid of pids) expect(processAlive(pid)).toBe(false)
      expect(readFileSync(spec.logFile, 'utf8')).toContain(`fast listening on ${spec.port}`)
    })
  }

  it('waits for the log line, and the server listens once it is printed', async () => {
    const spec = await fixtureSpec('logs-ready', logDir, { ready: { log: 'listening on' } })
    const system = await startSystem(spec)
    // The fixture sleeps 200 ms before it listens and prints: readiness cannot come earlier.
    expect(system.readyMs).toBeGreaterThanOrEqual(150)
    expect((await getText(system.url)).body).toBe('ok')
    await system.stop()
  })

  it('substitutes {port} in the command and the environment', async () => {
    const port = await freePort()
    const spec = await fixtureSpec('fast', logDir, {
      port,
      command: `PORT={port} exec ${process.execPath} fast.mjs`,
      env: { GREETING: 'port-{port}' },
      ready: { http: '/' },
    })
    const system = await startSystem(spec)
    expect((await getText(`http://127.0.0.1:${port}/`)).body).toBe('ok')
    const env = readFileSync(`/proc/${system.pid}/environ`, 'latin1').split('\0')
    expect(env).toContain(`GREETING=port-${port}`)
    expect(env).toContain(`PORT=${port}`)
    await system.stop()
  })

  it('stop is idempotent', async () => {
    const system = await startSystem(await fixtureSpec('fast', logDir))
    const [a, b] = await Promise.all([system.stop(), system.stop()])
    expect(a).toEqual(b)
    expect(await system.stop()).toEqual(a)
  })

  it('forks-child: the tree has two processes and stop kills both', async () => {
    const system = await startSystem(await fixtureSpec('forks-child', logDir, { ready: { http: '/' } }))
    const pids = treePids(system.pid)
    expect(pids.length).toBeGreaterThanOrEqual(2)
    const child = Number((await getText(system.url)).body)
    expect(pids).toContain(child)
    await system.stop()
    for (const pid of pids) expect(processAlive(pid)).toBe(false)
  })

  it('forks-child with a detached child in another process group: stop kills it too', async () => {
    const system = await startSystem(await fixtureSpec('forks-child', logDir, { ready: { http: '/' }, env: { DETACHED: '1' } }))
    const child = Number((await getText(system.url)).body)
    expect(processGroup(child)).not.toBe(system.pid)
    expect(treePids(system.pid)).toContain(child)
    await system.stop()
    expect(processAlive(system.pid)).toBe(false)
    expect(processAlive(child)).toBe(false)
  })

  it('a daemon started through setsid by a shell that exited (parent init, own session): stop kills it too', async () => {
    const system = await startSystem(await fixtureSpec('daemon-child', logDir, { ready: { http: '/' } }))
    const daemon = Number((await getText(system.url)).body)
    expect(processAlive(daemon)).toBe(true)
    expect(processGroup(daemon)).not.toBe(system.pid)
    await system.stop()
    expect(processAlive(system.pid)).toBe(false)
    expect(processAlive(daemon)).toBe(false)
  })

  it('a crash resolves `exited` with its exit code', async () => {
    const system = await startSystem(await fixtureSpec('crash', logDir, { ready: { http: '/ok' } }))
    await fetch(`${system.url}/crash`).catch(() => undefined)
    expect(await system.exited).toEqual({ code: 3, signal: null })
    expect(system.alive).toBe(false)
    expect(await system.stop()).toEqual({ code: 3, signal: null })
  })
})

describe('start failures', () => {
  it('a command that exits at once: SYSTEM_EXITED with its last log line', async () => {
    const e = await startError(startSystem(await fixtureSpec('exits-at-once', logDir)))
    expect(e.code).toBe('SYSTEM_EXITED')
    expect(e.message).toContain('exits-at-once exited with code 1 before it was ready')
    expect(e.message).toContain('fatal: missing DATABASE_URL')
    expect(e.hint).toBeTruthy()
  })

  it('never ready: SYSTEM_NOT_READY after the timeout, and the tree is gone', async () => {
    const e = await startError(startSystem(await fixtureSpec('never-ready', logDir, { readyTimeoutMs: 500, ready: { http: '/health' } })))
    expect(e.code).toBe('SYSTEM_NOT_READY')
    expect(e.message).toMatch(/never-ready did not become ready in 0\.5 s \(GET http:\/\/127\.0\.0\.1:\d+\/health answering 2xx\)/)
    const pid = Number(/pid (\d+)/.exec(e.message)?.[1])
    expect(pid).toBeGreaterThan(0)
    expect(processAlive(pid)).toBe(false)
  })

  it('a port already in use: PORT_IN_USE naming the process that holds it', async () => {
    const holder: Server = createServer()
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r))
    const port = (holder.address() as { port: number }).port
    try {
      expect(portOwner(port)).toMatch(new RegExp(`^${process.pid} `))
      const e = await startError(startSystem(await fixtureSpec('fast', logDir, { port, url: `http://127.0.0.1:${port}` })))
      expect(e.code).toBe('PORT_IN_USE')
      expect(e.message).toMatch(new RegExp(`^port ${port} is already in use by ${process.pid} `))
    } finally {
      await new Promise((r) => holder.close(r))
    }
  })

  it('a program that does not exist: SYSTEM_SPAWN_FAILED', async () => {
    const e = await startError(startSystem(await fixtureSpec('fast', logDir, { command: ['/nonexistent/parity-server'] })))
    expect(e.code).toBe('SYSTEM_SPAWN_FAILED')
  })

  it('an invalid log pattern: BAD_READY_PATTERN before anything is spawned', async () => {
    const e = await startError(startSystem(await fixtureSpec('fast', logDir, { ready: { log: '(' } })))
    expect(e.code).toBe('BAD_READY_PATTERN')
  })
})

describe('cold start', () => {
  it('measures runs after warm-up, median between min and max', async () => {
    const stats = await measureColdStart(await fixtureSpec('fast', logDir), { runs: 3, warmup: 1 })
    expect(stats.runs).toBe(3)
    expect(stats.warmup).toBe(1)
    expect(stats.times).toHaveLength(3)
    expect(stats.min).toBeLessThanOrEqual(stats.median)
    expect(stats.median).toBeLessThanOrEqual(stats.max)
    expect(stats.min).toBeGreaterThan(0)
  })

  it('statistics on known data: median, mean, sample stddev, MAD outliers', () => {
    const xs = [2, 4, 4, 4, 5, 5, 7, 9]
    // MAD 0.5, so the limit is 2.22 around 4.5: 2, 7 and 9 are out.
    expect(startupStats(xs, 0)).toMatchObject({ median: 4.5, mean: 5, min: 2, max: 9, outliers: [0, 6, 7] })
    expect(startupStats(xs, 0).stddev).toBeCloseTo(Math.sqrt(32 / 7), 10)
    // MAD of these is 1: 3 · 1.4826 · 1 = 4.45 around 11: 50 is out, 12 and 10 are in.
    const times = [10, 11, 12, 11, 10, 50]
    expect(outlierIndexes(times)).toEqual([5])
    expect(outlierIndexes([10, 11, 12, 11, 10, 15.4])).toEqual([])
    expect(outlierIndexes([10, 11, 12, 11, 10, 15.5])).toEqual([5])
    expect(outlierIndexes([100, 100, 100, 100, 101])).toEqual([4])
    const s = startupStats(times, 2)
    expect(s).toMatchObject({ runs: 6, warmup: 2, median: 11, min: 10, max: 50, outliers: [5] })
  })
})

describe('interrupting parity', () => {
  it('SIGINT to a parity process leaves no orphan, the detached grandchild included', async () => {
    const { proc, exit, pids } = await superviseThenWait()
    expect(pids.length).toBeGreaterThanOrEqual(2)
    for (const pid of pids) expect(processAlive(pid)).toBe(true)
    proc.kill('SIGINT')
    expect(await exit).toBe(130)
    for (const pid of pids) expect(processAlive(pid)).toBe(false)
  })
})

describe('parent-death guard', () => {
  it('SIGKILL of parity (a CI runner on timeout) still stops every system it started, within seconds', async () => {
    const { proc, exit, pids } = await superviseThenWait()
    for (const pid of pids) expect(processAlive(pid)).toBe(true)
    proc.kill('SIGKILL')
    await exit
    // The watchdog polls every 500 ms, then TERM (and KILL after 3 s): give it a bounded while.
    const deadline = Date.now() + 8000
    while (pids.some(processAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200))
    for (const pid of pids) expect(processAlive(pid)).toBe(false)
  }, 20_000)
})

/** A parity-like process that started forks-child (with a detached grandchild) and waits; its tree's pids. */
async function superviseThenWait() {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(systemFixtures, 'supervise-then-wait.ts'), logDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  proc.stderr.on('data', (d) => (stderr += d))
  const exit = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)))
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: proc.stdout })
    rl.once('line', resolve)
    void exit.then(() => reject(new Error(`exited before printing: ${stderr}`)))
  })
  const { pids } = JSON.parse(line) as { pids: number[] }
  return { proc, exit, pids }
}
