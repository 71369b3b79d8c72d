/**
 * What the CI formats (JUnit, GitHub) share: the status of each baseline item in each candidate,
 * source paths made relative to the repository root, and the findings a ledger accepted.
 * Pure functions of RunResult.
 */
import { posix } from 'node:path'
import type { Item, ItemKind } from '../model/inventory.js'
import type { Finding, Pair, PairStatus, RunResult } from '../model/run.js'

/** Options shared by the CI renderers. */
export interface CiOptions {
  /**
   * The folder parity ran in, relative to the repository root (`examples` for a run started in
   * `examples/`). Default: the repository root itself. Each system's `source` is relative to it.
   */
  base?: string
  /** The repository root as an absolute path: systems given by an absolute path are made relative to it. */
  repoRoot?: string
  /** By system name: its source folder relative to the repository root, overriding the derived one. */
  sources?: Record<string, string>
}

/** A baseline item as one candidate has it. */
export interface CandidateStatus {
  pair: Pair
  baseline: Item
  candidate: string
  status: PairStatus
  counterpart: Item | null
  /** Set when the assessment's ledger accepts this finding. */
  accepted?: string
}

export function candidateNames(run: RunResult): string[] {
  return run.systems.filter((s) => s.role === 'candidate').map((s) => s.name)
}

export function baselineName(run: RunResult): string {
  return run.systems.find((s) => s.role === 'baseline')?.name ?? 'baseline'
}

function findingKey(type: string, kind: ItemKind, key: string, candidate: string): string {
  return `${type}\u0000${kind}\u0000${key}\u0000${candidate}`
}

/** Accepted findings of the assessment, by type, kind, key and candidate, with the ledger's reason. */
function acceptedFindings(run: RunResult): Map<string, string> {
  const out = new Map<string, string>()
  for (const f of run.assessment?.findings ?? ([] as Finding[])) {
    // A missing capability or table is a `missing` item here.
    const type = f.type === 'missing-capability' || f.type === 'missing-table' ? 'missing' : f.type
    if (f.accepted) out.set(findingKey(type, f.kind, f.key, f.candidate), f.accepted.reason)
  }
  return out
}

/**
 * Every baseline item (columns included) with its status in one candidate, in RunResult order. A run
 * with one candidate has no `matrix`: the pair's own status is that candidate's.
 */
export function statusesIn(run: RunResult, candidate: string): CandidateStatus[] {
  const accepted = acceptedFindings(run)
  const out: CandidateStatus[] = []
  for (const pair of run.pairs) {
    if (!pair.baseline) continue
    const cell = pair.matrix ? pair.matrix[candidate] : pair.candidateSystem === candidate ? { status: pair.status, candidate: pair.candidate } : undefined
    if (!cell) continue
    const entry: CandidateStatus = { pair, baseline: pair.baseline, candidate, status: cell.status, counterpart: cell.candidate }
    if (cell.status === 'missing' || cell.status === 'divergent') {
      const reason = accepted.get(findingKey(cell.status, pair.kind, pair.key, candidate))
      if (reason !== undefined) entry.accepted = reason
    }
    out.push(entry)
  }
  return out
}

/** Candidate-only items of one candidate. */
export function extrasIn(run: RunResult, candidate: string): Item[] {
  return run.pairs.filter((p) => !p.baseline && p.candidate && p.candidateSystem === candidate).map((p) => p.candidate!)
}

/**
 * Columns are not counted on their own (they follow their tables, as in the summary). The missing
 * columns worth reporting are those of a table the candidate has: by table key, the column names.
 */
export function missingColumnsOfPresentTables(statuses: CandidateStatus[]): Map<string, CandidateStatus[]> {
  const present = new Set(statuses.filter((s) => s.pair.kind === 'table' && s.counterpart).map((s) => s.pair.key))
  const out = new Map<string, CandidateStatus[]>()
  for (const s of statuses) {
    if (s.pair.kind !== 'column' || s.status !== 'missing' || s.baseline.kind !== 'column') continue
    const table = `table ${s.baseline.table.toLowerCase()}`
    if (!present.has(table)) continue
    const list = out.get(table) ?? []
    list.push(s)
    out.set(table, list)
  }
  return out
}

/**
 * The path of an item's source file relative to the repository root. A system's `source` is
 * relative to the folder parity ran in (`options.base` from the root); item files are relative to
 * the scanned folder, or to the OpenAPI document's folder (an `openapi` or `inventory` source is a
 * file: its folder is used).
 */
export function repoPath(run: RunResult, system: string, file: string, options: CiOptions = {}): string {
  const slash = (p: string) => p.replaceAll('\\', '/')
  const override = options.sources?.[system]
  let folder: string
  if (override !== undefined) folder = slash(override)
  else {
    const s = run.systems.find((x) => x.name === system)
    let source = slash(s?.source ?? '.')
    if (s && s.sourceKind !== 'tree') source = posix.dirname(source)
    if (posix.isAbsolute(source) || /^[a-z]:\//i.test(source)) {
      folder = options.repoRoot ? posix.relative(slash(options.repoRoot), source) : source
    } else folder = posix.join(slash(options.base ?? '.'), source)
  }
  const joined = posix.join(folder, slash(file))
  return joined.startsWith('./') ? joined.slice(2) : joined
}

/** `file:line` of an item, relative to the repository root. */
export function repoLocation(run: RunResult, system: string, item: Item, options: CiOptions = {}): string {
  return `${repoPath(run, system, item.source.file, options)}:${item.source.line}`
}
