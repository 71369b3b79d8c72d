#!/usr/bin/env node
// Scan benchmark (`npm run bench:scan`, which builds first): generates a synthetic monorepo of about
// 1,000,000 lines (bench/generate.mjs), runs the built CLI on it in a child process, measures wall
// time and peak RSS, checks recall per framework against what the generator wrote, then times the
// ast-grep CLI parsing the same files with one route-matching rule per language, as a baseline.
// Goals (reported, not asserted): at most 10 s and 1 GiB for 1M lines, within 1.5x of ast-grep.
//
// Usage: node bench/scan.mjs [--lines N] [--seed S] [--runs N] [--json] [--keep] [--cpu-prof] [--no-ast-grep]
import { spawn, spawnSync } from 'node:child_process'
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { describeTree, FRAMEWORKS, generateTree, insideRepo, makeTempDir } from './generate.mjs'
import { renderProfile, summariseProfile } from './profile.mjs'

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const BIN = join(REPO, 'bin/parity.js')
const AST_GREP = join(REPO, 'node_modules/.bin/ast-grep')
/** Folders and files parity skips (SKIPPED_DIRS, too large, minified, gitignored), skipped for ast-grep too. */
const SKIP_GLOBS = [
  '!**/node_modules/**',
  '!**/target/**',
  '!**/vendor/**',
  '!**/dist/**',
  '!**/build/**',
  '!**/__pycache__/**',
  '!**/*.min.js',
  '!**/seed-data.ts',
  '!**/*.generated.ts',
  '!tmp/**',
]
const AST_GREP_RULES = rules()
const GOALS = { wallMs: 10_000, rssBytes: 1024 ** 3, ratio: 1.5, lines: 1_000_000 }

const { values } = parseArgs({
  options: {
    lines: { type: 'string', default: '1000000' },
    seed: { type: 'string', default: '1' },
    runs: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    'cpu-prof': { type: 'boolean', default: false },
    'no-ast-grep': { type: 'boolean', default: false },
  },
})
const log = values.json ? () => {} : (line = '') => console.log(line)

if (!existsSync(join(REPO, 'dist/cli/main.js'))) {
  console.error('dist/ is missing: run `npm run build` first (npm run bench:scan does)')
  process.exit(2)
}

const work = mkdtempSync(join(tmpdir(), 'parity-bench-out-'))
const dir = makeTempDir()
if (insideRepo(dir)) throw new Error(`temporary folder ${dir} is inside the repository`)
const cleanup = () => {
  rmSync(work, { recursive: true, force: true })
  if (!values.keep) rmSync(dir, { recursive: true, force: true })
}
process.on('SIGINT', () => {
  cleanup()
  process.exit(130)
})

try {
  const genStart = performance.now()
  const tree = generateTree({ dir, lines: Number(values.lines), seed: Number(values.seed) })
  const generateMs = performance.now() - genStart
  log(describeTree(tree))
  log(`generated in ${(generateMs / 1000).toFixed(1)} s`)
  log()

  // parity: the built CLI, as a user runs it; then on one thread when it has --jobs.
  const runs = Math.max(1, Number(values.runs))
  const out = join(work, 'inventory.json')
  const scanArgs = [BIN, 'scan', dir, '--format', 'json', '--out', out]
  const hasJobs = spawnSync(process.execPath, [BIN, 'scan', '--help'], { encoding: 'utf8' }).stdout.includes('--jobs')
  const runParity = async (extra) => {
    const all = []
    for (let i = 0; i < runs; i++) {
      const r = await measure(process.execPath, [...scanArgs, ...extra])
      if (r.code !== 0) throw new Error(`parity scan exited with ${r.code}:\n${r.stderr}`)
      all.push(r)
    }
    return { ...median(all), runsMs: all.map((r) => round(r.wallMs)) }
  }
  const parity = await runParity([])
  const inventory = JSON.parse(readFileSync(out, 'utf8'))
  const single = hasJobs ? await runParity(['--jobs', '1']) : undefined
  const recall = recallOf(tree, inventory)
  const stats = inventory.stats
  const parityFig = {
    wallMs: round(parity.wallMs),
    peakRssBytes: parity.peakRssBytes,
    rssSource: parity.rssSource,
    filesPerSecond: round(stats.files / (parity.wallMs / 1000)),
    linesPerSecond: round(stats.lines / (parity.wallMs / 1000)),
    runsMs: parity.runsMs,
    singleThread: single
      ? { wallMs: round(single.wallMs), peakRssBytes: single.peakRssBytes, linesPerSecond: round(stats.lines / (single.wallMs / 1000)), runsMs: single.runsMs }
      : null,
    stats,
    diagnostics: countBy(inventory.diagnostics, (d) => d.code),
  }
  log(
    `parity    ${seconds(parity.wallMs)} wall, ${mib(parity.peakRssBytes)} peak RSS (default jobs)${runs > 1 ? `, median of ${runs}: ${parity.runsMs.join(', ')} ms` : ''}`,
  )
  log(`          ${fmt(parityFig.filesPerSecond)} files/s, ${fmt(parityFig.linesPerSecond)} lines/s`)
  if (single)
    log(`          ${seconds(single.wallMs)} wall, ${mib(single.peakRssBytes)} peak RSS with --jobs 1 (${fmt(parityFig.singleThread.linesPerSecond)} lines/s)`)
  log(
    `          scanned ${fmt(stats.files)} files (generator: ${fmt(tree.files)}), parsed ${fmt(stats.parsed)}, ${fmt(stats.lines)} lines (generator: ${fmt(tree.lines)})`,
  )
  log(`          skipped ${JSON.stringify(stats.skipped)}; diagnostics ${JSON.stringify(parityFig.diagnostics)}`)

  // ast-grep: the same files, one rule per language, so each file is parsed once as parity does.
  let astGrep
  if (!values['no-ast-grep']) {
    const args = ['scan', '--inline-rules', AST_GREP_RULES, ...SKIP_GLOBS.flatMap((g) => ['--globs', g]), '--json=compact', '--inspect', 'summary', '.']
    const matchesFile = join(work, 'ast-grep.json')
    const dflt = median(await repeat(runs, () => measure(AST_GREP, args, { stdoutFile: matchesFile, cwd: dir })))
    const one = median(
      await repeat(runs, () => measure(AST_GREP, ['scan', '-j', '1', ...args.slice(1)], { stdoutFile: join(work, 'ast-grep-1.json'), cwd: dir })),
    )
    for (const r of [dflt, one]) if (r.code !== 0 && r.code !== 1) throw new Error(`ast-grep exited with ${r.code}:\n${r.stderr}`)
    const matches = JSON.parse(readFileSync(matchesFile, 'utf8'))
    const scanned = /scannedFileCount=(\d+)/.exec(dflt.stderr)?.[1]
    astGrep = {
      wallMs: round(dflt.wallMs),
      peakRssBytes: dflt.peakRssBytes,
      singleThreadWallMs: round(one.wallMs),
      singleThreadPeakRssBytes: one.peakRssBytes,
      scannedFiles: scanned ? Number(scanned) : null,
      matches: matches.length,
      ratio: parity.wallMs / dflt.wallMs,
      ratioSingleThread: single ? single.wallMs / one.wallMs : null,
    }
    log(
      `ast-grep  ${seconds(dflt.wallMs)} wall, ${mib(dflt.peakRssBytes)} peak RSS (default threads, ${fmt(astGrep.scannedFiles ?? 0)} files scanned, ${fmt(matches.length)} matches)`,
    )
    log(`          ${seconds(one.wallMs)} wall, ${mib(one.peakRssBytes)} peak RSS with -j 1`)
    log(
      `ratio     parity/ast-grep ${astGrep.ratio.toFixed(2)}x (both with default threads)${single ? `, ${astGrep.ratioSingleThread.toFixed(2)}x (both on one thread)` : ''}`,
    )
  }

  // The goals are set for a tree of a million lines; a smaller tree is dominated by start-up.
  const full = tree.lines >= GOALS.lines
  const goals = full
    ? { wall: parity.wallMs <= GOALS.wallMs, rss: parity.peakRssBytes <= GOALS.rssBytes, ratio: astGrep ? astGrep.ratio <= GOALS.ratio : null }
    : null
  if (goals)
    log(
      `goals     wall <= ${seconds(GOALS.wallMs)}: ${yes(goals.wall)}; peak RSS <= 1 GiB: ${yes(goals.rss)}${astGrep ? `; <= ${GOALS.ratio}x ast-grep: ${yes(goals.ratio)}` : ''}`,
    )
  else log(`goals     set for ${fmt(GOALS.lines)} lines (10 s, 1 GiB, 1.5x ast-grep); run without --lines to check them`)
  log()
  log('recall    framework   written    found  missing  phantom')
  for (const r of recall.frameworks)
    log(`          ${r.framework.padEnd(10)}${fmt(r.written).padStart(9)}${fmt(r.found).padStart(9)}${fmt(r.missing).padStart(9)}${fmt(r.phantom).padStart(9)}`)
  log(
    `          ${'all'.padEnd(10)}${fmt(recall.written).padStart(9)}${fmt(recall.found).padStart(9)}${fmt(recall.written - recall.found).padStart(9)}${fmt(recall.phantom).padStart(9)}`,
  )
  if (recall.outside) log(`          ${fmt(recall.outside)} items outside any service (ignored folders leaking?)`)

  let profile
  if (values['cpu-prof']) {
    // On one thread when possible, so that one profile holds all the work; else every thread's profile.
    const profDir = join(work, 'prof')
    const r = await measure(process.execPath, ['--cpu-prof', '--cpu-prof-dir', profDir, ...scanArgs, ...(hasJobs ? ['--jobs', '1'] : [])])
    if (r.code !== 0) throw new Error(`profiled parity scan exited with ${r.code}:\n${r.stderr}`)
    const files = readdirSync(profDir)
      .filter((f) => f.endsWith('.cpuprofile'))
      .map((f) => join(profDir, f))
    profile = summariseProfile(files)
    log()
    log(`cpu profile${hasJobs ? ' (--jobs 1)' : ''}, ${files.length} thread${files.length > 1 ? 's' : ''}:`)
    log(renderProfile(profile))
  }

  if (values.json) {
    console.log(
      JSON.stringify(
        {
          tree: {
            dir: values.keep ? dir : null,
            seed: tree.seed,
            files: tree.files,
            lines: tree.lines,
            bytes: tree.bytes,
            byFamily: tree.byFamily,
            services: tree.services.length,
            ignored: tree.ignored,
            skipped: tree.skipped,
            generateMs: round(generateMs),
          },
          parity: parityFig,
          astGrep: astGrep ?? null,
          goals,
          recall,
          ...(profile ? { profile } : {}),
        },
        null,
        2,
      ),
    )
  }
  if (values.keep) log(`\ntree kept at ${dir}`)
} finally {
  cleanup()
}

// ---------------------------------------------------------------------------------------------

/**
 * Run a command; wall time from spawn to exit, peak RSS from `/usr/bin/time` (the kernel's
 * ru_maxrss) when present, else from VmHWM in /proc/<pid>/status polled every 20 ms.
 */
function measure(cmd, args, { stdoutFile, cwd } = {}) {
  const gnuTime = existsSync('/usr/bin/time') && process.platform === 'linux'
  const timeFile = join(work, `time-${Math.random().toString(36).slice(2)}.txt`)
  const argv = gnuTime ? ['-f', '%M', '-o', timeFile, cmd, ...args] : args
  const stdout = stdoutFile ? openSync(stdoutFile, 'w') : 'ignore'
  return new Promise((resolvePromise, reject) => {
    const started = performance.now()
    const child = spawn(gnuTime ? '/usr/bin/time' : cmd, argv, { cwd, stdio: ['ignore', stdout, 'pipe'], env: { ...process.env, CI: '1' } })
    let stderr = ''
    child.stderr.on('data', (d) => {
      stderr += d
    })
    let hwm = 0
    const poll = () => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))
        if (m) hwm = Math.max(hwm, Number(m[1]) * 1024)
      } catch {
        // The process has exited between two polls.
      }
    }
    const timer = gnuTime ? undefined : setInterval(poll, 20)
    child.on('error', reject)
    child.on('close', (code) => {
      const wallMs = performance.now() - started
      if (timer) clearInterval(timer)
      if (typeof stdout === 'number') closeSync(stdout)
      let peakRssBytes = hwm
      if (gnuTime) {
        const text = readFileSync(timeFile, 'utf8').trim().split('\n')
        peakRssBytes = Number(text[text.length - 1]) * 1024
        // GNU time writes "Command exited with non-zero status N" before the figure.
        stderr = stderr.replace(/Command exited with non-zero status \d+\n?/, '')
      }
      resolvePromise({ code, wallMs, peakRssBytes, rssSource: gnuTime ? '/usr/bin/time' : '/proc VmHWM polling', stderr })
    })
  })
}

async function repeat(n, fn) {
  const out = []
  for (let i = 0; i < n; i++) out.push(await fn())
  return out
}

function median(runs) {
  const sorted = [...runs].sort((a, b) => a.wallMs - b.wallMs)
  return sorted[Math.floor((sorted.length - 1) / 2)]
}

/** Endpoints per framework inside the services that wrote them, against what the generator wrote. */
function recallOf(tree, inventory) {
  const serviceOf = (file) => tree.services.find((s) => file.startsWith(`${s.dir}/`))
  const found = {}
  const phantom = {}
  let outside = 0
  for (const item of inventory.items) {
    if (item.kind !== 'route' && item.kind !== 'websocket' && item.kind !== 'sse') continue // services, capabilities, tables
    const s = serviceOf(item.source.file)
    if (!s) outside++
    else if (s.frameworks[item.framework]) found[item.framework] = (found[item.framework] ?? 0) + 1
    else phantom[item.framework] = (phantom[item.framework] ?? 0) + 1
  }
  const frameworks = Object.keys(FRAMEWORKS).map((framework) => {
    const written = tree.routes[framework]
    const f = found[framework] ?? 0
    return { framework, written, found: f, missing: Math.max(0, written - f), phantom: phantom[framework] ?? 0, recall: written ? f / written : null }
  })
  for (const fw of Object.keys(phantom))
    if (!(fw in FRAMEWORKS)) frameworks.push({ framework: fw, written: 0, found: 0, missing: 0, phantom: phantom[fw], recall: null })
  const sum = (k) => frameworks.reduce((a, r) => a + r[k], 0)
  return { written: sum('written'), found: sum('found'), phantom: sum('phantom') + outside, outside, frameworks }
}

function countBy(list, key) {
  const out = {}
  for (const x of list) out[key(x)] = (out[key(x)] ?? 0) + 1
  return out
}

function round(x) {
  return Math.round(x)
}
function fmt(n) {
  return Math.round(n).toLocaleString('en-US')
}
function seconds(ms) {
  return `${(ms / 1000).toFixed(2)} s`
}
function mib(bytes) {
  return `${Math.round(bytes / 1048576)} MiB`
}
function yes(ok) {
  return ok ? 'met' : 'NOT met'
}

/** One rule per language matching route registrations: calls, decorators, attribute macros. */
function rules() {
  const js = (id, language) => `id: routes-${id}
language: ${language}
rule:
  any:
    - kind: call_expression
      has:
        field: function
        kind: member_expression
        has: { field: property, regex: '^(get|post|put|delete|patch|options|head|all|on|use|route|register|ws)$' }
    - kind: decorator
      regex: '^@(Get|Post|Put|Delete|Patch|Options|Head|All|Sse|Controller)\\b'
    - kind: export_statement
      regex: '^export (async function|const) (GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS)\\b'`
  return [
    js('typescript', 'TypeScript'),
    js('tsx', 'Tsx'),
    js('javascript', 'JavaScript'),
    `id: routes-rust
language: Rust
rule:
  any:
    - kind: attribute_item
      regex: '^#\\[(get|post|put|delete|patch|head|options|route)\\('
    - kind: call_expression
      has:
        field: function
        kind: field_expression
        has: { field: field, regex: '^(route|nest|merge|service|mount|configure)$' }`,
    `id: routes-go
language: Go
rule:
  kind: call_expression
  has:
    field: function
    kind: selector_expression
    has: { field: field, regex: '^(GET|POST|PUT|DELETE|PATCH|Any|Group|Get|Post|Put|Delete|Patch|Route|Mount|HandleFunc|Handle)$' }`,
    `id: routes-python
language: Python
rule:
  any:
    - kind: decorator
      regex: '^@\\w+\\.(get|post|put|delete|patch|route|api_route|websocket|action)\\b'
    - kind: call
      has:
        field: function
        regex: '^(path|re_path|include)$|\\.(include_router|register_blueprint|register)$'`,
  ].join('\n---\n')
}
