/** The terminal MCP table and the vault's "## MCP tools" section, from a RunResult fixture. */
import { describe, expect, it } from 'vitest'
import { renderMcpTable } from '../src/report/mcp-table.js'
import { renderVault } from '../src/report/markdown/vault.js'
import type { RunResult } from '../src/model/run.js'
import { mcpRun } from './support/mcp-run.js'

describe('renderMcpTable', () => {
  it('lists the checklist with breaking changes marked and the latency side by side', () => {
    const text = renderMcpTable(mcpRun)
    expect(text).toContain('MCP tools  (1 verified, 2 ported, 2 divergent, 1 missing)')
    const line = (start: string) => text.split('\n').find((l) => l.includes(start)) ?? ''
    expect(line('list_symbols')).toMatch(/≠ list_symbols\s+tool\s+divergent\s+! input-schema: argument `kind` is now required/)
    expect(line('file_outline')).toMatch(/○ file_outline\s+tool\s+ported\s+ {2}description: description changed/)
    expect(line('search_text')).toMatch(/✗ search_text\s+tool\s+missing/)
    expect(line('explain_symbol')).toContain('prompt')
    expect(line('codenav p50')).toMatch(
      /Tool\s+codenav p50\s+p95\s+p99\s+max\s+samples\s+calls\/s\s+err\s+codenav-next p50\s+p95\s+p99\s+max\s+samples\s+calls\/s\s+err\s+p95 ratio/,
    )
    const refs = text.split('\n').filter((l) => l.startsWith('find_references'))
    expect(refs).toHaveLength(1)
    expect(refs[0]!.trim().split(/\s+/)).toEqual([
      'find_references',
      '20.0',
      '40.0',
      '60.0',
      '120',
      '–',
      '100',
      '0',
      '2.00',
      '4.00',
      '6.00',
      '12.0',
      '–',
      '1000',
      '0',
      '0.10x',
    ])
    expect(
      text
        .split('\n')
        .find((l) => l.startsWith('find_definition'))!
        .trim()
        .split(/\s+/)
        .slice(-2),
    ).toEqual(['3', '1.25x'])
    expect(text).toContain('codenav: cold start 420 ms (median of 5, 400–440), RSS peak 121 MiB')
    expect(line('codenav-next  codenav')).toContain('2.0.0-alpha.3')
  })

  it('says when there is nothing', () => {
    expect(renderMcpTable({ ...mcpRun, tools: [], mcpBench: [] } as RunResult)).toBe('No MCP results: no server was probed or measured.\n')
  })
})

describe('vault: MCP tools on the Comparison page', () => {
  it('has the checklist and the latency table', () => {
    const page = renderVault(mcpRun).get('Comparison.md')!
    const section = page.slice(page.indexOf('## MCP tools'))
    expect(section).toContain('Checklist: 1 verified, 2 ported, 2 divergent, 1 missing.')
    expect(section).toContain('| `list_symbols` | tool | ≠ divergent |  | **breaking** input-schema: argument `kind` is now required |')
    expect(section).toContain('| `search_text` | tool | ✗ missing |  |  |')
    expect(section).toContain('| codenav-next | `codenav 2.0.0-alpha.3` | 2025-06-18 | 98.25 ms |')
    expect(section).toContain('### MCP latency')
    expect(section).toContain('| `find_references` | 20.00 / 40.00 / 60.00 / 120 | 2.00 / 4.00 / 6.00 / 12.00 | — | — | 100 | 1000 | 0 / 0 | 0.10x |')
    expect(section).toContain('- codenav-next: cold start 95.00 ms (median of 5), RSS peak 64 MiB')
  })

  it('leaves the page without the section when there are no MCP results', () => {
    const page = renderVault({ ...mcpRun, tools: undefined, mcpBench: undefined, mcpServers: undefined } as unknown as RunResult).get('Comparison.md')!
    expect(page).not.toContain('## MCP tools')
  })
})
