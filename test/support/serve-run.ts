/**
 * A demo-like RunResult for the dashboard tests: the bundled examples scanned for real (express vs
 * fastify and axum, the example config's components), replay evidence for two routes (one verified,
 * one divergent with an example pair), and the assessment computed by `assess` (real fingerprints).
 */
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { assess } from '../../src/assess/gates.js'
import { runDiff } from '../../src/match/diff-run.js'
import type { RunResult } from '../../src/model/run.js'
import { applyRouteEvidence } from '../../src/verify/evidence.js'
import type { Body, RouteEvidence } from '../../src/model/exchange.js'

const examples = fileURLToPath(new URL('../../examples/', import.meta.url))

const json = (value: unknown): Body => {
  const text = JSON.stringify(value)
  return { text, size: text.length }
}

/** The divergent route of the fixture. */
export const DIVERGENT_KEY = 'GET /api/bookmarks/{}'

export const demoRoutes: RouteEvidence[] = [
  { method: 'GET', path: '/api/bookmarks', key: 'GET /api/bookmarks', status: 'verified', exchanges: 4, differences: [] },
  {
    method: 'GET',
    path: '/api/bookmarks/{id}',
    key: DIVERGENT_KEY,
    status: 'divergent',
    exchanges: 3,
    differences: [{ where: 'body', pointer: '/title', kind: 'value', baseline: 'Old title', candidate: 'New title' }],
    example: {
      request: { method: 'GET', url: '/api/bookmarks/7', headers: [['accept', 'application/json']] },
      baseline: { status: 200, headers: [['content-type', 'application/json']], body: json({ id: 7, title: 'Old title' }), durationMs: 2.5 },
      candidate: { status: 200, headers: [['content-type', 'application/json']], body: json({ id: 7, title: 'New title' }), durationMs: 1.1 },
    },
  },
]

let scanned: RunResult | undefined

/** The examples' static diff (scanned once per test file), with the replay evidence and the gates applied. */
export async function demoLikeRun(options: { startedAt?: string } = {}): Promise<RunResult> {
  scanned ??= await runDiff({
    baseline: { name: 'express', source: join(examples, 'bookmarks-express'), label: 'bookmarks-express' },
    candidates: [
      { name: 'fastify', source: join(examples, 'bookmarks-fastify'), label: 'bookmarks-fastify' },
      { name: 'axum', source: join(examples, 'bookmarks-axum'), label: 'bookmarks-axum' },
    ],
    rules: {
      components: [
        { name: 'auth', paths: ['/api/auth'] },
        { name: 'bookmarks', paths: ['/api/bookmarks', '/api/tags', '/api/collections', '/api/search'] },
        { name: 'import', paths: ['/api/import', '/ws/import'] },
        { name: 'admin', paths: ['/api/admin'] },
        { name: 'ops', paths: ['/health'] },
      ],
      map: [],
      exclude: [],
    },
    config: 'parity.config.yaml',
  })
  const run = applyRouteEvidence(structuredClone(scanned), demoRoutes, 'fastify')
  run.startedAt = options.startedAt ?? run.startedAt
  run.assessment = assess(run, ['ported >= 0.9', 'noRegression'])
  return run
}

/** The fingerprint of the divergent route's finding in `run`. */
export function divergentFingerprint(run: RunResult): string {
  const f = run.assessment?.findings.find((x) => x.type === 'divergent' && x.key === DIVERGENT_KEY && x.candidate === 'fastify')
  if (!f) throw new Error(`no divergent finding for ${DIVERGENT_KEY}`)
  return f.fingerprint
}
