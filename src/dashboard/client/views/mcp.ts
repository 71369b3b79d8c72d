/** MCP (`#/mcp`): what each server said, the tool checklist, and the latency per tool. */
import type { McpBenchEntry } from '../../../model/mcp.js'
import { niceTicks, seriesColor } from '../charts.js'
import { fmtInt, fmtMs, fmtRatio } from '../format.js'
import { badge, esc, text } from '../html.js'
import { distinct, hasMcp, mcpSystems, type McpSystem } from '../run-facts.js'
import type { LoadedRun } from '../state.js'

const MCP_STATUSES = ['verified', 'ported', 'divergent', 'missing', 'extra']
const MCP_KIND: Record<string, string> = { 'mcp-tool': 'tool', 'mcp-resource': 'resource', 'mcp-prompt': 'prompt' }

export function mcpView(d: LoadedRun): string {
  if (!hasMcp(d.run)) return '<main class="wrap" id="view-mcp"><h2>MCP</h2><p class="muted">No MCP server was probed or measured in this run.</p></main>'
  return `<main class="wrap" id="view-mcp"><h2>MCP parity <span class="muted small">tools, schemas, results and latency of both servers</span></h2>${mcpServersBlock(d)}${mcpChecklist(d)}${mcpLatency(d)}</main>`
}

function mcpColor(systems: McpSystem[], name: string): string {
  const i = systems.findIndex((s) => s.name === name)
  return seriesColor(Math.max(i, 0))
}

/** Some call answered without error (a tool whose every call errored has no latency); figures from before calls were counted have one. */
function timed(e: McpBenchEntry): boolean {
  return e.latency.count !== 0
}

function mcpEntry(d: LoadedRun, tool: string, system: string): McpBenchEntry | null {
  return (d.run.mcpBench || []).find((e) => e.tool === tool && e.system === system) || null
}

function mcpServersBlock(d: LoadedRun): string {
  const servers = d.run.mcpServers || {}
  const names = Object.keys(servers)
  if (!names.length) return ''
  return (
    '<section class="mcp-block"><h3>Servers</h3><table class="list" id="mcp-servers"><thead><tr><th>System</th><th>serverInfo</th><th>Protocol</th><th class="num">initialize</th><th>Instructions</th></tr></thead><tbody>' +
    names
      .map((n) => {
        const s = servers[n]!
        return (
          '<tr data-system="' +
          esc(n) +
          '"><td><strong>' +
          esc(n) +
          '</strong></td><td><code>' +
          esc(`${s.serverInfo.name} ${s.serverInfo.version}`) +
          '</code></td><td>' +
          esc(s.protocolVersion) +
          '</td>' +
          '<td class="num">' +
          fmtMs(s.initializeMs) +
          ' ms</td><td class="small">' +
          esc(s.instructions || '') +
          '</td></tr>'
        )
      })
      .join('') +
    '</tbody></table><p class="muted small">serverInfo versions are expected to differ; they are not findings.</p></section>'
  )
}

function mcpChecklist(d: LoadedRun): string {
  const tools = d.run.tools || []
  if (!tools.length) return ''
  const counts: Record<string, number> = {}
  tools.forEach((t) => {
    counts[t.status] = (counts[t.status] || 0) + 1
  })
  return (
    '<section class="mcp-block"><h3>Tool checklist</h3><ul class="counts" id="mcp-counts">' +
    MCP_STATUSES.filter((s) => counts[s])
      .map((s) => `<li data-status="${s}">${badge(s)} <b>${counts[s]}</b></li>`)
      .join('') +
    '</ul>' +
    '<table class="list" id="mcp-tools"><thead><tr><th>Name</th><th>Kind</th><th>Status</th><th class="num">Calls</th><th>Changes</th></tr></thead><tbody>' +
    tools
      .map((t) => {
        const changes = (t.changes || [])
          .map(
            (c) =>
              '<li class="mcp-change' +
              (c.breaking ? ' breaking' : '') +
              '" data-kind="' +
              esc(c.kind) +
              '">' +
              (c.breaking ? '<span class="badge st-missing">breaking</span> ' : '') +
              '<span class="muted">' +
              esc(c.kind) +
              '</span> ' +
              text(c.detail) +
              (c.pointer ? ` <code class="small">${esc(c.pointer)}</code>` : '') +
              '</li>',
          )
          .join('')
        return (
          '<tr data-tool="' +
          esc(t.name) +
          '" data-status="' +
          esc(t.status) +
          '"><td><code>' +
          esc(t.name) +
          '</code></td><td>' +
          esc(MCP_KIND[t.kind] || t.kind) +
          '</td><td>' +
          badge(t.status) +
          '</td>' +
          '<td class="num">' +
          (t.calls ? esc(`${t.calls.equivalent}/${t.calls.total}`) : '') +
          '</td><td>' +
          (changes ? `<ul class="mcp-changes">${changes}</ul>` : '<span class="muted">\u2014</span>') +
          '</td></tr>'
        )
      })
      .join('') +
    '</tbody></table></section>'
  )
}

// Horizontal bars: per tool, one bar per system, length = p95.
function mcpP95Chart(d: LoadedRun, systems: McpSystem[], tools: string[]): string {
  let max = 0
  tools.forEach((t) => {
    systems.forEach((s) => {
      const e = mcpEntry(d, t, s.name)
      if (e && timed(e)) max = Math.max(max, e.latency.p95)
    })
  })
  if (!(max > 0)) return ''
  const ticks = niceTicks(max, 5)
  const top = ticks[ticks.length - 1]!
  const L = 170,
    R = 60,
    T = 10,
    barH = 14,
    gap = 10,
    W = 880
  const groupH = systems.length * barH + gap
  const H = T + tools.length * groupH + 28
  const x = (v: number) => L + (W - L - R) * (v / top)
  let svg = `<svg class="chart" id="mcp-p95-chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="p95 latency per tool and system">`
  ticks.forEach((v) => {
    svg +=
      '<line class="grid" x1="' +
      x(v).toFixed(1) +
      '" x2="' +
      x(v).toFixed(1) +
      '" y1="' +
      T +
      '" y2="' +
      (H - 24) +
      '"></line>' +
      '<text class="axis" x="' +
      x(v).toFixed(1) +
      '" y="' +
      (H - 8) +
      '" text-anchor="middle">' +
      esc(fmtMs(v)) +
      '</text>'
  })
  tools.forEach((t, ti) => {
    const y0 = T + ti * groupH
    svg += `<text class="axis" x="${L - 8}" y="${(y0 + (systems.length * barH) / 2 + 4).toFixed(1)}" text-anchor="end">${esc(t)}</text>`
    systems.forEach((s, si) => {
      const e = mcpEntry(d, t, s.name)
      if (!e || !timed(e)) return
      const y = y0 + si * barH
      svg +=
        '<rect class="mcp-bar" data-tool="' +
        esc(t) +
        '" data-system="' +
        esc(s.name) +
        '" x="' +
        L +
        '" y="' +
        y +
        '" height="' +
        (barH - 2) +
        '" width="' +
        Math.max(1, x(e.latency.p95) - L).toFixed(1) +
        '" fill="' +
        mcpColor(systems, s.name) +
        '">' +
        '<title>' +
        esc(`${s.name} ${t}: p95 ${fmtMs(e.latency.p95)} ms`) +
        '</title></rect>' +
        '<text class="axis" x="' +
        (x(e.latency.p95) + 4).toFixed(1) +
        '" y="' +
        (y + barH - 4) +
        '">' +
        esc(fmtMs(e.latency.p95)) +
        '</text>'
    })
  })
  svg += `<text class="axis" x="${(L + W - R) / 2}" y="${H + 4}" text-anchor="middle"></text></svg>`
  return `<div class="chart-box"><h4>p95 per tool (ms)</h4>${svg}<div class="legend">${systems
    .map((s) => `<span class="swatch" style="background:${mcpColor(systems, s.name)}"></span>${esc(s.name)}`)
    .join(' ')}</div></div>`
}

function mcpLatency(d: LoadedRun): string {
  const entries = d.run.mcpBench || []
  const first = entries[0]
  if (!first) return ''
  const systems = mcpSystems(d.run)
  const tools = distinct(entries, (e) => e.tool)
  const base = systems.find((s) => s.role === 'baseline')
  const cand = systems.find((s) => s.role === 'candidate')
  const head =
    '<tr><th rowspan="2">Tool</th>' +
    systems
      .map((s) => `<th colspan="6" class="sys-head"><span class="swatch" style="background:${mcpColor(systems, s.name)}"></span>${esc(s.name)}</th>`)
      .join('') +
    (base && cand ? '<th rowspan="2" class="num">p95 ratio</th>' : '') +
    '</tr><tr>' +
    systems
      .map(
        () =>
          '<th class="num">p50</th><th class="num">p95</th><th class="num">p99</th><th class="num">samples</th><th class="num">calls/s</th><th class="num">err</th>',
      )
      .join('') +
    '</tr>'
  const body = tools
    .map((t) => {
      const cells = systems
        .map((s) => {
          const e = mcpEntry(d, t, s.name)
          if (!e) return '<td class="num" colspan="6">\u2014</td>'
          if (!timed(e))
            return `<td class="num warn-text" colspan="5" data-system="${esc(s.name)}" data-col="untimed">every call errored: no latency</td><td class="num warn-text" data-col="errors">${e.errors}</td>`
          return (
            '<td class="num" data-system="' +
            esc(s.name) +
            '" data-col="p50">' +
            fmtMs(e.latency.p50) +
            '</td><td class="num" data-system="' +
            esc(s.name) +
            '" data-col="p95">' +
            fmtMs(e.latency.p95) +
            '</td>' +
            '<td class="num" data-col="p99">' +
            fmtMs(e.latency.p99) +
            '</td><td class="num" data-col="samples">' +
            (e.latency.count === undefined ? '\u2014' : fmtInt(e.latency.count)) +
            '</td><td class="num" data-col="cps">' +
            fmtInt(e.callsPerSecond) +
            '</td><td class="num' +
            (e.errors ? ' warn-text' : '') +
            '" data-col="errors">' +
            e.errors +
            '</td>'
          )
        })
        .join('')
      let ratio = ''
      if (base && cand) {
        const b = mcpEntry(d, t, base.name),
          c = mcpEntry(d, t, cand.name)
        ratio = `<td class="num" data-col="ratio">${b && c && timed(b) && timed(c) && b.latency.p95 > 0 ? fmtRatio(c.latency.p95 / b.latency.p95) : '\u2014'}</td>`
      }
      return `<tr data-tool="${esc(t)}"><td><code>${esc(t)}</code></td>${cells}${ratio}</tr>`
    })
    .join('')
  const facts = systems
    .map((s) => {
      const parts: string[] = []
      if (s.startup) parts.push(`cold start ${fmtMs(s.startup.median)} ms (median of ${s.startup.runs})`)
      if (s.rss != null) parts.push(`RSS peak ${s.rss.toFixed(0)} MiB`)
      if (s.cpu != null) parts.push(`CPU ${s.cpu.toFixed(0)}% of a core under load`)
      return parts.length ? `<li data-system="${esc(s.name)}"><strong>${esc(s.name)}</strong>: ${esc(parts.join(', '))}</li>` : ''
    })
    .join('')
  return (
    '<section class="mcp-block"><h3>Latency per tool</h3><p class="muted small">' +
    esc(
      `${first.calls} calls per trial, ${first.trials ? first.trials.length : 1} trial(s) per tool alternating between the systems, ${first.concurrency} in flight on one session; ms of the calls that answered, errors counted apart.`,
    ) +
    '</p>' +
    '<table class="list" id="mcp-latency"><thead>' +
    head +
    '</thead><tbody>' +
    body +
    '</tbody></table>' +
    (facts ? `<ul class="mcp-facts" id="mcp-facts">${facts}</ul>` : '') +
    (d.run.mcpBenchComparisons || [])
      .map(
        (c) => `<p class="small" data-tool="${esc(c.scenario)}"><code>${esc(c.scenario)}</code> ${esc(c.candidate)} vs ${esc(c.baseline)}: ${text(c.note)}</p>`,
      )
      .join('') +
    mcpP95Chart(d, systems, tools) +
    '</section>'
  )
}
