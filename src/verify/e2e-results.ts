/**
 * Reading a test suite's results: JUnit XML, TAP in its output, a closing summary line
 * (generic, vitest, jest, mocha, pytest, cargo, node:test), in that order of preference.
 * Pure functions over text; running the suite is in e2e.ts.
 */
import { ParityError } from '../model/errors.js'

export type TestStatus = 'pass' | 'fail' | 'skip'

export interface ParsedTest {
  name: string
  status: TestStatus
}

export interface SummaryCounts {
  passed: number
  failed: number
  skipped: number
}

// ---------------------------------------------------------------------------------------------
// A small XML reader: elements, attributes, text, CDATA, comments, processing instructions and a
// DOCTYPE without an internal subset. Enough for JUnit; anything malformed is an error.

interface XmlElement {
  name: string
  attrs: Record<string, string>
  children: XmlElement[]
}

const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(Number.parseInt(ref.slice(2), 16))
    if (ref.startsWith('#')) return String.fromCodePoint(Number.parseInt(ref.slice(1), 10))
    return NAMED_ENTITIES[ref] ?? whole
  })
}

function lineAt(text: string, index: number): number {
  let line = 1
  for (let i = 0; i < index && i < text.length; i++) if (text.charCodeAt(i) === 10) line++
  return line
}

/** Parses an XML document into its root element; throws an Error naming the line when malformed. */
export function parseXml(text: string): XmlElement {
  const root: XmlElement = { name: '#document', attrs: {}, children: [] }
  const stack: XmlElement[] = [root]
  const fail = (message: string, at: number): never => {
    throw new Error(`${message} at line ${lineAt(text, at)}`)
  }
  let i = 0
  while (i < text.length) {
    const lt = text.indexOf('<', i)
    if (lt < 0) break
    i = lt
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4)
      if (end < 0) fail('unclosed comment', i)
      i = end + 3
    } else if (text.startsWith('<![CDATA[', i)) {
      const end = text.indexOf(']]>', i + 9)
      if (end < 0) fail('unclosed CDATA section', i)
      i = end + 3
    } else if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i + 2)
      if (end < 0) fail('unclosed processing instruction', i)
      i = end + 2
    } else if (text.startsWith('<!', i)) {
      const end = text.indexOf('>', i + 2)
      if (end < 0) fail('unclosed declaration', i)
      i = end + 1
    } else if (text.startsWith('</', i)) {
      const m = /^<\/([^\s>]+)\s*>/.exec(text.slice(i, i + 512))
      if (!m) fail('malformed end tag', i)
      const open = stack.pop()
      if (!open || open === root || open.name !== m![1]) fail(`end tag </${m![1]}> does not close <${open?.name ?? ''}>`, i)
      i += m![0].length
    } else {
      const nameMatch = /^<([A-Za-z_:][\w:.-]*)/.exec(text.slice(i, i + 512))
      if (!nameMatch) fail('malformed start tag', i)
      const element: XmlElement = { name: nameMatch![1]!, attrs: {}, children: [] }
      let j = i + nameMatch![0].length
      const attr = /\s*([A-Za-z_:][\w:.-]*)\s*=\s*("([^"]*)"|'([^']*)')|\s*(\/?>)/y
      let closed = false
      let selfClosing = false
      while (!closed) {
        attr.lastIndex = j
        const m = attr.exec(text)
        if (!m) fail(`malformed attribute in <${element.name}>`, j)
        j = attr.lastIndex
        if (m![5]) {
          closed = true
          selfClosing = m![5] === '/>'
        } else {
          element.attrs[m![1]!] = decodeEntities(m![3] ?? m![4] ?? '')
        }
      }
      stack[stack.length - 1]!.children.push(element)
      if (!selfClosing) stack.push(element)
      i = j
    }
  }
  if (stack.length > 1) fail(`<${stack[stack.length - 1]!.name}> is never closed`, text.length)
  const top = root.children[0]
  if (!top) throw new Error('no element in the document')
  return top
}

/**
 * The test cases of a JUnit XML report: every `testcase` under `testsuites`/`testsuite` (nested
 * suites included), failed when it holds `failure` or `error`, skipped when it holds `skipped`.
 * Named `classname > name` (the enclosing suite's name when there is no classname); repeated
 * names get ` (2)`, ` (3)`... so that both runs pair them in order.
 */
export function parseJunit(xml: string): ParsedTest[] {
  let root: XmlElement
  try {
    root = parseXml(xml)
  } catch (e) {
    throw new ParityError(
      'BAD_JUNIT',
      `the JUnit file is not well-formed XML: ${(e as Error).message}`,
      'check the reporter that writes it, or drop --junit to read TAP or the summary line',
    )
  }
  if (root.name !== 'testsuites' && root.name !== 'testsuite') {
    throw new ParityError(
      'BAD_JUNIT',
      `the JUnit file's root element is <${root.name}>, not <testsuites> or <testsuite>`,
      'name the file your JUnit reporter writes with --junit',
    )
  }
  const tests: ParsedTest[] = []
  const walk = (element: XmlElement, suite: string | undefined): void => {
    for (const child of element.children) {
      if (child.name === 'testsuite' || child.name === 'testsuites') {
        walk(child, child.attrs.name || suite)
      } else if (child.name === 'testcase') {
        const name = child.attrs.name ?? ''
        const group = child.attrs.classname || suite
        const kinds = new Set(child.children.map((c) => c.name))
        const status: TestStatus = kinds.has('failure') || kinds.has('error') ? 'fail' : kinds.has('skipped') ? 'skip' : 'pass'
        tests.push({ name: group && group !== name ? `${group} > ${name}` : name, status })
      }
    }
  }
  walk({ name: '#root', attrs: {}, children: [root] }, undefined)
  return uniqueNames(tests)
}

/** Gives repeated names a ` (n)` suffix, in order of appearance. */
export function uniqueNames(tests: ParsedTest[]): ParsedTest[] {
  const seen = new Map<string, number>()
  return tests.map((t) => {
    const n = (seen.get(t.name) ?? 0) + 1
    seen.set(t.name, n)
    return n === 1 ? t : { ...t, name: `${t.name} (${n})` }
  })
}

// ---------------------------------------------------------------------------------------------

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007]*\u0007/g

/** Output lines without colour codes or carriage returns. */
export function outputLines(text: string): string[] {
  return text
    .replace(ANSI, '')
    .split(/\r?\n/)
    .map((l) => l.replace(/\r/g, ''))
}

const TAP_LINE = /^(\s*)(not ok|ok)\s+(\d+)\b\s*(?:-\s*)?(.*)$/
const TAP_MARKER = /^\s*(TAP version \d+|1\.\.\d+)/

/**
 * The tests of TAP output (`ok 1 - name`, `not ok 2 - name`, `# SKIP`, `# TODO`). Indented
 * subtests (node:test, TAP 14) are reported as `parent > child` in place of their parent.
 * Returns undefined when the output holds no TAP (no version or plan line, or no test line).
 */
export function parseTap(text: string): ParsedTest[] | undefined {
  const lines = outputLines(text)
  if (!lines.some((l) => TAP_MARKER.test(l))) return undefined
  // A subtest's line comes before its parent's: on a parent's line, the deeper entries are its children.
  let pending: Array<ParsedTest & { indent: number }> = []
  for (const line of lines) {
    const m = TAP_LINE.exec(line)
    if (!m) continue
    const indent = m[1]!.length
    const split = splitDirective(m[4]!)
    const name = split.name || `test ${m[3]}`
    const directive = split.directive
    const ok = m[2] === 'ok'
    const status: TestStatus = /^skip/i.test(directive) ? 'skip' : /^todo/i.test(directive) ? (ok ? 'pass' : 'skip') : ok ? 'pass' : 'fail'
    const firstChild = pending.findIndex((p) => p.indent > indent)
    if (firstChild < 0) {
      pending.push({ name, status, indent })
      continue
    }
    const children = pending.slice(firstChild)
    pending = pending.slice(0, firstChild)
    for (const c of children) pending.push({ name: `${name} > ${c.name}`, status: c.status, indent })
  }
  if (!pending.length) return undefined
  return uniqueNames(pending.map(({ name, status }) => ({ name, status })))
}

/** `name # SKIP reason` into the name and the directive (`SKIP` or `TODO`); `\\#` is a literal hash. */
function splitDirective(rest: string): { name: string; directive: string } {
  const m = /(?:^|[^\\])#\s*((?:SKIP|TODO)\S*.*)$/i.exec(rest)
  if (!m) return { name: rest.trim().replace(/\\#/g, '#'), directive: '' }
  const at = m.index + (m[0].startsWith('#') ? 0 : 1)
  return { name: rest.slice(0, at).trim().replace(/\\#/g, '#'), directive: m[1]!.trim() }
}

const COUNT_WORDS: Record<string, keyof SummaryCounts | 'ignore'> = {
  passed: 'passed',
  passing: 'passed',
  pass: 'passed',
  xpassed: 'passed',
  failed: 'failed',
  failing: 'failed',
  fail: 'failed',
  failure: 'failed',
  failures: 'failed',
  error: 'failed',
  errors: 'failed',
  skipped: 'skipped',
  skip: 'skipped',
  pending: 'skipped',
  ignored: 'skipped',
  todo: 'skipped',
  xfailed: 'skipped',
  total: 'ignore',
  tests: 'ignore',
  measured: 'ignore',
  deselected: 'ignore',
  warning: 'ignore',
  warnings: 'ignore',
  cancelled: 'failed',
  suites: 'ignore',
  filtered: 'ignore',
  rerun: 'ignore',
}

/** Lines that look like a summary but count something else (files, suites, snapshots). */
const OTHER_TALLIES = /^\s*(Test Files|Test Suites:|Snapshots:|Time:|Ran all)/

/**
 * The counts of one summary line, or undefined: `3 passed, 1 failed, 2 skipped` with `,` `;` or `|`
 * between tallies, after an optional label (`Tests:`, `test result: FAILED.`, `=====`, `ℹ`, `#`)
 * and before an optional tail (`(8)`, `in 0.12s =====`, `(20ms)`); or node:test's `ℹ pass 4`.
 */
export function parseSummaryLine(line: string): SummaryCounts | undefined {
  const t = tallyLine(line)
  return t?.strong ? t.counts : undefined
}

/** A line of tallies; `strong` when it counts passes or failures (a lone `1 pending` is not). */
function tallyLine(line: string): { counts: SummaryCounts; strong: boolean } | undefined {
  if (OTHER_TALLIES.test(line)) return undefined
  const counts: SummaryCounts = { passed: 0, failed: 0, skipped: 0 }
  const labelled = /^\s*(?:ℹ|#)\s*(pass|fail|skipped|todo|cancelled)\s+(\d+)\s*$/.exec(line)
  if (labelled) {
    const word = COUNT_WORDS[labelled[1]!] as keyof SummaryCounts
    counts[word] += Number(labelled[2])
    return { counts, strong: word !== 'skipped' }
  }
  let body = line.trim().replace(/^=+\s*|\s*=+$/g, '')
  body = body.replace(/^(?:Tests:?|test result:\s*\w+\.|ℹ|#|[✓✔✗✖×]|Results?:)\s*/i, '')
  const tallies = body.split(/\s*[,;|]\s*/)
  let counted = false
  for (let k = 0; k < tallies.length; k++) {
    const last = k === tallies.length - 1
    if (last && /^finished in /.test(tallies[k]!)) continue // cargo
    const m = /^(\d+)\s+([a-z]+)(?:\s+out)?(.*)$/i.exec(tallies[k]!)
    if (!m) return undefined
    const word = COUNT_WORDS[m[2]!.toLowerCase()]
    if (!word) return undefined
    const tail = m[3]!.trim()
    if (tail && !(last && /^(\(.*\)|in [\d.]+\s*m?s\b.*)$/.test(tail))) return undefined
    if (word === 'ignore') continue
    counts[word] += Number(m[1])
    if (word === 'passed' || word === 'failed') counted = true
  }
  return tallies.length ? { counts, strong: counted } : undefined
}

/**
 * The last summary in the output: a summary line, or a block of consecutive ones (mocha writes
 * `3 passing`, `1 pending`, `1 failing` on lines of their own, node:test `ℹ pass 4`, `ℹ fail 1`).
 */
export function parseSummary(text: string): SummaryCounts | undefined {
  let last: SummaryCounts | undefined
  let block: { counts: SummaryCounts; strong: boolean } | undefined
  for (const line of [...outputLines(text), '']) {
    const t = tallyLine(line)
    if (!t) {
      if (block?.strong) last = block.counts
      block = undefined
      continue
    }
    const b = block?.counts
    block = b
      ? {
          counts: { passed: b.passed + t.counts.passed, failed: b.failed + t.counts.failed, skipped: b.skipped + t.counts.skipped },
          strong: block!.strong || t.strong,
        }
      : t
  }
  return last
}
