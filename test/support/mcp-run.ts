/** A RunResult with an MCP checklist, both servers' initialize and per tool bench entries, for the report tests. */
import type { McpBenchEntry } from '../../src/model/mcp.js'
import type { RunResult, Summary } from '../../src/model/run.js'

const summary: Summary = { ported: 3, missing: 1, extra: 0, excluded: 0, verified: 1, divergent: 1, total: 6, percent: 83.3, byKind: {} }
const stats = { files: 1, parsed: 1, lines: 10, skipped: {} }

function entry(system: string, role: 'baseline' | 'candidate', tool: string, p95: number, errors = 0): McpBenchEntry {
  return {
    system,
    role,
    tool,
    concurrency: 4,
    calls: 200,
    callsPerSecond: Math.round(4000 / p95),
    errors,
    latency: { p50: p95 / 2, p90: p95 * 0.9, p95, p99: p95 * 1.5, p999: p95 * 2, max: p95 * 3, mean: p95 / 2, min: 0.1 },
    resources: { samples: 20, rssPeakMb: role === 'baseline' ? 121 : 64, rssMeanMb: 100, cpuMeanPercent: 50, cpuPeakPercent: 90, processes: 1, method: 'proc' },
    startup: {
      runs: 5,
      warmup: 0,
      median: role === 'baseline' ? 420 : 95,
      mean: 0,
      stddev: 4,
      min: 400,
      max: 440,
      outliers: [],
      times: [400, 410, 420, 430, 440],
    },
  }
}

export const mcpRun: RunResult = {
  schema: 'parity.run/v1',
  tool: { name: 'parity', version: '0.0.0-test' },
  startedAt: '2025-01-01T10:00:00.000Z',
  systems: [
    { name: 'codenav', role: 'baseline', source: 'examples/codenav-mcp', sourceKind: 'tree', frameworks: ['mcp-ts'], stats, items: {}, diagnostics: [] },
    {
      name: 'codenav-next',
      role: 'candidate',
      source: 'examples/codenav-mcp-next',
      sourceKind: 'tree',
      frameworks: ['mcp-ts'],
      stats,
      items: {},
      diagnostics: [],
    },
  ],
  pairs: [],
  nearMisses: [],
  components: [],
  summary,
  candidates: { 'codenav-next': summary },
  diagnostics: [],
  tools: [
    { name: 'find_references', kind: 'mcp-tool', status: 'verified', changes: [], calls: { total: 3, equivalent: 3 } },
    {
      name: 'find_definition',
      kind: 'mcp-tool',
      status: 'divergent',
      changes: [{ kind: 'result', breaking: true, detail: 'result /content/0/text/line differs: 8 against 7', pointer: '/content/0/text/line' }],
      calls: { total: 3, equivalent: 1 },
    },
    {
      name: 'list_symbols',
      kind: 'mcp-tool',
      status: 'divergent',
      changes: [{ kind: 'input-schema', breaking: true, detail: 'argument `kind` is now required', pointer: '/required' }],
    },
    { name: 'file_outline', kind: 'mcp-tool', status: 'ported', changes: [{ kind: 'description', breaking: false, detail: 'description changed' }] },
    { name: 'search_text', kind: 'mcp-tool', status: 'missing', changes: [] },
    { name: 'explain_symbol', kind: 'mcp-prompt', status: 'ported', changes: [] },
  ],
  mcpServers: {
    codenav: {
      serverInfo: { name: 'codenav', version: '1.4.2' },
      protocolVersion: '2025-06-18',
      instructions: 'Code navigation.',
      pages: 1,
      initializeMs: 412.5,
    },
    'codenav-next': { serverInfo: { name: 'codenav', version: '2.0.0-alpha.3' }, protocolVersion: '2025-06-18', pages: 1, initializeMs: 98.25 },
  },
  mcpBench: [
    entry('codenav', 'baseline', 'find_references', 40),
    entry('codenav-next', 'candidate', 'find_references', 4),
    entry('codenav', 'baseline', 'find_definition', 2),
    entry('codenav-next', 'candidate', 'find_definition', 2.5, 3),
  ],
}
