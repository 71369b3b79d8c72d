/**
 * One RunResult, every reporter: the terminal summary, its verbose e2e line, the Markdown vault, the
 * HTML report (in Chromium) and JUnit show the same counts. They read what the RunResult carries
 * (the summary per candidate, each test's outcome); none re-derives it.
 */
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { classifyE2eTest } from '../src/assess/e2e.js'
import type { E2eTest } from '../src/model/exchange.js'
import type { RunResult } from '../src/model/run.js'
import { renderHtml } from '../src/report/html/render.js'
import { renderJunit } from '../src/report/junit.js'
import { renderVault } from '../src/report/markdown/vault.js'
import { renderE2eSuite, renderHeadlines } from '../src/report/run-summary.js'
import { useReportBrowser } from './support/report-browser.js'

const repo = new URL('..', import.meta.url).pathname
const r = spawnSync(process.execPath, [join(repo, 'bin/parity.js'), 'diff', '--format', 'json'], {
  cwd: join(repo, 'fixtures/examples-static'),
  encoding: 'utf8',
  env: { ...process.env, CI: 'true' },
})
const base = JSON.parse(r.stdout) as RunResult
const t = (name: string, baseline: E2eTest['baseline'], candidate: E2eTest['candidate']): E2eTest => {
  const test: E2eTest = { name, baseline, candidate }
  return { ...test, outcome: classifyE2eTest(test) }
}
// Every outcome: 3 pass on both, 2 regressions, 1 never ran on the candidate, 1 fails on both, 1 fixed, 1 skipped.
const tests = [
  t('a', 'pass', 'pass'),
  t('b', 'pass', 'pass'),
  t('c', 'pass', 'pass'),
  t('d', 'pass', 'fail'),
  t('e', 'pass', 'fail'),
  t('f', 'pass', 'absent'),
  t('g', 'fail', 'fail'),
  t('h', 'fail', 'pass'),
  t('i', 'pass', 'skip'),
]
const run: RunResult = { ...base, tests }
const candidate = Object.keys(run.candidates)[0]!
const s = run.candidates[candidate]!
const ported = s.ported + s.verified + s.divergent
const browser = useReportBrowser()

it('agree on the ported figure of each candidate', async () => {
  expect(renderHeadlines(run)).toContain(`${s.percent}% ported (${ported} of ${s.total})`)
  expect(renderVault(run).get('Index.md')).toContain(`**${s.percent}%** (${ported} of ${s.total})`)
  const junit = renderJunit(run)
  expect(junit).toContain(`<property name="percent" value="${s.percent}"/>`)
  const p = await browser.open(renderHtml(run))
  expect(await p.textContent(`.card[data-candidate="${candidate}"] .pct`)).toBe(`${s.percent}%`)
  expect(await p.textContent(`.card[data-candidate="${candidate}"] .card-counts`)).toContain(`of ${s.total} baseline items; ${ported} ported`)
})

it('agree on the status of the candidate and of each component', async () => {
  expect(s.status).toBe('partial')
  expect(renderVault(run).get('Index.md')).toContain(`(${ported} of ${s.total}), status ${s.status}.`)
  const p = await browser.open(renderHtml(run), '#/matrix')
  const cells = Object.fromEntries(
    await p.$$eval(`tr[data-component] .cell[data-candidate="${candidate}"]`, (tds) =>
      tds.map((td) => [td.closest('tr')!.dataset.component, (td as HTMLElement).dataset.status]),
    ),
  )
  const expected = Object.fromEntries(
    run.components.filter((c) => (c.candidates[candidate]?.total ?? 0) > 0).map((c) => [c.name, c.candidates[candidate]!.status]),
  )
  expect(cells).toMatchObject(expected)
  // The overall row says the candidate's own status.
  expect(await p.getAttribute(`tr.total .cell[data-candidate="${candidate}"]`, 'data-status')).toBe(s.status)
})

it('agree on the old end-to-end suite: 3 pass on both, 2 regressions, 1 not run on the candidate, 1 fails on both', async () => {
  expect(renderE2eSuite(run)).toContain('9 tests, 3 pass on both, 2 fail only on the candidate, 1 fail on both, 1 did not run on the candidate')
  expect(renderHeadlines(run)).toContain('old e2e suite: 4 of 8 tests pass, 2 regressed, 1 did not run')
  const comparison = renderVault(run).get('Comparison.md') ?? ''
  expect(comparison).toContain('3 of 9 tests pass on both, 2 fail only on the candidate, 1 fail on both, 1 did not run on the candidate.')
  const p = await browser.open(renderHtml(run), '#/behaviour')
  const counts = Object.fromEntries(
    await p.$$eval('#e2e-counts li', (lis) => lis.map((li) => [(li as HTMLElement).dataset.outcome, Number(li.querySelector('b')?.textContent)])),
  )
  expect(counts).toMatchObject({ pass: 3, regression: 2, missing: 1, 'fail-both': 1, fixed: 1, other: 1 })
  const overview = await browser.open(renderHtml(run))
  expect(await overview.textContent('#e2e-summary')).toBe('End-to-end: 3 pass on both, 2 regressions, 1 fail on both, 1 not run on the candidate')
})
