/**
 * The second pass: a mount graph over the facts of every file. Routes are registered on owners
 * (routers, apps, plugins, functions); mounts say which owner is served under which prefix of
 * which other owner, possibly in another file. Each route's full path is every chain of mounts
 * from a root down to its owner, with constants resolved across files.
 */
import { posix } from 'node:path'
import type { CallFact, FileFacts, Manifest, MountFact, RouteFact, SymbolRef } from '../extractors/types.js'
import type { LanguageFamily, ModuleInfo, PathExpr } from '../languages/types.js'
import type { Diagnostic, EndpointItem } from '../model/inventory.js'
import { componentOf, joinPaths, normalizePath, routeKey, unresolvedKey, unresolvedPath } from '../model/path.js'
import { pushTo } from '../model/collections.js'
import { moduleResolvers } from './modules/resolvers.js'
import type { ModuleResolveContext } from './modules/types.js'
import type { CapabilityFileFacts } from './capability-facts.js'

export interface FileRecord {
  path: string
  family: LanguageFamily
  module: ModuleInfo
  facts: FileFacts
  /** The extractor that produced each route (same order as `facts.routes`). */
  frameworks: string[]
  /** Lines of the file. */
  lines: number
  /**
   * Set for a file no extractor wanted: its `module` is parsed on first access, and `text()`
   * lets the by-name fallback look for a constant's name before parsing it.
   */
  deferred?: { text: () => string }
  /** What the file shows of capabilities, when it mentions any. */
  capabilities?: CapabilityFileFacts
}

interface Sym {
  file: string
  name: string
}
const symId = (s: Sym) => `${s.file}#${s.name}`

interface Edge {
  parent: Sym
  prefix: PathExpr
  mount: MountFact
  file: string
  /** Values of the mounting function's parameters at the call that made this edge (a mounted parameter). */
  env?: Env
}

/** A function that mounts one of its parameters: each call mounts what it passes there. */
interface Slot {
  parent: Sym
  prefix: PathExpr
  mount: MountFact
  file: string
  /** The parameter's position. */
  index: number
}

/** The calls, in a file, to functions named in `names` (a second, narrow pass over the tree's source). */
export type CallSites = (file: string, family: LanguageFamily, names: ReadonlySet<string>) => CallFact[]

/** A resolved path: its text with `{?}` for what is unknown, and what was unknown. */
interface Resolved {
  text: string
  /** Why each unknown part is unknown, as a phrase. */
  unknown: string[]
}

const MAX_DEPTH = 32

export function resolveInventory(
  records: FileRecord[],
  manifestFor: (file: string, family: LanguageFamily) => Manifest,
  callSites?: CallSites,
): { items: EndpointItem[]; diagnostics: Diagnostic[] } {
  const files = new Map(records.map((r) => [r.path, r]))
  const diagnostics: Diagnostic[] = []
  const byDir = new Map<string, string[]>()
  for (const r of records) {
    const dir = posix.dirname(r.path)
    pushTo(byDir, dir, r.path)
  }
  const moduleCtx: ModuleResolveContext = {
    files: new Set(files.keys()),
    filesInDir: (dir) => byDir.get(dir === '' ? '.' : dir) ?? [],
    manifestFor,
  }

  // Names each file defines as owners, and a global index for the by-name fallback.
  const defined = new Map<string, Set<string>>()
  const byName = new Map<string, Sym[]>()
  // Class-based views each file defines (their verbs), looked up the same way by the routes that name them.
  const viewNames: NameTable = { defined: new Map(), byName: new Map() }
  const constIndex = new Map<string, Array<{ file: string; key: string }>>()
  const settings: Record<string, string> = {}
  for (const r of records) {
    const names = new Set<string>()
    for (const route of r.facts.routes) if (route.owner) names.add(route.owner)
    for (const m of r.facts.mounts) {
      if (m.parent) names.add(m.parent)
      if ('param' in m.child) names.add(m.child.of)
    }
    for (const rt of r.facts.routers ?? []) names.add(rt.name)
    defined.set(r.path, names)
    for (const name of names) {
      const k = `${r.family}:${lastSegment(name)}`
      pushTo(byName, k, { file: r.path, name })
    }
    if (r.facts.views) {
      const views = new Set(Object.keys(r.facts.views))
      viewNames.defined.set(r.path, views)
      for (const name of views) pushTo(viewNames.byName, `${r.family}:${name}`, { file: r.path, name })
    }
    if (!r.deferred) {
      for (const key of Object.keys(r.module.constants)) pushTo(constIndex, `${r.family}:${lastSegment(key)}`, { file: r.path, key })
    }
    for (const [k, v] of Object.entries(r.facts.settings ?? {})) if (!(k in settings)) settings[k] = v
  }

  // Constants of deferred files join the index only when a name is looked up that their text holds.
  const deferred = records.filter((r) => r.deferred)
  const searched = new Set<string>()
  const constantsNamed = (family: LanguageFamily, name: string) => {
    const k = `${family}:${name}`
    if (!searched.has(k)) {
      searched.add(k)
      for (const d of deferred) {
        if (d.family !== family || !d.deferred!.text().includes(name)) continue
        for (const key of Object.keys(d.module.constants)) if (lastSegment(key) === name) pushTo(constIndex, k, { file: d.path, key })
      }
    }
    return constIndex.get(k) ?? []
  }

  const moduleFiles = (spec: string, from: string): string[] => {
    const r = files.get(from)
    return r ? moduleResolvers[r.family](spec, from, moduleCtx) : []
  }

  /** The other files of a Go package (its folder), whose names need no import. */
  const samePackage = (r: FileRecord): string[] =>
    r.family === 'go' ? moduleCtx.filesInDir(posix.dirname(r.path)).filter((f) => f !== r.path && files.get(f)?.family === 'go') : []

  /** A WebSocket or SSE handler named by a route: in its file or, in Go, its package. */
  const handlerKind = (r: FileRecord, handler: string | undefined): EndpointItem['kind'] | undefined => {
    if (!handler) return undefined
    // Own entries only: a handler named `constructor` is not `Object.prototype.constructor`.
    const kindIn = (facts: FileFacts) => (facts.handlerKinds ? ownEntry(facts.handlerKinds, handler) : undefined)
    return (
      kindIn(r.facts) ??
      samePackage(r)
        .map((f) => kindIn(files.get(f)!.facts))
        .find(Boolean)
    )
  }

  const owners: NameTable = { defined, byName }

  /** Follow a name through imports to the file that defines it (an owner, or a name of another table). */
  const resolveName = (file: string, name: string, qualifier: string | undefined, depth: number, table: NameTable = owners): Sym[] => {
    if (depth > MAX_DEPTH) return []
    const r = files.get(file)
    if (!r) return []
    const { defined } = table
    if (defined.get(file)?.has(name)) return [{ file, name }]
    const sibling = samePackage(r).filter((f) => defined.get(f)?.has(name))
    if (sibling.length) return sibling.map((f) => ({ file: f, name }))
    const segs = splitName(name)
    if (segs.length > 1) {
      const head = segs[0]!
      const rest = segs.slice(1).join('.')
      const imp = ownEntry(r.module.imports, head)
      if (imp) {
        const targets = imp.name === '*' ? moduleFiles(imp.module, file) : submoduleFiles(r.family, imp.module, imp.name, file)
        // `ns.handlers` of `import * as ns`: the name the module exports (`export { app as handlers }`).
        const found = targets.flatMap((t) =>
          resolveName(t, (imp.name === '*' ? ownEntry(files.get(t)!.module.exports, rest) : undefined) ?? rest, undefined, depth + 1, table),
        )
        if (found.length) return found
      }
    }
    const imp = ownEntry(r.module.imports, name)
    if (imp) {
      const found = resolveExport(imp.module, imp.name, file, depth + 1, table)
      if (found.length) return found
    }
    // Python's `from .views import *`: a name of one of the modules this file takes every name of.
    if (r.family === 'python' && segs.length === 1) {
      const found = Object.entries(r.module.imports)
        .filter(([key]) => key.startsWith('*'))
        .flatMap(([, star]) => moduleFiles(star.module, file).flatMap((t) => (defined.get(t)?.has(name) ? [{ file: t, name }] : [])))
      if (found.length) return found
    }
    return globalByName(r.family, name, qualifier, table)
  }

  const submoduleFiles = (family: LanguageFamily, module: string, name: string, from: string): string[] => {
    const sep = family === 'rust' ? '::' : family === 'python' ? '.' : '/'
    const direct = moduleFiles(`${module}${module.endsWith('.') ? '' : sep}${name}`, from)
    if (direct.length) return direct
    const found = moduleFiles(module, from)
    if (found.length || family !== 'rust') return found
    // `super::auth::routes::Auth` where `routes` is an inline module of `auth.rs`: the file of the nearest enclosing module.
    const segs = module.split('::')
    for (let n = segs.length - 1; n >= 2; n--) {
      const files = moduleFiles(segs.slice(0, n).join('::'), from)
      if (files.length) return files
    }
    return []
  }

  const resolveExport = (module: string, exported: string, from: string, depth: number, table: NameTable = owners): Sym[] => {
    const out: Sym[] = []
    for (const target of moduleFiles(module, from)) {
      const t = files.get(target)
      if (!t) continue
      const local = ownEntry(t.module.exports, exported) ?? exported
      out.push(...resolveName(target, local, undefined, depth, table))
    }
    return out
  }

  const globalByName = (family: LanguageFamily, name: string, qualifier: string | undefined, table: NameTable = owners): Sym[] => {
    const segs = splitName(name)
    const last = segs[segs.length - 1]!
    let candidates = table.byName.get(`${family}:${last}`) ?? []
    const quals = [...segs.slice(0, -1), ...(qualifier ? splitName(qualifier) : [])].filter((q) => !['crate', 'self', 'super'].includes(q))
    if (candidates.length > 1 && quals.length) {
      const q = quals[quals.length - 1]!
      candidates = candidates.filter((c) => c.file.split(/[/.]/).includes(q))
    }
    return candidates.length === 1 ? candidates : []
  }

  /** Go: method `method` of what `fn` returns, `fn` written in `file` (`NewHandler`, `users.New`). */
  const resolveMethodOfResult = (file: string, fn: string, method: string): Sym[] => {
    const r = files.get(file)
    if (!r) return []
    const segs = fn.split('.')
    let where: string[]
    let local: string
    if (segs.length === 2) {
      const imp = ownEntry(r.module.imports, segs[0]!)
      if (!imp) return []
      where = moduleFiles(imp.module, file)
      local = segs[1]!
    } else {
      where = [file, ...samePackage(r)]
      local = fn
    }
    for (const f of where) {
      const decl = files.get(f)
      const results = decl?.module.results
      const type = results && Object.hasOwn(results, local) ? results[local] : undefined
      if (!type) continue
      // `handlers.Handler`: a type of yet another package, named through the declaring file's imports;
      // no method: the value itself (a type that serves a router).
      return resolveName(f, method ? `${type}.${method}` : type, undefined, 1)
    }
    return []
  }

  const resolveChild = (file: string, ref: SymbolRef): Sym[] | { dirFiles: Array<{ file: string; subdir: string }> } => {
    if ('param' in ref) return []
    if ('dir' in ref) {
      const base = posix.normalize(posix.join(posix.dirname(file), ref.dir))
      const family = files.get(file)?.family
      const dirFiles = records
        .filter((r) => r.family === family && r.path.startsWith(`${base}/`))
        .map((r) => ({ file: r.path, subdir: posix.dirname(r.path.slice(base.length + 1)) }))
      return { dirFiles }
    }
    if ('module' in ref) return resolveExport(ref.module, ref.name, file, 0)
    if ('receiverOf' in ref) return resolveMethodOfResult(file, ref.receiverOf, ref.name)
    return resolveName(file, ref.name, ref.qualifier, 0)
  }

  // Constants, resolved in the file where they are written.
  const resolveRef = (file: string, ref: string, depth: number): PathExpr | undefined => {
    if (depth > MAX_DEPTH) return undefined
    const r = files.get(file)
    if (!r) return undefined
    const own = constantOf(r.module, ref)
    if (own) return own
    const member = r.family === 'rust' ? memberOf(file, ref, depth) : undefined
    if (member === null) return undefined
    if (member) return member
    for (const f of samePackage(r)) {
      const value = constantOf(files.get(f)!.module, ref)
      if (value) return qualify(f, value)
    }
    const segs = splitName(ref)
    const head = segs[0]!
    const imp = ownEntry(r.module.imports, head)
    if (imp) {
      const rest = segs.slice(1).join('.')
      const targets = imp.name === '*' ? moduleFiles(imp.module, file) : submoduleFiles(r.family, imp.module, imp.name, file)
      for (const t of targets) {
        const tr = files.get(t)
        if (!tr) continue
        const local = imp.name === '*' ? rest : [ownEntry(tr.module.exports, imp.name) ?? imp.name, rest].filter(Boolean).join('.')
        const v = constantOf(tr.module, local) ?? (rest ? constantOf(tr.module, rest) : undefined)
        if (v) return qualify(t, v)
        const deeper = resolveRef(t, local, depth + 1)
        // Already marked with the file that writes it (a re-export of a re-export): keep that file.
        if (deeper) return qualified.has(deeper) ? deeper : qualify(t, deeper)
      }
    }
    const candidates = constantsNamed(r.family, segs[segs.length - 1]!)
    let pick = candidates
    if (pick.length > 1 && segs.length > 1) {
      const q = segs[segs.length - 2]!
      pick = pick.filter((c) => c.file.split(/[/.]/).includes(q) || c.key === ref)
    }
    if (pick.length === 1) {
      const c = pick[0]!
      return qualify(c.file, files.get(c.file)!.module.constants[c.key]!)
    }
    return undefined
  }

  /**
   * `crate::ROUTES.auth.login`: the value before the first `.` is a struct (`const ROUTES: Routes = Routes::new()`),
   * each field read as `Type.field` where that type's constructor writes it, possibly another struct in another file.
   */
  const memberOf = (file: string, ref: string, depth: number): PathExpr | null | undefined => {
    const [base, ...fields] = ref.split('.')
    if (!base || !fields.length) return undefined
    let value = resolveRef(file, base, depth + 1)
    let at = (value && qualified.get(value)) ?? file
    for (const [i, field] of fields.entries()) {
      const part = value?.length === 1 ? value[0] : undefined
      // A field of a struct parity read but whose value it cannot: unknown, never another constant of the same name.
      if (!part || typeof part === 'string' || !('ref' in part) || !part.struct) return i === 0 ? undefined : null
      const type = part.ref.split('::').pop()!
      const next = constantOf(files.get(at)!.module, `${type}.${field}`) ?? resolveRef(at, `${part.ref}.${field}`, depth + 1)
      if (!next) return null
      at = qualified.get(next) ?? at
      value = next
    }
    return value ? qualify(at, value) : undefined
  }

  // A constant's own references resolve in its own file: mark them with that file.
  const qualified = new WeakMap<PathExpr, string>()
  const qualify = (file: string, expr: PathExpr): PathExpr => {
    qualified.set(expr, file)
    return expr
  }

  const resolvePath = (file: string, expr: PathExpr, depth = 0, env?: Env): Resolved => {
    let text = ''
    const unknown: string[] = []
    for (const part of expr) {
      if (typeof part === 'string') text += part
      else if ('ref' in part && env && bound(env, part.ref)) {
        const value = bound(env, part.ref)!
        text += value.text
        unknown.push(...value.unknown)
      } else if ('ref' in part) {
        const value = depth < MAX_DEPTH ? resolveRef(file, part.ref, depth) : undefined
        if (value) {
          const inner = resolvePath(qualified.get(value) ?? file, value, depth + 1)
          text += inner.text
          unknown.push(...inner.unknown)
        } else {
          text += '{?}'
          unknown.push(`\`${part.ref}\` is not a constant parity can resolve`)
        }
      } else if ('setting' in part) {
        // `nest.prefix=/sitemap.xml`: a setting overridden for one value (a path the global prefix excludes).
        const override = part.value !== undefined ? settings[`${part.setting}=${part.value}`] : undefined
        const template = override ?? settings[part.setting]
        if (template !== undefined) {
          // A setting may name another one (`/${nest.config:app.apiPrefix}`): a value read from configuration.
          text += template.replace('{}', part.value ?? '').replace(/\$\{([^}]+)\}/g, (_, name: string) => {
            const value = settings[name]
            if (value !== undefined && !value.includes('${')) return value
            unknown.push(`\`${name.slice(name.indexOf(':') + 1)}\` is configuration with no default parity can read`)
            return '{?}'
          })
        }
      } else {
        text += '{?}'
        unknown.push(`\`${part.unknown}\` is ${part.why ?? 'computed at run time'}`)
      }
    }
    return { text, unknown }
  }

  // Build the mount graph: child symbol -> the edges that mount it.
  const incoming = new Map<string, Edge[]>()
  const addEdge = (child: Sym, edge: Edge) => {
    const id = symId(child)
    pushTo(incoming, id, edge)
  }
  const slots = new Map<string, Slot[]>()
  for (const r of records) {
    for (const mount of r.facts.mounts) {
      const parent: Sym = { file: r.path, name: mount.parent ?? '' }
      if ('param' in mount.child) {
        const index = ownEntry(r.facts.params ?? {}, mount.child.of)?.indexOf(mount.child.param) ?? -1
        if (index !== -1) pushTo(slots, symId({ file: r.path, name: mount.child.of }), { parent, prefix: mount.prefix, mount, file: r.path, index })
        continue
      }
      const target = resolveChild(r.path, mount.child)
      if (Array.isArray(target)) {
        if (target.length === 0) {
          const label =
            'receiverOf' in mount.child
              ? `${mount.child.receiverOf}().${mount.child.name}`
              : 'name' in mount.child
                ? mount.child.name
                : 'module' in mount.child
                  ? mount.child.module
                  : mount.child.dir
          const hasPrefix = mount.prefix.some((p) => typeof p !== 'string' || (p !== '' && p !== '/'))
          if (hasPrefix) {
            diagnostics.push({
              level: 'warn',
              code: 'UNRESOLVED_MOUNT',
              file: r.path,
              line: mount.line,
              message: `mounts \`${label}\` under ${describe(resolvePath(r.path, mount.prefix).text)}, but parity cannot find its routes`,
            })
          }
        }
        for (const child of target) addEdge(child, { parent, prefix: mount.prefix, mount, file: r.path })
      } else {
        const isIndex = (f: string) => /^index\.[cm]?[jt]s$/.test(posix.basename(f))
        const indexed = new Set(target.dirFiles.filter((d) => isIndex(d.file)).map((d) => d.subdir))
        for (const { file, subdir } of target.dirFiles) {
          // @fastify/autoload: a folder with an index file loads only that file (and its sub-folders).
          if (indexed.has(subdir) && !isIndex(file)) continue
          const t = files.get(file)!
          const name = ownEntry(t.module.exports, 'default') ?? 'default'
          // A plugin's literal `autoPrefix` export replaces its folder's prefix.
          const auto = t.module.constants.autoPrefix
          const own = auto?.every((p) => typeof p === 'string') ? auto : [subdir === '.' ? '' : `/${subdir}`]
          const prefix: PathExpr = [...mount.prefix, ...own]
          addEdge({ file, name }, { parent, prefix, mount, file: r.path })
        }
      }
    }
  }

  // Parameter names of template functions, by symbol.
  const paramsOf = new Map<string, string[]>()
  for (const r of records) for (const [name, list] of Object.entries(r.facts.params ?? {})) paramsOf.set(symId({ file: r.path, name }), list)

  // Mounted parameters: every call of the function mounts what it passes, under the prefix the call's
  // other arguments give. A value that is no router parity can follow serves the whole subtree.
  const slotRoutes: SlotRoute[] = []
  if (slots.size) {
    const names = new Set<string>()
    for (const list of slots.values()) for (const slot of list) if ('param' in slot.mount.child) names.add(lastSegment(slot.mount.child.of))
    const called = new Set<Slot>()
    const families = new Set([...slots.values()].flat().map((s) => files.get(s.file)!.family))
    for (const r of records) {
      if (!families.has(r.family)) continue
      for (const call of callSites?.(r.path, r.family, names) ?? []) {
        const targets = resolveChild(r.path, call.callee)
        if (!Array.isArray(targets)) continue
        for (const target of targets) {
          const fnId = symId(target)
          for (const slot of slots.get(fnId) ?? []) {
            called.add(slot)
            const params = paramsOf.get(fnId) ?? []
            const envs = bindArgs(params, { child: call.callee, prefix: [], line: call.line, args: call.args }, (e) => resolvePath(r.path, e))
            const children = uniqueSyms(
              (call.values[slot.index] ?? []).flatMap((v) => {
                const found = resolveChild(r.path, v)
                return Array.isArray(found) ? found : []
              }),
            )
            for (const env of envs) {
              if (children.length)
                for (const child of children) addEdge(child, { parent: slot.parent, prefix: slot.prefix, mount: slot.mount, file: slot.file, env })
              else slotRoutes.push({ record: r, line: call.line, slot, env, handler: calledName(call.texts[slot.index]) })
            }
          }
        }
      }
    }
    // A function never seen called still serves its subtree, under a prefix parity cannot know.
    for (const [id, list] of slots) {
      for (const slot of list) {
        if (called.has(slot) || !('param' in slot.mount.child)) continue
        const of = slot.mount.child.of
        const env: Env = new Map(
          (paramsOf.get(id) ?? []).map((p) => [
            p.replace(/^\.\.\./, ''),
            { text: '{?}', unknown: [`\`${p}\` is a parameter of \`${of}\`, which parity never sees called`] },
          ]),
        )
        slotRoutes.push({ record: files.get(slot.file)!, line: slot.mount.line, slot, env })
      }
    }
  }

  const routerDecl = new Map<string, { file: string; line: number; prefix?: PathExpr; mountedOnly?: boolean }>()
  for (const r of records) {
    for (const rt of r.facts.routers ?? []) {
      routerDecl.set(symId({ file: r.path, name: rt.name }), {
        file: r.path,
        line: rt.line,
        ...(rt.prefix ? { prefix: rt.prefix } : {}),
        ...(rt.mountedOnly ? { mountedOnly: true } : {}),
      })
    }
  }

  // Owners that ignore the prefix they are mounted under (`fastify-plugin`).
  const passThrough = new Set(records.flatMap((r) => (r.facts.passThrough ?? []).map((name) => symId({ file: r.path, name }))))

  /**
   * Every chain of prefixes from a root to an owner, each with the values its parameters take on
   * that chain (a template function called from several places has one chain per call).
   * `null` marks a router mounted nowhere.
   */
  const memo = new Map<string, Array<Chain | null>>()
  let chainBudget = MAX_CHAINS
  const chainsOf = (sym: Sym, visiting: Set<string>): Array<Chain | null> => {
    const id = symId(sym)
    const hit = memo.get(id)
    if (hit) return hit
    const edges = incoming.get(id)
    if (!edges?.length) {
      const decl = routerDecl.get(id)
      const result = decl?.mountedOnly ? [] : decl ? [null] : [{ parts: [] }]
      memo.set(id, result)
      return result
    }
    if (visiting.has(id) || visiting.size > MAX_DEPTH) {
      diagnostics.push({ level: 'warn', code: 'MOUNT_CYCLE', file: sym.file, message: `\`${sym.name}\` is mounted inside itself; the cycle is cut` })
      return []
    }
    visiting.add(id)
    const out: Array<Chain | null> = []
    const decl = routerDecl.get(id)
    const params = paramsOf.get(id)
    for (const edge of edges) {
      for (const chain of chainsOf(edge.parent, visiting)) {
        if (!chain) {
          out.push(null)
          continue
        }
        if (--chainBudget < 0) break
        const prefix = passThrough.has(id) ? { text: '', unknown: [] } : resolvePath(edge.file, edge.prefix, 0, withEnv(chain.env, edge.env))
        // The router's own prefix goes below the mount's, unless the mount replaces it.
        const own = decl?.prefix && !edge.mount.replacesPrefix ? [resolvePath(decl.file, decl.prefix)] : []
        // A closure (`Routes.func@12`) sees the parameters of the function it is written in.
        const closure = sym.file === edge.parent.file && sym.name.startsWith(`${edge.parent.name}.func@`)
        const envs =
          params && (edge.mount.args || edge.mount.keywords)
            ? bindArgs(params, edge.mount, (e) => resolvePath(edge.file, e, 0, chain.env))
            : [closure ? chain.env : undefined]
        for (const env of envs) out.push({ parts: [...chain.parts, prefix, ...own], ...(env ? { env } : {}) })
      }
    }
    if (chainBudget < 0 && !budgetReported) {
      budgetReported = true
      diagnostics.push({
        level: 'warn',
        code: 'SCAN_BOUND',
        file: sym.file,
        message: `more than ${MAX_CHAINS} mount chains: the rest are cut, so some routes may be missing`,
      })
    }
    visiting.delete(id)
    memo.set(id, out)
    return out
  }
  let budgetReported = false

  /**
   * The chains of a route's owner. An owner this file neither declares nor mounts, but imports
   * (`from .stats import ns` then `@ns.route(...)`), is the imported router: it takes that one's chains.
   */
  const ownerChains = (r: FileRecord, owner: Sym): Array<Chain | null> => {
    const id = symId(owner)
    const imp = owner.name ? ownEntry(r.module.imports, owner.name) : undefined
    if (imp && !incoming.has(id) && !routerDecl.has(id)) {
      const targets = resolveExport(imp.module, imp.name, r.path, 1).filter((t) => t.file !== r.path)
      if (targets.length) return targets.flatMap((t) => chainsOf(t, new Set()))
    }
    return chainsOf(owner, new Set())
  }

  /**
   * The verbs of a class-based view named in `file`: those it defines, and those of its bases, followed
   * by name wherever they are written. Undefined when parity finds the class nowhere, or no verb.
   */
  const viewMethods = (file: string, name: string, visiting: Set<string> = new Set()): string[] | undefined => {
    const [sym] = resolveName(file, name, undefined, 0, viewNames)
    if (!sym || visiting.has(symId(sym)) || visiting.size > MAX_DEPTH) return undefined
    visiting.add(symId(sym))
    const view = files.get(sym.file)!.facts.views![sym.name]!
    const methods = new Set(view.methods)
    for (const base of view.bases) for (const m of viewMethods(sym.file, base, visiting) ?? []) methods.add(m)
    return methods.size ? [...methods] : undefined
  }

  const items: EndpointItem[] = []
  const seen = new Set<string>()
  const reported = new Set<string>()
  /**
   * Every item of one route: one per chain reaching its owner. The route is written in `r` (its
   * source), its path in `pathFile` with `extra` parameter values (a subtree served through a mounted parameter).
   */
  const emit = (r: FileRecord, route: RouteFact, framework: string, owner: Sym, pathFile: string, extra?: Env) => {
    const add = (path: string, key: string, why?: string) => {
      for (const method of route.methods) {
        const kind = route.kind ?? handlerKind(r, route.handler) ?? 'route'
        const m = kind === 'websocket' ? 'WS' : method.toUpperCase()
        const itemKey = key ? `${m} ${key}` : routeKey(m, path)
        const dedupe = `${itemKey}@${r.path}:${route.line}`
        if (seen.has(dedupe)) continue
        seen.add(dedupe)
        items.push({
          kind,
          method: m,
          path,
          key: itemKey,
          framework,
          component: componentOf(path.replaceAll('{?}', '')),
          ...(route.handler ? { handler: route.handler } : {}),
          source: { file: r.path, line: route.line },
          ...(why ? { unresolved: why } : {}),
        })
      }
    }
    // A route whose path is partly unknown stays in the inventory, its unknown parts written `{?}`,
    // with one diagnostic per route and known text however many chains reach it.
    const addUnresolved = (joined: string, why: string) => {
      const once = `${r.path}:${route.line}:${route.methods.join(',')}:${joined}`
      if (reported.has(once)) return
      reported.add(once)
      diagnostics.push(unresolved(r.path, route, joined, why))
      const path = unresolvedPath(joined)
      add(path, unresolvedKey(path), why)
    }
    for (const chain of ownerChains(files.get(owner.file) ?? r, owner)) {
      // `if persistable {` in a template called with `false`: not registered on this chain.
      const flag = route.when ? withEnv(chain?.env, extra)?.get(route.when.param) : undefined
      if (flag && !flag.unknown.length && (flag.text === 'true' || flag.text === 'false') && (flag.text === 'true') !== route.when!.is) continue
      if (chain === null) {
        const own = resolvePath(pathFile, route.path, 0, extra)
        addUnresolved(`{?}${own.text}`, `router \`${owner.name}\` is never mounted where parity can see it`)
        continue
      }
      const own = resolvePath(pathFile, route.path, 0, withEnv(chain.env, extra))
      // `props.Put(key, v)` on a value of unknown type, its key a constant: routers take paths that begin with `/`.
      if (route.untyped && !own.unknown.length && own.text !== '' && !own.text.startsWith('/')) continue
      const unknown = [...chain.parts.flatMap((c) => c.unknown), ...own.unknown]
      const joined = joinPaths(...chain.parts.map((c) => c.text), own.text)
      if (unknown.length) {
        addUnresolved(joined, unknown.join('; '))
        continue
      }
      add(normalizePath(joined), '')
    }
  }
  for (const r of records) {
    r.facts.routes.forEach((written, index) => {
      const framework = written.framework ?? r.frameworks[index] ?? 'unknown'
      // A class-based view serves the verbs its class defines, read where the class is written.
      const methods = written.view ? viewMethods(r.path, written.view) : undefined
      const route = methods ? { ...written, methods } : written
      emit(r, route, framework, { file: r.path, name: route.owner ?? '' }, r.path)
    })
  }
  for (const { record, line, slot, env, handler } of slotRoutes) {
    const route: RouteFact = { methods: ['ALL'], path: [...slot.prefix, '/*'], owner: slot.parent.name, line, ...(handler ? { handler } : {}) }
    emit(record, route, slot.mount.framework ?? 'unknown', slot.parent, slot.file, env)
  }
  items.sort(compareItems)
  return { items, diagnostics }
}

/** A table's own entry by name: never an `Object.prototype` member (`constructor`, `toString`). */
function ownEntry<T>(table: Record<string, T>, name: string): T | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined
}

/** A constant of a module by name: own members only (`constructor` is not a path). */
function constantOf(module: ModuleInfo, name: string): PathExpr | undefined {
  return Object.hasOwn(module.constants, name) ? module.constants[name] : undefined
}

/** Names defined per file and indexed by their last segment, for resolution by name through imports. */
interface NameTable {
  defined: Map<string, Set<string>>
  byName: Map<string, Sym[]>
}

/** What each parameter of a template function is bound to on one chain: `path` -> "ping", `options.prefix` -> "/api". */
type Env = Map<string, Resolved>

interface Chain {
  parts: Resolved[]
  /** The owner's parameters on this chain, when it is a template reached through a call with arguments. */
  env?: Env
}

/** Bounds the chains of one scan: templates called from many places multiply them. */
const MAX_CHAINS = 200_000

/** The environments of one call: one, or one per item of each list argument. */
function bindArgs(params: string[], mount: MountFact, resolve: (e: PathExpr) => Resolved): Env[] {
  let envs: Env[] = [new Map()]
  params.forEach((written, i) => {
    // A variadic parameter (`...paths`): each remaining argument instantiates the function once.
    if (written.startsWith('...')) {
      const name = written.slice(3)
      const items = (mount.args?.slice(i) ?? []).filter((a): a is PathExpr => Array.isArray(a))
      if (items.length) envs = envs.flatMap((env) => items.map((item) => new Map(env).set(name, resolve(item))))
      return
    }
    const name = written
    const arg = mount.args?.[i] ?? (mount.keywords && Object.hasOwn(mount.keywords, name) ? mount.keywords[name] : undefined)
    if (!arg) return
    if (Array.isArray(arg)) for (const env of envs) env.set(name, resolve(arg))
    else if ('items' in arg) envs = envs.flatMap((env) => arg.items.map((item) => new Map(env).set(name, resolve(item))))
    else for (const [prop, value] of Object.entries(arg.props)) for (const env of envs) env.set(`${name}.${prop}`, resolve(value))
  })
  return envs
}

/** The values of a chain with those of one edge over them. */
function withEnv(chain: Env | undefined, edge: Env | undefined): Env | undefined {
  if (!edge) return chain
  if (!chain) return edge
  return new Map([...chain, ...edge])
}

/** A subtree served through a mounted parameter at one call (or, never called, at the mount). */
interface SlotRoute {
  record: FileRecord
  line: number
  slot: Slot
  env?: Env
  handler?: string | undefined
}

/** `MetricsHandler` of `web.MetricsHandler()`, `h` of `h`: the name of the handler an argument makes. */
function calledName(text: string | undefined): string | undefined {
  return text?.match(/(\w+)\s*(?:\([^()]*\))?\s*$/)?.[1]
}

function uniqueSyms(list: Sym[]): Sym[] {
  const seen = new Set<string>()
  return list.filter((s) => {
    const id = symId(s)
    if (seen.has(id)) return false
    seen.add(id)
    return true
  })
}

/** A parameter's value in `env`: `path`, or `options.prefix` for a member of an object argument. */
function bound(env: Env, ref: string): Resolved | undefined {
  return env.get(ref)
}

function unresolved(file: string, route: RouteFact, known: string, why: string): Diagnostic {
  const methods = route.methods.join(',')
  return {
    level: 'warn',
    code: 'UNRESOLVED_PATH',
    file,
    line: route.line,
    message: `${methods} ${known}: ${why}`,
    known,
  }
}

function describe(path: string): string {
  return path === '' ? 'the root' : `\`${path}\``
}

function splitName(name: string): string[] {
  return name.split(/::|\./).filter(Boolean)
}

function lastSegment(name: string): string {
  const segs = splitName(name)
  return segs[segs.length - 1] ?? name
}

export function compareItems(a: EndpointItem, b: EndpointItem): number {
  return cmp(a.path, b.path) || cmp(a.method, b.method) || cmp(a.source.file, b.source.file) || a.source.line - b.source.line
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
