/**
 * Runs stored before a derived figure joined the contract get it when they are read back, by the
 * same rule that fills it in new runs, so readers (reports, the dashboard) only ever render and never
 * carry a second copy of the rule for old runs.
 */
import { classifyE2eTest } from '../assess/e2e.js'
import { gapSeverityOf, mostSevere } from '../assess/gap.js'
import { formatGateValue } from '../assess/gates.js'
import { serviceMigration } from '../assess/services.js'
import { statusOf } from '../assess/status.js'
import { verifiedPercentOf } from '../assess/verified.js'
import type { RunResult, Summary } from '../model/run.js'

const withStatus = <S extends Summary>(s: S): S => ({
  ...s,
  status: s.status ?? statusOf(s),
  gapSeverity: s.gapSeverity ?? gapSeverityOf(s),
  verifiedPercent: s.verifiedPercent ?? verifiedPercentOf(s),
})

/** The run with every derived figure present: e2e outcomes, summary statuses, gap severities and verified shares, gate display values. */
export function upgradeRun(run: RunResult): RunResult {
  const out: RunResult = {
    ...run,
    summary: withStatus(run.summary),
    candidates: Object.fromEntries(Object.entries(run.candidates ?? {}).map(([k, s]) => [k, withStatus(s)])),
  }
  out.components = (run.components ?? []).map((c) => {
    const candidates = Object.fromEntries(Object.entries(c.candidates).map(([k, s]) => [k, withStatus(s)]))
    return { ...c, candidates, gapSeverity: c.gapSeverity ?? mostSevere(Object.values(candidates).map((s) => s.gapSeverity)) }
  })
  out.gapSeverity = run.gapSeverity ?? mostSevere(Object.values(out.candidates).map((s) => s.gapSeverity))
  // Service figures before the rule, the per-candidate endpoints and the verified counts joined them: the same rule, from the pairs.
  if (run.services && !run.services.endpoints) {
    const services = serviceMigration(run.pairs, Object.keys(run.candidates ?? {}))
    if (services) out.services = services
  }
  if (run.tests) out.tests = run.tests.map((t) => (t.outcome ? t : { ...t, outcome: classifyE2eTest(t) }))
  if (run.assessment) {
    out.assessment = {
      ...run.assessment,
      gates: run.assessment.gates.map((g) => (g.display !== undefined || g.actual === null ? g : { ...g, display: formatGateValue(g.gate, g.actual) })),
    }
  }
  return out
}
