/**
 * GitHub Actions output of a RunResult: a Markdown step summary (for `$GITHUB_STEP_SUMMARY`) and
 * workflow-command annotations (`::error file=…,line=…,title=…::message`) that GitHub shows on the
 * lines of the pull request. Pure functions: the caller writes them.
 *
 * Paths: annotations need paths relative to the repository root, and a RunResult's item files are
 * relative to each system's source folder, itself relative to the folder parity ran in. Each file is
 * written `<options.base>/<system source>/<file>` (see CiOptions): pass `base` when parity does not
 * run at the repository root.
 */
import { foundPhrase, inventoryBasis, lowerBoundNote, runtimePhrase } from './inventory-basis.js'
import { isEndpoint, type Item } from '../model/inventory.js'
import type { RunResult, Summary } from '../model/run.js'
import { endpointLines, serviceExtraColumns, serviceLine, serviceTableRows } from '../model/service-table.js'
import {
  baselineName,
  candidateNames,
  missingColumnsOfPresentTables,
  repoLocation,
  repoPath,
  statusesIn,
  type CandidateStatus,
  type CiOptions,
} from './ci-items.js'

export interface GithubSummaryOptions extends CiOptions {
  /** Missing items listed per candidate before `… n more` (default 20). */
  maxItems?: number
}

function display(item: Item): string {
  return isEndpoint(item) ? `${item.method} ${item.path}` : item.key
}

/** A Markdown code span holding any text: a fence longer than any backtick run inside, `|` escaped for tables. */
function code(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ').replaceAll('|', '\\|')
  const longest = Math.max(0, ...[...flat.matchAll(/`+/g)].map((m) => m[0].length))
  const fence = '`'.repeat(longest + 1)
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : ''
  return `${fence}${pad}${flat}${pad}${fence}`
}

/** Plain Markdown text: markup characters escaped, on one line. */
function md(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[\\`*_[\]<>|#!~&]/g, (c) => `\\${c}`)
}

const pct = (n: number) => `${Number.isInteger(n) ? n : n.toFixed(1)}%`

function figureCells(s: Summary | undefined): string {
  if (!s) return '| – | – | – | – | – | – | – | – |'
  return `| ${pct(s.percent)} | ${s.ported} | ${s.verified} | ${s.divergent} | ${s.missing} | ${s.excluded} | ${s.extra} | ${s.total} |`
}

export function renderGithubSummary(run: RunResult, options: GithubSummaryOptions = {}): string {
  const max = options.maxItems ?? 20
  const base = baselineName(run)
  const candidates = candidateNames(run)
  const out: string[] = [`## parity: ${md(base)} → ${candidates.map(md).join(', ')}`, '']
  const basis = inventoryBasis(run)
  out.push(
    `Inventory: ${basis.systems.map((s) => `${md(s.name)} ${foundPhrase(s)}${s.runtime ? ` (${runtimePhrase(s.runtime)})` : ''}`).join(' · ')}.${basis.unresolved ? ` Every percentage below is ${lowerBoundNote(basis)}.` : ''}`,
    '',
  )
  for (const s of basis.systems) for (const d of s.unsupported) out.push(`> **Not read** (${md(s.name)}): ${md(d)}`, '')

  const assessment = run.assessment
  if (assessment?.gates.length) {
    const failed = assessment.gates.filter((g) => !g.passed)
    out.push(
      assessment.verdict.productionReady
        ? `**Production ready: YES**: all ${assessment.gates.length} gates pass.`
        : `**Production ready: NO**: ${failed.length} of ${assessment.gates.length} gates failed (${failed.map((g) => code(g.gate)).join(', ')}).`,
    )
  } else {
    const figures = candidates.map((c) => `**${pct(run.candidates[c]?.percent ?? 0)}** of ${run.candidates[c]?.total ?? 0} baseline items ported in ${md(c)}`)
    out.push(`${figures.join(', ')}. No gates evaluated: no verdict (\`parity run\` with \`gates:\` in the config gives one).`)
  }
  out.push('')

  out.push(
    '| candidate | ported % | ported | verified | divergent | missing | excluded | extra | total |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  )
  for (const c of candidates) out.push(`| ${md(c)} ${figureCells(run.candidates[c])}`)
  out.push('', 'Ported % counts ported, verified and divergent items; database columns follow their tables.', '')

  const services = run.services
  if (services && services.total > 1) {
    const rows = serviceTableRows(services)
    const extra = serviceExtraColumns(rows)
    const columns = ['service', 'language', 'port', 'port service', 'status', 'ported', 'ported %', ...extra.map((c) => c.head)]
    out.push(
      '### Services',
      '',
      `**${md(services.headline)}**: ${md(serviceLine(services, 'migrated'))} (${md(services.rule?.text ?? 'every endpoint in the port')}); ${md(serviceLine(services, 'partly'))}; ${services.notStarted} not started.`,
      '',
      ...endpointLines(services).map((l) => (l.startsWith('  ') ? `  - ${md(l.trim())}` : `- ${md(l)}`)),
      '',
      `| ${columns.join(' | ')} |`,
      `|${columns.map(() => ' --- |').join('')}`,
      ...rows.map(
        (r) =>
          `| ${[md(r.service), r.language, r.port, r.portService === '—' ? '—' : code(r.portService), r.status, r.ported, r.percent, ...extra.map((c) => md(r[c.key] ?? ''))].join(' | ')} |`,
      ),
      '',
    )
  }

  if (run.components.length) {
    out.push('### By component', '', `| component | ${candidates.map(md).join(' | ')} |`, `| --- |${candidates.map(() => ' --- |').join('')}`)
    for (const comp of run.components) {
      const cells = candidates.map((c) => {
        const s = comp.candidates[c]
        if (!s) return '–'
        const done = s.ported + s.verified + s.divergent
        return `${s.total ? pct(s.percent) : '–'} (${done}/${s.total}${s.missing ? `, ${s.missing} missing` : ''})`
      })
      out.push(`| ${md(comp.name)} | ${cells.join(' | ')} |`)
    }
    out.push('')
  }

  for (const c of candidates) {
    const statuses = statusesIn(run, c)
    const missing = statuses.filter((s) => s.status === 'missing' && s.pair.kind !== 'column')
    const columns = missingColumnsOfPresentTables(statuses)
    if (!missing.length && !columns.size) continue
    out.push(`### Missing in ${md(c)} (${missing.length})`, '')
    for (const s of missing.slice(0, max)) {
      const accepted = s.accepted !== undefined ? ` (accepted: ${md(s.accepted)})` : ''
      out.push(
        `- ${code(display(s.baseline))} (${md(s.pair.component)}) at ${code(repoLocation(run, base, s.baseline, options))}${s.pair.impact ? `: ${md(s.pair.impact)}` : ''}${accepted}`,
      )
    }
    if (missing.length > max) out.push(`- … ${missing.length - max} more`)
    if (columns.size) {
      const names = [...columns.entries()].flatMap(([, list]) => list.map((s) => s.pair.key.replace(/^column /, '')))
      out.push(`- columns of ported tables: ${names.map(code).join(', ')}`)
    }
    out.push('')
  }

  const failed = assessment?.gates.filter((g) => !g.passed) ?? []
  if (failed.length) {
    out.push('### Failed gates', '', '| gate | measured | why |', '| --- | --- | --- |')
    for (const g of failed) out.push(`| ${code(g.gate)} | ${g.actual === null ? 'not measurable yet' : g.actual} | ${md(g.message)} |`)
    out.push('')
  }
  if (assessment?.verdict.staleAcceptances.length) {
    out.push(`Stale acceptances (the ledger lists findings that no longer occur): ${assessment.verdict.staleAcceptances.map(code).join(', ')}`, '')
  }
  return out.join('\n')
}

/** A workflow command's message: `%`, CR and LF escaped (GitHub's toolkit `escapeData`). */
export function escapeData(s: string): string {
  return s.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A')
}

/** A workflow command's property value: also `:` and `,` (GitHub's toolkit `escapeProperty`). */
export function escapeProperty(s: string): string {
  return escapeData(s).replaceAll(':', '%3A').replaceAll(',', '%2C')
}

function command(name: string, props: Record<string, string | number>, message: string): string {
  const list = Object.entries(props)
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(',')
  return `::${name} ${list}::${escapeData(message)}`
}

/**
 * One annotation per baseline item that a candidate lacks (`::error`) or that behaves differently
 * (`::warning`), at the item's baseline source line; with several candidates, one per item naming
 * every candidate concerned. Missing columns are annotated only in tables the candidate has (a
 * missing table stands for its columns). A finding the ledger accepts becomes a `::notice`.
 */
export function renderGithubAnnotations(run: RunResult, options: CiOptions = {}): string[] {
  const base = baselineName(run)
  type Group = { item: CandidateStatus; candidates: string[]; accepted: string[] }
  const groups = new Map<string, Group>()
  for (const c of candidateNames(run)) {
    const statuses = statusesIn(run, c)
    const columns = new Set([...missingColumnsOfPresentTables(statuses).values()].flat().map((s) => s.pair))
    for (const s of statuses) {
      if (s.status !== 'missing' && s.status !== 'divergent') continue
      if (s.pair.kind === 'column' && !columns.has(s.pair)) continue
      if (!s.baseline.source?.file || !(s.baseline.source.line > 0)) continue
      const id = `${s.status}\u0000${s.pair.kind}\u0000${s.pair.key}\u0000${s.accepted !== undefined}`
      const group = groups.get(id) ?? { item: s, candidates: [], accepted: [] }
      group.candidates.push(c)
      if (s.accepted !== undefined) group.accepted.push(`${c}: ${s.accepted}`)
      groups.set(id, group)
    }
  }
  const out: string[] = []
  for (const { item: s, candidates, accepted } of groups.values()) {
    const what = display(s.baseline)
    const inWhich = candidates.join(', ')
    const verb = s.status === 'missing' ? 'missing' : 'divergent'
    const lines = [
      s.status === 'missing'
        ? `${what} (${s.pair.kind}, component ${s.pair.component}) is missing in ${inWhich}.`
        : `${what} (${s.pair.kind}, component ${s.pair.component}) behaves differently in ${inWhich}.`,
    ]
    if (s.pair.impact) lines.push(`Impact: ${s.pair.impact}`)
    if (s.status === 'divergent' && s.counterpart) lines.push(`${s.candidate}: ${repoLocation(run, s.candidate, s.counterpart, options)}`)
    if (accepted.length) lines.push(`Accepted: ${accepted.join('; ')}`)
    const level = accepted.length ? 'notice' : s.status === 'missing' ? 'error' : 'warning'
    out.push(
      command(
        level,
        { file: repoPath(run, base, s.baseline.source.file, options), line: s.baseline.source.line, title: `parity: ${verb} in ${inWhich}: ${what}` },
        lines.join('\n'),
      ),
    )
  }
  return out
}
