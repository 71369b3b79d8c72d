/**
 * End-to-end: `parity run` stores runs, writes reports, checks gates and fails CI on a planted
 * regression; `parity report` renders stored or saved runs.
 */
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { Finding, GateResult, Verdict } from '../src/model/run.js'

const repo = new URL('..', import.meta.url).pathname
const bin = join(repo, 'bin/parity.js')
const tmp = mkdtempSync(join(tmpdir(), 'parity-run-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

function parity(args: string[], cwd: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true', GITHUB_STEP_SUMMARY: '', ...env } })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

function project(name: string, config: string): string {
  const dir = join(tmp, name)
  for (const sys of ['express-api', 'axum-api']) cpSync(join(repo, 'fixtures/diff', sys), join(dir, sys), { recursive: true })
  writeFileSync(join(dir, 'parity.config.yaml'), config)
  return dir
}

const SYSTEMS = `systems:
  - { name: express, role: baseline, source: ./express-api }
  - { name: axum, role: candidate, source: ./axum-api }
`

describe('parity run', () => {
  const dir = project(
    'ratchet',
    `${SYSTEMS}gates:
  - ported >= 0.15
  - noRegression
reports:
  md: out/vault
  html: out/report.html
  junit: out/junit.xml
  json: out/run.json
`,
  )

  it('stores the run, writes every report and passes its gates', () => {
    const r = parity(['run'], dir)
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/✓ ported >= 0\.15 +axum: 27\.3%/)
    expect(r.stdout).toContain('✓ Production-ready: all 2 gates pass')
    expect(r.stdout).toMatch(/Stored as run \S+ in .*history\.sqlite/)
    // The verdict comes before the figures, and the reports are named.
    expect(r.stdout.indexOf('Production-ready')).toBeLessThan(r.stdout.indexOf('component'))
    expect(r.stdout).toMatch(/Reports: .*out\/report\.html/)
    for (const f of ['out/vault/Index.md', 'out/vault/Comparison.md', 'out/report.html', 'out/junit.xml', 'out/run.json'])
      expect(existsSync(join(dir, f)), f).toBe(true)
    const saved = JSON.parse(readFileSync(join(dir, 'out/run.json'), 'utf8'))
    expect(saved.assessment.gates.map((g: GateResult) => g.passed)).toEqual([true, true])
  })

  it('fails with exit code 1 on a planted regression, naming the item', () => {
    const main = join(dir, 'axum-api/src/main.rs')
    writeFileSync(main, readFileSync(main, 'utf8').replace('        .route("/api/orders", get(list_orders))\n', ''))
    const r = parity(['run', '--json'], dir)
    expect(r.code).toBe(1)
    const out = JSON.parse(r.stdout) as { id: string; gates: GateResult[]; verdict: Verdict; findings: Finding[] }
    expect(out.verdict).toMatchObject({ productionReady: false, failed: ['noRegression'] })
    const regression = out.findings.find((f) => f.type === 'regression')
    expect(regression).toMatchObject({ key: 'GET /api/orders', candidate: 'axum', source: { file: 'src/app.js', line: 10 } })
    expect(out.gates[1]!.findings).toEqual([regression!.fingerprint])
  })

  it('lets an accepted difference through, and says when an acceptance is stale', () => {
    const first = JSON.parse(parity(['report', '--format', 'json'], dir).stdout)
    const fp = first.assessment.findings.find((f: Finding) => f.type === 'regression').fingerprint
    // Rerun from the run before the regression: accept it, plus one that matches nothing.
    const accepted = `${SYSTEMS}gates: [ported >= 0.15, missing <= 8]
accepted:
  - { fingerprint: "${first.assessment.findings.find((f: Finding) => f.type === 'missing' && f.key === 'GET /api/orders').fingerprint}", reason: orders move to the order service }
  - { fingerprint: "0123456789abcdef", reason: an old acceptance }
history: .parity/accepted.sqlite
`
    writeFileSync(join(dir, 'parity.config.yaml'), accepted)
    const r = parity(['run'], dir)
    expect(r.code, r.stdout).toBe(0)
    expect(r.stdout).toContain('1 accepted difference')
    expect(r.stdout).toContain('STALE_ACCEPTANCE: accepted difference 0123456789abcdef matches no finding')
    expect(fp).toMatch(/^[0-9a-f]{16}$/)
  })
})

describe('parity report', () => {
  const dir = project('reports', `${SYSTEMS}gates: [ported >= 0.9]\n`)

  it('renders the latest stored run in every format', () => {
    expect(parity(['run'], dir).code).toBe(1) // 27% ported: the gate fails
    const json = parity(['report', '--format', 'json'], dir)
    expect(json.code).toBe(0)
    expect(JSON.parse(json.stdout).assessment.verdict.failed).toEqual(['ported >= 0.9'])
    expect(parity(['report', '--format', 'junit'], dir).stdout).toContain('<testsuite')
    expect(parity(['report', '--format', 'html'], dir).stdout).toContain('<html')
    const gh = parity(['report', '--format', 'github'], dir)
    expect(gh.stdout).toMatch(/^::error file=.*,line=\d+/m)
    const vault = parity(['report', '--format', 'md', '--out', 'vault'], dir)
    expect(vault.code, vault.stderr).toBe(0)
    expect(existsSync(join(dir, 'vault/Coverage.md'))).toBe(true)
  })

  it('refuses a RunResult of another schema version with what to do', () => {
    const old = join(dir, 'old-run.json')
    writeFileSync(old, JSON.stringify({ schema: 'parity.run/v0', pairs: [] }))
    const r = parity(['report', '--from', old, '--format', 'json'], dir)
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('is a parity.run/v0 run; this parity reads parity.run/v1')
    expect(r.stderr).toContain('hint:')
  })
})

describe('parity run of bad input', () => {
  it('reports a gate it does not understand with its line', () => {
    const dir = project('bad-gate', `${SYSTEMS}gates:\n  - coverage >= 0.9\n`)
    const r = parity(['run'], dir)
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('parity.config.yaml:5: gates[0]: gate `coverage >= 0.9` is not understood')
  })

  it('stops before any work when an output folder cannot be written', () => {
    const dir = project('unwritable', `${SYSTEMS}reports:\n  md: ./parity.config.yaml/vault\n`)
    const r = parity(['run'], dir)
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('cannot write the md report')
    expect(existsSync(join(dir, '.parity'))).toBe(false)
  })
})
