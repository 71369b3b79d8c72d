import { execFileSync } from 'node:child_process'
import { mkdtempSync, realpathSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it, onTestFinished } from 'vitest'
import { stdioCommandLine } from './e2e-targets.js'

it('writes the folder and the environment of a stdio `mcp` block into one shell line', () => {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'parity e2e-line-')))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  const line = stdioCommandLine({
    type: 'stdio',
    command: [process.execPath, '-e', 'console.log(process.cwd() + "|" + process.env.NOTE)'],
    cwd: dir,
    env: { NOTE: "it's $HOME" },
  })
  expect(execFileSync('/bin/sh', ['-c', line], { encoding: 'utf8' }).trim()).toBe(`${dir}|it's $HOME`)
  // A command line of its own keeps its meaning.
  expect(execFileSync('/bin/sh', ['-c', stdioCommandLine({ type: 'stdio', command: 'false || echo ran', cwd: dir })], { encoding: 'utf8' }).trim()).toBe('ran')
})
