/** The tool checklist: schema diffs classified, and scripted calls on real MCP servers (fixtures/mcp) compared. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { readCalls } from '../src/mcp/calls.js'
import { compareMcp } from '../src/mcp/compare-servers.js'
import { diffMcp, diffSchemas } from '../src/mcp/schema-diff.js'
import type { McpTransportSpec } from '../src/model/mcp.js'
import type { McpItem } from '../src/model/inventory.js'
import type { RunResult } from '../src/model/run.js'

const dir = new URL('../fixtures/mcp/', import.meta.url).pathname
const stdio = (file: string, ...args: string[]): McpTransportSpec => ({ type: 'stdio', command: `node ${join(dir, file)} ${args.join(' ')}`.trim() })
const tmp = mkdtempSync(join(tmpdir(), 'parity-mcp-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

const obj = (properties: Record<string, unknown>, required?: string[]) => ({ type: 'object', properties, ...(required ? { required } : {}) })
const brief = (cs: ReturnType<typeof diffSchemas>) => cs.map((c) => `${c.breaking ? 'B' : 'c'} ${c.detail}`)

describe('diffSchemas', () => {
  it('classifies input changes for a client of the baseline', () => {
    expect(brief(diffSchemas(obj({ a: { type: 'string' } }, ['a']), obj({ a: { type: 'string' }, b: { type: 'string' } }, ['a', 'b']), 'input'))).toEqual([
      'B new argument `b` is required',
    ])
    expect(brief(diffSchemas(obj({ a: { type: 'string' } }), obj({ a: { type: 'string' } }, ['a']), 'input'))).toEqual(['B argument `a` is now required'])
    expect(brief(diffSchemas(obj({ a: { type: 'string' }, b: {} }), obj({ a: { type: 'string' } }), 'input'))).toEqual(['B argument `b` was removed'])
    expect(brief(diffSchemas(obj({ n: { type: 'number' } }), obj({ n: { type: 'integer' } }), 'input'))).toEqual([
      'B argument `n` no longer accepts number (now integer)',
    ])
    expect(brief(diffSchemas(obj({ n: { type: 'integer' } }), obj({ n: { type: ['number', 'null'] } }), 'input'))).toEqual([
      'c argument `n` also accepts number, null',
    ])
    expect(brief(diffSchemas(obj({ m: { enum: ['a', 'b'] } }), obj({ m: { enum: ['a'] } }), 'input'))).toEqual(['B argument `m` no longer accepts "b"'])
    expect(brief(diffSchemas(obj({ m: { enum: ['a'] } }), obj({ m: { enum: ['a', 'b'] } }), 'input'))).toEqual(['c argument `m` also accepts "b"'])
    expect(brief(diffSchemas(obj({ a: {} }), obj({ a: {}, z: { type: 'string' } }), 'input'))).toEqual(['c new optional argument `z`'])
    expect(brief(diffSchemas(obj({ o: obj({ x: { type: 'string' } }) }), obj({ o: obj({ x: { type: 'string' } }, ['x']) }), 'input'))).toEqual([
      'B argument `o.x` is now required',
    ])
    expect(diffSchemas(obj({ a: { type: 'string' } }, ['a']), { properties: { a: { type: 'string' } }, required: ['a'], type: 'object' }, 'input')).toEqual([])
  })

  it('classifies output changes for a reader of the baseline', () => {
    expect(brief(diffSchemas(obj({ sum: { type: 'number' }, x: {} }), obj({ sum: { type: 'number' } }), 'output'))).toEqual(['B field `x` was removed'])
    expect(brief(diffSchemas(obj({ sum: { type: 'number' } }), obj({ sum: { type: 'number' }, y: {} }), 'output'))).toEqual(['c new field `y`'])
    expect(brief(diffSchemas(obj({ s: { type: 'integer' } }), obj({ s: { type: 'number' } }), 'output'))).toEqual([
      'B field `s` may now be number (was integer)',
    ])
    expect(brief(diffSchemas(obj({ s: {} }, ['s']), obj({ s: {} }), 'output'))).toEqual(['B field `s` may now be absent'])
    expect(brief(diffSchemas(obj({}), undefined, 'output'))).toEqual(['B the output schema is no longer declared'])
  })

  it('compares titles and property descriptions as compatible documentation', () => {
    expect(
      brief(diffSchemas({ ...obj({ a: { type: 'string' } }), title: 'Args' }, { ...obj({ a: { type: 'string' } }), title: 'Arguments' }, 'input')),
    ).toEqual(['c the arguments title changed: "Args" -> "Arguments"'])
    expect(brief(diffSchemas(obj({ a: { type: 'string', title: 'A' } }), obj({ a: { type: 'string' } }), 'input'))).toEqual([
      'c argument `a` title removed (was "A")',
    ])
    expect(brief(diffSchemas(obj({ a: { description: 'The id.' } }), obj({ a: { description: 'The item id.' } }), 'input'))).toEqual([
      'c argument `a` description changed: "The id." -> "The item id."',
    ])
    expect(brief(diffSchemas(obj({ s: {} }), obj({ s: { description: 'The sum.' } }), 'output'))).toEqual(['c field `s` description added: "The sum."'])
  })

  it('classifies additionalProperties', () => {
    expect(brief(diffSchemas(obj({ a: {} }), { ...obj({ a: {} }), additionalProperties: false }, 'input'))).toEqual([
      'B the arguments no longer accept properties that are not listed (additionalProperties: false)',
    ])
    expect(brief(diffSchemas({ ...obj({ a: {} }), additionalProperties: false }, obj({ a: {} }), 'input'))).toEqual([
      'c the arguments now accept properties that are not listed',
    ])
    expect(brief(diffSchemas(obj({ o: obj({}) }), obj({ o: { ...obj({}), additionalProperties: false } }), 'input'))).toEqual([
      'B argument `o` no longer accepts properties that are not listed (additionalProperties: false)',
    ])
    expect(
      brief(
        diffSchemas(
          obj({ m: { type: 'object', additionalProperties: { type: 'number' } } }),
          obj({ m: { type: 'object', additionalProperties: { type: 'integer' } } }),
          'input',
        ),
      ),
    ).toEqual(['B argument `m.*` no longer accepts number (now integer)'])
    // A reader of the listed fields does not break on others appearing.
    expect(brief(diffSchemas({ ...obj({ s: {} }), additionalProperties: false }, obj({ s: {} }), 'output'))).toEqual([
      'c the result now may hold properties that are not listed',
    ])
  })

  it('classifies minItems and maxItems (and the other bounds)', () => {
    const list = (extra: Record<string, unknown>) => obj({ ids: { type: 'array', items: { type: 'string' }, ...extra } })
    expect(brief(diffSchemas(list({}), list({ minItems: 1 }), 'input'))).toEqual(['B argument `ids` accepts less (minItems none -> 1)'])
    expect(brief(diffSchemas(list({ minItems: 2 }), list({ minItems: 1 }), 'input'))).toEqual(['c argument `ids` accepts more (minItems 2 -> 1)'])
    expect(brief(diffSchemas(list({ maxItems: 10 }), list({ maxItems: 5 }), 'input'))).toEqual(['B argument `ids` accepts less (maxItems 10 -> 5)'])
    expect(brief(diffSchemas(list({ maxItems: 10 }), list({}), 'input'))).toEqual(['c argument `ids` accepts more (maxItems 10 -> none)'])
    // On output a looser bound breaks what a reader assumed.
    expect(brief(diffSchemas(list({ minItems: 1 }), list({}), 'output'))).toEqual(['B field `ids` may now fall outside the range it had (minItems 1 -> none)'])
    expect(brief(diffSchemas(obj({ q: { type: 'string' } }), obj({ q: { type: 'string', maxLength: 100 } }), 'input'))).toEqual([
      'B argument `q` accepts less (maxLength none -> 100)',
    ])
  })

  it('classifies enums on arguments, items and results', () => {
    expect(
      brief(diffSchemas(obj({ tags: { type: 'array', items: { enum: ['a', 'b'] } } }), obj({ tags: { type: 'array', items: { enum: ['a'] } } }), 'input')),
    ).toEqual(['B argument `tags[]` no longer accepts "b"'])
    expect(brief(diffSchemas(obj({ m: { type: 'string' } }), obj({ m: { type: 'string', enum: ['x'] } }), 'input'))).toEqual([
      'B argument `m` is now restricted to "x"',
    ])
    expect(brief(diffSchemas(obj({ k: { enum: ['a'] } }), obj({ k: { enum: ['a', 'b'] } }), 'output'))).toEqual(['B field `k` may now be "b"'])
  })

  it('follows local $refs (a zod-to-json-schema root) before comparing', () => {
    const named = (s: unknown) => ({ $ref: '#/definitions/Args', definitions: { Args: s } })
    expect(diffSchemas(obj({ a: { type: 'string' } }, ['a']), named(obj({ a: { type: 'string' } }, ['a'])), 'input')).toEqual([])
    expect(brief(diffSchemas(obj({ a: { type: 'string' } }), named(obj({ a: { type: 'string' }, b: { $ref: '#/$defs/B' } }, ['b'])), 'input'))).toEqual([
      'B new argument `b` is required',
    ])
    // A recursive schema ends.
    const tree = { $ref: '#/$defs/Node', $defs: { Node: obj({ children: { type: 'array', items: { $ref: '#/$defs/Node' } } }) } }
    expect(diffSchemas(tree, tree, 'input')).toEqual([])
  })

  it('compares a malformed schema as text', () => {
    const bad = { type: 'object', properties: 'oops' }
    expect(diffSchemas(bad, { ...bad }, 'input')).toEqual([])
    expect(diffSchemas(bad, { type: 'object', properties: 'other' }, 'input')).toEqual([
      expect.objectContaining({ breaking: true, detail: expect.stringContaining('compared as text') }),
    ])
  })

  it('gives missing, extra, description and annotation changes their statuses', () => {
    const tool = (name: string, extra: Partial<McpItem> = {}): McpItem => ({
      kind: 'mcp-tool',
      key: `mcp-tool ${name}`,
      name,
      component: 'mcp',
      source: { file: 'x', line: 1 },
      framework: 'probe',
      ...extra,
    })
    const r = diffMcp(
      [tool('a', { description: 'A' }), tool('b'), tool('c', { annotations: { readOnlyHint: true } })],
      [tool('a', { description: 'A!' }), tool('c'), tool('d')],
    )
    expect(r.map((t) => [t.name, t.status, t.changes.map((c) => c.kind)])).toEqual([
      ['a', 'ported', ['description']],
      ['b', 'missing', []],
      ['c', 'ported', ['annotations']],
      ['d', 'extra', []],
    ])
  })
})

describe('readCalls', () => {
  it('reads YAML and JSON lists', () => {
    expect(readCalls(join(dir, 'calls.yaml'))).toHaveLength(6)
    const f = join(tmp, 'calls.json')
    writeFileSync(f, JSON.stringify([{ tool: 'echo', arguments: { text: 'x' }, timeoutMs: 50 }]))
    expect(readCalls(f)).toEqual([{ tool: 'echo', arguments: { text: 'x' }, timeoutMs: 50 }])
  })

  it('names the bad entry', () => {
    const f = join(tmp, 'bad.yaml')
    writeFileSync(f, '- tool: echo\n- arguments: { a: 1 }\n')
    expect(() => readCalls(f)).toThrow(expect.objectContaining({ code: 'MCP_CALLS_INVALID', message: expect.stringContaining('entry 2: `tool`') }))
    writeFileSync(f, '- tool: echo\n  argumentz: {}\n')
    expect(() => readCalls(f)).toThrow(/entry 1: unknown field `argumentz`/)
    expect(() => readCalls(join(tmp, 'nope.yaml'))).toThrow(expect.objectContaining({ code: 'MCP_CALLS_NOT_FOUND' }))
  })
})

describe('compareMcp on live servers', () => {
  it('finds every planted difference and nothing else', async () => {
    const r = await compareMcp({ baseline: stdio('baseline.mjs'), candidate: stdio('candidate.mjs'), calls: join(dir, 'calls.yaml'), timeoutMs: 10_000 })
    const table = Object.fromEntries(
      r.tools.map((t) => [`${t.kind} ${t.name}`, [t.status, ...t.changes.map((c) => `${c.breaking ? 'B' : 'c'} ${c.kind} ${c.pointer ?? ''}`.trim())]]),
    )
    expect(table).toEqual({
      'mcp-tool echo': ['verified'],
      'mcp-tool add': ['verified'],
      'mcp-tool greet': ['divergent', 'B input-schema /required'],
      'mcp-tool lookup': ['divergent', 'B result /content/0/text/name'],
      'mcp-tool version': ['ported', 'c description'],
      'mcp-tool search': ['verified', 'c input-schema /properties/limit'],
      'mcp-tool stamp': ['verified'],
      'mcp-tool fail': ['verified'],
      'mcp-tool legacy': ['missing'],
      'mcp-resource file:///readme.md': ['ported'],
      'mcp-resource file:///{path}': ['ported'],
      'mcp-prompt summarize': ['ported'],
    })
    expect(r.tools.find((t) => t.name === 'greet')!.changes[0]!.detail).toBe('argument `greeting` is now required')
    expect(r.tools.find((t) => t.name === 'lookup')!.changes[0]!.detail).toContain('"alpha"')
    expect(r.diagnostics).toEqual([])
    // serverInfo versions differ (1.0.0, 2.0.0): not a finding.
    expect(r.probes.candidate.serverInfo.version).toBe('2.0.0')
  })

  it('learns noise from a second baseline instance', async () => {
    const calls = [{ tool: 'stamp' }, { tool: 'echo', arguments: { text: 'x' } }]
    const r = await compareMcp({
      baseline: stdio('baseline.mjs'),
      baseline2: stdio('baseline.mjs'),
      candidate: stdio('baseline.mjs'),
      calls,
      timeoutMs: 10_000,
    })
    // The two instances answer at once: their times may agree to the millisecond, their UUIDs never.
    expect(r.calls!.noise.map((n) => `${n.route} ${n.pointer}`)).toContain('tool stamp /content/*/text/id')
    expect(r.calls!.noise.every((n) => n.route === 'tool stamp')).toBe(true)
    expect(r.tools.filter((t) => t.calls).map((t) => t.status)).toEqual(['verified', 'verified'])
  })

  it('a crashed candidate fails that call and the later ones; the run goes on', async () => {
    const calls = [{ tool: 'echo', arguments: { text: 'a' } }, { tool: 'boom' }, { tool: 'echo', arguments: { text: 'b' } }]
    const r = await compareMcp({ baseline: stdio('crashy.mjs', '--safe'), candidate: stdio('crashy.mjs'), calls, timeoutMs: 10_000 })
    const outcomes = r.calls!.outcomes.map((o) => [o.call.tool, o.verdict.outcome, o.candidate.error?.code ?? 'ok'])
    expect(outcomes).toEqual([
      ['echo', 'equal', 'ok'],
      ['boom', 'different', 'reset'],
      ['echo', 'different', 'reset'],
    ])
    expect(r.calls!.outcomes[1]!.candidate.error!.message).toContain('exited during the call')
    expect(r.calls!.outcomes[2]!.candidate.error!.message).toContain('exited earlier')
    const echo = r.tools.find((t) => t.name === 'echo')!
    expect(echo).toMatchObject({ status: 'divergent', calls: { total: 2, equivalent: 1 } })
    expect(echo.changes.map((c) => c.detail)).toEqual([expect.stringMatching(/^call 3: result differs/)])
    expect(r.tools.find((t) => t.name === 'boom')!.status).toBe('divergent')
    expect(r.diagnostics.map((d) => d.code)).toEqual(['MCP_CALL_FAILED', 'MCP_CALL_FAILED'])
  })

  it('a hanging tool times out per call; the next call still runs', async () => {
    const calls = [
      { tool: 'slow', timeoutMs: 500 },
      { tool: 'echo', arguments: { text: 'after' } },
    ]
    const r = await compareMcp({ baseline: stdio('hang.mjs', '--safe'), candidate: stdio('hang.mjs'), calls, timeoutMs: 10_000 })
    expect(r.calls!.outcomes.map((o) => [o.call.tool, o.verdict.outcome, o.candidate.error?.code ?? 'ok'])).toEqual([
      ['slow', 'different', 'timeout'],
      ['echo', 'equal', 'ok'],
    ])
    expect(r.tools.find((t) => t.name === 'slow')!.status).toBe('divergent')
    expect(r.tools.find((t) => t.name === 'echo')!.status).toBe('verified')
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'MCP_CALL_TIMEOUT', message: expect.stringContaining('500 ms') })])
  })

  it("keeps the values of secret names (the config's redact list) out of the stored changes", async () => {
    const calls = [{ tool: 'lookup', arguments: { id: 7 } }]
    const r = await compareMcp({ baseline: stdio('baseline.mjs'), candidate: stdio('candidate.mjs'), calls, timeoutMs: 10_000, redact: { fields: ['name'] } })
    const detail = r.tools.find((t) => t.name === 'lookup')!.changes[0]!.detail
    expect(detail).toContain('result /content/0/text/name differs')
    expect(detail).toContain('[redacted]')
    expect(detail).not.toMatch(/alpha/i)
  })

  it('checks expectations on the baseline answer', async () => {
    const calls = [
      { tool: 'echo', arguments: { text: 'hi' }, expect: { text: 'bye' } },
      { tool: 'fail', expect: { isError: true } },
    ]
    const r = await compareMcp({ baseline: stdio('baseline.mjs'), candidate: stdio('baseline.mjs'), calls, timeoutMs: 10_000 })
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'MCP_EXPECT_FAILED', message: expect.stringContaining('call 1 (echo)') })])
  })
})

describe('runMcpStage', () => {
  it('gives scanned MCP items the live status and adds what only the probe found', async () => {
    const { loadConfig } = await import('../src/config/load.js')
    const { diffSystems } = await import('../src/match/diff.js')
    const { RUN_SCHEMA } = await import('../src/model/run.js')
    const { runMcpStage } = await import('../src/mcp/stage.js')
    const file = join(tmp, 'parity.config.yaml')
    writeFileSync(
      file,
      [
        'systems:',
        `  - { name: old, role: baseline, source: ${dir}, mcp: { command: "node baseline.mjs", cwd: ${dir} } }`,
        `  - { name: new, role: candidate, source: ${dir}, mcp: { command: "node candidate.mjs", cwd: ${dir} } }`,
        `mcp: { calls: ${join(dir, 'calls.yaml')}, timeout: 10 }`,
        '',
      ].join('\n'),
    )
    const config = await loadConfig(file)
    const tool = (name: string): McpItem => ({
      kind: 'mcp-tool',
      key: `mcp-tool ${name}`,
      name,
      component: 'mcp',
      source: { file: 'server.ts', line: 1 },
      framework: 'mcp-ts',
    })
    const inv = (items: McpItem[]) => ({
      schema: 'parity.inventory/v1' as const,
      root: '.',
      frameworks: [],
      items,
      diagnostics: [],
      stats: { files: 1, parsed: 1, lines: 1, skipped: {} },
    })
    const scanned = [tool('echo'), tool('lookup'), tool('version')]
    const run: RunResult = {
      schema: RUN_SCHEMA,
      tool: { name: 'parity', version: '0' },
      startedAt: '2026-01-01T00:00:00Z',
      ...diffSystems({ name: 'old', role: 'baseline', source: 'a', sourceKind: 'tree', inventory: inv(scanned) }, [
        { name: 'new', role: 'candidate', source: 'b', sourceKind: 'tree', inventory: inv(scanned) },
      ]),
    }
    const out = await runMcpStage(run, config)
    const status = Object.fromEntries(out.pairs.map((p) => [p.key, p.status]))
    expect(status).toMatchObject({
      'mcp-tool echo': 'verified',
      'mcp-tool lookup': 'divergent',
      'mcp-tool version': 'ported',
      'mcp-tool legacy': 'missing',
      'mcp-tool greet': 'divergent',
    })
    expect(out.pairs.filter((p) => p.key === 'mcp-tool echo')).toHaveLength(1)
    expect(out.pairs.find((p) => p.key === 'mcp-tool legacy')!.candidateSystem).toBe('new')
    expect(Object.keys(out.mcpServers!)).toEqual(['old', 'new'])
    expect(out.tools!.find((t) => t.name === 'legacy')!.status).toBe('missing')
    expect(out.summary.missing).toBe(1)
  })
})
