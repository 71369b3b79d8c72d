/** HTML fragments every view uses: escaping, status badges, coverage bars, source locations, items. */
import type { Item, SourceLocation } from '../../model/inventory.js'
import type { MigrationStatus, Summary } from '../../model/run.js'
import type { SystemRef } from './state.js'

const STATUS_LABEL: Record<string, string> = {
  ported: 'ported',
  verified: 'verified',
  divergent: 'divergent',
  missing: 'missing',
  consequence: 'likely consequence',
  excluded: 'excluded',
  extra: 'extra',
}

export const KIND_LABEL: Record<string, string> = {
  route: 'Routes',
  websocket: 'WebSocket',
  sse: 'SSE',
  capability: 'Capabilities',
  service: 'Services',
  table: 'Tables',
  column: 'Columns',
}

export function esc(value: unknown): string {
  return String(value == null ? '' : value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

/** Escaped, with the backtick-quoted code of the RunResult's messages as `<code>`. */
export function text(value: unknown): string {
  return esc(value).replace(/`([^`]+)`/g, '<code>$1</code>')
}

export function componentHref(name: string): string {
  return `#/component/${encodeURIComponent(name)}`
}

export function badge(status: string): string {
  return `<span class="badge st-${esc(status)}">${esc(STATUS_LABEL[status] || status)}</span>`
}

export function bar(summary: Summary | null | undefined): string {
  if (!summary || summary.total <= 0) return '<div class="bar bar-empty"></div>'
  const total = summary.total
  const seg = (n: number, cls: string) => (n > 0 ? `<span class="${cls}" style="width:${((100 * n) / total).toFixed(2)}%"></span>` : '')
  return (
    '<div class="bar" role="img" aria-label="' +
    esc(`${summary.percent}% ported`) +
    '">' +
    seg(summary.verified, 'st-verified') +
    seg(summary.ported, 'st-ported') +
    seg(summary.divergent, 'st-divergent') +
    '</div>'
  )
}

export function source(loc: SourceLocation | null | undefined, system: SystemRef | undefined): string {
  if (!loc) return ''
  const root = system?.source ? system.source : ''
  return `<code class="src" title="${esc(root ? `${root}/${loc.file}` : loc.file)}">${esc(`${loc.file}:${loc.line}`)}</code>`
}

export function routeLabel(method: string, path: string): string {
  return `<span class="method m-${esc(String(method).toLowerCase())}">${esc(method)}</span> <span class="path">${esc(path)}</span>`
}

export function displayItem(item: Item | null | undefined): string {
  if (!item) return ''
  if (item.kind === 'route' || item.kind === 'websocket' || item.kind === 'sse') {
    return (
      routeLabel(item.method, item.path) +
      (item.resolvedFrom
        ? ` <span class="resolved-by small muted" title="the scan saw ${esc(item.resolvedFrom.path)}; recorded requests complete it">resolved by traffic</span>`
        : '')
    )
  }
  if (item.kind === 'capability') {
    // How far the system goes with it, and where: a client built and never called is not a port.
    const use = item.usage
    const first = use?.at[0]
    const words = { used: 'used at', unreached: 'called only off route and job paths, at', constructed: 'constructed only at', imported: 'imported only at' }
    return `${esc(item.label || item.name)}${use ? ` <span class="usage small muted">${esc(`${words[use.level]} ${first ? `${first.file}:${first.line}` : ''}${use.at.length > 1 ? ` (+${use.at.length - 1})` : ''}`)}</span>` : ''}`
  }
  if (item.kind === 'column') return `${esc(`${item.table}.${item.name}`)} <span class="muted">${esc(item.dbType ?? item.type)}</span>`
  if (item.kind === 'table' || item.kind === 'service') return esc(item.name)
  return esc(item.key)
}

export function confirmedMark(item: Item | null | undefined): string {
  const confirmed = item && (item.kind === 'route' || item.kind === 'websocket' || item.kind === 'sse') ? item.confirmed : undefined
  if (!confirmed) return ''
  return ` <span class="confirmed small" title="${confirmed === 'tap' ? 'the running system registered it (route tap)' : 'the OpenAPI document the running system serves lists it'}">\u2713 confirmed at run time</span>`
}

/**
 * The status the run carries (assess/status.ts; runs stored before it get it when read back).
 * Excluded-only reads as nothing to port.
 */
export function componentStatus(summary: Summary | null | undefined): Exclude<MigrationStatus, 'excluded'> {
  const st = summary?.status ?? 'empty'
  return st === 'excluded' ? 'empty' : st
}
