/**
 * `parity run` with the dynamic stages: the config names running systems (`url`, a second baseline
 * instance `url2`), a replay corpus and the old end-to-end suite; routes become verified or
 * divergent in the pairs, the suite's regression is reported, and the gates decide.
 */
import { execFile } from 'node:child_process'
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import type { Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { RunResult } from '../src/model/run.js'
import { notesApi } from './support/notes-api.js'

const repo = new URL('..', import.meta.url).pathname
const servers: Server[] = []
const tmp = mkdtempSync(join(tmpdir(), 'parity-dyn-'))
const urls = { baseline: '', baseline2: '', candidate: '' }

beforeAll(async () => {
  urls.baseline = await notesApi(false, servers)
  urls.baseline2 = await notesApi(false, servers)
  urls.candidate = await notesApi(true, servers)
  cpSync(join(repo, 'fixtures/replay'), tmp, { recursive: true })
})
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))))
  rmSync(tmp, { recursive: true, force: true })
})

function parityRun(args = ['--json'], command = 'run'): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(
      process.execPath,
      [join(repo, 'bin/parity.js'), command, ...args],
      { cwd: tmp, env: { ...process.env, CI: 'true', GITHUB_STEP_SUMMARY: '' } },
      (err, stdout, stderr) => resolve({ code: err ? (err as { code: number }).code : 0, stdout, stderr }),
    ),
  )
}

it('replays, runs the old suite against both sides, and gates on the evidence', async () => {
  writeFileSync(
    join(tmp, 'parity.config.yaml'),
    `systems:
  - { name: express, role: baseline, source: ./notes-express, url: "${urls.baseline}", url2: "${urls.baseline2}" }
  - { name: axum, role: candidate, source: ./notes-axum, url: "${urls.candidate}" }
replay:
  corpus: ./session.yaml
  ignore:
    - { where: body, pointer: /nothing/here, reason: a rule that matches nothing }
e2e:
  command: [node, ./e2e-suite.mjs]
gates: [ported >= 0.9, verified >= 0.4, e2ePassRate >= 1]
reports: { json: out/run.json, junit: out/junit.xml, md: out/vault }
`,
  )
  const r = await parityRun()
  expect(r.code, r.stderr).toBe(1)
  const out = JSON.parse(r.stdout) as { gates: Array<{ gate: string; passed: boolean; message: string }> }
  expect(
    out.gates.map((g) => `${g.gate} ${g.passed}`),
    JSON.stringify(out.gates),
  ).toEqual(['ported >= 0.9 true', 'verified >= 0.4 true', 'e2ePassRate >= 1 false'])
  const { readFileSync } = await import('node:fs')
  const run = JSON.parse(readFileSync(join(tmp, 'out/run.json'), 'utf8')) as RunResult
  const status = Object.fromEntries(run.pairs.filter((p) => p.kind === 'route').map((p) => [p.key, p.status]))
  expect(status).toEqual({
    'POST /api/login': 'verified',
    'GET /api/notes': 'verified',
    'POST /api/notes': 'divergent',
    'GET /api/notes/{}': 'divergent',
  })
  expect(run.tests).toEqual([
    { name: 'logs in', baseline: 'pass', candidate: 'pass', outcome: 'pass-both' },
    { name: 'creates a note', baseline: 'pass', candidate: 'fail', outcome: 'regression' },
    { name: 'lists notes', baseline: 'pass', candidate: 'pass', outcome: 'pass-both' },
  ])
  expect(run.diagnostics.map((d) => d.code)).toContain('IGNORE_RULE_UNUSED')
  // JUnit says what differs, for CI.
  const junit = readFileSync(join(tmp, 'out/junit.xml'), 'utf8')
  expect(junit).toMatch(/<failure message="POST \/api\/notes behaves differently in axum[^>]*type="divergent">[^<]*status: value, baseline 201, candidate 200/)
  // So does the vault's comparison page.
  const comparison = readFileSync(join(tmp, 'out/vault/Comparison.md'), 'utf8')
  expect(comparison).toContain('## Behaviour')
  expect(comparison, comparison.slice(comparison.indexOf('## Behaviour'), comparison.indexOf('## Behaviour') + 400)).toContain(
    'Replayed traffic: 2 verified, 2 divergent, 0 unproven (both sides refused alike), 0 not exercised.',
  )
  expect(comparison).toContain('body `/text`: missing, baseline `"hello"`, candidate `absent`')
  // The terminal shows the marks and what differs (with --verbose; the summary counts them).
  const summary = await parityRun([])
  expect(summary.stdout).toMatch(/behaviour: 2 verified, 2 divergent/)
  const table = await parityRun(['--verbose'])
  expect(table.stdout).toMatch(/≠ POST +\/api\/notes /)
  expect(table.stdout).toContain('status: value, baseline 201 · candidate 200')
  expect(table.stdout).toMatch(/✔ POST +\/api\/login /)
  expect(
    run.assessment?.findings
      .filter((f) => f.type === 'divergent')
      .map((f) => f.key)
      .sort(),
  ).toEqual(['GET /api/notes/{}', 'POST /api/notes'])
})

it('says so when the systems have no url, and keeps the static results', async () => {
  writeFileSync(
    join(tmp, 'parity.config.yaml'),
    `systems:
  - { name: express, role: baseline, source: ./notes-express }
  - { name: axum, role: candidate, source: ./notes-axum }
replay: { corpus: ./session.yaml }
history: .parity/no-url.sqlite
reports: { json: out/no-url.json }
`,
  )
  const r = await parityRun()
  expect(r.code, r.stderr).toBe(0)
  const { readFileSync } = await import('node:fs')
  const run = JSON.parse(readFileSync(join(tmp, 'out/no-url.json'), 'utf8')) as RunResult
  expect(run.diagnostics.map((d) => d.code)).toContain('NO_URL')
  expect(run.pairs.find((p) => p.key === 'POST /api/notes')?.status).toBe('ported')
})

it('`parity replay` with the config replays as `parity run` does: the same statuses, noise and diagnostics', async () => {
  writeFileSync(
    join(tmp, 'parity.config.yaml'),
    `systems:
  - { name: express, role: baseline, source: ./notes-express, url: "${urls.baseline}", url2: "${urls.baseline2}" }
  - { name: axum, role: candidate, source: ./notes-axum, url: "${urls.candidate}" }
replay: { corpus: ./session.yaml }
history: .parity/replay-config.sqlite
reports: { json: out/replay-config.json }
`,
  )
  const viaRun = await parityRun([])
  expect(viaRun.code, viaRun.stderr).toBe(0)
  const { readFileSync } = await import('node:fs')
  const run = JSON.parse(readFileSync(join(tmp, 'out/replay-config.json'), 'utf8')) as RunResult
  const viaReplay = await parityRun(['--format', 'json'], 'replay')
  // Two routes diverge: exit 1, as `parity replay` with URLs.
  expect(viaReplay.code, viaReplay.stderr).toBe(1)
  const replayed = JSON.parse(viaReplay.stdout) as RunResult
  const statuses = (r: RunResult) => Object.fromEntries(r.pairs.filter((p) => p.kind === 'route').map((p) => [p.key, p.status]))
  expect(statuses(replayed)).toEqual(statuses(run))
  expect(statuses(replayed)['POST /api/notes']).toBe('divergent')
  expect(replayed.routes?.map((r) => `${r.key} ${r.status}`)).toEqual(run.routes?.map((r) => `${r.key} ${r.status}`))
  // Timestamps are noise only when the two baselines answered in different milliseconds: left out.
  const rules = (r: RunResult) => r.noise?.filter((n) => !/At$/.test(n.pointer)).map((n) => `${n.route} ${n.where} ${n.pointer}`)
  expect(rules(replayed)).toEqual(rules(run))
  expect(rules(replayed)?.length).toBeGreaterThan(0)
  // Only the replay and what it needs ran: no plan, no features, no bench.
  expect(replayed.plan).toBeUndefined()
  expect(replayed.features).toBeUndefined()
  // The table names the divergent route; URL flags with a config are a usage error.
  const table = await parityRun([], 'replay')
  expect(table.stdout).toMatch(/≠ POST +\/api\/notes +divergent/)
  const both = await parityRun(['--config', 'parity.config.yaml', '--corpus', 'session.yaml'], 'replay')
  expect(both.code).toBe(2)
  expect(both.stderr).toContain('replay: --corpus with a config')
})

it('`parity replay` with a config whose systems cannot be reached exits 2: nothing was compared', async () => {
  writeFileSync(
    join(tmp, 'parity.config.yaml'),
    `systems:
  - { name: express, role: baseline, source: ./notes-express }
  - { name: axum, role: candidate, source: ./notes-axum }
replay: { corpus: ./session.yaml }
`,
  )
  const r = await parityRun([], 'replay')
  expect(r.code).toBe(2)
  expect(r.stdout).toContain('NO_URL')
})
