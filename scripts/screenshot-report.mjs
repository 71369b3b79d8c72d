#!/usr/bin/env node
// Writes docs/report.png, the README's picture of the HTML report: the built CLI runs the bundled
// examples (Express vs axum, with gates), the report is rendered and opened in headless Chromium from disk.
// Usage: npm run build && node scripts/screenshot-report.mjs [--view matrix|overview|trend] [--out FILE]
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { chromium } from 'playwright-core'
import { renderHtml } from '../dist/report/html/render.js'

const repo = new URL('..', import.meta.url).pathname
const args = process.argv.slice(2)
const option = (name, fallback) => {
  const i = args.indexOf(name)
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback
}
const view = option('--view', 'overview')
const out = resolve(option('--out', join(repo, 'docs/report.png')))

// `parity run` on the examples (its gates fail on purpose: exit 1), then the stored run and history.
const cli = (args) =>
  spawnSync(process.execPath, [join(repo, 'bin/parity.js'), ...args], { cwd: join(repo, 'examples'), encoding: 'utf8', env: { ...process.env, CI: 'true' } })
const ran = cli(['run'])
if (ran.status !== 0 && ran.status !== 1) {
  process.stderr.write(ran.stderr)
  process.exit(2)
}
const run = JSON.parse(cli(['report', '--format', 'json']).stdout)
const history = JSON.parse(cli(['history', '--json']).stdout)

const tmp = mkdtempSync(join(tmpdir(), 'parity-shot-'))
const file = join(tmp, 'report.html')
writeFileSync(file, renderHtml(run, history))

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
})
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1, colorScheme: 'light' })
  await context.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()))
  const page = await context.newPage()
  const hash = view === 'overview' ? '' : `#/${view}`
  await page.goto(pathToFileURL(file).href + hash)
  await page.waitForSelector(`#view-${view}`)
  mkdirSync(dirname(out), { recursive: true })
  await page.screenshot({ path: out, fullPage: true })
  console.log(`wrote ${out}`)
} finally {
  await browser.close()
  rmSync(tmp, { recursive: true, force: true })
}
