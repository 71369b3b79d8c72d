/**
 * The "## Platforms" section of the vault's Comparison page: the cross-platform matrix, one row per
 * item, which system has it (the baseline, the candidates and the peers), what all share and what only
 * one has.
 */
import type { RunResult } from '../../model/run.js'
import { platformCell, platformFigures } from '../platform-table.js'
import { cell, code, table } from './markup.js'

/** Lines of the section; empty when the run has no matrix (two systems: the pairs are it). */
export function platformsMarkdown(run: RunResult): string[] {
  const m = run.platforms
  if (!m?.rows.length) return []
  return [
    '## Platforms',
    '',
    `Which system has each item: ${m.systems.map((s) => `${cell(s.name)} (${s.role})`).join(', ')}. A candidate has a baseline item when it ports it; the rest is placed by key. A peer ports nothing and is never gated.`,
    '',
    ...table(
      ['Item', ...m.systems.map((s) => cell(s.name))],
      m.rows.map((r) => [code(r.display), ...m.systems.map((s) => cell(platformCell(r, s.name)))]),
    ),
    '',
    ...platformFigures(m).map((line) => `- ${line}`),
    '',
  ]
}
