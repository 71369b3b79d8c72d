/**
 * The HTML report's MCP view, opened in headless Chromium (Debian's /usr/bin/chromium, driven by
 * playwright-core) from disk with every non-`file:` request blocked: the tab appears only with MCP
 * results; the checklist with status badges and breaking changes marked, both serverInfos, the
 * latency table and one p95 bar per tool and system.
 */
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import type { RunResult } from '../src/model/run.js'
import { renderHtml } from '../src/report/html/render.js'
import { mcpRun } from './support/mcp-run.js'
import { useReportBrowser } from './support/report-browser.js'

const browser = useReportBrowser()
function open(result: RunResult, hash = ''): Promise<Page> {
  return browser.open(renderHtml(result), hash)
}

const tabs = (p: Page) => p.$$eval('header nav a', (as) => as.map((a) => a.textContent))

describe('MCP view', () => {
  it('has a tab only when the run has MCP results', async () => {
    const without = await open({ ...mcpRun, tools: undefined, mcpBench: undefined, mcpServers: undefined } as unknown as RunResult)
    expect(await tabs(without)).not.toContain('MCP')
    const p = await open(mcpRun)
    expect(await tabs(p)).toContain('MCP')
    await p.click('header nav a[href="#/mcp"]')
    await p.waitForSelector('#view-mcp')
    expect(p.url()).toMatch(/#\/mcp$/)
  })

  it('shows the checklist with badges and breaking changes, the servers, the latency table and the p95 bars', async () => {
    const p = await open(mcpRun, '#/mcp')
    await p.waitForSelector('#view-mcp')
    const rows = await p.$$eval('#mcp-tools tbody tr', (trs) =>
      trs.map((tr) => [(tr as HTMLElement).dataset.tool, tr.querySelector('.badge')?.textContent, tr.querySelectorAll('.mcp-change.breaking').length]),
    )
    expect(rows).toEqual([
      ['find_references', 'verified', 0],
      ['find_definition', 'divergent', 1],
      ['list_symbols', 'divergent', 1],
      ['file_outline', 'ported', 0],
      ['search_text', 'missing', 0],
      ['explain_symbol', 'ported', 0],
    ])
    expect(await p.textContent('#mcp-tools tr[data-tool="list_symbols"] .mcp-change')).toContain('argument kind is now required')
    expect(await p.textContent('#mcp-tools tr[data-tool="list_symbols"] .mcp-change code')).toBe('kind')
    expect(await p.textContent('#mcp-tools tr[data-tool="file_outline"] .mcp-change')).toContain('description changed')
    const counts = await p.$$eval('#mcp-counts li', (lis) => lis.map((li) => [(li as HTMLElement).dataset.status, li.querySelector('b')?.textContent]))
    expect(counts).toEqual([
      ['verified', '1'],
      ['ported', '2'],
      ['divergent', '2'],
      ['missing', '1'],
    ])
    const servers = await p.$$eval('#mcp-servers tbody tr', (trs) => trs.map((tr) => tr.querySelector('code')?.textContent))
    expect(servers).toEqual(['codenav 1.4.2', 'codenav 2.0.0-alpha.3'])
    const p95 = await p.$$eval('#mcp-latency tr[data-tool="find_references"] td[data-col="p95"]', (tds) =>
      tds.map((td) => [(td as HTMLElement).dataset.system, td.textContent]),
    )
    expect(p95).toEqual([
      ['codenav', '40.0'],
      ['codenav-next', '4.00'],
    ])
    expect(await p.textContent('#mcp-latency tr[data-tool="find_references"] td[data-col="ratio"]')).toBe('0.1x')
    expect(await p.textContent('#mcp-latency tr[data-tool="find_definition"] td.warn-text')).toBe('3')
    const bars = await p.$$eval('#mcp-p95-chart rect.mcp-bar', (rs) =>
      rs.map((r) => [(r as SVGElement).dataset.tool, (r as SVGElement).dataset.system, Number(r.getAttribute('width'))]),
    )
    expect(bars.map((b) => `${b[0]} ${b[1]}`)).toEqual([
      'find_references codenav',
      'find_references codenav-next',
      'find_definition codenav',
      'find_definition codenav-next',
    ])
    // The bars are proportional to p95: 40 against 4 ms.
    expect((bars[0]![2] as number) / (bars[1]![2] as number)).toBeCloseTo(10, 0)
    expect(await p.textContent('#mcp-facts')).toContain('cold start 420 ms (median of 5), RSS peak 121 MiB')
  })
})
