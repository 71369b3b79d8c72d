/**
 * The supervisor: starts a system in its own process group with its output in a log file, waits
 * until it is ready (polling every 1 to 5 ms, so the cold start is measured to the millisecond),
 * and stops its whole process tree, SIGTERM then SIGKILL, leaving no orphan even when parity
 * itself is interrupted.
 */
import { spawn } from 'node:child_process'
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs'
import { connect } from 'node:net'
import { dirname } from 'node:path'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { Agent, request } from 'undici'
import { mad, mean, median, stddev } from '../bench/stats.js'
import { ParityError } from '../model/errors.js'
import { isPortInUse, portOwner } from './local-ports.js'
import { isRunning, newTreeMark, processRef, systemPids, TREE_MARK, type ProcessRef } from './process-tree.js'
import type { ExitInfo, RunSpec, StartedSystem, StartupStats } from './types.js'

const POLL_MS = 2
const DEFAULT_READY_TIMEOUT_MS = 30_000
const DEFAULT_GRACE_MS = 3_000
/** After SIGKILL, how long to wait for the kernel before giving up on a process (one stuck in D state). */
const KILL_WAIT_MS = 5_000

interface Running {
  leader: number
  stop(): Promise<ExitInfo>
  killSync(): void
}

/** Every system started and not yet stopped, for the cleanup when parity exits or is interrupted. */
const registry = new Set<Running>()
let handlersInstalled = false
let cleaningUp = false

/**
 * Starts a system and resolves once it is ready. Throws ParityError `PORT_IN_USE` (before spawning),
 * `SYSTEM_EXITED` (it ended before it was ready) or `SYSTEM_NOT_READY` (timeout; the tree is killed),
 * each with the last 10 lines of its output.
 */
export async function startSystem(spec: RunSpec): Promise<StartedSystem> {
  installCleanup()
  const port = spec.port
  const sub = (s: string): string => s.replaceAll('{port}', String(port))
  const url = sub(spec.url || `http://127.0.0.1:${port}`).replace(/\/$/, '')
  const timeoutMs = spec.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS
  const graceMs = spec.graceMs ?? DEFAULT_GRACE_MS

  if (!existsSync(spec.cwd)) {
    throw new ParityError(
      'SYSTEM_CWD_MISSING',
      `${spec.name}: working directory ${spec.cwd} does not exist`,
      'fix run.cwd in the config (relative paths are resolved from the config file)',
    )
  }
  if (await isPortInUse(port)) {
    const owner = portOwner(port)
    throw new ParityError(
      'PORT_IN_USE',
      owner ? `port ${port} is already in use by ${owner}` : `port ${port} is already in use`,
      `stop the process that holds port ${port}, or leave run.port out of the config so that parity picks a free one`,
    )
  }

  mkdirSync(dirname(spec.logFile), { recursive: true })
  const out = openSync(spec.logFile, 'a')
  const argv = typeof spec.command === 'string' ? ['/bin/sh', '-c', sub(spec.command)] : spec.command.map(sub)
  writeSync(out, `--- parity: ${spec.name} starting ${new Date().toISOString()}: ${argv.join(' ')}\n`)
  const logStart = fstatSync(out).size
  let probe: Probe
  try {
    probe = readinessProbe(spec, url, logStart)
  } catch (e) {
    closeSync(out)
    throw e
  }
  const env: Record<string, string | undefined> = { ...process.env }
  for (const [k, v] of Object.entries(spec.env ?? {})) env[k] = sub(v)
  env.PORT = String(port)
  // Every process of the tree inherits the mark: a daemon that left the group is still found.
  const mark = newTreeMark()
  env[TREE_MARK] = mark

  const [file, ...args] = argv
  if (!file) {
    closeSync(out)
    throw new ParityError('SYSTEM_NO_COMMAND', `${spec.name}: the run command is empty`, 'set run.command in the config')
  }
  const t0 = performance.now()
  const child = spawn(file, args, { cwd: spec.cwd, env, detached: true, stdio: ['ignore', out, out] })
  closeSync(out)

  let exitInfo: ExitInfo | undefined
  let stopRequested = false
  let resolveExit!: (x: ExitInfo) => void
  const leaderExit = new Promise<ExitInfo>((r) => (resolveExit = r))
  let resolveCrash!: (x: ExitInfo) => void
  const exited = new Promise<ExitInfo>((r) => (resolveCrash = r))
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve))
  child.once('exit', (code, signal) => {
    exitInfo = { code, signal }
    resolveExit(exitInfo)
    if (!stopRequested) resolveCrash(exitInfo)
  })

  if (child.pid === undefined) {
    const e = await spawnError
    probe.close()
    throw new ParityError(
      'SYSTEM_SPAWN_FAILED',
      `${spec.name}: cannot start ${file}: ${e.message}`,
      'check run.command in the config: the program must exist and be executable',
    )
  }
  const leader = child.pid
  // SIGKILL cannot be caught: a small watchdog outlives parity and stops the system's group if parity dies.
  startWatchdog(leader, mark)
  let stopping: Promise<ExitInfo> | undefined
  const running: Running = {
    leader,
    stop() {
      stopRequested = true
      stopping ??= stopTree(leader, graceMs, leaderExit, mark).then((x) => {
        registry.delete(running)
        return x
      })
      return stopping
    },
    killSync: () => killTreeSync(leader, mark),
  }
  registry.add(running)

  const tail = (): string => lastLines(spec.logFile, logStart, 10)
  const deadline = t0 + timeoutMs
  const gone = leaderExit.then(() => false)
  try {
    for (;;) {
      const remaining = deadline - performance.now()
      const ready = await Promise.race([probe.check(Math.min(remaining, 2_000)), gone])
      if (ready) break
      if (exitInfo) {
        await running.stop()
        const how = exitInfo.signal ? `was killed by ${exitInfo.signal}` : `exited with code ${exitInfo.code}`
        throw new ParityError(
          'SYSTEM_EXITED',
          `${spec.name} ${how} before it was ready${tail()}`,
          `see ${spec.logFile}; run the command by hand in ${spec.cwd} to see why it stops`,
        )
      }
      if (performance.now() >= deadline) {
        await running.stop()
        throw new ParityError(
          'SYSTEM_NOT_READY',
          `${spec.name} did not become ready in ${timeoutMs / 1000} s (${probe.describe})${tail()}`,
          `see ${spec.logFile}; fix run.ready in the config, or raise run.timeout if it only starts slowly`,
        )
      }
      await sleep(POLL_MS)
    }
  } catch (e) {
    if (!stopping) await running.stop()
    throw e
  } finally {
    probe.close()
  }
  const readyMs = performance.now() - t0

  return {
    name: spec.name,
    pid: leader,
    url,
    readyMs,
    logFile: spec.logFile,
    exited,
    get alive() {
      return exitInfo === undefined
    },
    stop: () => running.stop(),
  }
}

/** Stops every system started and not yet stopped. */
export async function stopAll(): Promise<void> {
  await Promise.all([...registry].map((r) => r.stop()))
}

/**
 * Cold start, as hyperfine measures a command: `warmup` starts not counted, then `runs` starts
 * from spawn to ready, each stopped before the next.
 */
export async function measureColdStart(spec: RunSpec, opts: { runs?: number; warmup?: number } = {}): Promise<StartupStats> {
  const runs = Math.max(1, opts.runs ?? 10)
  const warmup = Math.max(0, opts.warmup ?? 1)
  const times: number[] = []
  for (let i = 0; i < warmup + runs; i++) {
    const system = await startSystem(spec)
    await system.stop()
    if (i >= warmup) times.push(system.readyMs)
  }
  return startupStats(times, warmup)
}

export function startupStats(times: number[], warmup: number): StartupStats {
  return {
    runs: times.length,
    warmup,
    median: median(times),
    mean: mean(times),
    stddev: stddev(times),
    min: Math.min(...times),
    max: Math.max(...times),
    outliers: outlierIndexes(times),
    times,
  }
}

/**
 * Indexes of the values outside median ± 3 · 1.4826 · MAD (hyperfine's rule): 1.4826 · MAD estimates
 * the standard deviation of normal data without being pulled by the outliers themselves.
 */
export function outlierIndexes(xs: readonly number[]): number[] {
  const m = median(xs)
  const limit = 3 * 1.4826 * mad(xs)
  const out: number[] = []
  xs.forEach((x, i) => {
    if (Math.abs(x - m) > limit) out.push(i)
  })
  return out
}

interface Probe {
  /** One attempt, bounded by `timeoutMs`. */
  check(timeoutMs: number): Promise<boolean>
  describe: string
  close(): void
}

/** `logStart`: where this start's output begins in the log file. */
function readinessProbe(spec: RunSpec, url: string, logStart: number): Probe {
  const ready = spec.ready ?? {}
  if (ready.http !== undefined) {
    const path = ready.http.startsWith('/') ? ready.http : `/${ready.http}`
    const target = url + path
    // Its own agent, destroyed once ready, so that no probe connection lingers into the load.
    const agent = new Agent({ connect: { timeout: 2_000 }, keepAliveTimeout: 1_000 })
    return {
      describe: `GET ${target} answering 2xx`,
      async check(timeoutMs) {
        try {
          const res = await request(target, { dispatcher: agent, method: 'GET', signal: AbortSignal.timeout(Math.max(1, timeoutMs)) })
          await res.body.dump()
          return res.statusCode >= 200 && res.statusCode < 300
        } catch {
          return false
        }
      },
      close: () => void agent.destroy().catch(() => {}),
    }
  }
  if (ready.log !== undefined) {
    let pattern: RegExp
    try {
      pattern = new RegExp(ready.log)
    } catch (e) {
      throw new ParityError(
        'BAD_READY_PATTERN',
        `${spec.name}: run.ready.log is not a valid regular expression: ${(e as Error).message}`,
        'write a JavaScript regular expression, e.g. "listening on"',
      )
    }
    let fd: number | undefined
    let pos = logStart
    let partial = ''
    const buf = Buffer.alloc(64 * 1024)
    return {
      describe: `a log line matching /${ready.log}/`,
      async check() {
        fd ??= openSync(spec.logFile, 'r')
        for (;;) {
          const n = readSync(fd, buf, 0, buf.length, pos)
          if (n <= 0) break
          pos += n
          const lines = (partial + buf.toString('utf8', 0, n)).split('\n')
          partial = lines.pop() ?? ''
          if (lines.some((l) => pattern.test(l))) return true
        }
        return partial !== '' && pattern.test(partial)
      },
      close() {
        if (fd !== undefined) closeSync(fd)
        fd = undefined
      },
    }
  }
  const host = hostOf(url)
  return {
    describe: `TCP connect to ${host}:${spec.port}`,
    check: (timeoutMs) =>
      new Promise<boolean>((resolve) => {
        const socket = connect({ host, port: spec.port })
        socket.setTimeout(Math.max(1, timeoutMs))
        const done = (ok: boolean) => {
          socket.destroy()
          resolve(ok)
        }
        socket.once('connect', () => done(true))
        socket.once('error', () => done(false))
        socket.once('timeout', () => done(false))
      }),
    close() {},
  }
}

function hostOf(url: string): string {
  try {
    const h = new URL(url).hostname
    return h.startsWith('[') ? h.slice(1, -1) : h || '127.0.0.1'
  } catch {
    return '127.0.0.1'
  }
}

/** The last `n` lines the system wrote since `from`, as an indented block for an error message. */
function lastLines(file: string, from: number, n: number): string {
  let text = ''
  try {
    const fd = openSync(file, 'r')
    try {
      const size = fstatSync(fd).size
      const start = Math.max(from, size - 64 * 1024)
      const buf = Buffer.alloc(Math.max(0, size - start))
      readSync(fd, buf, 0, buf.length, start)
      text = buf.toString('utf8')
    } finally {
      closeSync(fd)
    }
  } catch {
    return ''
  }
  const lines = text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(-n)
  if (lines.length === 0) return '\n  (it wrote nothing)'
  return `\n  last ${lines.length === 1 ? 'line' : `${lines.length} lines`} of its output:\n${lines.map((l) => `    ${l}`).join('\n')}`
}

/** Sends a signal to the group, then to each member that left the group. */
function signalTree(leader: number, refs: ProcessRef[], signal: NodeJS.Signals): void {
  try {
    process.kill(-leader, signal)
  } catch {
    // The group is empty.
  }
  for (const r of refs) {
    if (r.pgrp === leader || !isRunning(r)) continue
    try {
      process.kill(r.pid, signal)
    } catch {
      // Gone meanwhile.
    }
  }
}

/**
 * Stops a tree: SIGTERM to its group and every process found (descendants, group and session
 * members, processes carrying its `mark`), SIGKILL after `graceMs`; resolves with the leader's exit.
 */
export async function stopTree(leader: number, graceMs: number, leaderExit: Promise<ExitInfo>, mark?: string): Promise<ExitInfo> {
  // Collected before signalling: a child reparented to init after its parent dies is no longer findable.
  const refs = new Map<number, ProcessRef>()
  const collect = () => {
    const known = [...refs.values()].filter(isRunning).map((r) => r.pid)
    for (const pid of systemPids(leader, known, mark)) if (!refs.has(pid)) refs.set(pid, processRef(pid))
  }
  const running = () => [...refs.values()].filter(isRunning)
  collect()
  signalTree(leader, [...refs.values()], 'SIGTERM')
  const graceEnd = performance.now() + graceMs
  let polls = 0
  while (running().length > 0 && performance.now() < graceEnd) {
    await sleep(5)
    // A process may fork while it shuts down.
    if (++polls % 10 === 0) {
      const before = refs.size
      collect()
      if (refs.size > before) signalTree(leader, [...refs.values()].slice(before), 'SIGTERM')
    }
  }
  const killEnd = performance.now() + KILL_WAIT_MS
  while (running().length > 0 && performance.now() < killEnd) {
    collect()
    signalTree(leader, running(), 'SIGKILL')
    await sleep(5)
  }
  // The leader's exit status, or SIGKILL if it is not reported in time; the timer must not hold parity open.
  const giveUp = new AbortController()
  const late = sleep(KILL_WAIT_MS, undefined, { signal: giveUp.signal }).then(
    (): ExitInfo => ({ code: null, signal: 'SIGKILL' }),
    (): ExitInfo => ({ code: null, signal: 'SIGKILL' }),
  )
  const exit = await Promise.race([leaderExit, late])
  giveUp.abort()
  return exit
}

function killTreeSync(leader: number, mark?: string): void {
  const refs = systemPids(leader, [], mark).map(processRef)
  signalTree(leader, refs, 'SIGKILL')
}

function killAllSync(): void {
  for (const r of registry) r.killSync()
  registry.clear()
}

/** Once, on the first start: kill every started tree when parity exits, and on SIGINT/SIGTERM stop them, then exit 130/143. */
function installCleanup(): void {
  if (handlersInstalled) return
  handlersInstalled = true
  process.on('exit', killAllSync)
  const onSignal = (signal: NodeJS.Signals) => {
    const code = signal === 'SIGINT' ? 130 : 143
    if (cleaningUp || registry.size === 0) {
      // A second Ctrl-C, or nothing to stop: no more waiting.
      killAllSync()
      process.exit(code)
    }
    cleaningUp = true
    void stopAll().finally(() => process.exit(code))
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
}

/**
 * The parent-death guard: a tiny detached process that checks every half second that parity is still
 * alive, and every second which processes make up the system's tree (its group, and descendants that
 * left it). When parity is gone (killed with SIGKILL, as CI runners do on timeout) it stops them all,
 * TERM then KILL after 3 s; when the tree is gone it exits.
 */
const WATCHDOG = `
const fs = require('fs')
const [parent, leader] = process.argv.slice(1, 3).map(Number)
const mark = process.argv[3]
const alive = (pid) => { try { process.kill(pid, 0); return true } catch (e) { return e.code === 'EPERM' } }
// The tree as last seen: a descendant that left the group (a detached grandchild) is still known.
let known = new Set([leader])
const refresh = () => {
  let stats
  try { stats = fs.readdirSync('/proc').filter((d) => /^[0-9]+$/.test(d)) } catch { return }
  const kids = new Map()
  for (const d of stats) {
    try {
      const s = fs.readFileSync('/proc/' + d + '/stat', 'latin1')
      const ppid = Number(s.slice(s.lastIndexOf(')') + 2).split(' ')[1])
      if (!kids.has(ppid)) kids.set(ppid, [])
      kids.get(ppid).push(Number(d))
    } catch {}
  }
  const next = new Set([...known].filter(alive))
  const stack = [...next]
  while (stack.length) for (const c of kids.get(stack.pop()) || []) if (!next.has(c)) { next.add(c); stack.push(c) }
  known = next
}
// Processes carrying the tree's mark in their environment: daemons that left the group and lost their parent.
const marked = () => {
  if (!mark) return []
  const needle = Buffer.from('PARITY_TREE=' + mark + '\\0')
  const out = []
  let names = []
  try { names = fs.readdirSync('/proc').filter((d) => /^[0-9]+$/.test(d) && Number(d) !== process.pid) } catch {}
  for (const d of names) {
    try {
      const env = fs.readFileSync('/proc/' + d + '/environ')
      const at = env.indexOf(needle)
      if (at === 0 || (at > 0 && env[at - 1] === 0)) out.push(Number(d))
    } catch {}
  }
  return out
}
const kill = (signal) => {
  try { process.kill(-leader, signal) } catch {}
  for (const pid of known) try { process.kill(pid, signal) } catch {}
}
let tick = 0
const timer = setInterval(() => {
  if (alive(parent)) {
    if (tick++ % 2 === 0) refresh()
    if (![...known].some(alive) && !alive(-leader) && marked().length === 0) process.exit(0)
    return
  }
  clearInterval(timer)
  for (const pid of marked()) known.add(pid)
  refresh()
  kill('SIGTERM')
  setTimeout(() => { kill('SIGKILL'); process.exit(0) }, 3000)
}, 500)
`

export function startWatchdog(group: number, mark?: string): void {
  try {
    spawn(process.execPath, ['-e', WATCHDOG, String(process.pid), String(group), ...(mark ? [mark] : [])], { detached: true, stdio: 'ignore' }).unref()
  } catch {
    // Without a watchdog parity still stops its systems on exit, Ctrl-C and SIGTERM.
  }
}
