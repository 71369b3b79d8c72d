import { readdirSync, readFileSync, realpathSync, statSync, type Dirent } from 'node:fs'
import { join } from 'node:path'
import ignore, { type Ignore } from 'ignore'
import { languageOfFile } from '../languages/parse.js'
import type { Diagnostic } from '../model/inventory.js'

/** Folders that never hold the code a system serves. */
export const SKIPPED_DIRS = new Set([
  'node_modules',
  'target',
  'vendor',
  'dist',
  'build',
  '.git',
  '.hg',
  '.svn',
  '.next',
  '.nuxt',
  '.turbo',
  '.cache',
  '__pycache__',
  '.venv',
  'venv',
  '.tox',
  '.mypy_cache',
  'coverage',
  '.parity',
])

export interface WalkResult {
  /** Source files in a language parity parses, relative to the root. */
  sources: string[]
  /** YAML and JSON files that look like OpenAPI documents. */
  specs: string[]
  /** Manifests: package.json, Cargo.toml, go.mod, pyproject.toml, requirements*.txt, Pipfile; tsconfig.json and jsconfig.json for their path aliases. */
  manifests: string[]
  /** SQL migrations and Prisma schemas. */
  schemaFiles: string[]
  skipped: Record<string, number>
  diagnostics: Diagnostic[]
}

const MANIFESTS = new Set(['package.json', 'Cargo.toml', 'go.mod', 'pyproject.toml', 'Pipfile', 'tsconfig.json', 'jsconfig.json'])

/** Pseudo file systems: their files are not source and reading some blocks for ever. */
const PSEUDO = ['/proc', '/sys', '/dev']

export interface WalkOptions {
  /** Follow symlinks that lead outside the root (default: not followed, with a SYMLINK_OUTSIDE diagnostic). */
  followExternalLinks?: boolean
}

const inside = (path: string, dir: string) => path === dir || path.startsWith(dir.endsWith('/') ? dir : `${dir}/`)

/**
 * Walk a source tree, honouring `.gitignore` files at every level, without following symlink loops,
 * symlinks out of the tree (unless asked), or pseudo file systems (/proc, /sys, /dev).
 */
export function walkTree(rootAbs: string, options: WalkOptions = {}): WalkResult {
  const rootReal = safeRealpath(rootAbs)
  const result: WalkResult = { sources: [], specs: [], manifests: [], schemaFiles: [], skipped: {}, diagnostics: [] }
  const skip = (reason: string) => {
    result.skipped[reason] = (result.skipped[reason] ?? 0) + 1
  }
  const visit = (dirAbs: string, dirRel: string, ignores: Array<{ base: string; ig: Ignore }>, seen: Set<string>) => {
    let entries: Dirent[]
    try {
      entries = readdirSync(dirAbs, { withFileTypes: true })
    } catch (e) {
      result.diagnostics.push(fsDiagnostic(e, dirRel || '.'))
      return
    }
    const gitignore = entries.find((e) => e.name === '.gitignore' && e.isFile())
    if (gitignore) {
      try {
        const ig = ignore().add(readFileSync(join(dirAbs, '.gitignore'), 'utf8'))
        ignores = [...ignores, { base: dirRel, ig }]
      } catch (e) {
        result.diagnostics.push(fsDiagnostic(e, join(dirRel, '.gitignore')))
      }
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    for (const entry of entries) {
      const rel = dirRel ? `${dirRel}/${entry.name}` : entry.name
      const abs = join(dirAbs, entry.name)
      let isDir = entry.isDirectory()
      let isFile = entry.isFile()
      let real: string | undefined
      if (entry.isSymbolicLink()) {
        try {
          const st = statSync(abs)
          isDir = st.isDirectory()
          isFile = st.isFile()
          real = realpathSync(abs)
        } catch (e) {
          result.diagnostics.push(fsDiagnostic(e, rel))
          continue
        }
        // A link out of the tree (to `/`, to `/usr/lib`) would scan what is not this system's code.
        if (!inside(real, rootReal) && !options.followExternalLinks) {
          result.diagnostics.push({
            level: 'warn',
            code: 'SYMLINK_OUTSIDE',
            file: rel,
            message: `${rel} points outside the scanned tree (${real}); not followed (\`--follow-external-links\` follows it)`,
          })
          continue
        }
        if (PSEUDO.some((p) => inside(real!, p))) {
          skip('pseudo-fs')
          continue
        }
      }
      if (isDir && SKIPPED_DIRS.has(entry.name)) {
        skip('ignored-dir')
        continue
      }
      if (isIgnored(ignores, rel, isDir)) {
        skip('gitignored')
        continue
      }
      if (isDir) {
        const key = real ?? safeRealpath(abs)
        if (seen.has(key)) {
          result.diagnostics.push({
            level: 'warn',
            code: 'SYMLINK_LOOP',
            file: rel,
            message: `${rel} leads back to a folder already being scanned; not followed`,
          })
          continue
        }
        visit(abs, rel, ignores, new Set(seen).add(key))
        continue
      }
      if (!isFile) continue
      if (languageOfFile(entry.name)) result.sources.push(rel)
      else if (MANIFESTS.has(entry.name) || /^requirements.*\.txt$/.test(entry.name)) result.manifests.push(rel)
      else if (/\.(ya?ml|json)$/.test(entry.name)) result.specs.push(rel)
      else if (/\.(sql|prisma)$/.test(entry.name)) result.schemaFiles.push(rel)
    }
  }
  if (PSEUDO.some((p) => inside(rootReal, p))) {
    result.diagnostics.push({
      level: 'warn',
      code: 'PSEUDO_FS',
      message: `${rootReal} is a pseudo file system (/proc, /sys, /dev): nothing in it is source code; not scanned`,
    })
    return result
  }
  visit(rootAbs, '', [], new Set([rootReal]))
  return result
}

function isIgnored(ignores: Array<{ base: string; ig: Ignore }>, rel: string, isDir: boolean): boolean {
  for (const { base, ig } of ignores) {
    const sub = base ? rel.slice(base.length + 1) : rel
    if (ig.ignores(isDir ? `${sub}/` : sub)) return true
  }
  return false
}

function safeRealpath(p: string): string {
  try {
    return realpathSync(p)
  } catch {
    return p
  }
}

/** A file-system failure as a counted diagnostic rather than an exception. */
export function fsDiagnostic(e: unknown, rel: string): Diagnostic {
  const code = (e as NodeJS.ErrnoException).code
  if (code === 'ELOOP') {
    return { level: 'warn', code: 'SYMLINK_LOOP', file: rel, message: `${rel} is a symlink that points to itself (ELOOP); not followed` }
  }
  if (code === 'ENOENT') {
    return { level: 'warn', code: 'BROKEN_SYMLINK', file: rel, message: `${rel} points to a path that does not exist` }
  }
  const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (e as Error).message
  return { level: 'warn', code: 'READ_ERROR', file: rel, message: `cannot read ${rel}: ${why}` }
}
