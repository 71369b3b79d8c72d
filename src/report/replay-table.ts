/** The terminal table of `parity replay` and `parity shadow`: routes with their status and first differences. */
import type { RunResult } from '../model/run.js'

const MARK = { verified: '✓', divergent: '≠', unproven: '?', unexercised: '·' } as const

/** Routes with their status and first differences, the proposed ignore rules, and a summary. */
export function renderReplay(run: Pick<RunResult, 'routes' | 'noise' | 'diagnostics'>): string {
  const out: string[] = []
  const routes = run.routes ?? []
  const width = Math.min(60, Math.max(20, ...routes.map((r) => `${r.method} ${r.path}`.length)))
  for (const r of routes) {
    out.push(`${MARK[r.status]} ${`${r.method} ${r.path}`.padEnd(width)}  ${r.status.padEnd(11)} ${r.exchanges} exchange${r.exchanges === 1 ? '' : 's'}`)
    for (const d of r.differences.slice(0, 5)) {
      const show = (v: unknown) => (v === undefined ? 'absent' : JSON.stringify(v)?.slice(0, 60))
      out.push(`    ${d.where}${d.pointer ? ` ${d.pointer}` : ''}: ${d.kind}  baseline ${show(d.baseline)} · candidate ${show(d.candidate)}`)
      if (d.note) out.push(`      ${d.note}`)
    }
    if (r.differences.length > 5) out.push(`    … ${r.differences.length - 5} more`)
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
  const count = (s: string) => routes.filter((r) => r.status === s).length
  out.push('', `${count('verified')} verified · ${count('divergent')} divergent · ${count('unproven')} unproven · ${count('unexercised')} unexercised`)
  return `${out.join('\n')}\n`
}
