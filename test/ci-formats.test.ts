/**
 * CI formats on real RunResults from the built CLI (the bookmarks demo in examples/, the three-way
 * shop in fixtures/diff): JUnit validated against test/support/junit.xsd by libxml2 (xmllint-wasm:
 * no system package needed) and queried with XPath, GitHub annotations parsed back to the items they
 * point at.
 */
import { spawnSync } from 'node:child_process'
import { DOMParser } from '@xmldom/xmldom'
import { validateXML } from 'xmllint-wasm'
import * as XPath from 'xpath'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { assess, fingerprint } from '../src/assess/gates.js'
import type { Pair, RunResult } from '../src/model/run.js'
import { escapeData, escapeProperty, renderGithubAnnotations, renderGithubSummary } from '../src/report/github.js'
import { renderJunit } from '../src/report/junit.js'

const repo = new URL('..', import.meta.url).pathname
const bin = join(repo, 'bin/parity.js')
const xsd = join(repo, 'test/support/junit.xsd')
const tmp = mkdtempSync(join(tmpdir(), 'parity-ci-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

function diffJson(args: string[], cwd: string): RunResult {
  const r = spawnSync(process.execPath, [bin, 'diff', ...args, '--format', 'json'], { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true' } })
  expect(r.status, r.stderr).toBe(0)
  return JSON.parse(r.stdout) as RunResult
}

let files = 0
/** Writes the XML, validates it against the XSD with libxml2 (compiled to WebAssembly); returns its path. */
async function validJunit(xml: string): Promise<string> {
  const file = join(tmp, `junit-${files++}.xml`)
  writeFileSync(file, xml)
  const r = await validateXML({ xml: [{ fileName: file, contents: xml }], schema: [{ fileName: 'junit.xsd', contents: readFileSync(xsd, 'utf8') }] })
  expect(r.errors.map((e) => e.rawMessage)).toEqual([])
  expect(r.valid).toBe(true)
  return file
}

/** Evaluates an XPath 1.0 expression; a node set reads as xmllint prints it (attributes as `name="value"`). */
function xpath(file: string, expr: string): string {
  const doc = new DOMParser().parseFromString(readFileSync(file, 'utf8'), 'text/xml')
  const value = XPath.select(expr, doc as unknown as Node)
  if (!Array.isArray(value)) return String(value)
  return value.map((n) => (n.nodeType === 2 ? ` ${(n as Attr).name}="${(n as Attr).value}"` : String(n))).join('\n')
}
const count = (file: string, expr: string) => Number(xpath(file, `count(${expr})`))
const quoted = (s: string) => (s.includes('"') ? `'${s}'` : `"${s}"`)

interface Command {
  name: string
  props: Record<string, string>
  message: string
}
const unescapeData = (s: string) => s.replaceAll('%0D', '\r').replaceAll('%0A', '\n').replaceAll('%3A', ':').replaceAll('%2C', ',').replaceAll('%25', '%')
/** Parses `::name k=v,k=v::message` as the GitHub runner does. */
function parseCommand(line: string): Command {
  const m = /^::([a-z-]+)(?: ([\s\S]*?))?::([\s\S]*)$/.exec(line)
  if (!m) throw new Error(`not a workflow command: ${line}`)
  const props: Record<string, string> = {}
  for (const part of m[2] ? m[2].split(',') : []) {
    const eq = part.indexOf('=')
    props[part.slice(0, eq)] = unescapeData(part.slice(eq + 1))
  }
  return { name: m[1]!, props, message: unescapeData(m[3]!) }
}

/** Missing baseline items a candidate should be told about: non-column items, and columns of tables it has. */
function expectedMissing(run: RunResult, candidate: string): Pair[] {
  const status = (p: Pair) => (p.matrix ? p.matrix[candidate]?.status : p.status)
  const present = new Set(
    run.pairs.filter((p) => p.kind === 'table' && p.baseline && ['ported', 'verified', 'divergent'].includes(status(p) ?? '')).map((p) => p.key),
  )
  return run.pairs.filter((p) => p.baseline && status(p) === 'missing' && (p.kind !== 'column' || present.has(`table ${p.key.slice(7, p.key.indexOf('.'))}`)))
}

const demo = diffJson([], join(repo, 'fixtures/examples-static'))
const shop = diffJson(['--config', 'fixtures/diff/parity.config.yaml'], repo)

describe('renderJunit', () => {
  for (const [name, run, base] of [
    ['the bookmarks demo', demo, 'fixtures/examples-static'],
    ['the three-way shop', shop, undefined],
  ] as const) {
    it(`${name}: validates against the JUnit schema, one suite per candidate whose counts are the summary's`, async () => {
      const file = await validJunit(renderJunit(run, base ? { base } : {}))
      const candidates = Object.keys(run.candidates)
      expect(count(file, '/testsuites/testsuite')).toBe(candidates.length)
      for (const c of candidates) {
        const s = run.candidates[c]!
        const suite = `/testsuites/testsuite[@name=${quoted(c)}]`
        expect(Number(xpath(file, `string(${suite}/@tests)`))).toBe(s.total + s.excluded)
        expect(count(file, `${suite}/testcase`)).toBe(s.total + s.excluded)
        expect(Number(xpath(file, `string(${suite}/@failures)`))).toBe(s.missing + s.divergent)
        expect(count(file, `${suite}/testcase[failure[@type="missing"]]`)).toBe(s.missing)
        expect(count(file, `${suite}/testcase[skipped]`)).toBe(s.excluded)
        expect(Number(xpath(file, `string(${suite}/properties/property[@name="percent"]/@value)`))).toBe(s.percent)
        // The failing cases are exactly the missing items, named by key, classed by component.
        const failing = xpath(file, `${suite}/testcase[failure]/@name`).match(/name="[^"]*"/g) ?? []
        const missing = run.pairs.filter((p) => p.baseline && p.kind !== 'column' && (p.matrix ? p.matrix[c]?.status : p.status) === 'missing')
        expect(failing.map((n) => n.slice(6, -1)).sort()).toEqual(missing.map((p) => p.key).sort())
        const first = missing[0]!
        expect(xpath(file, `string(${suite}/testcase[@name=${quoted(first.key)}]/@classname)`)).toBe(first.component)
      }
      expect(Number(xpath(file, 'string(/testsuites/@tests)'))).toBe(candidates.reduce((n, c) => n + run.candidates[c]!.total + run.candidates[c]!.excluded, 0))
      // Every test case points at a real line of a real file, relative to the repository root.
      const cases = xpath(file, '//testcase/@file').match(/file="[^"]*"/g) ?? []
      expect(cases.length).toBe(count(file, '//testcase'))
      for (const f of new Set(cases.map((x) => x.slice(6, -1)))) expect(existsSync(join(repo, f)), f).toBe(true)
    })
  }

  it('skips excluded items with the exclude reason, lists extras in system-out, names missing columns of ported tables', async () => {
    const file = await validJunit(renderJunit(demo, { base: 'fixtures/examples-static' }))
    const excluded = demo.pairs.find((p) => p.status === 'excluded')!
    expect(xpath(file, `string(//testcase[@name=${quoted(excluded.key)}]/skipped/@message)`)).toBe(`excluded: ${excluded.reason}`)
    const out = xpath(file, 'string(/testsuites/testsuite[@name="axum"]/system-out)')
    for (const extra of demo.pairs.filter((p) => p.status === 'extra'))
      expect(out).toContain(`examples/bookmarks-axum/${extra.candidate!.source.file}:${extra.candidate!.source.line}`)
    expect(xpath(file, 'string(//testcase[@name="table users"]/system-out)')).toContain('totp_secret')
    expect(count(file, '//testcase[@name="table users"][failure]')).toBe(0)
    const failure = xpath(file, 'string(//testcase[@name="GET /api/admin/stats"]/failure/@message)')
    expect(failure).toBe('GET /api/admin/stats is missing in axum (express: examples/bookmarks-express/src/routes/admin.ts:5)')
  })

  it('with an assessment: accepted findings skip, and a gates suite fails with the failed gates', async () => {
    const route = demo.pairs.find((p) => p.kind === 'route' && p.status === 'missing')!
    const table = demo.pairs.find((p) => p.kind === 'table' && p.status === 'missing')!
    const run: RunResult = {
      ...demo,
      assessment: assess(
        demo,
        ['ported >= 0.9', 'missingTables == 0'],
        [
          { fingerprint: fingerprint('missing', 'route', route.key, 'axum'), reason: 'replaced by the new search service' },
          { fingerprint: fingerprint('missing-table', 'table', table.key, 'axum'), reason: 'folded into bookmarks' },
        ],
      ),
    }
    const file = await validJunit(renderJunit(run, { base: 'fixtures/examples-static' }))
    expect(xpath(file, `string(//testcase[@name=${quoted(route.key)}]/skipped/@message)`)).toBe('accepted missing: replaced by the new search service')
    expect(count(file, `//testcase[@name=${quoted(table.key)}]/skipped`)).toBe(1)
    expect(Number(xpath(file, 'string(/testsuites/testsuite[@name="axum"]/@failures)'))).toBe(demo.summary.missing - 2)
    expect(count(file, '/testsuites/testsuite[@name="gates"]/testcase')).toBe(2)
    expect(count(file, '/testsuites/testsuite[@name="gates"]/testcase[@name="ported >= 0.9"]/failure')).toBe(1)
    const tables = run.assessment!.gates.find((g) => g.gate === 'missingTables == 0')!
    expect(count(file, '/testsuites/testsuite[@name="gates"]/testcase[@name="missingTables == 0"]/failure')).toBe(tables.passed ? 0 : 1)
  })
})

describe('renderGithubAnnotations', () => {
  it('one ::error per missing item with its baseline location, relative to the repository root', () => {
    const commands = renderGithubAnnotations(demo, { base: 'fixtures/examples-static' }).map(parseCommand)
    const expected = expectedMissing(demo, 'axum')
    expect(commands.every((c) => c.name === 'error')).toBe(true)
    expect(commands.map((c) => `${c.props.file}:${c.props.line}`).sort()).toEqual(
      expected.map((p) => `examples/bookmarks-express/${p.baseline!.source.file}:${p.baseline!.source.line}`).sort(),
    )
    for (const c of commands) {
      const lines = readFileSync(join(repo, c.props.file!), 'utf8').split('\n').length
      expect(Number(c.props.line)).toBeLessThanOrEqual(lines)
      expect(c.props.title).toMatch(/^parity: missing in axum: /)
    }
    const sse = commands.find((c) => c.props.title === 'parity: missing in axum: capability sse')!
    expect(sse.message).toContain('\nImpact: ')
  })

  it('with several candidates: one annotation per item naming each candidate that lacks it', () => {
    const commands = renderGithubAnnotations(shop).map(parseCommand)
    const keys = new Set(
      [...expectedMissing(shop, 'axum'), ...expectedMissing(shop, 'gin')].map(
        (p) => `fixtures/diff/express-api/${p.baseline!.source.file}:${p.baseline!.source.line}`,
      ),
    )
    expect(commands.map((c) => `${c.props.file}:${c.props.line}`).sort()).toEqual([...keys].sort())
    const both = commands.find((c) => c.message.startsWith('GET /api/legacy/export'))!
    expect(both.props.title).toBe('parity: missing in axum, gin: GET /api/legacy/export')
  })

  it('accepted findings become notices', () => {
    const route = demo.pairs.find((p) => p.kind === 'route' && p.status === 'missing')!
    const run: RunResult = {
      ...demo,
      assessment: assess(demo, ['ported >= 0.9'], [{ fingerprint: fingerprint('missing', 'route', route.key, 'axum'), reason: 'gone' }]),
    }
    const commands = renderGithubAnnotations(run, { base: 'fixtures/examples-static' }).map(parseCommand)
    const notices = commands.filter((c) => c.name === 'notice')
    expect(notices.length).toBe(1)
    expect(notices[0]!.message).toContain('Accepted: axum: gone')
    expect(commands.length).toBe(expectedMissing(demo, 'axum').length)
  })
})

describe('awkward keys', () => {
  // A real run with one missing route renamed to every character that needs escaping somewhere,
  // and one ported route turned divergent.
  const nasty = 'GET /a,b:c/%25/<x>&"q"\'/]]>|`pipe`\n\r\ttab\u0001/😀'
  const run = structuredClone(demo)
  const missing = run.pairs.find((p) => p.kind === 'route' && p.status === 'missing')!
  missing.key = nasty
  missing.component = 'we<ird>&co'
  missing.baseline = { ...missing.baseline!, key: nasty, path: nasty.slice(4), source: { file: 'src/odd, name: 100%.ts', line: 3 } } as Pair['baseline']
  const ported = run.pairs.find((p) => p.kind === 'route' && p.status === 'ported')!
  ported.status = 'divergent'

  it('JUnit escapes them and they read back as written (characters XML cannot hold become U+FFFD)', async () => {
    const file = await validJunit(renderJunit(run, { base: 'fixtures/examples-static' }))
    const name = xpath(file, `string(//testcase[@classname="we<ird>&co"]/@name)`)
    expect(name).toBe(nasty.replace('\u0001', '\uFFFD'))
    expect(xpath(file, `string(//testcase[@classname="we<ird>&co"]/@file)`)).toBe('examples/bookmarks-express/src/odd, name: 100%.ts')
    expect(count(file, `//testcase[@name=${quoted(ported.key)}]/failure[@type="divergent"]`)).toBe(1)
  })

  it('annotations escape %, CR, LF in messages and also : and , in properties, and parse back', () => {
    const commands = renderGithubAnnotations(run, { base: 'fixtures/examples-static' })
    for (const line of commands) expect(line).not.toMatch(/[\r\n]/)
    const parsed = commands.map(parseCommand)
    const odd = parsed.find((c) => c.props.line === '3' && c.props.file?.includes('odd'))!
    expect(odd.props.file).toBe('examples/bookmarks-express/src/odd, name: 100%.ts')
    expect(odd.props.title).toBe(`parity: missing in axum: ${nasty}`)
    expect(odd.message.startsWith(`${nasty} (route, component we<ird>&co) is missing in axum.`)).toBe(true)
    const warning = parsed.find((c) => c.name === 'warning')!
    expect(warning.props.file).toBe(`examples/bookmarks-express/${ported.baseline!.source.file}`)
    expect(warning.message).toContain(`axum: examples/bookmarks-axum/${ported.candidate!.source.file}:${ported.candidate!.source.line}`)
    expect(escapeData('50%\r\n:,')).toBe('50%25%0D%0A:,')
    expect(escapeProperty('50%\r\n:,')).toBe('50%25%0D%0A%3A%2C')
  })

  it('the summary keeps the Markdown table and code spans intact', () => {
    const md = renderGithubSummary(run, { base: 'fixtures/examples-static', maxItems: 100 })
    const item = md.split('\n').find((l) => l.includes('we\\<ird\\>\\&co'))
    // A fence longer than the backticks inside, `|` escaped, the line breaks folded into one space.
    expect(item).toBe('- ``GET /a,b:c/%25/<x>&"q"\'/]]>\\|`pipe` \ttab\u0001/😀`` (we\\<ird\\>\\&co) at `examples/bookmarks-express/src/odd, name: 100%.ts:3`')
  })
})

describe('renderGithubSummary', () => {
  it('figures per candidate, one row per component, the first missing items and how many more', () => {
    const md = renderGithubSummary(shop)
    const lines = md.split('\n')
    for (const [c, s] of Object.entries(shop.candidates)) {
      expect(lines).toContain(
        `| ${c} | ${s.percent}% | ${s.ported} | ${s.verified} | ${s.divergent} | ${s.missing} | ${s.excluded} | ${s.extra} | ${s.total} |`,
      )
    }
    const table = lines.slice(lines.indexOf('### By component') + 2)
    expect(table.slice(2, 2 + shop.components.length).every((l) => l.startsWith('| '))).toBe(true)
    expect(lines).toContain('| orders | 50% (1/2, 1 missing) | 100% (2/2) |')
    expect(md).toContain('No gates evaluated')

    const short = renderGithubSummary(demo, { base: 'fixtures/examples-static', maxItems: 5 }).split('\n')
    const from = short.indexOf(`### Missing in axum (${demo.summary.missing})`)
    expect(from).toBeGreaterThan(0)
    const items = short.slice(from + 2, short.indexOf('', from + 2))
    expect(items.slice(0, 5).every((l) => /^- `[^`]+` \(\w+\) at `examples\/bookmarks-express\/[^`]+:\d+`/.test(l))).toBe(true)
    expect(items[5]).toBe(`- … ${demo.summary.missing - 5} more`)
  })

  it('the verdict and the failed gates from the assessment', () => {
    const run: RunResult = { ...demo, assessment: assess(demo, ['ported >= 0.3', 'ported >= 0.9']) }
    const md = renderGithubSummary(run, { base: 'fixtures/examples-static' })
    expect(md).toContain('**Production ready: NO**: 1 of 2 gates failed (`ported >= 0.9`).')
    const lines = md.split('\n')
    const gates = lines.slice(lines.indexOf('### Failed gates'))
    expect(gates.filter((l) => l.startsWith('| `ported')).length).toBe(1)
    const pass = renderGithubSummary({ ...demo, assessment: assess(demo, ['ported >= 0.3']) })
    expect(pass).toContain('**Production ready: YES**')
    expect(pass).not.toContain('### Failed gates')
  })
})
