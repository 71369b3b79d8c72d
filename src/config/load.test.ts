import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import { loadConfig } from './load.js'

function config(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'parity-config-'))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  writeFileSync(join(dir, 'parity.config.yaml'), yaml)
  return join(dir, 'parity.config.yaml')
}

const systems = `systems:
  - { name: a, role: baseline, source: ., run: { command: [node, a.js], ready: { http: /health } } }
  - { name: b, role: candidate, source: ., mcp: { command: node b.js } }
`

describe('loadConfig', () => {
  it('takes some normalisers switched off, the others staying on', async () => {
    const c = await loadConfig(config(`${systems}replay: { corpus: ./c.ndjson, normalizers: { timestamp: false } }\n`))
    expect(c.replay?.normalizers).toEqual({ timestamp: false })
  })
  it('resolves run and mcp working folders to the source folder, and bench gates parse', async () => {
    const file = config(`${systems}gates: [p95 < 100ms, rps >= 1.5x, mcpP95 < 100ms]\n`)
    const c = await loadConfig(file)
    expect(c.baseline.run?.cwd).toBe(join(file, '..'))
    expect(c.candidates[0]!.mcp).toMatchObject({ command: 'node b.js', cwd: join(file, '..') })
  })
  it('names every problem with its line: two readiness kinds, a bad gate unit', async () => {
    const file = config(`systems:
  - { name: a, role: baseline, source: ., run: { command: x, ready: { http: /h, tcp: true } } }
  - { name: b, role: candidate, source: . }
gates: [rss < 250ms]
`)
    await expect(loadConfig(file)).rejects.toThrow(
      /:2: systems\[0\]\.run\.ready: give one of http, tcp, log[\s\S]*:4: gates\[0\]: gate `rss < 250ms`: rss is not measured in `ms`/,
    )
  })
  it('takes a peer apart from the candidates, and refuses a map rule that names it', async () => {
    const peers = `${systems}  - { name: c, role: peer, source: . }\n`
    const c = await loadConfig(config(peers))
    expect(c.candidates.map((s) => s.name)).toEqual(['b'])
    expect(c.peers.map((s) => s.name)).toEqual(['c'])
    await expect(loadConfig(config(`${peers}map: [{ from: GET /a, to: GET /b, candidate: c }]\n`))).rejects.toThrow(
      /:5: map\[0\]\.candidate: `c` is a peer: a peer ports nothing, so no map rule applies to it/,
    )
  })
})
