/**
 * Objectives: named gates in the config, checked by the assessment like gates, kept per stored run
 * in the history store (read back as a trend), and shown on the vault's Index page. The run is a
 * real diff of the plan fixture; the scorecard figures are data written here.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { assess } from '../src/assess/gates.js'
import { loadConfig } from '../src/config/load.js'
import { runDiff } from '../src/match/diff-run.js'
import { objectiveTrend } from '../src/model/history.js'
import type { RunResult } from '../src/model/run.js'
import { renderVault } from '../src/report/markdown/vault.js'
import { openHistory } from '../src/store/history.js'

const repo = new URL('..', import.meta.url).pathname
const shop = join(repo, 'fixtures/plan/shop')
const tmp = mkdtempSync(join(tmpdir(), 'parity-objectives-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

const diffed = await runDiff({ baseline: { name: 'node', source: join(shop, 'baseline') }, candidates: [{ name: 'go', source: join(shop, 'candidate') }] })
/** The run with a type coverage figure for the candidate. */
const withTypes = (typeCoverage: number): RunResult => ({
  ...structuredClone(diffed),
  scorecards: [{ system: 'go', figures: [{ metric: 'typeCoverage', value: typeCoverage, unit: 'ratio', source: 'computed' }], problems: [] }],
})
const objectives = [
  { name: 'Typed', gate: 'typeCoverage >= 95%', why: 'no any in the new code' },
  { name: 'Half ported', gate: 'ported >= 0.5' },
]
const ported = (() => {
  const s = diffed.candidates.go!
  return (s.ported + s.verified + s.divergent) / s.total
})()

function yamlConfig(body: string): string {
  const dir = mkdtempSync(join(tmp, 'config-'))
  const file = join(dir, 'parity.config.yaml')
  writeFileSync(file, `systems:\n  - { name: a, role: baseline, source: . }\n  - { name: b, role: candidate, source: . }\n${body}`)
  return file
}

describe('objectives in the config', () => {
  it('are read with their name, gate and why', async () => {
    const c = await loadConfig(
      yamlConfig(
        'gates: [ported >= 0.9]\nobjectives:\n  - { name: Faster list endpoint, gate: p95 <= 0.5x, why: users wait on it }\n  - { name: Typed, gate: typeCoverage >= 95% }\n',
      ),
    )
    expect(c.gates).toEqual(['ported >= 0.9'])
    expect(c.objectives).toEqual([
      { name: 'Faster list endpoint', gate: 'p95 <= 0.5x', why: 'users wait on it' },
      { name: 'Typed', gate: 'typeCoverage >= 95%' },
    ])
  })

  it('name the line of a gate that does not parse, and a name used twice', async () => {
    const file = yamlConfig('objectives:\n  - name: Leaner\n    gate: rss <= 0.8x\n  - name: Leaner\n    gate: lines < 10\n')
    const error = await loadConfig(file).then(
      () => undefined,
      (e: Error) => e,
    )
    expect(error?.message).toMatch(/parity\.config\.yaml:7: objectives\[1\]\.name: `Leaner` is used twice/)
    expect(error?.message).toMatch(/parity\.config\.yaml:8: objectives\[1\]\.gate: gate `lines < 10` is not understood/)
    expect(error?.message).not.toMatch(/objectives\[0\]/)
  })
})

describe('assessment', () => {
  it('evaluates objectives after the gates, marked with their name and why; a failing one fails the run', () => {
    const a = assess(withTypes(0.9), ['extra >= 0'], [], undefined, objectives)
    expect(a.gates.map((g) => [g.gate, g.objective, g.passed])).toEqual([
      ['extra >= 0', undefined, true],
      ['typeCoverage >= 95%', 'Typed', false],
      ['ported >= 0.5', 'Half ported', ported >= 0.5],
    ])
    expect(a.gates[1]).toMatchObject({ actual: 0.9, why: 'no any in the new code', message: 'go: 90%' })
    expect(a.gates[2]!.actual).toBeCloseTo(ported)
    expect(a.verdict.productionReady).toBe(false)
    expect(a.verdict.failed).toContain('Typed: typeCoverage >= 95%')
  })

  it('passes the run when every objective passes', () => {
    const a = assess(withTypes(0.97), [], [], undefined, [objectives[0]!])
    expect(a.verdict).toMatchObject({ productionReady: true, failed: [] })
  })
})

describe('history of objectives', () => {
  it('keeps each objective value per stored run, null where a run did not have it', () => {
    const store = openHistory(join(tmp, 'trend', 'history.sqlite'))
    try {
      const plain = structuredClone(diffed)
      plain.assessment = assess(plain, ['extra >= 0'])
      const older = store.append(plain)
      const first = withTypes(0.9)
      first.assessment = assess(first, [], [], undefined, objectives)
      store.append(first)
      const second = withTypes(0.96)
      second.assessment = assess(second, [], [], undefined, objectives)
      store.append(second)
      const { runs } = store.history()
      expect(runs[0]).toMatchObject({ id: older, objectives: {} })
      expect(objectiveTrend(runs, 'Typed')).toEqual([null, 0.9, 0.96])
      expect(objectiveTrend(runs, 'Half ported').map((v) => v && Math.round(v * 1000))).toEqual([null, Math.round(ported * 1000), Math.round(ported * 1000)])
      expect(objectiveTrend(runs, 'Never declared')).toEqual([null, null, null])
    } finally {
      store.close()
    }
  })
})

describe('vault Index', () => {
  it('has an Objectives table with the value now, the result, the trend over runs and why', () => {
    const store = openHistory(join(tmp, 'vault', 'history.sqlite'))
    let run: RunResult
    try {
      for (const value of [0.8, 0.9, 0.97]) {
        run = withTypes(value)
        run.assessment = assess(run, ['extra >= 0'], [], undefined, objectives)
        run.id = store.append(run)
      }
      const index = renderVault(run!, store.history()).get('Index.md')!
      const section = index.slice(index.indexOf('## Objectives'), index.indexOf('## Systems'))
      const rows = section.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Objective') && !l.startsWith('| ---'))
      expect(rows[0]).toBe('| Typed | `typeCoverage >= 95%` | 97% | passed | `▁▅█` | no any in the new code |')
      expect(rows[1]).toMatch(/^\| Half ported \| `ported >= 0\.5` \| [\d.]+% \| (passed|\*\*failed\*\*) \| `▄▄▄` \| {2}\|$/)
      // The plain gate stays in the list of gates; objectives are not repeated there.
      expect(section).toContain('- Gate `extra >= 0`: passed')
      expect(section).not.toContain('- Gate `typeCoverage')
    } finally {
      store.close()
    }
  })

  it('ends the trend with the current value when the run was not stored', () => {
    const run = withTypes(0.5)
    run.assessment = assess(run, [], [], undefined, [objectives[0]!])
    const index = renderVault(run).get('Index.md')!
    expect(index).toContain('| Typed | `typeCoverage >= 95%` | 50% | **failed** | `▄` | no any in the new code |')
    expect(index).not.toContain('No gates configured')
  })
})

describe('parity run with objectives', () => {
  it('prints each objective by name with the gates, fails on one, and writes it to the vault', () => {
    const dir = mkdtempSync(join(tmp, 'cli-'))
    writeFileSync(
      join(dir, 'parity.config.yaml'),
      `systems:\n  - { name: node, role: baseline, source: ${join(shop, 'baseline')} }\n  - { name: go, role: candidate, source: ${join(shop, 'candidate')} }\n` +
        'gates: [extra >= 0]\nobjectives:\n  - { name: Everything ported, gate: ported >= 1, why: switch the old one off }\nreports: { md: vault }\n',
    )
    const r = spawnSync(process.execPath, [join(repo, 'bin/parity.js'), 'run'], { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: 'true' } })
    expect(r.status, r.stderr).toBe(1)
    expect(r.stdout).toMatch(/✓ extra >= 0/)
    expect(r.stdout).toMatch(/✗ Everything ported: ported >= 1 +go: [\d.]+%/)
    expect(r.stdout).toContain('✗ Not production-ready: 1 of 2 gates failed')
    expect(readFileSync(join(dir, 'vault', 'Index.md'), 'utf8')).toMatch(
      /\| Everything ported \| `ported >= 1` \| [\d.]+% \| \*\*failed\*\* \| `▄` \| switch the old one off \|/,
    )
  })
})
