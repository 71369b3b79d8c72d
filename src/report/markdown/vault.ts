/**
 * The Markdown vault: the migration status pages teams keep by hand (an Obsidian vault), written from
 * a RunResult. A pure function: no I/O, no clock; every figure comes from the RunResult (and History
 * for the trend); `writeVault` (write.ts) puts the pages on disk.
 *
 * Pages: `Index.md`, `Coverage.md`, `Comparison.md`, `Components/<name>.md`, `Systems/<name>.md`, each
 * with YAML front matter (`status`, `last_scanned`, `coverage`, `gap_severity`, `tags`, `links`),
 * `[[wikilinks]]` between them, and `VAULT_MARKER` (vault-context.ts) as the last line: text below it is a person's.
 *
 * `status` and `gap_severity` are the run's own (assess/status.ts, assess/gap.ts, carried by every
 * Summary); a page's `status` and `coverage` are for the first candidate, as `run.summary` is, and its
 * `gap_severity` the most severe over all candidates, as `run.gapSeverity` and each component's is.
 */
import type { History } from '../../model/history.js'
import type { RunResult } from '../../model/run.js'
import { renderComparison } from './comparison-page.js'
import { renderComponent } from './component-page.js'
import { renderCoverage } from './coverage-page.js'
import { renderIndex } from './index-page.js'
import { renderSystem } from './system-page.js'
import { safeName, Vault, type VaultOptions } from './vault-context.js'

/**
 * The vault for a run: relative path (`Index.md`, `Components/auth.md`...) -> page content.
 * With a History, the Index, Coverage and Comparison pages get a trend section and component pages
 * the date each item was first ported.
 */
export function renderVault(run: RunResult, history?: History, options: VaultOptions = {}): Map<string, string> {
  const v = new Vault(run, history, options)
  const files = new Map<string, string>()
  files.set('Index.md', renderIndex(v))
  files.set('Coverage.md', renderCoverage(v))
  files.set('Comparison.md', renderComparison(v))
  for (const [name, page] of v.components) files.set(`Components/${page}.md`, renderComponent(v, name))
  for (const s of run.systems) files.set(`Systems/${v.systems.get(s.name) ?? safeName(s.name)}.md`, renderSystem(v, s))
  return files
}
