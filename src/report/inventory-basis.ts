/**
 * What every coverage figure rests on: the endpoints each system's scan found, and those it could
 * not resolve (a prefix from configuration, a computed path). Every report states it before any
 * percentage, and calls a percentage a lower bound while some are unresolved.
 */
import type { RunResult, SystemResult } from '../model/run.js'

export interface InventoryBasis {
  systems: Array<{
    name: string
    role: SystemResult['role']
    found: number
    unresolved: number
    runtime?: SystemResult['runtime']
    /** FRAMEWORK_NOT_SUPPORTED: web frameworks its manifests name that parity does not read, as sentences. */
    unsupported: string[]
  }>
  /** Unresolved endpoints over the baseline and the candidates (a peer's rest on no figure of ports). */
  unresolved: number
}

export function inventoryBasis(run: RunResult): InventoryBasis {
  const systems = run.systems.map((s) => ({
    name: s.name,
    role: s.role,
    found: (s.items.route ?? 0) + (s.items.websocket ?? 0) + (s.items.sse ?? 0),
    unresolved: s.unresolved ?? 0,
    ...(s.runtime ? { runtime: s.runtime } : {}),
    unsupported: s.diagnostics.filter((d) => d.code === 'FRAMEWORK_NOT_SUPPORTED').map((d) => d.message),
  }))
  // A peer's unresolved endpoints make no figure of ports a lower bound: it has none.
  return { systems, unresolved: systems.reduce((n, s) => n + (s.role === 'peer' ? 0 : s.unresolved), 0) }
}

/** `30 routes found, 2 unresolved`. */
export function foundPhrase(s: { found: number; unresolved: number }): string {
  return `${s.found.toLocaleString('en-US')} route${s.found === 1 ? '' : 's'} found, ${s.unresolved} unresolved`
}

/** The sentence after a percentage that rests on unresolved routes; empty when none is. */
export function lowerBoundNote(basis: InventoryBasis): string {
  const n = basis.unresolved
  return n
    ? `a lower bound: ${n} route${n === 1 ? '' : 's'} could not be resolved statically and count as not ported unless a map rule pairs ${n === 1 ? 'it' : 'them'}`
    : ''
}

/**
 * What the running system showed of its routes: `31 registered at run time (route tap): 30 confirmed
 * by the scan, 1 found only at run time, 2 scan routes not seen`; the reason when nothing was read.
 */
export function runtimePhrase(r: NonNullable<SystemResult['runtime']>): string {
  if (!r.via.length) return `not confirmed at run time: ${r.notes[0] ?? 'nothing was read'}`
  const how = r.via.map((v) => (v === 'tap' ? 'route tap' : `OpenAPI ${r.openapi ?? ''}`.trim())).join(' and ')
  const parts = [`${r.confirmed} confirmed by the scan`, `${r.scanMissed.length} found only at run time`]
  if (r.notSeen.length) parts.push(`${r.notSeen.length} scan route${r.notSeen.length === 1 ? '' : 's'} not seen`)
  if (r.resolved.length) parts.push(`${r.resolved.length} unresolved completed`)
  return `${r.routes} route${r.routes === 1 ? '' : 's'} at run time (${how}): ${parts.join(', ')}`
}
