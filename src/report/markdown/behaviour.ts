/**
 * The behavioural evidence on the Comparison page: "## Behaviour" (replayed traffic per route, and
 * what differs on each divergent one) and "## End-to-end suite" (the old suite against both sides).
 */
import { e2eCounts, outcomeOf } from '../../assess/e2e.js'
import type { Difference, RouteEvidence } from '../../model/exchange.js'
import { orderByCause, shapeLabel } from '../../model/route-causes.js'
import type { RunResult } from '../../model/run.js'
import { plural } from '../../model/words.js'
import { MARK } from './items.js'
import { cell, code } from './markup.js'

function differenceLine(d: Difference & { exchange?: string }, indent: string): string {
  return `${indent}- ${d.where}${d.pointer ? ` ${code(d.pointer)}` : ''}: ${d.kind}, baseline ${code(JSON.stringify(d.baseline) ?? 'absent')}, candidate ${code(JSON.stringify(d.candidate) ?? 'absent')}${d.exchange ? ` (exchange ${code(d.exchange)})` : ''}${d.note ? `: ${d.note}` : ''}`
}

/** A route's differences by request shape, likely consequences linked to their cause; the union for runs stored before groups. */
function routeLines(r: RouteEvidence): string[] {
  if (!r.groups?.length) return r.differences.slice(0, 10).map((d) => differenceLine(d, '  '))
  const out: string[] = []
  for (const g of r.groups) {
    const n = `${g.exchanges} exchange${g.exchanges === 1 ? '' : 's'}`
    out.push(
      g.cause
        ? `  - likely consequence of ${code(g.cause.request)} (exchange ${code(g.cause.exchange)}, ${g.cause.via}): ${n}, requests ${code(shapeLabel(g.shape))}`
        : `  - requests ${code(shapeLabel(g.shape))}: ${n}, e.g. ${code(`${g.examples[0]?.request.method ?? ''} ${g.examples[0]?.request.url ?? ''}`)} (exchange ${code(g.examples[0]?.id ?? '')})`,
    )
    for (const d of g.differences.slice(0, 10)) out.push(differenceLine(d, '    '))
  }
  return out
}

/** Lines of both sections; empty when the run has neither replay nor e2e results. */
export function behaviourMarkdown(run: RunResult): string[] {
  const out: string[] = []
  if (run.routes?.length) {
    const count = (status: RouteEvidence['status']) => run.routes!.filter((r) => r.status === status).length
    const consequences = count('consequence')
    out.push(
      '## Behaviour',
      '',
      `Replayed traffic: ${count('verified')} verified, ${count('divergent')} divergent, ${count('missing') ? `${count('missing')} missing (the candidate answered 404/405), ` : ''}${count('unproven')} unproven (both sides refused alike), ${count('unexercised')} not exercised${
        consequences
          ? `; ${plural(consequences, 'route')} ${consequences === 1 ? 'differs' : 'differ'} only as likely consequences of a refused write (not counted as divergent)`
          : ''
      }.`,
      '',
    )
    // Root causes first, each followed by the routes that differ only as its likely consequences.
    for (const { route: r, under } of orderByCause(run.routes)) {
      if (r.status !== 'divergent' && r.status !== 'missing' && r.status !== 'consequence') continue
      const lead = under ? '  ' : ''
      out.push(
        `${lead}- ${code(`${r.method} ${r.path}`)} ${r.status === 'consequence' ? 'likely consequence' : r.status} (${r.exchanges} exchange${r.exchanges === 1 ? '' : 's'})`,
      )
      out.push(...routeLines(r).map((l) => lead + l))
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
