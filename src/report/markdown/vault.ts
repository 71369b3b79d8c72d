/**
 * The Markdown vault: the migration status pages teams keep by hand (an Obsidian vault), written from
 * a RunResult. A pure function: no I/O, no clock; every figure comes from the RunResult (and History
 * for the trend); `writeVault` (write.ts) puts the pages on disk.
 *
 * Pages: `Index.md`, `Coverage.md`, `Comparison.md`, `Components/<name>.md`, `Systems/<name>.md`, each
 * with YAML front matter (`status`, `last_scanned`, `coverage`, `migration_priority`, `tags`, `links`),
 * `[[wikilinks]]` between them, and {@link VAULT_MARKER} as the last line: text below it is a person's.
 *
 * How `status` and `migration_priority` are derived (from a Summary: a component's or a candidate's
 * figures; a page's `status` and `coverage` are for the first candidate, as `run.summary` is, and its
 * `migration_priority` the most urgent over all candidates):
 * - status: `complete` when nothing is missing or divergent; `not-started` when no baseline item is
 *   present; `partial` otherwise; `excluded` when every item is excluded; `empty` when there is nothing.
 * - migration_priority: `none` when complete, excluded or empty; `critical` when a whole capability, a
 *   WebSocket or SSE endpoint, a service or a table is missing (whole features stop); `high` below 50%
 *   ported or with divergent items; `medium` below 90%; `low` from 90%.
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
