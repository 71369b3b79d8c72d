/**
 * The scorecard on real artifacts produced here: lcov from Node's own test coverage run on a fixture
 * project, bundles built with esbuild, type coverage of a fixture TypeScript project; audit outputs
 * and the second coverage formats are fixtures (see test/fixtures/scorecard/README.md: the npm audit
 * endpoint does not answer in this sandbox). Bad artifacts become named problems and the rest stands.
 */
import { execFile } from 'node:child_process'
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { assess } from '../src/assess/gates.js'
import { scorecardCommand } from '../src/cli/scorecard.js'
import { loadConfig } from '../src/config/load.js'
import { runDiff } from '../src/match/diff-run.js'
import type { RunResult } from '../src/model/run.js'
import { renderVault } from '../src/report/markdown/vault.js'
import { renderScorecardTable } from '../src/report/scorecard-table.js'
import { coverageByFile, parseCoverage, readCoverage } from '../src/scorecard/coverage.js'
import { collectScorecards } from '../src/scorecard/scorecard.js'
import type { Scorecard } from '../src/model/scorecard.js'

const fixtures = new URL('./fixtures/scorecard/', import.meta.url).pathname
const artifact = (name: string) => join(fixtures, 'artifacts', name)
let tmp = ''

async function runOf(configFile: string): Promise<{ run: RunResult; cards: Scorecard[] }> {
  const config = await loadConfig(configFile)
  const run = await runDiff({
    baseline: { name: config.baseline.name, source: config.baseline.sourcePath },
    candidates: config.candidates.map((c) => ({ name: c.name, source: c.sourcePath })),
  })
  const cards = await collectScorecards(run, config)
  run.scorecards = cards
  return { run, cards }
}

/** The line of broken.info whose LF count was spoilt. */
const brokenLine = () => readFileSync(join(tmp, 'broken.info'), 'utf8').split('\n').indexOf('LF:n/a') + 1

const figure = (cards: Scorecard[], system: string, metric: string) => cards.find((c) => c.system === system)?.figures.find((f) => f.metric === metric)

afterAll(() => rmSync(tmp, { recursive: true, force: true }))

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'parity-scorecard-'))
  // A real lcov file: Node's test runner with coverage on the fixture project.
  await promisify(execFile)(
    process.execPath,
    ['--test', '--experimental-test-coverage', '--test-reporter=lcov', `--test-reporter-destination=${join(tmp, 'lcov.info')}`, 'test/price.test.mjs'],
    {
      cwd: join(fixtures, 'old'),
      timeout: 60_000,
    },
  )
  // The same front end built plainly (the baseline) and minified (the candidate).
  const entry = join(fixtures, 'front/src/main.js')
  await build({ entryPoints: [entry], bundle: true, outdir: join(tmp, 'front-old'), minify: false, logLevel: 'silent' })
  await build({ entryPoints: [entry], bundle: true, outdir: join(tmp, 'front-new'), minify: true, logLevel: 'silent' })
  writeFileSync(
    join(tmp, 'parity.config.yaml'),
    `systems:
  - name: old
    role: baseline
    source: ${join(fixtures, 'old')}
    scorecard: { coverage: lcov.info, audit: ${artifact('npm-audit.json')}, openapi: ${artifact('old-openapi.yaml')}, bundle: front-old }
  - name: new
    role: candidate
    source: ${join(fixtures, 'new')}
    scorecard:
      coverage: ${artifact('coverage.xml')}
      typeCoverage: true
      audit: [${artifact('cargo-audit.json')}, ${artifact('govulncheck.json')}, ${artifact('pip-audit.json')}]
      openapi: ${artifact('new-openapi.yaml')}
      bundle: front-new
`,
  )
  // Broken artifacts: an lcov record cut mid-file, Cobertura XML cut mid-tag, npm audit's own error output.
  writeFileSync(join(tmp, 'broken.info'), readFileSync(join(tmp, 'lcov.info'), 'utf8').replace(/LF:\d+/, 'LF:n/a'))
  const xml = readFileSync(artifact('coverage.xml'), 'utf8')
  writeFileSync(join(tmp, 'cut.xml'), xml.slice(0, xml.indexOf('filename=') + 14))
  copyFileSync(artifact('npm-audit-error.json'), join(tmp, 'npm-audit-error.json'))
  writeFileSync(
    join(tmp, 'broken.config.yaml'),
    `systems:
  - name: old
    role: baseline
    source: ${join(fixtures, 'old')}
    scorecard: { coverage: missing/lcov.info, audit: [npm-audit-error.json, ${artifact('pip-audit.json')}], openapi: ${artifact('old-openapi.yaml')}, bundle: front-old }
  - name: new
    role: candidate
    source: ${join(fixtures, 'new')}
    scorecard: { coverage: cut.xml, typeCoverage: no-such/tsconfig.json, bundle: no-such-dist }
  - name: newer
    role: candidate
    source: ${join(fixtures, 'new')}
    scorecard: { coverage: broken.info }
`,
  )
})

describe('coverage reports', () => {
  it('reads the lcov Node wrote: the untested function leaves its module partly covered', () => {
    const c = readCoverage(join(tmp, 'lcov.info'))
    expect(c.format).toBe('lcov')
    expect([...c.byFile.keys()].sort()).toEqual(['src/price.js', 'test/price.test.mjs'])
    expect(c.byFile.get('test/price.test.mjs')).toBe(1)
    const price = c.byFile.get('src/price.js')!
    // `price` ran, `discount` never did.
    expect(price).toBeGreaterThan(0.3)
    expect(price).toBeLessThan(1)
    expect(c.ratio).toBeCloseTo(c.covered / c.total)
    expect(c.ratio).toBeLessThan(1)
  })

  it('reads Cobertura and both Istanbul files, per file too', () => {
    const cob = readCoverage(artifact('coverage.xml'))
    expect(cob).toMatchObject({ format: 'cobertura', covered: 7, total: 10, ratio: 0.7 })
    expect(cob.byFile.get('app/orders.py')).toBeCloseTo(4 / 6)
    const final = readCoverage(artifact('coverage-final.json'))
    // cart.js: lines 1 (hit), 2 (two statements, one hit), 4 (missed); tax.js: both lines hit.
    expect(final).toMatchObject({ format: 'istanbul-final', covered: 4, total: 5 })
    expect(final.byFile.get('/home/dev/app/src/cart.js')).toBeCloseTo(2 / 3)
    expect(readCoverage(artifact('coverage-summary.json'))).toMatchObject({ format: 'istanbul-summary', covered: 183, total: 200, ratio: 0.915 })
  })

  it('gives the plan coverage per file relative to the source root', () => {
    const byFile = coverageByFile(artifact('coverage-final.json'), '/home/dev/app')
    expect(byFile.get('src/tax.js')).toBe(1)
    expect(byFile.get('src/cart.js')).toBeCloseTo(2 / 3)
  })

  it('refuses a report cut short, naming it', () => {
    expect(() => parseCoverage(readFileSync(join(tmp, 'cut.xml'), 'utf8'), 'cut.xml')).toThrow(/cut\.xml: malformed XML/)
  })
})

describe('collectScorecards', () => {
  let run: RunResult
  let cards: Scorecard[]
  beforeAll(async () => {
    ;({ run, cards } = await runOf(join(tmp, 'parity.config.yaml')))
  })

  it('reads every artifact of each system into figures, without problems', () => {
    expect(cards.map((c) => [c.system, c.problems])).toEqual([
      ['old', []],
      ['new', []],
    ])
    const lcov = readCoverage(join(tmp, 'lcov.info'))
    expect(figure(cards, 'old', 'testCoverage')).toMatchObject({ value: lcov.ratio, unit: 'ratio', source: 'lcov.info' })
    expect(figure(cards, 'new', 'testCoverage')).toMatchObject({ value: 0.7, detail: 'lines 7/10 (cobertura, 2 files)' })
  })

  it('counts vulnerabilities by severity across npm, cargo, govulncheck and pip-audit outputs', () => {
    expect(['criticalVulnerabilities', 'highVulnerabilities', 'vulnerabilities'].map((m) => figure(cards, 'old', m)?.value)).toEqual([2, 1, 3])
    // cargo: 9.8 critical, 7.5 high, no CVSS; govulncheck: 7.5 high, one without severity, one not called; pip-audit: 2 without severity.
    expect(['criticalVulnerabilities', 'highVulnerabilities', 'vulnerabilities'].map((m) => figure(cards, 'new', m)?.value)).toEqual([1, 2, 7])
    expect(figure(cards, 'new', 'vulnerabilities')!.detail).toBe(
      'by severity: critical 1, high 2, unknown 4; govulncheck: 1 more in modules whose vulnerable code is not called',
    )
  })

  it('computes type coverage with the compiler: the explicit and implicit anys of cart.ts', () => {
    const t = figure(cards, 'new', 'typeCoverage')!
    expect(t.source).toBe('computed')
    const [typed, total] = /^(\d+) of (\d+) identifiers typed/.exec(t.detail!)!.slice(1).map(Number)
    expect(total! - typed!).toBe(5)
    expect(t.value).toBeCloseTo(typed! / total!)
    expect(t.detail).toContain('any: src/cart.ts:11 payload, src/cart.ts:11 extra, src/cart.ts:12 payload, src/cart.ts:12 value, src/cart.ts:12 extra')
  })

  it('matches the routes with their OpenAPI document by canonical key', () => {
    // `/api/items/{itemId}` in the document is `/api/items/:id` in Express.
    expect(figure(cards, 'old', 'apiDocumented')).toMatchObject({ value: 1, detail: '4 of 4 routes described' })
    expect(figure(cards, 'new', 'apiDocumented')).toMatchObject({
      value: 1 / 3,
      detail: '1 of 3 routes described; undocumented: POST /api/items, GET /api/items/{}',
    })
  })

  it('measures the built bundles raw and gzipped, the minified one smaller', () => {
    for (const side of ['old', 'new']) {
      const dir = join(tmp, `front-${side}`)
      const files = readdirSync(dir).map((f) => readFileSync(join(dir, f)))
      expect(figure(cards, side, 'bundleRaw')!.value).toBe(files.reduce((s, b) => s + b.length, 0))
      expect(figure(cards, side, 'bundleGzip')!.value).toBe(files.reduce((s, b) => s + gzipSync(b, { level: 9 }).length, 0))
    }
    expect(figure(cards, 'new', 'bundleGzip')!.value).toBeLessThan(figure(cards, 'old', 'bundleGzip')!.value)
    expect(figure(cards, 'old', 'bundleRaw')!.detail).toMatch(/^per entry: main\.js [\d,]+ B, main\.css [\d,]+ B$/)
  })

  it('feeds the gates', () => {
    const ratio = figure(cards, 'new', 'bundleGzip')!.value / figure(cards, 'old', 'bundleGzip')!.value
    const { gates } = assess(run, [
      'testCoverage >= 0.9',
      'criticalVulnerabilities == 0',
      'apiDocumented == 1',
      `bundleGzip <= ${(ratio + 0.01).toFixed(2)}x`,
      'bundleGzip < 300kb',
    ])
    expect(gates.map((g) => [g.gate.split(' ')[0], g.passed])).toEqual([
      ['testCoverage', false],
      ['criticalVulnerabilities', false],
      ['apiDocumented', false],
      ['bundleGzip', true],
      ['bundleGzip', true],
    ])
    expect(gates[0]!.message).toBe('new: 70%')
  })

  it('renders in the terminal and on the vault’s Comparison page', () => {
    const text = renderScorecardTable(run)
    expect(text).toMatch(/^old\s+\d+\.\d% +— +2 +1 +3 +100\.0%/m)
    expect(text).toMatch(/^new\s+70\.0% +\d+\.\d% +1 +2 +7 +33\.3%/m)
    const page = renderVault(run).get('Comparison.md')!
    expect(page).toContain('## Scorecard')
    expect(page).toContain('| System | Tests | Types | Critical | High | Vulns | API docs | Bundle | Gzip |')
    expect(page).toMatch(/\| new \| 70\.0% \| \d+\.\d% \| 1 \| 2 \| 7 \| 33\.3% \|/)
    expect(page).not.toContain('Scorecard problems')
  })
})

describe('bad artifacts', () => {
  let cards: Scorecard[]
  let run: RunResult
  beforeAll(async () => {
    ;({ run, cards } = await runOf(join(tmp, 'broken.config.yaml')))
  })

  it('names each missing or malformed artifact with a hint', () => {
    const problems = cards.map((c) => [c.system, c.problems.map((p) => p.message)])
    expect(problems).toEqual([
      [
        'old',
        [
          'missing/lcov.info: no such coverage report',
          'npm-audit-error.json: the audit did not run: 405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk',
        ],
      ],
      ['new', ['cut.xml: malformed XML: unterminated attribute `filename`', 'no-such/tsconfig.json: no such tsconfig', 'no-such-dist: no such build folder']],
      ['newer', [`broken.info:${brokenLine()}: LF is not a count: \`n/a\``]],
    ])
    for (const c of cards) for (const p of c.problems) expect(p.hint.length).toBeGreaterThan(10)
    expect(cards[0]!.problems[0]!.hint).toContain('c8')
  })

  it('keeps the figures of the artifacts that were fine', () => {
    expect(cards[0]!.figures.map((f) => f.metric)).toEqual([
      'criticalVulnerabilities',
      'highVulnerabilities',
      'vulnerabilities',
      'apiDocumented',
      'bundleRaw',
      'bundleGzip',
    ])
    // Only pip-audit's two were read.
    expect(figure(cards, 'old', 'vulnerabilities')).toMatchObject({ value: 2, source: artifact('pip-audit.json') })
    expect(cards[1]!.figures).toEqual([])
    const text = renderScorecardTable(run)
    expect(text).toContain('✗ no-such-dist: no such build folder')
    expect(text).toContain('hint: build the front end first')
    expect(renderVault(run).get('Comparison.md')).toContain(`- newer: broken.info:${brokenLine()}: LF is not a count: \`n/a\` (hint:`)
  })
})

describe('parity scorecard', () => {
  const capture = () => {
    const out = { stdout: '', stderr: '' }
    return { out, io: { stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t), interactive: false } }
  }

  it('prints the RunResult with its scorecards as JSON, and the table by default', async () => {
    const json = capture()
    expect(await scorecardCommand(['--config', join(tmp, 'parity.config.yaml'), '--format', 'json'], json.io)).toBe(0)
    const run = JSON.parse(json.out.stdout) as RunResult
    expect(run.scorecards!.map((c) => c.system)).toEqual(['old', 'new'])
    expect(run.scorecards![1]!.figures.find((f) => f.metric === 'apiDocumented')!.value).toBeCloseTo(1 / 3)
    const table = capture()
    expect(await scorecardCommand(['--config', join(tmp, 'broken.config.yaml')], table.io)).toBe(0)
    expect(table.out.stdout).toContain('✗ cut.xml: malformed XML')
  })

  it('refuses an unknown format and a config without scorecards', async () => {
    const { io } = capture()
    await expect(scorecardCommand(['--config', join(tmp, 'parity.config.yaml'), '--format', 'xml'], io)).rejects.toThrow(/--format xml is not supported/)
    writeFileSync(
      join(tmp, 'plain.config.yaml'),
      `systems:\n  - { name: old, role: baseline, source: ${join(fixtures, 'old')} }\n  - { name: new, role: candidate, source: ${join(fixtures, 'new')} }\n`,
    )
    await expect(scorecardCommand(['--config', join(tmp, 'plain.config.yaml')], io)).rejects.toThrow(/has a `scorecard` block/)
  })
})
