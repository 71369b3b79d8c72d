/**
 * The single-file HTML report, opened in headless Chromium (Debian's /usr/bin/chromium, driven by
 * playwright-core) from disk, every request that is not `file:` blocked. RunResults come from the
 * built CLI on examples/ (Express vs axum) and on fixtures/diff (Express vs axum and gin).
 */
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import type { History, HistoryRun } from '../src/model/history.js'
import type { ComponentSummary, RunResult, Summary } from '../src/model/run.js'
import { renderHtml } from '../src/report/html/render.js'
import { useReportBrowser } from './support/report-browser.js'

const repo = new URL('..', import.meta.url).pathname
const bin = join(repo, 'bin/parity.js')

function diffJson(args: string[], cwd: string): RunResult {
  const r = spawnSync(process.execPath, [bin, 'diff', ...args, '--format', 'json'], { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true' } })
  expect(r.stderr).toBe('')
  expect(r.status).toBe(0)
  return JSON.parse(r.stdout) as RunResult
}

const examples = diffJson([], join(repo, 'fixtures/examples-static'))
const threeWay = diffJson(['--config', 'fixtures/diff/parity.config.yaml'], repo)

const browser = useReportBrowser()
function open(run: RunResult, history?: History, hash = ''): Promise<Page> {
  return browser.open(renderHtml(run, history), hash)
}

const candidatesOf = (run: RunResult) => run.systems.filter((s) => s.role === 'candidate').map((s) => s.name)
const shown = (s: Summary | undefined) => (s && s.total > 0 ? `${s.percent}%` : '\u2014')

/** The matrix as displayed: component names in order, with the ported % text of each candidate cell. */
async function readMatrix(p: Page) {
  return p.$$eval('#matrix tbody tr[data-component]', (rows) =>
    rows.map((row) => ({
      name: (row as HTMLElement).dataset.component ?? '',
      link: row.querySelector('th a')?.textContent ?? '',
      cells: Object.fromEntries(
        [...row.querySelectorAll('td[data-candidate]')].map((td) => [(td as HTMLElement).dataset.candidate ?? '', td.querySelector('.pct')?.textContent ?? '']),
      ),
    })),
  )
}

function expectedRows(run: RunResult, components: ComponentSummary[]) {
  return components.map((c) => ({
    name: c.name,
    link: c.name,
    cells: Object.fromEntries(candidatesOf(run).map((cand) => [cand, shown(c.candidates[cand])])),
  }))
}

const byName = (a: ComponentSummary, b: ComponentSummary) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
const percentOf = (c: ComponentSummary, cand: string) => {
  const s = c.candidates[cand]
  return s && s.total > 0 ? s.percent : -1
}

describe('HTML report of the examples (Express vs axum)', () => {
  it('shows every component with the ported % of the RunResult, and the overall figure', async () => {
    const p = await open(examples, undefined, '#/matrix')
    expect(await readMatrix(p)).toEqual(expectedRows(examples, [...examples.components].sort(byName)))
    const total = await p.$eval('#matrix tfoot td[data-candidate="axum"] .pct', (el) => el.textContent)
    expect(total).toBe(`${examples.candidates.axum!.percent}%`)
    expect(await p.textContent('#matrix-count')).toBe(`${examples.components.length} of ${examples.components.length} components`)
  })

  it('sorts by a column when its header is clicked, and reverses on a second click', async () => {
    const p = await open(examples, undefined, '#/matrix')
    const header = p.locator('#matrix th[data-sort="cand:axum"]')
    await header.click()
    const ascending = [...examples.components].sort((a, b) => percentOf(a, 'axum') - percentOf(b, 'axum') || byName(a, b))
    expect((await readMatrix(p)).map((r) => r.name)).toEqual(ascending.map((c) => c.name))
    expect(await p.getAttribute('#matrix th[data-sort="cand:axum"]', 'aria-sort')).toBe('ascending')
    await p.locator('#matrix th[data-sort="cand:axum"]').click()
    const descending = [...examples.components].sort((a, b) => percentOf(b, 'axum') - percentOf(a, 'axum') || byName(a, b))
    expect((await readMatrix(p)).map((r) => r.name)).toEqual(descending.map((c) => c.name))
    expect(await p.getAttribute('#matrix th[data-sort="cand:axum"]', 'aria-sort')).toBe('descending')
    await p.locator('#matrix th[data-sort="items"]').click()
    const byItems = [...examples.components].sort((a, b) => a.candidates.axum!.total - b.candidates.axum!.total || byName(a, b))
    expect((await readMatrix(p)).map((r) => r.name)).toEqual(byItems.map((c) => c.name))
  })

  it('filters by typed text and by status', async () => {
    const p = await open(examples, undefined, '#/matrix')
    await p.locator('#matrix-filter').pressSequentially('book')
    const matching = examples.components.filter((c) => c.name.includes('book')).sort(byName)
    expect(matching.length).toBeGreaterThan(0)
    expect(matching.length).toBeLessThan(examples.components.length)
    expect((await readMatrix(p)).map((r) => r.name)).toEqual(matching.map((c) => c.name))
    await p.locator('#matrix-filter').fill('')
    await p.selectOption('#matrix-status', 'not-started')
    const notStarted = examples.components.filter((c) => c.candidates.axum!.total > 0 && c.candidates.axum!.percent === 0).sort(byName)
    expect(notStarted.length).toBeGreaterThan(0)
    expect((await readMatrix(p)).map((r) => r.name)).toEqual(notStarted.map((c) => c.name))
    await p.selectOption('#matrix-status', 'complete')
    const done = examples.components.filter((c) => c.candidates.axum!.status === 'complete').sort(byName)
    expect(done.length).toBeGreaterThan(0)
    expect((await readMatrix(p)).map((r) => r.name)).toEqual(done.map((c) => c.name))
    await p.locator('#matrix-filter').fill('no component is called this')
    expect(await readMatrix(p)).toEqual([])
    expect(await p.textContent('#matrix tbody')).toContain('No component matches')
  })

  it('opens a component page from the matrix with every item, its status and its source', async () => {
    const p = await open(examples, undefined, '#/matrix')
    await p.click('#matrix tr[data-component="auth"] th a')
    await p.waitForSelector('#view-component')
    expect(new URL(p.url()).hash).toBe('#/component/auth')
    const pairs = examples.pairs.filter((x) => x.component === 'auth')
    const rows = await p.$$eval('#items tbody tr[data-key]', (trs) =>
      trs.map((tr) => ({
        key: (tr as HTMLElement).dataset.key,
        status: (tr.querySelector('td[data-candidate="axum"]') as HTMLElement | null)?.dataset.status,
        text: tr.textContent ?? '',
      })),
    )
    expect(rows.map((r) => r.key)).toEqual(pairs.map((x) => x.key))
    expect(rows.map((r) => r.status)).toEqual(pairs.map((x) => x.status))
    pairs.forEach((pair, i) => {
      const row = rows[i]!
      if (pair.baseline) expect(row.text).toContain(`${pair.baseline.source.file}:${pair.baseline.source.line}`)
      if (pair.candidate) expect(row.text).toContain(`${pair.candidate.source.file}:${pair.candidate.source.line}`)
    })
    expect(pairs.some((x) => x.status === 'missing') && pairs.some((x) => x.status === 'ported')).toBe(true)
    expect(await p.textContent('#view-component .mini[data-candidate="axum"] .pct')).toBe(
      shown(examples.components.find((c) => c.name === 'auth')!.candidates.axum),
    )
  })

  it('shows the overview: no verdict without an assessment, candidate figures, near misses', async () => {
    const p = await open(examples)
    expect(await p.textContent('#verdict')).toContain('No verdict')
    expect(await p.textContent('.card[data-candidate="axum"] .pct')).toBe(`${examples.candidates.axum!.percent}%`)
    // The chips use the headline's words: its "ported" is verified + divergent + not yet verified.
    const s = examples.candidates.axum!
    const chips = await p.$$eval('.card[data-candidate="axum"] .card-counts li[data-status]', (lis) =>
      lis.map((li) => [li.textContent?.replace(/\s*\d+$/, '').trim(), Number(li.querySelector('b')?.textContent)]),
    )
    expect(chips).toEqual([
      ['verified', s.verified],
      ['divergent', s.divergent],
      ['not yet verified', s.ported],
      ['missing', s.missing],
      ['excluded', s.excluded],
      ['extra', s.extra],
    ])
    expect(await p.textContent('.card[data-candidate="axum"] .card-counts')).toContain(
      `of ${s.total} baseline items; ${s.ported + s.verified + s.divergent} ported`,
    )
    expect(examples.nearMisses.length).toBeGreaterThan(0)
    expect(await p.locator('#near-misses tbody tr').count()).toBe(examples.nearMisses.length)
    expect(await p.textContent('#near-misses')).toContain(examples.nearMisses[0]!.suggestion.to)
  })

  it('shows the verdict and the gates of an assessment', async () => {
    // A missing route with a named parameter: the findings show its name, not the key's `{}`.
    const missing = examples.pairs.find((x) => x.status === 'missing' && x.kind === 'route' && x.key.includes('{}'))!
    const run: RunResult = {
      ...examples,
      assessment: {
        findings: [
          { fingerprint: '0123456789abcdef', type: 'missing', kind: missing.kind, key: missing.key, candidate: 'axum', message: `${missing.key} is missing` },
        ],
        gates: [
          { gate: 'ported >= 0.9', passed: false, actual: 0.375, message: '37.5% ported, 90% needed', findings: ['0123456789abcdef'] },
          { gate: 'missingTables == 0', passed: true, actual: 0, message: 'no table missing', findings: [] },
        ],
        verdict: { productionReady: false, failed: ['ported >= 0.9'], staleAcceptances: [] },
      },
    }
    const p = await open(run)
    const verdict = await p.textContent('#verdict')
    expect(verdict).toContain('Production ready: NO')
    expect(verdict).toContain('ported >= 0.9')
    expect(verdict).toContain('37.5%')
    const row = (await p.textContent('#findings tbody tr')) ?? ''
    const item = missing.baseline as { method: string; path: string }
    expect(item.path).toMatch(/\{[a-z]\w*\}/i)
    expect(row).toContain(`${item.method} ${item.path}`)
    expect(row).not.toContain(missing.key)
    expect(row).toContain('is missing')
  })
})

describe('HTML report of a three-way matrix (Express vs axum and gin)', () => {
  it('has one column per candidate with the figures of each', async () => {
    const p = await open(threeWay, undefined, '#/matrix')
    expect(candidatesOf(threeWay)).toEqual(['axum', 'gin'])
    const headers = await p.$$eval('#matrix thead th', (ths) => ths.map((th) => (th as HTMLElement).dataset.sort))
    expect(headers).toEqual(['component', 'items', 'cand:axum', 'cand:gin'])
    expect(await readMatrix(p)).toEqual(expectedRows(threeWay, [...threeWay.components].sort(byName)))
    await p.locator('#matrix th[data-sort="cand:gin"]').click()
    await p.locator('#matrix th[data-sort="cand:gin"]').click()
    const descending = [...threeWay.components].sort((a, b) => percentOf(b, 'gin') - percentOf(a, 'gin') || byName(a, b))
    expect((await readMatrix(p)).map((r) => r.name)).toEqual(descending.map((c) => c.name))
  })

  it("shows each candidate's status of an item on its component page", async () => {
    const pair = threeWay.pairs.find((x) => x.matrix && x.matrix.axum?.status !== x.matrix.gin?.status && x.baseline)!
    expect(pair).toBeDefined()
    const p = await open(threeWay, undefined, `#/component/${encodeURIComponent(pair.component)}`)
    const row = p.locator(`#items tr[data-key="${pair.key}"]`)
    expect(await row.locator('td[data-candidate="axum"]').getAttribute('data-status')).toBe(pair.matrix!.axum!.status)
    expect(await row.locator('td[data-candidate="gin"]').getAttribute('data-status')).toBe(pair.matrix!.gin!.status)
    const extra = threeWay.pairs.find((x) => x.status === 'extra')!
    const q = await open(threeWay, undefined, `#/component/${encodeURIComponent(extra.component)}`)
    const extraRow = q.locator(`#items tr[data-key="${extra.key}"]`)
    expect(await extraRow.locator(`td[data-candidate="${extra.candidateSystem}"]`).getAttribute('data-status')).toBe('extra')
  })
})

describe('trend', () => {
  it('says so when there is no history', async () => {
    const p = await open(examples, undefined, '#/trend')
    expect(await p.isVisible('#trend-empty')).toBe(true)
    expect(await p.locator('#trend-chart').count()).toBe(0)
  })

  it('draws ported % per run for each candidate', async () => {
    const runOf = (id: string, at: string, r: RunResult): HistoryRun => ({
      id,
      startedAt: at,
      commit: `${id}000000000`,
      summary: r.summary,
      candidates: r.candidates,
      productionReady: null,
    })
    const history: History = {
      runs: [
        runOf('r1', '2025-01-01T10:00:00.000Z', examples),
        runOf('r2', '2025-01-02T10:00:00.000Z', threeWay),
        runOf('r3', '2025-01-03T10:00:00.000Z', threeWay),
      ],
      items: [],
    }
    const p = await open(threeWay, history, '#/trend')
    const series = await p.$$eval('#trend-chart polyline.series', (ls) =>
      ls.map((l) => ({
        candidate: (l as SVGElement).dataset.candidate,
        points: (l.getAttribute('points') ?? '').trim().split(/\s+/).length,
      })),
    )
    // axum is in all three runs, gin only in the two three-way runs.
    expect(series).toEqual([
      { candidate: 'axum', points: 3 },
      { candidate: 'gin', points: 2 },
    ])
    const ys = await p.$$eval('#trend-chart polyline[data-candidate="axum"]', (ls) =>
      (ls[0]!.getAttribute('points') ?? '')
        .trim()
        .split(/\s+/)
        .map((pt) => Number(pt.split(',')[1])),
    )
    // Higher % is drawn higher (smaller y): examples (38.1%) then the fixture (77.8%).
    expect(examples.candidates.axum!.percent).toBeLessThan(threeWay.candidates.axum!.percent)
    expect(ys[0]!).toBeGreaterThan(ys[1]!)
    expect(ys[1]).toBe(ys[2])
    expect(await p.locator('#trend-runs tbody tr').count()).toBe(3)
  })
})

describe('embedded data', () => {
  it('survives </script> in the data: the page is not broken out of, and shows the text', async () => {
    const evil = '</script><script>window.__pwned = 1</script><!--'
    const [first, ...rest] = examples.components
    const run: RunResult = {
      ...examples,
      components: [{ ...first!, name: evil }, ...rest],
      pairs: examples.pairs.map((x) => (x.component === first!.name ? { ...x, component: evil } : x)),
    }
    const html = renderHtml(run)
    expect(html.split('</script>').length - 1).toBe(2)
    const p = await open(run, undefined, '#/matrix')
    expect(await p.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined()
    const names = (await readMatrix(p)).map((r) => r.link)
    expect(names).toContain(evil)
    await p.click(`#matrix tbody tr:has-text("window.__pwned") th a`)
    await p.waitForSelector('#component-name')
    expect(await p.textContent('#component-name')).toContain(evil)
    expect(await p.locator('#items tbody tr[data-key]').count()).toBe(examples.pairs.filter((x) => x.component === first!.name).length)
  })
})
