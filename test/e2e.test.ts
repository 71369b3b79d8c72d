/**
 * parity e2e: the fixture suite (fixtures/e2e/) run against two real servers, the candidate with one
 * planted behavioural difference (item 2 is named `Beta`, not `beta`), reported through JUnit, TAP,
 * a summary line and the exit code alone; a command that does not exist; a suite that hangs.
 */
import type { Server } from 'node:http'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { e2eCommand } from '../src/cli/e2e.js'
import { isParityError } from '../src/model/errors.js'
import { classifyE2eTest, runE2e, type E2eResult } from '../src/verify/e2e.js'
import { itemsApi } from './support/items-api.js'

const repo = new URL('..', import.meta.url).pathname
const fixtures = join(repo, 'fixtures/e2e')
const tmp = mkdtempSync(join(tmpdir(), 'parity-e2e-'))
const servers: Server[] = []
let baseline = ''
let candidate = ''
const hits = { baseline: 0, candidate: 0 }

beforeAll(async () => {
  baseline = await itemsApi('baseline', servers, hits)
  candidate = await itemsApi('candidate', servers, hits)
})
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))))
  rmSync(tmp, { recursive: true, force: true })
})

function cli(argv: string[]) {
  let stdout = ''
  let stderr = ''
  const io = { stdout: (t: string) => void (stdout += t), stderr: (t: string) => void (stderr += t), interactive: false }
  return e2eCommand(argv, io).then((code) => ({ code, stdout, stderr }))
}

const byOutcome = (r: E2eResult) => Object.fromEntries(r.tests.map((t) => [t.name, classifyE2eTest(t)]))

describe('runE2e finds the planted regression', () => {
  it('from the JUnit file, which it removes before each run', async () => {
    const junit = join(tmp, 'report.xml')
    const r = await runE2e({ command: [process.execPath, join(fixtures, 'junit.mjs'), junit], baseline, candidate, junit, timeoutMs: 30_000 })
    expect(byOutcome(r)).toEqual({
      'items > lists three items': 'pass-both',
      'items > gets one item by id': 'regression',
      'items > answers 404 for an unknown id <&>': 'pass-both',
      'health > answers ok': 'pass-both',
      'search > finds items by tag': 'fail-both',
      'export > exports csv': 'skipped',
    })
    expect(r.baseline).toMatchObject({ source: 'junit', passed: 4, failed: 1, skipped: 1, exitCode: 1 })
    expect(r.candidate).toMatchObject({ source: 'junit', passed: 3, failed: 2, skipped: 1, exitCode: 1 })
    expect(r.candidate.output).toContain('wrote')
  })

  it('falls back to the output, with a note, when the JUnit file is never written', async () => {
    const r = await runE2e({ command: [process.execPath, join(fixtures, 'tap.mjs')], baseline, candidate, junit: join(tmp, 'never.xml') })
    expect(r.candidate.source).toBe('tap')
    expect(r.candidate.note).toMatch(/never\.xml was not written/)
    expect(existsSync(join(tmp, 'never.xml'))).toBe(false)
  })

  it('from TAP with subtests', async () => {
    const r = await runE2e({ command: [process.execPath, join(fixtures, 'tap.mjs')], baseline, candidate })
    expect(r.tests.filter((t) => classifyE2eTest(t) === 'regression').map((t) => t.name)).toEqual(['items > gets one item by id'])
    expect(byOutcome(r)['search > finds items by tag']).toBe('fail-both')
    expect(r.candidate).toMatchObject({ source: 'tap', passed: 3, failed: 2, skipped: 1 })
  })

  it('from a closing summary line, count by count', async () => {
    const r = await runE2e({ command: [process.execPath, join(fixtures, 'summary.mjs')], baseline, candidate, cwd: fixtures })
    expect(r.baseline).toMatchObject({ source: 'summary', passed: 4, failed: 1, skipped: 1 })
    expect(r.candidate).toMatchObject({ source: 'summary', passed: 3, failed: 2, skipped: 1 })
    expect(r.tests.map(classifyE2eTest).filter((o) => o === 'regression')).toHaveLength(1)
  })

  it('from the exit code alone', async () => {
    const r = await runE2e({ command: [process.execPath, join(fixtures, 'silent.mjs')], baseline, candidate })
    expect(r.tests).toEqual([{ name: '(exit code)', baseline: 'pass', candidate: 'fail', outcome: 'regression' }])
    expect([r.baseline.source, r.baseline.exitCode, r.candidate.exitCode]).toEqual(['exit-code', 0, 1])
  })

  it('sends the suite to each side through the variable named by envName', async () => {
    const before = { ...hits }
    const r = await runE2e({
      command: [process.execPath, '-e', 'fetch(process.env.API + "/health").then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(2))'],
      baseline,
      candidate,
      envName: 'API',
    })
    expect(r.tests).toEqual([{ name: '(exit code)', baseline: 'pass', candidate: 'pass', outcome: 'pass-both' }])
    expect([hits.baseline - before.baseline, hits.candidate - before.candidate]).toEqual([1, 1])
  })
})

describe('parity e2e (the command)', () => {
  it('prints the JSON contract and exits 1 on a regression', async () => {
    const junit = join(tmp, 'cli.xml')
    const r = await cli([
      '--baseline',
      baseline,
      '--candidate',
      candidate,
      '--junit',
      junit,
      '--format',
      'json',
      '--',
      process.execPath,
      join(fixtures, 'junit.mjs'),
      junit,
    ])
    expect(r.code).toBe(1)
    const json = JSON.parse(r.stdout)
    expect(json.tests).toContainEqual({ name: 'items > gets one item by id', baseline: 'pass', candidate: 'fail' })
    expect(json.candidatePassRate).toBe(3 / 5)
    expect(Object.keys(json.baseline).sort()).toEqual(['durationMs', 'exitCode', 'failed', 'output', 'passed', 'skipped', 'source'])
  })

  it('prints a table and exits 0 when the candidate matches', async () => {
    const r = await cli(['--baseline', baseline, '--candidate', baseline, '--', process.execPath, join(fixtures, 'tap.mjs')])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/items > gets one item by id\s+pass\s+pass/)
    expect(r.stdout).toContain('candidate pass rate: 80.0% (4/5); 0 regressions')
  })

  it('refuses a command that does not exist, a missing URL and a missing command', async () => {
    const failure = (argv: string[]) =>
      cli(argv).then(
        () => undefined,
        (e: unknown) => e,
      )
    const notFound = await failure(['--baseline', baseline, '--candidate', candidate, '--', 'parity-no-such-suite-xyz', '--flag'])
    expect(isParityError(notFound) && [notFound.code, notFound.exitCode, notFound.message]).toEqual([
      'COMMAND_NOT_FOUND',
      2,
      'command not found: parity-no-such-suite-xyz',
    ])
    expect(isParityError(notFound) && notFound.hint).toBeTruthy()
    expect(await failure(['--candidate', candidate, '--', 'true'])).toMatchObject({ code: 'USAGE', message: 'e2e needs --baseline' })
    expect(await failure(['--baseline', baseline, '--candidate', candidate])).toMatchObject({ code: 'USAGE' })
    expect(await failure(['--baseline', 'ftp://x', '--candidate', candidate, '--', 'true'])).toMatchObject({ code: 'BAD_URL' })
    expect(await failure(['--baseline', baseline, '--candidate', candidate, '--timeout', 'soon', '--', 'true'])).toMatchObject({ code: 'USAGE' })
    const noFolder = await runE2e({ command: ['true'], baseline, candidate, cwd: join(tmp, 'missing') }).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(noFolder).toMatchObject({ code: 'BAD_CWD' })
  })
})

describe('a suite that hangs', () => {
  /** Gone, or a zombie waiting for a reaper: either way it runs no more. */
  const running = (pid: number) => {
    try {
      return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
    } catch {
      return false
    }
  }
  const pidFile = join(tmp, 'hang.json')
  afterAll(() => {
    if (!existsSync(pidFile)) return
    const pids = JSON.parse(readFileSync(pidFile, 'utf8')) as Record<string, number>
    for (const pid of Object.values(pids)) if (running(pid)) process.kill(pid, 'SIGKILL')
  })

  it('is killed with its children at the timeout and reported', async () => {
    const r = await runE2e({ command: [process.execPath, join(fixtures, 'hang.mjs'), pidFile, candidate], baseline, candidate, timeoutMs: 1500 })
    expect(r.baseline.timedOut).toBeUndefined()
    expect(r.candidate).toMatchObject({ timedOut: true, exitCode: null, source: 'tap' })
    expect(r.tests).toEqual([
      { name: 'starts', baseline: 'pass', candidate: 'pass', outcome: 'pass-both' },
      { name: '(suite completed)', baseline: 'pass', candidate: 'fail', outcome: 'regression' },
    ])
    const pids = JSON.parse(readFileSync(pidFile, 'utf8')) as { suite: number; child: number }
    expect([running(pids.suite), running(pids.child)]).toEqual([false, false])
  })

  it('is killed at the timeout with a child that left its process group and session', async () => {
    const r = await runE2e({ command: [process.execPath, join(fixtures, 'hang.mjs'), pidFile, candidate, 'detached'], baseline, candidate, timeoutMs: 1500 })
    expect(r.candidate).toMatchObject({ timedOut: true, exitCode: null })
    const pids = JSON.parse(readFileSync(pidFile, 'utf8')) as { suite: number; child: number }
    expect([running(pids.suite), running(pids.child)]).toEqual([false, false])
  })

  it('stops a daemon the suite left behind when it exited', async () => {
    const r = await runE2e({ command: [process.execPath, join(fixtures, 'hang.mjs'), pidFile, candidate, 'daemon'], baseline, candidate, timeoutMs: 10_000 })
    expect(r.candidate.exitCode).toBe(0)
    const pids = JSON.parse(readFileSync(pidFile, 'utf8')) as { suite: number; child: number }
    expect(running(pids.child)).toBe(false)
  })

  it('is stopped with its detached child when parity itself is killed with SIGKILL', async () => {
    const { spawn } = await import('node:child_process')
    rmSync(pidFile, { force: true })
    const cli = spawn(
      process.execPath,
      [
        join(repo, 'bin/parity.js'),
        'e2e',
        '--baseline',
        candidate,
        '--candidate',
        candidate,
        '--timeout',
        '120',
        '--',
        process.execPath,
        join(fixtures, 'hang.mjs'),
        pidFile,
        candidate,
        'detached',
      ],
      { stdio: 'ignore', env: { ...process.env, CI: 'true' } },
    )
    for (let i = 0; i < 200 && !existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 50))
    const pids = JSON.parse(readFileSync(pidFile, 'utf8')) as { suite: number; child: number }
    expect([running(pids.suite), running(pids.child)]).toEqual([true, true])
    cli.kill('SIGKILL')
    // The watchdog looks every half second, then gives SIGTERM 3 s before SIGKILL.
    for (let i = 0; i < 200 && (running(pids.suite) || running(pids.child)); i++) await new Promise((r) => setTimeout(r, 50))
    expect([running(pids.suite), running(pids.child)]).toEqual([false, false])
  })
})
