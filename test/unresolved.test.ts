/**
 * End-to-end: a baseline whose routes sit under a prefix read from the environment. The routes stay
 * in the inventory with `{?}` for the unknown part, the terminal says so before any percentage and
 * calls the figure a lower bound, each is proposed as a near match to the candidate route with its
 * known suffix, and an `unresolved <= N` gate measures them.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import Ajv2020 from 'ajv/dist/2020.js'
import { afterAll, describe, expect, it } from 'vitest'
import type { EndpointItem } from '../src/model/inventory.js'
import type { RunResult } from '../src/model/run.js'
import { renderGithubSummary } from '../src/report/github.js'
import { renderHtml } from '../src/report/html/render.js'
import { renderVault } from '../src/report/markdown/vault.js'
import { useReportBrowser } from './support/report-browser.js'

const repo = new URL('..', import.meta.url).pathname
const bin = join(repo, 'bin/parity.js')
const tmp = mkdtempSync(join(tmpdir(), 'parity-unresolved-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

function write(root: string, files: Record<string, string>) {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true })
    writeFileSync(join(root, rel), text)
  }
}

function parity(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: tmp, encoding: 'utf8', env: { ...process.env, CI: 'true' } })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

const base = join(tmp, 'base')
const cand = join(tmp, 'cand')
write(base, {
  'package.json': JSON.stringify({ dependencies: { express: '^5.0.0' } }),
  'src/app.js': [
    "const express = require('express')",
    "const articles = require('./articles')",
    'const app = express()',
    "app.get('/health', (req, res) => res.send('ok'))",
    'app.use(process.env.API_PREFIX, articles)',
    'app.listen(3000)',
    '',
  ].join('\n'),
  'src/articles.js': [
    "const { Router } = require('express')",
    'const router = Router()',
    "router.get('/articles/:slug', (req, res) => res.json({}))",
    'module.exports = router',
    '',
  ].join('\n'),
})
write(cand, {
  'package.json': JSON.stringify({ dependencies: { express: '^5.0.0' } }),
  'src/app.js': [
    "const express = require('express')",
    'const app = express()',
    "app.get('/health', (req, res) => res.send('ok'))",
    "app.get('/api/articles/:id', (req, res) => res.json({}))",
    'app.listen(3000)',
    '',
  ].join('\n'),
})

const browser = useReportBrowser()

describe('a baseline route under a prefix known only at run time', () => {
  it('stays in the inventory with {?} for the unknown part, and is counted apart from the routes', () => {
    const r = parity(['scan', base, '--format', 'json'])
    expect(r.code).toBe(0)
    const inv = JSON.parse(r.stdout) as { items: EndpointItem[]; diagnostics: Array<{ code: string }> }
    const item = inv.items.find((i) => i.unresolved !== undefined)
    expect(item).toMatchObject({ method: 'GET', path: '/{?}/articles/{slug}', key: 'GET /{?}/articles/{}' })
    expect(item?.unresolved).toMatch(/process\.env\.API_PREFIX/)
    expect(inv.diagnostics.filter((d) => d.code === 'UNRESOLVED_PATH')).toHaveLength(1)
    const table = parity(['scan', base])
    expect(table.stdout).toMatch(/1 route, .* · 1 unresolved/)
    expect(table.stdout).toMatch(/\/\{\?\}\/articles\/\{slug\} \[unresolved\]/)
  })

  it('diff: routes found and unresolved per system come first, the overall figure is a lower bound, and the candidate route is proposed', () => {
    const r = parity(['diff', base, cand])
    const lines = r.stdout.split('\n')
    const said = lines.findIndex((l) => /baseline base: 1 route found, 1 unresolved/.test(l))
    const firstPercent = lines.findIndex((l) => /%/.test(l))
    expect(said).toBeGreaterThan(0)
    expect(said).toBeLessThan(firstPercent)
    expect(r.stdout).toMatch(/candidate cand: 2 routes found, 0 unresolved/)
    expect(r.stdout).toMatch(/Overall: at least 2 of 3 items ported \(66.7%\)/)
    expect(r.stdout).toMatch(/a lower bound: 1 route could not be resolved/)
    expect(r.stdout).toMatch(/GET \/\{\?\}\/articles\/\{\}\s+~\s+GET \/api\/articles\/\{\}/)

    const run = JSON.parse(parity(['diff', base, cand, '--format', 'json']).stdout) as RunResult
    const validate = new (Ajv2020 as unknown as typeof Ajv2020.default)({ allErrors: true }).compile(
      JSON.parse(readFileSync(join(repo, 'schema/run.schema.json'), 'utf8')),
    )
    expect(validate(run), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true)
    expect(run.summary).toMatchObject({ total: 3, ported: 2, missing: 1, unresolved: 1 })
    expect(run.systems.find((s) => s.role === 'baseline')).toMatchObject({ unresolved: 1, items: { route: 1 } })
    expect(run.nearMisses.map((n) => [n.baseline.key, n.candidate.key])).toEqual([['GET /{?}/articles/{}', 'GET /api/articles/{}']])
  })

  it('the HTML report, the vault and the GitHub summary state it before any percentage', async () => {
    const run = JSON.parse(parity(['diff', base, cand, '--format', 'json']).stdout) as RunResult
    const page = await browser.open(renderHtml(run))
    const basis = (await page.textContent('#inventory-basis')) ?? ''
    expect(basis).toMatch(/base 1 route found, 1 unresolved/)
    expect(basis).toMatch(/cand 2 routes found, 0 unresolved/)
    expect(basis).toMatch(/Coverage is a lower bound/)
    // Nothing with a percent sign comes before it on the first screen.
    const before = await page.evaluate(() => {
      const main = document.querySelector('#view-overview')!
      const basis = document.querySelector('#inventory-basis')!
      const range = document.createRange()
      range.setStart(main, 0)
      range.setEndBefore(basis)
      return range.toString()
    })
    expect(before).not.toMatch(/%/)
    expect(await page.textContent('[data-candidate="cand"] .pct')).toMatch(/^\u2265/)

    const summary = renderGithubSummary(run)
    expect(summary.indexOf('1 unresolved')).toBeGreaterThan(0)
    expect(summary.indexOf('1 unresolved')).toBeLessThan(summary.indexOf('%'))
    const vault = renderVault(run)
    const index = [...vault].find(([path]) => path.endsWith('Index.md'))![1]
    expect(index.indexOf('1 unresolved')).toBeLessThan(index.indexOf('%'))
    expect(index).toMatch(/at least \*\*66\.7%\*\*/)
  })

  it("the unresolved gate counts the routes a candidate's figures rest on", () => {
    write(tmp, {
      'parity.config.yaml': [
        'systems:',
        '  - { name: base, role: baseline, source: ./base }',
        '  - { name: cand, role: candidate, source: ./cand }',
        'gates:',
        '  - unresolved <= 0',
        '',
      ].join('\n'),
    })
    const r = parity(['run', '--json', '--no-history'])
    expect(r.code).toBe(1)
    const out = JSON.parse(r.stdout) as { gates: Array<{ gate: string; passed: boolean; actual: number }> }
    expect(out.gates[0]).toMatchObject({ gate: 'unresolved <= 0', passed: false, actual: 1 })
  })
})

describe('the near-match rule parity proposes for an unresolved route', () => {
  it('pairs the two when written into the config as proposed', () => {
    write(tmp, {
      'parity.config.yaml': [
        'systems:',
        '  - { name: base, role: baseline, source: ./base }',
        '  - { name: cand, role: candidate, source: ./cand }',
        'map:',
        '  - { from: "GET /{?}/articles/{}", to: "GET /api/articles/{}" }',
        '',
      ].join('\n'),
    })
    const r = parity(['run', '--no-history', '--verbose'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(
      /✓ GET +\/\{\?\}\/articles\/\{slug\} +src\/articles\.js:3 → src\/app\.js:4 +\(map GET \/\{\?\}\/articles\/\{\} -> GET \/api\/articles\/\{\}\)/,
    )
    expect(r.stdout).not.toMatch(/MAP_RULE_UNUSED/)
  })
})
