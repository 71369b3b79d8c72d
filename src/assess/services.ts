/**
 * Service by service: each baseline service's port in each candidate (the candidate service paired
 * with it), how many of its endpoints the port has, and the headline teams write on their status
 * pages, "Rust 2 + Go 3 of 15 services". A service is migrated when its port has every one of its
 * endpoints, partly when it has a port that lacks some, not started when it has none.
 */
import { pushTo } from '../model/collections.js'
import { isEndpoint, type ServiceItem } from '../model/inventory.js'
import { languageName } from '../model/words.js'
import type { CandidateCell, Pair, ServiceLanguageFigure, ServiceMigration, ServicePort, ServiceRow } from '../model/run.js'

const PRESENT = new Set(['ported', 'verified', 'divergent'])

/** Undefined when the baseline has no service. */
export function serviceMigration(pairs: readonly Pair[], candidateNames: readonly string[]): ServiceMigration | undefined {
  const first = candidateNames[0] ?? ''
  const cellOf = (p: Pair, candidate: string): CandidateCell | undefined =>
    p.matrix ? p.matrix[candidate] : candidate === first ? { status: p.status, candidate: p.candidate } : undefined
  const services = pairs.filter((p) => p.kind === 'service' && p.baseline?.kind === 'service' && p.status !== 'excluded')
  if (!services.length) return undefined
  // A tree of one service tags no item: every endpoint is that service's.
  const sole = services.length === 1 ? (services[0]!.baseline as ServiceItem).name : undefined
  const endpointsOf = new Map<string, Pair[]>()
  for (const p of pairs) {
    if (!p.baseline || !isEndpoint(p.baseline) || p.status === 'excluded') continue
    const service = p.baseline.service ?? sole
    if (service) pushTo(endpointsOf, service, p)
  }
  const rows: ServiceRow[] = services.map((p) => {
    const base = p.baseline as ServiceItem
    const endpoints = endpointsOf.get(base.name) ?? []
    const candidates: Record<string, ServicePort> = {}
    for (const name of candidateNames) {
      const cell = cellOf(p, name)
      const port = cell && PRESENT.has(cell.status) && cell.candidate?.kind === 'service' ? cell.candidate : undefined
      const ported = port ? endpoints.filter((e) => PRESENT.has(cellOf(e, name)?.status ?? '')).length : 0
      const of = endpoints.length
      const percent = !port ? 0 : of ? Math.round((ported / of) * 1000) / 10 : 100
      candidates[name] = {
        status: !port ? 'not-started' : ported === of ? 'migrated' : 'partly',
        ...(port ? { service: port.name, language: port.language, ...(port.port !== undefined ? { port: port.port } : {}) } : {}),
        ported,
        of,
        percent,
      }
    }
    return { service: base.name, language: base.language, ...(base.port !== undefined ? { port: base.port } : {}), candidates }
  })
  const figures = new Map<string, ServiceLanguageFigure>()
  for (const row of rows) {
    // A service ported to one language twice (two Go candidates) counts once for it.
    const best = new Map<string, ServicePort>()
    for (const port of Object.values(row.candidates)) {
      if (port.status === 'not-started' || !port.language) continue
      const seen = best.get(port.language)
      if (!seen || (seen.status === 'partly' && port.status === 'migrated')) best.set(port.language, port)
    }
    for (const [language, port] of best) {
      const f = figures.get(language) ?? { language, withPort: 0, migrated: 0, partly: 0 }
      f.withPort++
      if (port.status === 'migrated') f.migrated++
      else f.partly++
      figures.set(language, f)
    }
  }
  const byLanguage = [...figures.values()].sort((a, b) => a.withPort - b.withPort || a.language.localeCompare(b.language))
  const notStarted = rows.filter((r) => Object.values(r.candidates).every((c) => c.status === 'not-started')).length
  const named = byLanguage.map((f) => `${languageName(f.language)} ${f.withPort}`).join(' + ')
  const headline = `${named || '0'} of ${rows.length} service${rows.length === 1 ? '' : 's'}`
  return { total: rows.length, rows, byLanguage, notStarted, headline }
}
