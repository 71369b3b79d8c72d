/**
 * The HTML report's service table on the platform monorepo (fixtures/monorepos/platform), opened in
 * headless Chromium: the headline, the figures and one row per service as its truth.json has them.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { loadConfig } from '../src/config/load.js'
import { diffConfig } from '../src/match/diff-run.js'
import { renderHtml } from '../src/report/html/render.js'
import { useReportBrowser } from './support/report-browser.js'

const dir = new URL('../fixtures/monorepos/platform/', import.meta.url).pathname
const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as {
  serviceTable: Array<{
    service: string
    language: string
    port: number
    candidate: string | null
    status: string
    ported: number
    of: number
    percent: number
  }>
  figures: { headline: string; services: { migratedLine: string; partlyLine: string } }
}
const browser = useReportBrowser()

it('shows the headline, the figures and the service table of the truth on the overview', async () => {
  const run = await diffConfig(await loadConfig(join(dir, 'parity.config.yaml')))
  const page = await browser.open(renderHtml(run))
  await page.waitForSelector('#service-table')
  expect(await page.textContent('#services .services-headline')).toBe(truth.figures.headline)
  const figures = await page.$$eval('#services .services-figures li', (lis) => lis.map((li) => li.textContent))
  expect(figures.slice(0, 3)).toEqual([
    `${truth.figures.services.migratedLine} (every endpoint in the port)`,
    truth.figures.services.partlyLine,
    '10 of 15 services not started',
  ])
  expect(figures).toContain('Routes: go 12 of 70 (17.1%) · rust 8 of 70 (11.4%) · any candidate 20 of 70 (28.6%)')
  const rows = await page.$$eval('#service-table tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim())))
  expect(rows).toEqual(
    truth.serviceTable.map((w) => [w.service, w.language, String(w.port), w.candidate ?? '—', w.status, `${w.ported} / ${w.of}`, `${w.percent}%`]),
  )
  // The bar of a partly migrated service is as wide as its share.
  const width = await page.$eval('#service-table tr[data-service="auth-service"] .bar span', (s) => (s as HTMLElement).style.width)
  expect(width).toBe('57.1%')
})
