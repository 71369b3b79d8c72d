/**
 * The "## Features" checklist of a component's vault page: a task-list line per feature, ticked
 * when every candidate has it complete or verified, with each candidate's status and what it lacks.
 */
import type { FeatureCandidate } from '../../model/features.js'
import type { RunResult } from '../../model/run.js'
import { code } from './markup.js'

function cell(candidate: string, x: FeatureCandidate): string {
  const lacks = x.missing.length ? `, missing ${x.missing.map(code).join(', ')}` : ''
  const differs = x.divergent.length ? `, divergent ${x.divergent.map(code).join(', ')}` : ''
  return `${candidate} **${x.status}** ${x.present}/${x.total}${x.verified ? ` (${x.verified} verified)` : ''}${lacks}${differs}`
}

/** The section's lines (empty when the run has no feature of this component). */
export function featuresMarkdown(run: RunResult, component: string): string[] {
  const features = (run.features ?? []).filter((f) => f.component === component)
  if (!features.length) return []
  const out = ['## Features', '', 'Ticked when every candidate has it complete or verified (`parity features`).', '']
  for (const f of features) {
    const entries = Object.entries(f.candidates)
    const done = entries.length > 0 && entries.every(([, x]) => x.status === 'complete' || x.status === 'verified')
    out.push(
      `- [${done ? 'x' : ' '}] **${f.name}**: ${entries.map(([c, x]) => cell(c, x)).join(' · ')}${f.excluded.length ? ` · excluded ${f.excluded.map(code).join(', ')}` : ''}`,
    )
  }
  out.push('')
  return out
}
