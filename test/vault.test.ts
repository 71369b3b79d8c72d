/**
 * The Markdown vault, rendered from real RunResults (the built CLI's `parity diff` on the examples and
 * on the three-way fixture) and checked by parsing: front matter as YAML, wikilinks against the pages
 * generated, Mermaid blocks with a small checker of our own; writeVault re-run into the same folder.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { assess } from '../src/assess/gates.js'
import type { RunResult } from '../src/model/run.js'
import { renderVault } from '../src/report/markdown/vault.js'
import { VAULT_MARKER } from '../src/report/markdown/vault-context.js'
import { writeVault } from '../src/report/markdown/write.js'
import { openHistory } from '../src/store/history.js'

const repo = new URL('..', import.meta.url).pathname
const bin = join(repo, 'bin/parity.js')
const tmp = mkdtempSync(join(tmpdir(), 'parity-vault-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

function diffJson(args: string[], cwd: string): RunResult {
  const r = spawnSync(process.execPath, [bin, 'diff', ...args, '--format', 'json'], { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true' } })
  expect(r.status, r.stderr).toBe(0)
  return JSON.parse(r.stdout) as RunResult
}

const examples = diffJson([], join(repo, 'fixtures/examples-static'))
const matrix = diffJson(['--config', 'fixtures/diff/parity.config.yaml'], repo)

const STATUSES = ['complete', 'partial', 'not-started', 'excluded', 'empty', 'baseline']
const GAP_SEVERITIES = ['critical', 'high', 'medium', 'low', 'none']

function frontMatter(page: string): Record<string, unknown> {
  expect(page.startsWith('---\n')).toBe(true)
  const end = page.indexOf('\n---\n', 4)
  expect(end).toBeGreaterThan(0)
  return parse(page.slice(4, end + 1)) as Record<string, unknown>
}

/** Wikilink targets: `[[a|b]]`, `[[a\|b]]` in tables, `[[a#heading]]`. */
function wikilinks(page: string): string[] {
  return [...page.matchAll(/\[\[([^\]]+)\]\]/g)].map((m) => m[1]!.split(/\\?\|/)[0]!.split('#')[0]!)
}

function mermaidBlocks(page: string): string[] {
  return [...page.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]!)
}

const ID = /^[A-Za-z_][A-Za-z0-9_]*/
const SHAPES: [string, string][] = [
  ['([', '])'],
  ['[(', ')]'],
  ['{{', '}}'],
  ['[/', '/]'],
  ['[', ']'],
  ['(', ')'],
  ['{', '}'],
]
const ARROWS = ['-.->', '-->', '---', '==>']

/** A small Mermaid flowchart checker: header, node ids, shapes closed, labels quoted, edges, classes. Returns the problems. */
function checkMermaid(block: string): string[] {
  const problems: string[] = []
  const lines = block
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
  if (!/^(flowchart|graph) (TB|TD|BT|RL|LR)$/.test(lines[0] ?? '')) problems.push(`header: ${lines[0]}`)
  const defined = new Set<string>()
  const referenced: string[] = []
  const classDefs = new Set<string>()
  const classUses: string[] = []
  let depth = 0
  // One node: `id`, `id["label"]` in any shape, `:::class`. Returns the rest of the line.
  const node = (s: string, line: string): string | undefined => {
    const id = ID.exec(s)?.[0]
    if (!id) return void problems.push(`node id expected: ${line}`)
    referenced.push(id)
    let rest = s.slice(id.length)
    const shape = SHAPES.find(([open]) => rest.startsWith(open))
    if (shape) {
      const [open, close] = shape
      rest = rest.slice(open.length)
      const label = /^"[^"]*"/.exec(rest)?.[0]
      if (!label) return void problems.push(`quoted label expected: ${line}`)
      rest = rest.slice(label.length)
      if (!rest.startsWith(close)) return void problems.push(`unbalanced ${open}: ${line}`)
      rest = rest.slice(close.length)
      defined.add(id)
    }
    if (rest.startsWith(':::')) {
      const cls = ID.exec(rest.slice(3))?.[0]
      if (!cls) return void problems.push(`class expected: ${line}`)
      classUses.push(cls)
      rest = rest.slice(3 + cls.length)
    }
    return rest.trim()
  }
  for (const line of lines.slice(1)) {
    if (line.startsWith('%%')) continue
    const classDef = /^classDef ([A-Za-z_][A-Za-z0-9_]*) \S.*$/.exec(line)
    if (classDef) {
      classDefs.add(classDef[1]!)
      continue
    }
    const subgraph = /^subgraph ([A-Za-z_][A-Za-z0-9_]*)(\["[^"]*"\])?$/.exec(line)
    if (subgraph) {
      depth++
      defined.add(subgraph[1]!)
      continue
    }
    if (line === 'end') {
      if (--depth < 0) problems.push('end without subgraph')
      continue
    }
    let rest = node(line, line)
    while (rest) {
      const arrow = ARROWS.find((a) => rest!.startsWith(a))
      if (!arrow) {
        problems.push(`arrow expected: ${line}`)
        break
      }
      rest = node(rest.slice(arrow.length).trim(), line)
    }
  }
  if (depth !== 0) problems.push('subgraph without end')
  for (const id of referenced) if (!defined.has(id)) problems.push(`node ${id} used but never defined`)
  for (const cls of classUses) if (!classDefs.has(cls)) problems.push(`class ${cls} used but never defined`)
  return problems
}

function checkVault(run: RunResult, files: Map<string, string>) {
  const pages = new Set([...files.keys()].map((p) => p.replace(/\.md$/, '')))
  for (const [path, page] of files) {
    const fm = frontMatter(page)
    expect(STATUSES, path).toContain(fm.status)
    expect(GAP_SEVERITIES, path).toContain(fm.gap_severity)
    expect(typeof fm.coverage, path).toBe('number')
    expect(fm.last_scanned, path).toBe(run.startedAt)
    expect(fm.tags, path).toEqual(expect.arrayContaining(['parity']))
    for (const target of wikilinks(page)) expect(pages, `${path} links to [[${target}]]`).toContain(target)
    for (const block of mermaidBlocks(page)) expect(checkMermaid(block), `${path}\n${block}`).toEqual([])
    expect(page.trimEnd().endsWith(VAULT_MARKER), path).toBe(true)
  }
}

describe('renderVault on the examples (Express baseline, axum rewrite)', () => {
  const files = renderVault(examples)

  it('writes the index, coverage, comparison, a page per component and per system', () => {
    expect([...files.keys()].filter((p) => !p.includes('/')).sort()).toEqual(['Comparison.md', 'Coverage.md', 'Index.md'])
    expect([...files.keys()].filter((p) => p.startsWith('Components/')).length).toBe(examples.components.length)
    expect([...files.keys()].filter((p) => p.startsWith('Systems/')).sort()).toEqual(['Systems/axum.md', 'Systems/express.md'])
  })

  it('has valid front matter, resolving wikilinks and well-formed Mermaid on every page', () => {
    checkVault(examples, files)
  })

  it('derives status, coverage and gap severity from the figures', () => {
    const fm = (p: string) => frontMatter(files.get(p)!)
    expect(fm('Index.md')).toMatchObject({ status: 'partial', coverage: examples.summary.percent, gap_severity: 'critical' })
    expect(fm('Components/ops.md')).toMatchObject({ status: 'complete', coverage: 100, gap_severity: 'none' })
    // import lacks a WebSocket and an SSE endpoint: whole features stop.
    expect(fm('Components/import.md')).toMatchObject({ status: 'not-started', coverage: 0, gap_severity: 'critical' })
    const auth = examples.components.find((c) => c.name === 'auth')!.candidates.axum!
    expect(fm('Components/auth.md')).toMatchObject({ status: 'partial', coverage: auth.percent, gap_severity: 'high' })
  })

  it('Coverage has one row per component and no verified column without evidence', () => {
    const coverage = files.get('Coverage.md')!
    const rows = coverage.split('\n').filter((l) => l.startsWith('| [[Components/'))
    expect(rows.length).toBe(examples.components.length)
    expect(coverage).not.toContain('| Verified %')
    expect(rows.find((r) => r.includes('Components/auth\\|auth'))).toContain('37.5%')
  })

  it('marks in the candidate diagram what it lacks, and nothing in the baseline diagram', () => {
    const axum = mermaidBlocks(files.get('Systems/axum.md')!)[0]!
    expect(axum).toMatch(/\{\{"WebSocket<br\/>0 of 1 baseline"\}\}:::missing/)
    expect(axum).toMatch(/"Missing tables<br\/>bookmark_tags, collection_bookmarks, collections, import_jobs"\)\]:::missing/)
    expect(axum).toMatch(/"Database<br\/>3 of 7 tables"/)
    const express = mermaidBlocks(files.get('Systems/express.md')!)[0]!
    expect(express).not.toContain(':::missing')
    expect(express).toContain('WebSocket')
  })

  it('Comparison: summary, route by route, tables, capabilities with impact, and no gates', () => {
    const page = files.get('Comparison.md')!
    expect(page).toContain('Production ready: no gates configured')
    expect(frontMatter(page).production_ready).toBeNull()
    const endpoints = examples.pairs.filter((p) => ['route', 'websocket', 'sse'].includes(p.kind)).length
    const section = page.slice(page.indexOf('## Route by route'), page.indexOf('## Missing services'))
    expect(section.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Method') && !l.startsWith('| ---')).length).toBe(endpoints)
    expect(section).toMatch(/\| POST \| `\/api\/auth\/2fa\/setup` \| .* \| ✗ missing \| \[src\/routes\/auth\.ts:40\]/)
    const tables = page.slice(page.indexOf('## Database tables not implemented'), page.indexOf('## Missing capabilities'))
    for (const t of ['bookmark_tags', 'collection_bookmarks', 'collections', 'import_jobs']) expect(tables).toContain(`\`${t}\``)
    expect(tables).toContain('`users.totp_secret`')
    const ws = examples.pairs.find((p) => p.key === 'capability websocket')!
    expect(page).toContain(ws.impact!)
  })

  it('component pages list every item with its source and the missing capabilities it uses', () => {
    const page = files.get('Components/import.md')!
    for (const p of examples.pairs.filter((x) => x.component === 'import')) expect(page).toContain(`${p.baseline!.source.file}:${p.baseline!.source.line}`)
    const caps = page.slice(page.indexOf('## Missing capabilities'))
    expect(caps).toContain('**WebSocket** (missing in axum)')
    expect(caps).toContain('**Server-sent events** (missing in axum)')
    // auth's routes live in files that use no capability.
    expect(files.get('Components/auth.md')).toContain('None used by this component is missing.')
  })

  it('gives components with unsafe names a safe page that links resolve to', () => {
    const renamed = JSON.parse(
      JSON.stringify(examples).replaceAll('"component":"auth"', '"component":"auth/v2 #1"').replaceAll('"name":"auth"', '"name":"auth/v2 #1"'),
    ) as RunResult
    const out = renderVault(renamed)
    expect(out.has('Components/auth-v2 -1.md')).toBe(true)
    checkVault(renamed, out)
  })
})

describe('renderVault on a three-way matrix with gates and history', () => {
  const assessed: RunResult = { ...matrix, assessment: assess(matrix, ['ported >= 0.9', 'missingTables == 0']) }
  const store = openHistory(join(tmp, 'history.sqlite'))
  const ids = [store.append({ ...matrix, startedAt: '2026-01-01T00:00:00.000Z' }), store.append(assessed)]
  const history = store.history()
  store.close()
  const gated: RunResult = { ...assessed, id: ids[1] }
  const files = renderVault(gated, history)

  it('is valid on every page', () => {
    checkVault(gated, files)
    expect([...files.keys()].filter((p) => p.startsWith('Systems/')).sort()).toEqual(['Systems/axum.md', 'Systems/express.md', 'Systems/gin.md'])
  })

  it('takes the verdict from the assessment', () => {
    const page = files.get('Comparison.md')!
    expect(gated.assessment!.verdict.productionReady).toBe(false)
    expect(page).toContain('**Production ready: NO**')
    expect(page).toMatch(/\| `ported >= 0\.9` \| \*\*failed\*\* \|/)
    expect(page).toMatch(/\| `missingTables == 0` \| passed \|/)
    expect(frontMatter(page).production_ready).toBe(false)
  })

  it('shows each candidate: a status column per candidate and the most severe gap', () => {
    const coverage = files.get('Coverage.md')!
    expect(coverage).toContain('| Status (axum) | Status (gin) |')
    // accounts is complete in axum but not started in gin.
    const row = coverage.split('\n').find((l) => l.startsWith('| [[Components/accounts'))!
    expect(row).toMatch(/\| high \| complete \| not-started \| 100% \| 0% \|/)
    const route = files
      .get('Comparison.md')!
      .split('\n')
      .find((l) => l.startsWith('| GET | `/api/user/{id}`'))!
    expect(route).toContain('✓ ported as `GET /api/users/{id}` | ✗ missing')
  })

  it('shows the gap severity the run carries, per component and over the candidates', () => {
    expect(gated.gapSeverity).toBeDefined()
    expect(frontMatter(files.get('Coverage.md')!).gap_severity).toBe(gated.gapSeverity)
    for (const c of gated.components) expect(frontMatter(files.get(`Components/${c.name}.md`)!).gap_severity, c.name).toBe(c.gapSeverity)
    // A reader renders what the run says; it does not grade the figures again.
    const said = renderVault(
      { ...gated, components: gated.components.map((c) => (c.name === 'accounts' ? { ...c, gapSeverity: 'low' as const } : c)) },
      history,
    )
    expect(
      said
        .get('Coverage.md')!
        .split('\n')
        .find((l) => l.startsWith('| [[Components/accounts')),
    ).toMatch(/^\| \[\[Components\/accounts\\\|accounts\]\] \| low \|/)
  })

  it('adds the trend from history and the date each item was first ported', () => {
    const index = files.get('Index.md')!
    const trend = index.slice(index.indexOf('## Trend'))
    expect(trend.split('\n').filter((l) => ids.some((id) => l.startsWith(`| ${id} |`))).length).toBe(2)
    expect(trend).toContain('Since the previous run: 0 points ported')
    const health = files.get('Components/health.md')!
    expect(health).toContain('| First ported (axum) | Last changed (axum) |')
    expect(health).toContain('| 2026-01-01 |')
  })
})

describe('the Mermaid checker of these tests', () => {
  it('rejects what Mermaid would not draw', () => {
    expect(checkMermaid('flowchart LR\n  a["x"] --> b["y"]:::missing\n  classDef missing fill:#fdd')).toEqual([])
    expect(checkMermaid('graph XY\n  a["x"]')).toEqual(['header: graph XY'])
    expect(checkMermaid('flowchart LR\n  a["x"')[0]).toMatch(/unbalanced/)
    expect(checkMermaid('flowchart LR\n  1a["x"]')[0]).toMatch(/node id expected/)
    expect(checkMermaid('flowchart LR\n  a["x"] --> b')).toEqual(['node b used but never defined'])
    expect(checkMermaid('flowchart LR\n  a["x"]:::gone')).toEqual(['class gone used but never defined'])
    expect(checkMermaid('flowchart LR\n  subgraph s["x"]\n  a["x"]')).toEqual(['subgraph without end'])
  })
})

describe('writeVault', () => {
  it('creates folders, keeps what a person wrote below the marker, rewrites what is above, never deletes', () => {
    const dir = join(tmp, 'vault')
    const first = writeVault(dir, renderVault(examples))
    expect(first.written.length).toBe(renderVault(examples).size)
    expect(existsSync(join(dir, 'Components/auth.md'))).toBe(true)

    const notes = '\n\n## Notes\n\nAsk the Rust team about 2FA before March.\n'
    writeFileSync(join(dir, 'Components/auth.md'), readFileSync(join(dir, 'Components/auth.md'), 'utf8') + notes)
    writeFileSync(join(dir, 'Index.md'), `${readFileSync(join(dir, 'Index.md'), 'utf8').replace('# Migration', '# Hand edit above the marker')}Index notes\n`)
    mkdirSync(join(dir, 'Notes'))
    writeFileSync(join(dir, 'Notes/mine.md'), 'my own page\n')
    // A page of the vault's name written by a person, without the marker: kept whole below it.
    writeFileSync(join(dir, 'Systems/axum.md'), 'notes on the rewrite, no marker\n')

    const again = writeVault(dir, renderVault({ ...examples, startedAt: '2027-01-01T00:00:00.000Z' }))
    expect(again.written).toContain('Components/auth.md')
    const auth = readFileSync(join(dir, 'Components/auth.md'), 'utf8')
    expect(frontMatter(auth).last_scanned).toBe('2027-01-01T00:00:00.000Z')
    expect(auth.endsWith(`${VAULT_MARKER}\n${notes}`)).toBe(true)
    expect(auth.split(VAULT_MARKER).length).toBe(2)
    const index = readFileSync(join(dir, 'Index.md'), 'utf8')
    expect(index).not.toContain('Hand edit above the marker')
    expect(index.endsWith('Index notes\n')).toBe(true)
    const axum = readFileSync(join(dir, 'Systems/axum.md'), 'utf8')
    expect(frontMatter(axum).status).toBe('partial')
    expect(axum.endsWith(`${VAULT_MARKER}\n\nnotes on the rewrite, no marker\n`)).toBe(true)
    expect(readFileSync(join(dir, 'Notes/mine.md'), 'utf8')).toBe('my own page\n')

    // Same run again: nothing changes, the notes stay once.
    const third = writeVault(dir, renderVault({ ...examples, startedAt: '2027-01-01T00:00:00.000Z' }))
    expect(third.written).toEqual([])
    expect(readFileSync(join(dir, 'Components/auth.md'), 'utf8')).toBe(auth)
  })

  it('refuses a page path outside the vault', () => {
    expect(() => writeVault(join(tmp, 'v2'), new Map([['../escape.md', 'x']]))).toThrow(/outside the vault/)
    expect(existsSync(join(tmp, 'escape.md'))).toBe(false)
  })
})
