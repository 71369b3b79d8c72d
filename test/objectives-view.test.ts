/**
 * The dashboard's Objectives block on the overview and its Scorecard view (`#/scorecard`), in the
 * single-file HTML report opened in a real browser. The run is a real diff of the plan fixture with
 * a scorecard written here (figures of both systems, one artifact that did not read), assessed with
 * objectives over three runs kept in a real history store.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { assess } from '../src/assess/gates.js'
import { runDiff } from '../src/match/diff-run.js'
import type { RunResult } from '../src/model/run.js'
import { renderHtml } from '../src/report/html/render.js'
import type { Scorecard } from '../src/model/scorecard.js'
import { openHistory } from '../src/store/history.js'
import { useReportBrowser } from './support/report-browser.js'

const shop = join(new URL('..', import.meta.url).pathname, 'fixtures/plan/shop')
const tmp = mkdtempSync(join(tmpdir(), 'parity-objectives-view-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))
const diffed = await runDiff({ baseline: { name: 'node', source: join(shop, 'baseline') }, candidates: [{ name: 'go', source: join(shop, 'candidate') }] })

const scorecards = (typeCoverage: number): Scorecard[] => [
  {
    system: 'node',
    figures: [
      { metric: 'testCoverage', value: 0.8125, unit: 'ratio', source: 'baseline/coverage/lcov.info', detail: 'lines 13/16' },
      { metric: 'bundleGzip', value: 40_000, unit: 'bytes', source: 'baseline/dist', detail: 'per entry: main.js 40,000 B' },
    ],
    problems: [],
  },
  {
    system: 'go',
    figures: [
      { metric: 'typeCoverage', value: typeCoverage, unit: 'ratio', source: 'computed' },
      { metric: 'criticalVulnerabilities', value: 0, unit: 'count', source: 'audit.json', detail: 'by severity: none' },
      { metric: 'bundleGzip', value: 24_000, unit: 'bytes', source: 'candidate/dist' },
    ],
    problems: [{ source: 'candidate/coverage.xml', message: 'candidate/coverage.xml does not exist', hint: 'run the tests with coverage first' }],
  },
]
const objectives = [
  { name: 'Typed', gate: 'typeCoverage >= 95%', why: 'no `any` in the new code' },
  { name: 'Leaner bundle', gate: 'bundleGzip <= 0.7x' },
]

const store = openHistory(join(tmp, 'history.sqlite'))
let run!: RunResult
for (const value of [0.8, 0.9, 0.93]) {
  run = { ...structuredClone(diffed), scorecards: scorecards(value) }
  run.assessment = assess(run, ['extra >= 0'], [], undefined, objectives)
  run.id = store.append(run)
}
const history = store.history()
store.close()
const browser = useReportBrowser()

describe('Objectives on the overview', () => {
  it('shows each objective with its value now, pass or fail, a sparkline of its runs and why', async () => {
    const p = await browser.open(renderHtml(run, history))
    const rows = await p.$$eval('#objectives-table tbody tr', (trs) =>
      trs.map((tr) => ({
        cells: [...tr.querySelectorAll('td')].slice(0, 4).map((td) => td.textContent?.trim()),
        values: JSON.parse(tr.getAttribute('data-values') ?? 'null'),
        points: tr.querySelector('svg.sparkline path')?.getAttribute('d')?.split('M').length,
        why: tr.querySelector('td:last-child')?.innerHTML,
      })),
    )
    expect(rows.map((r) => r.cells)).toEqual([
      ['Typed', 'typeCoverage >= 95%', '93%', 'fail'],
      ['Leaner bundle', 'bundleGzip <= 0.7x', '0.6x', 'pass'],
    ])
    expect(rows[0]!.values).toEqual([0.8, 0.9, 0.93])
    expect(rows[0]!.points).toBe(2) // one unbroken line: "" before the single M
    expect(rows[0]!.why).toBe('no <code>any</code> in the new code')
    // The verdict lists the objective with its name.
    expect(await p.textContent('#verdict')).toContain('Typed: typeCoverage >= 95%')
  })

  it('has no Objectives block without objectives', async () => {
    const plain = structuredClone(diffed)
    plain.assessment = assess(plain, ['extra >= 0'])
    const p = await browser.open(renderHtml(plain))
    expect(await p.$('#objectives')).toBeNull()
    expect(await p.$('#scorecard-card')).toBeNull()
    expect(await p.$$eval('header nav a', (as) => as.map((a) => a.textContent))).not.toContain('Scorecard')
  })
})

describe('Scorecard view', () => {
  it('puts systems against metrics, with details and sources, and lists problems with hints', async () => {
    const p = await browser.open(renderHtml(run, history), '#/scorecard')
    expect(await p.$$eval('header nav a', (as) => as.map((a) => a.textContent))).toContain('Scorecard')
    expect(await p.$$eval('#scorecard-table thead th', (ths) => ths.map((th) => th.textContent))).toEqual(['Metric', 'node', 'go'])
    expect(await p.$$eval('#scorecard-table tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-metric')))).toEqual([
      'testCoverage',
      'typeCoverage',
      'criticalVulnerabilities',
      'bundleGzip',
    ])
    const cell = (metric: string, system: string) => p.textContent(`#scorecard-table tr[data-metric="${metric}"] td[data-system="${system}"] b`)
    expect(await cell('testCoverage', 'node')).toBe('81.3%')
    expect(await p.textContent('#scorecard-table tr[data-metric="testCoverage"] td[data-system="go"]')).toBe('\u2014')
    expect(await cell('typeCoverage', 'go')).toBe('93%')
    expect(await cell('criticalVulnerabilities', 'go')).toBe('0')
    expect(await cell('bundleGzip', 'node')).toBe('39.1 KiB')
    expect(await p.textContent('#scorecard-table tr[data-metric="testCoverage"] td[data-system="node"]')).toContain('lines 13/16')
    expect(await p.textContent('#scorecard-table tr[data-metric="testCoverage"] td[data-system="node"]')).toContain('baseline/coverage/lcov.info')
    const problems = await p.$$eval('#scorecard-problems li', (lis) => lis.map((li) => li.textContent))
    expect(problems).toEqual(['go candidate/coverage.xml: candidate/coverage.xml does not existhint: run the tests with coverage first'])
  })

  it('gives the overview a compact Scorecard card linking to the view', async () => {
    const p = await browser.open(renderHtml(run, history))
    const lines = await p.$$eval('#scorecard-card li', (lis) => lis.map((li) => li.textContent))
    expect(lines).toEqual(['node test coverage 81.3%, bundle (gzip) 39.1 KiB', 'go type coverage 93%, critical vulnerabilities 0, bundle (gzip) 23.4 KiB'])
    expect(await p.textContent('#scorecard-card .warn-text')).toContain('1 artifact not read')
    await p.click('#scorecard-card h3 a')
    await p.waitForSelector('#view-scorecard')
  })
})
