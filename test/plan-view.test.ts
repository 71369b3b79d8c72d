/**
 * The dashboard's Plan view (`#/plan`) in the single-file HTML report, in a real browser: the
 * ranked table with reasons and suggestions, and the platform matrix.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config/load.js'
import { diffConfig, runDiff } from '../src/match/diff-run.js'
import { planMigration } from '../src/plan/rank.js'
import { renderHtml } from '../src/report/html/render.js'
import { useReportBrowser } from './support/report-browser.js'

const shop = join(new URL('..', import.meta.url).pathname, 'fixtures/plan/shop')
const diffed = await runDiff({
  baseline: { name: 'node', source: join(shop, 'baseline') },
  candidates: [
    { name: 'go', source: join(shop, 'candidate') },
    { name: 'edge', source: join(shop, 'candidate-b') },
  ],
})
// Express stand-ins for the rewrites: the targets the rules are about are named.
const run = { ...diffed, plan: planMigration(diffed, { sourceRoot: join(shop, 'baseline'), targets: ['rust', 'go'] }) }
const browser = useReportBrowser()

describe('Plan view', () => {
  it('ranks the components with their scores, reasons and language suggestion', async () => {
    const p = await browser.open(renderHtml(run), '#/plan')
    expect(await p.$$eval('header nav a', (as) => as.map((a) => a.textContent))).toContain('Plan')
    const rows = await p.$$eval('#plan-table tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')))
    expect(rows.map((r) => r[1])).toEqual(run.plan.entries.map((e) => e.component))
    // auth is imported by notes and orders: first, with that reason shown.
    expect(rows[0]!.slice(0, 3)).toEqual(['1', 'auth', '0%'])
    expect(rows[0]![7]).toContain('imported by 2 other components: notes, orders')
    const images = rows.find((r) => r[1] === 'images')!
    expect(images[6]).toMatch(/^rust .*CPU-bound.* compute-heavy: sharp$/)
    const platforms = await p.$$eval('#plan-platforms tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)))
    // One row per item: edge ported login, go did not.
    expect(platforms.find((r) => r[0] === 'POST /api/auth/login')).toEqual(['POST /api/auth/login', '✓', '—', '✓'])
  })

  it("shows what is left per candidate and a monorepo's packages without routes", async () => {
    // Issue 19's platform: web-ui (React, no route) is kept in TypeScript; rust has auth-service left.
    const platform = new URL('../fixtures/monorepos/platform/', import.meta.url).pathname
    const diffedPlatform = await diffConfig(await loadConfig(join(platform, 'parity.config.yaml')))
    const withPlan = { ...diffedPlatform, plan: planMigration(diffedPlatform, { sourceRoot: join(platform, 'ts') }) }
    const p = await browser.open(renderHtml(withPlan), '#/plan')
    const packages = await p.$$eval('#plan-packages tbody tr', (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')),
    )
    expect(packages).toHaveLength(1)
    expect(packages[0]!.slice(0, 3)).toEqual(['web-ui', 'ui', 'packages/web-ui'])
    expect(packages[0]![3]).toMatch(/^keep in TypeScript /)
    expect(packages[0]![5]).toBe('api-gateway, file-management-service')
    const left = await p.$$eval('#plan-candidates li', (lis) => lis.map((li) => li.textContent))
    expect(left.find((l) => l?.startsWith('rust'))).toMatch(/^rust \(rust\): 1 migrated, 1 partly; left 1, 3 endpoints: \d+\. auth-service$/)
  })

  it('has no Plan tab when the run has no plan', async () => {
    const p = await browser.open(renderHtml(diffed), '#/plan')
    expect(await p.$$eval('header nav a', (as) => as.map((a) => a.textContent))).not.toContain('Plan')
    expect(await p.textContent('#view-plan')).toContain('No plan in this run')
  })
})
