/**
 * The dashboard in Debian's chromium (playwright-core): `parity serve`'s server started in-process on
 * 127.0.0.1 port 0 over real stores, every request leaving that origin aborted and counted, and no
 * console error (CSP violations included) allowed.
 */
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config/load.js'
import { liveFile } from '../src/dashboard/live.js'
import { startDashboard, type Dashboard } from '../src/dashboard/server.js'
import type { RunResult } from '../src/model/run.js'
import { openHistory } from '../src/store/history.js'
import { launchChromium } from './support/report-browser.js'
import { makeRun } from './support/history-runs.js'
import { DIVERGENT_KEY, demoLikeRun, divergentFingerprint } from './support/serve-run.js'

const repo = fileURLToPath(new URL('..', import.meta.url))
const tmp = mkdtempSync(join(tmpdir(), 'parity-serve-browser-'))
let browser: Browser
let context: BrowserContext | undefined
let outside: string[] = []
let errors: string[] = []
const servers: Dashboard[] = []

beforeAll(async () => {
  browser = await launchChromium()
})
afterEach(async () => {
  await context?.close()
  context = undefined
  expect(outside, 'requests outside the dashboard').toEqual([])
  expect(errors, 'console errors').toEqual([])
  outside = []
  errors = []
})
afterAll(async () => {
  await browser?.close()
  await Promise.all(servers.map((s) => s.close()))
  rmSync(tmp, { recursive: true, force: true })
})

async function open(d: Dashboard, hash = ''): Promise<Page> {
  context = await browser.newContext()
  await context.route('**/*', (route) => {
    if (route.request().url().startsWith(d.url)) return route.continue()
    outside.push(route.request().url())
    return route.abort()
  })
  const page = await context.newPage()
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text())
  })
  page.on('pageerror', (e) => errors.push(e.message))
  await page.goto(d.url + hash)
  return page
}

const yamlConfig = `# The bookmarks port.
systems:
  - name: express
    role: baseline
    source: ${JSON.stringify(join(repo, 'examples/bookmarks-express'))}
  - name: fastify
    role: candidate
    source: ${JSON.stringify(join(repo, 'examples/bookmarks-fastify'))}
gates: [ported >= 0.9] # on purpose
`

async function project(name: string, runs: RunResult[]) {
  const dir = join(tmp, name)
  mkdirSync(dir, { recursive: true })
  const config = join(dir, 'parity.config.yaml')
  writeFileSync(config, yamlConfig)
  const history = join(dir, '.parity/history.sqlite')
  const ids: string[] = []
  if (runs.length) {
    const store = openHistory(history)
    for (const r of runs) ids.push(store.append(r))
    store.close()
  }
  const d = await startDashboard({ historyFile: history, configFile: config, port: 0, pollMs: 100 })
  servers.push(d)
  return { dir, config, history, ids, d }
}

let demo: RunResult
let early: RunResult
beforeAll(async () => {
  demo = await demoLikeRun({ startedAt: '2025-03-01T10:00:00.000Z' })
  early = structuredClone(demo)
  early.startedAt = '2025-01-01T10:00:00.000Z'
  early.candidates.fastify = { ...early.candidates.fastify!, percent: 20 }
})

describe('the dashboard', () => {
  it('renders the overview of the latest run: verdict, gates, ported and verified %, the trend since the first run, a run picker', async () => {
    const { d, ids } = await project('overview', [early, demo])
    const p = await open(d)
    await p.waitForSelector('#view-overview')
    expect(await p.textContent('#verdict .verdict-main')).toBe('Production ready: NO')
    expect(await p.$$eval('#verdict table.gates tr td code', (cs) => cs.map((c) => c.textContent))).toEqual(['ported >= 0.9', 'noRegression'])
    const fastify = p.locator('.card[data-candidate="fastify"]')
    expect(await fastify.locator('.pct').first().textContent()).toBe(`${demo.candidates.fastify!.percent}%`)
    expect(await fastify.locator('.pct-verified').textContent()).toMatch(/^\d+(\.\d)?% verified$/)
    expect(await p.textContent('#trend-since li[data-candidate="fastify"]')).toContain(`20% \u2192 ${demo.candidates.fastify!.percent}%`)
    const options = await p.$$eval('#run-picker option', (os) => os.map((o) => (o as HTMLOptionElement).value))
    expect(options).toEqual(['latest', ids[1], ids[0]])
    await p.selectOption('#run-picker', ids[0]!)
    await p.waitForFunction(() => document.querySelector('.card[data-candidate="fastify"] .pct')?.textContent === '20%')
    expect(await p.textContent('header .meta')).toContain('2025-01-01')
  })

  it('filters the coverage matrix', async () => {
    const { d } = await project('matrix', [demo])
    const p = await open(d, '#/matrix')
    await p.waitForSelector('#matrix')
    const all = await p.$$eval('#matrix tbody tr', (trs) => trs.map((tr) => (tr as HTMLElement).dataset.component))
    expect(all).toEqual(demo.components.map((c) => c.name).sort())
    await p.fill('#matrix-filter', 'auth')
    expect(await p.$$eval('#matrix tbody tr', (trs) => trs.map((tr) => (tr as HTMLElement).dataset.component))).toEqual(['auth'])
    expect(await p.textContent('#matrix-count')).toBe(`1 of ${demo.components.length} components`)
  })

  it('opens a divergent route side by side in Behaviour and accepts the difference into the config, from the keyboard', async () => {
    const { d, config } = await project('accept', [demo])
    const p = await open(d, '#/behaviour')
    const row = p.locator(`#routes tr.route[data-key="${DIVERGENT_KEY}"]`)
    await row.focus()
    await p.keyboard.press('Enter')
    await p.waitForSelector('.route-detail .sbs')
    expect(await p.$$eval('.route-detail .side-baseline mark.hl', (ms) => ms.map((m) => (m as HTMLElement).dataset.pointer))).toEqual(['/title'])
    expect(await p.textContent('.route-detail .side-candidate mark.hl')).toContain('New title')
    await p.locator('.route-detail .accept-reason').focus()
    await p.keyboard.type('the rewrite fixes the title')
    await p.keyboard.press('Tab')
    expect(await p.evaluate(() => document.activeElement?.textContent)).toBe('Accept this difference')
    await p.keyboard.press('Enter')
    await p.waitForSelector('.route-detail .accept.done')
    expect(await p.textContent('.route-detail .accept-msg')).toBe('accepted \u2014 takes effect on the next run')
    expect(await row.locator('.accepted-mark').count()).toBe(1)
    const fingerprint = divergentFingerprint(demo)
    expect((await loadConfig(config)).accepted).toEqual([{ fingerprint, reason: 'the rewrite fixes the title' }])
    expect(readFileSync(config, 'utf8')).toContain('# The bookmarks port.')
    await p.click('header nav a:has-text("Overview")')
    await p.waitForSelector('#findings')
    expect(await p.locator('#findings tr.accepted').count()).toBe(1)
  })

  it('shows the live banner while a run writes progress, and hides it at the end', async () => {
    const { d, history } = await project('live', [demo])
    const p = await open(d)
    await p.waitForSelector('#view-overview')
    const at = new Date().toISOString()
    const line = (e: object) => appendFileSync(liveFile(history), `${JSON.stringify({ at, ...e })}\n`)
    mkdirSync(join(history, '..'), { recursive: true })
    writeFileSync(liveFile(history), `${JSON.stringify({ type: 'start', pid: process.pid, at })}\n`)
    line({ type: 'stage', stage: 'replay' })
    line({ type: 'progress', done: 5, total: 10, label: 'exchanges' })
    await p.waitForSelector('#live-banner:not([hidden]) #live-count')
    expect(await p.textContent('#live-stage')).toBe('replay')
    expect(await p.textContent('#live-count')).toBe('5/10 exchanges')
    line({ type: 'end' })
    await p.waitForSelector('#live-banner', { state: 'hidden' })
  })

  it('shows a first-run page for a store that does not exist, then the run once one is stored', async () => {
    const { d, history, config } = await project('first-run', [])
    const p = await open(d)
    await p.waitForSelector('#view-first-run')
    const text = await p.textContent('#view-first-run')
    expect(text).toContain('No runs yet: run parity run')
    expect(text).toContain(config)
    const store = openHistory(history)
    store.append(makeRun({ 'GET /a': 'ported' }, { productionReady: true }))
    store.close()
    await p.waitForSelector('#verdict')
    expect(await p.textContent('#verdict .verdict-main')).toBe('Production ready: YES')
  })
})
