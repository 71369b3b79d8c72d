// The bookmarks service (Express), its rewrite in progress (Fastify), and the same rewrite's Rust
// source (axum, scanned only). `npm run demo` runs `parity run` here.
import { defineConfig } from 'rewrite-parity'

const node = (dir: string) => ({
  command: ['node', '--import', 'tsx', 'src/server.ts'],
  cwd: dir,
  ready: { http: '/health' },
})

export default defineConfig({
  $schema: '../schema/config.schema.json',
  systems: [
    // `scorecard`: type coverage computed with the TypeScript compiler from each system's tsconfig.json.
    { name: 'express', role: 'baseline', source: './bookmarks-express', run: node('./bookmarks-express'), scorecard: { typeCoverage: true } },
    { name: 'fastify', role: 'candidate', source: './bookmarks-fastify', run: node('./bookmarks-fastify'), scorecard: { typeCoverage: true } },
    { name: 'axum', role: 'candidate', source: './bookmarks-axum' },
  ],
  components: [
    { name: 'auth', paths: ['/api/auth'] },
    { name: 'bookmarks', paths: ['/api/bookmarks', '/api/tags', '/api/collections', '/api/search'] },
    { name: 'import', paths: ['/api/import', '/ws/import'] },
    { name: 'admin', paths: ['/api/admin'] },
    { name: 'ops', paths: ['/health'] },
  ],
  // Features as the team names them: `parity features` shows each one's status per candidate.
  features: [
    { name: 'auth', component: 'auth', items: ['POST /api/auth/register', 'POST /api/auth/login', 'GET /api/auth/me', 'POST /api/auth/refresh', 'POST /api/auth/logout', 'table users'] },
    { name: '2fa', component: 'auth', items: ['POST /api/auth/2fa/*', 'column users.totp_*'] },
    { name: 'bookmarks', component: 'bookmarks', items: ['GET /api/bookmarks', 'POST /api/bookmarks', 'GET /api/bookmarks/*', 'PUT /api/bookmarks/*', 'DELETE /api/bookmarks/*', '* /api/bookmarks/bulk', 'table bookmarks'] },
    { name: 'import', component: 'import', items: ['POST /api/import', 'WS /ws/import', 'GET /api/import/*/events', 'capability websocket', 'table import_jobs'] },
    { name: 'admin', component: 'admin', items: ['GET /api/admin/**'] },
  ],
  // `parity cutover --check`: the two services behind the gateway share one SQLite file, as a real hybrid shares its database.
  cutover: { check: { env: { DATABASE: '{tmp}/hybrid.sqlite' } } },
  exclude: [{ match: 'POST /api/admin/reindex', reason: 'search moves to a managed index; no reindex endpoint in the rewrite' }],
  // A session recorded with `parity record` in front of the baseline (scripts/record-example-corpus.mjs).
  replay: { corpus: './corpus/bookmarks.ndjson' },
  // The baseline's end-to-end suite, run against each side with BASE_URL set.
  e2e: {
    command: ['node', '--test', '--test-reporter=junit', '--test-reporter-destination=.parity/e2e-junit.xml', 'e2e/'],
    junit: './.parity/e2e-junit.xml',
  },
  // Short on purpose, so that the demo stays under two minutes; a real bench runs longer trials.
  bench: {
    setup: [
      { method: 'POST', path: '/api/auth/register', body: { email: 'bench@example.org', password: 'long enough' } },
      { method: 'POST', path: '/api/auth/login', body: { email: 'bench@example.org', password: 'long enough' }, capture: { token: '/token' } },
      {
        method: 'POST',
        path: '/api/bookmarks',
        headers: { authorization: 'Bearer ${token}' },
        body: { url: 'https://example.org/${i}', title: 'Bookmark ${i}', tags: ['demo', 'bench'] },
        repeat: 50,
      },
    ],
    scenarios: [
      { requests: [{ method: 'GET', path: '/api/bookmarks', headers: { authorization: 'Bearer ${token}' } }] },
      { requests: [{ method: 'GET', path: '/health' }] },
    ],
    connections: 8,
    duration: 2,
    warmup: 0.5,
    trials: 2,
    startup: { runs: 5, warmup: 1 },
  },
  // `parity run` checks these; the rewrite is far from done, so the demo fails them on purpose.
  gates: ['ported >= 0.9', 'verified >= 80%', 'e2ePassRate >= 1', 'missingCapabilities == 0', 'missingTables == 0', 'noRegression', 'p95 <= 0.5x', 'startup < 1s'],
  // The migration's objectives: named gates, shown with their value and trend on the vault's Index and the dashboard.
  objectives: [
    { name: 'Faster list endpoint', gate: 'p95 <= 0.5x', why: 'the bookmark list is the page users wait on' },
    { name: 'Leaner', gate: 'rss <= 0.8x', why: 'more instances per node' },
    { name: 'Typed', gate: 'typeCoverage >= 95%', why: 'no `any` in the rewrite' },
  ],
  reports: { md: '.parity/vault', html: '.parity/report.html', junit: '.parity/junit.xml' },
})
