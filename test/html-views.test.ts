/**
 * The HTML report's Behaviour and Performance views, opened in headless Chromium (Debian's
 * /usr/bin/chromium, driven by playwright-core) from disk with every non-`file:` request blocked.
 * The RunResult is a fixture written here: replayed routes (verified, divergent with a value and an
 * order difference, unproven, unexercised), learned noise, an end-to-end suite with a regression, and
 * bench entries of two systems with distributions, trials and cold starts.
 */
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import type { BenchEntry, Trial } from '../src/bench/types.js'
import type { RunResult, Summary } from '../src/model/run.js'
import { renderHtml } from '../src/report/html/render.js'
import type { Body, RouteEvidence } from '../src/verify/types.js'
import { useReportBrowser } from './support/report-browser.js'


const summary: Summary = { ported: 3, missing: 1, extra: 0, excluded: 0, verified: 1, divergent: 1, total: 6, percent: 83.3, byKind: {} }
const stats = { files: 1, parsed: 1, lines: 10, skipped: {} }
const json = (value: unknown): Body => {
  const text = JSON.stringify(value)
  return { text, size: text.length }
}

const divergent: RouteEvidence = {
  method: 'GET',
  path: '/api/bookmarks/{id}',
  key: 'GET /api/bookmarks/{}',
  status: 'divergent',
  exchanges: 3,
  differences: [
    { where: 'body', pointer: '/title', kind: 'value', baseline: 'Old title', candidate: 'New title' },
    { where: 'body', pointer: '/tags', kind: 'order', baseline: ['alpha', 'beta'], candidate: ['beta', 'alpha'] },
  ],
  example: {
    request: { method: 'GET', url: '/api/bookmarks/7', headers: [['accept', 'application/json']] },
    baseline: {
      status: 200,
      headers: [['content-type', 'application/json'], ['date', 'Mon, 01 Jan 2025 10:00:00 GMT']],
      body: json({ id: 7, title: 'Old title', tags: ['alpha', 'beta'], createdAt: '2025-01-01T10:00:00.000Z' }),
      durationMs: 2.5,
    },
    candidate: {
      status: 200,
      headers: [['content-type', 'application/json'], ['date', 'Mon, 01 Jan 2025 10:00:01 GMT']],
      body: json({ id: 7, title: 'New title', tags: ['beta', 'alpha'], createdAt: '2025-01-01T10:00:01.000Z' }),
      durationMs: 1.1,
    },
  },
}

const routes: RouteEvidence[] = [
  { method: 'GET', path: '/api/bookmarks', key: 'GET /api/bookmarks', status: 'verified', exchanges: 4, differences: [] },
  divergent,
  { method: 'DELETE', path: '/api/admin/users/{id}', key: 'DELETE /api/admin/users/{}', status: 'unproven', exchanges: 2, differences: [] },
  { method: 'GET', path: '/api/export', key: 'GET /api/export', status: 'unexercised', exchanges: 0, differences: [] },
]

const DISTRIBUTION = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 99, 99.9, 99.99, 100]
const distribution = (scale: number): Array<[number, number]> => DISTRIBUTION.map((p) => [p, Math.round(scale * (1 + p / 20 + (p >= 99 ? 10 : 0)) * 1000) / 1000])

function trial(index: number, rps: number, p95: number): Trial {
  return {
    index,
    result: {
      target: 'http://127.0.0.1:1', model: 'closed', connections: 16, requests: rps * 5, durationMs: 5000, throughput: { rps },
      latency: { p50: p95 / 3, p90: p95 * 0.8, p95, p99: p95 * 2, p999: p95 * 3, max: p95 * 4, mean: p95 / 2, min: 0.1 },
      errors: 0, errorsByKind: {}, statusCounts: { 200: rps * 5 }, distribution: distribution(p95 / 6),
      generator: { cpuPercent: 40, usPerRequest: 15 }, generatorBound: false,
    },
  }
}

function entry(system: string, role: 'baseline' | 'candidate', rps: number, p95: number, trials: Trial[], startup: number[]): BenchEntry {
  const sorted = [...startup].sort((a, b) => a - b)
  return {
    target: `http://127.0.0.1:1/${system}`, system, role, scenario: 'GET /api/bookmarks', model: 'closed', connections: 16,
    throughput: { rps },
    latency: { p50: p95 / 3, p90: p95 * 0.8, p95, p99: p95 * 2, p999: p95 * 3, max: p95 * 4, mean: p95 / 2, min: 0.1 },
    errors: 2, errorsByKind: { timeout: 2 }, spread: { min: rps * 0.9, max: rps * 1.1, cv: 0.06 },
    trials, distribution: distribution(p95 / 6), generatorBound: role === 'candidate',
    resources: { samples: 50, rssPeakMb: role === 'baseline' ? 120 : 40, rssMeanMb: 100, cpuMeanPercent: 95, cpuPeakPercent: 100, processes: 1, method: 'proc' },
    startup: { runs: startup.length, warmup: 1, median: sorted[sorted.length >> 1]!, mean: 0, stddev: 3.2, min: sorted[0]!, max: sorted[sorted.length - 1]!, outliers: [0], times: startup },
  }
}

const bench = [
  entry('express', 'baseline', 1000, 30, [trial(0, 950, 31), trial(1, 1000, 30), trial(2, 1050, 29)], [210, 190, 200, 205, 195]),
  entry('fastify', 'candidate', 2400, 9.3, [trial(0, 2300, 9.5), trial(1, 2400, 9.3), { index: 2, failed: 'fastify exited during the trial (signal SIGKILL)' }], [90, 80, 85, 82, 88]),
]

const run: RunResult = {
  schema: 'parity.run/v1',
  tool: { name: 'parity', version: '0.0.0-test' },
  startedAt: '2025-01-01T10:00:00.000Z',
  systems: [
    { name: 'express', role: 'baseline', source: 'examples/express', sourceKind: 'tree', frameworks: ['express'], stats, items: {}, diagnostics: [] },
    { name: 'fastify', role: 'candidate', source: 'examples/fastify', sourceKind: 'tree', frameworks: ['fastify'], stats, items: {}, diagnostics: [] },
  ],
  pairs: [],
  nearMisses: [],
  components: [],
  summary,
  candidates: { fastify: summary },
  diagnostics: [],
  assessment: {
    findings: [],
    gates: [
      { gate: 'p95 < 100ms', passed: true, actual: 9.3, message: 'fastify GET /api/bookmarks: 9.3', findings: [] },
      { gate: 'rss <= 0.3x', passed: false, actual: 0.33333333, message: 'fastify GET /api/bookmarks: 0.333x', findings: [] },
    ],
    verdict: { productionReady: false, failed: ['rss <= 0.3x'], staleAcceptances: [] },
  },
  routes,
  noise: [
    { route: 'GET /api/bookmarks/{}', where: 'body', pointer: '/createdAt', reason: 'timestamp: differs between two baseline answers', evidence: 3 },
    { route: '*', where: 'header', pointer: 'date', reason: 'date header', evidence: 9 },
  ],
  tests: [
    { name: 'lists bookmarks', baseline: 'pass', candidate: 'pass' },
    { name: 'creates a bookmark', baseline: 'pass', candidate: 'pass' },
    { name: 'fails everywhere', baseline: 'fail', candidate: 'fail' },
    { name: 'exports as CSV', baseline: 'pass', candidate: 'fail' },
    { name: 'deletes a bookmark', baseline: 'pass', candidate: 'pass' },
  ],
  bench,
  benchComparisons: [{
    scenario: 'GET /api/bookmarks', baseline: 'express', candidate: 'fastify',
    ratios: { rps: 2.4, p50: 0.31, p90: 0.31, p95: 0.31, p99: 0.31, rss: 0.333, cpu: 0.42, startup: 0.42 },
    confidence: 'low', note: 'fastify trials spread 6%; one trial failed',
  }],
}

const browser = useReportBrowser()
function open(result: RunResult, hash = ''): Promise<Page> {
  return browser.open(renderHtml(result), hash)
}

const tabs = (p: Page) => p.$$eval('header nav a', (as) => as.map((a) => a.textContent))

describe('overview', () => {
  it('has Behaviour and Performance cards linking to their views, and the bench gates in the verdict', async () => {
    const p = await open(run)
    expect(await tabs(p)).toEqual(['Overview', 'Coverage matrix', 'Behaviour', 'Performance', 'Trend'])
    const counts = await p.$$eval('#behaviour-card li[data-status]', (lis) => lis.map((li) => [(li as HTMLElement).dataset.status, li.querySelector('b')?.textContent]))
    expect(counts).toEqual([['verified', '1'], ['divergent', '1'], ['unproven', '1'], ['unexercised', '1']])
    expect(await p.textContent('#e2e-summary')).toBe('End-to-end: 3 pass on both, 1 regression, 1 fail on both')
    const perf = await p.textContent('#performance-card')
    expect(perf).toContain('2.4x throughput')
    expect(perf).toContain('p95 0.31x')
    const verdict = await p.textContent('#verdict')
    expect(verdict).toContain('p95 < 100ms')
    expect(verdict).toContain('rss <= 0.3x')
    expect(verdict).toContain('0.333')
    expect(verdict).not.toContain('0.33333333')
    await p.click('#performance-card h3 a')
    await p.waitForSelector('#view-performance')
    await p.goBack()
    await p.click('#behaviour-card h3 a')
    await p.waitForSelector('#view-behaviour')
  })

  it('shows neither tab nor card when the run has no routes, tests or bench', async () => {
    const { routes: _r, tests: _t, bench: _b, benchComparisons: _c, noise: _n, ...bare } = run
    const p = await open(bare)
    expect(await tabs(p)).toEqual(['Overview', 'Coverage matrix', 'Trend'])
    expect(await p.locator('#behaviour-card, #performance-card').count()).toBe(0)
  })
})

describe('Behaviour view', () => {
  it('lists every route with its status, exchanges and differing fields, and filters by status', async () => {
    const p = await open(run)
    await p.click('header nav a:has-text("Behaviour")')
    await p.waitForSelector('#routes')
    const rows = await p.$$eval('#routes tr.route', (trs) => trs.map((tr) => ({
      key: (tr as HTMLElement).dataset.key,
      status: (tr as HTMLElement).dataset.status,
      badge: tr.querySelector('.badge')?.textContent,
      exchanges: tr.querySelector('td.num')?.textContent,
    })))
    expect(rows).toEqual(routes.map((r) => ({ key: r.key, status: r.status, badge: r.status, exchanges: String(r.exchanges) })))
    expect(await p.$$eval(`#routes tr[data-key="${divergent.key}"] code.field`, (cs) => cs.map((c) => c.textContent))).toEqual(['/title', '/tags'])
    await p.selectOption('#routes-status', 'unproven')
    expect(await p.$$eval('#routes tr.route', (trs) => trs.map((tr) => (tr as HTMLElement).dataset.key))).toEqual(['DELETE /api/admin/users/{}'])
    await p.selectOption('#routes-status', 'all')
    expect(await p.locator('#routes tr.route').count()).toBe(routes.length)
  })

  it('expands a divergent route with Enter: the request, both answers side by side, differing pointers highlighted, noise muted', async () => {
    const p = await open(run, '#/behaviour')
    const row = p.locator(`#routes tr.route[data-key="${divergent.key}"]`)
    expect(await row.getAttribute('aria-expanded')).toBe('false')
    expect(await p.locator('tr.route-detail').count()).toBe(0)
    await row.focus()
    await p.keyboard.press('Enter')
    await p.waitForSelector('tr.route-detail')
    expect(await p.locator(`#routes tr.route[data-key="${divergent.key}"]`).getAttribute('aria-expanded')).toBe('true')
    // Focus stays on the row after the re-render, so Enter again would collapse it.
    expect(await p.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.key)).toBe(divergent.key)

    const detail = p.locator('tr.route-detail')
    expect(await detail.locator('.req-line').textContent()).toBe('GET /api/bookmarks/7')
    const base = detail.locator('.side-baseline')
    const cand = detail.locator('.side-candidate')
    const [bb, cb] = [await base.boundingBox(), await cand.boundingBox()]
    expect(bb && cb).toBeTruthy()
    expect(Math.abs(bb!.y - cb!.y)).toBeLessThan(2)
    expect(bb!.x + bb!.width).toBeLessThanOrEqual(cb!.x)

    expect(await base.locator('mark.hl[data-pointer="/title"]').textContent()).toBe('  "title": "Old title",')
    expect(await cand.locator('mark.hl[data-pointer="/title"]').textContent()).toBe('  "title": "New title",')
    // The order difference marks the array and its items.
    expect(await cand.locator('mark.hl').evaluateAll((ms) => ms.map((m) => (m as HTMLElement).dataset.pointer)))
      .toEqual(['/title', '/tags', '/tags/0', '/tags/1', '/tags'])
    expect(await base.locator('mark.hl[data-pointer="/tags/0"]').textContent()).toBe('    "alpha",')
    expect(await base.locator('.ln[data-pointer="/id"]').count()).toBe(0)
    expect(await base.locator('mark[data-pointer="/id"]').count()).toBe(0)

    const noise = cand.locator('.ln.noise[data-pointer="/createdAt"]')
    expect(await noise.textContent()).toBe('  "createdAt": "2025-01-01T10:00:01.000Z" noise (ignored)')
    expect(await cand.locator('.headers .ln.noise').textContent()).toContain('date: Mon, 01 Jan 2025 10:00:01 GMT')
    expect(await detail.locator('.noise-note').textContent()).toBe('noise (ignored): /createdAt, header date')
    expect(await detail.locator('table.diffs tbody tr').count()).toBe(2)

    await p.locator(`#routes tr.route[data-key="${divergent.key}"] td`).first().click()
    expect(await p.locator('tr.route-detail').count()).toBe(0)
    // A verified route does not expand.
    await p.locator('#routes tr.route[data-key="GET /api/bookmarks"] td').first().click()
    expect(await p.locator('tr.route-detail').count()).toBe(0)
  })

  it('lists the learned noise and the end-to-end suite, regressions first', async () => {
    const p = await open(run, '#/behaviour')
    expect(await p.locator('#noise tbody tr').count()).toBe(2)
    expect(await p.textContent('#noise')).toContain('/createdAt')
    const counts = await p.$$eval('#e2e-counts li', (lis) => lis.map((li) => [(li as HTMLElement).dataset.outcome, li.querySelector('b')?.textContent]))
    expect(counts).toEqual([['pass', '3'], ['regression', '1'], ['fail-both', '1']])
    const rows = await p.$$eval('#e2e tbody tr', (trs) => trs.map((tr) => [(tr as HTMLElement).dataset.outcome, tr.querySelector('td')?.textContent]))
    expect(rows).toEqual([
      ['regression', 'exports as CSV'],
      ['fail-both', 'fails everywhere'],
      ['pass', 'lists bookmarks'],
      ['pass', 'creates a bookmark'],
      ['pass', 'deletes a bookmark'],
    ])
  })
})

describe('Performance view', () => {
  it('shows both systems side by side with the ratio line, failed trials and generator-bound warnings', async () => {
    const p = await open(run)
    await p.click('header nav a:has-text("Performance")')
    await p.waitForSelector('#view-performance')
    const table = await p.$$eval('.scenario .bench-table tbody tr', (trs) => trs.map((tr) => ({
      system: (tr as HTMLElement).dataset.system,
      rps: tr.querySelector('[data-col="rps"]')?.textContent,
      p95: tr.querySelector('[data-col="p95"]')?.textContent,
      startup: tr.querySelector('[data-col="startup"]')?.textContent,
      rss: tr.querySelector('[data-col="rss"]')?.textContent,
    })))
    expect(table).toEqual([
      { system: 'express', rps: '1,000', p95: '30.0', startup: '200 ± 3.20 ms', rss: '120 MiB' },
      { system: 'fastify', rps: '2,400', p95: '9.30', startup: '85.0 ± 3.20 ms', rss: '40 MiB' },
    ])
    const line = await p.textContent('.comparison')
    expect(line).toContain('fastify vs express: 2.4x throughput, p50 0.31x, p95 0.31x, p99 0.31x, memory 0.33x, CPU per request 0.42x, cold start 0.42x')
    expect(line).toContain('confidence low fastify trials spread 6%; one trial failed')
    expect(await p.getAttribute('.comparison .ratio[data-metric="rps"]', 'class')).toContain('r-better')
    expect(await p.textContent('.bench-warnings .trial-failed')).toContain('fastify trial 3 failed: fastify exited during the trial')
    expect(await p.textContent('.bench-warnings .generator-bound')).toContain('fastify: generator-bound')
  })

  it('draws the latency distribution of each system on a percentile scale, trials as bars and cold starts as dots', async () => {
    const p = await open(run, '#/performance')
    const series = await p.$$eval('#latency-chart-0 polyline.series', (ls) => ls.map((l) => ({
      system: (l as SVGElement).dataset.system,
      xs: (l.getAttribute('points') ?? '').trim().split(/\s+/).map((pt) => Number(pt.split(',')[0])),
    })))
    expect(series.map((s) => s.system)).toEqual(['express', 'fastify'])
    for (const s of series) {
      expect(s.xs).toHaveLength(DISTRIBUTION.length)
      // Percentiles grow to the right, and 90 -> 99 -> 99.9 -> 99.99 are evenly spaced (log scale).
      expect([...s.xs].sort((a, b) => a - b)).toEqual(s.xs)
      const at = (pct: number) => s.xs[DISTRIBUTION.indexOf(pct)]!
      expect(at(99) - at(90)).toBeCloseTo(at(99.9) - at(99), 0)
      expect(at(99.99) - at(99.9)).toBeCloseTo(at(99.9) - at(99), 0)
    }
    const labels = await p.$$eval('#latency-chart-0 text.axis', (ts) => ts.map((t) => t.textContent))
    for (const l of ['50', '90', '99', '99.9', '99.99', 'max']) expect(labels).toContain(l)

    const bars = await p.$$eval('#trials-chart-0 rect.bar-trial', (rs) => rs.map((r) => `${(r as SVGElement).dataset.system}#${(r as SVGElement).dataset.trial}`))
    expect(bars).toEqual(['express#0', 'fastify#0', 'express#1', 'fastify#1', 'express#2'])
    const heights = await p.$$eval('#trials-chart-0 rect.bar-trial', (rs) => rs.map((r) => Number(r.getAttribute('height'))))
    expect(heights[1]!).toBeGreaterThan(heights[0]!)
    expect(await p.locator('#trials-chart-0 .failed-mark[data-system="fastify"]').count()).toBe(1)

    expect(await p.locator('#startup-chart circle.dot[data-system="express"]').count()).toBe(5)
    expect(await p.locator('#startup-chart circle.dot[data-system="fastify"]').count()).toBe(5)
    expect(await p.locator('#startup-chart circle.dot.outlier').count()).toBe(2)
  })
})
