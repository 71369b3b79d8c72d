#!/usr/bin/env node
// Start-up benchmark (`npm run bench:startup`, which builds first): times `parity --help` and
// `parity --version` as a user runs them, over 20 runs each after two warm-up runs, and prints
// the median and mean. Goal (reported, not asserted): well under 200 ms.
//
// Usage: node bench/startup.mjs [--runs N] [--json]
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const BIN = join(REPO, 'bin/parity.js')
const GOAL_MS = 200
const WARMUP = 2

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' }, json: { type: 'boolean', default: false } } })
const runs = Math.max(1, Number(values.runs))
if (!existsSync(join(REPO, 'dist/cli/main.js'))) {
  console.error('dist/ is missing: run `npm run build` first (npm run bench:startup does)')
  process.exit(2)
}

/** Wall times in ms of `runs` runs of the CLI with `args`, after warm-up runs. */
function time(args) {
  const out = []
  for (let i = 0; i < WARMUP + runs; i++) {
    const started = performance.now()
    const r = spawnSync(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] })
    const ms = performance.now() - started
    if (r.status !== 0) throw new Error(`parity ${args.join(' ')} exited with ${r.status}: ${r.stderr}`)
    if (i >= WARMUP) out.push(ms)
  }
  return out
}

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length
  const r = (x) => Math.round(x * 10) / 10
  return { runs: samples.length, medianMs: r(median), meanMs: r(mean), minMs: r(sorted[0]), maxMs: r(sorted[sorted.length - 1]) }
}

// A bare `node -e ''` is the floor no CLI can go under.
const floor = (() => {
  const out = []
  for (let i = 0; i < WARMUP + runs; i++) {
    const started = performance.now()
    spawnSync(process.execPath, ['-e', ''], { stdio: 'ignore' })
    if (i >= WARMUP) out.push(performance.now() - started)
  }
  return stats(out)
})()
const results = { help: stats(time(['--help'])), version: stats(time(['--version'])), nodeFloor: floor, goalMs: GOAL_MS }

if (values.json) console.log(JSON.stringify(results, null, 2))
else {
  console.log(`parity start-up over ${runs} runs (after ${WARMUP} warm-up runs), node ${process.version}`)
  for (const [name, s] of [
    ['--help', results.help],
    ['--version', results.version],
    ["node -e ''", results.nodeFloor],
  ]) {
    console.log(
      `  ${name.padEnd(11)} median ${s.medianMs.toFixed(1).padStart(6)} ms   mean ${s.meanMs.toFixed(1).padStart(6)} ms   min ${s.minMs.toFixed(1).padStart(6)} ms   max ${s.maxMs.toFixed(1).padStart(6)} ms`,
    )
  }
  const worst = Math.max(results.help.medianMs, results.version.medianMs)
  console.log(`  goal: median well under ${GOAL_MS} ms: ${worst < GOAL_MS ? 'met' : 'NOT met'}`)
}
