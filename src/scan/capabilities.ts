/**
 * Capabilities: what a backend does beyond its routes (Redis, JWT, an LLM SDK...), from the
 * catalog in src/capabilities/catalog.json. A capability is reported when a manifest on a file's
 * path declares one of its packages and the file imports it (or a string literal, a call or an
 * endpoint the catalog names confirms it); a declared package that no file imports is a
 * CAPABILITY_UNUSED info diagnostic on its manifest.
 *
 * Only files whose text mentions a wanted import are parsed, and each file at most once.
 */
import { readFileSync } from 'node:fs'
import type { SgNode } from '@ast-grep/napi'
import { capabilityCatalog, declares, defaultImport, importRefersTo, parsePackageSpec, type CapabilityEntry, type Ecosystem } from '../capabilities/catalog.js'
import type { Manifest } from '../extractors/types.js'
import { familyOf, languageOfFile } from '../languages/parse.js'
import type { LanguageFamily, LanguageId, ModuleInfo } from '../languages/types.js'
import type { CapabilityItem, SourceLocation } from '../model/inventory.js'
import type { InventoryContext } from './context.js'
import { parentDir } from './manifests.js'
import { pushTo } from '../model/collections.js'
import { plural } from '../model/words.js'
import type { CapabilityFileFacts, Want } from './capability-facts.js'
import { analyseFileUse, escapeRegex, importIndex, reachability, USE_BOUNDS, type UseSites, usageOf, useSiteFinder } from './capability-use.js'

/** At most this many confirming locations per capability. */
export const MAX_EVIDENCE = 20
/** The component of a capability used by several services, or by the root project. */
export const SHARED_COMPONENT = 'capabilities'

const ECOSYSTEM: Record<LanguageFamily, Ecosystem> = { js: 'npm', rust: 'cargo', go: 'go', python: 'pypi' }
/** Capabilities whose use or construction registers a job: the file that does it is an entry. */
const JOB_CAPABILITIES = ['job-queue', 'scheduled-jobs']

/**
 * The wants of every file, computed once from the manifests before the files are read: distinct
 * lists (each file's is that of its manifests and the standard library), handed to the workers.
 */
export function capabilityWants(manifests: Manifest[]): { lists: Want[][]; indexFor(file: string, family: LanguageFamily): number } {
  const { wants } = declaredWants(manifests)
  const builtins = builtinWants()
  const lists: Want[][] = []
  const byKey = new Map<string, number>()
  return {
    lists,
    indexFor(file, family) {
      const dir = parentDir(file)
      const key = `${family}:${dir}`
      let index = byKey.get(key)
      if (index === undefined) {
        index = lists.push([...ancestorManifests(manifests, dir, family).flatMap((m) => wants.get(m) ?? []), ...builtins[ECOSYSTEM[family]]]) - 1
        byKey.set(key, index)
      }
      return index
    },
  }
}

const LITERALS = capabilityCatalog.flatMap((cap) => (cap.literals ?? []).map((text) => ({ cap: cap.id, text })))
const CALLS = capabilityCatalog.flatMap((cap) => (cap.calls ?? []).map((text) => ({ cap: cap.id, text })))

/**
 * The per-file half of the capability scan, run where the file is read (a scan worker): which
 * wanted packages it imports, which confirming literals and calls it holds, and how it uses the
 * packages. `parse` is called only when the text mentions one of them; undefined when none is.
 */
export function capabilityFileFacts(
  path: string,
  family: LanguageFamily,
  text: string,
  wants: readonly Want[],
  parse: () => { root: SgNode; module: ModuleInfo } | undefined,
): CapabilityFileFacts | undefined {
  // Every file that imports a capability is parsed, even past MAX_EVIDENCE: its calls decide how far the capability is used.
  const mentioned = wants.filter((w) => w.needles.some((n) => text.includes(n)) || w.baseNeedles?.some((n) => text.includes(n)))
  const fileLiterals = LITERALS.filter((n) => text.includes(n.text))
  // `embeddings.create` is written `embeddings().create` in Rust: each part must be there.
  const fileCalls = CALLS.filter((n) => n.text.split('.').every((part) => text.includes(part)))
  if (!mentioned.length && !fileLiterals.length && !fileCalls.length) return undefined
  const language = languageOfFile(path)
  const parsed = language && parse()
  if (!language || !parsed) return undefined
  const { root, module } = parsed
  const line = (node: SgNode) => node.range().start.line + 1
  const facts: CapabilityFileFacts = { imports: [], sites: [] }
  const ecosystem = ECOSYSTEM[family]
  if (mentioned.length) {
    const crates = family === 'rust' ? [...new Set(mentioned.flatMap((w) => [w.target, w.base ?? w.target]))] : []
    for (const imp of importsOf(family, root, crates)) {
      for (const w of mentioned) {
        const manifest = w.manifest ? { manifest: w.manifest } : {}
        if (importRefersTo(ecosystem, imp.module, w.target)) facts.imports.push({ cap: w.cap, line: line(imp.node), ...manifest })
        else if (w.base && w.manifest && importRefersTo(ecosystem, imp.module, w.base))
          facts.imports.push({ cap: w.cap, line: line(imp.node), ...manifest, base: true })
      }
    }
    const targets = mentioned.filter((w) => w.needles.some((n) => text.includes(n)))
    if (targets.length) {
      const use = analyseFileUse(
        { path, family, module },
        root,
        targets.map((w) => ({ cap: w.cap, target: w.target })),
      )
      if (use) facts.use = use
    }
  }
  for (const n of fileLiterals)
    for (const node of stringLiterals(language, root)) if (node.text().includes(n.text)) facts.sites.push({ cap: n.cap, line: line(node) })
  for (const n of fileCalls) for (const node of callsNamed(language, root, n.text)) facts.sites.push({ cap: n.cap, line: line(node) })
  return facts
}

const catalogById = new Map(capabilityCatalog.map((c) => [c.id, c]))

interface Found {
  evidence: SourceLocation[]
  /** `file:line` of each piece of evidence. */
  seen: Set<string>
}

export function detectCapabilities(ctx: InventoryContext): CapabilityItem[] {
  const { declared } = declaredWants(ctx.manifests.all())
  const found = new Map<string, Found>()
  /** Evidence is ordered as the scan orders files (by path), then by line. */
  const order = new Map(ctx.records.map((r, i) => [r.path, i]))
  /** Confirming calls and literals (judged by reachability) and endpoints (on a route by themselves), by capability. */
  const siteCalls = new Map<string, SourceLocation[]>()
  const endpointUses = new Map<string, SourceLocation[]>()
  const imports = importIndex(ctx)
  const finder = useSiteFinder(ctx, imports)
  const confirm = (cap: CapabilityEntry, at: SourceLocation, as?: 'call' | 'endpoint') => {
    if (as) pushTo(as === 'call' ? siteCalls : endpointUses, cap.id, at)
    let entry = found.get(cap.id)
    if (!entry) found.set(cap.id, (entry = { evidence: [], seen: new Set() }))
    const k = `${at.file}:${at.line}`
    if (!entry.seen.has(k)) {
      entry.seen.add(k)
      entry.evidence.push(at)
    }
  }
  /** `manifest|capability` pairs with a declared package imported (`used`), and imported so as to confirm it. */
  const used = new Set<string>()
  const confirmed = new Set<string>()

  // What each file showed where it was parsed (in the scan workers): confirming imports, literals, calls, and its use of them.
  for (const record of ctx.records) {
    const facts = record.capabilities
    if (!facts) continue
    for (const imp of facts.imports) {
      const cap = catalogById.get(imp.cap)
      if (!cap) continue
      if (!imp.base) confirm(cap, { file: record.path, line: imp.line })
      if (imp.manifest) {
        used.add(`${imp.manifest}|${cap.id}`)
        if (!imp.base) confirmed.add(`${imp.manifest}|${cap.id}`)
      }
    }
    for (const site of facts.sites) {
      const cap = catalogById.get(site.cap)
      if (cap) confirm(cap, { file: record.path, line: site.line }, 'call')
    }
    if (facts.use) finder.add(record.path, facts.use)
  }

  for (const endpoint of ctx.endpoints) {
    for (const cap of capabilityCatalog) if (cap.endpoints?.includes(endpoint.kind)) confirm(cap, endpoint.source, 'endpoint')
  }

  // How far each capability goes: called on a path a route or job reaches, called elsewhere, constructed, imported.
  const jobFilesOf = (found: UseSites) =>
    new Set(JOB_CAPABILITIES.flatMap((id) => [...(found.calls.get(id) ?? []), ...(found.constructs.get(id) ?? [])].map((l) => l.file)))
  // A capability shown used at MAX_EVIDENCE sites on a path is not followed further: the level and the sites shown would not change.
  const sites = finder.follow((firstPass) => ({ reached: reachability(ctx, jobFilesOf(firstPass), imports), enough: MAX_EVIDENCE }))
  if (sites.stopped) {
    const { rounds, files, left } = sites.stopped
    ctx.diagnostics.push({
      level: 'warn',
      code: 'CAPABILITY_USE_PARTIAL',
      message: `following capability clients into the files that import them stopped after ${plural(files, 'file')} read again in ${plural(rounds, 'round')} with ${plural(left, 'file')} left (bounds: ${plural(USE_BOUNDS.files, 'file')}, ${plural(USE_BOUNDS.rounds, 'round')}); a capability these files would use may show as constructed or imported instead of used`,
    })
  }
  for (const [id, list] of sites.calls) for (const loc of list) pushTo(siteCalls, id, loc)
  const reached = reachability(ctx, jobFilesOf(sites), imports)

  for (const [manifest, caps] of declared) {
    for (const [capId, deps] of caps) {
      if (used.has(`${manifest}|${capId}`)) continue
      const cap = capabilityCatalog.find((c) => c.id === capId)!
      const names = [...deps].sort()
      const line = lineOfDependency(ctx.abs, manifest, names[0]!)
      ctx.diagnostics.push({
        level: 'info',
        code: 'CAPABILITY_UNUSED',
        file: manifest,
        ...(line ? { line } : {}),
        message: `${names.join(', ')} (${cap.label}) is declared in ${manifest} but no source file outside tests imports it`,
      })
    }
  }

  const items: CapabilityItem[] = []
  for (const cap of capabilityCatalog) {
    const entry = found.get(cap.id)
    if (!entry) continue
    const evidence = sortLocations(entry.evidence, order).slice(0, MAX_EVIDENCE)
    const endpoints = endpointUses.get(cap.id) ?? []
    const usage = endpoints.length
      ? { level: 'used' as const, at: endpoints }
      : usageOf(siteCalls.get(cap.id) ?? [], sites.constructs.get(cap.id) ?? [], entry.evidence, reached)
    items.push({
      kind: 'capability',
      key: `capability ${cap.id}`,
      component: componentOf(ctx, evidence),
      source: evidence[0]!,
      name: cap.id,
      label: cap.label,
      category: cap.category,
      impact: cap.impact,
      // The packages that declare it in the manifests whose files confirm it.
      packages: [...new Set([...declared].flatMap(([m, caps]) => (confirmed.has(`${m}|${cap.id}`) ? [...caps.get(cap.id)!] : [])))].sort(),
      evidence,
      usage: { level: usage.level, at: uniqueLocations(sortLocations(usage.at, order)).slice(0, MAX_EVIDENCE) },
    })
  }
  return items
}

/** For each manifest, the imports that confirm the capabilities its dependencies declare. */
function declaredWants(manifests: Manifest[]): { wants: Map<string, Want[]>; declared: Map<string, Map<string, Set<string>>> } {
  const wants = new Map<string, Want[]>()
  const declared = new Map<string, Map<string, Set<string>>>()
  for (const manifest of manifests) {
    if (!manifest.file) continue
    const ecosystem = ECOSYSTEM[manifest.family]
    const list: Want[] = []
    const byCap = new Map<string, Set<string>>()
    for (const cap of capabilityCatalog) {
      for (const spec of (cap.packages[ecosystem] ?? []).map(parsePackageSpec)) {
        for (const dep of manifest.dependencies) {
          if (!declares(spec, ecosystem, dep)) continue
          const natural = defaultImport(ecosystem, dep)
          const target = spec.import ?? natural
          // `django as django.db`: importing `django.urls` uses the package without confirming the capability.
          const base = spec.import && importRefersTo(ecosystem, spec.import, natural) ? natural : undefined
          const needles = needlesOf(ecosystem, target)
          list.push({ cap: cap.id, target, needles, ...(base ? { base, baseNeedles: needlesOf(ecosystem, base) } : {}), manifest: manifest.file })
          byCap.set(cap.id, (byCap.get(cap.id) ?? new Set()).add(dep))
        }
      }
    }
    wants.set(manifest.file, list)
    if (byCap.size) declared.set(manifest.file, byCap)
  }
  return { wants, declared }
}

function builtinWants(): Record<Ecosystem, Want[]> {
  const out: Record<Ecosystem, Want[]> = { npm: [], cargo: [], go: [], pypi: [] }
  for (const cap of capabilityCatalog) {
    for (const [ecosystem, modules] of Object.entries(cap.builtins ?? {}) as Array<[Ecosystem, string[]]>) {
      for (const target of modules) out[ecosystem].push({ cap: cap.id, target, needles: needlesOf(ecosystem, target) })
    }
  }
  return out
}

/**
 * What the text of a file that imports `target` surely holds, quotes included so that `pg` or `ws`
 * does not send every file to the parser: `'pg`, `"github.com/lib/pq`, `redis::` (a `use` or a full
 * path), and for Python the last part (`from google import genai` for `google.genai`).
 */
function needlesOf(ecosystem: Ecosystem, target: string): string[] {
  if (ecosystem === 'npm') return [`'${target}`, `"${target}`]
  if (ecosystem === 'go') return [`"${target}`]
  if (ecosystem === 'cargo') return [`${target}::`, `crate ${target}`]
  return [target.slice(target.lastIndexOf('.') + 1)]
}

/** The manifests of `family` in `dir` and every folder above it, nearest first. */
function ancestorManifests(all: Manifest[], dir: string, family: LanguageFamily): string[] {
  const out: string[] = []
  for (let d = dir; ; d = parentDir(d)) {
    for (const m of all) if (m.family === family && m.file && parentDir(m.file) === d) out.push(m.file)
    if (d === '') return out
  }
}

interface ImportSite {
  /** Module specifier, crate, Go import path or dotted Python module. */
  module: string
  node: SgNode
}

/** The import, use and require statements of a file; for Rust, the paths rooted at one of `crates`. */
function importsOf(family: LanguageFamily, root: SgNode, crates: string[]): ImportSite[] {
  const out: ImportSite[] = []
  if (family === 'js') {
    const rule = {
      any: [
        { kind: 'import_statement' },
        { kind: 'export_statement', has: { field: 'source', kind: 'string' } },
        { kind: 'call_expression', has: { field: 'function', any: [{ kind: 'import' }, { kind: 'identifier', regex: '^require$' }] } },
      ],
    }
    for (const node of root.findAll({ rule })) {
      const literal = node.kind() === 'call_expression' ? node.field('arguments')?.child(1) : node.find({ rule: { kind: 'string' } })
      if (literal?.kind() === 'string') out.push({ module: literal.text().slice(1, -1), node })
    }
  } else if (family === 'go') {
    for (const node of root.findAll({ rule: { kind: 'import_spec' } })) {
      const path = node.field('path')
      if (path) out.push({ module: path.text().slice(1, -1), node })
    }
  } else if (family === 'python') {
    for (const node of root.findAll({ rule: { any: [{ kind: 'import_statement' }, { kind: 'import_from_statement' }] } })) {
      if (node.kind() === 'import_statement') {
        for (const name of node.children()) {
          const dotted = name.kind() === 'aliased_import' ? name.field('name') : name.kind() === 'dotted_name' ? name : null
          if (dotted) out.push({ module: dotted.text(), node })
        }
        continue
      }
      const module = node.field('module_name')
      if (module?.kind() !== 'dotted_name') continue // relative imports are the project's own
      out.push({ module: module.text(), node })
      // `from google import genai` imports the module `google.genai` too.
      for (const name of node.children()) {
        if (name.id() === module.id()) continue
        const dotted = name.kind() === 'aliased_import' ? name.field('name') : name.kind() === 'dotted_name' ? name : null
        if (dotted) out.push({ module: `${module.text()}.${dotted.text()}`, node })
      }
    }
  } else if (crates.length) {
    const crate = { kind: 'identifier', regex: `^(${crates.map(escapeRegex).join('|')})$` }
    const wanted = new Set(crates)
    const uses = root
      .findAll({ rule: { any: [{ kind: 'use_declaration' }, { kind: 'extern_crate_declaration' }] } })
      .map((node) => ({ module: rustCrateOf(node), node }))
      .filter((u) => wanted.has(u.module))
    out.push(...uses)
    // A crate used by its full path (`redis::Client::open`, `sqlx::query!`) without a `use`: its first such path.
    const seen = new Set(out.map((u) => u.module))
    for (const node of root.findAll({
      rule: {
        any: [{ kind: 'scoped_identifier' }, { kind: 'scoped_type_identifier' }],
        has: { field: 'path', ...crate },
        not: { inside: { kind: 'use_declaration', stopBy: 'end' } },
      },
    })) {
      const name = node.field('path')!.text()
      if (seen.has(name)) continue
      seen.add(name)
      out.push({ module: name, node })
    }
  }
  return out
}

/** The crate a `use` or `extern crate` names: the leftmost identifier of its path. */
function rustCrateOf(node: SgNode): string {
  let n: SgNode | null = node.kind() === 'extern_crate_declaration' ? node.field('name') : node.field('argument')
  // `a::b::c`, `a::{b, c}`, `a::b as c`, `a::*`: follow the leftmost path down to its first identifier.
  while (n && n.kind() !== 'identifier') n = n.field('path') ?? n.child(0)
  return n?.text() ?? ''
}

const STRING_KINDS: Record<LanguageId, string[]> = {
  typescript: ['string', 'template_string'],
  tsx: ['string', 'template_string'],
  javascript: ['string', 'template_string'],
  rust: ['string_literal', 'raw_string_literal'],
  go: ['interpreted_string_literal', 'raw_string_literal'],
  python: ['string'],
}

function stringLiterals(language: LanguageId, root: SgNode): SgNode[] {
  return root.findAll({ rule: { any: STRING_KINDS[language].map((kind) => ({ kind })) } })
}

/** Calls whose callee ends with `name` (`embeddings.create` matches `client.embeddings.create(..)` and `client.embeddings().create(..)`). */
function callsNamed(language: LanguageId, root: SgNode, name: string): SgNode[] {
  const last = name.slice(name.lastIndexOf('.') + 1)
  return root
    .findAll({ rule: { kind: language === 'python' ? 'call' : 'call_expression', has: { field: 'function', regex: `${escapeRegex(last)}$` } } })
    .filter((call) => {
      const callee = call
        .field('function')!
        .text()
        .replace(/\s+|\(\)/g, '')
        .replace(/::/g, '.')
      return callee === name || callee.endsWith(`.${name}`)
    })
}

/**
 * The component: the folder of the manifest that governs every confirming file (`billing` for
 * `services/billing/package.json`), or `capabilities` when that is the root or several services use it.
 */
function componentOf(ctx: InventoryContext, evidence: SourceLocation[]): string {
  const dirs = new Set<string>()
  for (const at of evidence) {
    const language = languageOfFile(at.file)
    if (!language) continue
    const manifest = ctx.manifests.nearest(at.file, familyOf(language)).file
    dirs.add(manifest ? parentDir(manifest) : '')
  }
  const [only] = dirs
  return dirs.size === 1 && only ? only.slice(only.lastIndexOf('/') + 1) : SHARED_COMPONENT
}

function sortLocations(list: SourceLocation[], order: Map<string, number>): SourceLocation[] {
  const rank = (file: string) => order.get(file) ?? Number.MAX_SAFE_INTEGER
  return [...list].sort((a, b) => rank(a.file) - rank(b.file) || a.file.localeCompare(b.file) || a.line - b.line)
}

/** The line of a manifest that declares `dep`, for the diagnostic; undefined when it cannot be told. */
function lineOfDependency(abs: string, manifest: string, dep: string): number | undefined {
  let text: string
  try {
    text = readFileSync(`${abs}/${manifest}`, 'utf8')
  } catch {
    return undefined
  }
  const lines = text.split('\n')
  const normal = (s: string) => s.trim().toLowerCase().replace(/_/g, '-')
  for (const [i, raw] of lines.entries()) {
    const line = normal(raw)
    if (line.includes(`"${dep}"`) || line.includes(`"${dep}`) || line.includes(`'${dep}`)) return i + 1
    if (line.startsWith(dep) && !/[a-z0-9.-]/.test(line.charAt(dep.length))) return i + 1
    if (line.startsWith(`require ${dep} `) || line.startsWith(`[dependencies.${dep}]`)) return i + 1
  }
  return undefined
}

function uniqueLocations(list: SourceLocation[]): SourceLocation[] {
  return list.filter((l, i) => i === 0 || l.file !== list[i - 1]!.file || l.line !== list[i - 1]!.line)
}
