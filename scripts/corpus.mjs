#!/usr/bin/env node
// The accuracy corpus (corpus/*.json): real public backends and their true route tables, written
// by reading their code. This script materialises each repository's tree at its pinned commit from
// the mirrors that the `fetch` tool brings (/work/.mirror/<owner>+<name>/repo, or $PARITY_MIRRORS),
// into a temp folder, never into this repository. Only facts are kept in the project, never code.
//
// Usage: node scripts/corpus.mjs [--out DIR] [--list] [name ...]
//   name: owner/name, owner__name or a part of it; none = every corpus file
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..')
export const CORPUS_DIR = join(REPO, 'corpus')
export const MIRRORS = process.env.PARITY_MIRRORS ?? '/work/.mirror'
export const DEFAULT_OUT = join(tmpdir(), 'parity-corpus')

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ALL', 'WS', 'TRACE', 'CONNECT'])

/** Every corpus entry, checked: a malformed file is an error with its name, never skipped. */
export function readCorpus(filter = []) {
  const files = readdirSync(CORPUS_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
  const entries = []
  for (const f of files) {
    const entry = JSON.parse(readFileSync(join(CORPUS_DIR, f), 'utf8'))
    const problems = checkEntry(entry, f)
    if (problems.length) throw new Error(`corpus/${f}: ${problems.join('; ')}`)
    entry.id = f.replace(/\.json$/, '')
    entries.push(entry)
  }
  if (!filter.length) return entries
  return entries.filter((e) => filter.some((q) => e.id === q || e.repo === q || e.id.toLowerCase().includes(q.toLowerCase())))
}

/** Problems of one corpus file, as phrases. */
export function checkEntry(entry, file) {
  const problems = []
  if (typeof entry.repo !== 'string' || !/^[\w.-]+\/[\w.-]+$/.test(entry.repo)) problems.push('`repo` must be owner/name')
  else if (file && file !== `${entry.repo.replace('/', '__')}.json`) problems.push(`the file should be named ${entry.repo.replace('/', '__')}.json`)
  if (typeof entry.commit !== 'string' || !/^[0-9a-f]{40}$/.test(entry.commit)) problems.push('`commit` must be 40 hex digits')
  if (!Array.isArray(entry.frameworks) || !entry.frameworks.length) problems.push('`frameworks` must list at least one extractor id')
  if (!Array.isArray(entry.routes) || !entry.routes.length) problems.push('`routes` must list the routes')
  for (const [i, r] of (entry.routes ?? []).entries()) {
    if (!METHODS.has(r.method)) problems.push(`routes[${i}].method ${JSON.stringify(r.method)} is not an upper-case method, ALL or WS`)
    if (typeof r.path !== 'string' || !r.path.startsWith('/')) problems.push(`routes[${i}].path must start with /`)
    if (typeof r.file !== 'string' || !Number.isInteger(r.line) || r.line < 1) problems.push(`routes[${i}] needs file and a 1-based line`)
  }
  return problems
}

/** The git directory of a fetched mirror, or undefined. */
export function mirrorOf(repo) {
  const base = join(MIRRORS, repo.replace('/', '+'), 'repo')
  for (const dir of [join(base, '.git'), base]) if (existsSync(join(dir, 'HEAD'))) return dir
  return undefined
}

/**
 * The tree of one entry at its commit, under `out/<owner>__<name>`; reused when already there at
 * that commit. Returns `{ dir }` or `{ missing }` (the fetch to run) or `{ error }`.
 */
export function materialise(entry, out = DEFAULT_OUT) {
  const dir = join(out, entry.id)
  const stamp = join(dir, '.parity-corpus-commit')
  if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === entry.commit) return { dir }
  const git = mirrorOf(entry.repo)
  if (!git) return { missing: `fetch github:${entry.repo}` }
  const has = spawnSync('git', ['--git-dir', git, 'cat-file', '-e', `${entry.commit}^{commit}`])
  if (has.status !== 0) return { error: `the mirror at ${git} lacks commit ${entry.commit}; fetch github:${entry.repo} again` }
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  let archive = extract(git, entry.commit, dir, [])
  let absentFiles = []
  if (archive.status !== 0) {
    // Snapshots can lack some objects (files over 4 MiB, LFS): leave those files out, and say so.
    absentFiles = absentBlobs(git, entry.commit)
    rmSync(dir, { recursive: true, force: true })
    mkdirSync(dir, { recursive: true })
    if (absentFiles.length) archive = extract(git, entry.commit, dir, absentFiles)
  }
  if (archive.status !== 0) return { error: `git archive failed: ${archive.stderr.toString().trim().split('\n').pop()}` }
  writeFileSync(stamp, `${entry.commit}\n`)
  return { dir, absentFiles }
}

function extract(git, commit, dir, exclude) {
  const specs = exclude.map((f) => `:(exclude,literal)${f}`)
  return spawnSync(
    'bash',
    [
      '-c',
      'set -o pipefail; git="$1" commit="$2" dir="$3"; shift 3; git --git-dir="$git" archive "$commit" -- . "$@" | tar -x -C "$dir"',
      'sh',
      git,
      commit,
      dir,
      ...specs,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 },
  )
}

/** Files of the commit whose blobs the mirror does not hold. */
function absentBlobs(git, commit) {
  const tree = spawnSync('git', ['--git-dir', git, 'ls-tree', '-r', '-z', commit], { maxBuffer: 1 << 28 })
  const entries = tree.stdout
    .toString()
    .split('\0')
    .filter(Boolean)
    .map((line) => {
      const tab = line.indexOf('\t')
      const [, type, oid] = line.slice(0, tab).split(' ')
      return { type, oid, path: line.slice(tab + 1) }
    })
    .filter((e) => e.type === 'blob')
  const check = spawnSync('git', ['--git-dir', git, 'cat-file', '--batch-check=%(objectname) %(objecttype)'], {
    input: entries.map((e) => e.oid).join('\n'),
    maxBuffer: 1 << 28,
  })
  const missing = new Set(
    check.stdout
      .toString()
      .split('\n')
      .filter((l) => l.endsWith(' missing'))
      .map((l) => l.split(' ')[0]),
  )
  return entries.filter((e) => missing.has(e.oid)).map((e) => e.path)
}

function insideRepo(dir) {
  const rel = relative(REPO, existsSync(dir) ? realpathSync(dir) : resolve(dir))
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith('/'))
}

/** Refuse an output folder inside this repository: no fetched code is ever written into the project. */
export function checkOut(out) {
  if (insideRepo(out)) throw new Error(`refusing to write corpus trees inside the repository (${out}); pass --out outside it`)
  mkdirSync(out, { recursive: true })
  return out
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { out: { type: 'string' }, list: { type: 'boolean' } } })
  try {
    const entries = readCorpus(positionals)
    if (values.list) {
      for (const e of entries)
        console.log(
          `${e.repo.padEnd(44)} ${e.commit.slice(0, 12)}  ${e.frameworks.join(',').padEnd(16)} ${String(e.routes.length).padStart(4)} routes  ${mirrorOf(e.repo) ? '' : `(missing: fetch github:${e.repo})`}`,
        )
      process.exit(0)
    }
    const out = checkOut(resolve(values.out ?? DEFAULT_OUT))
    let missing = 0
    for (const e of entries) {
      const r = materialise(e, out)
      if (r.dir) console.log(`${e.repo}: ${r.dir}${r.absentFiles?.length ? ` (${r.absentFiles.length} files absent from the snapshot)` : ''}`)
      else {
        missing++
        console.error(`${e.repo}: ${r.missing ? `no mirror; run ${r.missing}` : r.error}`)
      }
    }
    process.exit(missing ? 1 : 0)
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err))
    process.exit(2)
  }
}
