/**
 * Capabilities need evidence of use (issue 19, item 6), on fixtures/capabilities-use: a TypeScript
 * baseline calls Redis and JWT from its routes; the Rust port signs tokens but only builds a Redis
 * client; the Go port reads Redis but only imports JWT. truth.json says each system's usage with
 * its sites, and which capability each candidate ports.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import Ajv2020 from 'ajv/dist/2020.js'
import { afterAll, expect, it } from 'vitest'
import { loadConfig } from '../src/config/load.js'
import { builtinExtractors } from '../src/extractors/registry.js'
import { diffConfig } from '../src/match/diff-run.js'
import type { CapabilityItem } from '../src/model/inventory.js'
import type { RunResult } from '../src/model/run.js'
import { renderDiffTable } from '../src/report/diff-table.js'
import { renderVault } from '../src/report/markdown/vault.js'
import { scanPath } from '../src/scan/scan.js'

const dir = new URL('../fixtures/capabilities-use/', import.meta.url).pathname
const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as {
  usage: Record<string, Record<string, { level: string; at: string[] }>>
  capabilities: Record<string, Record<string, string>>
  lines: string[]
}
const sources: Record<string, string> = { typescript: 'baseline', rust: 'rust', go: 'go' }

let run: RunResult | undefined
const diff = async () => (run ??= await diffConfig(await loadConfig(join(dir, 'parity.config.yaml'))))

it.each(Object.keys(sources))('%s: each capability is used, constructed or imported where truth.json says', async (system) => {
  const inv = await scanPath({ path: join(dir, sources[system]!), extractors: builtinExtractors })
  const got = Object.fromEntries(
    inv.items
      .filter((i): i is CapabilityItem => i.kind === 'capability')
      .map((c) => [c.name, { level: c.usage?.level, at: c.usage?.at.map((l) => `${l.file}:${l.line}`) }]),
  )
  expect(got).toEqual(truth.usage[system])
})

it('ports a capability only where the candidate uses it, and says why it is not ported', async () => {
  const r = await diff()
  for (const [cap, want] of Object.entries(truth.capabilities)) {
    const pair = r.pairs.find((p) => p.key === `capability ${cap}` && p.baseline)!
    for (const [cand, status] of Object.entries(want)) {
      const cell = pair.matrix![cand]!
      expect(cell.status, `${cap} in ${cand}`).toBe(status)
      // A capability not ported carries what the candidate has of it; a ported one carries nothing of the kind.
      expect(cell.notPorted === undefined, `${cap} in ${cand}`).toBe(status === 'ported')
    }
  }
  // The candidate item that is not enough is not an extra either.
  expect(r.pairs.filter((p) => p.kind === 'capability' && !p.baseline)).toEqual([])
  for (const cand of ['rust', 'go']) expect(r.candidates[cand]!.byKind.capability).toMatchObject({ ported: 1, missing: 1, extra: 0 })
})

it('writes a RunResult that follows its JSON Schema, with the usage of each side', async () => {
  const r = JSON.parse(JSON.stringify(await diff()))
  const schema = JSON.parse(readFileSync(new URL('../schema/run.schema.json', import.meta.url), 'utf8'))
  const validate = new (Ajv2020 as unknown as typeof Ajv2020.default)({ allErrors: true }).compile(schema)
  expect(validate(r), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true)
  const redis = r.pairs.find((p: { key: string; baseline: unknown }) => p.key === 'capability redis-cache' && p.baseline)
  expect(redis.matrix.rust.notPorted).toEqual({
    level: 'constructed',
    at: [
      { file: 'src/cache.rs', line: 2 },
      { file: 'src/main.rs', line: 20 },
    ],
  })
})

it('shows in the diff table where each side uses each capability', async () => {
  const text = renderDiffTable(await diff())
  for (const line of truth.lines) expect(text).toContain(line)
  expect(text).toContain(
    'baseline used at src/routes/articles.ts:7, src/routes/articles.ts:10 · rust not ported: constructed only at src/cache.rs:2, src/main.rs:20 · go used at main.go:14',
  )
  expect(text).toContain('baseline used at src/auth.ts:7 · rust used at src/auth.rs:18 · go not ported: imported only at auth.go:7')
})

it('shows the use and the reason in the vault: each system page and the missing capabilities', async () => {
  const vault = renderVault(await diff())
  expect(vault.get('Systems/rust.md')).toContain(
    '| Redis / cache | data | ✗ missing | not ported: constructed only at [src/cache.rs:2](<../../rust/src/cache.rs#L2>) |',
  )
  expect(vault.get('Systems/go.md')).toContain('| JWT | auth | ✗ missing | not ported: imported only at [auth.go:7](<../../go/auth.go#L7>) |')
  expect(vault.get('Systems/typescript.md')).toContain('| JWT | auth | ✓ ported | used at [src/auth.ts:7](<../../baseline/src/auth.ts#L7>) |')
  expect(vault.get('Comparison.md')).toContain('| rust (not ported: constructed only at src/cache.rs:2, src/main.rs:20) |')
})

const work = mkdtempSync(join(tmpdir(), 'parity-capability-use-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

it('counts a call only in a file that a route reaches, through the imports', async () => {
  const files: Record<string, string> = {
    'package.json': JSON.stringify({ name: 't', dependencies: { express: '4', ioredis: '5', openai: '4' } }),
    'src/server.ts':
      "import express from 'express'\nimport { hit } from './cache.js'\nconst app = express()\napp.get('/a', async (_q, s) => s.json(await hit('a')))\napp.listen(3000)\n",
    'src/cache.ts': "import Redis from 'ioredis'\nconst redis = new Redis()\nexport const hit = (k: string) => redis.get(k)\n",
    // Called, but nothing imports this file.
    'src/summary.ts':
      "import OpenAI from 'openai'\nconst client = new OpenAI()\nexport const sum = () => client.chat.completions.create({ model: 'x', messages: [] })\n",
  }
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(work, rel)), { recursive: true })
    writeFileSync(join(work, rel), text)
  }
  const inv = await scanPath({ path: work, extractors: builtinExtractors })
  const usage = (name: string) => inv.items.find((i): i is CapabilityItem => i.kind === 'capability' && i.name === name)?.usage
  expect(usage('redis-cache')).toEqual({ level: 'used', at: [{ file: 'src/cache.ts', line: 3 }] })
  expect(usage('llm')).toEqual({ level: 'unreached', at: [{ file: 'src/summary.ts', line: 3 }] })
})

it('prints the usage and the reason in `parity diff` (the built CLI)', () => {
  const r = spawnSync(process.execPath, [new URL('../bin/parity.js', import.meta.url).pathname, 'diff'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
  })
  expect(r.status, r.stderr).toBe(0)
  for (const line of truth.lines) expect(r.stdout).toContain(line)
})

/** Write `files` into a fresh folder under `work` and scan it in this thread. */
async function scanFiles(name: string, files: Record<string, string>) {
  const root = join(work, name)
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true })
    writeFileSync(join(root, rel), text)
  }
  return { root, inv: await scanPath({ path: root, extractors: builtinExtractors }) }
}

it('follows a client into a file that imports it by a dotted name (`./redis.service.js`)', async () => {
  const { inv } = await scanFiles('dotted', {
    'package.json': JSON.stringify({ name: 't', dependencies: { express: '4', ioredis: '5' } }),
    'src/main.ts':
      "import express from 'express'\nimport { RedisService } from './redis.service.js'\nconst cache = new RedisService()\nconst app = express()\napp.get('/a', async (_q, s) => s.json(await cache.read('a')))\napp.listen(3000)\n",
    'src/redis.service.ts':
      "import Redis from 'ioredis'\nexport class RedisService {\n  client = new Redis()\n  read(k: string) {\n    return this.client.get(k)\n  }\n}\n",
  })
  const redis = inv.items.find((i): i is CapabilityItem => i.kind === 'capability' && i.name === 'redis-cache')
  expect(redis?.usage).toEqual({ level: 'used', at: [{ file: 'src/redis.service.ts', line: 5 }] })
  expect(inv.diagnostics.filter((d) => d.code === 'CAPABILITY_USE_PARTIAL')).toEqual([])
})

it('says so when following a client stops at its bound, rather than calling the capability unused', async () => {
  // The client passes through five files before one calls it: one more than the rounds allowed.
  const files: Record<string, string> = {
    'package.json': JSON.stringify({ name: 't', dependencies: { express: '4', ioredis: '5' } }),
    'src/c0.ts': "import Redis from 'ioredis'\nexport const r0 = new Redis()\n",
    'src/server.ts':
      "import express from 'express'\nimport { read } from './reader.js'\nconst app = express()\napp.get('/a', async (_q, s) => s.json(await read('a')))\napp.listen(3000)\n",
  }
  for (let i = 1; i <= 4; i++) files[`src/c${i}.ts`] = `import { r${i - 1} } from './c${i - 1}.js'\nexport const r${i} = r${i - 1}\n`
  files['src/reader.ts'] = "import { r4 } from './c4.js'\nexport const read = (k: string) => r4.get(k)\n"
  const { inv } = await scanFiles('bounded', files)
  const redis = inv.items.find((i): i is CapabilityItem => i.kind === 'capability' && i.name === 'redis-cache')
  expect(redis?.usage?.level).toBe('constructed')
  const partial = inv.diagnostics.find((d) => d.code === 'CAPABILITY_USE_PARTIAL')
  expect(partial?.message).toMatch(/stopped after 4 files read again in 4 rounds with 1 file left/)
})

it('finds the same usage in scan workers as in this thread', async () => {
  // A user extractor of no use puts the scan in worker threads, where each file's first pass runs.
  const noop = join(work, 'noop.mjs')
  writeFileSync(noop, "export const extractor = { id: 'noop', family: 'js', needles: ['NEVER_IN_A_FILE'], detect: () => true, extract: () => ({}) }\n")
  for (const system of Object.values(sources)) {
    const r = spawnSync(
      process.execPath,
      [new URL('../bin/parity.js', import.meta.url).pathname, 'scan', join(dir, system), '--extractor', noop, '--format', 'json'],
      {
        encoding: 'utf8',
        env: { ...process.env, CI: 'true' },
      },
    )
    expect(r.status, r.stderr).toBe(0)
    const inWorkers = (JSON.parse(r.stdout) as { items: CapabilityItem[] }).items.filter((i) => i.kind === 'capability')
    const inThread = (await scanPath({ path: join(dir, system), extractors: builtinExtractors })).items.filter((i) => i.kind === 'capability')
    expect(inWorkers.map((c) => [c.name, c.usage])).toEqual(inThread.map((c) => [c.name, (c as CapabilityItem).usage]))
    expect(inWorkers.length).toBeGreaterThan(0)
  }
})
