/**
 * Nothing dropped without a word: a tree whose manifest names a web framework parity does not read
 * gets a FRAMEWORK_NOT_SUPPORTED diagnostic naming it, and `parity diff` says so before any figure.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { scanPath } from '../src/scan/scan.js'

const repo = new URL('..', import.meta.url).pathname
const tmp = mkdtempSync(join(tmpdir(), 'parity-unsupported-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

function tree(name: string, files: Record<string, string>): string {
  const dir = join(tmp, name)
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true })
    writeFileSync(join(dir, rel), text)
  }
  return dir
}

describe('FRAMEWORK_NOT_SUPPORTED', () => {
  const old = tree('old', {
    'package.json': JSON.stringify({ dependencies: { express: '^5.0.0', sails: '^1.5.0' } }),
    'app.js': "const express = require('express')\nconst app = express()\napp.get('/health', (q, s) => s.send('ok'))\napp.listen(3000)\n",
    'api/controllers/UserController.js': 'module.exports = { find: async function (req, res) { return res.json([]) } }\n',
    'gateway/go.mod': 'module example.org/gw\n\ngo 1.22\n\nrequire github.com/kataras/iris/v12 v12.2.11\n',
    'gateway/main.go': 'package main\n\nfunc main() {}\n',
  })
  const rewrite = tree('new', {
    'package.json': JSON.stringify({ dependencies: { express: '^5.0.0' } }),
    'app.js': "const express = require('express')\nconst app = express()\napp.get('/health', (q, s) => s.send('ok'))\napp.listen(3000)\n",
  })

  it('names each web framework a manifest declares that no extractor reads, and not those it reads', async () => {
    const inv = await scanPath({ path: old })
    const found = inv.diagnostics.filter((d) => d.code === 'FRAMEWORK_NOT_SUPPORTED')
    expect(found.map((d) => d.file).sort()).toEqual(['gateway/go.mod', 'package.json'])
    expect(found.find((d) => d.file === 'package.json')?.message).toContain('Sails (`sails`)')
    expect(found.find((d) => d.file === 'gateway/go.mod')?.message).toContain('Iris (`github.com/kataras/iris/v12`)')
    expect(found.some((d) => d.message.includes('Express'))).toBe(false)
  })

  it('is said in `parity diff` before any percentage', () => {
    const r = spawnSync(process.execPath, [join(repo, 'bin/parity.js'), 'diff', old, rewrite], { encoding: 'utf8' })
    const at = r.stdout.indexOf('a web framework parity does not read')
    expect(at, r.stdout + r.stderr).toBeGreaterThan(-1)
    expect(at).toBeLessThan(r.stdout.indexOf('%'))
  })
})
