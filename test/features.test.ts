/**
 * Features on the example pair (Express baseline, Fastify and axum rewrites, diffed from their
 * sources: no server is needed for statuses that follow from the pairs), `verified` from a run whose
 * pairs carry evidence, a pattern that matches nothing, proposals, the vault checklist, the
 * dashboard block and the CLI's JSON.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { afterAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config/load.js'
import { featureSchema } from '../src/config/schema.js'
import { evaluateFeatures, featuresYaml, proposeFeatures, runFeatureStage } from '../src/features/features.js'
import { runDiff } from '../src/match/diff-run.js'
import type { Pair, PairStatus, RunResult } from '../src/model/run.js'
import { renderFeaturesTable } from '../src/report/features-table.js'
import { renderHtml } from '../src/report/html/render.js'
import { renderVault } from '../src/report/markdown/vault.js'
import { useReportBrowser } from './support/report-browser.js'

const repo = new URL('..', import.meta.url).pathname
const examples = join(repo, 'examples')
const bin = join(repo, 'bin/parity.js')
const tmp = mkdtempSync(join(tmpdir(), 'parity-features-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

const config = await loadConfig(join(examples, 'parity.config.ts'))
const diffed = await runDiff({
  baseline: { name: 'express', source: join(examples, 'bookmarks-express') },
  candidates: [
    { name: 'fastify', source: join(examples, 'bookmarks-fastify') },
    { name: 'axum', source: join(examples, 'bookmarks-axum') },
  ],
  rules: { components: config.components, map: config.map, exclude: config.exclude },
})
const run = runFeatureStage(diffed, config)
const feature = (r: RunResult, name: string) => {
  const f = r.features?.find((x) => x.name === name)
  if (!f) throw new Error(`no feature ${name}: ${r.features?.map((x) => x.name).join(', ')}`)
  return f
}

/** The run with the given candidate's status of every pair whose key passes `which` set to `status`. */
function withEvidence(r: RunResult, candidate: string, which: (p: Pair) => boolean, status: PairStatus): RunResult {
  return {
    ...r,
    pairs: r.pairs.map((p) =>
      p.baseline && which(p) && p.matrix?.[candidate] && p.matrix[candidate].status === 'ported'
        ? { ...p, matrix: { ...p.matrix, [candidate]: { ...p.matrix[candidate], status } } }
        : p,
    ),
  }
}

describe('features on the example pair', () => {
  it('has 2fa missing in fastify, with its routes and columns listed', () => {
    const twoFa = feature(run, '2fa')
    expect(twoFa.component).toBe('auth')
    expect(twoFa.candidates.fastify).toMatchObject({ status: 'missing', present: 0 })
    expect(twoFa.candidates.fastify!.missing).toEqual(
      expect.arrayContaining(['POST /api/auth/2fa/setup', 'POST /api/auth/2fa/verify', 'column users.totp_secret']),
    )
  })

  it('has auth and bookmarks complete in fastify and partial in axum, naming what axum lacks', () => {
    expect(feature(run, 'auth').candidates.fastify!.status).toBe('complete')
    expect(feature(run, 'auth').candidates.axum).toMatchObject({ status: 'partial', missing: ['POST /api/auth/refresh', 'POST /api/auth/logout'] })
    const bookmarks = feature(run, 'bookmarks')
    expect(bookmarks.candidates.fastify).toMatchObject({ status: 'complete', present: bookmarks.candidates.fastify!.total, missing: [] })
    // `* /api/bookmarks/bulk` matches both bulk routes; axum has only the POST.
    expect(bookmarks.items.find((i) => i.pattern === '* /api/bookmarks/bulk')?.keys.sort()).toEqual(['DELETE /api/bookmarks/bulk', 'POST /api/bookmarks/bulk'])
    expect(bookmarks.candidates.axum).toMatchObject({ status: 'partial', missing: ['DELETE /api/bookmarks/bulk'] })
  })

  it('matches import by its route, WebSocket, SSE pattern, capability and table', () => {
    const imp = feature(run, 'import')
    expect(imp.items.map((i) => [i.pattern, i.keys])).toEqual([
      ['POST /api/import', ['POST /api/import']],
      ['WS /ws/import', ['WS /ws/import']],
      ['GET /api/import/*/events', ['GET /api/import/{}/events']],
      ['capability websocket', ['capability websocket']],
      ['table import_jobs', ['table import_jobs']],
    ])
    expect(imp.candidates.fastify!.status).toBe('missing')
  })

  it('is verified only when every route of the feature is verified', () => {
    const bookmarkRoute = (p: Pair) => p.key.includes('/api/bookmarks')
    const verified = runFeatureStage(withEvidence(diffed, 'fastify', bookmarkRoute, 'verified'), config)
    // The bookmarks table stays `ported` (evidence reaches endpoints only), and does not hold it back.
    expect(feature(verified, 'bookmarks').candidates.fastify).toMatchObject({ status: 'verified', verified: 7 })
    expect(feature(verified, 'auth').candidates.fastify!.status).toBe('complete')
    const put = (p: Pair) => p.key === 'PUT /api/bookmarks/{}'
    const divergent = runFeatureStage(withEvidence(withEvidence(diffed, 'fastify', put, 'divergent'), 'fastify', bookmarkRoute, 'verified'), config)
    expect(feature(divergent, 'bookmarks').candidates.fastify).toMatchObject({ status: 'complete', divergent: ['PUT /api/bookmarks/{}'], verified: 6 })
  })

  it('warns about a pattern that matches nothing, naming it and its feature', () => {
    const { features, diagnostics } = evaluateFeatures(diffed, [{ name: 'sharing', items: ['POST /api/share/*', 'capability totp', 'GET /api/bookmarks'] }])
    expect(diagnostics.map((d) => [d.level, d.code, d.message])).toEqual([
      ['warn', 'FEATURE_UNMATCHED', 'feature sharing: `POST /api/share/*` matches no baseline item'],
      ['warn', 'FEATURE_UNMATCHED', 'feature sharing: `capability totp` matches no baseline item'],
    ])
    expect(features[0]!.candidates.fastify).toMatchObject({ status: 'complete', total: 1 })
    expect(renderFeaturesTable({ ...diffed, features, diagnostics })).toContain('warning: feature sharing: `POST /api/share/*` matches no baseline item')
  })

  it('reads `capability: id` and `{ table }` items like their key forms', () => {
    const { features, diagnostics } = evaluateFeatures(diffed, [
      { name: 'realtime', items: ['capability: websocket', { table: 'import_jobs' }, { capability: 'sse' }] },
    ])
    expect(diagnostics).toEqual([])
    expect(features[0]!.items.map((i) => i.keys)).toEqual([['capability websocket'], ['table import_jobs'], ['capability sse']])
  })
})

describe('proposals', () => {
  const proposals = proposeFeatures(diffed)

  it('groups routes by path prefix and handler file, and capabilities with the routes at their call sites', () => {
    const auth = proposals.find((p) => p.name === 'auth')!
    expect(auth).toMatchObject({ proposed: true, component: 'auth', reason: '8 routes under /api/auth in src/routes/auth.ts' })
    expect(auth.items.map((i) => i.pattern)).toContain('POST /api/auth/2fa/setup')
    expect(proposals.find((p) => p.name === 'collections')?.items.map((i) => i.pattern)).toContain('DELETE /api/collections/{id}/bookmarks/{bookmarkId}')
    // The WebSocket upgrade is registered at server.ts:45, where the capability is confirmed; the
    // health route in the same file is far from any call site.
    expect(proposals.find((p) => p.name === 'websocket')?.items.map((i) => i.pattern)).toEqual(['capability websocket', 'WS /ws/import'])
    expect(proposals.find((p) => p.name === 'sse')?.items.map((i) => i.pattern)).toEqual(['capability sse', 'GET /api/import/{id}/events'])
    // A prefix with one route is not a feature.
    expect(proposals.map((p) => p.name)).not.toContain('health')
  })

  it('prints a YAML snippet that the config schema accepts and that gives the same statuses back', () => {
    const yaml = featuresYaml(proposals)
    const written = parse(yaml) as { features: unknown[] }
    const accepted = written.features.map((f) => featureSchema.parse(f))
    const again = evaluateFeatures(diffed, accepted)
    expect(again.diagnostics).toEqual([])
    expect(again.features.map((f) => [f.name, f.candidates.fastify!.status])).toEqual(proposals.map((p) => [p.name, p.candidates.fastify!.status]))
    expect(renderFeaturesTable({ ...run, featureProposals: proposals })).toContain(yaml.trimEnd())
  })
})

describe('outputs', () => {
  it('gives the component pages of the vault a Features checklist', () => {
    const auth = renderVault(run).get('Components/auth.md')!
    const section = auth.slice(auth.indexOf('## Features'), auth.indexOf('## Items'))
    expect(section).toContain('- [ ] **auth**: fastify **complete** 6/6 · axum **partial** 4/6, missing `POST /api/auth/refresh`, `POST /api/auth/logout`')
    expect(section).toMatch(/- \[ \] \*\*2fa\*\*: fastify \*\*missing\*\* 0\/4, missing `POST \/api\/auth\/2fa\/setup`/)
    const fastifyOnly = renderVault(runFeatureStage({ ...diffed, systems: diffed.systems.filter((s) => s.name !== 'axum') }, config)).get(
      'Components/bookmarks.md',
    )!
    expect(fastifyOnly).toContain('- [x] **bookmarks**: fastify **complete** 8/8')
    expect(renderVault(diffed).get('Components/auth.md')).not.toContain('## Features')
  })

  it('prints the checklist in the terminal', () => {
    const text = renderFeaturesTable(run, { proposals: false })
    expect(text.split('\n').find((l) => l.startsWith('2fa'))).toMatch(/^2fa\s+auth\s+\[ \] missing 0\/4\s+\[ \] missing 0\/4$/)
    expect(text).toContain('missing in axum: DELETE /api/bookmarks/bulk')
  })

  it('`parity features --format json` gives the features; a pattern matching nothing is a warning on stderr', () => {
    const file = join(tmp, 'parity.config.yaml')
    writeFileSync(
      file,
      [
        'systems:',
        `  - { name: express, role: baseline, source: ${join(examples, 'bookmarks-express')} }`,
        `  - { name: fastify, role: candidate, source: ${join(examples, 'bookmarks-fastify')} }`,
        'features:',
        '  - name: 2fa',
        '    items: ["POST /api/auth/2fa/*", "capability: totp"]',
        '  - name: bookmarks',
        '    items: ["* /api/bookmarks/**", "GET /api/bookmarks"]',
      ].join('\n'),
    )
    const r = spawnSync(process.execPath, [bin, 'features', '--config', file, '--format', 'json'], {
      cwd: tmp,
      encoding: 'utf8',
      env: { ...process.env, CI: 'true' },
    })
    expect(r.stderr).toContain('warning: feature 2fa: `capability totp` matches no baseline item')
    expect(r.status).toBe(0)
    const out = JSON.parse(r.stdout) as RunResult
    expect(out.features?.map((f) => [f.name, f.candidates.fastify?.status])).toEqual([
      ['2fa', 'missing'],
      ['bookmarks', 'complete'],
    ])
    expect(out.featureProposals).toBeUndefined()
    const bad = spawnSync(process.execPath, [bin, 'features', '--config', file, '--format', 'html'], { cwd: tmp, encoding: 'utf8' })
    expect(bad.status).toBe(2)
  })
})

const browser = useReportBrowser()

describe('dashboard', () => {
  it("shows the component's features with a status per candidate", async () => {
    const p = await browser.open(renderHtml(run), '#/component/auth')
    const lines = await p.$$eval('#features li.feature', (lis) =>
      lis.map((li) => [li.getAttribute('data-feature'), ...[...li.querySelectorAll('.feature-cell')].map((c) => c.getAttribute('data-status'))]),
    )
    expect(lines).toEqual([
      ['auth', 'complete', 'partial'],
      ['2fa', 'missing', 'missing'],
    ])
  })
})
