/**
 * The scorecard stage: for every system with a `scorecard` block, read each artifact into figures.
 * A missing or malformed artifact is a problem on that system's scorecard (named, with a hint);
 * the other figures still stand.
 */
import { dirname, isAbsolute, join, relative, resolve } from 'node:path'
import { statSync } from 'node:fs'
import type { ResolvedConfig, ResolvedSystem } from '../config/load.js'
import { isParityError } from '../model/errors.js'
import type { RunResult } from '../model/run.js'
import { readAudit, SEVERITIES, type Severity } from './audit.js'
import { measureApiDocumentation } from './apidocs.js'
import { measureBundle } from './bundle.js'
import { readCoverage } from './coverage.js'
import { measureTypeCoverage } from './type-coverage.js'
import type { ScoreFigure, Scorecard } from '../model/scorecard.js'

/** The metrics a scorecard may hold, in display order. */
export const SCORE_METRICS = [
  'testCoverage',
  'typeCoverage',
  'criticalVulnerabilities',
  'highVulnerabilities',
  'vulnerabilities',
  'apiDocumented',
  'bundleRaw',
  'bundleGzip',
] as const

const grouped = (n: number) => n.toLocaleString('en-US')

/** Scorecards of the systems with a `scorecard` block, baseline first. */
export async function collectScorecards(run: RunResult, config: Pick<ResolvedConfig, 'file' | 'baseline' | 'candidates'>): Promise<Scorecard[]> {
  const base = dirname(config.file)
  const cards: Scorecard[] = []
  for (const system of [config.baseline, ...config.candidates]) {
    if (system.scorecard) cards.push(await collectScorecard(run, system, base))
  }
  return cards
}

/** `parity run`'s scorecard stage: sets `run.scorecards` (left unset when no system has a scorecard block). */
export async function runScorecardStage(run: RunResult, config: Pick<ResolvedConfig, 'file' | 'baseline' | 'candidates'>): Promise<RunResult> {
  const cards = await collectScorecards(run, config)
  if (cards.length) run.scorecards = cards
  return run
}

async function collectScorecard(run: RunResult, system: ResolvedSystem, base: string): Promise<Scorecard> {
  const sc = system.scorecard!
  const card: Scorecard = { system: system.name, figures: [], problems: [] }
  const at = (p: string) => (isAbsolute(p) ? p : resolve(base, p))
  // As written when under the config's folder, else absolute: never a climb of `../../..`.
  const shown = (abs: string) => {
    const rel = relative(base, abs).split('\\').join('/')
    return rel === '' ? '.' : rel.startsWith('..') ? abs : rel
  }
  const attempt = async (source: string, read: () => Promise<ScoreFigure[]> | ScoreFigure[]) => {
    try {
      card.figures.push(...(await read()))
    } catch (e) {
      if (isParityError(e)) card.problems.push({ source, message: e.message, hint: e.hint ?? '' })
      else
        card.problems.push({
          source,
          message: `${source}: ${(e as Error).message}`,
          hint: 'check the file; if it is well formed, this is a bug in parity: report it',
        })
    }
  }
  if (sc.coverage) {
    const file = at(sc.coverage)
    const source = shown(file)
    await attempt(source, () => {
      const c = readCoverage(file, source)
      return [
        {
          metric: 'testCoverage',
          value: c.ratio,
          unit: 'ratio',
          source,
          detail: `lines ${grouped(c.covered)}/${grouped(c.total)} (${c.format}, ${c.byFile.size} files)`,
        },
      ]
    })
  }
  if (sc.typeCoverage) {
    const tsconfig = typeof sc.typeCoverage === 'string' ? at(sc.typeCoverage) : join(isFolder(system.sourcePath) ? system.sourcePath : base, 'tsconfig.json')
    await attempt(shown(tsconfig), async () => {
      const t = await measureTypeCoverage(tsconfig, shown(tsconfig))
      const detail = `${grouped(t.total - t.any)} of ${grouped(t.total)} identifiers typed${t.any ? `; any: ${t.examples.join(', ')}${t.any > t.examples.length ? ', …' : ''}` : ''}`
      return [{ metric: 'typeCoverage', value: t.ratio, unit: 'ratio', source: 'computed', detail }]
    })
  }
  if (sc.audit) {
    const files = (Array.isArray(sc.audit) ? sc.audit : [sc.audit]).map(at)
    const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>
    const read: string[] = []
    const notes: string[] = []
    for (const file of files) {
      await attempt(shown(file), () => {
        const r = readAudit(file, shown(file))
        for (const s of SEVERITIES) counts[s] += r.bySeverity[s]
        read.push(shown(file))
        if (r.note) notes.push(`${r.tool}: ${r.note}`)
        return []
      })
    }
    if (read.length) {
      const source = read.join(', ')
      const by = SEVERITIES.filter((s) => counts[s]).map((s) => `${s} ${counts[s]}`)
      const detail = `by severity: ${by.length ? by.join(', ') : 'none'}${notes.length ? `; ${notes.join('; ')}` : ''}`
      const total = SEVERITIES.reduce((n, s) => n + counts[s], 0)
      card.figures.push(
        { metric: 'criticalVulnerabilities', value: counts.critical, unit: 'count', source, detail },
        { metric: 'highVulnerabilities', value: counts.high, unit: 'count', source, detail },
        { metric: 'vulnerabilities', value: total, unit: 'count', source, detail },
      )
    }
  }
  if (sc.openapi) {
    const file = at(sc.openapi)
    const source = shown(file)
    await attempt(source, () => {
      const d = measureApiDocumentation(run, system.name, file, source)
      const missing = d.undocumented.length ? `; undocumented: ${d.undocumented.join(', ')}${d.total - d.documented > d.undocumented.length ? ', …' : ''}` : ''
      return [{ metric: 'apiDocumented', value: d.ratio, unit: 'ratio', source, detail: `${d.documented} of ${d.total} routes described${missing}` }]
    })
  }
  if (sc.bundle) {
    const dir = at(sc.bundle)
    const source = shown(dir)
    await attempt(source, () => {
      const b = measureBundle(dir, source)
      const per = (k: 'raw' | 'gzip') =>
        `per entry: ${b.entries
          .slice(0, 5)
          .map((e) => `${e.file} ${grouped(e[k])} B`)
          .join(', ')}${b.entries.length > 5 ? ', …' : ''}`
      return [
        { metric: 'bundleRaw', value: b.raw, unit: 'bytes', source, detail: per('raw') },
        { metric: 'bundleGzip', value: b.gzip, unit: 'bytes', source, detail: per('gzip') },
      ]
    })
  }
  return card
}

function isFolder(p: string): boolean {
  try {
    return statSync(p).isDirectory()
  } catch {
    return false
  }
}
