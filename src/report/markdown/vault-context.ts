/**
 * What every vault page needs, computed once per run: the systems by role, page names for components
 * and systems, the pairs by component, links to pages and to source lines, front matter and the page
 * frame that ends with {@link VAULT_MARKER}.
 */
import { posix } from 'node:path'
import { stringify } from 'yaml'
import { gapSeverityOf, mostSevere } from '../../assess/gap.js'
import { statusOf as statusFromFigures } from '../../assess/status.js'
import { verifiedPercentOf } from '../../assess/verified.js'
import type { History } from '../../model/history.js'
import type { ItemKind, SourceLocation } from '../../model/inventory.js'
import type { GapSeverity, MigrationStatus, Pair, RunResult, Summary, SystemResult } from '../../model/run.js'
import { cellOf } from './items.js'
import { code, wikilink } from './markup.js'

/** The last line of every generated page: what a person writes below it is kept on re-runs. */
export const VAULT_MARKER = '<!-- parity: everything below this line is yours and is kept -->'

export interface VaultOptions {
  /**
   * Path from the vault folder to the folder the systems' `source` paths are relative to (the config's
   * folder), for links to source files. Default `..`: the vault is a direct subfolder of it.
   */
  sourceBase?: string
}

/** Status of a component or a candidate: as the run carries it, or by the same rule for a run stored before it did. */
export function statusOf(s: Summary | undefined): MigrationStatus {
  return s?.status ?? statusFromFigures(s)
}

/** A component's or a candidate's gap severity: as the run carries it, or by the same rule for a run stored before it did. */
export function gapOf(s: Summary | undefined): GapSeverity {
  return s?.gapSeverity ?? gapSeverityOf(s)
}

/** A file name safe on every OS and inside a wikilink: no `/\:*?"<>|#^[]`. */
export function safeName(name: string): string {
  const s = name
    .replace(/[\\/:*?"<>|#^[\]]/g, '-')
    .replace(/^\.+/, '_')
    .trim()
  return s || '_'
}

/** Unique page names (case-insensitive, for macOS and Windows) for a list of names. */
function pageNames(names: string[]): Map<string, string> {
  const out = new Map<string, string>()
  const taken = new Set<string>()
  for (const n of names) {
    let s = safeName(n)
    for (let i = 2; taken.has(s.toLowerCase()); i++) s = `${safeName(n)}-${i}`
    taken.add(s.toLowerCase())
    out.set(n, s)
  }
  return out
}

/** Verified share in percent, as the run carries it or by the same rule for an older run (null when there is nothing to port). */
export function verifiedPercent(s: Summary | undefined): number | null {
  return s?.total ? (s.verifiedPercent ?? verifiedPercentOf(s)) : null
}

/** Everything a page needs, computed once. */
export class Vault {
  readonly baseline: SystemResult | undefined
  readonly candidates: SystemResult[]
  readonly first: string | undefined
  readonly components: Map<string, string>
  readonly systems: Map<string, string>
  readonly byComponent = new Map<string, Pair[]>()
  readonly evidence: boolean
  readonly history: History | undefined
  private readonly sourceBase: string

  constructor(
    readonly run: RunResult,
    history: History | undefined,
    options: VaultOptions,
  ) {
    this.history = history?.runs.length ? history : undefined
    this.baseline = run.systems.find((s) => s.role === 'baseline')
    this.candidates = run.systems.filter((s) => s.role === 'candidate')
    this.first = this.candidates[0]?.name
    this.components = pageNames(run.components.map((c) => c.name))
    this.systems = pageNames(run.systems.map((s) => s.name))
    for (const p of run.pairs) {
      const list = this.byComponent.get(p.component)
      if (list) list.push(p)
      else this.byComponent.set(p.component, [p])
    }
    // Components that have pairs but no summary (should not happen) still get a page.
    for (const name of this.byComponent.keys())
      if (!this.components.has(name)) this.components.set(name, pageNames([...this.components.values(), name]).get(name)!)
    this.evidence = Object.values(run.candidates).some((s) => s.verified + s.divergent > 0)
    this.sourceBase = options.sourceBase ?? '..'
  }

  /** `[[Components/<page>|<name>]]`. */
  componentLink(name: string, inTable = false): string {
    const page = this.components.get(name) ?? safeName(name)
    return wikilink(`Components/${page}`, name, inTable)
  }

  /** `[[Systems/<page>|<name>]]`. */
  systemLink(name: string, inTable = false): string {
    const page = this.systems.get(name) ?? safeName(name)
    return wikilink(`Systems/${page}`, name, inTable)
  }

  /** A component's figures in one candidate (the first by default). */
  componentSummary(name: string, candidate = this.first): Summary | undefined {
    if (!candidate) return undefined
    return this.run.components.find((c) => c.name === name)?.candidates[candidate]
  }

  /** Gap severity of a component over all candidates (of the whole run without a name): as carried, or by the same rule for an older run. */
  gap(component?: string): GapSeverity {
    const carried = component === undefined ? this.run.gapSeverity : this.run.components.find((c) => c.name === component)?.gapSeverity
    return (
      carried ?? mostSevere(this.candidates.map((c) => gapOf(component === undefined ? this.run.candidates[c.name] : this.componentSummary(component, c.name))))
    )
  }

  /** A link to a source location; `depth` is how deep the page is in the vault (0 or 1). */
  source(systemName: string | undefined, loc: SourceLocation | undefined, depth: number): string {
    if (!loc) return ''
    const text = `${loc.file}:${loc.line}`
    const sys = this.run.systems.find((s) => s.name === systemName)
    if (sys?.sourceKind !== 'tree') return code(text)
    const target = posix.isAbsolute(sys.source)
      ? `file://${posix.join(sys.source, loc.file)}`
      : posix.join('../'.repeat(depth) + this.sourceBase, sys.source, loc.file)
    return `[${text}](<${target}#L${loc.line}>)`
  }

  /** The YAML front matter: the page's fields, then what every page says about the run. */
  frontMatter(fields: Record<string, unknown>, tags: string[], links: string[]): string {
    const fm = {
      ...fields,
      last_scanned: this.run.startedAt,
      baseline: this.baseline?.name,
      candidates: this.candidates.map((c) => c.name),
      run: this.run.id,
      commit: this.run.git?.commit,
      generated_by: `${this.run.tool.name} ${this.run.tool.version}`,
      tags: ['parity', 'migration', ...tags.map((t) => t.replace(/[^\p{L}\p{N}_/-]/gu, '-'))],
      links,
    }
    return `---\n${stringify(fm, { lineWidth: 0 })}---\n`
  }

  /** A whole page: front matter, the body (runs of blank lines folded) and the marker last. */
  page(fields: Record<string, unknown>, tags: string[], links: string[], body: string[]): string {
    return `${this.frontMatter(fields, tags, links)}\n${body
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim()}\n\n${VAULT_MARKER}\n`
  }

  /** Overall front-matter fields for the first candidate. */
  overall(): Record<string, unknown> {
    return {
      status: statusOf(this.first ? this.run.candidates[this.first] : undefined),
      coverage: this.run.summary.percent,
      verified: this.evidence ? verifiedPercent(this.run.summary) : undefined,
      gap_severity: this.gap(),
    }
  }

  /** The links to the three top pages. */
  nav(): string {
    return `${wikilink('Index')} · ${wikilink('Coverage')} · ${wikilink('Comparison')}`
  }

  /** Missing baseline pairs of a kind, per candidate. */
  missingOf(kind: ItemKind, candidate: string): Pair[] {
    return this.run.pairs.filter((p) => p.kind === kind && p.baseline && cellOf(p, candidate)?.status === 'missing')
  }

  /** The verdict; null without gates. */
  productionReady(): boolean | null {
    const a = this.run.assessment
    if (!a || a.gates.length === 0) return null
    return a.verdict.productionReady
  }
}
