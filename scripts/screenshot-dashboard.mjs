#!/usr/bin/env node
// Writes the README's pictures of the dashboard from the demo: `parity run` on the bundled examples
// (Express -> Fastify, axum), then `parity serve` on their history, opened in headless Chromium.
// docs/dashboard.png (overview), docs/dashboard-diff.png (a divergent route side by side),
// docs/dashboard-bench.png (performance). Usage: npm run build && node scripts/screenshot-dashboard.mjs
import { spawn, spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { chromium } from 'playwright-core'

const repo = new URL('..', import.meta.url).pathname
const examples = join(repo, 'examples')
const cli = (args) =>
  spawnSync(process.execPath, [join(repo, 'bin/parity.js'), ...args], { cwd: examples, encoding: 'utf8', env: { ...process.env, CI: 'true' } })
const ran = cli(['run'])
if (ran.status !== 0 && ran.status !== 1) {
  process.stderr.write(ran.stderr)
  process.exit(2)
}

const server = spawn(process.execPath, [join(repo, 'bin/parity.js'), 'serve', '--port', '0'], { cwd: examples, stdio: ['ignore', 'pipe', 'inherit'] })
const url = await new Promise((resolve, reject) => {
  let text = ''
  server.stdout.on('data', (d) => {
    text += d
    const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(text)
    if (m) resolve(m[0])
  })
  server.on('exit', (code) => reject(new Error(`parity serve exited with ${code}`)))
})

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
})
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, deviceScaleFactor: 1, colorScheme: 'light' })
  const page = await context.newPage()
  const shot = async (hash, selector, file, prepare) => {
    await page.goto(url + hash)
    await page.waitForSelector(selector)
    if (prepare) await prepare()
    await page.screenshot({ path: join(repo, 'docs', file), fullPage: false })
    console.log(`wrote docs/${file}`)
  }
  await shot('', '#view-overview', 'dashboard.png')
  await shot('#/behaviour', '#view-behaviour', 'dashboard-diff.png', async () => {
    const row = page.locator('#view-behaviour tr.expandable', { hasText: '/api/search' }).first()
    await row.click()
    await page.waitForSelector('.side-by-side, .diff-sides, .answers', { timeout: 5000 }).catch(() => {})
    await row.evaluate((el) => window.scrollBy(0, el.getBoundingClientRect().top - 110))
  })
  await shot('#/performance', '#view-performance', 'dashboard-bench.png')
} finally {
  await browser.close()
  server.kill('SIGINT')
}
