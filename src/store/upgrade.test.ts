import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import type { RunResult } from '../model/run.js'
import { emptyRun } from '../model/empty-run.js'
import { readRun } from './run-file.js'

/** A run as stored before outcomes, statuses and gate display values were carried. */
function oldRun(): RunResult {
  const run = emptyRun('2026-01-01T00:00:00Z')
  run.summary = { total: 4, percent: 50, ported: 2, missing: 2, extra: 0, excluded: 0, verified: 0, divergent: 0, byKind: {} }
  run.candidates = { rust: { ...run.summary } }
  run.tests = [
    { name: 'a', baseline: 'pass', candidate: 'fail' },
    { name: 'b', baseline: 'pass', candidate: 'pass' },
  ]
  run.assessment = {
    gates: [{ gate: 'ported >= 0.9', passed: false, actual: 0.5, message: 'rust: 0.5' }],
    verdict: { productionReady: false, failed: ['ported >= 0.9'], staleAcceptances: [] },
    findings: [],
  } as unknown as RunResult['assessment']
  return run
}

it('gives a run read back from a file the figures derived since it was stored, by the same rules', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parity-upgrade-'))
  try {
    const file = join(dir, 'run.json')
    writeFileSync(file, JSON.stringify(oldRun()))
    const run = readRun(file)
    expect(run.tests?.map((t) => t.outcome)).toEqual(['regression', 'pass-both'])
    expect(run.summary.status).toBe('partial')
    expect(run.candidates.rust?.status).toBe('partial')
    expect(run.candidates.rust?.verifiedPercent).toBe(0)
    expect(run.gapSeverity).toBe(run.candidates.rust?.gapSeverity)
    expect(run.gapSeverity).toBeDefined()
    expect(run.assessment?.gates[0]?.display).toBe('50%')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

it('gives a run stored before the per-candidate service figures its endpoints, rule and verified counts, from its pairs', async () => {
  const { loadConfig } = await import('../config/load.js')
  const { diffConfig } = await import('../match/diff-run.js')
  const { upgradeRun } = await import('./upgrade.js')
  const dir = new URL('../../fixtures/monorepos/platform/', import.meta.url).pathname
  const now = await diffConfig(await loadConfig(join(dir, 'parity.config.yaml')))
  const { endpoints, combined, rule, endpointWord, ...old } = now.services!
  const stored = {
    ...now,
    services: {
      ...old,
      rows: old.rows.map((r) => ({ ...r, candidates: Object.fromEntries(Object.entries(r.candidates).map(([k, c]) => [k, { ...c, verified: undefined }])) })),
    },
  }
  const back = upgradeRun(JSON.parse(JSON.stringify(stored)) as RunResult)
  expect(back.services).toEqual(now.services)
  expect(endpoints?.go?.ported).toBe(12)
  expect([combined?.ported, rule?.text, endpointWord]).toEqual([20, 'every endpoint in the port', 'Routes'])
})
