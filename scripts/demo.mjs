#!/usr/bin/env node
// `npm run demo`: parity on the bundled examples, with the built CLI the way a user would run it.
// The bookmarks service (Express) is the baseline; its rewrite in progress (Fastify) runs beside it,
// and the same rewrite's Rust source (axum) is scanned. `parity run` scans and diffs all three,
// starts the two Node services (on free ports), replays a recorded session against them, runs the
// old end-to-end suite against both, benchmarks them side by side, checks the gates, and writes the
// reports; `parity status` shows what runs, and `parity cutover --check` runs the hybrid (verified
// routes on the rewrite, the rest on the old service, one shared SQLite file) behind nginx and
// replays the session through it. Then the same for an MCP server pair (code-navigation tools over stdio): the tool
// checklist, scripted calls diffed, latency per tool. Everything it starts is stopped again.
//
// `node scripts/demo.mjs --dir DIR` runs it on a copy of the examples in DIR instead (the tests do, so
// that they never write into examples/.parity): DIR/node_modules links to this repository's packages.
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs'
import { join, resolve } from 'node:path'

const repo = new URL('..', import.meta.url).pathname
const dirFlag = process.argv.indexOf('--dir')
const copyTo = dirFlag > 0 ? resolve(process.argv[dirFlag + 1] ?? '') : undefined
let examples = `${repo}examples`
if (copyTo) {
  examples = join(copyTo, 'examples')
  cpSync(`${repo}examples`, examples, { recursive: true, filter: (src) => !src.includes('/.parity') })
  const modules = join(copyTo, 'node_modules')
  mkdirSync(modules, { recursive: true })
  for (const name of readdirSync(`${repo}node_modules`))
    if (!name.startsWith('.') && !existsSync(join(modules, name))) symlinkSync(`${repo}node_modules/${name}`, join(modules, name))
  // `import { defineConfig } from 'rewrite-parity'` in the examples' config.
  if (!existsSync(join(modules, 'rewrite-parity'))) symlinkSync(repo, join(modules, 'rewrite-parity'))
}
const shown = (path) => (copyTo ? join(copyTo, path) : path)
const started = performance.now()
const steps = [
  {
    title: 'parity run   (examples/parity.config.ts: express -> fastify, axum; replay, e2e, bench, gates, reports, history)',
    args: ['run'],
    // The examples' gates fail on purpose: the rewrite is about two thirds done. Exit code 1 is the gate.
    expect: [0, 1],
  },
  { title: 'parity status   (what runs right now: the systems, the services the scan found, their ports)', args: ['status'], expect: [0] },
  {
    title: 'parity cutover --format nginx --check   (verified routes to fastify, the rest to express, through nginx for real)',
    args: ['cutover', '--format', 'nginx', '--check', '--out', '.parity/cutover.nginx.conf'],
    expect: [0],
    needs: 'nginx',
  },
  {
    title: 'parity run --config mcp/parity.config.yaml   (the codenav MCP server -> its rewrite: tools, calls, latency)',
    args: ['run', '--config', 'mcp/parity.config.yaml'],
    expect: [0, 1],
  },
]
// The cut-over check runs nginx: without it the step says so and the demo goes on.
const { findBinary } = await import(`${repo}dist/cutover/gateway.js`)
let failed = false
for (const step of steps) {
  console.log(`\n$ ${step.title}\n`)
  if (step.needs && !findBinary(step.needs)) {
    console.log(`(skipped: ${step.needs} is not installed here; \`apt-get install nginx-light\` and run the step again)`)
    continue
  }
  const r = spawnSync(process.execPath, [`${repo}bin/parity.js`, ...step.args], { cwd: examples, stdio: 'inherit' })
  if (!step.expect.includes(r.status ?? -1)) {
    failed = true
    console.error(`\n(parity ${step.args[0]} exited with ${r.status ?? r.signal}: that is not what the demo expects)`)
  } else if (r.status === 1) console.log('\n(the gates fail on purpose here: the example rewrite is not done; parity run exits 1 so CI would stop)')
}
const seconds = ((performance.now() - started) / 1000).toFixed(0)
console.log(`\nDemo finished in ${seconds} s.`)
for (const [what, path] of [
  ['HTML report (open it in a browser)', 'examples/.parity/report.html'],
  ['Markdown vault (a Markdown reader or Obsidian)', 'examples/.parity/vault/Index.md'],
  ['JUnit', 'examples/.parity/junit.xml'],
  ['nginx cut-over config', 'examples/.parity/cutover.nginx.conf'],
  ['MCP pair: HTML report', 'examples/.parity/mcp/report.html'],
]) {
  if (existsSync(copyTo ? join(copyTo, path) : `${repo}${path}`)) console.log(`  ${what}: ${shown(path)}`)
}
console.log('Next: `cd examples && npx parity run --verbose` for every item with its evidence, `npx parity scan bookmarks-express`')
console.log('for one inventory, `npx parity history` for the trend over the demo runs, `npx parity serve` for the dashboard.')
process.exit(failed ? 1 : 0)
