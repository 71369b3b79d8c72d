import { posix } from 'node:path'
import { parse as parseToml } from 'smol-toml'
import type { Manifest, PathAlias, WorkspacePackage } from '../extractors/types.js'
import type { LanguageFamily } from '../languages/types.js'
import type { Diagnostic } from '../model/inventory.js'

interface ManifestEntry extends Manifest {
  dir: string
  /** package.json: the package's name and entry points. */
  package?: { name: string; entries: Record<string, string> }
}

/** The manifests of a tree, and for any file the one nearest to it of the file's family. */
export class ManifestIndex {
  private readonly byDir = new Map<string, ManifestEntry[]>()
  private readonly cache = new Map<string, Manifest>()
  private readonly tsconfigs = new Map<string, Tsconfig>()
  private readonly aliasCache = new Map<string, PathAlias[] | undefined>()

  /** A tsconfig.json or jsconfig.json: only its `paths` (with `baseUrl` and `extends`) matter, for module resolution. */
  addTsconfig(rel: string, text: string, diagnostics: Diagnostic[]): void {
    try {
      const doc = JSON.parse(stripJsonComments(text)) as { extends?: unknown; compilerOptions?: { baseUrl?: unknown; paths?: unknown } }
      const dir = parentDir(rel)
      const options = doc.compilerOptions ?? {}
      const paths = options.paths && typeof options.paths === 'object' ? (options.paths as Record<string, unknown>) : undefined
      const config: Tsconfig = { dir }
      if (typeof options.baseUrl === 'string') config.baseUrl = posix.join(dir, options.baseUrl)
      if (paths)
        config.paths = Object.entries(paths).map(([pattern, t]) => ({
          pattern,
          targets: Array.isArray(t) ? t.filter((x): x is string => typeof x === 'string') : [],
        }))
      if (typeof doc.extends === 'string' && doc.extends.startsWith('.'))
        config.extends = posix.join(dir, doc.extends.endsWith('.json') ? doc.extends : `${doc.extends}.json`)
      // jsconfig.json beside tsconfig.json: the TypeScript one governs.
      if (!this.tsconfigs.has(dir) || rel.endsWith('tsconfig.json')) this.tsconfigs.set(dir, config)
    } catch (e) {
      diagnostics.push({
        level: 'warn',
        code: 'BAD_MANIFEST',
        file: rel,
        message: `cannot read ${rel.slice(rel.lastIndexOf('/') + 1)}: ${(e as Error).message.split('\n')[0]}`,
      })
    }
  }

  /** The path aliases of the tsconfig nearest to `dir`, root-relative; `extends` within the tree is followed. */
  private aliasesFor(dir: string): PathAlias[] | undefined {
    if (this.aliasCache.has(dir)) return this.aliasCache.get(dir)
    let result: PathAlias[] | undefined
    for (let d = dir; ; d = parentDir(d)) {
      const config = this.tsconfigs.get(d)
      if (config) {
        result = resolveAliases(config, (file) => this.tsconfigs.get(parentDir(file)))
        break
      }
      if (d === '') break
    }
    this.aliasCache.set(dir, result)
    return result
  }

  private workspace: Map<string, WorkspacePackage> | undefined

  add(entry: ManifestEntry): void {
    if (entry.package) (this.workspace ??= new Map()).set(entry.package.name, { dir: entry.dir, entries: entry.package.entries })
    const list = this.byDir.get(entry.dir) ?? []
    const same = list.find((m) => m.family === entry.family)
    if (same) {
      // requirements.txt beside pyproject.toml: one Python manifest with both sets of dependencies.
      same.dependencies = new Set([...same.dependencies, ...entry.dependencies])
      return
    }
    list.push(entry)
    this.byDir.set(entry.dir, list)
  }

  /** The nearest manifest of `family` above `file`; an empty one when none governs it. */
  nearest(file: string, family: LanguageFamily): Manifest {
    let dir = parentDir(file)
    const cacheKey = `${family}:${dir}`
    const hit = this.cache.get(cacheKey)
    if (hit) return hit
    let found: Manifest | undefined
    // JS and Python workspaces: a package whose own manifest declares no dependencies at all (only
    // scripts) runs on what the workspace root declares (hoisted node_modules, one requirements.txt).
    // A manifest that declares anything is complete: a tool with its own list is not the root's app.
    const inherited: Manifest[] = []
    for (;;) {
      const here = this.byDir.get(dir)?.find((m) => m.family === family)
      if (here && !found) found = here
      else if (here) inherited.push(here)
      const complete = found && (!INHERITS.has(family) || found.dependencies.size > 0 || inherited.some((m) => m.dependencies.size > 0))
      if (complete || dir === '') break
      dir = parentDir(dir)
    }
    let result = found ?? { family, file: null, dependencies: new Set<string>() }
    if (found && inherited.length)
      result = { ...found, dependencies: new Set([found.dependencies, ...inherited.map((m) => m.dependencies)].flatMap((d) => [...d])) }
    const aliases = family === 'js' ? this.aliasesFor(parentDir(file)) : undefined
    if (aliases?.length) result = { ...result, aliases }
    if (family === 'js' && this.workspace) result = { ...result, workspace: this.workspace }
    this.cache.set(cacheKey, result)
    return result
  }

  all(): Manifest[] {
    return [...this.byDir.values()].flat()
  }
}

const INHERITS = new Set<LanguageFamily>(['js', 'python'])

/** Entry points of a package.json: `exports` (a string, or sub-paths with import/default/types conditions), else `main`. */
function packageEntries(pkg: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {}
  const pick = (v: unknown): string | undefined => {
    if (typeof v === 'string') return v
    if (v && typeof v === 'object')
      for (const c of ['types', 'import', 'default', 'require', 'node']) {
        const hit = pick((v as Record<string, unknown>)[c])
        if (hit) return hit
      }
    return undefined
  }
  const exp = pkg.exports
  if (typeof exp === 'string') out['.'] = exp
  else if (exp && typeof exp === 'object') {
    const keys = Object.keys(exp)
    if (keys.every((k) => k.startsWith('.'))) {
      for (const k of keys) {
        const v = pick((exp as Record<string, unknown>)[k])
        if (v && !k.includes('*')) out[k] = v
      }
    } else {
      const v = pick(exp)
      if (v) out['.'] = v
    }
  }
  if (!out['.'] && typeof pkg.main === 'string') out['.'] = pkg.main
  return out
}

interface Tsconfig {
  dir: string
  baseUrl?: string
  paths?: PathAlias[]
  extends?: string
}

/** `paths` targets are relative to `baseUrl` (the nearest one along `extends`), or to the config that declares them. */
function resolveAliases(config: Tsconfig, configAt: (file: string) => Tsconfig | undefined): PathAlias[] | undefined {
  let baseUrl: string | undefined
  for (let c: Tsconfig | undefined = config, depth = 0; c && depth < 8; c = c.extends ? configAt(c.extends) : undefined, depth++) {
    baseUrl ??= c.baseUrl
    if (c.paths) {
      const base = baseUrl ?? c.dir
      return c.paths.map((p) => ({ pattern: p.pattern, targets: p.targets.map((t) => posix.join(base, t)).filter((t) => !t.startsWith('..')) }))
    }
  }
  return undefined
}

/** JSON with comments and trailing commas (tsconfig.json) to plain JSON; strings are left intact. */
function stripJsonComments(text: string): string {
  let out = ''
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (ch === '"') {
      const start = i
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++
      out += text.slice(start, i + 1)
    } else if (ch === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++
      out += '\n'
    } else if (ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2)
      i = end === -1 ? text.length : end + 1
    } else out += ch
  }
  return out.replace(/,(\s*[}\]])/g, '$1')
}

export function parentDir(path: string): string {
  const i = path.lastIndexOf('/')
  return i === -1 ? '' : path.slice(0, i)
}

/** Read one manifest's direct dependencies; a malformed manifest is a diagnostic, not a crash. */
export function readManifest(rel: string, text: string, diagnostics: Diagnostic[]): ManifestEntry | undefined {
  const dir = parentDir(rel)
  const name = rel.slice(rel.lastIndexOf('/') + 1)
  const bad = (e: unknown): undefined => {
    diagnostics.push({ level: 'warn', code: 'BAD_MANIFEST', file: rel, message: `cannot read ${name}: ${(e as Error).message.split('\n')[0]}` })
    return undefined
  }
  try {
    if (name === 'package.json') {
      const pkg = JSON.parse(text) as Record<string, unknown>
      const deps = new Set<string>()
      for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
        const table = pkg[field]
        if (table && typeof table === 'object') for (const dep of Object.keys(table)) deps.add(dep)
      }
      const entry: ManifestEntry = { family: 'js', file: rel, dir, dependencies: deps }
      if (typeof pkg.name === 'string' && pkg.name) entry.package = { name: pkg.name, entries: packageEntries(pkg) }
      return entry
    }
    if (name === 'Cargo.toml') {
      const doc = parseToml(text) as Record<string, unknown>
      const deps = new Set<string>()
      const workspace = doc.workspace as Record<string, unknown> | undefined
      for (const table of [doc.dependencies, doc['dev-dependencies'], workspace?.dependencies]) {
        if (table && typeof table === 'object') for (const dep of Object.keys(table)) deps.add(dep.replace(/_/g, '-'))
      }
      return { family: 'rust', file: rel, dir, dependencies: deps }
    }
    if (name === 'go.mod') return readGoMod(rel, dir, text)
    if (name === 'pyproject.toml') {
      // biome-ignore lint/suspicious/noExplicitAny: a TOML manifest (Cargo, pyproject) read field by field
      const doc = parseToml(text) as Record<string, any>
      const deps = new Set<string>()
      for (const spec of (doc.project?.dependencies as string[] | undefined) ?? []) addPythonRequirement(deps, spec)
      const poetry = doc.tool?.poetry?.dependencies
      if (poetry && typeof poetry === 'object') for (const dep of Object.keys(poetry)) deps.add(pythonName(dep))
      return { family: 'python', file: rel, dir, dependencies: deps }
    }
    if (name === 'Pipfile') {
      // biome-ignore lint/suspicious/noExplicitAny: a TOML manifest (Cargo, pyproject) read field by field
      const doc = parseToml(text) as Record<string, any>
      const deps = new Set<string>()
      for (const table of [doc.packages, doc['dev-packages']]) {
        if (table && typeof table === 'object') for (const dep of Object.keys(table)) deps.add(pythonName(dep))
      }
      return { family: 'python', file: rel, dir, dependencies: deps }
    }
    // requirements*.txt
    const deps = new Set<string>()
    for (const line of text.split('\n')) addPythonRequirement(deps, line)
    return { family: 'python', file: rel, dir, dependencies: deps }
  } catch (e) {
    return bad(e)
  }
}

function pythonName(name: string): string {
  return name.trim().toLowerCase().replace(/_/g, '-')
}

function addPythonRequirement(deps: Set<string>, line: string): void {
  const spec = line.replace(/#.*/, '').trim()
  if (!spec || spec.startsWith('-')) return
  const name = /^[A-Za-z0-9][A-Za-z0-9._-]*/.exec(spec)?.[0]
  if (name) deps.add(pythonName(name))
}

function readGoMod(rel: string, dir: string, text: string): ManifestEntry {
  const deps = new Set<string>()
  let module: string | undefined
  let inRequire = false
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (line.startsWith('module ')) module = line.slice(7).trim()
    else if (line.startsWith('require (')) inRequire = true
    else if (inRequire && line === ')') inRequire = false
    else if (inRequire || line.startsWith('require ')) {
      if (line.includes('// indirect')) continue
      const path = (inRequire ? line : line.slice(8)).trim().split(/\s+/)[0]
      if (path) deps.add(path)
    }
  }
  return { family: 'go', file: rel, dir, dependencies: deps, ...(module ? { module } : {}) }
}
