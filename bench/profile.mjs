#!/usr/bin/env node
// Summarise a V8 .cpuprofile of `parity scan` (from `node --cpu-prof`): inclusive time per scan phase
// (walk, file reading, parse, syntax-error check, module analysis, each extractor, resolve, output,
// GC) and the functions with the most self time.
//
// Usage: node bench/profile.mjs <file.cpuprofile>... [--top N] [--json] (several files: one per thread, added)
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

/** Phases, tested against each frame of a sample's stack (inclusive: a sample counts once per phase). */
const PHASES = [
  ['startup (module loading)', (f) => /^node:internal\/modules|^node:internal\/main/.test(f.url) || f.functionName === 'compileFunction'],
  ['walk the tree', (f) => f.url.endsWith('/scan/walk.js')],
  ['read files (stat, read, decode)', (f) => ['readFileSync', 'statSync', 'decode', 'tryStatSync', 'tryReadSync'].includes(f.functionName)],
  ['parse (tree-sitter via napi)', (f) => f.functionName === 'parseSource' || f.functionName === 'parseSourceAsync'],
  ['syntax-error check (find ERROR)', (f, parent) => f.functionName === 'find' && ['scanTree', 'processFile'].includes(parent?.functionName)],
  ['module analysis (imports, constants)', (f) => f.functionName === 'analyzeModule'],
  ['needle pre-filter', (f, parent) => /\/scan\/(scan|file)\.js$/.test(f.url) && parent?.functionName === 'filter'],
  ['extractors (all)', (f) => /\/extractors\/(?!load\.js|registry\.js)/.test(f.url)],
  ['resolve (mount graph, prefixes)', (f) => f.functionName === 'resolveInventory'],
  ['worker threads (pool, messages)', (f) => /\/scan\/(pool|worker)\.js$/.test(f.url)],
  ['compare with OpenAPI specs', (f) => f.functionName === 'compareWithSpecs'],
  ['output (JSON.stringify, write)', (f) => f.functionName === 'stringify' || f.functionName === 'writeFileSync'],
  ['garbage collector', (f) => f.functionName === '(garbage collector)'],
]

/** Read and summarise one profile, or several (one per thread) added together. Times are milliseconds. */
export function summariseProfile(files, top = 25) {
  const list = Array.isArray(files) ? files : [files]
  const parts = list.map((f) => summariseOne(JSON.parse(readFileSync(f, 'utf8'))))
  const add = (key, field) => {
    const m = new Map()
    for (const p of parts) for (const x of p[key]) m.set(x[field], (m.get(x[field]) ?? 0) + x.ms)
    return m
  }
  const totalMs = parts.reduce((a, p) => a + p.totalMs, 0)
  const rows = (m, field) => [...m].sort((a, b) => b[1] - a[1]).map(([k, ms]) => ({ [field]: k, ms: Math.round(ms), share: ms / totalMs }))
  const phaseOrder = PHASES.map(([name]) => name)
  return {
    threads: list.length,
    totalMs: Math.round(totalMs),
    phases: rows(add('phases', 'name'), 'name').sort((a, b) => phaseOrder.indexOf(a.name) - phaseOrder.indexOf(b.name)),
    extractors: rows(add('extractors', 'id'), 'id'),
    selfTop: rows(add('selfTop', 'fn'), 'fn').slice(0, top),
  }
}

function summariseOne(profile) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const frame = (n) => ({ functionName: n.callFrame.functionName || '(anonymous)', url: n.callFrame.url, line: n.callFrame.lineNumber + 1 })

  // Sample durations from timeDeltas (the delta of sample i+1 is the duration of sample i).
  const samples = profile.samples
  const deltas = profile.timeDeltas
  const duration = (i) => (i + 1 < deltas.length ? deltas[i + 1] : 0) / 1000
  const totalMs = (profile.endTime - profile.startTime) / 1000

  const self = new Map()
  const phases = new Map(PHASES.map(([name]) => [name, 0]))
  const extractors = new Map()
  const stackCache = new Map()
  const stackOf = (id) => {
    let hit = stackCache.get(id)
    if (hit) return hit
    hit = []
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) hit.push(frame(nodes.get(cur)))
    stackCache.set(id, hit)
    return hit
  }
  for (let i = 0; i < samples.length; i++) {
    const ms = duration(i)
    const leaf = nodes.get(samples[i])
    const f = frame(leaf)
    const key = `${f.functionName} ${shortUrl(f.url)}${f.url ? `:${f.line}` : ''}`
    self.set(key, (self.get(key) ?? 0) + ms)
    const stack = stackOf(samples[i])
    for (const [name, test] of PHASES) if (stack.some((fr, j) => test(fr, stack[j + 1]))) phases.set(name, phases.get(name) + ms)
    const ids = new Set()
    for (const fr of stack) {
      const m = /\/extractors\/([^/]+)\/[^/]+\.js$/.exec(fr.url)
      if (m) ids.add(m[1])
    }
    for (const id of ids) extractors.set(id, (extractors.get(id) ?? 0) + ms)
  }
  const round = (x) => Math.round(x)
  return {
    totalMs: round(totalMs),
    phases: [...phases].map(([name, ms]) => ({ name, ms: round(ms), share: ms / totalMs })),
    extractors: [...extractors].sort((a, b) => b[1] - a[1]).map(([id, ms]) => ({ id, ms: round(ms), share: ms / totalMs })),
    selfTop: [...self].sort((a, b) => b[1] - a[1]).map(([fn, ms]) => ({ fn, ms: round(ms), share: ms / totalMs })),
  }
}

function shortUrl(url) {
  if (!url) return ''
  const m = /\/(dist|node_modules)\/(.*)$/.exec(url)
  return m ? `${m[1] === 'dist' ? '' : 'node_modules/'}${m[2]}` : url.replace(/^file:\/\//, '')
}

/** Text rendering of a summary. */
export function renderProfile(s) {
  const pct = (x) => `${(x * 100).toFixed(1).padStart(5)}%`
  const ms = (x) => `${x.toLocaleString('en-US').padStart(7)} ms`
  const out = [
    `profile: ${s.totalMs.toLocaleString('en-US')} ms in all${s.threads > 1 ? ` over ${s.threads} threads` : ''}`,
    '',
    'phases (inclusive; overlapping phases nest, e.g. module analysis inside an extractor is not counted twice there):',
  ]
  for (const p of s.phases) out.push(`  ${p.name.padEnd(40)}${ms(p.ms)} ${pct(p.share)}`)
  out.push('', 'extractors (inclusive):')
  for (const e of s.extractors) out.push(`  ${e.id.padEnd(40)}${ms(e.ms)} ${pct(e.share)}`)
  out.push('', 'top functions by self time:')
  for (const f of s.selfTop) out.push(`  ${ms(f.ms)} ${pct(f.share)}  ${f.fn}`)
  return out.join('\n')
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: 'string', default: '25' }, json: { type: 'boolean', default: false } },
  })
  if (positionals.length === 0) {
    console.error('usage: node bench/profile.mjs <file.cpuprofile>... [--top N] [--json]')
    process.exit(2)
  }
  const summary = summariseProfile(positionals, Number(values.top))
  console.log(values.json ? JSON.stringify(summary, null, 2) : renderProfile(summary))
}
