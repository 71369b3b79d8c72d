/** The terminal view of `parity status`: one row per system, service and MCP server. A pure function. */
import type { SystemStatus } from '../model/status.js'
import { textTable } from './text-table.js'

/** `up`, `down`... with what stands for the check: `up (http 200)`, `up (tcp)`. */
export function stateText(s: SystemStatus): string {
  if (s.state === 'up') return s.check === 'http' ? `up (${s.httpStatus})` : 'up (tcp)'
  if (s.state === 'on-demand') return 'not running'
  return s.state
}

/** `12.3 ms`, or `–` when nothing was timed. */
export function msText(ms: number | undefined): string {
  return ms === undefined ? '–' : `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`
}

export function renderStatusTable(entries: readonly SystemStatus[]): string {
  const rows = entries.map((s) => [
    s.name,
    s.kind,
    s.role,
    s.url ?? (s.port ? `:${s.port}` : '–'),
    stateText(s),
    msText(s.responseMs),
    s.version ? `${s.version}${s.versionFrom ? ` (${s.versionFrom})` : ''}` : '–',
    s.owner ?? '–',
    s.note ?? '',
  ])
  const up = entries.filter((s) => s.state === 'up').length
  const down = entries.filter((s) => s.state === 'down').length
  const lines = textTable(['Name', 'Kind', 'Role', 'Address', 'State', 'Time', 'Version', 'Process', 'Note'], rows, new Set([5]))
  return `${lines.join('\n')}\n\n${up} up, ${down} down, ${entries.length - up - down} not checked\n`
}
