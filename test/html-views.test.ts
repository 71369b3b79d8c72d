/**
 * The HTML report's Behaviour and Performance views, opened in headless Chromium (Debian's
 * /usr/bin/chromium, driven by playwright-core) from disk with every non-`file:` request blocked.
 * The RunResult is a fixture written here: replayed routes (verified, divergent with a value and an
 * order difference, unproven, unexercised), learned noise, an end-to-end suite with a regression,
 * bench entries of two systems with distributions, trials (each with its RSS and CPU), idle figures
 * and cold starts, and a WebSocket fan-out of both.
 */
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import type { BenchEntry, Trial, WsBenchEntry } from '../src/model/bench.js'
import type { McpBenchEntry } from '../src/model/mcp.js'
import type { ResourceStats } from '../src/systems/types.js'
import type { RunResult, Summary } from '../src/model/run.js'
import { renderHtml } from '../src/report/html/render.js'
import { formatGateValue } from '../src/assess/gates.js'
import type { Body, RouteEvidence } from '../src/model/exchange.js'
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
      headers: [
        ['content-type', 'application/json'],
        ['date', 'Mon, 01 Jan 2025 10:00:00 GMT'],
      ],
      body: json({ id: 7, title: 'Old title', tags: ['alpha', 'beta'], createdAt: '2025-01-01T10:00:00.000Z' }),
      durationMs: 2.5,
    },
    candidate: {
      status: 200,
      headers: [
        ['content-type', 'application/json'],
        ['date', 'Mon, 01 Jan 2025 10:00:01 GMT'],
      ],
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
const distribution = (scale: number): Array<[number, number]> =>
  DISTRIBUTION.map((p) => [p, Math.round(scale * (1 + p / 20 + (p >= 99 ? 10 : 0)) * 1000) / 1000])

const resources = (rssPeakMb: number, cpuMeanPercent: number): ResourceStats => ({
  samples: 50,
  rssPeakMb,
  rssMeanMb: rssPeakMb * 0.9,
  cpuMeanPercent,
  cpuPeakPercent: cpuMeanPercent * 1.2,
  processes: 1,
  method: 'proc',
})

function trial(index: number, rps: number, p95: number, rss: number, cpu: number): Trial {
  return {
    index,
    resources: resources(rss, cpu),
    result: {
      target: 'http://127.0.0.1:1',
      model: 'closed',
      connections: 16,
      requests: rps * 5,
      durationMs: 5000,
      throughput: { rps },
      latency: { p50: p95 / 3, p90: p95 * 0.8, p95, p99: p95 * 2, p999: p95 * 3, max: p95 * 4, mean: p95 / 2, min: 0.1 },
      errors: 0,
      errorsByKind: {},
      statusCounts: { 200: rps * 5 },
      distribution: distribution(p95 / 6),
      generator: { cpuPercent: 40, usPerRequest: 15 },
      generatorBound: false,
    },
  }
}

function entry(system: string, role: 'baseline' | 'candidate', rps: number, p95: number, trials: Trial[], startup: number[]): BenchEntry {
  const sorted = [...startup].sort((a, b) => a - b)
  return {
    target: `http://127.0.0.1:1/${system}`,
    system,
    role,
    scenario: 'GET /api/bookmarks',
    model: 'closed',
    connections: 16,
    throughput: { rps },
    latency: { p50: p95 / 3, p90: p95 * 0.8, p95, p99: p95 * 2, p999: p95 * 3, max: p95 * 4, mean: p95 / 2, min: 0.1 },
    errors: 2,
    errorsByKind: { timeout: 2 },
    spread: { min: rps * 0.9, max: rps * 1.1, cv: 0.06 },
    trials,
    distribution: distribution(p95 / 6),
    generatorBound: role === 'candidate',
    resources: {
      samples: 50,
      rssPeakMb: role === 'baseline' ? 120 : 40,
      rssMeanMb: 100,
      cpuMeanPercent: 95,
      cpuPeakPercent: 100,
      processes: 1,
      method: 'proc',
    },
    idle: resources(role === 'baseline' ? 60 : 20, role === 'baseline' ? 0.8 : 0.3),
    startup: {
      runs: startup.length,
      warmup: 1,
      median: sorted[sorted.length >> 1]!,
      mean: 0,
      stddev: 3.2,
      min: sorted[0]!,
      max: sorted[sorted.length - 1]!,
      outliers: [0],
      times: startup,
    },
  }
}

const bench = [
  // express grows by 10 MiB a trial; fastify's last trial crashed, its memory sampled until then.
  entry('express', 'baseline', 1000, 30, [trial(0, 950, 31, 100, 90), trial(1, 1000, 30, 110, 95), trial(2, 1050, 29, 120, 97)], [210, 190, 200, 205, 195]),
  entry(
    'fastify',
    'candidate',
    2400,
    9.3,
    [
      trial(0, 2300, 9.5, 38, 60),
      trial(1, 2400, 9.3, 40, 62),
      { index: 2, failed: 'fastify exited during the trial (signal SIGKILL)', resources: resources(90, 70) },
    ],
    [90, 80, 85, 82, 88],
  ),
]

const latency = (p50: number) => ({ p50, p90: p50 * 2, p95: p50 * 3, p99: p50 * 4, p999: p50 * 5, max: p50 * 6, mean: p50 * 1.2, min: p50 / 2 })
const ws = (system: string, role: 'baseline' | 'candidate', connected: number, p50: number): WsBenchEntry => ({
  target: `ws://127.0.0.1:1/${system}`,
  system,
  role,
  path: '/ws/import',
  connections: 50,
  messages: 200,
  connected,
  failed: 50 - connected,
  successRate: connected / 50,
  published: 200,
  received: connected * 200,
  latency: latency(p50),
})
// The candidate's figures say how many copies were timed; the baseline's come from before samples were counted.
const wsBench = [ws('express', 'baseline', 50, 4), { ...ws('fastify', 'candidate', 49, 1.5), latency: { ...latency(1.5), count: 9800 } }]

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
      // As assess writes them: the display value formatted in the gate's terms.
      {
        gate: 'p95 < 100ms',
        passed: true,
        actual: 9.3,
        display: formatGateValue('p95 < 100ms', 9.3),
        message: 'fastify GET /api/bookmarks: 9.3',
        findings: [],
      },
      {
        gate: 'rss <= 0.3x',
        passed: false,
        actual: 0.33333333,
        display: formatGateValue('rss <= 0.3x', 0.33333333),
        message: 'fastify GET /api/bookmarks: 0.333x',
        findings: [],
      },
    ],
    verdict: { productionReady: false, failed: ['rss <= 0.3x'], staleAcceptances: [] },
  },
  routes,
  noise: [
    {
      route: 'GET /api/bookmarks/{}',
      where: 'body',
      pointer: '/createdAt',
      reason: 'timestamp: differs between two baseline answers',
      evidence: 3,
      silenced: 2,
    },
    { route: '*', where: 'header', pointer: 'date', reason: 'date header', evidence: 9 },
  ],
  tests: [
    { name: 'lists bookmarks', baseline: 'pass', candidate: 'pass', outcome: 'pass-both' },
    { name: 'creates a bookmark', baseline: 'pass', candidate: 'pass', outcome: 'pass-both' },
    { name: 'fails everywhere', baseline: 'fail', candidate: 'fail', outcome: 'fail-both' },
    { name: 'exports as CSV', baseline: 'pass', candidate: 'fail', outcome: 'regression' },
    { name: 'deletes a bookmark', baseline: 'pass', candidate: 'pass', outcome: 'pass-both' },
  ],
  bench,
  benchComparisons: [
    {
      scenario: 'GET /api/bookmarks',
      baseline: 'express',
      candidate: 'fastify',
      ratios: { rps: 2.4, p50: 0.31, p90: 0.31, p95: 0.31, p99: 0.31, rss: 0.333, cpu: 0.42, startup: 0.42 },
      confidence: 'low',
      note: 'fastify trials spread 6%; one trial failed',
    },
  ],
  wsBench,
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
    const counts = await p.$$eval('#behaviour-card li[data-status]', (lis) =>
      lis.map((li) => [(li as HTMLElement).dataset.status, li.querySelector('b')?.textContent]),
    )
    expect(counts).toEqual([
      ['verified', '1'],
      ['divergent', '1'],
      ['unproven', '1'],
      ['unexercised', '1'],
    ])
    expect(await p.textContent('#e2e-summary')).toBe('End-to-end: 3 pass on both, 1 regression, 1 fail on both')
    const perf = await p.textContent('#performance-card')
    expect(perf).toContain('2.4x throughput')
    expect(perf).toContain('p95 0.31x')
    expect(await p.textContent('#perf-ws')).toBe('WebSocket fan-out /ws/import: express p95 12.0 ms, 100% connected; fastify p95 4.50 ms, 98% connected')
    expect(await p.locator('#perf-mcp').count()).toBe(0)
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

  it('adds a line for MCP tool latency to the Performance card, linking to the MCP view', async () => {
    const mcp = (system: string, role: 'baseline' | 'candidate', tool: string, p50: number): McpBenchEntry => ({
      system,
      role,
      tool,
      concurrency: 4,
      calls: 200,
      callsPerSecond: 800,
      latency: latency(p50),
      errors: 0,
    })
    const mcpBench = [
      mcp('ts-nav', 'baseline', 'find_references', 2),
      mcp('rs-nav', 'candidate', 'find_references', 1),
      mcp('ts-nav', 'baseline', 'goto_definition', 4),
      mcp('rs-nav', 'candidate', 'goto_definition', 0.5),
    ]
    const p = await open({ ...run, mcpBench })
    // Median over the tools of each tool's p95: (6 + 12) / 2 and (3 + 1.5) / 2.
    expect(await p.textContent('#perf-mcp')).toBe('MCP tools, median p95 over 2 tools: ts-nav 9.00 ms, rs-nav 2.25 ms')
    await p.click('#perf-mcp a')
    await p.waitForSelector('#view-mcp')
  })

  it('shows the Performance tab and card for a WebSocket fan-out alone', async () => {
    const { bench: _b, benchComparisons: _c, ...wsOnly } = run
    const p = await open(wsOnly)
    expect(await tabs(p)).toContain('Performance')
    expect(await p.textContent('#performance-card')).toContain('WebSocket fan-out /ws/import')
    await p.click('#performance-card h3 a')
    await p.waitForSelector('#ws-fanout')
    expect(await p.locator('.scenario').count()).toBe(0)
    expect(await p.locator('#ws-bench tbody tr').count()).toBe(2)
  })

  it('shows neither tab nor card when the run has no routes, tests or bench', async () => {
    const { routes: _r, tests: _t, bench: _b, benchComparisons: _c, noise: _n, wsBench: _w, ...bare } = run
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
    const rows = await p.$$eval('#routes tr.route', (trs) =>
      trs.map((tr) => ({
        key: (tr as HTMLElement).dataset.key,
        status: (tr as HTMLElement).dataset.status,
        badge: tr.querySelector('.badge')?.textContent,
        exchanges: tr.querySelector('td.num')?.textContent,
      })),
    )
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
    expect(await cand.locator('mark.hl').evaluateAll((ms) => ms.map((m) => (m as HTMLElement).dataset.pointer))).toEqual([
      '/title',
      '/tags',
      '/tags/0',
      '/tags/1',
      '/tags',
    ])
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
    // Each rule says how many exchanges it silenced.
    expect(await p.$$eval('#noise tbody tr', (trs) => trs.map((tr) => tr.lastElementChild?.textContent))).toEqual(['2', ''])
    const counts = await p.$$eval('#e2e-counts li', (lis) => lis.map((li) => [(li as HTMLElement).dataset.outcome, li.querySelector('b')?.textContent]))
    expect(counts).toEqual([
      ['pass', '3'],
      ['regression', '1'],
      ['fail-both', '1'],
    ])
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
    const table = await p.$$eval('.scenario .bench-table tbody tr', (trs) =>
      trs.map((tr) => ({
        system: (tr as HTMLElement).dataset.system,
        rps: tr.querySelector('[data-col="rps"]')?.textContent,
        p95: tr.querySelector('[data-col="p95"]')?.textContent,
        startup: tr.querySelector('[data-col="startup"]')?.textContent,
        rss: tr.querySelector('[data-col="rss"]')?.textContent,
      })),
    )
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
    const series = await p.$$eval('#latency-chart-0 polyline.series', (ls) =>
      ls.map((l) => ({
        system: (l as SVGElement).dataset.system,
        xs: (l.getAttribute('points') ?? '')
          .trim()
          .split(/\s+/)
          .map((pt) => Number(pt.split(',')[0])),
      })),
    )
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

    const bars = await p.$$eval('#trials-chart-0 rect.bar-trial', (rs) =>
      rs.map((r) => `${(r as SVGElement).dataset.system}#${(r as SVGElement).dataset.trial}`),
    )
    expect(bars).toEqual(['express#0', 'fastify#0', 'express#1', 'fastify#1', 'express#2'])
    const heights = await p.$$eval('#trials-chart-0 rect.bar-trial', (rs) => rs.map((r) => Number(r.getAttribute('height'))))
    expect(heights[1]!).toBeGreaterThan(heights[0]!)
    expect(await p.locator('#trials-chart-0 .failed-mark[data-system="fastify"]').count()).toBe(1)

    expect(await p.locator('#startup-chart circle.dot[data-system="express"]').count()).toBe(5)
    expect(await p.locator('#startup-chart circle.dot[data-system="fastify"]').count()).toBe(5)
    expect(await p.locator('#startup-chart circle.dot.outlier').count()).toBe(2)
  })

  it('draws RSS and CPU of every trial per system, the failed trial included, with the idle figures as a baseline mark', async () => {
    const p = await open(run, '#/performance')
    expect(await p.textContent('#resources-0 h4.group')).toBe('RSS and CPU per trial')
    const bars = (chart: string) =>
      p.$$eval(`${chart} rect`, (rs) =>
        rs.map((r) => ({
          at: `${(r as SVGElement).dataset.system}#${(r as SVGElement).dataset.trial}`,
          y: Number(r.getAttribute('y')),
          height: Number(r.getAttribute('height')),
          failed: r.classList.contains('trial-failed'),
          title: r.querySelector('title')?.textContent,
        })),
      )
    const rss = await bars('#rss-chart-0')
    const order = ['express#0', 'fastify#0', 'express#1', 'fastify#1', 'express#2', 'fastify#2']
    // One bar per trial of each system: memory over the whole run, the crashed trial too.
    expect(rss.map((b) => b.at)).toEqual(order)
    expect(rss.filter((b) => b.failed).map((b) => b.at)).toEqual(['fastify#2'])
    expect(rss[0]!.title).toBe('express trial 1: 100 MiB peak, 90 MiB mean')
    expect(rss[5]!.title).toContain('(the trial failed: fastify exited during the trial')
    const express = rss.filter((b) => b.at.startsWith('express'))
    expect(express[0]!.height).toBeLessThan(express[1]!.height)
    expect(express[1]!.height).toBeLessThan(express[2]!.height)
    // Idle, before load: a dashed line per system, below the bars under load.
    const idle = await p.$$eval('#rss-chart-0 line.idle-mark', (ls) =>
      ls.map((l) => ({ system: (l as SVGElement).dataset.system, y: Number(l.getAttribute('y1')), title: l.querySelector('title')?.textContent })),
    )
    expect(idle.map((i) => i.system)).toEqual(['express', 'fastify'])
    expect(idle[0]!.title).toBe('express idle, before load: 60 MiB peak')
    expect(idle[0]!.y).toBeGreaterThan(express[0]!.y)

    const cpu = await bars('#cpu-chart-0')
    expect(cpu.map((b) => b.at)).toEqual(order)
    expect(cpu[1]!.title).toBe('fastify trial 1: 60% mean, 72% peak')
    expect(await p.$$eval('#cpu-chart-0 line.idle-mark title', (ts) => ts.map((t) => t.textContent))).toEqual([
      'express idle, before load: 0.8% mean',
      'fastify idle, before load: 0.3% mean',
    ])
  })

  it('leaves the RSS and CPU charts out when no trial sampled its resources', async () => {
    const bare = bench.map((e) => ({ ...e, trials: e.trials.map(({ resources: _r, ...t }) => t) }))
    const p = await open({ ...run, bench: bare }, '#/performance')
    await p.waitForSelector('#trials-chart-0')
    expect(await p.locator('.resource-charts, .rss-chart, .cpu-chart').count()).toBe(0)
  })

  it('shows the WebSocket fan-out of both systems side by side', async () => {
    const p = await open(run, '#/performance')
    expect(await p.textContent('#ws-fanout h3')).toContain('WebSocket fan-out /ws/import 50 subscribers, 200 messages from one publisher')
    const rows = await p.$$eval('#ws-bench tbody tr', (trs) =>
      trs.map((tr) => [
        (tr as HTMLElement).dataset.system,
        ...['connected', 'received', 'p50', 'p95', 'p99', 'max', 'samples'].map((c) => tr.querySelector(`[data-col="${c}"]`)?.textContent),
      ]),
    )
    expect(rows).toEqual([
      ['express', '100%', '10,000 / 10,000', '4.00', '12.0', '16.0', '24.0', '\u2014'],
      ['fastify', '98%', '9,800 / 9,800', '1.50', '4.50', '6.00', '9.00', '9,800'],
    ])
    expect(await p.getAttribute('#ws-bench tr[data-system="fastify"] [data-col="connected"]', 'title')).toBe('49 of 50 subscribers connected, 1 failed')
    const bars = await p.$$eval('#ws-chart rect.bar-ws', (rs) => rs.map((r) => `${(r as SVGElement).dataset.metric} ${(r as SVGElement).dataset.system}`))
    expect(bars).toEqual(['p50 express', 'p50 fastify', 'p95 express', 'p95 fastify', 'p99 express', 'p99 fastify', 'max express', 'max fastify'])
  })
})
