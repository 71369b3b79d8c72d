/**
 * The service table as migration pages write it, for every reader (terminal, vault, GitHub summary,
 * the dashboard): one row per baseline service and port, with the port's language and port when it
 * has one, its status and share, and req/s and RSS when the bench measured them; the lines of
 * figures above it. Pure functions of RunResult.services.
 */
import type { ServiceMigration } from './run.js'
import { languageName, plural } from './words.js'

const STATUS_WORD = { migrated: 'migrated', partly: 'partly', 'not-started': 'not started' } as const

/** One row per baseline service and port (a service ported in two candidates has two), as migration pages list them. */
export interface ServiceTableRow {
  service: string
  language: string
  port: string
  portService: string
  status: string
  ported: string
  percent: string
  verified?: string
  rps?: string
  rss?: string
}

const thousands = (n: number) => n.toLocaleString('en-US')

/** Rows of the service table: the port's language and port when there is one, else the baseline's own. */
export function serviceTableRows(m: ServiceMigration): ServiceTableRow[] {
  const verifiedShown = Object.values(m.endpoints ?? {}).some((e) => e.verified > 0)
  const out: ServiceTableRow[] = []
  for (const r of m.rows) {
    const ports = Object.values(r.candidates).filter((c) => c.status !== 'not-started')
    const was = (f: number | undefined, unit = '') => (f === undefined ? '' : ` (was ${thousands(f)}${unit})`)
    for (const c of ports.length ? ports : [undefined]) {
      const of = c?.of ?? Object.values(r.candidates)[0]?.of ?? 0
      const row: ServiceTableRow = {
        service: r.service,
        language: c?.language ?? r.language,
        port: String(c ? (c.port ?? '–') : (r.port ?? '–')),
        portService: c?.service ?? '—',
        status: STATUS_WORD[c?.status ?? 'not-started'],
        ported: `${c?.ported ?? 0} / ${of}`,
        percent: `${c?.percent ?? 0}%`,
      }
      if (verifiedShown) row.verified = `${c?.verified ?? 0} / ${of}`
      if (c?.bench) row.rps = `${thousands(c.bench.rps)}${was(r.bench?.rps)}`
      else if (r.bench) row.rps = `${thousands(r.bench.rps)}${c ? ' (baseline)' : ''}`
      if (c?.bench?.rssMb !== undefined) row.rss = `${thousands(c.bench.rssMb)} MiB${was(r.bench?.rssMb, ' MiB')}`
      else if (r.bench?.rssMb !== undefined) row.rss = `${thousands(r.bench.rssMb)} MiB${c ? ' (baseline)' : ''}`
      out.push(row)
    }
  }
  return out
}

/** `Rust 1 + Go 2 of 15 services migrated`: per language of the ports, the services in a state. */
export function serviceLine(m: ServiceMigration, pick: 'migrated' | 'partly'): string {
  const named = m.byLanguage
    .filter((f) => f[pick] > 0)
    .map((f) => `${languageName(f.language)} ${f[pick]}`)
    .join(' + ')
  return `${named || 'none'} of ${plural(m.total, 'service')} ${pick === 'migrated' ? 'migrated' : 'partly migrated'}`
}

/** `go 12 of 70 (17.1%)` and, inside the services it ports, `12 of 14 (85.7%), 2 missing`, per candidate. */
export function endpointLines(m: ServiceMigration): string[] {
  const word = m.endpointWord ?? 'Endpoints'
  const entries = Object.entries(m.endpoints ?? {})
  if (!entries.length) return []
  const lines = [
    `${word}: ${entries.map(([name, e]) => `${name} ${e.ported} of ${e.of} (${e.percent}%)`).join(' · ')}${
      entries.length > 1 && m.combined ? ` · any candidate ${m.combined.ported} of ${m.combined.of} (${m.combined.percent}%)` : ''
    }`,
  ]
  for (const [name, e] of entries) {
    const inside = e.inPorted.services
      ? `in the ${plural(e.inPorted.services, 'service')} it ports ${e.inPorted.ported} of ${e.inPorted.of} (${e.inPorted.percent}%), ${e.inPorted.missing} missing`
      : 'ports no service'
    lines.push(`  ${name}: ${inside} · ${e.extra} extra${e.verified ? ` · ${e.verified} verified` : ''}`)
  }
  return lines
}

const EXTRA_COLUMNS = [
  { key: 'verified', head: 'verified', title: 'Verified' },
  { key: 'rps', head: 'req/s', title: 'req/s' },
  { key: 'rss', head: 'RSS', title: 'RSS' },
] as const

/** The columns beyond the first seven that some row fills (verified, req/s, RSS): `head` for terminals and plain tables, `title` for headed ones. */
export function serviceExtraColumns(rows: readonly ServiceTableRow[]): ReadonlyArray<(typeof EXTRA_COLUMNS)[number]> {
  return EXTRA_COLUMNS.filter((c) => rows.some((r) => r[c.key] !== undefined))
}
