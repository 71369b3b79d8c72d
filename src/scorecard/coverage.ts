/**
 * Test coverage from the report a test runner already writes: lcov (`lcov.info`), Cobertura XML
 * (`coverage.xml`, `cobertura-coverage.xml`) or Istanbul JSON (`coverage-final.json`,
 * `coverage-summary.json`). Line coverage throughout, so that the formats agree.
 */
import { readFileSync } from 'node:fs'
import { isAbsolute, relative } from 'node:path'
import { ParityError } from '../model/errors.js'

export type CoverageFormat = 'lcov' | 'cobertura' | 'istanbul-final' | 'istanbul-summary'

export interface CoverageReport {
  format: CoverageFormat
  /** Lines covered and lines counted, over every file. */
  covered: number
  total: number
  /** covered / total (1 for a report with no lines). */
  ratio: number
  /** Per file (as the report names it, `/` separators): covered / total lines. */
  byFile: Map<string, number>
}

const badReport = (label: string, what: string, hint: string) => new ParityError('BAD_COVERAGE', `${label}: ${what}`, hint)

/** Parse a coverage report, the format told by its content; a malformed one is a ParityError naming `label`. */
export function parseCoverage(text: string, label: string): CoverageReport {
  const head = text.trimStart()
  if (!head) throw badReport(label, 'the coverage report is empty', 'rerun the tests with coverage on (`c8 --reporter=lcov`, `pytest --cov --cov-report=xml`)')
  if (head.startsWith('<')) return parseCobertura(text, label)
  if (head.startsWith('{')) {
    let data: unknown
    try {
      data = JSON.parse(text)
    } catch (e) {
      throw badReport(
        label,
        `malformed JSON: ${(e as Error).message}`,
        'write the report again (`c8 --reporter=json` or `--reporter=json-summary`); it may have been cut short',
      )
    }
    return parseIstanbul(data, label)
  }
  return parseLcov(text, label)
}

/** Read a coverage report file; a missing or malformed one is a ParityError naming it. */
export function readCoverage(file: string, label = file): CoverageReport {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    throw new ParityError(
      'NO_COVERAGE',
      `${label}: no such coverage report`,
      'run the tests with coverage first (`c8 --reporter=lcov npm test` writes coverage/lcov.info), or fix the `scorecard.coverage` path',
    )
  }
  return parseCoverage(text, label)
}

/**
 * Coverage per file (0..1), for the plan's risk factor. Absolute paths in the report become
 * relative to `root` when one is given.
 */
export function coverageByFile(file: string, root?: string): Map<string, number> {
  const { byFile } = readCoverage(file)
  if (!root) return byFile
  return new Map([...byFile].map(([f, r]) => [isAbsolute(f) ? relative(root, f).split('\\').join('/') : f, r]))
}

function report(format: CoverageFormat, files: Map<string, { covered: number; total: number }>): CoverageReport {
  let covered = 0
  let total = 0
  const byFile = new Map<string, number>()
  for (const [file, f] of files) {
    covered += f.covered
    total += f.total
    byFile.set(file.split('\\').join('/'), f.total ? f.covered / f.total : 1)
  }
  return { format, covered, total, ratio: total ? covered / total : 1, byFile }
}

/** lcov: `SF:` opens a file, `LF:`/`LH:` give its lines found and hit (else counted from `DA:`), `end_of_record` closes it. */
export function parseLcov(text: string, label: string): CoverageReport {
  const files = new Map<string, { covered: number; total: number }>()
  let file: string | undefined
  let lf: number | undefined
  let lh: number | undefined
  let da = { covered: 0, total: 0 }
  let line = 0
  for (const raw of text.split('\n')) {
    line++
    const l = raw.trim()
    if (!l || l === 'TN:' || l.startsWith('TN:')) continue
    if (l === 'end_of_record') {
      if (file !== undefined) files.set(file, lf !== undefined ? { total: lf, covered: lh ?? 0 } : da)
      file = undefined
      continue
    }
    const colon = l.indexOf(':')
    if (colon < 0)
      throw badReport(`${label}:${line}`, `not an lcov record: \`${l.slice(0, 40)}\``, 'pass an lcov file (`lcov.info`), Cobertura XML or Istanbul JSON')
    const tag = l.slice(0, colon)
    const value = l.slice(colon + 1)
    if (tag === 'SF') {
      file = value
      lf = lh = undefined
      da = { covered: 0, total: 0 }
    } else if (tag === 'LF' || tag === 'LH') {
      const n = Number(value)
      if (!Number.isInteger(n) || n < 0) throw badReport(`${label}:${line}`, `${tag} is not a count: \`${value}\``, 'the lcov file is damaged: write it again')
      if (tag === 'LF') lf = n
      else lh = n
    } else if (tag === 'DA') {
      da.total++
      if (Number(value.split(',')[1]) > 0) da.covered++
    }
  }
  if (file !== undefined) files.set(file, lf !== undefined ? { total: lf, covered: lh ?? 0 } : da)
  if (!files.size) throw badReport(label, 'no `SF:` record: not an lcov report', 'pass an lcov file (`lcov.info`), Cobertura XML or Istanbul JSON')
  return report('lcov', files)
}

interface Location {
  start: { line: number }
}
interface IstanbulFile {
  path?: string
  statementMap: Record<string, Location>
  s: Record<string, number>
}
interface SummaryLines {
  lines: { total: number; covered: number; pct?: number }
}

/** `coverage-summary.json` (`total.lines`) or `coverage-final.json` (lines from each statement's start line, as Istanbul counts them). */
export function parseIstanbul(data: unknown, label: string): CoverageReport {
  if (!data || typeof data !== 'object' || Array.isArray(data))
    throw badReport(label, 'not an Istanbul coverage object', 'pass coverage-final.json or coverage-summary.json')
  const entries = Object.entries(data as Record<string, unknown>)
  const total = (data as Record<string, unknown>).total as SummaryLines | undefined
  if (total && typeof total === 'object' && total.lines && typeof total.lines.total === 'number') {
    const files = new Map<string, { covered: number; total: number }>()
    for (const [file, v] of entries) {
      const lines = (v as Partial<SummaryLines>)?.lines
      if (file !== 'total' && lines && typeof lines.total === 'number') files.set(file, { covered: lines.covered ?? 0, total: lines.total })
    }
    // The total is what the summary says, even when files were left out of it.
    const r = report('istanbul-summary', files)
    const covered = total.lines.covered ?? Math.round(((total.lines.pct ?? 0) / 100) * total.lines.total)
    return { ...r, covered, total: total.lines.total, ratio: total.lines.total ? covered / total.lines.total : 1 }
  }
  const files = new Map<string, { covered: number; total: number }>()
  for (const [file, v] of entries) {
    const f = v as Partial<IstanbulFile> | null
    if (!f || typeof f !== 'object' || !f.statementMap || !f.s) {
      throw badReport(
        label,
        `\`${file}\` has no statementMap: not coverage-final.json nor coverage-summary.json`,
        'pass the json reporter output (coverage-final.json) or json-summary (coverage-summary.json)',
      )
    }
    const lines = new Map<number, number>()
    for (const [id, loc] of Object.entries(f.statementMap)) {
      const n = loc?.start?.line
      if (typeof n !== 'number') continue
      lines.set(n, Math.max(lines.get(n) ?? 0, f.s[id] ?? 0))
    }
    files.set(f.path ?? file, { total: lines.size, covered: [...lines.values()].filter((c) => c > 0).length })
  }
  if (!files.size) throw badReport(label, 'no files in the Istanbul report', 'run the tests with coverage on, so that the report names the files it measured')
  return report('istanbul-final', files)
}

export interface XmlTag {
  name: string
  attrs: Record<string, string>
  /** `</name>` */
  closing: boolean
}

/** The tags of an XML text, in order (comments, declarations and CDATA skipped): enough for a report's elements and attributes. */
export function xmlTags(text: string): XmlTag[] {
  const tags: XmlTag[] = []
  let i = 0
  while ((i = text.indexOf('<', i)) >= 0) {
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4)
      i = end < 0 ? text.length : end + 3
      continue
    }
    if (text.startsWith('<![CDATA[', i)) {
      const end = text.indexOf(']]>', i)
      i = end < 0 ? text.length : end + 3
      continue
    }
    if (text[i + 1] === '?' || text[i + 1] === '!') {
      const end = text.indexOf('>', i)
      i = end < 0 ? text.length : end + 1
      continue
    }
    let j = i + 1
    const closing = text[j] === '/'
    if (closing) j++
    const nameStart = j
    while (j < text.length && !' \t\r\n/>'.includes(text[j]!)) j++
    const name = text.slice(nameStart, j)
    const attrs: Record<string, string> = {}
    while (j < text.length && text[j] !== '>') {
      const c = text[j]!
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '/') {
        j++
        continue
      }
      const keyStart = j
      while (j < text.length && !' \t\r\n=/>'.includes(text[j]!)) j++
      const key = text.slice(keyStart, j)
      while (text[j] === ' ') j++
      if (text[j] !== '=') {
        attrs[key] = ''
        continue
      }
      j++
      while (text[j] === ' ') j++
      const quote = text[j]
      if (quote === '"' || quote === "'") {
        const end = text.indexOf(quote, j + 1)
        if (end < 0) throw new Error(`unterminated attribute \`${key}\``)
        attrs[key] = unescapeXml(text.slice(j + 1, end))
        j = end + 1
      } else {
        const vStart = j
        while (j < text.length && !' \t\r\n>'.includes(text[j]!)) j++
        attrs[key] = text.slice(vStart, j)
      }
    }
    if (j >= text.length) throw new Error(`unterminated tag <${name}>`)
    if (name) tags.push({ name, attrs, closing })
    i = j + 1
  }
  return tags
}

function unescapeXml(s: string): string {
  return s.replace(/&(lt|gt|quot|apos|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e]!)
}

/**
 * Cobertura: lines per file from `<class filename>`'s `<line number hits>` (several classes may
 * share a file); a class without lines counts by its `line-rate`. The root's `lines-valid` and
 * `lines-covered` win for the total when present.
 */
export function parseCobertura(text: string, label: string): CoverageReport {
  let tags: XmlTag[]
  try {
    tags = xmlTags(text)
  } catch (e) {
    throw badReport(
      label,
      `malformed XML: ${(e as Error).message}`,
      'write the report again (`coverage xml`, `--reporter=cobertura`); it may have been cut short',
    )
  }
  const root = tags.find((t) => !t.closing && t.name === 'coverage')
  if (!root) throw badReport(label, 'no <coverage> element: not a Cobertura report', 'pass Cobertura XML (`coverage xml`), lcov or Istanbul JSON')
  const lines = new Map<string, Map<number, number>>()
  const rates = new Map<string, number>()
  let current: string | undefined
  for (const t of tags) {
    if (t.name === 'class') {
      if (t.closing) {
        current = undefined
        continue
      }
      current = t.attrs.filename ?? t.attrs.name
      if (current !== undefined && !lines.has(current)) lines.set(current, new Map())
      const rate = Number(t.attrs['line-rate'])
      if (current !== undefined && Number.isFinite(rate)) rates.set(current, rate)
    } else if (t.name === 'line' && !t.closing && current !== undefined) {
      const n = Number(t.attrs.number)
      const hits = Number(t.attrs.hits)
      if (!Number.isFinite(n)) continue
      const m = lines.get(current)!
      m.set(n, Math.max(m.get(n) ?? 0, Number.isFinite(hits) ? hits : 0))
    }
  }
  const files = new Map<string, { covered: number; total: number }>()
  const byRate = new Map<string, number>()
  for (const [file, m] of lines) {
    if (m.size) files.set(file, { total: m.size, covered: [...m.values()].filter((h) => h > 0).length })
    else if (rates.has(file)) byRate.set(file, rates.get(file)!)
  }
  const r = report('cobertura', files)
  for (const [file, rate] of byRate) r.byFile.set(file.split('\\').join('/'), rate)
  const valid = Number(root.attrs['lines-valid'])
  const covered = Number(root.attrs['lines-covered'])
  if (Number.isFinite(valid) && Number.isFinite(covered) && root.attrs['lines-valid'] !== undefined) {
    return { ...r, covered, total: valid, ratio: valid ? covered / valid : 1 }
  }
  const rate = Number(root.attrs['line-rate'])
  if (!files.size && Number.isFinite(rate) && root.attrs['line-rate'] !== undefined) return { ...r, ratio: rate }
  if (!files.size && !byRate.size) throw badReport(label, 'the Cobertura report has no line-rate and no lines', 'write the report again with line coverage on')
  return r
}
