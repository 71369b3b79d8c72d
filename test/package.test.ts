/**
 * The package as a user gets it: `npm pack`, the tarball installed into a new
 * project, `npx parity --version` and `npx parity init` there. Dependencies come from npm's cache
 * (`--prefer-offline`); install scripts are skipped (nothing here needs the SQLite addon).
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'

const repo = new URL('..', import.meta.url).pathname
const tmp = mkdtempSync(join(tmpdir(), 'parity-package-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { name: string; version: string; bin: Record<string, string> }

it('packs what a user needs and nothing else, installs, and runs `parity --version` and `parity init`', () => {
  expect(pkg.name).toBe('rewrite-parity')
  expect(Object.keys(pkg.bin)).toEqual(['parity'])
  // Packing builds dist (prepack); here dist is built already by `npm test`, and rebuilding it under
  // the other test files running beside this one would pull it from under them.
  expect((pkg as { scripts?: Record<string, string> }).scripts?.prepack).toBe('npm run build')
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', tmp, '--json'], {
      cwd: repo,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }),
  ) as Array<{ filename: string; files: Array<{ path: string }> }>
  const files = packed[0]!.files.map((f) => f.path)
  for (const f of [
    'LICENSE',
    'README.md',
    'CHANGELOG.md',
    'bin/parity.js',
    'dist/cli/main.js',
    'dist/index.d.ts',
    'dist/tap/route-tap.mjs',
    'schema/config.schema.json',
  ])
    expect(files, f).toContain(f)
  expect(files.filter((f) => f.startsWith('src/') || f.startsWith('test/') || f.startsWith('examples/'))).toEqual([])

  const app = join(tmp, 'app')
  mkdirSync(join(app, 'api'), { recursive: true })
  mkdirSync(join(app, 'rewrite'), { recursive: true })
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true }))
  writeFileSync(join(app, 'api/package.json'), JSON.stringify({ name: 'api', scripts: { start: 'node server.js' }, dependencies: { express: '^4.21.0' } }))
  writeFileSync(
    join(app, 'api/server.js'),
    "const app = require('express')()\napp.get('/health', (q, s) => s.end('ok'))\napp.get('/api/items', (q, s) => s.json([]))\napp.listen(process.env.PORT)\n",
  )
  writeFileSync(join(app, 'rewrite/go.mod'), 'module example.com/rewrite\n\ngo 1.22\n')
  writeFileSync(
    join(app, 'rewrite/main.go'),
    'package main\n\nimport "net/http"\n\nfunc main() {\n\thttp.HandleFunc("GET /health", nil)\n\thttp.ListenAndServe(":8080", nil)\n}\n',
  )
  const install = spawnSync('npm', ['install', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund', join(tmp, packed[0]!.filename)], {
    cwd: app,
    encoding: 'utf8',
    timeout: 300_000,
  })
  expect(install.status, install.stderr).toBe(0)

  const npx = (args: string[]) =>
    spawnSync('npx', ['--no-install', 'parity', ...args], { cwd: app, encoding: 'utf8', env: { ...process.env, CI: 'true' }, timeout: 60_000 })
  const version = npx(['--version'])
  expect(version.stdout.trim(), version.stderr).toBe(pkg.version)
  const init = npx(['init'])
  expect(init.status, init.stderr).toBe(0)
  expect(init.stdout).toContain('wrote parity.config.yaml: 2 systems found')
  expect(init.stdout).toMatch(/Next:\n {2}1\. npx parity run/)
  const config = readFileSync(join(app, 'parity.config.yaml'), 'utf8')
  expect(config).toContain('$schema=./node_modules/rewrite-parity/schema/config.schema.json')
  expect(config).toContain('# run: { command: npm start, ready: { http: /health } }')
  expect(config).toContain('# run: { command: go run ., ready: { tcp: true } }')
  expect(config).toMatch(/gates: .*\n {2}- ported >= 0\.9/)
  expect(config).toMatch(/reports:\n {2}html: \.parity\/report\.html/)
  // The schema the config points at is there.
  expect(JSON.parse(readFileSync(join(app, 'node_modules/rewrite-parity/schema/config.schema.json'), 'utf8'))).toHaveProperty('properties.systems')
}, 600_000)
