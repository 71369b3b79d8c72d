/**
 * The terminal: colour only where it belongs, plurals, durations worth reading, and a reader that goes
 * away (`| head`) ends the command quietly instead of with a stack trace.
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { reportCommand } from '../src/cli/report.js'
import { colourWanted, styleFor } from '../src/cli/style.js'
import { duration, plural } from '../src/model/words.js'
import { openHistory } from '../src/store/history.js'
import { makeRun } from './support/history-runs.js'

const tmp = mkdtempSync(join(tmpdir(), 'parity-terminal-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

const repo = new URL('..', import.meta.url).pathname

describe('colour', () => {
  it('on a TTY only, never with NO_COLOR, TERM=dumb or in CI; FORCE_COLOR anywhere', () => {
    const tty = { isTTY: true }
    expect(colourWanted(tty, {})).toBe(true)
    expect(colourWanted({ isTTY: false }, {})).toBe(false)
    expect(colourWanted(tty, { NO_COLOR: '1' })).toBe(false)
    expect(colourWanted(tty, { CI: 'true' })).toBe(false)
    expect(colourWanted(tty, { TERM: 'dumb' })).toBe(false)
    expect(colourWanted({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true)
    expect(colourWanted(tty, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(false)
  })

  it('paints ✓ and ✗ apart when on, and leaves text alone when off', () => {
    const on = styleFor({ isTTY: true }, {})
    expect(on.ok('✓')).not.toBe(on.bad('✓'))
    expect(on.bad('✗')).toMatch(/\x1b\[31m✗\x1b\[39m/)
    const off = styleFor({ isTTY: true }, { NO_COLOR: '1' })
    expect(off.bad('✗')).toBe('✗')
  })
})

it('writes plurals and durations as a person would', () => {
  expect([plural(1, 'service'), plural(2, 'service'), plural(0, 'column'), plural(1, 'entry', 'entries'), plural(1200, 'line')]).toEqual([
    '1 service',
    '2 services',
    '0 columns',
    '1 entry',
    '1,200 lines',
  ])
  expect([duration(588.29), duration(1098.93), duration(42_400), duration(160_000)]).toEqual(['588 ms', '1.1 s', '42 s', '2 m 40 s'])
})

it('ends quietly with exit 0 when the reader of its output goes away (`| head`)', async () => {
  // The inventory of the fixtures is about 500 KB of JSON, far more than a pipe holds.
  const child = spawn(process.execPath, [join(repo, 'bin/parity.js'), 'scan', join(repo, 'fixtures'), '--format', 'json'], {
    env: { ...process.env, CI: 'true' },
  })
  let stderr = ''
  child.stderr.on('data', (d) => (stderr += d))
  child.stdout.once('data', () => child.stdout.destroy())
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)))
  expect(stderr).toBe('')
  expect(code).toBe(0)
})

describe('parity report --format html without --out', () => {
  const store = join(tmp, '.parity', 'history.sqlite')
  const h = openHistory(store)
  h.append(makeRun({ 'GET /a': 'ported', 'GET /b': 'missing' }))
  h.close()
  const io = (tty: boolean) => {
    const out = { stdout: '', stderr: '' }
    return { out, io: { stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t), interactive: false, stdoutTTY: tty } }
  }

  it('on a terminal, writes report.html beside the history store and says how to open it', async () => {
    const { out, io: terminal } = io(true)
    expect(await reportCommand(['--format', 'html', '--store', store], terminal)).toBe(0)
    const file = join(tmp, '.parity', 'report.html')
    expect(existsSync(file)).toBe(true)
    expect(readFileSync(file, 'utf8')).toMatch(/^<!doctype html>/i)
    expect(out.stdout).not.toContain('<html')
    expect(out.stdout).toMatch(/The HTML report is in \S*report\.html: open it in a browser/)
  })

  it('into a pipe, prints the page as before', async () => {
    const { out, io: pipe } = io(false)
    expect(await reportCommand(['--format', 'html', '--store', store], pipe)).toBe(0)
    expect(out.stdout).toMatch(/^<!doctype html>/i)
  })
})

describe('a mistyped command, option or config', () => {
  const cli = (args: string[], cwd = tmp) =>
    spawnSync(process.execPath, [join(repo, 'bin/parity.js'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true' } })

  it('names the command or option meant', () => {
    const command = cli(['rn'])
    expect(command.status).toBe(2)
    expect(command.stderr).toContain('unknown command `rn`; did you mean `parity run`?')
    const option = cli(['scan', '.', '--fromat', 'json'])
    expect(option.status).toBe(2)
    expect(option.stderr).toContain('scan: unknown option --fromat; did you mean --format?')
    const far = cli(['scan', '.', '--zzzzzz'])
    expect(far.stderr).not.toContain('did you mean')
  })

  it('says a field left out is required, not what zod expected', () => {
    writeFileSync(join(tmp, 'parity.config.yaml'), 'systems:\n  - { name: old, role: baseline }\n  - { name: new, role: candidate, source: . }\n')
    const r = cli(['run'])
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/parity\.config\.yaml:2: systems\[0\]\.source: is required \(a string\)/)
    expect(r.stderr).not.toContain('received undefined')
  })
})
