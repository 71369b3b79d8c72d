/**
 * Service by service: each baseline service's port in each candidate (the candidate service paired
 * with it), how many of its endpoints the port has, and the headline teams write on their status
 * pages, "Rust 2 + Go 3 of 15 services". A service is migrated when its port meets the rule (by
 * default: every one of its endpoints; config `services.migrated`), partly when it has a port that
 * does not, not started when it has none. Endpoint figures are given over the whole baseline and
 * inside the services a candidate ports, per candidate and per language of the ports.
 */
import { pushTo } from '../model/collections.js'
import { isEndpoint, type ServiceItem } from '../model/inventory.js'
import { languageName, plural } from '../model/words.js'
import type {
  CandidateCell,
  CandidateEndpoints,
  MigratedRule,
  Pair,
  PairStatus,
  ServiceLanguageFigure,
  ServiceMigration,
  ServicePort,
  ServiceRow,
} from '../model/run.js'

const PRESENT = new Set<PairStatus | ''>(['ported', 'verified', 'divergent'])

/** Every endpoint in the port, none required verified. */
export const DEFAULT_MIGRATED_RULE: MigratedRule = { ported: 1, verified: 0, text: 'every endpoint in the port' }

const pct = (n: number, of: number) => (of ? Math.round((n / of) * 1000) / 10 : 0)
const share = (x: number) => `${Math.round(x * 1000) / 10}%`

/** The rule from the config's `services.migrated` (shares 0..1), in words. */
export function migratedRule(config?: { ported?: number | undefined; verified?: number | undefined }): MigratedRule {
  const ported = config?.ported ?? 1
  const verified = config?.verified ?? 0
  const parts = [ported >= 1 ? 'every endpoint in the port' : `at least ${share(ported)} of its endpoints in the port`]
  if (verified > 0) parts.push(verified >= 1 ? 'every one verified' : `at least ${share(verified)} verified`)
  return { ported, verified, text: parts.join(', ') }
}

/** Undefined when the baseline has no service. */
export function serviceMigration(
  pairs: readonly Pair[],
  candidateNames: readonly string[],
  rule: MigratedRule = DEFAULT_MIGRATED_RULE,
): ServiceMigration | undefined {
  const first = candidateNames[0] ?? ''
  const cellOf = (p: Pair, candidate: string): CandidateCell | undefined =>
    p.matrix ? p.matrix[candidate] : candidate === first ? { status: p.status, candidate: p.candidate } : undefined
  const services = pairs.filter((p) => p.kind === 'service' && p.baseline?.kind === 'service' && p.status !== 'excluded')
  if (!services.length) return undefined
  // A tree of one service tags no item: every endpoint is that service's.
  const sole = services.length === 1 ? (services[0]!.baseline as ServiceItem).name : undefined
  const endpointsOf = new Map<string, Pair[]>()
  const endpoints: Pair[] = []
  for (const p of pairs) {
    if (!p.baseline || !isEndpoint(p.baseline) || p.status === 'excluded') continue
    endpoints.push(p)
    const service = p.baseline.service ?? sole
    if (service) pushTo(endpointsOf, service, p)
  }
  const rows: ServiceRow[] = services.map((p) => {
    const base = p.baseline as ServiceItem
    const own = endpointsOf.get(base.name) ?? []
    const candidates: Record<string, ServicePort> = {}
    for (const name of candidateNames) {
      const cell = cellOf(p, name)
      const port = cell && PRESENT.has(cell.status) && cell.candidate?.kind === 'service' ? cell.candidate : undefined
      const statuses = port ? own.map((e) => cellOf(e, name)?.status ?? '') : []
      const ported = statuses.filter((s) => PRESENT.has(s)).length
      const verified = statuses.filter((s) => s === 'verified').length
      const of = own.length
      const percent = !port ? 0 : of ? pct(ported, of) : 100
      const meets = !of || (ported >= rule.ported * of - 1e-9 && verified >= rule.verified * of - 1e-9)
      candidates[name] = {
        status: !port ? 'not-started' : meets ? 'migrated' : 'partly',
        ...(port ? { service: port.name, language: port.language, ...(port.port !== undefined ? { port: port.port } : {}) } : {}),
        ported,
        verified,
        of,
        percent,
      }
    }
    return { service: base.name, language: base.language, ...(base.port !== undefined ? { port: base.port } : {}), candidates }
  })
  rows.sort((a, b) => (a.port ?? Number.POSITIVE_INFINITY) - (b.port ?? Number.POSITIVE_INFINITY) || a.service.localeCompare(b.service))

  const perCandidate: Record<string, CandidateEndpoints> = {}
  for (const name of candidateNames) {
    const statuses = endpoints.map((e) => cellOf(e, name)?.status ?? '')
    const ported = statuses.filter((s) => PRESENT.has(s)).length
    const portedRows = rows.filter((r) => r.candidates[name]?.status !== 'not-started')
    const inPortedOf = portedRows.reduce((n, r) => n + r.candidates[name]!.of, 0)
    const inPortedPorted = portedRows.reduce((n, r) => n + r.candidates[name]!.ported, 0)
    const languages = new Set<string>()
    for (const p of pairs) {
      if (p.kind !== 'service') continue
      const own = p.baseline ? cellOf(p, name)?.candidate : p.candidateSystem === name ? p.candidate : null
      if (own?.kind === 'service') languages.add(own.language)
    }
    perCandidate[name] = {
      ...(languages.size === 1 ? { language: [...languages][0]! } : {}),
      ported,
      verified: statuses.filter((s) => s === 'verified').length,
      of: endpoints.length,
      percent: pct(ported, endpoints.length),
      inPorted: {
        services: portedRows.length,
        ported: inPortedPorted,
        of: inPortedOf,
        percent: pct(inPortedPorted, inPortedOf),
        missing: inPortedOf - inPortedPorted,
      },
      extra: pairs.filter((p) => !p.baseline && p.candidateSystem === name && p.candidate && isEndpoint(p.candidate)).length,
    }
  }

  const figures = new Map<string, ServiceLanguageFigure>()
  const figureOf = (language: string) => {
    let f = figures.get(language)
    if (!f)
      figures.set(language, (f = { language, withPort: 0, migrated: 0, partly: 0, endpoints: { ported: 0, verified: 0, of: endpoints.length, percent: 0 } }))
    return f
  }
  for (const row of rows) {
    // A service ported to one language twice (two Go candidates) counts once for it.
    const best = new Map<string, ServicePort>()
    for (const port of Object.values(row.candidates)) {
      if (port.status === 'not-started' || !port.language) continue
      const seen = best.get(port.language)
      if (!seen || (seen.status === 'partly' && port.status === 'migrated')) best.set(port.language, port)
    }
    for (const [language, port] of best) {
      const f = figureOf(language)
      f.withPort++
      if (port.status === 'migrated') f.migrated++
      else f.partly++
    }
  }
  for (const f of figures.values()) {
    // An endpoint counts for a language when a candidate of that language has it.
    const inLanguage = candidateNames.filter((n) => rows.some((r) => r.candidates[n]?.language === f.language))
    const statuses = endpoints.map((e) => inLanguage.map((n) => cellOf(e, n)?.status ?? ''))
    f.endpoints.ported = statuses.filter((s) => s.some((x) => PRESENT.has(x))).length
    f.endpoints.verified = statuses.filter((s) => s.includes('verified')).length
    f.endpoints.percent = pct(f.endpoints.ported, f.endpoints.of)
  }
  const byLanguage = [...figures.values()].sort((a, b) => a.withPort - b.withPort || a.language.localeCompare(b.language))
  const notStarted = rows.filter((r) => Object.values(r.candidates).every((c) => c.status === 'not-started')).length
  const named = byLanguage.map((f) => `${languageName(f.language)} ${f.withPort}`).join(' + ')
  const headline = `${named || '0'} of ${plural(rows.length, 'service')}`
  const combinedPorted = endpoints.filter((e) => candidateNames.some((n) => PRESENT.has(cellOf(e, n)?.status ?? ''))).length
  return {
    total: rows.length,
    rows,
    byLanguage,
    notStarted,
    headline,
    rule,
    endpoints: perCandidate,
    combined: { ported: combinedPorted, of: endpoints.length, percent: pct(combinedPorted, endpoints.length) },
    endpointWord: endpoints.every((e) => e.kind === 'route') ? 'Routes' : 'Endpoints',
  }
}
