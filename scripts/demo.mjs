#!/usr/bin/env node
// `npm run demo`: what parity says about the bundled examples (the bookmarks service in Express,
// and its rewrite in progress in Rust/axum), run with the built CLI the way a user would.
import { spawnSync } from 'node:child_process'

const repo = new URL('..', import.meta.url).pathname
const steps = [
  { title: 'parity scan bookmarks-express', args: ['scan', 'bookmarks-express'] },
  { title: 'parity diff   (examples/parity.config.yaml: express -> axum)', args: ['diff'] },
]
let failed = false
for (const step of steps) {
  console.log(`\n$ ${step.title}\n`)
  const r = spawnSync(process.execPath, [`${repo}bin/parity.js`, ...step.args], { cwd: `${repo}examples`, stdio: 'inherit' })
  failed ||= r.status !== 0
}
process.exit(failed ? 1 : 0)
