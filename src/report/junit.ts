/**
 * JUnit XML (the Jenkins / Ant format every CI reads; test/support/junit.xsd) of a RunResult.
 *
 * - One `<testsuite>` per candidate, named after it; its `<properties>` hold that candidate's summary
 *   figures. One `<testcase>` per baseline item: `name` is the item's key, `classname` its
 *   component, `file`/`line` its baseline source relative to the repository root (see CiOptions).
 * - `missing` and `divergent` fail, `excluded` is skipped with the exclude rule's reason, `ported` and
 *   `verified` pass. So a suite's `tests`, `failures` and `skipped` are the candidate's
 *   total + excluded, missing + divergent and excluded.
 * - Columns are not test cases: they follow their tables, as in the summary. A table the candidate
 *   has but with columns missing passes, and names the columns in its `<system-out>`.
 * - Extra (candidate-only) items are listed in the suite's `<system-out>`, not counted as tests.
 * - With an assessment (`parity run`): a finding the ledger accepts is skipped (`accepted: reason`)
 *   instead of failing, and a last suite `gates` holds one test case per gate.
 *
 * No durations: parity measures none here, so `time` is left out.
 */
import { isEndpoint, type Item } from '../model/inventory.js'
import type { RunResult, Summary } from '../model/run.js'
import { baselineName, candidateNames, extrasIn, missingColumnsOfPresentTables, repoLocation, repoPath, statusesIn, type CiOptions } from './ci-items.js'

/** Characters XML 1.0 cannot hold at all, even escaped: replaced by U+FFFD. */
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/** Escapes text content. */
export function xmlText(s: string): string {
  return s.replace(INVALID_XML, '\uFFFD').replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')
}

/** Escapes an attribute value (quoted with "), keeping tabs and line breaks, which parsers would otherwise fold. */
export function xmlAttr(s: string): string {
  return xmlText(s).replaceAll('"', '&quot;').replaceAll("'", '&apos;').replaceAll('\t', '&#9;').replaceAll('\n', '&#10;').replaceAll('\r', '&#13;')
}

function attrs(values: Record<string, string | number | undefined>): string {
  return Object.entries(values)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`)
    .join('')
}

function display(item: Item): string {
  if (isEndpoint(item)) return `${item.method} ${item.path}`
  return item.key
}

function summaryProperties(summary: Summary | undefined, extra: Record<string, string>): string[] {
  const figures: Record<string, string> = { ...extra }
  if (summary) {
    for (const k of ['total', 'percent', 'ported', 'verified', 'divergent', 'missing', 'excluded', 'extra'] as const) figures[k] = String(summary[k])
  }
  return ['    <properties>', ...Object.entries(figures).map(([name, value]) => `      <property${attrs({ name, value })}/>`), '    </properties>']
}

export function renderJunit(run: RunResult, options: CiOptions = {}): string {
  const base = baselineName(run)
  const suites: { name: string; tests: number; failures: number; skipped: number; body: string[] }[] = []
  for (const candidate of candidateNames(run)) {
    const statuses = statusesIn(run, candidate)
    const columns = missingColumnsOfPresentTables(statuses)
    const body = summaryProperties(run.candidates[candidate], { baseline: base, candidate })
    let tests = 0
    let failures = 0
    let skipped = 0
    for (const s of statuses) {
      if (s.pair.kind === 'column') continue
      tests++
      const where = repoLocation(run, base, s.baseline, options)
      const head = `    <testcase${attrs({ name: s.pair.key, classname: s.pair.component, file: repoPath(run, base, s.baseline.source.file, options), line: s.baseline.source.line })}`
      const inner: string[] = []
      if (s.accepted !== undefined) {
        skipped++
        inner.push(`      <skipped${attrs({ message: `accepted ${s.status}: ${s.accepted}` })}/>`)
      } else if (s.status === 'missing') {
        failures++
        const message = `${display(s.baseline)} is missing in ${candidate} (${base}: ${where})`
        const details = [`${message}.`]
        if (s.pair.impact) details.push(`impact: ${s.pair.impact}`)
        const near = run.nearMisses.find((n) => n.candidateSystem === candidate && n.baseline.key === s.pair.key && n.kind === s.pair.kind)
        if (near)
          details.push(
            `possible rename: ${display(near.candidate)} (${near.reason}); confirm with the map rule { from: "${near.suggestion.from}", to: "${near.suggestion.to}" }`,
          )
        inner.push(`      <failure${attrs({ message, type: 'missing' })}>${xmlText(details.join('\n'))}</failure>`)
      } else if (s.status === 'divergent') {
        failures++
        const there = s.counterpart ? repoLocation(run, candidate, s.counterpart, options) : '?'
        const message = `${display(s.baseline)} behaves differently in ${candidate} (${base}: ${where}, ${candidate}: ${there})`
        // What differs, from the replay's evidence for this route.
        const differences = (run.routes ?? []).find((r) => r.key === s.pair.key)?.differences ?? []
        const lines = differences
          .slice(0, 10)
          .map(
            (d) =>
              `${d.where}${d.pointer ? ` ${d.pointer}` : ''}: ${d.kind}, baseline ${JSON.stringify(d.baseline) ?? 'absent'}, candidate ${JSON.stringify(d.candidate) ?? 'absent'}${d.note ? ` (${d.note})` : ''}`,
          )
        inner.push(`      <failure${attrs({ message, type: 'divergent' })}>${xmlText([message, ...lines].join('\n'))}</failure>`)
      } else if (s.status === 'excluded') {
        skipped++
        inner.push(`      <skipped${attrs({ message: `excluded: ${s.pair.reason ?? 'no reason given'}` })}/>`)
      }
      const lost = columns.get(s.pair.key)
      if (lost)
        inner.push(
          `      <system-out>${xmlText(`columns missing in ${candidate}: ${lost.map((c) => (c.baseline.kind === 'column' ? c.baseline.name : c.pair.key)).join(', ')}`)}</system-out>`,
        )
      body.push(inner.length ? `${head}>\n${inner.join('\n')}\n    </testcase>` : `${head}/>`)
    }
    const extras = extrasIn(run, candidate)
    if (extras.length) {
      const lines = extras.map((item) => `+ ${display(item)}  ${repoLocation(run, candidate, item, options)}`)
      body.push(`    <system-out>${xmlText(`extra in ${candidate} (not in ${base}):\n${lines.join('\n')}\n`)}</system-out>`)
    }
    suites.push({ name: candidate, tests, failures, skipped, body })
  }

  const gates = run.assessment?.gates ?? []
  if (gates.length) {
    const verdict = run.assessment!.verdict
    const body = ['    <properties>', `      <property${attrs({ name: 'productionReady', value: String(verdict.productionReady) })}/>`, '    </properties>']
    for (const g of gates) {
      const head = `    <testcase${attrs({ name: g.gate, classname: 'gates' })}`
      body.push(
        g.passed
          ? `${head}/>`
          : `${head}>\n      <failure${attrs({ message: g.message, type: 'gate' })}>${xmlText(`${g.message}\nmeasured: ${g.actual ?? 'not measurable yet'}`)}</failure>\n    </testcase>`,
      )
    }
    suites.push({ name: 'gates', tests: gates.length, failures: gates.filter((g) => !g.passed).length, skipped: 0, body })
  }

  const sum = (k: 'tests' | 'failures' | 'skipped') => suites.reduce((n, s) => n + s[k], 0)
  // The Ant format's timestamp is a local date-time without zone or fraction: RunResult times are UTC.
  const stamp = run.startedAt.replace(/(\.\d+)?Z$/, '')
  const timestamp = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/.test(stamp) ? stamp : undefined
  const out = ['<?xml version="1.0" encoding="UTF-8"?>']
  out.push(
    `<testsuites${attrs({ name: `parity: ${base} → ${candidateNames(run).join(', ')}`, tests: sum('tests'), failures: sum('failures'), errors: 0, skipped: sum('skipped') })}>`,
  )
  for (const s of suites) {
    out.push(`  <testsuite${attrs({ name: s.name, tests: s.tests, failures: s.failures, errors: 0, skipped: s.skipped, timestamp })}>`)
    out.push(...s.body, '  </testsuite>')
  }
  out.push('</testsuites>', '')
  return out.join('\n')
}
