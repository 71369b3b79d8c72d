/**
 * The terminal: colour only where it belongs, plurals, durations worth reading, and a reader that goes
 * away (`| head`) ends the command quietly instead of with a stack trace.
 */
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { colourWanted, duration, plural, styleFor } from '../src/cli/style.js'

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
  const child = spawn(process.execPath, [join(repo, 'bin/parity.js'), 'scan', join(repo, 'fixtures'), '--format', 'json'], { env: { ...process.env, CI: 'true' } })
  let stderr = ''
  child.stderr.on('data', (d) => (stderr += d))
  child.stdout.once('data', () => child.stdout.destroy())
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)))
  expect(stderr).toBe('')
  expect(code).toBe(0)
})
