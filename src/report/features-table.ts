/**
 * The terminal checklist of features: one row per feature with its status in each candidate, then
 * what each candidate lacks; proposals follow as a YAML snippet ready for the config. Pure.
 */
import { featuresYaml } from '../features/features.js'
import type { FeatureCandidate, FeatureResult, FeatureStatus } from '../model/features.js'
import type { RunResult } from '../model/run.js'
import { textTable } from './text-table.js'

/** Checklist marks: verified, complete, partial, missing. */
export const FEATURE_MARK: Record<FeatureStatus, string> = { verified: '[v]', complete: '[x]', partial: '[~]', missing: '[ ]' }

export function featureCell(c: FeatureCandidate | undefined): string {
  if (!c) return '–'
  return `${FEATURE_MARK[c.status]} ${c.status} ${c.present}/${c.total}${c.verified ? `, ${c.verified} verified` : ''}`
}

function checklist(features: FeatureResult[], candidates: string[]): string[] {
  const out = textTable(
    ['feature', 'component', ...candidates],
    features.map((f) => [f.name, f.component ?? '–', ...candidates.map((c) => featureCell(f.candidates[c]))]),
  )
  for (const f of features) {
    const lines = candidates.flatMap((c) => {
      const x = f.candidates[c]
      if (!x) return []
      return [
        ...(x.missing.length ? [`   missing in ${c}: ${x.missing.join(', ')}`] : []),
        ...(x.divergent.length ? [`   divergent in ${c}: ${x.divergent.join(', ')}`] : []),
      ]
    })
    if (f.excluded.length) lines.push(`   excluded: ${f.excluded.join(', ')}`)
    if (lines.length) out.push('', `${f.name}:`, ...lines)
  }
  return out
}

export function renderFeaturesTable(run: RunResult, options: { proposals?: boolean } = {}): string {
  const candidates = run.systems.filter((s) => s.role === 'candidate').map((s) => s.name)
  const out: string[] = []
  if (run.features?.length)
    out.push(
      `Features (${FEATURE_MARK.verified} verified, ${FEATURE_MARK.complete} complete, ${FEATURE_MARK.partial} partial, ${FEATURE_MARK.missing} missing)`,
      '',
      ...checklist(run.features, candidates),
    )
  else out.push('No features in the config: add `features:` (see the proposals below, or `parity features --propose`).')
  const warnings = run.diagnostics.filter((d) => d.code === 'FEATURE_UNMATCHED')
  if (warnings.length) out.push('', ...warnings.map((d) => `warning: ${d.message}`))
  const proposals = run.featureProposals ?? []
  if ((options.proposals ?? true) && proposals.length) {
    out.push(
      '',
      `Proposed features (${proposals.length}), from routes sharing a prefix and file and capabilities with their call sites:`,
      '',
      ...checklist(proposals, candidates),
    )
    out.push('', 'To accept, copy what fits into the config:', '', featuresYaml(proposals).trimEnd())
  }
  return `${out.join('\n')}\n`
}
