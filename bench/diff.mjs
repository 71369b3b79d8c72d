#!/usr/bin/env node
// `npm run bench:diff`: pairs two generated inventories of 100,000 items each (routes, tables,
// columns, capabilities; a share missing, extra, renamed and moved under a prefix) and times
// pairing, the terminal table and the JSON RunResult. Needs `npm run build`.
import { performance } from 'node:perf_hooks'
import { diffSystems } from '../dist/match/diff.js'
import { renderDiffTable } from '../dist/report/diff-table.js'
import { routeKey } from '../dist/model/path.js'

const n = Number(process.argv[process.argv.indexOf('--items') + 1]) || 100_000
let seed = 42
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH']
const WORDS = ['users', 'orders', 'items', 'carts', 'reports', 'sessions', 'tags', 'files', 'teams', 'invoices']

function inventory(side) {
  const items = []
  for (let i = 0; i < n; i++) {
    const r = random()
    const component = WORDS[i % WORDS.length]
    if (i % 10 === 9) {
      const table = `${component}_${i}`
      items.push({ kind: 'table', key: `table ${table}`, name: table, origin: 'sql', component: 'database', source: { file: `m/${i}.sql`, line: 1 } })
      continue
    }
    let path = `/api/${component}/${i}/{id}`
    if (side === 'candidate') {
      if (r < 0.05) continue // missing
      if (r < 0.07)
        path = `/api/${component}s/${i}/{id}` // renamed segment
      else if (r < 0.09) path = `/v2/${component}/${i}/{id}` // moved prefix
    }
    const method = METHODS[i % METHODS.length]
    items.push({ kind: 'route', method, path, key: routeKey(method, path), framework: 'x', component, source: { file: `src/${component}.ts`, line: i + 1 } })
  }
  if (side === 'candidate')
    for (let i = 0; i < n * 0.03; i++) {
      const path = `/api/new/${i}`
      items.push({ kind: 'route', method: 'GET', path, key: `GET ${path}`, framework: 'x', component: 'new', source: { file: 'src/new.rs', line: i + 1 } })
    }
  return { schema: 'parity.inventory/v1', root: side, frameworks: ['x'], items, diagnostics: [], stats: { files: 1, parsed: 1, lines: 1, skipped: {} } }
}

const baseline = { name: 'old', role: 'baseline', source: 'old', sourceKind: 'inventory', inventory: inventory('baseline') }
const candidate = { name: 'new', role: 'candidate', source: 'new', sourceKind: 'inventory', inventory: inventory('candidate') }
globalThis.gc?.() // measure the diff, not the collection of the generator's garbage
const rss0 = process.memoryUsage().rss
let t = performance.now()
const diff = diffSystems(baseline, [candidate], { exclude: [{ match: '/api/reports/**', reason: 'retired' }] })
const pairMs = performance.now() - t
t = performance.now()
const table = renderDiffTable({ schema: 'parity.run/v1', tool: { name: 'parity', version: '0' }, startedAt: '', ...diff })
const tableMs = performance.now() - t
t = performance.now()
const json = JSON.stringify({ schema: 'parity.run/v1', ...diff })
const jsonMs = performance.now() - t
const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`
console.log(`items     ${baseline.inventory.items.length.toLocaleString('en')} baseline, ${candidate.inventory.items.length.toLocaleString('en')} candidate`)
console.log(
  `pairs     ${diff.pairs.length.toLocaleString('en')} (ported ${diff.summary.ported}, missing ${diff.summary.missing}, extra ${diff.summary.extra}, excluded ${diff.summary.excluded}); near misses ${diff.nearMisses.length}`,
)
console.log(`pairing   ${fmt(pairMs)}`)
console.log(`table     ${fmt(tableMs)} (${(table.length / 1e6).toFixed(1)} MB)`)
console.log(`json      ${fmt(jsonMs)} (${(json.length / 1e6).toFixed(1)} MB)`)
console.log(`total     ${fmt(pairMs + tableMs + jsonMs)}  goal: under 2 s for pairing and rendering: ${pairMs + tableMs < 2000 ? 'met' : 'NOT met'}`)
console.log(`memory    +${Math.round((process.memoryUsage().rss - rss0) / 2 ** 20)} MiB RSS`)
