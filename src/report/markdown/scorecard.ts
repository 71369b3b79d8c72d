/**
 * The "## Scorecard" section of the vault's Comparison page: a table system × metric, where each
 * figure comes from, and the artifacts that were missing or malformed.
 */
import type { RunResult } from '../../model/run.js'
import { SCORE_TITLES, scoreGrid, sourceLabel } from '../scorecard-table.js'
import { cell, code } from './markup.js'

/** Lines of the section; empty when the run has no scorecards. */
export function scorecardMarkdown(run: RunResult): string[] {
  const cards = run.scorecards ?? []
  if (!cards.length) return []
  const out = [
    '## Scorecard',
    '',
    'Quality figures read from the artifacts each team already produces (coverage reports, audits, the OpenAPI document, the built front end).',
    '',
  ]
  const { metrics, rows } = scoreGrid(cards)
  if (metrics.length) {
    const head = ['System', ...metrics.map((m) => SCORE_TITLES[m] ?? m)]
    out.push(
      `| ${head.join(' | ')} |`,
      `| --- | ${metrics.map(() => '---:').join(' | ')} |`,
      ...rows.map((r) => `| ${[r.system, ...r.cells].join(' | ')} |`),
      '',
    )
    for (const c of cards) {
      const said = new Set<string>()
      for (const f of c.figures) {
        const line = `${code(f.source)}${f.detail ? `: ${cell(f.detail)}` : ''}`
        if (said.has(line)) continue
        said.add(line)
        out.push(`- ${c.system}, ${sourceLabel(f.metric)}: ${line}`)
      }
    }
    out.push('')
  }
  const problems = cards.flatMap((c) => c.problems.map((p) => ({ system: c.system, ...p })))
  if (problems.length) {
    out.push('### Scorecard problems', '')
    for (const p of problems) out.push(`- ${p.system}: ${cell(p.message)} (hint: ${cell(p.hint)})`)
    out.push('')
  }
  return out
}
