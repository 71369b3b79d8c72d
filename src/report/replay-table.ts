/** The terminal table of `parity replay` and `parity shadow`: routes with their status and first differences. */
import type { Difference, RouteEvidence } from '../model/exchange.js'
import { orderByCause, shapeLabel } from '../model/route-causes.js'
import type { RunResult } from '../model/run.js'

const MARK = { verified: '✓', divergent: '≠', missing: '✗', consequence: '↳', unproven: '?', unexercised: '·' } as const

function differenceLine(d: Difference, indent: string): string {
  const show = (v: unknown) => (v === undefined ? 'absent' : JSON.stringify(v)?.slice(0, 60))
  return `${indent}${d.where}${d.pointer ? ` ${d.pointer}` : ''}: ${d.kind}  baseline ${show(d.baseline)} · candidate ${show(d.candidate)}${d.note ? `  (${d.note})` : ''}`
}

/** A route's differences by request shape (each with its example's exchange id), or the union for runs stored before groups. */
function differenceLines(r: RouteEvidence): string[] {
  const out: string[] = []
  if (!r.groups?.length) {
    for (const d of r.differences.slice(0, 5)) out.push(differenceLine(d, '    '))
    if (r.differences.length > 5) out.push(`    … ${r.differences.length - 5} more`)
    return out
  }
  const many = r.groups.length > 1
  for (const g of r.groups.slice(0, 6)) {
    const head = g.cause
      ? `likely consequence of ${g.cause.request} (exchange ${g.cause.exchange}, ${g.cause.via})`
      : many
        ? `requests ${shapeLabel(g.shape)}`
        : undefined
    const indent = head ? '      ' : '    '
    if (head) out.push(`    ${head}: ${g.exchanges} exchange${g.exchanges === 1 ? '' : 's'}, e.g. ${g.examples[0]?.id ?? g.differences[0]?.exchange ?? ''}`)
    for (const d of g.differences.slice(0, 5)) out.push(differenceLine(d, indent))
    if (g.differences.length > 5) out.push(`${indent}… ${g.differences.length - 5} more`)
  }
  if (r.groups.length > 6) out.push(`    … ${r.groups.length - 6} more request shapes`)
  return out
}

/** Routes with their status and first differences (root causes first, consequences under them), the proposed ignore rules, and a summary. */
export function renderReplay(run: Pick<RunResult, 'routes' | 'noise' | 'diagnostics'>): string {
  const out: string[] = []
  const routes = run.routes ?? []
  const width = Math.min(60, Math.max(20, ...routes.map((r) => `${r.method} ${r.path}`.length)))
  for (const { route: r, under } of orderByCause(routes)) {
    const lead = under ? '  ' : ''
    out.push(`${lead}${MARK[r.status]} ${`${r.method} ${r.path}`.padEnd(width)}  ${r.status.padEnd(11)} ${r.exchanges} exchange${r.exchanges === 1 ? '' : 's'}`)
    out.push(...differenceLines(r).map((l) => lead + l))
  }
  if (run.noise?.length) {
    const silenced = run.noise.reduce((n, r) => n + (r.silenced ?? 0), 0)
    out.push('', `Noise learned from two baseline answers (${run.noise.length} ignore rules, ${silenced} silenced differences; shown by exchanges silenced):`)
    const rules = [...run.noise].sort((a, b) => (b.silenced ?? 0) - (a.silenced ?? 0))
    for (const n of rules.slice(0, 20))
      out.push(`  ${n.route}  ${n.where} ${n.pointer}  silenced ${n.silenced ?? 0} · seen in ${n.evidence ?? 0} · ${n.reason}`)
    if (rules.length > 20) out.push(`  … ${rules.length - 20} more (all in --format json, \`noise\`)`)
  }
  for (const d of run.diagnostics) out.push(`${d.level}: ${d.code}: ${d.message}`)
  const count = (s: RouteEvidence['status']) => routes.filter((r) => r.status === s).length
  const consequences = count('consequence')
  out.push(
    '',
    `${count('verified')} verified · ${count('divergent')} divergent · ${count('missing')} missing · ${count('unproven')} unproven · ${count('unexercised')} unexercised${
      consequences ? ` · ${consequences} differing only as likely consequences of a refused write (not counted as divergent)` : ''
    }`,
  )
  return `${out.join('\n')}\n`
}
