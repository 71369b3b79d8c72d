/**
 * The behavioural evidence on the Comparison page: "## Behaviour" (replayed traffic per route, and
 * what differs on each divergent one) and "## End-to-end suite" (the old suite against both sides).
 */
import { e2eCounts, outcomeOf } from '../../assess/e2e.js'
import type { RunResult } from '../../model/run.js'
import { MARK } from './items.js'
import { cell, code } from './markup.js'

/** Lines of both sections; empty when the run has neither replay nor e2e results. */
export function behaviourMarkdown(run: RunResult): string[] {
  const out: string[] = []
  const divergent = (run.routes ?? []).filter((r) => r.status === 'divergent')
  if (run.routes?.length) {
    const count = (status: string) => run.routes!.filter((r) => r.status === status).length
    out.push(
      '## Behaviour',
      '',
      `Replayed traffic: ${count('verified')} verified, ${divergent.length} divergent, ${count('unproven')} unproven (both sides refused alike), ${count('unexercised')} not exercised.`,
      '',
    )
    for (const r of divergent) {
      out.push(`- ${code(`${r.method} ${r.path}`)} (${r.exchanges} exchange${r.exchanges === 1 ? '' : 's'})`)
      for (const d of r.differences.slice(0, 10)) {
        out.push(
          `  - ${d.where}${d.pointer ? ` ${code(d.pointer)}` : ''}: ${d.kind}, baseline ${code(JSON.stringify(d.baseline) ?? 'absent')}, candidate ${code(JSON.stringify(d.candidate) ?? 'absent')}${d.note ? `: ${d.note}` : ''}`,
        )
      }
    }
    out.push('')
  }

  if (run.tests?.length) {
    const t = run.tests
    const c = e2eCounts(t)
    const regressions = t.filter((x) => outcomeOf(x) === 'regression' || outcomeOf(x) === 'missing')
    out.push(
      '## End-to-end suite',
      '',
      `The old suite against both: ${c['pass-both']} of ${t.length} tests pass on both, ${c.regression} fail only on the candidate, ${c['fail-both']} fail on both${c.missing ? `, ${c.missing} did not run on the candidate` : ''}.`,
      '',
    )
    for (const x of regressions.slice(0, 30)) out.push(`- ${MARK.missing} ${cell(x.name)}`)
    if (regressions.length) out.push('')
  }
  return out
}
