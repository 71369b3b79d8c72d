/** `parity mcp` spawned from the built CLI (`npm test` builds first), against real MCP servers (fixtures/mcp). */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Ajv2020 from 'ajv/dist/2020.js'
import { describe, expect, it } from 'vitest'

const repo = new URL('..', import.meta.url).pathname
const bin = join(repo, 'bin/parity.js')
const fx = (f: string) => join(repo, 'fixtures/mcp', f)

function parity(args: string[], cwd = repo): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, env: { ...process.env, CI: 'true' } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c))
    child.stderr.on('data', (c: Buffer) => (stderr += c))
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

const base = ['mcp', '--baseline', `node ${fx('baseline.mjs')}`, '--candidate', `node ${fx('candidate.mjs')}`]

describe('parity mcp', () => {
  it('prints the JSON contract and exits 1 on a missing or divergent tool', async () => {
    const r = await parity([...base, '--calls', fx('calls.yaml'), '--format', 'json'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(1)
    const run = JSON.parse(r.stdout) as { tools: Array<{ name: string; status: string; changes: Array<{ kind: string; breaking: boolean; detail: string }> }> }
    const statuses = new Set(['ported', 'missing', 'extra', 'divergent', 'verified'])
    const kinds = new Set(['description', 'input-schema', 'output-schema', 'annotations', 'result'])
    for (const t of run.tools) {
      expect(typeof t.name).toBe('string')
      expect(statuses.has(t.status)).toBe(true)
      for (const c of t.changes) {
        expect(kinds.has(c.kind)).toBe(true)
        expect(typeof c.breaking).toBe('boolean')
        expect(c.detail.length).toBeGreaterThan(0)
      }
    }
    const tools = Object.fromEntries(run.tools.map((t) => [t.name, t.status]))
    expect(tools).toMatchObject({ legacy: 'missing', greet: 'divergent', lookup: 'divergent', version: 'ported', search: 'verified', echo: 'verified' })
    const schema = JSON.parse(readFileSync(join(repo, 'schema/run.schema.json'), 'utf8'))
    const validate = new (Ajv2020 as unknown as typeof Ajv2020.default)({ allErrors: true, strict: false }).compile(schema)
    expect(validate(run), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true)
  })

  it('prints one row per tool in a table', async () => {
    const r = await parity(base)
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/✗ legacy +tool +missing/)
    expect(r.stdout).toMatch(/≠ greet +tool +divergent +! input-schema: argument `greeting` is now required/)
    expect(r.stdout).toMatch(/○ version +tool +ported +description: description changed/)
    expect(r.stdout).toContain('MCP tools  (10 ported, 1 divergent, 1 missing)')
  })

  it('exits 0 when the servers agree', async () => {
    const r = await parity(['mcp', '--baseline', `node ${fx('baseline.mjs')}`, '--candidate', `node ${fx('baseline.mjs')}`, '--format', 'json'])
    expect(r.code).toBe(0)
    expect((JSON.parse(r.stdout) as { tools: Array<{ status: string }> }).tools.every((t) => t.status === 'ported')).toBe(true)
  })

  it('compares a server that prints a banner on stdout, reports the lines and exits 0', async () => {
    const r = await parity(['mcp', '--baseline', `node ${fx('baseline.mjs')}`, '--candidate', `node ${fx('banner.mjs')}`, '--calls', fx('calls.yaml')])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('candidate: printed')
    expect(r.stdout).toContain('Fixture MCP server v1.0.0 starting')
  })

  it('exits 2 with the first bytes of a server that does not speak JSON-RPC', async () => {
    const r = await parity(['mcp', '--baseline', `node ${fx('notjson.mjs')}`, '--candidate', `node ${fx('baseline.mjs')}`, '--timeout', '2'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('does not speak JSON-RPC')
    expect(r.stderr).toContain('Server listening on port 8080')
  })

  it('exits 2 on usage errors', async () => {
    const r = await parity(['mcp', '--baseline', 'x'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('mcp needs --candidate')
  })

  it("with a config compares the systems' `mcp` blocks as `parity run` does, and exits 2 when there is no pair", async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'parity-mcp-config-'))
    try {
      const dir = join(repo, 'fixtures/mcp')
      writeFileSync(
        join(tmp, 'parity.config.yaml'),
        [
          'systems:',
          `  - { name: old, role: baseline, source: ${dir}, mcp: { command: "node baseline.mjs", cwd: ${dir} } }`,
          `  - { name: new, role: candidate, source: ${dir}, mcp: { command: "node candidate.mjs", cwd: ${dir} } }`,
          `mcp: { calls: ${fx('calls.yaml')}, timeout: 10 }`,
          '',
        ].join('\n'),
      )
      const viaConfig = await parity(['mcp', '--format', 'json'], tmp)
      expect(viaConfig.code, viaConfig.stderr).toBe(1)
      const viaFlags = await parity([...base, '--calls', fx('calls.yaml'), '--format', 'json'])
      const statuses = (out: string) =>
        Object.fromEntries(
          (JSON.parse(out) as { tools: Array<{ kind: string; name: string; status: string }> }).tools.map((t) => [`${t.kind} ${t.name}`, t.status]),
        )
      // The same servers and calls: the same checklist from the flags and from the config.
      expect(statuses(viaConfig.stdout)).toEqual(statuses(viaFlags.stdout))
      expect(statuses(viaConfig.stdout)['mcp-tool legacy']).toBe('missing')
      writeFileSync(
        join(tmp, 'parity.config.yaml'),
        `systems:\n  - { name: old, role: baseline, source: ${dir} }\n  - { name: new, role: candidate, source: ${dir} }\n`,
      )
      const none = await parity(['mcp'], tmp)
      expect(none.code).toBe(2)
      expect(none.stderr).toContain('has an `mcp` block')
      writeFileSync(
        join(tmp, 'parity.config.yaml'),
        `systems:\n  - { name: old, role: baseline, source: ${dir}, mcp: { command: "node baseline.mjs", cwd: ${dir} } }\n  - { name: new, role: candidate, source: ${dir} }\n`,
      )
      const half = await parity(['mcp'], tmp)
      expect(half.code).toBe(2)
      expect(half.stderr).toContain('MCP parity needs an `mcp` block on the baseline and on a candidate')
    } finally {
      rmSync(tmp, { recursive: true, force: true })
    }
  })
})
