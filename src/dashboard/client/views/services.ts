/**
 * The service table of a tree of several services (RunResult.services): the headline teams lead
 * with ("Rust 2 + Go 3 of 15 services"), the figures it rests on, and one row per baseline service
 * and port with a bar of its ported (and verified) share, and req/s and RSS when benched.
 */
import type { ServiceStatus } from '../../../model/run.js'
import { endpointLines, serviceExtraColumns, serviceLine, serviceTableRows } from '../../../model/service-table.js'
import { esc } from '../html.js'
import type { LoadedRun } from '../state.js'

const STATUS_CLASS: Record<string, ServiceStatus> = { migrated: 'migrated', partly: 'partly', 'not started': 'not-started' }

export function servicesBlock(d: LoadedRun): string {
  const m = d.run.services
  if (!m || m.total < 2) return ''
  const rows = serviceTableRows(m)
  const extra = serviceExtraColumns(rows)
  const body = rows
    .map((r) => {
      const share = Number.parseFloat(r.percent) || 0
      const status = STATUS_CLASS[r.status] ?? 'not-started'
      return (
        `<tr data-service="${esc(r.service)}" class="svc-${status}"><td><strong>${esc(r.service)}</strong></td><td>${esc(r.language)}</td><td class="num">${esc(r.port)}</td>` +
        `<td>${r.portService === '—' ? '—' : `<code>${esc(r.portService)}</code>`}</td><td><span class="badge svc-st-${status}">${esc(r.status)}</span></td>` +
        `<td class="num">${esc(r.ported)}</td><td><div class="bar" role="img" aria-label="${esc(`${r.percent} ported`)}"><span class="st-ported" style="width:${share.toFixed(2)}%"></span></div> ${esc(r.percent)}</td>` +
        extra.map((c) => `<td class="num">${esc(r[c.key] ?? '')}</td>`).join('') +
        '</tr>'
      )
    })
    .join('')
  return (
    '<section id="services"><h2>Services</h2>' +
    `<p class="services-headline"><strong>${esc(m.headline)}</strong></p><ul class="services-figures">` +
    `<li>${esc(serviceLine(m, 'migrated'))} (${esc(m.rule?.text ?? 'every endpoint in the port')})</li>` +
    `<li>${esc(serviceLine(m, 'partly'))}</li><li>${esc(`${m.notStarted} of ${m.total} services not started`)}</li>` +
    endpointLines(m)
      .map((l) => `<li${l.startsWith('  ') ? ' class="sub"' : ''}>${esc(l.trim())}</li>`)
      .join('') +
    '</ul><table class="list" id="service-table"><thead><tr><th>Service</th><th>Language</th><th class="num">Port</th><th>Port service</th><th>Status</th><th class="num">Ported</th><th>Ported %</th>' +
    extra.map((c) => `<th class="num">${c.title}</th>`).join('') +
    `</tr></thead><tbody>${body}</tbody></table></section>`
  )
}
