/**
 * The terminal view of a plan: the targets and what priority rests on, the ranked table (each
 * candidate's share, priority, risk, effort, target), what is left per candidate, the packages
 * without routes, then per row the factors behind its scores, then the cross-platform matrix (one
 * row per item) with three or more systems or a peer. A pure function of the RunResult.
 */
import type { LanguageSuggestion, Plan } from '../model/plan.js'
import type { RunResult } from '../model/run.js'
import { languageName, plural } from '../model/words.js'
import { THRESHOLDS } from '../plan/weights.js'
import { renderPlatformTable } from './platform-table.js'
import { textTable } from './text-table.js'

export function renderPlanTable(run: RunResult): string {
  const plan = run.plan
  if (!plan) return 'No plan: run `parity plan`.\n'
  const out: string[] = []
  const byService = plan.entries.some((e) => e.service)
  const candidates = plan.candidates?.map((c) => c.name) ?? []
  out.push(...planPreamble(plan))
  if (!plan.entries.length)
    out.push(
      byService
        ? 'Nothing left to port: every service is migrated in a candidate.'
        : 'Nothing left to port: every component is fully ported in every candidate.',
    )
  else {
    out.push(
      ...textTable(
        ['#', byService ? 'service' : 'component', ...candidates, 'priority', 'risk', 'effort', 'target'],
        plan.entries.map((e) => [
          String(e.rank),
          e.component,
          ...candidates.map((c) => {
            const p = e.candidates?.[c]
            return !p || (byService && !p.port) ? '–' : `${p.ported}%`
          }),
          `${e.priority} (${e.priorityScore})`,
          `${e.risk} (${e.riskScore})`,
          `${e.effortDays} d`,
          e.suggestion ? suggestionText(e.suggestion) : '–',
        ]),
        new Set([0, ...candidates.map((_, i) => i + 2), candidates.length + 4]),
      ),
    )
    out.push(
      '',
      `Scores: 100 × Σ weight × factor / Σ weight; high ≥ ${THRESHOLDS.high}, medium ≥ ${THRESHOLDS.medium}. Effort (person-days): ${plan.entries[0]!.effortFormula}.`,
    )
  }
  const left = leftPerCandidate(plan, byService)
  if (left.length) out.push('', 'Left per candidate (in rank order):', ...left)
  if (plan.packages?.length) {
    out.push('', 'Packages without routes', '')
    out.push(
      ...textTable(
        ['package', 'kind', 'folder', 'recommendation', 'used by', 'calls'],
        plan.packages.map((p) => [p.name, p.kind, p.root, suggestionText(p.suggestion), p.usedBy.join(', ') || '–', p.calls.join(', ') || '–']),
      ),
    )
    for (const p of plan.packages) out.push(`   ${p.name}: ${p.suggestion.reason}`)
  }
  for (const e of plan.entries) {
    out.push('', `${e.rank}. ${e.component}: priority ${e.priority} (${e.priorityScore}), risk ${e.risk} (${e.riskScore}), effort ${e.effortDays} person-days`)
    for (const f of e.factors) out.push(`   ${f.name.padEnd(13)} ${String(f.value).padStart(7)} × w${f.weight} → ${f.contribution.toFixed(2)}  ${f.reason}`)
    if (e.suggestion) {
      out.push(`   target        ${targetName(e.suggestion)}: ${e.suggestion.reason} (rule ${e.suggestion.rule})`)
      if (e.suggestion.passedOver?.length) out.push(`   passed over   ${e.suggestion.passedOver.join(', ')}: not a target language`)
    }
    if (e.missing.length) out.push(`   missing       ${e.missing.join(', ')}`)
  }
  // The per-item matrix of the run (the plan's per-component one is superseded by it).
  if (run.platforms?.rows.length) out.push('', ...renderPlatformTable(run.platforms))
  return `${out.join('\n')}\n`
}

/** The targets line and what priority rests on. */
export function planPreamble(plan: Plan): string[] {
  const out: string[] = []
  const t = plan.targets
  if (t) {
    const named = (plan.candidates ?? []).filter((c) => c.language).map((c) => `${c.name} is ${languageName(c.language!)}`)
    out.push(
      t.from === 'candidates'
        ? `Targets: ${t.languages.join(', ')} (the languages of the candidates: ${named.join(', ')}).`
        : t.from === 'config'
          ? `Targets: ${t.languages.join(', ')} (plan.targets in the config).`
          : `Targets: any language of the rules (${t.languages.join(', ')}): no candidate shows the language it is written in.`,
    )
  }
  if (plan.priorityFrom === 'code') {
    const w = plan.weights
    out.push(
      `Priority from the code (no traffic recorded): dependents (fanIn ×${w.fanIn}), endpoints (surface ×${w.surface}), tables (data ×${w.data}), capabilities (uses ×${w.uses}) and the share missing (×${w.missing}).`,
    )
  } else if (plan.priorityFrom === 'traffic') out.push('Priority from the recorded traffic, dependents and the share missing.')
  if (out.length) out.push('')
  return out
}

/** One line per candidate: what its ports have, what is left for it and the first rows, in rank order. */
function leftPerCandidate(plan: Plan, byService: boolean): string[] {
  const rankOf = new Map(plan.entries.map((e) => [e.component, e.rank]))
  return (plan.candidates ?? []).map((c) => {
    const head = `${c.name}${c.language ? ` (${languageName(c.language)})` : ''}`
    const done = byService ? `${plural(c.migrated ?? 0, 'service')} migrated, ${c.partly ?? 0} partly; ` : ''
    if (!c.next.length) return `${head}: ${done}nothing left${byService ? ' suggested for it' : ''}`
    const next = c.next.slice(0, 5).map((n) => `${rankOf.get(n)}. ${n}`)
    const more = c.next.length > 5 ? ` and ${c.next.length - 5} more` : ''
    return `${head}: ${done}left: ${plural(c.next.length, byService ? 'service' : 'component')}, ${plural(c.endpointsLeft, 'endpoint')}; next: ${next.join(', ')}${more}`
  })
}

/** `go`, `rust into axum`, `keep in TypeScript`. */
export function targetName(s: LanguageSuggestion): string {
  return s.language === 'keep' ? 'keep in TypeScript' : `${s.language}${s.candidate && s.candidate !== s.language ? ` into ${s.candidate}` : ''}`
}

function suggestionText(s: LanguageSuggestion): string {
  return `${targetName(s)} (${s.rule})`
}
