/**
 * Debian's chromium driven by playwright-core, for tests of the HTML report: one browser per test
 * file, a fresh context per page, and after every test the check that nothing left `file:`/`data:`
 * and the page logged no error. Opening a page closes the one before. Call `useReportBrowser()` at the top level of a test file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, expect } from 'vitest'

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking']

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS })
}

export function useReportBrowser(): { open(html: string, hash?: string): Promise<Page> } {
  const tmp = mkdtempSync(join(tmpdir(), 'parity-report-browser-'))
  let browser: Browser | undefined
  let page: Page | undefined
  let outside: string[] = []
  let errors: string[] = []
  let files = 0
  beforeAll(async () => {
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    rmSync(tmp, { recursive: true, force: true })
  })
  afterEach(async () => {
    // Every test: nothing went to the network and the page logged no error.
    expect(outside).toEqual([])
    expect(errors).toEqual([])
    await page?.context().close()
    page = undefined
  })
  return {
    async open(html, hash = '') {
      if (page) {
        expect(outside).toEqual([])
        expect(errors).toEqual([])
        await page.context().close()
      }
      const file = join(tmp, `report-${++files}.html`)
      writeFileSync(file, html)
      outside = []
      errors = []
      const context = await browser!.newContext({ viewport: { width: 1280, height: 900 } })
      await context.route('**/*', (route) => {
        const url = route.request().url()
        if (url.startsWith('file:') || url.startsWith('data:')) return route.continue()
        outside.push(url)
        return route.abort()
      })
      const p = await context.newPage()
      page = p
      p.on('console', (msg) => {
        if (msg.type() === 'error') errors.push(msg.text())
      })
      p.on('pageerror', (err) => {
        errors.push(err.message)
      })
      await p.goto(pathToFileURL(file).href + hash)
      return p
    },
  }
}
