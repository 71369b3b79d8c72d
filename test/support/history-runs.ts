/** Minimal RunResults for the history tests: one route per key, one candidate (`rewrite`). */
import type { ItemKind } from '../../src/model/inventory.js'
import { RUN_SCHEMA, type Counts, type Pair, type PairStatus, type RunResult, type Summary } from '../../src/model/run.js'

export function makeRun(
  statuses: Record<string, PairStatus>,
  options: { tag?: string; commit?: string; startedAt?: string; productionReady?: boolean } = {},
): RunResult {
  const counts: Counts = { ported: 0, missing: 0, extra: 0, excluded: 0, verified: 0, divergent: 0 }
  const pairs: Pair[] = Object.entries(statuses).map(([key, status]) => {
    counts[status]++
    const kind: ItemKind = 'route'
    return { kind, key, component: 'root', status, baseline: null, candidate: null, candidateSystem: 'rewrite' }
  })
  const total = counts.ported + counts.missing + counts.verified + counts.divergent
  const summary: Summary = {
    ...counts,
    total,
    percent: total ? Math.round(((counts.ported + counts.verified + counts.divergent) / total) * 1000) / 10 : 0,
    byKind: { route: counts },
  }
  return {
    schema: RUN_SCHEMA,
    tool: { name: 'parity', version: '0.0.0-test' },
    startedAt: options.startedAt ?? '2025-01-01T00:00:00.000Z',
    ...(options.tag ? { config: options.tag } : {}),
    systems: [],
    pairs,
    nearMisses: [],
    components: [],
    summary,
    candidates: { rewrite: summary },
    diagnostics: [],
    ...(options.commit ? { git: { commit: options.commit, branch: 'main' } } : {}),
    ...(options.productionReady === undefined
      ? {}
      : {
          assessment: {
            findings: [],
            gates: [{ gate: 'ported >= 0.9', passed: options.productionReady, actual: summary.percent / 100, message: '', findings: [] }],
            verdict: { productionReady: options.productionReady, failed: options.productionReady ? [] : ['ported >= 0.9'], staleAcceptances: [] },
          },
        }),
  }
}
