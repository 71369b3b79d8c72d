/**
 * The deployable services of a monorepo: a package.json with a server entry, a Cargo.toml binary
 * on an HTTP framework, a Go main package that serves HTTP, a FastAPI/Flask app or a Django
 * project. Manifests are read again here (the scan keeps only their dependencies); source files
 * are parsed only when they are entry files, a few per service.
 */
import { readFileSync } from 'node:fs'
import { posix } from 'node:path'
import type { SgNode } from '@ast-grep/napi'
import { parse as parseToml } from 'smol-toml'
import { libraryOfImport } from '../extractors/go/library.js'
import { builtinExtractors } from '../extractors/registry.js'
import type { Manifest } from '../extractors/types.js'
import { goPackageName } from '../languages/go.js'
import { familyOf, languageOfFile, parseSource } from '../languages/parse.js'
import type { LanguageFamily } from '../languages/types.js'
import type { EndpointItem, Item, ServiceItem, SourceLocation } from '../model/inventory.js'
import { pushTo } from '../model/collections.js'
import type { InventoryContext } from './context.js'
import { moduleResolvers } from './modules/resolvers.js'
import type { ModuleResolveContext } from './modules/types.js'
import { parentDir } from './manifests.js'
import { findListenSites, portOfText, type ListenSite } from './listen-sites.js'
import type { FileRecord } from './resolve.js'

type ServiceLanguage = ServiceItem['language']

/** A service found, before its files are counted. `root` is '' for the scanned root. */
interface Candidate {
  name: string
  family: LanguageFamily
  /** Fixed for Rust, Go and Python; JS is TypeScript or JavaScript by its files, once they are counted. */
  language?: ServiceLanguage
  root: string
  source: SourceLocation
  /** Files that may start the server, most likely first. */
  entries: string[]
  /** Framework declared by the manifest, when no endpoint says which. */
  framework?: string
  /** Go: the package folders it is built from (its own and the in-module packages it imports). */
  goDirs?: Set<string>
  /** A single-file service of a folder that holds several: the file is all it owns. */
  file?: string
}

/** Files a Node service is usually started from, after the ones its package.json names. */
const JS_CONVENTIONAL = ['src/main', 'src/server', 'src/index', 'src/app', 'server', 'index', 'main', 'app']
const JS_EXTENSIONS = ['.ts', '.js', '.mts', '.mjs', '.cts', '.cjs', '.tsx']
/** Rust HTTP servers without an extractor of their own. */
const RUST_SERVERS = ['warp', 'poem', 'salvo', 'tide', 'tonic']
/** Go router modules without an extractor; net/http alone may be a client. */
const GO_SERVERS = ['github.com/gorilla/mux', 'github.com/julienschmidt/httprouter', 'google.golang.org/grpc']
const PY_ENTRIES = ['main.py', 'app.py', 'server.py', 'run.py', 'wsgi.py', 'asgi.py', '__main__.py']
/** At most this many entry files are parsed per service. */
const MAX_ENTRIES = 6

/** The services of a tree, and which service each source file belongs to (files of no service are absent). */
export interface DetectedServices {
  services: ServiceItem[]
  serviceOfFile: Map<string, string>
}

/** Deployable services of a monorepo, with language, framework, size, routes and port. */
export function detectServices(ctx: InventoryContext): DetectedServices {
  const tree = new SourceTree(ctx)
  const candidates = [...jsServices(tree), ...rustServices(tree), ...goServices(tree), ...pythonServices(tree)]
  return candidates.length ? describe(tree, candidates) : { services: [], serviceOfFile: new Map() }
}

/** Files, text and syntax trees of the scan, read and parsed at most once. */
class SourceTree {
  readonly byPath: Map<string, FileRecord>
  readonly byDir = new Map<string, FileRecord[]>()
  private readonly trees = new Map<string, SgNode | null>()
  private readonly sites = new Map<string, ListenSite[]>()
  private byManifest: Map<string, number> | undefined
  private resolveCtx: ModuleResolveContext | undefined

  constructor(readonly ctx: InventoryContext) {
    this.byPath = new Map(ctx.records.map((r) => [r.path, r]))
    for (const r of ctx.records) pushTo(this.byDir, parentDir(r.path), r)
  }

  has(rel: string): boolean {
    return this.byPath.has(rel)
  }

  read(rel: string): string | undefined {
    const record = this.byPath.get(rel)
    try {
      return record?.deferred ? record.deferred.text() : readFileSync(`${this.ctx.abs}/${rel}`, 'utf8')
    } catch {
      return undefined // the walk has already reported it
    }
  }

  parse(rel: string): SgNode | undefined {
    if (!this.trees.has(rel)) {
      const language = languageOfFile(rel)
      const text = language && this.read(rel)
      let root: SgNode | null = null
      try {
        if (text !== undefined && language) root = parseSource(language, text).root()
      } catch {
        root = null // a file that does not parse starts no server we can see; the scan reports it
      }
      this.trees.set(rel, root)
    }
    return this.trees.get(rel) ?? undefined
  }

  listenSites(rel: string): ListenSite[] {
    let found = this.sites.get(rel)
    if (!found) {
      const root = this.parse(rel)
      const language = languageOfFile(rel)
      found = root && language ? findListenSites(familyOf(language), root, (name) => this.importedName(rel, name)) : []
      this.sites.set(rel, found)
    }
    return found
  }

  /** Where a name that `rel` imports is declared: `import { PORT } from './config'`. */
  private importedName(rel: string, name: string): Array<{ file: string; root: SgNode; name: string }> {
    const record = this.byPath.get(rel)
    const imp = record?.module.imports[name]
    if (!record || !imp || imp.name === '*') return []
    this.resolveCtx ??= {
      files: new Set(this.byPath.keys()),
      filesInDir: (dir) => (this.byDir.get(dir === '.' ? '' : dir) ?? []).map((r) => r.path),
      manifestFor: (file, family) => this.ctx.manifests.nearest(file, family),
    }
    return moduleResolvers[record.family](imp.module, rel, this.resolveCtx).flatMap((file) => {
      const root = this.parse(file)
      const local = this.byPath.get(file)?.module.exports[imp.name] ?? imp.name
      return root ? [{ file, root, name: local }] : []
    })
  }

  /** The manifest of `family` nearest to a file (a manifest governs its own folder). */
  manifest(rel: string, family: LanguageFamily): Manifest {
    return this.ctx.manifests.nearest(rel, family)
  }

  /** Endpoints whose nearest manifest of their family is `manifestFile`. */
  endpointsOf(manifestFile: string): number {
    if (!this.byManifest) {
      this.byManifest = new Map()
      for (const e of this.ctx.endpoints) {
        const language = languageOfFile(e.source.file)
        const file = language && this.ctx.manifests.nearest(e.source.file, familyOf(language)).file
        if (file) this.byManifest.set(file, (this.byManifest.get(file) ?? 0) + 1)
      }
    }
    return this.byManifest.get(manifestFile) ?? 0
  }
}

const join = (dir: string, file: string) => (dir ? `${dir}/${file}` : file)

/** The framework a manifest declares, by the extractors' own detection (add-ons such as `ws` last). */
function manifestFramework(manifest: Manifest): string | undefined {
  if (!manifest.file) return undefined
  const empty: Manifest = { family: manifest.family, file: manifest.file, dependencies: new Set() }
  const found = builtinExtractors.filter((x) => x.family === manifest.family && !x.detect(empty) && x.detect(manifest)).map((x) => x.id)
  const addOns = new Set(['ws', 'socket-io', 'drf'])
  return found.find((id) => !addOns.has(id)) ?? found[0]
}

// ---------------------------------------------------------------- Node

function jsServices(tree: SourceTree): Candidate[] {
  const out: Candidate[] = []
  for (const rel of tree.ctx.manifestFiles) {
    if (posix.basename(rel) !== 'package.json') continue
    const pkg = readJson(tree.read(rel))
    if (!pkg) continue
    const dir = parentDir(rel)
    const scripts = (isRecord(pkg.scripts) ? pkg.scripts : {}) as Record<string, unknown>
    const start = typeof scripts.start === 'string' ? scripts.start : undefined
    const declared = [
      ...(typeof pkg.main === 'string' ? [pkg.main] : []),
      ...(typeof pkg.bin === 'string' ? [pkg.bin] : isRecord(pkg.bin) ? Object.values(pkg.bin).filter((b): b is string => typeof b === 'string') : []),
      ...(start ? scriptFiles(start) : []),
    ]
      .map((spec) => resolveJsEntry(tree, dir, spec))
      .filter((f): f is string => f !== undefined)
    const conventional = JS_CONVENTIONAL.flatMap((base) => JS_EXTENSIONS.map((ext) => join(dir, base + ext))).filter((f) => tree.has(f))
    const entries = unique([...declared, ...conventional])
    const framework = manifestFramework(tree.manifest(rel, 'js'))
    const listens = (files: string[]) => files.slice(0, MAX_ENTRIES).some((f) => tree.listenSites(f).length > 0)
    // A workspace root's `start` usually starts the workspaces; it is a service only by its own code.
    const isWorkspace = pkg.workspaces !== undefined
    const isService =
      (start !== undefined && !isWorkspace) || listens(declared) || (framework !== undefined && (tree.endpointsOf(rel) > 0 || listens(conventional)))
    // A folder of single-file services: no declared entry listens, but several of its files do (each
    // run by its own script, `start:webhook-relay`): each is a service named by its file.
    if (!listens(declared)) {
      const scripted = Object.values(scripts).flatMap((v) => (typeof v === 'string' ? scriptFiles(v) : []))
      const own = (tree.byDir.get(dir) ?? []).filter((r) => r.family === 'js').map((r) => r.path)
      const listening = unique([...scripted.map((spec) => resolveJsEntry(tree, dir, spec)).filter((f): f is string => f !== undefined), ...own]).filter(
        (f) => tree.listenSites(f).length > 0,
      )
      if (listening.length > 1) {
        for (const file of listening) {
          const stem = posix.basename(file).replace(/\.(c|m)?(j|t)sx?$/, '')
          out.push({ name: stem, family: 'js', root: dir, source: { file, line: 1 }, entries: [file], file, ...(framework ? { framework } : {}) })
        }
        continue
      }
    }
    if (!isService) continue
    const name = typeof pkg.name === 'string' && pkg.name ? pkg.name.replace(/^@[^/]+\//, '') : undefined
    out.push({ name: name ?? folderName(tree, dir), family: 'js', root: dir, source: { file: rel, line: 1 }, entries, ...(framework ? { framework } : {}) })
  }
  return out
}

/** Files a start script runs: `node dist/server.js`, `tsx watch src/index.ts`, `ts-node -r x src/main.ts`. */
function scriptFiles(script: string): string[] {
  return script.split(/\s+|&&|;/).filter((t) => !t.startsWith('-') && /\.(c|m)?(j|t)sx?$/.test(t))
}

/** An entry as written (`./dist/server.js`, `src/index`) to a source file of the tree; built output maps back to `src/`. */
function resolveJsEntry(tree: SourceTree, dir: string, spec: string): string | undefined {
  const path = posix.normalize(join(dir, spec.replace(/^\.\//, '')))
  const stem = path.replace(/\.(c|m)?(j|t)sx?$/, '')
  const variants = [path, ...JS_EXTENSIONS.map((e) => stem + e), ...JS_EXTENSIONS.map((e) => `${stem}/index${e}`)]
  const built = /^(dist|build|lib|out)\//.exec(dir ? stem.slice(dir.length + 1) : stem)
  if (built) {
    const src = join(dir, `src/${(dir ? stem.slice(dir.length + 1) : stem).slice(built[0].length)}`)
    variants.push(...JS_EXTENSIONS.map((e) => src + e))
  }
  return variants.find((v) => tree.has(v))
}

// ---------------------------------------------------------------- Rust

function rustServices(tree: SourceTree): Candidate[] {
  const out: Candidate[] = []
  for (const rel of tree.ctx.manifestFiles) {
    if (posix.basename(rel) !== 'Cargo.toml') continue
    const doc = readToml(tree.read(rel))
    const pkg = doc?.package
    if (!isRecord(pkg) || typeof pkg.name !== 'string') continue // a workspace, not a crate
    const dir = parentDir(rel)
    const bins = Array.isArray(doc!.bin) ? doc!.bin.filter(isRecord) : []
    const entries = unique([
      ...bins.map((b) => join(dir, typeof b.path === 'string' ? b.path : `src/bin/${String(b.name)}.rs`)),
      join(dir, 'src/main.rs'),
      ...(tree.byDir.get(join(dir, 'src/bin')) ?? []).map((r) => r.path),
    ]).filter((f) => tree.has(f))
    if (!entries.length) continue // a library crate
    const manifest = tree.manifest(rel, 'rust')
    const framework = manifestFramework(manifest) ?? RUST_SERVERS.find((d) => manifest.dependencies.has(d))
    const isService = framework !== undefined || tree.endpointsOf(rel) > 0 || entries.some((f) => tree.listenSites(f).length > 0)
    if (!isService) continue
    out.push({ name: pkg.name, family: 'rust', language: 'rust', root: dir, source: { file: rel, line: 1 }, entries, ...(framework ? { framework } : {}) })
  }
  return out
}

// ---------------------------------------------------------------- Go

function goServices(tree: SourceTree): Candidate[] {
  const moduleDirs = new Set(tree.ctx.manifestFiles.filter((f) => posix.basename(f) === 'go.mod').map(parentDir))
  const out: Candidate[] = []
  const modules = new Map<Candidate, Manifest>()
  for (const [dir, records] of tree.byDir) {
    // Main packages live at a module root or under cmd/<name>.
    if (!moduleDirs.has(dir) && posix.basename(parentDir(dir)) !== 'cmd') continue
    const files = records.filter((r) => r.family === 'go' && !r.path.endsWith('_test.go')).map((r) => r.path)
    const mains = files.filter((f) => tree.read(f)?.includes('package main') && isGoMain(tree.parse(f)))
    const entry = mains.find((f) => goMainLine(tree.parse(f)) !== undefined)
    if (!entry) continue
    const manifest = tree.manifest(entry, 'go')
    const goDirs = goPackageClosure(tree, dir, manifest)
    const declaresRoutes = [...goDirs].some((d) => (tree.byDir.get(d) ?? []).some((r) => r.facts.routes.length > 0))
    const imports = mains.flatMap((f) => Object.values(tree.byPath.get(f)!.module.imports).map((i) => i.module))
    const router = imports.find((i) => isRouterLibrary(i) || GO_SERVERS.some((m) => i === m || i.startsWith(`${m}/`)))
    const listens = mains.some((f) => tree.listenSites(f).length > 0)
    if (!declaresRoutes && !router && !listens) continue // a command-line tool
    const framework = router ? (libraryOfImport(router)?.id ?? posix.basename(router)) : manifestFramework(manifest)
    const entries = unique([entry, ...mains])
    const name = folderName(tree, dir)
    const candidate: Candidate = {
      name,
      family: 'go',
      language: 'go',
      root: dir,
      source: { file: entry, line: goMainLine(tree.parse(entry))! },
      entries,
      goDirs,
      ...(framework ? { framework } : {}),
    }
    modules.set(candidate, manifest)
    out.push(candidate)
  }
  // The module's name for its only service (`cmd/server` of github.com/acme/orders is `orders`), else the folder's.
  const perModule = new Map<string | null, number>()
  for (const c of out) perModule.set(modules.get(c)!.file, (perModule.get(modules.get(c)!.file) ?? 0) + 1)
  for (const c of out) {
    const { module, file } = modules.get(c)!
    if (module && perModule.get(file) === 1) c.name = goPackageName(module)
  }
  return out
}

/** An import of a router library other than the standard library's. */
function isRouterLibrary(path: string): boolean {
  const library = libraryOfImport(path)
  return !!library && !library.standard
}

function isGoMain(root: SgNode | undefined): boolean {
  return (
    root
      ?.find({ rule: { kind: 'package_clause' } })
      ?.find({ rule: { kind: 'package_identifier' } })
      ?.text() === 'main'
  )
}

function goMainLine(root: SgNode | undefined): number | undefined {
  const fn = root?.children().find((c) => c.kind() === 'function_declaration' && c.field('name')?.text() === 'main')
  return fn ? fn.range().start.line + 1 : undefined
}

/** The package folder and every in-module package it imports, transitively. */
function goPackageClosure(tree: SourceTree, dir: string, manifest: Manifest): Set<string> {
  const dirs = new Set([dir])
  const modulePath = manifest.module
  if (!modulePath || !manifest.file) return dirs
  const moduleDir = parentDir(manifest.file)
  const queue = [dir]
  for (let d = queue.shift(); d !== undefined; d = queue.shift()) {
    for (const r of tree.byDir.get(d) ?? []) {
      if (r.family !== 'go' || r.path.endsWith('_test.go')) continue
      for (const { module } of Object.values(r.module.imports)) {
        if (!module.startsWith(`${modulePath}/`)) continue
        const sub = join(moduleDir, module.slice(modulePath.length + 1))
        if (!dirs.has(sub) && tree.byDir.has(sub)) {
          dirs.add(sub)
          queue.push(sub)
        }
      }
    }
  }
  return dirs
}

// ---------------------------------------------------------------- Python

interface PythonApp {
  file: string
  line: number
  framework: string
}

function pythonServices(tree: SourceTree): Candidate[] {
  const apps: PythonApp[] = []
  for (const r of tree.ctx.records) {
    if (r.family !== 'python') continue
    const manage = posix.basename(r.path) === 'manage.py'
    // An app module declares routes or mounts, so an extractor wanted it: deferred files are not read again.
    if (!manage && r.deferred) continue
    const text = tree.read(r.path)
    if (!text) continue
    if (manage) {
      if (text.includes('execute_from_command_line')) apps.push({ file: r.path, line: 1, framework: 'django' })
      continue
    }
    if (!PY_APP_CALLS.some((c) => text.includes(c))) continue
    const app = pythonApp(tree.parse(r.path))
    if (app) apps.push({ file: r.path, ...app })
  }
  // One service per folder: its manifest's, unless the manifest holds several apps in different packages.
  const packageDir = (file: string, stop: string | undefined) => {
    let dir = parentDir(file)
    while (dir !== '' && dir !== stop && tree.has(join(dir, '__init__.py'))) dir = parentDir(dir)
    return dir
  }
  const manifestDir = (file: string) => {
    const m = tree.ctx.manifests.nearest(file, 'python').file
    return m === null ? undefined : parentDir(m)
  }
  const packagesUnder = new Map<string, Set<string>>()
  for (const app of apps) {
    const m = manifestDir(app.file)
    if (m !== undefined) packagesUnder.set(m, (packagesUnder.get(m) ?? new Set()).add(packageDir(app.file, m)))
  }
  const byRoot = new Map<string, PythonApp>()
  for (const app of apps) {
    const m = manifestDir(app.file)
    const root = m !== undefined && packagesUnder.get(m)!.size === 1 ? m : packageDir(app.file, m)
    if (!byRoot.has(root)) byRoot.set(root, app)
  }
  const out: Candidate[] = []
  for (const [root, app] of byRoot) {
    const manifest = tree.ctx.manifests.nearest(app.file, 'python')
    const named = manifest.file && parentDir(manifest.file) === root ? pyprojectName(tree, manifest.file) : undefined
    const entries = unique([app.file, ...PY_ENTRIES.map((f) => join(root, f)), ...PY_ENTRIES.map((f) => join(parentDir(app.file), f))]).filter((f) =>
      tree.has(f),
    )
    out.push({
      name: named ?? folderName(tree, root),
      family: 'python',
      language: 'python',
      root,
      source: { file: app.file, line: app.line },
      entries,
      framework: app.framework,
    })
  }
  return out
}

/** The application constructors of Python web frameworks, as written at the top of a module. */
const PY_APPS: Record<string, string> = {
  FastAPI: 'fastapi',
  'fastapi.FastAPI': 'fastapi',
  Flask: 'flask',
  'flask.Flask': 'flask',
  Starlette: 'starlette',
  'starlette.applications.Starlette': 'starlette',
  Litestar: 'litestar',
  'litestar.Litestar': 'litestar',
  'web.Application': 'aiohttp',
  'aiohttp.web.Application': 'aiohttp',
}
const PY_APP_CALLS = ['FastAPI(', 'Flask(', 'Starlette(', 'Litestar(', 'web.Application(']

/** `app = FastAPI(...)`, `app = Flask(__name__)`, `app = Starlette(...)`, `app = Litestar(...)`, `app = web.Application()` at the top of a module. */
function pythonApp(root: SgNode | undefined): { line: number; framework: string } | undefined {
  for (const stmt of root?.children() ?? []) {
    const assign = stmt.kind() === 'expression_statement' ? stmt.namedChildren()[0] : undefined
    const value = assign?.kind() === 'assignment' ? assign.field('right') : undefined
    const fn = value?.kind() === 'call' ? value.field('function')?.text() : undefined
    const framework = fn && Object.hasOwn(PY_APPS, fn) ? PY_APPS[fn] : undefined
    if (framework) return { line: stmt.range().start.line + 1, framework }
  }
  return undefined
}

function pyprojectName(tree: SourceTree, manifestFile: string): string | undefined {
  if (posix.basename(manifestFile) !== 'pyproject.toml') return undefined
  const doc = readToml(tree.read(manifestFile))
  const project = doc?.project
  const poetry = isRecord(doc?.tool) && isRecord(doc.tool.poetry) ? doc.tool.poetry : undefined
  const name = (isRecord(project) ? project.name : undefined) ?? poetry?.name
  return typeof name === 'string' ? name : undefined
}

// ---------------------------------------------------------------- Size, routes, ports

function describe(tree: SourceTree, candidates: Candidate[]): DetectedServices {
  const { ctx } = tree
  // A file belongs to the deepest service folder of its family above it: nested services are not counted twice.
  const roots = new Map<LanguageFamily, Map<string, Candidate>>()
  for (const c of candidates) {
    if (c.family === 'go' || c.file) continue // a Go service is its package and what it imports; a single-file service its file
    const byRoot = roots.get(c.family) ?? new Map<string, Candidate>()
    roots.set(c.family, byRoot.set(c.root, c))
  }
  const owned = new Map<Candidate, FileRecord[]>(candidates.map((c) => [c, []]))
  for (const r of ctx.records) {
    const byRoot = roots.get(r.family)
    if (!byRoot) continue
    for (let dir = parentDir(r.path); ; dir = parentDir(dir)) {
      const owner = byRoot.get(dir)
      if (owner) {
        owned.get(owner)!.push(r)
        break
      }
      if (dir === '') break
    }
  }
  for (const c of candidates)
    if (c.file)
      owned.set(
        c,
        tree.ctx.records.filter((r) => r.path === c.file),
      )
  for (const c of candidates)
    if (c.goDirs)
      owned.set(
        c,
        [...c.goDirs].flatMap((d) => (tree.byDir.get(d) ?? []).filter((r) => r.family === 'go')),
      )

  for (const c of candidates) c.language ??= jsLanguage(owned.get(c)!)
  const endpointsByFile = new Map<string, EndpointItem[]>()
  for (const e of ctx.endpoints) pushTo(endpointsByFile, e.source.file, e)
  const names = uniqueNames(candidates)
  const items = candidates.map((c): ServiceItem => {
    const files = owned.get(c)!
    const endpoints = files.flatMap((r) => endpointsByFile.get(r.path) ?? [])
    const port = servicePort(
      tree,
      c,
      files,
      endpoints.map((e) => e.source.file),
      names.get(c)!,
    )
    const framework = mostCommon(endpoints.map((e) => e.framework)) ?? c.framework
    return {
      kind: 'service',
      key: `service ${names.get(c)!}`,
      component: names.get(c)!,
      source: c.source,
      name: names.get(c)!,
      language: c.language!,
      ...(framework ? { framework } : {}),
      root: c.root || '.',
      lines: files.reduce((n, r) => n + r.lines, 0),
      routes: endpoints.length,
      ...(port !== undefined ? { port } : {}),
    }
  })
  const serviceOfFile = new Map<string, string>()
  for (const c of candidates) for (const r of owned.get(c)!) if (!serviceOfFile.has(r.path)) serviceOfFile.set(r.path, names.get(c)!)
  return { services: items.sort((a, b) => a.root.localeCompare(b.root) || a.name.localeCompare(b.name)), serviceOfFile }
}

function jsLanguage(files: FileRecord[]): ServiceLanguage {
  let ts = 0
  let js = 0
  for (const r of files) {
    if (languageOfFile(r.path) === 'javascript') js += r.lines
    else ts += r.lines
  }
  return ts > 0 && ts >= js ? 'typescript' : 'javascript'
}

/**
 * The port of the first server started in the entry files (then in the files that declare its
 * routes), else a `PORT=` in `.env` or an `EXPOSE` in the Dockerfile. Several ports: the first,
 * and an info diagnostic naming the others.
 */
function servicePort(tree: SourceTree, c: Candidate, files: FileRecord[], routeFiles: string[], name: string): number | undefined {
  const found: Array<{ port: number; file: string; line: number }> = []
  const entries = c.entries.slice(0, MAX_ENTRIES)
  // No server started in the entry files: it may be started where the routes are declared.
  const own = new Set(files.map((r) => r.path))
  const sources = entries.some((f) => tree.listenSites(f).length > 0) ? entries : [...entries, ...unique(routeFiles.filter((f) => own.has(f))).slice(0, 2)]
  for (const file of sources) {
    for (const s of tree.listenSites(file)) if (s.port !== undefined) found.push({ port: s.port, file: s.portFile ?? file, line: s.portLine ?? s.line })
  }
  // Extractors may report listens too (`FileFacts.listens`).
  for (const r of files) for (const l of r.facts.listens ?? []) found.push({ port: l.port, file: r.path, line: l.line })
  const first = found[0]
  if (!first) return configuredPort(tree, c.root)
  const others = unique(found.filter((f) => f.port !== first.port).map((f) => `${f.port} (${f.file}:${f.line})`))
  if (others.length) {
    tree.ctx.diagnostics.push({
      level: 'info',
      code: 'SEVERAL_PORTS',
      file: first.file,
      line: first.line,
      message: `service ${name} listens on several ports: ${first.port} is taken (the first in its entry files), also ${others.join(', ')}`,
    })
  }
  return first.port
}

/** `PORT=8016` in the service's `.env`, else `EXPOSE 8016` in its Dockerfile. */
function configuredPort(tree: SourceTree, root: string): number | undefined {
  const lines = (file: string) => readOptional(`${tree.ctx.abs}/${join(root, file)}`)?.split('\n') ?? []
  for (const line of lines('.env')) {
    const value = /^\s*(?:export\s+)?PORT\s*=\s*["']?(\d+)["']?\s*$/.exec(line)?.[1]
    const port = value ? portOfText(value, 1) : undefined
    if (port) return port.port
  }
  for (const line of lines('Dockerfile')) {
    const value = /^\s*EXPOSE\s+(\d+)/i.exec(line)?.[1]
    const port = value ? portOfText(value, 1) : undefined
    if (port) return port.port
  }
  return undefined
}

// ---------------------------------------------------------------- Names and helpers

/** Manifest or folder names; where two services share one, the language tells them apart, else the folder. */
function uniqueNames(candidates: Candidate[]): Map<Candidate, string> {
  const byName = new Map<string, Candidate[]>()
  for (const c of candidates) pushTo(byName, c.name, c)
  const names = new Map<Candidate, string>()
  for (const [name, group] of byName) {
    const languages = new Set(group.map((c) => c.language))
    for (const c of group) {
      if (group.length === 1) names.set(c, name)
      else if (languages.size === group.length) names.set(c, `${name}-${c.language!}`)
      else names.set(c, c.root || '.')
    }
  }
  return names
}

function folderName(tree: SourceTree, dir: string): string {
  return posix.basename(dir || tree.ctx.abs.replace(/\\/g, '/'))
}

function mostCommon(values: string[]): string | undefined {
  const counts = new Map<string, number>()
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1)
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0]
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)]
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function readJson(text: string | undefined): Record<string, unknown> | undefined {
  try {
    const v: unknown = text === undefined ? undefined : JSON.parse(text)
    return isRecord(v) ? v : undefined
  } catch {
    return undefined // BAD_MANIFEST is reported by the scan
  }
}

function readToml(text: string | undefined): Record<string, unknown> | undefined {
  try {
    return text === undefined ? undefined : (parseToml(text) as Record<string, unknown>)
  } catch {
    return undefined
  }
}

function readOptional(abs: string): string | undefined {
  try {
    return readFileSync(abs, 'utf8')
  } catch {
    return undefined
  }
}

// ---------------------------------------------------------------- Summary

/** Services by language, and how many are already in the target languages of a migration. */
export interface ServiceSummary {
  total: number
  /** Language -> services, most first. */
  byLanguage: Array<{ language: ServiceLanguage; services: number }>
  targets: ServiceLanguage[]
  /** Services written in one of `targets`. */
  inTargets: number
}

/** Summarise the services among `items`: "Migrated to Rust: 5 services, to Go: 5, of 200+". */
export function summarizeServices(items: readonly Item[], targets: readonly ServiceLanguage[] = []): ServiceSummary {
  const services = items.filter((i): i is ServiceItem => i.kind === 'service')
  const counts = new Map<ServiceLanguage, number>()
  for (const s of services) counts.set(s.language, (counts.get(s.language) ?? 0) + 1)
  return {
    total: services.length,
    byLanguage: [...counts].map(([language, n]) => ({ language, services: n })).sort((a, b) => b.services - a.services || a.language.localeCompare(b.language)),
    targets: [...targets],
    inTargets: services.filter((s) => targets.includes(s.language)).length,
  }
}
