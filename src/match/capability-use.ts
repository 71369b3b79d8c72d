/**
 * A capability is ported only as far as the baseline uses it: a baseline that calls Redis on a
 * route path is not ported by a candidate that only builds a Redis client. Levels, lowest first:
 * imported, constructed, unreached (called where no route or job reaches), used.
 */
import type { CapabilityUse, CapabilityUsage, Item, SourceLocation } from '../model/inventory.js'

const RANK: Record<CapabilityUsage, number> = { imported: 0, constructed: 1, unreached: 2, used: 3 }

/**
 * What the candidate has of a capability that it does not port (it goes less far than the
 * baseline), or undefined when it ports it. An inventory saved before usage was measured counts as used.
 */
export function capabilityShortfall(baseline: Item, candidate: Item): CapabilityUse | undefined {
  if (baseline.kind !== 'capability' || candidate.kind !== 'capability' || !candidate.usage) return undefined
  const needed = RANK[baseline.usage?.level ?? 'used']
  return RANK[candidate.usage.level] < needed ? candidate.usage : undefined
}

/** `constructed only at src/cache.rs:12`: what a level says, with its first sites. */
export function usagePhrase(use: CapabilityUse, max = 3): string {
  const at = sitesPhrase(use.at, max)
  if (use.level === 'used') return `used at ${at}`
  if (use.level === 'unreached') return `called only where no route or job reaches, at ${at}`
  return `${use.level} only at ${at}`
}

function sitesPhrase(at: SourceLocation[], max: number): string {
  const shown = at.slice(0, max).map((l) => `${l.file}:${l.line}`)
  return `${shown.join(', ')}${at.length > max ? ` and ${at.length - max} more` : ''}`
}
