/**
 * Every file of a scan has a wall-clock budget: an extractor of the user's own that never returns on
 * one file (a pathological file, a loop) costs that file, never the scan. In a worker the file is
 * stopped and skipped with a diagnostic, and the files after it are still read; in one thread it
 * cannot be stopped, and is reported.
 */
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Inventory } from '../src/model/inventory.js'
import { builtinExtractors } from '../src/extractors/registry.js'
import type { Extractor } from '../src/extractors/types.js'
import { scanPath } from '../src/scan/scan.js'

const repo = new URL('..', import.meta.url).pathname
const tmp = mkdtempSync(join(tmpdir(), 'parity-budget-'))
const tree = join(tmp, 'app')

beforeAll(() => {
  mkdirSync(tree)
  writeFileSync(join(tree, 'package.json'), JSON.stringify({ dependencies: { express: '^4.0.0' } }))
  writeFileSync(join(tree, 'a.js'), "const app = require('express')()\napp.get('/a', (req, res) => res.end())\n")
  writeFileSync(join(tree, 'm.js'), "const app = require('express')()\napp.get('/m', (req, res) => res.end())\n// LOOP_HERE\n")
  writeFileSync(join(tree, 'z.js'), "const app = require('express')()\napp.get('/z', (req, res) => res.end())\n")
  // A user extractor that never returns on a file holding its needle.
  writeFileSync(
    join(tmp, 'loops.mjs'),
    "export const extractor = { id: 'loops', family: 'js', needles: ['LOOP_HERE'], detect: () => true, extract: () => { for (;;) {} } }\n",
  )
})
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

it('stops a file past its budget in a worker, skips it with a diagnostic, and reads the files after it', async () => {
  const result = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
    execFile(
      process.execPath,
      [join(repo, 'bin/parity.js'), 'scan', tree, '--extractor', join(tmp, 'loops.mjs'), '--file-timeout', '1', '--format', 'json'],
      { env: { ...process.env, CI: 'true' }, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout, stderr }),
    ),
  )
  expect(result.stderr).toBe('')
  expect(result.code).toBe(0)
  const inv = JSON.parse(result.stdout) as Inventory
  const keys = inv.items
    .filter((i) => i.kind === 'route')
    .map((i) => i.key)
    .sort()
  expect(keys).toEqual(['GET /a', 'GET /z'])
  expect(inv.stats.skipped).toMatchObject({ timeout: 1 })
  const d = inv.diagnostics.find((x) => x.code === 'SCAN_FILE_TIMEOUT')
  expect(d).toMatchObject({ level: 'warn', file: 'm.js' })
  expect(d!.message).toContain('after 1 s')
})

it('reports a file past its budget when the scan runs in this thread, and keeps what it found', async () => {
  const slow: Extractor = {
    id: 'slow',
    family: 'js',
    needles: ['LOOP_HERE'],
    detect: () => true,
    extract: () => {
      const until = Date.now() + 60
      while (Date.now() < until) {}
      return {}
    },
  }
  const inv = await scanPath({ path: tree, extractors: [...builtinExtractors, slow], fileBudgetMs: 20 })
  expect(
    inv.items
      .filter((i) => i.kind === 'route')
      .map((i) => i.key)
      .sort(),
  ).toEqual(['GET /a', 'GET /m', 'GET /z'])
  expect(inv.diagnostics.filter((x) => x.code === 'SCAN_FILE_SLOW').map((x) => x.file)).toEqual(['m.js'])
})
