#!/usr/bin/env node
// `npm run demo`: scan the bundled examples (the bookmarks service in Express, and its rewrite in
// progress in Rust/axum) with the built CLI, the way a user would.
import { spawnSync } from 'node:child_process'

const repo = new URL('..', import.meta.url).pathname
const examples = ['examples/bookmarks-express', 'examples/bookmarks-axum']
let failed = false
for (const example of examples) {
  console.log(`\n$ parity scan ${example}\n`)
  const r = spawnSync(process.execPath, [`${repo}bin/parity.js`, 'scan', example], { cwd: repo, stdio: 'inherit' })
  failed ||= r.status !== 0
}
process.exit(failed ? 1 : 0)
