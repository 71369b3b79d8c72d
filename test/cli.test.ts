/**
 * End-to-end: the built CLI spawned the way a user runs it (`npm test` builds first).
 */
import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Ajv2020 from 'ajv/dist/2020.js'
import { afterAll, describe, expect, it } from 'vitest'

const repo = new URL('..', import.meta.url).pathname
const bin = join(repo, 'bin/parity.js')
const fixtures = join(repo, 'fixtures')
const tmp = mkdtempSync(join(tmpdir(), 'parity-cli-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

function parity(args: string[], cwd = repo) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true' } })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

function json(args: string[]) {
  const r = parity([...args, '--format', 'json'])
  expect(r.stderr).toBe('')
  expect(r.code).toBe(0)
  return JSON.parse(r.stdout)
}

const schema = JSON.parse(readFileSync(join(repo, 'schema/inventory.schema.json'), 'utf8'))
const validate = new (Ajv2020 as unknown as typeof Ajv2020.default)({ allErrors: true }).compile(schema)

describe('parity --help and --version', () => {
  it('prints help listing the scan command', () => {
    const r = parity(['--help'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('scan')
  })
  it('prints the package version', () => {
    const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'))
    expect(parity(['--version']).stdout.trim()).toBe(pkg.version)
  })
  it('rejects an unknown command with a hint and exit code 2', () => {
    const r = parity(['scna'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/unknown command `scna`[\s\S]*hint:/)
  })
})

describe('parity scan --format json', () => {
  it('follows the published JSON Schema', () => {
    const inv = json(['scan', join(fixtures, 'extractors/express')])
    expect(validate(inv), JSON.stringify(validate.errors)).toBe(true)
    expect(inv.schema).toBe('parity.inventory/v1')
    expect(inv.frameworks).toEqual(['express'])
    const article = inv.items.find((i: { key: string }) => i.key === 'GET /api/articles/{}')
    expect(article).toMatchObject({
      kind: 'route',
      method: 'GET',
      path: '/api/articles/{slug}',
      framework: 'express',
      component: 'articles',
      handler: 'getArticle',
      source: { file: 'src/routes/articles.ts', line: 9 },
    })
  })
  it('writes to --out and says so on stderr', () => {
    const out = join(tmp, 'inventory.json')
    const r = parity(['scan', join(fixtures, 'extractors/express'), '--format', 'json', '--out', out])
    expect(r.code).toBe(0)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain('wrote')
    expect(validate(JSON.parse(readFileSync(out, 'utf8')))).toBe(true)
  })
  it('prints a table grouped by component with counts', () => {
    const r = parity(['scan', join(fixtures, 'extractors/express')])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^articles {2}7 endpoints, 1 unresolved$/m)
    expect(r.stdout).toMatch(/\/api\/articles\/\{slug\}\/comments\/\{\?\} \[unresolved\]/)
    expect(r.stdout).toMatch(/2 unresolved/)
    expect(r.stdout).toContain('UNRESOLVED_PATH')
  })
})

describe('parity scan of OpenAPI documents', () => {
  it('reads OpenAPI 3 YAML with the server path as prefix', () => {
    const inv = json(['scan', join(fixtures, 'openapi/bookmarks.yaml')])
    expect(validate(inv)).toBe(true)
    expect(inv.items.map((i: { key: string }) => i.key)).toEqual([
      'GET /api/bookmarks',
      'POST /api/bookmarks',
      'DELETE /api/bookmarks/{}',
      'GET /api/bookmarks/{}',
      'GET /api/tags/{}/bookmarks',
    ])
    expect(inv.items[0]).toMatchObject({ handler: 'listBookmarks', source: { file: 'bookmarks.yaml', line: 12 } })
  })
  it('reads Swagger 2 JSON with its basePath', () => {
    const inv = json(['scan', join(fixtures, 'openapi/legacy.swagger.json')])
    expect(inv.items.map((i: { path: string; method: string }) => `${i.method} ${i.path}`)).toEqual(['GET /v1/users', 'PUT /v1/users/{userId}'])
  })
  it('names the line of a malformed document', () => {
    const r = parity(['scan', join(fixtures, 'openapi/malformed.yaml')])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/malformed\.yaml:\d+: malformed document/)
    expect(r.stderr).toContain('hint:')
  })
  it('refuses a YAML file that is not OpenAPI', () => {
    const r = parity(['scan', join(fixtures, 'openapi/not-openapi.yaml')])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('is not an OpenAPI document')
  })
  it('compares an OpenAPI document found in the tree with the code', () => {
    const inv = json(['scan', join(fixtures, 'spec-in-tree')])
    const codes = inv.diagnostics.map((d: { code: string; file: string; line: number }) => `${d.code} ${d.file}:${d.line}`)
    expect(codes).toEqual(['SPEC_ONLY openapi.yaml:10', 'UNDOCUMENTED src/server.js:7'])
  })
})

describe('parity scan of bad input', () => {
  it('exits 2 with a hint for a path that does not exist', () => {
    const r = parity(['scan', join(tmp, 'nope')])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/does not exist\n {2}hint: /)
  })
  it('exits 2 for a folder without source files', () => {
    const empty = join(tmp, 'empty')
    mkdirSync(empty)
    writeFileSync(join(empty, 'README.md'), '# nothing here\n')
    const r = parity(['scan', empty])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('holds no TypeScript, JavaScript, Rust, Go or Python source files')
  })
  it('exits 2 for a single source file', () => {
    const r = parity(['scan', join(fixtures, 'spec-in-tree/src/server.js')])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('not a source tree')
  })
  it.each([
    [['scan'], 'scan needs a path'],
    [['scan', '.', '--format', 'xml'], '--format xml is not supported'],
    [['scan', '.', '--colour'], "Unknown option '--colour'"],
    [['scan', '.', '--max-file-size', 'big'], 'is not a size'],
    [['scan', join(fixtures, 'extractors/express'), '--out', join(tmp, 'no/such/dir/out.json')], 'cannot write'],
  ])('exits 2 for %j', (args, message) => {
    const r = parity(args)
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(message)
    expect(r.stderr).toContain('hint:')
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/)
  })

  it('counts unreadable, non-UTF-8, looping, huge, minified, binary and ignored files instead of crashing', () => {
    const root = join(tmp, 'messy')
    mkdirSync(join(root, 'src/deep'), { recursive: true })
    mkdirSync(join(root, 'node_modules/express'), { recursive: true })
    mkdirSync(join(root, 'generated'), { recursive: true })
    writeFileSync(join(root, 'package.json'), JSON.stringify({ dependencies: { express: '4' } }))
    writeFileSync(join(root, '.gitignore'), 'generated/\n')
    writeFileSync(join(root, 'src/app.js'), "const app = require('express')()\napp.get('/ok', h)\n")
    writeFileSync(join(root, 'node_modules/express/index.js'), "app.get('/phantom', h)\n")
    writeFileSync(join(root, 'generated/routes.js'), "app.get('/ignored', h)\n")
    writeFileSync(join(root, 'src/latin1.js'), Buffer.from([0x61, 0x70, 0x70, 0x2e, 0x67, 0x65, 0x74, 0x28, 0x27, 0xe9, 0x27, 0x29, 0x0a]))
    writeFileSync(join(root, 'src/huge.js'), `app.get('/huge', h)\n${'// padding\n'.repeat(300)}`)
    writeFileSync(join(root, 'src/bundle.min.js'), "app.get('/minified',h)")
    writeFileSync(join(root, 'src/blob.js'), Buffer.from([0x61, 0x00, 0x62]))
    symlinkSync('..', join(root, 'src/deep/loop'))
    symlinkSync(join(root, 'missing'), join(root, 'src/dangling.js'))
    writeFileSync(join(root, 'src/locked.js'), "app.get('/locked', h)\n")
    chmodSync(join(root, 'src/locked.js'), 0o000)

    const inv = json(['scan', root, '--max-file-size', '1kb'])
    expect(validate(inv)).toBe(true)
    expect(inv.items.filter((i: { kind: string }) => i.kind === 'route').map((i: { path: string }) => i.path)).toEqual(
      process.getuid?.() === 0 ? ['/locked', '/ok'] : ['/ok'], // root reads a 000 file anyway
    )
    const codes = inv.diagnostics.map((d: { code: string; file: string }) => `${d.code} ${d.file}`)
    expect(codes).toContain('NON_UTF8 src/latin1.js')
    expect(codes).toContain('SYMLINK_LOOP src/deep/loop')
    expect(codes).toContain('BROKEN_SYMLINK src/dangling.js')
    if (process.getuid?.() !== 0) expect(codes).toContain('READ_ERROR src/locked.js')
    expect(inv.stats.skipped).toMatchObject({ 'too-large': 1, minified: 1, binary: 1, 'ignored-dir': 1, gitignored: 1 })
  })

  it('stays inside the tree: a symlink out of it is reported, not followed, unless asked; /proc is no tree', () => {
    const root = mkdtempSync(join(tmpdir(), 'parity-links-'))
    const elsewhere = mkdtempSync(join(tmpdir(), 'parity-elsewhere-'))
    mkdirSync(join(root, 'src'), { recursive: true })
    writeFileSync(join(root, 'package.json'), JSON.stringify({ dependencies: { express: '^5.0.0' } }))
    writeFileSync(join(root, 'src/app.js'), "const app = require('express')()\napp.get('/ok', h)\n")
    writeFileSync(join(elsewhere, 'other.js'), "const app = require('express')()\napp.get('/elsewhere', h)\n")
    symlinkSync(elsewhere, join(root, 'src/linked'))
    symlinkSync('/', join(root, 'src/machine'))
    const inv = json(['scan', root])
    expect(inv.items.filter((i: { kind: string }) => i.kind === 'route').map((i: { path: string }) => i.path)).toEqual(['/ok'])
    const codes = inv.diagnostics.map((d: { code: string; file: string }) => `${d.code} ${d.file}`)
    expect(codes).toEqual(expect.arrayContaining(['SYMLINK_OUTSIDE src/linked', 'SYMLINK_OUTSIDE src/machine']))
    rmSync(join(root, 'src/machine'))
    const followed = json(['scan', root, '--follow-external-links'])
    expect(
      followed.items
        .filter((i: { kind: string }) => i.kind === 'route')
        .map((i: { path: string }) => i.path)
        .sort(),
    ).toEqual(['/elsewhere', '/ok'])
    const proc = parity(['scan', '/proc'])
    expect(proc.code).toBe(2)
    expect(proc.stderr).toContain('pseudo file system')
    rmSync(root, { recursive: true, force: true })
    rmSync(elsewhere, { recursive: true, force: true })
  })

  it('a config whose top-level await never settles is an error, exit 2, never a silent 0', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parity-tla-'))
    writeFileSync(join(dir, 'parity.config.ts'), 'await new Promise(() => {})\nexport default { systems: [] }\n')
    const r = parity(['diff'], dir)
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('never settles')
    // An empty corpus is nothing replayed: an error too.
    writeFileSync(join(dir, 'empty.ndjson'), '')
    const e = parity(['replay', '--corpus', join(dir, 'empty.ndjson'), '--baseline', 'http://127.0.0.1:1', '--candidate', 'http://127.0.0.1:2'])
    expect(e.code).toBe(2)
    expect(e.stderr).toContain('holds no exchange')
    rmSync(dir, { recursive: true, force: true })
  })

  it('refuses a YAML alias bomb, a header with a line break and an export path that cannot be written, as errors with hints', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parity-bad-input-'))
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    let prev = 'a'
    for (const n of 'bcdefghi') {
      lines.push(`${n}: &${n} [${Array(9).fill(`*${prev}`).join(',')}]`)
      prev = n
    }
    writeFileSync(join(dir, 'parity.config.yaml'), `${lines.join('\n')}\nsystems: []\n`)
    const bomb = parity(['diff'], dir)
    expect(bomb.code).toBe(2)
    expect(bomb.stderr).toMatch(/alias/i)
    expect(bomb.stderr).not.toContain('internal error')
    const header = parity(['bench', '--target', 'http://127.0.0.1:3000', '--header', 'x-a: 1\r\nx-b: 2', '--export', 'k6', join(dir, 'x.js')])
    expect(header.code).toBe(2)
    expect(header.stderr).toContain('line break')
    const out = parity(['bench', '--target', 'http://127.0.0.1:3000', '--export', 'k6', join(dir, 'missing/folder/x.js')])
    expect(out.code).toBe(2)
    expect(out.stderr).toContain('cannot write')
    rmSync(dir, { recursive: true, force: true })
  })

  it('reports an unreadable file as READ_ERROR when run as an unprivileged user', () => {
    if (process.getuid?.() !== 0 || !existsSync('/usr/sbin/runuser')) return
    // Only where an unprivileged user can reach this checkout (a clone under /root may not be).
    const probe = spawnSync('/usr/sbin/runuser', ['-u', 'nobody', '--', process.execPath, bin, '--version'], { encoding: 'utf8' })
    if (probe.status !== 0) return
    const root = mkdtempSync(join(tmpdir(), 'parity-perm-'))
    chmodSync(root, 0o755)
    writeFileSync(join(root, 'app.js'), "const app = require('express')()\napp.get('/ok', h)\n")
    writeFileSync(join(root, 'secret.js'), "app.get('/secret', h)\n")
    chmodSync(join(root, 'secret.js'), 0o000)
    const r = spawnSync('/usr/sbin/runuser', ['-u', 'nobody', '--', process.execPath, bin, 'scan', root, '--format', 'json'], { encoding: 'utf8' })
    rmSync(root, { recursive: true, force: true })
    expect(r.status, r.stderr).toBe(0)
    const inv = JSON.parse(r.stdout)
    expect(inv.items.map((i: { path: string }) => i.path)).toEqual(['/ok'])
    expect(inv.diagnostics.map((d: { code: string; file: string }) => `${d.code} ${d.file}`)).toContain('READ_ERROR secret.js')
  })
})

describe('parity scan --extractor (a user extractor for an in-house framework)', () => {
  it('loads a module that follows the contract', () => {
    const root = join(tmp, 'inhouse')
    mkdirSync(root)
    writeFileSync(join(root, 'routes.js'), "import { expose } from '@acme/rpc'\nexpose('GET', '/acme/widgets/:id', getWidget)\n")
    const mod = join(tmp, 'acme-extractor.mjs')
    writeFileSync(
      mod,
      `export const extractor = {
  id: 'acme-rpc',
  family: 'js',
  detect: () => true,
  needles: ['expose('],
  extract(file, ctx) {
    const routes = file.root.findAll('expose($M, $P, $H)').map((call) => ({
      methods: [call.getMatch('M').text().slice(1, -1)],
      path: ctx.pathOf(call.getMatch('P')),
      handler: call.getMatch('H').text(),
      line: ctx.lineOf(call),
    }))
    return { routes }
  },
}
`,
    )
    const inv = json(['scan', root, '--extractor', mod])
    expect(inv.frameworks).toEqual(['acme-rpc'])
    expect(inv.items).toEqual([
      expect.objectContaining({ key: 'GET /acme/widgets/{}', path: '/acme/widgets/{id}', handler: 'getWidget', source: { file: 'routes.js', line: 2 } }),
    ])
  })
  it('rejects a module that does not follow the contract', () => {
    const mod = join(tmp, 'bad-extractor.mjs')
    writeFileSync(mod, "export const extractor = { id: 'x', family: 'cobol' }\n")
    const r = parity(['scan', join(fixtures, 'spec-in-tree'), '--extractor', mod])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('does not follow the contract')
    expect(r.stderr).toContain('`family` must be js, rust, go or python')
  })
})

describe('parity scan --jobs', () => {
  it('gives the same inventory with worker threads as in one thread', () => {
    const root = join(tmp, 'many')
    mkdirSync(join(root, 'src/routes'), { recursive: true })
    writeFileSync(join(root, 'package.json'), JSON.stringify({ dependencies: { express: '4' } }))
    const imports: string[] = []
    const mounts: string[] = []
    for (let i = 0; i < 450; i++) {
      writeFileSync(
        join(root, `src/routes/r${i}.js`),
        `const { Router } = require('express')\nconst r = Router()\nr.get('/items/:id', show${i})\nr.post('/items', create${i})\nmodule.exports = r\n`,
      )
      imports.push(`const r${i} = require('./routes/r${i}')`)
      mounts.push(`app.use('/s${i}', r${i})`)
    }
    writeFileSync(join(root, 'src/app.js'), `const express = require('express')\nconst app = express()\n${imports.join('\n')}\n${mounts.join('\n')}\n`)
    const one = parity(['scan', root, '--format', 'json', '--jobs', '1'])
    const two = parity(['scan', root, '--format', 'json', '--jobs', '2'])
    expect(one.code).toBe(0)
    expect(two.code).toBe(0)
    const inv = JSON.parse(two.stdout)
    expect(inv.items.filter((i: { kind: string }) => i.kind === 'route')).toHaveLength(900)
    expect(inv.items.find((i: { key: string }) => i.key === 'GET /s449/items/{}')).toMatchObject({ source: { file: 'src/routes/r449.js', line: 3 } })
    expect(two.stdout).toBe(one.stdout)
  })
})
