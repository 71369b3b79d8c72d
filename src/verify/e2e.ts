/**
 * The old end-to-end suite against both sides: the same command run twice, its base URL variable
 * pointing at the baseline and then at the candidate, its results read per test and paired. An MCP
 * suite gets the server instead: the command that starts it over stdio (the suite spawns it, as
 * MCP clients do), or its Streamable HTTP or WebSocket URL.
 */
import { classifyE2eTest } from '../assess/e2e.js'
import { spawn } from 'node:child_process'
import { newTreeMark, systemPids, TREE_MARK } from '../systems/process-tree.js'
import { startWatchdog, stopTree } from '../systems/supervisor.js'
import { readFileSync, rmSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import { ParityError } from '../model/errors.js'
import { parseJunit, parseSummary, parseTap, type ParsedTest } from './e2e-results.js'
import type { E2eTest } from '../model/exchange.js'

/**
 * What `baseline` and `candidate` are: `url` an HTTP base URL (the default); `mcp-command` the shell
 * command that starts an MCP server over stdio; `mcp-url` an MCP server's Streamable HTTP or
 * WebSocket URL.
 */
export type E2eTarget = 'url' | 'mcp-command' | 'mcp-url'

/** The variable each target is handed in unless the caller names another. */
export const E2E_DEFAULT_ENV: Record<E2eTarget, string> = { url: 'BASE_URL', 'mcp-command': 'MCP_SERVER_COMMAND', 'mcp-url': 'MCP_SERVER_URL' }

export interface E2eOptions {
  /** The suite's command and its arguments, run without a shell. */
  command: string[]
  baseline: string
  candidate: string
  /** What baseline and candidate are (default `url`). */
  target?: E2eTarget
  /** The environment variable that carries the base URL (default `BASE_URL`; MCP: `MCP_SERVER_COMMAND` or `MCP_SERVER_URL`). */
  envName?: string
  /** The JUnit XML file the suite writes: removed before each run, read after it. */
  junit?: string
  cwd?: string
  /** Per run, in milliseconds (default 600000); at the limit the whole process group is killed. */
  timeoutMs?: number
}

/** How one run of the suite went; a crash or a timeout is data here, not an exception. */
export interface RunInfo {
  /** null when the run was killed (timeout) or ended by a signal. */
  exitCode: number | null
  passed: number
  failed: number
  skipped: number
  /** Where the results were read from. */
  source: 'junit' | 'tap' | 'summary' | 'exit-code'
  durationMs: number
  /** The last lines of stdout and stderr, at most OUTPUT_TAIL characters. */
  output: string
  /** The run did not end before the timeout and was killed with its children. */
  timedOut?: boolean
  /** Why a preferred source was not used (`--junit` file not written or not well-formed). */
  note?: string
}

export interface E2eResult {
  tests: E2eTest[]
  baseline: RunInfo
  candidate: RunInfo
}

const OUTPUT_TAIL = 16 * 1024
/** Output kept per stream for reading TAP and the summary; past it, the head is dropped. */
const OUTPUT_KEEP = 8 * 1024 * 1024
const KILL_GRACE_MS = 2000
/** Pseudo-test names when the suite's own names are unknown. */
export const EXIT_CODE_TEST = '(exit code)'
export const COMPLETED_TEST = '(suite completed)'

/**
 * Runs `command` against the baseline, then against the candidate, and pairs the tests by name.
 * Throws a ParityError only for bad input (empty command, a URL that is not http(s), a command
 * that cannot be started); a failing, crashing or hanging suite is reported in the RunInfo.
 */
export async function runE2e(options: E2eOptions): Promise<E2eResult> {
  const { command, target = 'url', timeoutMs = 600_000 } = options
  const envName = options.envName ?? E2E_DEFAULT_ENV[target]
  if (!command.length || !command[0]) {
    throw new ParityError('USAGE', 'e2e needs the suite command', 'put it after `--`: parity e2e --baseline URL --candidate URL -- npm test')
  }
  checkTarget('baseline', options.baseline, target)
  checkTarget('candidate', options.candidate, target)
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(envName)) {
    throw new ParityError('USAGE', `${envName} is not an environment variable name`, 'use letters, digits and _, such as BASE_URL')
  }
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
    throw new ParityError('USAGE', `timeout ${timeoutMs} ms is not a positive duration`, 'give the timeout per run in seconds, such as --timeout 600')
  }
  const cwd = resolve(options.cwd ?? process.cwd())
  if (!statSync(cwd, { throwIfNoEntry: false })?.isDirectory()) {
    throw new ParityError('BAD_CWD', `${cwd} is not a folder`, 'run the suite from a folder that exists')
  }
  const junit = options.junit === undefined ? undefined : resolve(cwd, options.junit)
  const run = (url: string) => runSuite({ command, cwd, env: { ...process.env, [envName]: url }, junit, timeoutMs })
  const base = await run(options.baseline)
  const cand = await run(options.candidate)
  const baseTests = base.tests
  const candTests = cand.tests
  if (base.info.timedOut || cand.info.timedOut) {
    baseTests.push({ name: COMPLETED_TEST, status: base.info.timedOut ? 'fail' : 'pass' })
    candTests.push({ name: COMPLETED_TEST, status: cand.info.timedOut ? 'fail' : 'pass' })
  }
  return { tests: pairTests(baseTests, candTests), baseline: base.info, candidate: cand.info }
}

function checkTarget(side: string, value: string, target: E2eTarget): void {
  if (target === 'mcp-command') {
    if (!value.trim())
      throw new ParityError('USAGE', `--${side}-command is empty`, `give the command that starts the ${side} MCP server over stdio, such as "node server.js"`)
    return
  }
  let parsed: URL | undefined
  try {
    parsed = new URL(value)
  } catch {
    parsed = undefined
  }
  const allowed = target === 'mcp-url' ? ['http:', 'https:', 'ws:', 'wss:'] : ['http:', 'https:']
  if (!parsed || !allowed.includes(parsed.protocol)) {
    throw new ParityError(
      'BAD_URL',
      `--${side} ${value} is not ${target === 'mcp-url' ? 'an http(s) or ws(s)' : 'an http(s)'} URL`,
      target === 'mcp-url'
        ? `give the ${side} MCP server's URL, such as http://127.0.0.1:3000/mcp or ws://127.0.0.1:3000`
        : `give the ${side}'s base URL, such as http://127.0.0.1:3000`,
    )
  }
}

/** Pairs two runs' tests by name, in the baseline's order, then the candidate's new names. */
export function pairTests(baseline: ParsedTest[], candidate: ParsedTest[]): E2eTest[] {
  const cand = new Map(candidate.map((t) => [t.name, t.status]))
  const base = new Set(baseline.map((t) => t.name))
  return [
    ...baseline.map((t) => ({ name: t.name, baseline: t.status, candidate: cand.get(t.name) ?? ('absent' as const) })),
    ...candidate.filter((t) => !base.has(t.name)).map((t) => ({ name: t.name, baseline: 'absent' as const, candidate: t.status })),
  ].map((t): E2eTest => ({ ...t, outcome: classifyE2eTest(t) }))
}

export { candidatePassRate, classifyE2eTest, e2eCounts } from '../assess/e2e.js'

interface SuiteRun {
  tests: ParsedTest[]
  info: RunInfo
}

/** A stream's text, keeping at most `limit` characters (the tail). */
function collector(limit: number) {
  let text = ''
  return {
    add(chunk: string) {
      text += chunk
      if (text.length > limit * 2) text = text.slice(-limit)
    },
    text: () => text.slice(-limit),
  }
}

async function runSuite(o: { command: string[]; cwd: string; env: NodeJS.ProcessEnv; junit: string | undefined; timeoutMs: number }): Promise<SuiteRun> {
  if (o.junit) rmSync(o.junit, { force: true })
  const started = performance.now()
  const out = collector(OUTPUT_KEEP)
  const err = collector(OUTPUT_KEEP)
  const [file, ...args] = o.command as [string, ...string[]]
  // A group of its own, so that the suite and everything it started are stopped together; and a mark
  // in the environment every descendant inherits, so that one that left the group (a server started
  // detached, with setsid) is found and stopped too.
  const mark = newTreeMark()
  const child = spawn(file, args, { cwd: o.cwd, env: { ...o.env, [TREE_MARK]: mark }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  // SIGKILL of parity cannot be caught: the watchdog stops the suite's tree then.
  if (child.pid !== undefined) startWatchdog(child.pid, mark)
  child.stdout.setEncoding('utf8').on('data', (c: string) => out.add(c))
  child.stderr.setEncoding('utf8').on('data', (c: string) => err.add(c))
  const killGroup = (signal: NodeJS.Signals) => {
    if (child.pid === undefined) return
    try {
      process.kill(-child.pid, signal)
    } catch {
      // ESRCH: the group is already gone
    }
    for (const pid of systemPids(child.pid, [], mark)) {
      try {
        process.kill(pid, signal)
      } catch {
        // Gone meanwhile.
      }
    }
  }
  // Leave nothing running when parity itself exits or is interrupted mid-run: the suite is in a
  // group of its own, so a Ctrl-C at the terminal does not reach it.
  const onExit = () => killGroup('SIGKILL')
  const onSignal = (signal: NodeJS.Signals) => {
    killGroup('SIGKILL')
    removeListeners()
    process.kill(process.pid, signal)
  }
  const removeListeners = () => {
    process.removeListener('exit', onExit)
    process.removeListener('SIGINT', onSignal)
    process.removeListener('SIGTERM', onSignal)
  }
  process.once('exit', onExit)
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  let timedOut = false
  const timers: NodeJS.Timeout[] = []
  const result = await new Promise<{ code: number | null } | { error: NodeJS.ErrnoException }>((done) => {
    let exited: number | null | undefined
    child.once('error', (error: NodeJS.ErrnoException) => done({ error }))
    timers.push(
      setTimeout(() => {
        timedOut = true
        killGroup('SIGTERM')
        timers.push(setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS))
      }, o.timeoutMs),
    )
    child.once('exit', (code) => {
      exited = code
      // What the suite left behind (a server it started) is stopped too, gently first.
      killGroup('SIGTERM')
      timers.push(setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS))
      // Streams held open by a process that left the group: stop waiting for them.
      timers.push(
        setTimeout(() => {
          child.stdout.destroy()
          child.stderr.destroy()
          done({ code: exited ?? null })
        }, KILL_GRACE_MS * 2),
      )
    })
    child.once('close', (code) => done({ code: exited !== undefined ? exited : code }))
  })
  for (const t of timers) clearTimeout(t)
  // What is left of the tree (a server the suite started, detached or not): SIGTERM, SIGKILL after the grace.
  if (child.pid !== undefined) await stopTree(child.pid, KILL_GRACE_MS, Promise.resolve({ code: null, signal: null }), mark)
  removeListeners()
  if ('error' in result) {
    const e = result.error
    if (e.code === 'ENOENT') {
      throw new ParityError('COMMAND_NOT_FOUND', `command not found: ${file}`, `check the command after \`--\` (run from ${o.cwd}); it is run without a shell`)
    }
    if (e.code === 'EACCES') {
      throw new ParityError(
        'COMMAND_NOT_EXECUTABLE',
        `${file} cannot be executed (permission denied)`,
        `make it executable (chmod +x ${file}) or run it through its interpreter`,
      )
    }
    throw new ParityError('COMMAND_FAILED', `${file} could not be started: ${e.message}`, 'check the command after `--`')
  }
  const durationMs = Math.round(performance.now() - started)
  const stdout = out.text()
  const stderr = err.text()
  const exitCode = timedOut ? null : result.code
  const read = readResults(o.junit, stdout, stderr, exitCode)
  const count = (s: ParsedTest['status']) => read.tests.filter((t) => t.status === s).length
  const info: RunInfo = {
    exitCode,
    passed: read.counts?.passed ?? count('pass'),
    failed: read.counts?.failed ?? count('fail'),
    skipped: read.counts?.skipped ?? count('skip'),
    source: read.source,
    durationMs,
    output: tail(stdout, stderr),
    ...(timedOut ? { timedOut: true } : {}),
    ...(read.note ? { note: read.note } : {}),
  }
  return { tests: read.tests, info }
}

function tail(stdout: string, stderr: string): string {
  const parts = [stdout.trimEnd(), stderr.trimEnd()].filter(Boolean)
  const text = parts.join('\n')
  return text.length > OUTPUT_TAIL ? `…${text.slice(-OUTPUT_TAIL)}` : text
}

/**
 * JUnit when the file was written, else TAP, else a summary line (stdout, then stderr), else the
 * exit code. A summary gives counts only: its tests are numbered slots (`(summary) #1`...),
 * passes first, so that two runs compare count by count.
 */
function readResults(
  junit: string | undefined,
  stdout: string,
  stderr: string,
  exitCode: number | null,
): { tests: ParsedTest[]; source: RunInfo['source']; counts?: { passed: number; failed: number; skipped: number }; note?: string } {
  let note: string | undefined
  if (junit) {
    let xml: string | undefined
    try {
      xml = readFileSync(junit, 'utf8')
    } catch {
      note = `${junit} was not written by the suite`
    }
    if (xml !== undefined) {
      try {
        return { tests: parseJunit(xml), source: 'junit' }
      } catch (e) {
        note = (e as Error).message
      }
    }
  }
  const withNote = <T extends object>(r: T) => (note ? { ...r, note } : r)
  const tap = parseTap(stdout) ?? parseTap(stderr)
  if (tap) return withNote({ tests: tap, source: 'tap' as const })
  const summary = parseSummary(stdout) ?? parseSummary(stderr)
  if (summary) {
    const tests: ParsedTest[] = []
    const slot = (status: ParsedTest['status'], n: number) => {
      for (let i = 0; i < n; i++) tests.push({ name: `(summary) #${tests.length + 1}`, status })
    }
    slot('pass', summary.passed)
    slot('fail', summary.failed)
    slot('skip', summary.skipped)
    return withNote({ tests, source: 'summary' as const, counts: summary })
  }
  return withNote({ tests: [{ name: EXIT_CODE_TEST, status: exitCode === 0 ? ('pass' as const) : ('fail' as const) }], source: 'exit-code' as const })
}
