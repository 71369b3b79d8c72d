#!/usr/bin/env node
// Route-inventory accuracy on real code (`npm run bench:accuracy`, which builds first): each
// repository of the corpus (corpus/*.json, true route tables written by reading the code) is
// materialised at its pinned commit by scripts/corpus.mjs, scanned by the built parity, and scored:
// recall and precision per repository, per framework and overall, with every missed and every
// phantom route and its file:line. Figures are printed, never asserted.
//
// Scoring: method + path key (parameter names blanked, trailing slash dropped). `ALL` on either side
// matches every method at its path. A truth route marked `dynamic` (computed at run time) that
// parity reports as UNRESOLVED_PATH (or UNRESOLVED_MOUNT) in the same file is explained, and left out of recall.
//
// Usage: node bench/accuracy.mjs [--out DIR] [--json] [--quiet] [name ...]
import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { checkOut, DEFAULT_OUT, materialise, readCorpus } from '../scripts/corpus.mjs'

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..')
if (!existsSync(join(REPO, 'dist/index.js'))) {
  console.error('dist/ is missing: run `npm run build` first (npm run bench:accuracy does)')
  process.exit(2)
}
const { scanPath, routeKey, normalizePath } = await import('../dist/index.js')

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { out: { type: 'string' }, json: { type: 'boolean', default: false }, quiet: { type: 'boolean', default: false } },
})
const log = values.json ? () => {} : (line = '') => console.log(line)

const started = performance.now()
const out = checkOut(resolve(values.out ?? DEFAULT_OUT))
const entries = readCorpus(positionals)
const results = []
const absent = []
for (const entry of entries) {
  const m = materialise(entry, out)
  if (!m.dir) {
    absent.push({ repo: entry.repo, why: m.missing ? `no mirror; run ${m.missing}` : m.error })
    continue
  }
  const root = entry.root ? join(m.dir, entry.root) : m.dir
  const t0 = performance.now()
  let inventory
  try {
    inventory = await scanPath({ path: root })
  } catch (err) {
    absent.push({ repo: entry.repo, why: `scan failed: ${err instanceof Error ? err.message : String(err)}` })
    continue
  }
  const scanMs = performance.now() - t0
  results.push({ entry, scanMs, ...score(entry, inventory) })
}
const wallMs = performance.now() - started

/** Compare one repository's truth with parity's inventory. */
function score(entry, inventory) {
  const prefix = entry.root ? `${entry.root.replace(/\/$/, '')}/` : ''
  const truth = entry.routes.map((r) => ({ ...r, key: routeKey(r.method, normalizePath(r.path)), pathKey: routeKey('', normalizePath(r.path)).trim() }))
  const found = inventory.items
    .filter((i) => (i.kind === 'route' || i.kind === 'websocket' || i.kind === 'sse') && i.unresolved === undefined)
    .map((i) => ({
      method: i.method,
      path: i.path,
      file: prefix + i.source.file,
      line: i.source.line,
      framework: i.framework,
      key: i.key,
      pathKey: i.key.slice(i.key.indexOf(' ') + 1),
    }))
  // A route the scan left unresolved, or a mount it could not follow (a third-party URLconf), is reported at its line.
  const unresolved = inventory.diagnostics
    .filter((d) => d.code === 'UNRESOLVED_PATH' || d.code === 'UNRESOLVED_MOUNT')
    .map((d) => ({ file: prefix + d.file, line: d.line, known: d.known, message: d.message }))

  // Exact matches first, preferring the same file.
  const matchedTruth = new Set()
  const matchedFound = new Set()
  const byKey = new Map()
  found.forEach((f, i) => {
    const list = byKey.get(f.key) ?? []
    list.push(i)
    byKey.set(f.key, list)
  })
  for (const pass of ['same-file', 'any']) {
    truth.forEach((t, ti) => {
      if (matchedTruth.has(ti)) return
      const fi = (byKey.get(t.key) ?? []).find((i) => !matchedFound.has(i) && (pass === 'any' || found[i].file === t.file))
      if (fi === undefined) return
      matchedTruth.add(ti)
      matchedFound.add(fi)
      t.framework = found[fi].framework
    })
  }
  // ALL on either side covers every method at its path.
  const truthPaths = new Set(truth.map((t) => t.pathKey))
  const foundAll = new Set(found.filter((f) => f.method === 'ALL').map((f) => f.pathKey))
  const truthAll = new Set(truth.filter((t) => t.method === 'ALL').map((t) => t.pathKey))
  const foundPaths = new Set(found.map((f) => f.pathKey))
  truth.forEach((t, ti) => {
    if (matchedTruth.has(ti)) return
    if (foundAll.has(t.pathKey) || (t.method === 'ALL' && foundPaths.has(t.pathKey))) matchedTruth.add(ti)
  })
  found.forEach((f, fi) => {
    if (matchedFound.has(fi)) return
    if ((f.method === 'ALL' && truthPaths.has(f.pathKey)) || truthAll.has(f.pathKey)) matchedFound.add(fi)
  })

  // The same route registered twice (in both branches of an `if`) is one true route, not a phantom.
  const matchedKeys = new Set([...matchedFound].map((fi) => found[fi].key))
  found.forEach((f, fi) => {
    if (!matchedFound.has(fi) && matchedKeys.has(f.key)) matchedFound.add(fi)
  })

  const missed = []
  const explained = []
  truth.forEach((t, ti) => {
    if (matchedTruth.has(ti)) return
    const report =
      unresolved.find((u) => u.file === t.file && Math.abs((u.line ?? 0) - t.line) <= 2) ?? (t.dynamic ? unresolved.find((u) => u.file === t.file) : undefined)
    if (t.dynamic && report) explained.push({ ...t, report })
    else missed.push({ ...t, ...(report ? { report } : {}) })
  })
  const phantom = found.filter((_, fi) => !matchedFound.has(fi))
  const frameworkOf = (t) => t.framework ?? entry.frameworks[0]
  return {
    total: truth.length,
    matched: matchedTruth.size,
    explained,
    missed,
    phantom,
    found: found.length,
    correct: found.length - phantom.length,
    unresolved: unresolved.length,
    perFramework: tally(truth, matchedTruth, explained, phantom, frameworkOf),
  }
}

function tally(truth, matchedTruth, explained, phantom, frameworkOf) {
  const out = {}
  const slot = (fw) => (out[fw] ??= { total: 0, matched: 0, explained: 0, phantom: 0 })
  truth.forEach((t, ti) => {
    const s = slot(frameworkOf(t))
    s.total++
    if (matchedTruth.has(ti)) s.matched++
  })
  for (const e of explained) slot(frameworkOf(e)).explained++
  for (const p of phantom) slot(p.framework).phantom++
  return out
}

const ratio = (a, b) => (b === 0 ? 1 : a / b)
const fmt = (x) => x.toFixed(3)
const recallOf = (s) => ratio(s.matched, s.total - s.explained)
const precisionOf = (s) => ratio(s.matched, s.matched + s.phantom)

// Per framework and overall: matched truth routes against phantom parity routes.
const frameworks = {}
const overall = { total: 0, matched: 0, explained: 0, phantom: 0, repos: 0 }
for (const r of results) {
  overall.repos++
  overall.total += r.total
  overall.matched += r.matched
  overall.explained += r.explained.length
  overall.phantom += r.phantom.length
  for (const [fw, s] of Object.entries(r.perFramework)) {
    const f = (frameworks[fw] ??= { total: 0, matched: 0, explained: 0, phantom: 0, repos: new Set() })
    f.total += s.total
    f.matched += s.matched
    f.explained += s.explained
    f.phantom += s.phantom
    if (s.total) f.repos.add(r.entry.repo)
  }
}

if (values.json) {
  console.log(
    JSON.stringify(
      {
        wallMs: Math.round(wallMs),
        overall: { ...overall, recall: recallOf(overall), precision: precisionOf(overall) },
        frameworks: Object.fromEntries(
          Object.entries(frameworks).map(([k, f]) => [k, { ...f, repos: [...f.repos], recall: recallOf(f), precision: precisionOf(f) }]),
        ),
        repos: results.map((r) => ({
          repo: r.entry.repo,
          commit: r.entry.commit,
          total: r.total,
          matched: r.matched,
          explained: r.explained.length,
          phantom: r.phantom.length,
          unresolved: r.unresolved,
          recall: recallOf({ ...r, explained: r.explained.length }),
          precision: precisionOf({ matched: r.matched, phantom: r.phantom.length }),
          missed: r.missed,
          phantoms: r.phantom,
          scanMs: Math.round(r.scanMs),
        })),
        absent,
      },
      null,
      2,
    ),
  )
} else {
  log(`Route accuracy on ${results.length} real repositories (${entries.length} in corpus/)`)
  log()
  log(
    `${'repository'.padEnd(44)} ${'routes'.padStart(6)} ${'found'.padStart(6)} ${'missed'.padStart(6)} ${'phantom'.padStart(7)} ${'unres.'.padStart(6)} ${'recall'.padStart(7)} ${'precision'.padStart(9)} ${'scan'.padStart(7)}`,
  )
  for (const r of results) {
    const s = { total: r.total, matched: r.matched, explained: r.explained.length, phantom: r.phantom.length }
    log(
      `${r.entry.repo.padEnd(44)} ${String(r.total).padStart(6)} ${String(r.found).padStart(6)} ${String(r.missed.length).padStart(6)} ${String(r.phantom.length).padStart(7)} ${String(r.unresolved).padStart(6)} ${fmt(recallOf(s)).padStart(7)} ${fmt(precisionOf(s)).padStart(9)} ${`${Math.round(r.scanMs)}ms`.padStart(7)}`,
    )
  }
  log()
  log(`${'framework'.padEnd(12)} ${'repos'.padStart(5)} ${'routes'.padStart(6)} ${'recall'.padStart(7)} ${'precision'.padStart(9)}`)
  for (const [fw, f] of Object.entries(frameworks).sort())
    log(
      `${fw.padEnd(12)} ${String(f.repos.size).padStart(5)} ${String(f.total).padStart(6)} ${fmt(recallOf(f)).padStart(7)} ${fmt(precisionOf(f)).padStart(9)}`,
    )
  log(
    `${'overall'.padEnd(12)} ${String(overall.repos).padStart(5)} ${String(overall.total).padStart(6)} ${fmt(recallOf(overall)).padStart(7)} ${fmt(precisionOf(overall)).padStart(9)}`,
  )
  log(`(${overall.explained} routes computed at run time, reported as unresolved and left out of recall)`)
  if (!values.quiet) {
    for (const r of results) {
      if (!r.missed.length && !r.phantom.length) continue
      log()
      log(`${r.entry.repo} @ ${r.entry.commit.slice(0, 12)}`)
      for (const m of r.missed)
        log(
          `  missed   ${m.method} ${m.path}  ${m.file}:${m.line}${m.report ? `  (reported unresolved: ${m.report.known})` : ''}${m.dynamic ? `  [dynamic: ${m.dynamic}]` : ''}`,
        )
      for (const p of r.phantom) log(`  phantom  ${p.method} ${p.path}  ${p.file}:${p.line}`)
    }
  }
  for (const a of absent) log(`not measured: ${a.repo}: ${a.why}`)
  log()
  log(`wall time ${(wallMs / 1000).toFixed(1)} s (materialise and scan)`)
}
process.exit(absent.length ? 1 : 0)
