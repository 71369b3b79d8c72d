/**
 * The "## Running services" section of the vault's Index page: the last `parity status` of the
 * run, one row per system, service and MCP server.
 */
import type { RunResult } from '../../model/run.js'
import { msText, stateText } from '../status-table.js'
import { cell, code } from './markup.js'

/** Lines of the section; empty when the run has no status. */
export function statusMarkdown(run: RunResult): string[] {
  const status = run.status
  if (!status) return []
  const out = ['## Running services', '', `As checked at ${status.checkedAt.slice(0, 16).replace('T', ' ')} UTC (\`parity status\` for now).`, '']
  if (!status.entries.length) return [...out, 'Nothing to check: no system has a url or a fixed port, and no service states its port.', '']
  out.push('| Name | Kind | Address | State | Time | Version | Process | Note |', '| --- | --- | --- | --- | ---: | --- | --- | --- |')
  for (const s of status.entries) {
    const address = s.url ?? (s.port ? `:${s.port}` : '')
    const state = s.state === 'up' ? `**${stateText(s)}**` : stateText(s)
    const version = s.version ? `${cell(s.version)}${s.versionFrom ? ` (${cell(s.versionFrom)})` : ''}` : '—'
    out.push(
      `| ${cell(s.name)} | ${s.kind} | ${address ? code(address) : '—'} | ${state} | ${msText(s.responseMs)} | ${version} | ${s.owner ? code(s.owner) : '—'} | ${cell(s.note ?? '')} |`,
    )
  }
  out.push('')
  return out
}
