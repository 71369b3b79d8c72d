#!/usr/bin/env node
// Run by `npm test` before the suite: the tests start real servers and a real browser, so the Debian
// packages they need are brought here when missing (PostgreSQL for test/introspect.test.ts, Chromium for
// the HTML report tests, nginx for the cut-over check; the JUnit schema check uses libxml2 from npm,
// xmllint-wasm). With
// apt-get and root it installs them (one `apt-get update` first); otherwise it names what to install
// and exits 2, since those tests fail, never skip, without them.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'

const onPath = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0
const postgresBin = () => {
  try {
    return readdirSync('/usr/lib/postgresql').some((v) => existsSync(`/usr/lib/postgresql/${v}/bin/initdb`))
  } catch {
    return false
  }
}

const NEEDS = [
  { pkg: 'postgresql', present: postgresBin, why: 'a PostgreSQL server for the database introspection tests' },
  { pkg: 'chromium', present: () => existsSync('/usr/bin/chromium'), why: 'Chromium for the HTML report and dashboard tests' },
  { pkg: 'nginx-light', present: () => onPath('nginx') || existsSync('/usr/sbin/nginx'), why: 'nginx for the cut-over check' },
]

const missing = NEEDS.filter((n) => !n.present())
if (!missing.length) process.exit(0)

const names = missing.map((n) => n.pkg)
const root = typeof process.getuid === 'function' && process.getuid() === 0
if (!root || !onPath('apt-get')) {
  console.error(`The tests need Debian packages that are missing: ${missing.map((n) => `${n.pkg} (${n.why})`).join(', ')}.`)
  console.error(`Install them with: sudo apt-get update && sudo apt-get install -y --no-install-recommends ${names.join(' ')}`)
  process.exit(2)
}
console.error(`Installing what the tests need: ${names.join(', ')}`)
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
for (const args of [['update'], ['install', '-y', '--no-install-recommends', ...names]]) {
  const r = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env })
  if (r.status !== 0) {
    console.error(`apt-get ${args[0]} failed (exit ${r.status}); install by hand: apt-get install -y --no-install-recommends ${names.join(' ')}`)
    process.exit(2)
  }
}
const still = NEEDS.filter((n) => !n.present())
if (still.length) {
  console.error(`Still missing after apt-get: ${still.map((n) => n.pkg).join(', ')}`)
  process.exit(2)
}
