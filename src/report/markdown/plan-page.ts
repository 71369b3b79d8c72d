/**
 * The "## Plan" section of the vault's Comparison page: the targets and what priority rests on, what
 * to port next, ranked, with each candidate's share, the score, the factors and the target of each
 * row, what is left per candidate, and the packages without routes (the platform matrix is
 * platforms-page.ts).
 */
import type { RunResult } from '../../model/run.js'
import { languageName, plural } from '../../model/words.js'
import { THRESHOLDS } from '../../plan/weights.js'
import { planPreamble, targetName } from '../plan-table.js'
import { cell, code } from './markup.js'

/** Lines of the section; empty when the run has no plan. */
export function planMarkdown(run: RunResult): string[] {
  const plan = run.plan
  if (!plan) return []
  const out = ['## Plan', '']
  const byService = plan.entries.some((e) => e.service)
  const candidates = plan.candidates?.map((c) => c.name) ?? []
  const preamble = planPreamble(plan).filter(Boolean)
  if (preamble.length) out.push(...preamble.map((l) => `${l}  `), '')
  if (!plan.entries.length)
    out.push(
      byService
        ? 'Nothing left to port: every service is migrated in a candidate.'
        : 'Nothing left to port: every component is fully ported in every candidate.',
      '',
    )
  else {
    out.push(
      `What to port next, ranked by priority then risk. Scores are 100 × Σ weight × factor / Σ weight (high ≥ ${THRESHOLDS.high}, medium ≥ ${THRESHOLDS.medium}); effort in person-days is ${code(plan.entries[0]!.effortFormula)}.`,
      '',
      `| # | ${byService ? 'Service' : 'Component'} | ${candidates.map(cell).join(' | ')}${candidates.length ? ' | ' : ''}Priority | Risk | Effort | Target | Why |`,
      `| ---: | --- | ${candidates.map(() => '---: | ').join('')}--- | --- | ---: | --- | --- |`,
    )
    for (const e of plan.entries) {
      // The factors that added most, as the reasons a reader scans first.
      const why = [...e.factors]
        .filter((f) => f.contribution > 0)
        .sort((a, b) => b.contribution - a.contribution)
        .slice(0, 3)
        .map((f) => f.reason)
      const suggestion = e.suggestion ? `${targetName(e.suggestion)} (${code(e.suggestion.rule)}): ${e.suggestion.reason}` : '—'
      const shares = candidates.map((c) => {
        const p = e.candidates?.[c]
        return !p || (byService && !p.port) ? '—' : `${p.ported}%`
      })
      out.push(
        `| ${e.rank} | ${cell(e.component)} | ${shares.map((x) => `${x} | `).join('')}${e.priority} (${e.priorityScore}) | ${e.risk} (${e.riskScore}) | ${e.effortDays} | ${cell(suggestion)} | ${cell(why.join('; ') || '—')} |`,
      )
    }
    out.push('')
  }
  if (plan.candidates?.length) {
    out.push('### Left per candidate', '')
    const rankOf = new Map(plan.entries.map((e) => [e.component, e.rank]))
    for (const c of plan.candidates) {
      const done = byService ? `${plural(c.migrated ?? 0, 'service')} migrated, ${c.partly ?? 0} partly; ` : ''
      const next = c.next.map((n) => `${rankOf.get(n)}. ${n}`).join(', ')
      out.push(
        `- **${cell(c.name)}**${c.language ? ` (${languageName(c.language)})` : ''}: ${done}${c.next.length ? `left ${plural(c.next.length, byService ? 'service' : 'component')}, ${plural(c.endpointsLeft, 'endpoint')}: ${cell(next)}` : 'nothing left'}`,
      )
    }
    out.push('')
  }
  if (plan.packages?.length) {
    out.push('### Packages without routes', '', '| Package | Kind | Folder | Recommendation | Used by | Calls |', '| --- | --- | --- | --- | --- | --- |')
    for (const p of plan.packages)
      out.push(
        `| ${cell(p.name)} | ${p.kind} | ${code(p.root)} | ${cell(`${targetName(p.suggestion)} (${p.suggestion.rule}): ${p.suggestion.reason}`)} | ${cell(p.usedBy.join(', ') || '—')} | ${cell(p.calls.join(', ') || '—')} |`,
      )
    out.push('')
  }
  return out
}
