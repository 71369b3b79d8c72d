import { renderVerdict } from '../report/run-summary.js'
import { describe, expect, it } from 'vitest'
import { systemInventory } from '../../test/support/inventories.js'
import { diffSystems } from '../match/diff.js'
import { canonicalKey } from '../match/rules.js'
import type { Item } from '../model/inventory.js'
import { RUN_SCHEMA, type RunResult } from '../model/run.js'
import type { BenchEntry } from '../model/bench.js'
import { assess, fingerprint, parseGate } from './gates.js'

const route = (method: string, path: string): Item => ({
  kind: 'route',
  method,
  path,
  key: canonicalKey(`${method} ${path}`),
  framework: 'x',
  component: 'api',
  source: { file: 'src/app.ts', line: 3 },
})
const capability = (name: string): Item => ({
  kind: 'capability',
  key: `capability ${name}`,
  name,
  label: name,
  packages: [name],
  evidence: [],
  component: 'capabilities',
  source: { file: 'src/app.ts', line: 1 },
})
const table = (name: string): Item => ({ kind: 'table', key: `table ${name}`, name, origin: 'sql', component: 'database', source: { file: 'm.sql', line: 1 } })
const sys = systemInventory

function run(candidateItems: Item[]): RunResult {
  const base = [route('GET', '/a'), route('POST', '/a'), route('GET', '/b'), route('GET', '/c'), capability('redis'), table('users')]
  return {
    schema: RUN_SCHEMA,
    tool: { name: 'parity', version: '0' },
    startedAt: '2026-01-01T00:00:00Z',
    ...diffSystems(sys('old', 'baseline', base), [sys('new', 'candidate', candidateItems)]),
  }
}

describe('parseGate', () => {
  it('reads ratios, percentages, counts and noRegression', () => {
    expect(parseGate('ported >= 0.9')).toMatchObject({ metric: 'ported', op: '>=', value: 0.9 })
    expect(parseGate('verified>=80%')).toMatchObject({ metric: 'verified', value: 0.8 })
    expect(parseGate('missingTables == 0')).toMatchObject({ metric: 'missingTables', op: '==', value: 0 })
    expect(parseGate('noRegression').metric).toBe('noRegression')
  })
  it('refuses what it does not understand, with a hint', () => {
    expect(() => parseGate('coverage >= 0.9')).toThrow(/not understood/)
    expect(() => parseGate('ported >= 90')).toThrow(/ratio between 0 and 1/)
  })
})

describe('assess', () => {
  const full = run([route('GET', '/a'), route('POST', '/a'), route('GET', '/b'), route('GET', '/c'), capability('redis'), table('users')])
  const partial = run([route('GET', '/a'), route('GET', '/b')])

  it.each([
    ['ported >= 0.9', true, false],
    ['ported >= 30%', true, true],
    ['missingCapabilities == 0', true, false],
    ['missingTables == 0', true, false],
    ['missing <= 1', true, false],
  ])('%s passes on a complete port (%s) and on a partial one (%s)', (gate, onFull, onPartial) => {
    expect(assess(full, [gate]).gates[0]!.passed).toBe(onFull)
    expect(assess(partial, [gate]).gates[0]!.passed).toBe(onPartial)
  })

  it('fails verified when there is no behavioural evidence yet', () => {
    const g = assess(full, ['verified >= 0.8']).gates[0]!
    expect(g).toMatchObject({ passed: false, actual: null })
    expect(g.message).toContain('no behavioural evidence yet')
  })

  it('fails noRegression when an item ported in the previous run is not now, like a ratchet', () => {
    expect(assess(full, ['noRegression']).gates[0]).toMatchObject({ passed: true, message: 'no previous run to compare with' })
    const after = assess(partial, ['noRegression'], [], full)
    expect(after.gates[0]!.passed).toBe(false)
    const regressions = after.findings.filter((f) => f.type === 'regression').map((f) => f.key)
    expect(regressions.sort()).toEqual(['GET /c', 'POST /a', 'capability redis', 'table users'])
    expect(assess(full, ['noRegression'], [], partial).gates[0]!.passed).toBe(true)
  })

  it('lets accepted differences through by fingerprint, and reports stale acceptances', () => {
    const fp = fingerprint('missing-table', 'table', 'table users', 'new')
    const a = assess(
      partial,
      ['missingTables == 0'],
      [
        { fingerprint: fp, reason: 'users move to the identity service' },
        { fingerprint: '0123456789abcdef', reason: 'old' },
      ],
    )
    expect(a.gates[0]!.passed).toBe(true)
    expect(a.findings.find((f) => f.fingerprint === fp)?.accepted).toEqual({ reason: 'users move to the identity service' })
    expect(a.verdict.staleAcceptances).toEqual(['0123456789abcdef'])
  })

  it('keeps fingerprints stable across runs and distinct across candidates and types', () => {
    const one = assess(partial, []).findings.map((f) => f.fingerprint)
    const two = assess(run([route('GET', '/a'), route('GET', '/b'), route('PUT', '/z')]), []).findings.map((f) => f.fingerprint)
    expect(two).toEqual(one)
    expect(fingerprint('missing', 'route', 'GET /a', 'x')).not.toBe(fingerprint('missing', 'route', 'GET /a', 'y'))
    expect(fingerprint('missing', 'route', 'GET /a', 'x')).toMatch(/^[0-9a-f]{16}$/)
  })

  it('gives a verdict only when gates are configured', () => {
    expect(assess(full, []).verdict.productionReady).toBe(false)
    expect(assess(full, ['ported >= 0.9', 'noRegression']).verdict).toMatchObject({ productionReady: true, failed: [] })
    expect(assess(partial, ['ported >= 0.9']).verdict).toMatchObject({ productionReady: false, failed: ['ported >= 0.9'] })
  })
})

describe('bench gates', () => {
  const entry = (system: string, role: 'baseline' | 'candidate', p95: number, rps: number, rssPeakMb: number, startup?: number): BenchEntry => ({
    target: `http://127.0.0.1/${system}`,
    system,
    role,
    scenario: 'GET /a',
    model: 'closed',
    connections: 8,
    throughput: { rps },
    latency: { p50: p95 / 2, p90: p95 * 0.9, p95, p99: p95 * 1.5, p999: p95 * 2, max: p95 * 3, mean: p95 / 2, min: 0.1 },
    errors: 0,
    errorsByKind: {},
    spread: { min: rps, max: rps, cv: 0 },
    trials: [{ index: 0 }],
    distribution: [],
    generatorBound: false,
    resources: { samples: 10, rssPeakMb, rssMeanMb: rssPeakMb, cpuMeanPercent: 50, cpuPeakPercent: 60, processes: 1, method: 'proc' },
    ...(startup
      ? { startup: { runs: 3, warmup: 1, median: startup, mean: startup, stddev: 0, min: startup, max: startup, outliers: [], times: [startup] } }
      : {}),
  })
  const withBench = (): RunResult => {
    const r = run([route('GET', '/a')])
    const measured = (e: BenchEntry): BenchEntry => ({ ...e, trials: [{ index: 0, result: {} as never }] })
    r.bench = [measured(entry('old', 'baseline', 40, 1000, 300, 900)), measured(entry('new', 'candidate', 12, 2500, 120, 80))]
    r.benchComparisons = [
      {
        scenario: 'GET /a',
        baseline: 'old',
        candidate: 'new',
        ratios: { rps: 2.5, p50: 0.3, p90: 0.3, p95: 0.3, p99: 0.3, rss: 0.4, cpu: 1, startup: 0.09 },
        confidence: 'high',
        note: '',
      },
    ]
    return r
  }

  it('reads units and ratios', () => {
    expect(parseGate('p95 < 100ms')).toMatchObject({ metric: 'p95', op: '<', value: 100 })
    expect(parseGate('startup < 0.5s')).toMatchObject({ metric: 'startup', value: 500 })
    expect(parseGate('rss < 1gb')).toMatchObject({ metric: 'rss', value: 1024 })
    expect(parseGate('rps >= 1.5x')).toMatchObject({ metric: 'rps', value: 1.5, relative: true })
    expect(() => parseGate('rss < 250ms')).toThrow(/not measured in `ms`/)
    expect(() => parseGate('ported >= 9ms')).toThrow(/takes no unit/)
  })

  it('passes and fails on the candidate figures, absolute and relative', () => {
    const gates = ['p95 < 100ms', 'startup < 500ms', 'rss < 250mb', 'rps >= 1.5x', 'p95 <= 0.5x', 'cpu <= 0.65x', 'rss <= 0.3x']
    const { gates: results } = assess(withBench(), gates)
    const passed = Object.fromEntries(results.map((g) => [g.gate, g.passed]))
    expect(passed).toEqual({
      'p95 < 100ms': true,
      'startup < 500ms': true,
      'rss < 250mb': true,
      'rps >= 1.5x': true,
      'p95 <= 0.5x': true,
      'cpu <= 0.65x': false,
      'rss <= 0.3x': false,
    })
    expect(results.find((g) => g.gate === 'cpu <= 0.65x')!.message).toContain('new GET /a: 1x')
  })

  it('a ratio gate on trials too noisy to decide is undecided (not passed) unless every ratio the trials allow gives the same outcome', () => {
    const noisy = (): RunResult => {
      const r = withBench()
      r.benchComparisons![0] = {
        ...r.benchComparisons![0]!,
        confidence: 'too-noisy',
        note: 'too noisy to decide: candidate p95 varies 72% between trials (the limit is 25%, `bench.maxSpread`); the trials overlap',
        trials: { baseline: 3, candidate: 3 },
        ranges: { p95: [0.19, 0.95], rps: [2.2, 2.8] },
      }
      return r
    }
    const { gates, verdict } = assess(noisy(), ['p95 <= 0.5x', 'rps >= 1.5x', 'rss <= 0.5x'])
    const p95 = gates[0]!
    // The figure (0.3x) passes, but the trials allow 0.19x to 0.95x: the noise could flip it.
    expect(p95.passed).toBe(false)
    expect(p95.undecided).toMatch(/^undecided: too noisy to decide: candidate p95 varies 72%/)
    expect(p95.message).toContain('new GET /a: 0.3x, undecided: too noisy to decide')
    expect(p95.message).toContain('the trials allow 0.19x to 0.95x')
    // Every throughput ratio the trials allow is over 1.5x: decided, passed.
    expect(gates[1]).toMatchObject({ passed: true })
    expect(gates[1]!.undecided).toBeUndefined()
    // Memory is not a per-trial ratio: the spread does not touch it.
    expect(gates[2]).toMatchObject({ passed: true })
    expect(verdict).toMatchObject({ productionReady: false, failed: ['p95 <= 0.5x'], undecided: ['p95 <= 0.5x'] })
    // The terminal verdict marks it `?` and says why the run is not ready.
    const shown = renderVerdict({ ...noisy(), assessment: assess(noisy(), ['p95 <= 0.5x', 'rps >= 1.5x']) })
    expect(shown).toContain('✗ Not production-ready: 1 of 2 gates failed (1 undecided: too noisy to decide)')
    expect(shown).toMatch(/^ {2}\? p95 <= 0\.5x +new GET \/a: 0\.3x, undecided: too noisy to decide/m)
    // The same figures from quiet trials: passed.
    const quiet = withBench()
    expect(assess(quiet, ['p95 <= 0.5x']).verdict).toMatchObject({ productionReady: true, failed: [] })
    expect(assess(quiet, ['p95 <= 0.5x']).verdict.undecided).toBeUndefined()
  })

  it('a ratio gate on fewer than three trials a side is decided on its figure and says it is too few to say how sure', () => {
    const r = withBench()
    r.benchComparisons![0] = {
      ...r.benchComparisons![0]!,
      confidence: 'too-few-trials',
      note: 'too few trials to say: 1 baseline and 1 candidate trial measured; 3 per side are needed for a confidence word',
    }
    const [g] = assess(r, ['p95 <= 0.5x']).gates
    expect(g).toMatchObject({ passed: true })
    expect(g!.undecided).toBeUndefined()
    expect(g!.message).toBe(
      'new GET /a: 0.3x; too few trials to say how sure: 1 baseline and 1 candidate trial measured; 3 per side are needed for a confidence word',
    )
  })

  it('fails a bench gate that nothing measured, and says so', () => {
    const [g] = assess(run([route('GET', '/a')]), ['p95 < 100ms']).gates
    expect(g).toMatchObject({ passed: false, actual: null })
    expect(g!.message).toContain('not measured')
  })
})

describe('MCP gates', () => {
  const latency = (p95: number) => ({ p50: p95 / 2, p90: p95 * 0.9, p95, p99: p95 * 1.5, p999: p95 * 2, max: p95 * 3, mean: p95 / 2, min: 0.1 })
  const startup = (median: number) => ({ runs: 5, warmup: 0, median, mean: median, stddev: 0, min: median, max: median, outliers: [], times: [median] })
  const withMcp = (): RunResult => {
    const r = run([route('GET', '/a')])
    r.tools = [
      { name: 'echo', kind: 'mcp-tool', status: 'verified', changes: [] },
      {
        name: 'greet',
        kind: 'mcp-tool',
        status: 'divergent',
        changes: [
          { kind: 'input-schema', breaking: true, detail: 'argument `greeting` is now required' },
          { kind: 'description', breaking: false, detail: 'x' },
        ],
      },
      { name: 'legacy', kind: 'mcp-tool', status: 'missing', changes: [] },
    ]
    r.mcpBench = [
      {
        system: 'old',
        role: 'baseline',
        tool: 'echo',
        concurrency: 4,
        calls: 100,
        callsPerSecond: 900,
        latency: latency(300),
        errors: 0,
        startup: startup(900),
      },
      {
        system: 'new',
        role: 'candidate',
        tool: 'echo',
        concurrency: 4,
        calls: 100,
        callsPerSecond: 2000,
        latency: latency(20),
        errors: 0,
        startup: startup(120),
      },
      { system: 'new', role: 'candidate', tool: 'find_references', concurrency: 4, calls: 100, callsPerSecond: 800, latency: latency(140), errors: 0 },
    ]
    return r
  }

  it('reads the MCP metrics with their units', () => {
    expect(parseGate('mcpP95 < 100ms')).toMatchObject({ metric: 'mcpP95', op: '<', value: 100 })
    expect(parseGate('mcpStartup < 0.5s')).toMatchObject({ metric: 'mcpStartup', value: 500 })
    expect(parseGate('mcpBreaking == 0')).toMatchObject({ metric: 'mcpBreaking', value: 0 })
    expect(() => parseGate('mcpP95 < 100mb')).toThrow(/not measured in `mb`/)
    expect(() => parseGate('mcpMissing == 0ms')).toThrow(/takes no unit/)
  })

  it('counts breaking changes and missing tools, and takes the worst candidate p95 and the startup median', () => {
    const { gates } = assess(withMcp(), ['mcpBreaking == 0', 'mcpMissing == 0', 'mcpP95 < 100ms', 'mcpP95 < 200ms', 'mcpStartup < 500ms'])
    expect(gates.map((g) => [g.gate, g.passed, g.actual])).toEqual([
      ['mcpBreaking == 0', false, 1],
      ['mcpMissing == 0', false, 1],
      ['mcpP95 < 100ms', false, 140],
      ['mcpP95 < 200ms', true, 140],
      ['mcpStartup < 500ms', true, 120],
    ])
    expect(gates[0]!.message).toContain('greet: argument `greeting` is now required')
    expect(gates[2]!.message).toContain('new find_references')
  })

  it('mcpP95 never passes on a tool whose every call errored, and takes no errored call as latency', () => {
    const r = withMcp()
    r.mcpBench!.push({
      system: 'new',
      role: 'candidate',
      tool: 'broken',
      concurrency: 4,
      calls: 100,
      callsPerSecond: 5000,
      latency: { p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0, mean: 0, min: 0, count: 0 },
      errors: 100,
    })
    const [g] = assess(r, ['mcpP95 < 1000ms']).gates
    expect(g).toMatchObject({ passed: false, actual: 140 })
    expect(g!.message).toBe('new broken: cannot be measured, every call errored (100 of 100); 140 ms (new find_references)')
  })

  it('fails an MCP gate that nothing measured, and says so', () => {
    const { gates } = assess(run([route('GET', '/a')]), ['mcpBreaking == 0', 'mcpP95 < 100ms'])
    expect(gates.map((g) => [g.passed, g.actual])).toEqual([
      [false, null],
      [false, null],
    ])
    expect(gates[1]!.message).toContain('no MCP bench')
  })
})

describe('scorecard gates', () => {
  // Scorecards as the scorecard stage writes them (figures from real artifacts are tested in test/scorecard.test.ts).
  function withScorecards(): RunResult {
    const r = run([route('GET', '/a')])
    r.scorecards = [
      {
        system: 'old',
        figures: [
          { metric: 'testCoverage', value: 0.95, unit: 'ratio', source: 'lcov.info' },
          { metric: 'bundleGzip', value: 400_000, unit: 'bytes', source: 'dist' },
        ],
        problems: [],
      },
      {
        system: 'new',
        figures: [
          { metric: 'testCoverage', value: 0.82, unit: 'ratio', source: 'lcov.info' },
          { metric: 'typeCoverage', value: 0.97, unit: 'ratio', source: 'computed' },
          { metric: 'criticalVulnerabilities', value: 1, unit: 'count', source: 'audit.json' },
          { metric: 'highVulnerabilities', value: 0, unit: 'count', source: 'audit.json' },
          { metric: 'apiDocumented', value: 1, unit: 'ratio', source: 'openapi.yaml' },
          { metric: 'bundleGzip', value: 260_000, unit: 'bytes', source: 'dist' },
        ],
        problems: [],
      },
    ]
    return r
  }

  it('reads ratios, percentages, counts, bytes and ratios to the baseline', () => {
    expect(parseGate('testCoverage >= 0.9')).toMatchObject({ metric: 'testCoverage', value: 0.9 })
    expect(parseGate('typeCoverage >= 95%')).toMatchObject({ metric: 'typeCoverage', value: 0.95 })
    expect(parseGate('bundleGzip < 300kb')).toMatchObject({ metric: 'bundleGzip', op: '<', value: 300 * 1024 })
    expect(parseGate('bundleGzip <= 0.7x')).toMatchObject({ metric: 'bundleGzip', value: 0.7, relative: true })
    expect(() => parseGate('testCoverage >= 90')).toThrow(/ratio between 0 and 1/)
    expect(() => parseGate('bundleGzip < 3ms')).toThrow(/not measured in `ms`/)
    expect(() => parseGate('criticalVulnerabilities == 0x')).toThrow(/takes no unit/)
  })

  it('gates the candidates’ figures, absolute and relative to the baseline', () => {
    const gates = [
      'testCoverage >= 0.9',
      'typeCoverage >= 95%',
      'criticalVulnerabilities == 0',
      'highVulnerabilities == 0',
      'apiDocumented == 1',
      'bundleGzip <= 0.7x',
      'bundleGzip <= 0.6x',
      'bundleGzip < 300kb',
    ]
    const result = assess(withScorecards(), gates).gates
    expect(result.map((g) => [g.gate, g.passed, g.actual])).toEqual([
      ['testCoverage >= 0.9', false, 0.82],
      ['typeCoverage >= 95%', true, 0.97],
      ['criticalVulnerabilities == 0', false, 1],
      ['highVulnerabilities == 0', true, 0],
      ['apiDocumented == 1', true, 1],
      ['bundleGzip <= 0.7x', true, 0.65],
      ['bundleGzip <= 0.6x', false, 0.65],
      ['bundleGzip < 300kb', true, 260_000],
    ])
    expect(result[0]!.message).toBe('new: 82%')
    expect(result[6]!.message).toBe('new: 0.65x')
  })

  it('fails a scorecard gate that nothing measured, and says why', () => {
    const r = withScorecards()
    const { gates } = assess(r, ['vulnerabilities == 0'])
    expect(gates[0]).toMatchObject({ passed: false, actual: null, message: 'new: not measured (no vulnerabilities on its scorecard)' })
    r.scorecards = r.scorecards!.filter((c) => c.system !== 'old')
    const rel = assess(r, ['bundleGzip <= 0.7x']).gates[0]!
    expect(rel).toMatchObject({ passed: false, actual: null })
    expect(rel.message).toContain('the baseline has no bundleGzip')
  })

  it('leaves out a candidate with no scorecard (scanned only), but not when no candidate has one', () => {
    const r = withScorecards()
    r.candidates = { ...r.candidates, 'scan-only': r.candidates.new! }
    expect(assess(r, ['typeCoverage >= 95%']).gates[0]).toMatchObject({ passed: true, message: 'new: 97%' })
    r.scorecards = []
    expect(assess(r, ['typeCoverage >= 95%']).gates[0]!.message).toBe(
      'new: not measured (no typeCoverage on its scorecard); scan-only: not measured (no typeCoverage on its scorecard)',
    )
  })
})
