/** How a pair and its item read in the vault: the status marks, a pair's cell in one candidate, an item's name. */
import { isEndpoint, isMcp, type CapabilityUse, type CapabilityUsage, type Item } from '../../model/inventory.js'
import type { ColumnComparison, MatchVia, Pair, PairStatus } from '../../model/run.js'

/** The mark before a status in tables and lists. */
export const MARK: Record<PairStatus, string> = { ported: '✓', verified: '✓✓', divergent: '≠', missing: '✗', excluded: '–', extra: '+' }

/** A pair in one candidate: its status there and the item found, if any. */
export interface Cell {
  status: PairStatus
  candidate: Item | null
  via?: MatchVia
  rule?: string
  column?: ColumnComparison
  /** A capability the candidate has but goes less far with than the baseline. */
  notPorted?: CapabilityUse
}

/** The status of a pair in one candidate; undefined when the pair does not concern it (another's extra). */
export function cellOf(p: Pair, candidate: string): Cell | undefined {
  const m = p.matrix?.[candidate]
  if (m) return m
  if (p.candidateSystem !== candidate) return undefined
  return {
    status: p.status,
    candidate: p.candidate,
    via: p.via,
    rule: p.rule,
    ...(p.column ? { column: p.column } : {}),
    ...(p.notPorted ? { notPorted: p.notPorted } : {}),
  }
}

/** `GET /api/articles/{slug}`, `table users`, `MCP tool search`, `column users.email (text, not null)`. */
export function display(item: Item): string {
  if (isEndpoint(item)) return `${item.method} ${item.path}`
  if (item.kind === 'capability') return item.label
  if (item.kind === 'service') return `service ${item.name}`
  if (item.kind === 'table') return `table ${item.name}`
  if (isMcp(item)) return `MCP ${item.kind.slice(4)} ${item.name}`
  return `column ${item.table}.${item.name} (${item.dbType ?? item.type}${item.nullable ? '' : ', not null'})`
}

/** What a capability usage level says in a table cell. */
export const USE_WORDS: Record<CapabilityUsage, string> = {
  used: 'used at',
  unreached: 'called only off route and job paths, at',
  constructed: 'constructed only at',
  imported: 'imported only at',
}
