/**
 * Known vulnerabilities from the audit output a team already produces: `npm audit --json` (v6 and
 * v7+), `cargo audit --json`, `govulncheck -json` (a stream of JSON objects) and `pip-audit -f json`.
 * The format is told by the content.
 */
// biome-ignore-all lint/suspicious/noExplicitAny: four tools' audit reports in their own JSON shapes, read field by field and checked as read
import { readFileSync } from 'node:fs'
import { ParityError } from '../model/errors.js'

export type Severity = 'critical' | 'high' | 'moderate' | 'low' | 'info' | 'unknown'
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'moderate', 'low', 'info', 'unknown']

export interface AuditReport {
  tool: 'npm' | 'cargo' | 'govulncheck' | 'pip-audit'
  /** Vulnerabilities by severity (npm counts vulnerable packages; the others count advisories per package). */
  bySeverity: Record<Severity, number>
  total: number
  /** What the tool left out of the count, said in the detail (`2 in modules whose vulnerable code is not called`). */
  note?: string
}

const bad = (label: string, what: string, hint: string) => new ParityError('BAD_AUDIT', `${label}: ${what}`, hint)
const HINT = 'pass the JSON output of `npm audit --json`, `cargo audit --json`, `govulncheck -json ./...` or `pip-audit -f json`'

function empty(): Record<Severity, number> {
  return { critical: 0, high: 0, moderate: 0, low: 0, info: 0, unknown: 0 }
}

function severityOf(s: unknown): Severity {
  const v = typeof s === 'string' ? s.toLowerCase() : ''
  if (v === 'medium') return 'moderate'
  if (v === 'none') return 'info'
  return (SEVERITIES as readonly string[]).includes(v) ? (v as Severity) : 'unknown'
}

/** Read an audit output; missing or malformed is a ParityError naming the file. */
export function readAudit(file: string, label = file): AuditReport {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    throw new ParityError(
      'NO_AUDIT',
      `${label}: no such audit output`,
      'save the audit as JSON first (`npm audit --json > audit.json`), or fix the `scorecard.audit` path',
    )
  }
  return parseAudit(text, label)
}

// The four tools' outputs are untyped JSON: they are read as `any` and checked field by field.
export function parseAudit(text: string, label: string): AuditReport {
  const t = text.trim()
  if (!t) throw bad(label, 'the audit output is empty', HINT)
  let data: unknown
  try {
    data = JSON.parse(t)
  } catch {
    // govulncheck writes one JSON object after another, pretty-printed.
    const stream = splitJsonStream(t)
    if (stream) return parseGovulncheck(stream)
    throw bad(label, 'malformed JSON', `${HINT}; the file may have been cut short or mixed with other output`)
  }
  if (Array.isArray(data)) {
    if (data.every((d) => d && typeof d === 'object' && 'vulns' in d)) return parsePipAudit(data as PipDependency[])
    throw bad(label, 'a JSON array that is not a pip-audit report', HINT)
  }
  if (!data || typeof data !== 'object') throw bad(label, 'not an audit report', HINT)
  const o = data as Record<string, any>
  if ('osv' in o || 'finding' in o || 'config' in o || 'progress' in o) return parseGovulncheck([o])
  if (Array.isArray(o.dependencies)) return parsePipAudit(o.dependencies as PipDependency[])
  if (o.vulnerabilities && typeof o.vulnerabilities === 'object' && Array.isArray(o.vulnerabilities.list)) return parseCargo(o)
  if (o.auditReportVersion !== undefined || o.advisories !== undefined || o.metadata?.vulnerabilities) return parseNpm(o)
  // `npm audit --json` when the audit endpoint fails: the error, as JSON.
  if (typeof o.message === 'string' || (o.error && typeof o.error === 'object')) {
    const msg = typeof o.message === 'string' ? o.message : String(o.error.summary || o.error.code || 'an error')
    throw bad(
      label,
      `the audit did not run: ${msg.split('\n')[0]}`,
      'run the audit again where the registry answers (npm audit needs the registry’s audit endpoint), then save its --json output',
    )
  }
  throw bad(label, 'not an audit report (no vulnerabilities, dependencies or findings)', HINT)
}

/** npm v7+: `metadata.vulnerabilities` counts per severity (vulnerable packages); else the `vulnerabilities` map, or v6 `advisories`. */
function parseNpm(o: Record<string, any>): AuditReport {
  const bySeverity = empty()
  const meta = o.metadata?.vulnerabilities as Record<string, unknown> | undefined
  if (meta && typeof meta === 'object') {
    for (const [k, v] of Object.entries(meta)) if (k !== 'total' && typeof v === 'number') bySeverity[severityOf(k)] += v
  } else {
    const list = Object.values((o.vulnerabilities ?? o.advisories ?? {}) as Record<string, { severity?: string }>)
    for (const v of list) bySeverity[severityOf(v?.severity)]++
  }
  return { tool: 'npm', bySeverity, total: sum(bySeverity) }
}

/** cargo audit: `vulnerabilities.list[]`, the severity from the advisory's CVSS vector. */
function parseCargo(o: Record<string, any>): AuditReport {
  const bySeverity = empty()
  for (const v of o.vulnerabilities.list as Array<{ advisory?: { cvss?: unknown } }>) bySeverity[cvssSeverity(v?.advisory?.cvss)]++
  return { tool: 'cargo', bySeverity, total: sum(bySeverity) }
}

interface PipDependency {
  name?: string
  vulns?: unknown[]
}

/** pip-audit: every vulnerability of every dependency; pip-audit gives no severity. */
function parsePipAudit(deps: PipDependency[]): AuditReport {
  const bySeverity = empty()
  for (const d of deps) bySeverity.unknown += Array.isArray(d?.vulns) ? d.vulns.length : 0
  return { tool: 'pip-audit', bySeverity, total: sum(bySeverity) }
}

/**
 * govulncheck: a vulnerability counts when a finding's trace reaches a function (the code calls
 * it), as govulncheck's own summary counts; the severity from the OSV entry when it has one.
 */
function parseGovulncheck(objects: Array<Record<string, any>>): AuditReport {
  const osvs = new Map<string, Record<string, any>>()
  const called = new Set<string>()
  const imported = new Set<string>()
  for (const o of objects) {
    if (o.osv && typeof o.osv.id === 'string') osvs.set(o.osv.id, o.osv)
    const f = o.finding
    if (f && typeof f.osv === 'string') {
      const trace = Array.isArray(f.trace) ? f.trace : []
      if (trace[0]?.function) called.add(f.osv)
      else imported.add(f.osv)
    }
  }
  const bySeverity = empty()
  for (const id of called) {
    const osv = osvs.get(id)
    const vector = Array.isArray(osv?.severity) ? osv.severity.find((s: { score?: string }) => typeof s?.score === 'string')?.score : undefined
    bySeverity[vector ? cvssSeverity(vector) : severityOf(osv?.database_specific?.severity)]++
  }
  const notCalled = [...imported].filter((id) => !called.has(id)).length
  return {
    tool: 'govulncheck',
    bySeverity,
    total: sum(bySeverity),
    ...(notCalled ? { note: `${notCalled} more in modules whose vulnerable code is not called` } : {}),
  }
}

/** The top-level JSON values of a stream (`{...}{...}` or one per line); undefined when it is not one. */
export function splitJsonStream(text: string): Array<Record<string, any>> | undefined {
  const out: Array<Record<string, any>> = []
  let depth = 0
  let start = -1
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 92) i++
      else if (c === 34) inString = false
      continue
    }
    if (c === 34) inString = true
    else if (c === 123) {
      if (depth++ === 0) start = i
    } else if (c === 125) {
      if (--depth === 0) {
        try {
          out.push(JSON.parse(text.slice(start, i + 1)))
        } catch {
          return undefined
        }
      } else if (depth < 0) return undefined
    } else if (depth === 0 && c !== 32 && c !== 10 && c !== 13 && c !== 9) return undefined
  }
  return depth === 0 && out.length > 1 ? out : undefined
}

function sum(s: Record<Severity, number>): number {
  return Object.values(s).reduce((a, b) => a + b, 0)
}

/** A CVSS score or a CVSS v3 vector (`CVSS:3.1/AV:N/...`) to a severity; anything else is `unknown`. */
export function cvssSeverity(cvss: unknown): Severity {
  const score = typeof cvss === 'number' ? cvss : typeof cvss === 'string' ? cvss3Score(cvss) : undefined
  if (score === undefined || !Number.isFinite(score)) return 'unknown'
  if (score >= 9) return 'critical'
  if (score >= 7) return 'high'
  if (score >= 4) return 'moderate'
  if (score > 0) return 'low'
  return 'info'
}

const W: Record<string, Record<string, number>> = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  UI: { N: 0.85, R: 0.62 },
  C: { H: 0.56, L: 0.22, N: 0 },
  I: { H: 0.56, L: 0.22, N: 0 },
  A: { H: 0.56, L: 0.22, N: 0 },
}

/** The CVSS v3.x base score of a vector (the specification's formula, section 7.1). */
export function cvss3Score(vector: string): number | undefined {
  if (!/^CVSS:3\.[01]\//.test(vector)) return undefined
  const m: Record<string, string> = {}
  for (const part of vector.split('/').slice(1)) {
    const [k, v] = part.split(':')
    if (k && v) m[k] = v
  }
  const changed = m.S === 'C'
  const pr = { N: 0.85, L: changed ? 0.68 : 0.62, H: changed ? 0.5 : 0.27 }[m.PR ?? '']
  const [av, ac, ui, c, i, a] = (['AV', 'AC', 'UI', 'C', 'I', 'A'] as const).map((k) => W[k]![m[k] ?? ''])
  if ([av, ac, ui, c, i, a, pr].some((x) => x === undefined) || (m.S !== 'U' && m.S !== 'C')) return undefined
  const iss = 1 - (1 - c!) * (1 - i!) * (1 - a!)
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15 : 6.42 * iss
  if (impact <= 0) return 0
  const exploitability = 8.22 * av! * ac! * pr! * ui!
  return roundUp(Math.min(changed ? 1.08 * (impact + exploitability) : impact + exploitability, 10))
}

/** CVSS's Roundup: the smallest one-decimal number not below x. */
function roundUp(x: number): number {
  const n = Math.round(x * 100000)
  return n % 10000 === 0 ? n / 100000 : (Math.floor(n / 10000) + 1) / 10
}
