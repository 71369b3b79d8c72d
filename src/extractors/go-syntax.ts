/**
 * Syntax helpers shared by the Go extractors (net/http, gin, echo, chi, fiber, gorilla/mux, httprouter): which variables
 * are routers of which framework, the owner a router variable stands for, and the facts every
 * Go router library has in common (groups, routers passed to functions, method calls).
 *
 * Owners: a package-level router is its own name (`router`); a router parameter is its function
 * (`RegisterRoutes`, `UserHandler.Register`, `main.func@12` for a callback); a local router is
 * qualified by its function (`setupRouter.v1`), unless the function returns it (a factory is
 * its function: `adminRouter`).
 */
import type { SgNode } from '@ast-grep/napi'
import { goPathOf, goStringLiteral } from '../languages/go.js'
import type { EndpointKind } from '../model/inventory.js'
import type { CallFact, ExtractContext, FileFacts, Manifest, MountArg, ParsedFile, PathExpr, RouteFact, SymbolRef } from './types.js'

export type GoFramework = 'nethttp' | 'gin' | 'echo' | 'chi' | 'fiber' | 'gorilla-mux' | 'httprouter'

interface FrameworkTable {
  /** Import paths (a major-version suffix may follow). */
  modules: string[]
  /** Exported types whose values are routers. */
  types: string[]
  /** Package functions that create a router. */
  constructors: string[]
  /** Types that are always a group of some other router: a function receiving one must be called somewhere. */
  groups: string[]
}

const FRAMEWORKS: Record<GoFramework, FrameworkTable> = {
  nethttp: { modules: ['net/http'], types: ['ServeMux'], constructors: ['NewServeMux'], groups: [] },
  gin: { modules: ['github.com/gin-gonic/gin'], types: ['Engine', 'RouterGroup', 'IRouter', 'IRoutes'], constructors: ['Default', 'New'], groups: ['RouterGroup'] },
  echo: { modules: ['github.com/labstack/echo'], types: ['Echo', 'Group'], constructors: ['New'], groups: ['Group'] },
  // chi.Router is also the root's interface: a function taking one may receive the root.
  chi: { modules: ['github.com/go-chi/chi'], types: ['Router', 'Mux'], constructors: ['NewRouter', 'NewMux'], groups: [] },
  fiber: { modules: ['github.com/gofiber/fiber'], types: ['App', 'Router', 'Group'], constructors: ['New'], groups: ['Group'] },
  // A subrouter (`r.PathPrefix("/api").Subrouter()`) is a *mux.Router too: a function taking one may receive the root.
  'gorilla-mux': { modules: ['github.com/gorilla/mux'], types: ['Router'], constructors: ['NewRouter'], groups: [] },
  httprouter: { modules: ['github.com/julienschmidt/httprouter'], types: ['Router'], constructors: ['New'], groups: [] },
}

const MAX_VALUE_DEPTH = 8

/**
 * The methods of a route chain's `Methods(..)` matchers: undefined when it has none (every method),
 * null when one is not static.
 */
export function matcherMethods(matchers: RouteChain['matchers']): string[] | undefined | null {
  let out: string[] | undefined
  for (const m of matchers) {
    if (m.name !== 'Methods') continue
    for (const arg of m.args) {
      const methods = methodsOf(arg)
      if (!methods) return null
      ;(out ??= []).push(...methods)
    }
  }
  return out
}

/** The matchers chained after a call (`r.HandleFunc(p, h).Methods("GET").Name("x")`), in order. */
function outerMatchers(call: SgNode): RouteChain['matchers'] {
  const out: RouteChain['matchers'] = []
  let cur = call
  for (;;) {
    const sel = cur.parent()
    const operand = sel?.kind() === 'selector_expression' ? sel.field('operand') : null
    const outer = sel?.parent()
    const name = sel?.field('field')
    if (!operand || keyOf(operand) !== keyOf(cur) || outer?.kind() !== 'call_expression' || !name) return out
    out.push({ name: name.text(), args: argsOf(outer), node: name })
    cur = outer
  }
}

/** `http.StripPrefix(prefix, h)`: its prefix and the wrapped handler. */
export function stripPrefixOf(g: GoFile, node: SgNode): { prefix: SgNode; handler: SgNode } | undefined {
  if (node.kind() !== 'call_expression') return undefined
  const fn = node.field('function')
  if (fn?.kind() !== 'selector_expression' || fn.field('field')?.text() !== 'StripPrefix') return undefined
  const pkg = fn.field('operand')
  if (pkg?.kind() !== 'identifier' || g.importOf(pkg.text()) !== 'net/http') return undefined
  const [prefix, handler] = argsOf(node)
  return prefix && handler ? { prefix, handler } : undefined
}

/**
 * `http.FileServer(...)`, `http.FileServerFS(...)`: net/http's static file handler, also behind
 * `http.StripPrefix` or held in a local (`fs := http.FileServer(dir)`). Static files are no endpoints.
 */
export function isFileServer(g: GoFile, node: SgNode, depth = 0): boolean {
  if (depth > MAX_VALUE_DEPTH) return false
  if (node.kind() === 'identifier') {
    const value = g.bindingOf(node, node.text())?.value
    return !!value && isFileServer(g, value, depth + 1)
  }
  if (node.kind() !== 'call_expression') return false
  const strip = stripPrefixOf(g, node)
  if (strip) return isFileServer(g, strip.handler, depth + 1)
  const fn = node.field('function')
  const pkg = fn?.kind() === 'selector_expression' ? fn.field('operand') : undefined
  return pkg?.kind() === 'identifier' && g.importOf(pkg.text()) === 'net/http' && /^FileServer(FS)?$/.test(fn!.field('field')?.text() ?? '')
}

/** Methods that make a group of their receiver: `r.Group("/x")` (gin, echo, fiber), gorilla/mux's `r.PathPrefix("/x").Subrouter()`. */
const GROUP_METHODS = new Set(['Group', 'Subrouter'])
/** Methods that return their receiver, configured: the same router (`r.With(mw)`, gorilla/mux's `mux.NewRouter().StrictSlash(true)`). */
const SAME_ROUTER = new Set(['With', 'Use', 'StrictSlash', 'SkipClean', 'UseEncodedPath'])
/**
 * gorilla/mux's route matchers: each returns the route it is called on (`r.Methods("GET").Path("/x")`),
 * so that a chain of them ends with a handler (`.Handler(h)`) or a subrouter (`.Subrouter()`).
 */
const ROUTE_MATCHERS = new Set(['Path', 'PathPrefix', 'Methods', 'Host', 'Headers', 'HeadersRegexp', 'Queries', 'Schemes', 'MatcherFunc', 'Name', 'BuildVarsFunc', 'NewRoute'])

/** A gorilla/mux route chain (`r.PathPrefix("/api").Methods("GET")`): the router it starts on and its matchers, in order. */
export interface RouteChain {
  base: SgNode
  matchers: Array<{ name: string; args: SgNode[]; node: SgNode }>
}

/** The route chain an expression is: no matchers when it is not one (`r`). */
export function routeChain(expr: SgNode): RouteChain {
  const matchers: RouteChain['matchers'] = []
  let cur = expr
  while (cur.kind() === 'call_expression') {
    const fn = cur.field('function')
    const name = fn?.kind() === 'selector_expression' ? fn.field('field')?.text() : undefined
    const operand = fn?.field('operand')
    if (!name || !operand || !ROUTE_MATCHERS.has(name)) break
    matchers.unshift({ name, args: argsOf(cur), node: fn!.field('field')! })
    cur = operand
  }
  return { base: cur, matchers }
}

/** The path a route chain's `Path`/`PathPrefix` matchers give (gorilla/mux appends each to the previous), and whether it is a prefix. */
export function chainPath(chain: RouteChain, pathOf: (node: SgNode) => PathExpr = goPathOf): { path: PathExpr; prefix: boolean; node?: SgNode } {
  const path: PathExpr = []
  let prefix = false
  let node: SgNode | undefined
  for (const m of chain.matchers) {
    if (m.name !== 'Path' && m.name !== 'PathPrefix') continue
    const arg = m.args[0]
    if (!arg) continue
    path.push(...pathOf(arg))
    prefix = m.name === 'PathPrefix'
    node ??= m.node
  }
  return { path, prefix, ...(node ? { node } : {}) }
}

const FUNCTION_KINDS = new Set(['function_declaration', 'method_declaration', 'func_literal'])

function isModule(path: string, module: string): boolean {
  return path === module || path.startsWith(`${module}/`)
}

/** The framework an import path belongs to. */
export function frameworkOfImport(path: string): GoFramework | undefined {
  for (const [id, table] of Object.entries(FRAMEWORKS) as Array<[GoFramework, FrameworkTable]>) {
    if (table.modules.some((m) => isModule(path, m))) return id
  }
  return undefined
}

/** True when go.mod requires the framework directly. */
export function requiresFramework(manifest: Manifest, id: GoFramework): boolean {
  return [...manifest.dependencies].some((d) => FRAMEWORKS[id].modules.some((m) => isModule(d, m)))
}

/** Named arguments of a call, without the punctuation. */
export function argsOf(call: SgNode): SgNode[] {
  return call.field('arguments')?.namedChildren().filter((n) => n.kind() !== 'comment') ?? []
}

/** A router expression: the owner its routes are registered on, and the prefix already applied (`r.Group("/x").GET`). */
export interface RouterRef {
  owner: string | null
  prefix: PathExpr
  /** The framework the router belongs to; `other` for a value known not to be a router; undefined when unknown. */
  framework: GoFramework | 'other' | undefined
  /** A parameter typed as a group (`g *gin.RouterGroup`): its function must be called with one somewhere. */
  groupParam?: boolean
}

interface Binding {
  owner: string
  type?: SgNode | null
  value?: SgNode | null
  receiver?: boolean
  param?: boolean
}

const lineOf = (node: SgNode) => node.range().start.line + 1
const keyOf = (node: SgNode) => `${node.range().start.index}:${node.range().end.index}`

/** Per-file syntax facts for the Go extractors, built once and shared by all of them. */
export class GoFile {
  private readonly locals = new Map<string, Map<string, Binding>>()
  private readonly packageVars = new Map<string, Binding>()
  private readonly fields = new Map<string, SgNode>()
  private readonly functions = new Map<string, SgNode>()
  private readonly methods = new Map<string, SgNode>()
  private kinds: Record<string, EndpointKind> | undefined
  private fieldValues: Map<string, SgNode> | undefined

  constructor(readonly file: ParsedFile) {
    for (const decl of file.root.children()) {
      const k = decl.kind()
      if (k === 'var_declaration') {
        for (const spec of decl.findAll({ rule: { kind: 'var_spec' } })) {
          for (const [name, b] of specBindings(spec)) this.packageVars.set(name, { owner: name, ...b })
        }
      } else if (k === 'function_declaration' || k === 'method_declaration') {
        const name = decl.field('name')?.text()
        if (name) (k === 'function_declaration' ? this.functions : this.methods).set(name, decl)
      }
    }
    for (const field of file.root.findAll({ rule: { kind: 'field_declaration' } })) {
      const type = field.field('type')
      for (const id of field.children()) if (id.kind() === 'field_identifier' && type) this.fields.set(id.text(), type)
    }
  }

  /** The import path a package name of this file stands for. */
  importOf(name: string): string | undefined {
    return this.file.module.imports[name]?.module
  }

  imports(id: GoFramework): boolean {
    return Object.values(this.file.module.imports).some((i) => frameworkOfImport(i.module) === id)
  }

  /** True when a package name is imported from outside this module (the standard library, a dependency). */
  isExternalPackage(name: string): boolean {
    const path = this.importOf(name)
    if (path === undefined) return false
    const own = this.file.manifest?.module
    return !own || !isModule(path, own)
  }

  /** Where a variable used at `node` is declared, and the owner it stands for. */
  bindingOf(node: SgNode, name: string): Binding | undefined {
    for (let cur = node.parent(); cur; cur = cur.parent()) {
      if (!FUNCTION_KINDS.has(String(cur.kind()))) continue
      const b = this.scopeBindings(cur).get(name)
      if (b) return b
    }
    return this.packageVars.get(name)
  }

  private scopeBindings(fn: SgNode): Map<string, Binding> {
    const key = keyOf(fn)
    const hit = this.locals.get(key)
    if (hit) return hit
    const scope = scopeName(fn)
    const out = new Map<string, Binding>()
    const receiver = fn.kind() === 'method_declaration' ? fn.field('receiver') : null
    for (const list of [receiver, fn.field('parameters')]) {
      for (const p of list?.namedChildren() ?? []) {
        if (p.kind() !== 'parameter_declaration') continue
        const type = p.field('type')
        for (const id of p.children()) {
          if (id.kind() !== 'identifier') continue
          out.set(id.text(), list === receiver ? { owner: receiverType(fn), type, receiver: true } : { owner: scope, type, param: true })
        }
      }
    }
    const body = fn.field('body')
    if (body) {
      const returned = new Set<string>()
      for (const ret of body.findAll({ rule: { kind: 'return_statement' } })) {
        if (!sameFunction(ret, fn)) continue
        // `return r`, and `return caseInsensitive(r)`: a router returned inside a wrapper is still what the function builds.
        for (const e of ret.namedChildren()[0]?.namedChildren() ?? []) for (const id of returnedNames(e)) returned.add(id)
      }
      for (const decl of body.findAll({ rule: { any: [{ kind: 'short_var_declaration' }, { kind: 'var_spec' }] } })) {
        if (!sameFunction(decl, fn)) continue
        for (const [name, b] of specBindings(decl)) {
          if (out.has(name)) continue
          out.set(name, { owner: returned.has(name) ? scope : `${scope}.${name}`, ...b })
        }
      }
    }
    this.locals.set(key, out)
    return out
  }

  /** The router an expression stands for: a variable, a struct field, `r.Group("/x")`, `r.With(mw)`; undefined otherwise. */
  routerOf(expr: SgNode): RouterRef | undefined {
    const k = expr.kind()
    if (k === 'parenthesized_expression') {
      const inner = expr.namedChildren()[0]
      return inner ? this.routerOf(inner) : undefined
    }
    if (k === 'identifier') {
      const name = expr.text()
      const b = this.bindingOf(expr, name)
      if (!b) {
        // `http.HandleFunc`: the default ServeMux, served at the root.
        if (this.importOf(name) === 'net/http') return { owner: null, prefix: [], framework: 'nethttp' }
        if (this.importOf(name) !== undefined) return undefined
        return { owner: name, prefix: [], framework: undefined }
      }
      if (b.receiver) return undefined
      const ref: RouterRef = { owner: b.owner, prefix: [], framework: this.classify(b) }
      if (b.param && b.type && this.isGroupType(b.type)) ref.groupParam = true
      return ref
    }
    if (k === 'selector_expression') {
      const operand = expr.field('operand')
      const field = expr.field('field')?.text()
      if (!operand || !field || operand.kind() !== 'identifier') return undefined
      if (this.importOf(operand.text()) !== undefined) return undefined
      const b = this.bindingOf(operand, operand.text())
      const base = b?.owner ?? operand.text()
      const type = this.fields.get(field)
      const assigned = type ? undefined : this.assignedTo(field)
      const framework = type ? this.classifyType(type) : assigned ? this.classifyValue(assigned) : undefined
      return { owner: `${base}.${field}`, prefix: [], framework }
    }
    if (k === 'call_expression') {
      const fn = expr.field('function')
      if (fn?.kind() !== 'selector_expression') return undefined
      const method = fn.field('field')?.text()
      const operand = fn.field('operand')
      if (!operand) return undefined
      if (method === 'Group') {
        const first = argsOf(expr)[0]
        if (!first || first.kind() === 'func_literal') return undefined
        const base = this.routerOf(operand)
        if (!base) return undefined
        return { ...base, prefix: [...base.prefix, ...goPathOf(first)] }
      }
      if (method && SAME_ROUTER.has(method)) return this.routerOf(operand)
      // gorilla/mux: `r.PathPrefix("/api").Subrouter()`, a group under the chain's path.
      if (method === 'Subrouter') {
        const chain = routeChain(operand)
        const base = this.routerOf(chain.base)
        if (!base || (base.framework !== undefined && base.framework !== 'gorilla-mux')) return undefined
        return { ...base, prefix: [...base.prefix, ...chainPath(chain).path] }
      }
      // A method of this file that returns a group of its receiver made with one of its parameters
      // (`func (r *Router) SubGroup(prefix string) *Router { return NewRouter(r.Group.Group(prefix)) }`).
      const wrapped = method ? this.groupWrapper(method) : undefined
      if (wrapped !== undefined) {
        const arg = argsOf(expr)[wrapped]
        const base = this.routerOf(operand)
        if (!arg || !base) return undefined
        return { ...base, prefix: [...base.prefix, ...goPathOf(arg)] }
      }
    }
    return undefined
  }

  /** For a method of this file that wraps `Group`: the index of the parameter it passes as the prefix. */
  groupWrapper(method: string): number | undefined {
    if (this.wrappers.has(method)) return this.wrappers.get(method)
    const index = this.findGroupWrapper(method)
    this.wrappers.set(method, index)
    return index
  }

  private readonly wrappers = new Map<string, number | undefined>()

  private findGroupWrapper(method: string): number | undefined {
    const decl = this.methods.get(method)
    if (!decl) return undefined
    const params = (decl.field('parameters')?.namedChildren() ?? [])
      .filter((p) => p.kind() === 'parameter_declaration' || p.kind() === 'variadic_parameter_declaration')
      .flatMap((p) => p.children().filter((c) => c.kind() === 'identifier').map((c) => c.text()))
    for (const ret of decl.findAll({ rule: { kind: 'return_statement' } })) {
      if (!sameFunction(ret, decl)) continue
      for (const call of ret.findAll({ rule: { kind: 'call_expression', has: { field: 'function', kind: 'selector_expression', has: { field: 'field', regex: '^Group$' } } } })) {
        const first = argsOf(call)[0]
        const i = first?.kind() === 'identifier' ? params.indexOf(first.text()) : -1
        if (i !== -1) return i
      }
    }
    return undefined
  }

  /** `s.router = gin.New()` anywhere in the file: the value a struct field is given. */
  private assignedTo(field: string): SgNode | undefined {
    if (!this.fieldValues) {
      this.fieldValues = new Map()
      for (const a of this.file.root.findAll({ rule: { kind: 'assignment_statement' } })) {
        const left = a.field('left')?.namedChildren() ?? []
        const right = a.field('right')?.namedChildren() ?? []
        left.forEach((l, i) => {
          const name = l.kind() === 'selector_expression' ? l.field('field')?.text() : undefined
          if (name && right[i] && !this.fieldValues!.has(name)) this.fieldValues!.set(name, right[i]!)
        })
      }
    }
    return this.fieldValues.get(field)
  }

  private classify(b: Binding): RouterRef['framework'] {
    if (b.type) return this.classifyType(b.type)
    if (b.value) return this.classifyValue(b.value)
    return undefined
  }

  private isGroupType(type: SgNode): boolean {
    const t = type.kind() === 'pointer_type' ? type.namedChildren()[0] : type
    const pkg = t?.field('package')?.text()
    const id = pkg ? frameworkOfImport(this.importOf(pkg) ?? '') : undefined
    return !!id && FRAMEWORKS[id].groups.includes(t?.field('name')?.text() ?? '')
  }

  classifyType(type: SgNode): RouterRef['framework'] {
    let t = type
    while (t.kind() === 'pointer_type') {
      const inner = t.namedChildren()[0]
      if (!inner) return undefined
      t = inner
    }
    if (t.kind() !== 'qualified_type') return undefined
    const pkg = t.field('package')?.text()
    const name = t.field('name')?.text()
    const id = pkg ? frameworkOfImport(this.importOf(pkg) ?? '') : undefined
    if (!id || !name) return pkg && this.importOf(pkg) !== undefined ? 'other' : undefined
    return FRAMEWORKS[id].types.includes(name) ? id : 'other'
  }

  classifyValue(value: SgNode): RouterRef['framework'] {
    const k = value.kind()
    if (k === 'unary_expression') {
      const inner = value.namedChildren()[0]
      return inner ? this.classifyValue(inner) : undefined
    }
    if (k === 'composite_literal') {
      const type = value.field('type')
      return type ? this.classifyType(type) : undefined
    }
    if (k !== 'call_expression') return undefined
    const fn = value.field('function')
    if (!fn) return undefined
    if (fn.kind() === 'identifier') {
      // A factory of this file: its declared result type.
      const result = this.functions.get(fn.text())?.field('result')
      return result ? this.classifyType(result) : undefined
    }
    if (fn.kind() !== 'selector_expression') return undefined
    const operand = fn.field('operand')
    const name = fn.field('field')?.text()
    if (!operand || !name) return undefined
    // `mux.NewRouter().StrictSlash(true)`: the router the chain starts with.
    if (SAME_ROUTER.has(name) && operand.kind() === 'call_expression') return this.classifyValue(operand)
    if (operand.kind() === 'identifier' && this.importOf(operand.text()) !== undefined) {
      const id = frameworkOfImport(this.importOf(operand.text())!)
      if (!id) return undefined
      return FRAMEWORKS[id].constructors.includes(name) ? id : 'other'
    }
    return this.routerOf(value)?.framework
  }

  /**
   * The declaration, in this file, of a function or method called as `fn`; null when it is
   * declared elsewhere (another file or package), undefined when it is external.
   */
  declarationOf(fn: SgNode): SgNode | null | undefined {
    if (fn.kind() === 'identifier') return this.functions.get(fn.text()) ?? null
    const operand = fn.field('operand')
    if (fn.kind() !== 'selector_expression' || operand?.kind() !== 'identifier') return undefined
    if (this.importOf(operand.text()) !== undefined) return this.isExternalPackage(operand.text()) ? undefined : null
    return this.bindingOf(operand, operand.text())?.receiver ? (this.methods.get(fn.field('field')?.text() ?? '') ?? null) : null
  }

  /** A function that returns a router: its result type is one, or its body creates one (`func api() http.Handler { r := chi.NewRouter() ...`). */
  buildsRouter(decl: SgNode): boolean {
    const result = decl.field('result')
    const typed = result ? this.classifyType(result) : undefined
    if (typed && typed !== 'other') return true
    const body = decl.field('body')
    return !!body?.findAll({ rule: { kind: 'call_expression' } }).some((c) => {
      const fw = this.classifyValue(c)
      return fw !== undefined && fw !== 'other' && sameFunction(c, decl)
    })
  }

  /** What a called function is, as a symbol: `register`, `handlers.Register`, `UserHandler.Register` for a method. */
  calleeRef(fn: SgNode): SymbolRef | undefined {
    const k = fn.kind()
    if (k === 'identifier') {
      if (this.importOf(fn.text()) !== undefined) return undefined
      // `for _, f := range registrars { f(v1) }`: every function appended to the slice.
      const slice = rangedOver(fn, fn.text())
      return { name: slice ? `${slice}[]` : fn.text() }
    }
    if (k !== 'selector_expression') return undefined
    const operand = fn.field('operand')
    const field = fn.field('field')?.text()
    if (!operand || !field) return undefined
    // `NewHandler(db).Routes`: a method of what a function of this module returns.
    if (operand.kind() === 'call_expression') {
      const made = this.madeBy(operand)
      return made ? { name: field, receiverOf: made } : undefined
    }
    // `a.Accounts.router()`: a method of a struct field whose type this file declares; otherwise the
    // method by its name (`router.RouterGroupApp.InitApiRouter`), found when the tree has one such method.
    if (operand.kind() === 'selector_expression') {
      const type = this.fields.get(operand.field('field')?.text() ?? '')
      const typeName = type ? typeText(type) : undefined
      return typeName ? { name: `${typeName}.${field}` } : { name: field, qualifier: operand.text() }
    }
    if (operand.kind() !== 'identifier') return undefined
    const head = operand.text()
    if (this.importOf(head) !== undefined) return this.isExternalPackage(head) ? undefined : { name: `${head}.${field}` }
    const b = this.bindingOf(operand, head)
    if (b?.receiver) return { name: `${b.owner}.${field}` }
    // `h := users.NewHandler(db); h.Register(api)`.
    if (!b?.type && b?.value?.kind() === 'call_expression') {
      const made = this.madeBy(b.value)
      if (made) return { name: field, receiverOf: made }
    }
    const type = b?.type ?? (b?.value?.kind() === 'unary_expression' ? b.value.namedChildren()[0]?.field('type') : b?.value?.kind() === 'composite_literal' ? b.value.field('type') : undefined)
    const typeName = type ? typeText(type) : undefined
    return typeName ? { name: `${typeName}.${field}` } : { name: field, qualifier: head }
  }

  /** True the first time a per-file fact collection asks (the Go extractors share one GoFile and their facts merge). */
  once(what: string): boolean {
    if (this.done.has(what)) return false
    this.done.add(what)
    return true
  }

  private readonly done = new Set<string>()

  /** True when a function of this file has a parameter typed as a router of `id` (`v1 *gin.RouterGroup`). */
  takesRouter(name: string, id: GoFramework): boolean {
    const fn = this.functions.get(name)
    return !!fn?.field('parameters')?.namedChildren().some((p) => {
      const type = p.field('type')
      return !!type && this.classifyType(type) === id
    })
  }

  /** Parameter names, in order, of every function and method of the file, by owner name. */
  params(): Record<string, string[]> {
    const out: Record<string, string[]> = {}
    for (const fn of [...this.functions.values(), ...this.methods.values()]) {
      const names: string[] = []
      for (const p of fn.field('parameters')?.namedChildren() ?? []) {
        if (p.kind() !== 'parameter_declaration' && p.kind() !== 'variadic_parameter_declaration') continue
        const ids = p.children().filter((c) => c.kind() === 'identifier')
        // `paths ...string`: the call's remaining arguments, one instantiation each (written `...paths`).
        const rest = p.kind() === 'variadic_parameter_declaration' ? '...' : ''
        if (ids.length) names.push(...ids.map((c) => `${rest}${c.text()}`))
        else names.push('_')
      }
      if (names.length) out[scopeName(fn)] = names
    }
    return out
  }

  /** The function of this module a call makes its value with, as written (`NewHandler`, `users.New`); undefined for a method or an external package. */
  madeBy(call: SgNode): string | undefined {
    const fn = call.field('function')
    if (fn?.kind() === 'identifier') return this.importOf(fn.text()) === undefined ? fn.text() : undefined
    if (fn?.kind() !== 'selector_expression') return undefined
    const operand = fn.field('operand')
    if (operand?.kind() !== 'identifier' || this.importOf(operand.text()) === undefined || this.isExternalPackage(operand.text())) return undefined
    return `${operand.text()}.${fn.field('field')?.text()}`
  }

  /** Functions and methods of this file that upgrade to a WebSocket or stream SSE, by name. */
  handlerKinds(): Record<string, EndpointKind> {
    if (this.kinds) return this.kinds
    const out: Record<string, EndpointKind> = {}
    for (const fn of this.file.root.findAll({ rule: { any: [{ kind: 'function_declaration' }, { kind: 'method_declaration' }] } })) {
      const name = fn.field('name')?.text()
      const kind = this.bodyKind(fn)
      if (name && kind) out[name] = kind
    }
    return (this.kinds = out)
  }

  /** `websocket` when a function body upgrades the connection, `sse` when it streams events. */
  bodyKind(node: SgNode): EndpointKind | undefined {
    for (const call of node.findAll({ rule: { kind: 'call_expression', has: { field: 'function', kind: 'selector_expression' } } })) {
      const fn = call.field('function')!
      const name = fn.field('field')?.text()
      const pkg = fn.field('operand')
      const path = pkg?.kind() === 'identifier' ? this.importOf(pkg.text()) : undefined
      if (name === 'Upgrade' && argsOf(call).length === 3) return 'websocket' // gorilla/websocket
      if (path && isWebSocketPackage(path) && (name === 'Accept' || name === 'New' || name === 'Handler')) return 'websocket'
    }
    if (node.find({ rule: { kind: 'interpreted_string_literal', regex: 'text/event-stream' } })) return 'sse'
    const ginStream = this.imports('gin') ? '^(SSEvent|Stream)$' : '^SSEvent$'
    if (node.find({ rule: { kind: 'call_expression', has: { field: 'function', kind: 'selector_expression', has: { field: 'field', regex: ginStream } } } })) return 'sse'
    return undefined
  }

  /** A route's kind when its handler shows it (an inline function, `websocket.New(...)`); otherwise left to the handler's name. */
  handlerKind(handler: SgNode | undefined): EndpointKind | undefined {
    if (!handler) return undefined
    const k = handler.kind()
    if (k === 'func_literal') return this.bodyKind(handler)
    if (k === 'call_expression') {
      const fn = handler.field('function')
      const pkg = fn?.kind() === 'selector_expression' ? fn.field('operand') : null
      const path = pkg?.kind() === 'identifier' ? this.importOf(pkg.text()) : undefined
      if (path && isWebSocketPackage(path)) return 'websocket'
      for (const arg of argsOf(handler)) if (arg.kind() === 'func_literal') return this.bodyKind(arg)
    }
    return undefined
  }

  /** The routers an argument may stand for: a router, a call of a function that builds one or returns a value serving one. */
  valueRefs(node: SgNode, depth = 0): SymbolRef[] {
    if (depth > 4) return []
    const k = node.kind()
    if (k === 'call_expression') {
      const fn = node.field('function')
      if (!fn) return []
      if (fn.kind() === 'selector_expression') {
        const operand = fn.field('operand')
        if (operand?.kind() === 'identifier' && this.isExternalPackage(operand.text())) return []
      }
      const out: SymbolRef[] = []
      const callee = this.calleeRef(fn)
      if (callee) out.push(callee)
      // `CreateAPIRouter(ctx)` returning `*api.Router`: the type, which serves what it builds.
      const made = this.madeBy(node)
      if (made) out.push({ name: '', receiverOf: made })
      return out
    }
    if (k === 'unary_expression' || k === 'composite_literal') {
      const literal = k === 'unary_expression' ? node.namedChildren()[0] : node
      const type = literal?.kind() === 'composite_literal' ? literal.field('type') : undefined
      const name = type ? typeText(type) : undefined
      return name ? [{ name }] : []
    }
    if (k === 'identifier' || k === 'selector_expression') {
      const router = this.routerOf(node)
      if (router?.framework && router.framework !== 'other' && router.owner) return [{ name: router.owner }]
      if (k === 'identifier') {
        const b = this.bindingOf(node, node.text())
        if (b?.value) return this.valueRefs(b.value, depth + 1)
        const type = b?.type ? typeText(b.type) : undefined
        if (type && !b?.receiver) return [{ name: type }]
      }
    }
    return []
  }

  /** A field that holds what a value serves: an embedded `http.Handler`, or a field typed as one or as a router. */
  servesHandler(field: string): boolean {
    if (field === 'Handler') return true
    const type = this.fields.get(field)
    if (!type) return false
    const text = typeText(type)
    if (text === 'http.Handler') return true
    const fw = this.classifyType(type)
    return fw !== undefined && fw !== 'other'
  }

  /** The struct type of this file a variable holds: the receiver's, or `&T{...}`'s. */
  typeOfValue(node: SgNode): string | undefined {
    const b = this.bindingOf(node, node.text())
    if (!b) return undefined
    if (b.receiver) return b.owner
    let value = b.value
    if (value?.kind() === 'unary_expression') value = value.namedChildren()[0]
    const type = value?.kind() === 'composite_literal' ? value.field('type') : b.type
    const name = type ? typeText(type) : undefined
    return name && !name.includes('.') ? name : undefined
  }

  /**
   * gorilla/mux: the methods a subrouter matches (`get := r.Methods("GET").Subrouter()`), through the
   * variables it is made from; undefined when it matches every method.
   */
  groupMethods(node: SgNode, depth = 0): string[] | undefined {
    if (depth > MAX_VALUE_DEPTH) return undefined
    const k = node.kind()
    if (k === 'parenthesized_expression') {
      const inner = node.namedChildren()[0]
      return inner ? this.groupMethods(inner, depth + 1) : undefined
    }
    if (k === 'identifier') {
      const value = this.bindingOf(node, node.text())?.value
      return value ? this.groupMethods(value, depth + 1) : undefined
    }
    if (k !== 'call_expression') return undefined
    const fn = node.field('function')
    const method = fn?.kind() === 'selector_expression' ? fn.field('field')?.text() : undefined
    const operand = fn?.field('operand')
    if (!method || !operand) return undefined
    if (SAME_ROUTER.has(method)) return this.groupMethods(operand, depth + 1)
    if (method !== 'Subrouter') return undefined
    const chain = routeChain(operand)
    return matcherMethods(chain.matchers) ?? this.groupMethods(chain.base, depth + 1)
  }

  /**
   * What a handler serving a subtree (`r.PathPrefix("/api/").Handler(x)`) may be as routers: a router,
   * a function of this module that may build one, a value of a type of this module (which may serve one);
   * none for a plain handler (a local closure's result, an external package's wrapper).
   */
  servedRouters(node: SgNode, depth = 0): SymbolRef[] {
    if (depth > MAX_VALUE_DEPTH) return []
    const k = node.kind()
    if (k === 'identifier' || k === 'selector_expression') {
      const router = this.routerOf(node)
      if (router?.framework && router.framework !== 'other' && router.owner) return [{ name: router.owner }]
      const value = k === 'identifier' ? this.bindingOf(node, node.text())?.value : undefined
      return value ? this.servedRouters(value, depth + 1) : []
    }
    if (k === 'call_expression') {
      const fn = node.field('function')
      if (!fn) return []
      // `monkey(h, "")`: a closure held in a local wraps a handler.
      if (fn.kind() === 'identifier' && this.bindingOf(fn, fn.text())) return []
      const decl = this.declarationOf(fn)
      if (decl === undefined || (decl && !this.buildsRouter(decl))) return []
      const callee = this.calleeRef(fn)
      return callee ? [callee] : []
    }
    if (k === 'unary_expression' || k === 'composite_literal') return this.valueRefs(node)
    return []
  }

  /** True when the framework's routes are plausible on a router of unknown type: the file uses the framework, or it is the module's only router. */
  plausible(id: GoFramework): boolean {
    if (id !== 'nethttp' && this.imports(id)) return true
    const manifest = this.file.manifest
    if (!manifest || manifest.file === null) return id !== 'nethttp'
    const routers = (Object.keys(FRAMEWORKS) as GoFramework[]).filter((f) => f !== 'nethttp' && requiresFramework(manifest, f))
    // With another router library in go.mod, an untyped `x.HandleFunc` is not net/http's.
    if (id === 'nethttp') return routers.length === 0
    return routers.length === 1 && routers[0] === id
  }
}

const files = new WeakMap<SgNode, GoFile>()

/** The Go syntax facts of a parsed file, shared by every Go extractor that reads it. */
export function goFile(file: ParsedFile): GoFile {
  let g = files.get(file.root)
  if (!g) {
    g = new GoFile(file)
    files.set(file.root, g)
  }
  return g
}

function isWebSocketPackage(path: string): boolean {
  return (
    isModule(path, 'nhooyr.io/websocket') ||
    isModule(path, 'github.com/coder/websocket') ||
    isModule(path, 'github.com/gofiber/websocket') ||
    isModule(path, 'github.com/gofiber/contrib/websocket') ||
    path === 'golang.org/x/net/websocket'
  )
}

/** `a, b := x, y` and `var a T = x`: each declared name with its type and value. */
function specBindings(spec: SgNode): Array<[string, { type?: SgNode | null; value?: SgNode | null }]> {
  if (spec.kind() === 'short_var_declaration') {
    const left = spec.field('left')?.namedChildren() ?? []
    const right = spec.field('right')?.namedChildren() ?? []
    // `h, err := NewHandler(db)`: the first name holds the call's first result.
    const single = right.length === 1 && right[0]!.kind() === 'call_expression'
    return left.map((l, i) => [l.text(), { value: right.length === left.length ? right[i] : single && i === 0 ? right[0] : null }])
  }
  const names = spec.children().filter((c) => c.kind() === 'identifier')
  const values = spec.children().find((c) => c.kind() === 'expression_list')?.namedChildren() ?? []
  const type = spec.field('type')
  return names.map((n, i) => [n.text(), { type, value: values[i] ?? null }])
}

/** The names a returned expression hands back: `r`, or the arguments of wrappers around it (`cors(r)`, `h.Wrap(mw)(r)`). */
function returnedNames(e: SgNode, depth = 0): string[] {
  if (e.kind() === 'identifier') return [e.text()]
  if (e.kind() !== 'call_expression' || depth > 2) return []
  return argsOf(e).flatMap((a) => returnedNames(a, depth + 1))
}

function sameFunction(node: SgNode, fn: SgNode): boolean {
  for (let cur = node.parent(); cur; cur = cur.parent()) {
    if (FUNCTION_KINDS.has(String(cur.kind()))) return keyOf(cur) === keyOf(fn)
  }
  return false
}

/** `Server` for `func (s *Server) routes()`. */
function receiverType(fn: SgNode): string {
  const type = fn.field('receiver')?.find({ rule: { kind: 'parameter_declaration' } })?.field('type')
  return type ? (typeText(type) ?? type.text()) : 'receiver'
}

/** `handlers.UserHandler` for `*handlers.UserHandler`, `Server` for `*Server[T]`. */
function typeText(type: SgNode): string | undefined {
  let t = type
  while (t.kind() === 'pointer_type' || t.kind() === 'generic_type') {
    const inner = t.kind() === 'generic_type' ? t.field('type') : t.namedChildren()[0]
    if (!inner) return undefined
    t = inner
  }
  return t.kind() === 'type_identifier' || t.kind() === 'qualified_type' ? t.text() : undefined
}

/** The name a function is known by: `RegisterRoutes`, `UserHandler.Register`, `main.func@12` for a function literal. */
export function scopeName(fn: SgNode): string {
  const k = fn.kind()
  if (k === 'function_declaration') return fn.field('name')?.text() ?? `func@${lineOf(fn)}`
  if (k === 'method_declaration') return `${receiverType(fn)}.${fn.field('name')?.text() ?? ''}`
  for (let cur = fn.parent(); cur; cur = cur.parent()) {
    if (FUNCTION_KINDS.has(String(cur.kind()))) return `${scopeName(cur)}.func@${lineOf(fn)}`
  }
  return `func@${lineOf(fn)}`
}

/** `getUser`, `h.GetUser`, `s.handleIndex()`, `http.HandlerFunc(f)`: the handler's name; undefined for an inline function. */
export function handlerName(node: SgNode | undefined): string | undefined {
  if (!node) return undefined
  const k = node.kind()
  if (k === 'identifier') return node.text()
  if (k === 'selector_expression') return node.field('field')?.text()
  if (k === 'call_expression') {
    const fn = node.field('function')
    const args = argsOf(node)
    // `http.HandlerFunc(f)`, `adaptor.HTTPHandlerFunc(f)`: the wrapped function; `s.handleIndex()`: the factory.
    const wrapped = args.find((a) => a.kind() === 'identifier' || a.kind() === 'selector_expression')
    if (fn?.kind() === 'selector_expression' && wrapped && args.length === 1 && /^[A-Z]/.test(fn.field('field')?.text() ?? '') && fn.field('operand')?.kind() === 'identifier') {
      const name = handlerName(wrapped)
      if (name) return name
    }
    return fn ? handlerName(fn) : undefined
  }
  return undefined
}

/** `"GET"`, `http.MethodGet`, `[]string{"GET", "POST"}`: upper-case methods, or undefined when not static. */
export function methodsOf(node: SgNode): string[] | undefined {
  const literal = goStringLiteral(node)
  if (literal !== undefined) return [literal.toUpperCase()]
  const k = node.kind()
  if (k === 'selector_expression') {
    const field = node.field('field')?.text() ?? ''
    return field.startsWith('Method') && field.length > 6 ? [field.slice(6).toUpperCase()] : undefined
  }
  if (k === 'composite_literal') {
    const out: string[] = []
    for (const el of node.field('body')?.namedChildren() ?? []) {
      const value = el.namedChildren()[0] ?? el
      const m = methodsOf(value)
      if (!m) return undefined
      out.push(...m)
    }
    return out
  }
  return undefined
}

/** How a framework's route-registering methods read their arguments. */
export interface VerbSpec {
  /** Fixed methods (`GET`, or `ALL` for any). */
  methods?: string[]
  /** Index of the argument holding the method(s) instead. */
  methodArg?: number
  pathArg: number
}

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'CONNECT', 'TRACE']

/**
 * Route methods named after HTTP methods, each taking the path first: `GET` (gin, echo) or `Get`
 * (chi, fiber), for the methods a framework has.
 */
export function methodVerbs(style: 'upper' | 'title', methods: string[] = HTTP_METHODS): Record<string, VerbSpec> {
  const name = (m: string) => (style === 'upper' ? m : m[0] + m.slice(1).toLowerCase())
  return Object.fromEntries(methods.map((m) => [name(m), { methods: [m], pathArg: 0 }]))
}

/** Text that a file registering routes with these verbs must hold: `.GET(`, `.Get(`... */
export function verbNeedles(verbs: Record<string, VerbSpec>): string[] {
  return Object.keys(verbs).map((v) => `.${v}(`)
}

/** Text of handlers that upgrade to a WebSocket or stream events: their files are read for the handler kinds. */
export const STREAM_NEEDLES = ['Upgrade(', 'websocket.', 'text/event-stream', '.SSEvent(', '.Stream(']

/** Every `x.Verb(path, handler)` on a router of `id` (or of unknown type, where plausible). */
export function collectRoutes(g: GoFile, ctx: ExtractContext, id: GoFramework, verbs: Record<string, VerbSpec>, facts: FileFacts): void {
  const names = Object.keys(verbs).join('|')
  const calls = g.file.root.findAll({
    rule: { kind: 'call_expression', has: { field: 'function', kind: 'selector_expression', has: { field: 'field', regex: `^(${names})$` } } },
  })
  const plausible = g.plausible(id)
  for (const call of calls) {
    const fn = call.field('function')!
    const verb = fn.field('field')!.text()
    const spec = verbs[verb]!
    const operand = fn.field('operand')
    const router = operand ? g.routerOf(operand) : undefined
    if (!router) continue
    const args = argsOf(call)
    const pathNode = args[spec.pathArg]
    const handler = args[args.length - 1]
    if (!pathNode || args.length <= spec.pathArg + 1) continue
    if (router.framework !== id && !(router.framework === undefined && plausible && isPathLike(pathNode))) continue
    let methods = spec.methods
    if (!methods) {
      const m = args[spec.methodArg ?? 0]
      methods = m ? methodsOf(m) : undefined
      // `mux.Handle("/x", h)` on a value of unknown type is not httprouter's `Handle(method, path, h)`.
      if (methods?.some((x) => !/^[A-Z]+$/.test(x))) continue
      if (!methods) {
        ctx.diagnose({ level: 'info', code: 'UNSUPPORTED_FORM', line: lineOf(call), message: `\`${verb}\` with a method computed at run time is not listed` })
        continue
      }
    }
    const route: RouteFact = { methods, path: [...router.prefix, ...rangeItems(pathNode, ctx.pathOf(pathNode))], owner: router.owner, line: lineOf(fn.field('field')!) }
    if (router.framework === undefined) route.untyped = true
    const when = guardOf(g, call)
    if (when) route.when = when
    const kind = g.handlerKind(handler)
    if (kind) route.kind = kind
    const name = handlerName(handler)
    if (name) route.handler = name
    facts.routes.push(route)
    if (router.groupParam && router.owner) facts.routers!.push({ name: router.owner, line: route.line })
  }
}

/** A path argument that can be a route: a string starting with `/`, or a constant. */
function isPathLike(node: SgNode): boolean {
  const first = goPathOf(node)[0]
  if (first === undefined) return false
  if (typeof first === 'string') return first.startsWith('/') || first === ''
  return 'ref' in first
}

/**
 * gorilla/mux: `r.HandleFunc(path, h)` and `r.Handle(path, h)` (one path), `r.Path(p).Handler(h)`,
 * `r.PathPrefix(p).HandlerFunc(h)` (a subtree, listed as `p/*`), with the methods of every `Methods(..)`
 * of the chain, before or after (`r.HandleFunc(p, h).Methods("GET")`), else of the subrouter
 * (`get := r.Methods("GET").Subrouter()`), else every method. A subtree served by another router of
 * this module mounts it under no prefix (gorilla/mux hands it the full path), or under the route's
 * path behind `http.StripPrefix`; static files are no routes.
 */
export function collectRouteChains(g: GoFile, ctx: ExtractContext, id: GoFramework, facts: FileFacts): void {
  const plausible = g.plausible(id)
  for (const call of g.file.root.findAll({
    rule: { kind: 'call_expression', has: { field: 'function', kind: 'selector_expression', has: { field: 'field', regex: '^(HandleFunc|Handle|Handler|HandlerFunc)$' } } },
  })) {
    const fn = call.field('function')!
    const field = fn.field('field')!
    const operand = fn.field('operand')
    if (!operand) continue
    const args = argsOf(call)
    const exact = field.text() === 'HandleFunc' || field.text() === 'Handle'
    const chain: RouteChain = exact ? { base: operand, matchers: [] } : routeChain(operand)
    const pathNode = exact ? args[0] : undefined
    const fromChain = exact ? undefined : chainPath(chain, (n) => ctx.pathOf(n))
    // `r.Handle(path, h)`, or a route chain ending in `.Handler(h)`: other shapes are other libraries' methods.
    if (exact ? args.length !== 2 : args.length !== 1 || chain.matchers.length === 0) continue
    const router = g.routerOf(chain.base)
    if (!router) continue
    if (router.framework !== id && !(router.framework === undefined && plausible && (pathNode ? isPathLike(pathNode) : !!fromChain?.node))) continue
    const handler = args[args.length - 1]!
    if (isFileServer(g, handler)) continue
    const line = lineOf(fromChain?.node ?? field)
    const own = matcherMethods([...chain.matchers, ...outerMatchers(call)])
    if (own === null) {
      ctx.diagnose({ level: 'info', code: 'UNSUPPORTED_FORM', line, message: '`Methods` with a method computed at run time is not listed' })
      continue
    }
    const methods = own ?? g.groupMethods(chain.base) ?? ['ALL']
    let path: PathExpr = pathNode ? rangeItems(pathNode, ctx.pathOf(pathNode)) : fromChain!.path
    // A chain with `PathPrefix`, or no path at all (`r.Methods("OPTIONS").Handler(h)`), serves a subtree.
    if (fromChain && (fromChain.prefix || !fromChain.node)) {
      const strip = stripPrefixOf(g, handler)
      const children = g.servedRouters(strip?.handler ?? handler)
      if (children.length) {
        for (const child of children) facts.mounts.push({ parent: router.owner, child, prefix: strip ? [...router.prefix, ...path] : [], line })
        continue
      }
      if (!endsWithCatchAll(path)) path = [...path, '/*']
    }
    const route: RouteFact = { methods, path: [...router.prefix, ...path], owner: router.owner, line }
    if (router.framework === undefined) route.untyped = true
    const when = guardOf(g, call)
    if (when) route.when = when
    const kind = g.handlerKind(handler)
    if (kind) route.kind = kind
    const name = handlerName(stripPrefixOf(g, handler)?.handler ?? handler)
    if (name) route.handler = name
    facts.routes.push(route)
  }
}

/** A path whose last variable matches anything (`/{path:.*}`): a subtree already. */
function endsWithCatchAll(path: PathExpr): boolean {
  const last = path[path.length - 1]
  return typeof last === 'string' && /\{\w+:\.[*+]\}$/.test(last)
}

/** `v1 := r.Group("/v1")`: the group is mounted on its parent under its prefix. */
export function collectGroups(g: GoFile, id: GoFramework, facts: FileFacts, ctx?: ExtractContext): void {
  const plausible = g.plausible(id)
  for (const decl of g.file.root.findAll({ rule: { any: [{ kind: 'short_var_declaration' }, { kind: 'var_spec' }, { kind: 'assignment_statement' }] } })) {
    const bindings: Array<[SgNode, SgNode]> = []
    if (decl.kind() === 'var_spec') {
      const names = decl.children().filter((c) => c.kind() === 'identifier')
      const values = decl.children().find((c) => c.kind() === 'expression_list')?.namedChildren() ?? []
      names.forEach((n, i) => values[i] && bindings.push([n, values[i]!]))
    } else {
      const left = decl.field('left')?.namedChildren() ?? []
      const right = decl.field('right')?.namedChildren() ?? []
      left.forEach((n, i) => right[i] && bindings.push([n, right[i]!]))
    }
    for (const [target, value] of bindings) {
      // `r.Group("/x")`, also behind middleware: `r.Group("/x").Use(mw)` is the same group.
      let inner = value
      while (inner.kind() === 'call_expression' && SAME_ROUTER.has(inner.field('function')?.field('field')?.text() ?? '')) {
        const operand = inner.field('function')?.field('operand')
        if (!operand) break
        inner = operand
      }
      const made = inner.kind() === 'call_expression' ? inner.field('function')?.field('field')?.text() : undefined
      if (!made || (!GROUP_METHODS.has(made) && g.groupWrapper(made) === undefined)) continue
      const group = g.routerOf(value)
      if (!group || !(group.framework === id || (group.framework === undefined && plausible))) continue
      const child = g.routerOf(target)
      if (!child?.owner || group.owner === child.owner) continue
      // `if cfg.MultiTenancy.Enabled { g = e.Group("/:tenant") } else { g = e.Group("") }`: one group, two
      // shapes. The routes are listed once, under the shape of a flag at its zero value (unset).
      const other = decl.kind() === 'assignment_statement' ? alternativeShape(decl, target.text()) : undefined
      if (other && !other.taken) {
        ctx?.diagnose({ level: 'info', code: 'ALTERNATIVE_PREFIX', line: lineOf(value), message: `\`${target.text()}\` is \`${value.text()}\` only when \`${other.condition}\` is set; its routes are listed under the other branch, taken when it is unset` })
        continue
      }
      facts.mounts.push({ parent: group.owner, child: { name: child.owner }, prefix: group.prefix, line: lineOf(value) })
      facts.routers!.push({ name: child.owner, line: lineOf(target) })
      if (group.groupParam && group.owner) facts.routers!.push({ name: group.owner, line: lineOf(value) })
    }
  }
}

/**
 * `handlers.RegisterRoutes(api)`, `h.Register(r.Group("/users"))`: a function called with a
 * router receives its routes, so it is mounted on that router (under the group's prefix).
 */
export function collectRouterArguments(g: GoFile, id: GoFramework, facts: FileFacts): void {
  for (const call of g.file.root.findAll({ rule: { kind: 'call_expression' } })) {
    const fn = call.field('function')
    if (!fn || fn.kind() === 'func_literal') continue
    // A method of a router itself (`r.Mount`, `r.Run`), or of a route it makes (`r.PathPrefix("/x").Handler(h)`), is not a function receiving routes.
    if (fn.kind() === 'selector_expression') {
      const operand = fn.field('operand')
      if (operand && g.routerOf(routeChain(operand).base)?.framework) continue
    }
    let child: SymbolRef | undefined
    for (const arg of argsOf(call)) {
      const k = arg.kind()
      if (k !== 'identifier' && k !== 'selector_expression' && k !== 'call_expression') continue
      const router = g.routerOf(arg)
      if (!router || router.framework !== id) continue
      child ??= g.calleeRef(fn)
      if (!child) break
      // `addHandler(r, "ping", h)`: the other arguments bind the function's parameters at this call.
      const args: MountArg[] = argsOf(call).map((a) => argPath(a))
      facts.mounts.push({ parent: router.owner, child, prefix: router.prefix, line: lineOf(call), args })
      if (router.groupParam && router.owner) facts.routers!.push({ name: router.owner, line: lineOf(call) })
    }
  }
  facts.params = { ...facts.params, ...g.params() }
  collectRegistrarSlices(g, id, facts)
  if (g.once('served-fields')) collectServedFields(g, facts)
}

/**
 * `registrars = append(registrars, registerUsers)` (often in an `init()` of each file): a function of
 * this file that takes a router joins the slice, mounted where a loop over the slice calls its elements
 * with a router. The slice is the owner `registrars[]`, mounted nowhere until such a loop is seen.
 */
export function collectRegistrarSlices(g: GoFile, id: GoFramework, facts: FileFacts): void {
  for (const assign of g.file.root.findAll({ rule: { kind: 'assignment_statement', has: { field: 'right', has: { kind: 'call_expression', regex: '^append\\(' } } } })) {
    const target = assign.field('left')?.namedChildren()[0]
    const call = assign.field('right')?.namedChildren()[0]
    if (target?.kind() !== 'identifier' || call?.kind() !== 'call_expression' || call.field('function')?.text() !== 'append') continue
    const [base, ...added] = argsOf(call)
    if (base?.text() !== target.text()) continue
    for (const fn of added) {
      if (fn.kind() !== 'identifier' || !g.takesRouter(fn.text(), id)) continue
      facts.mounts.push({ parent: `${target.text()}[]`, child: { name: fn.text() }, prefix: [], line: lineOf(fn) })
      facts.routers!.push({ name: `${target.text()}[]`, line: lineOf(assign) })
    }
  }
}

/**
 * An assignment in one branch of `if flag { x = a } else { x = b }` whose other branch assigns the
 * same name: whether its branch is the one taken when the flag is unset (the zero value), and the flag.
 * Undefined when the condition is not a plain flag (`x == "y"`) or the other branch does not assign it.
 */
function alternativeShape(assign: SgNode, name: string): { taken: boolean; condition: string } | undefined {
  // A block holds its statements directly or in a `statement_list`, depending on the grammar's version.
  let block = assign.parent()
  if (block?.kind() === 'statement_list') block = block.parent()
  const stmt = block?.parent()
  if (block?.kind() !== 'block' || stmt?.kind() !== 'if_statement') return undefined
  const consequence = stmt.field('consequence')
  const alternative = stmt.field('alternative')
  if (!consequence || alternative?.kind() !== 'block') return undefined
  const inConsequence = keyOf(consequence) === keyOf(block)
  const other = inConsequence ? alternative : consequence
  const statements = other.namedChildren().flatMap((c) => (c.kind() === 'statement_list' ? c.namedChildren() : [c]))
  const assigns = statements.some((c) => c.kind() === 'assignment_statement' && c.field('left')?.namedChildren().some((l) => l.text() === name))
  if (!assigns) return undefined
  let cond = stmt.field('condition')
  let negated = false
  if (cond?.kind() === 'unary_expression' && cond.text().startsWith('!')) {
    cond = cond.namedChildren()[0] ?? null
    negated = true
  }
  if (!cond || (cond.kind() !== 'identifier' && cond.kind() !== 'selector_expression') || stmt.field('initializer')) return undefined
  // Unset, the flag is false: `if flag` takes the alternative, `if !flag` the consequence.
  return { taken: inConsequence === negated, condition: cond.text() }
}

/** The slice a `for _, name := range slice` around `node` takes `name` from. */
function rangedOver(node: SgNode, name: string): string | undefined {
  for (let cur = node.parent(); cur; cur = cur.parent()) {
    if (FUNCTION_KINDS.has(String(cur.kind()))) return undefined
    if (cur.kind() !== 'for_statement') continue
    const range = cur.namedChildren().find((c) => c.kind() === 'range_clause')
    const left = range?.field('left')?.namedChildren() ?? []
    const right = range?.field('right')
    const slice = right?.kind() === 'identifier' || (right?.kind() === 'selector_expression' && right.field('operand')?.kind() === 'identifier') ? right.text() : undefined
    if (slice && left.some((l) => l.text() === name)) return slice
  }
  return undefined
}

/**
 * A call's argument as a path: `path` of `for _, path := range paths` is each item of `paths` (a
 * variadic parameter bound once per argument of each call).
 */
function argPath(a: SgNode): PathExpr {
  // A boolean literal decides the template's `if flag {` blocks.
  if (a.kind() === 'true' || a.kind() === 'false') return [a.text()]
  if (!isStringLike(a)) return [{ unknown: a.text() }]
  return rangeItems(a, goPathOf(a))
}

/** A path whose names include `name` of `for _, name := range names`: each item of `names` instead. */
function rangeItems(node: SgNode, path: PathExpr): PathExpr {
  const ids = node.kind() === 'identifier' ? [node] : node.findAll({ rule: { kind: 'identifier' } })
  const alias = new Map<string, string>()
  for (const id of ids) {
    const slice = rangedOver(id, id.text())
    if (slice && /^\w+$/.test(slice)) alias.set(id.text(), slice)
  }
  if (!alias.size) return path
  return path.map((p) => (typeof p !== 'string' && 'ref' in p && alias.has(p.ref) ? { ref: alias.get(p.ref)! } : p))
}

/**
 * `if persistable { r.Post(...) }` (or its `else`, or `if !persistable`) in a function whose parameter
 * `persistable` decides it: the route exists only for calls that pass that value. The innermost `if` counts.
 */
function guardOf(g: GoFile, node: SgNode): RouteFact['when'] {
  let child = node
  for (let cur = node.parent(); cur; child = cur, cur = cur.parent()) {
    if (FUNCTION_KINDS.has(String(cur.kind()))) return undefined
    if (cur.kind() !== 'if_statement') continue
    const branch = cur.field('consequence') && keyOf(cur.field('consequence')!) === keyOf(child) ? true : cur.field('alternative') && keyOf(cur.field('alternative')!) === keyOf(child) ? false : undefined
    if (branch === undefined) continue
    let cond = cur.field('condition')
    let is = branch
    if (cond?.kind() === 'unary_expression' && cond.text().startsWith('!')) {
      cond = cond.namedChildren()[0] ?? null
      is = !is
    }
    if (cond?.kind() !== 'identifier' || cur.field('initializer')) return undefined
    return g.bindingOf(cond, cond.text())?.param ? { param: cond.text(), is } : undefined
  }
  return undefined
}

/** An argument that can carry a path: a string literal, a concatenation, a name (a constant or a parameter). */
function isStringLike(node: SgNode): boolean {
  const k = node.kind()
  return k === 'interpreted_string_literal' || k === 'raw_string_literal' || k === 'binary_expression' || k === 'identifier' || (k === 'selector_expression' && node.field('operand')?.kind() === 'identifier')
}

/** `r.Route("/api", func(r chi.Router) {...})`, `r.Group(func(r chi.Router) {...})`, `app.Route("/x", registerX)`. */
export function collectCallbackRouters(g: GoFile, ctx: ExtractContext, id: GoFramework, methods: string[], facts: FileFacts): void {
  const calls = g.file.root.findAll({
    rule: { kind: 'call_expression', has: { field: 'function', kind: 'selector_expression', has: { field: 'field', regex: `^(${methods.join('|')})$` } } },
  })
  const plausible = g.plausible(id)
  for (const call of calls) {
    const fn = call.field('function')!
    const operand = fn.field('operand')
    const router = operand ? g.routerOf(operand) : undefined
    if (!router || !(router.framework === id || (router.framework === undefined && plausible))) continue
    const args = argsOf(call)
    const withPath = args[0] && args[0].kind() !== 'func_literal' && args.length >= 2
    const callback = withPath ? args[1] : args[0]
    if (!callback) continue
    const prefix = withPath ? [...router.prefix, ...ctx.pathOf(args[0]!)] : router.prefix
    let child: SymbolRef | undefined
    if (callback.kind() === 'func_literal') {
      child = { name: scopeName(callback) }
      facts.routers!.push({ name: child.name, line: lineOf(callback) })
    } else child = g.calleeRef(callback)
    if (child) facts.mounts.push({ parent: router.owner, child, prefix, line: lineOf(call) })
  }
}

/**
 * A sub-router handed to `r.Mount(prefix, x)` or `http.StripPrefix(prefix, x)`: a router variable,
 * or a call of a function of this module that builds one (`adminRouter()`, `admin.Routes()`).
 */
export function subRouterRef(g: GoFile, node: SgNode): SymbolRef | undefined {
  const k = node.kind()
  if (k === 'call_expression') {
    const fn = node.field('function')
    if (fn?.kind() === 'selector_expression') {
      const operand = fn.field('operand')
      if (operand?.kind() === 'identifier' && g.isExternalPackage(operand.text())) return undefined
      // `r.Group(...)` on a router is not a factory; `api.Router()` on a value of this module may be.
      const fw = operand ? g.routerOf(operand)?.framework : undefined
      if (fw && fw !== 'other') return undefined
    }
    if (!fn) return undefined
    // A function of this file is a router factory only if it builds one (`s.handleAbout()` returns a handler).
    const decl = g.declarationOf(fn)
    if (decl && !g.buildsRouter(decl)) return undefined
    return g.calleeRef(fn)
  }
  if (k === 'identifier') {
    const b = g.bindingOf(node, node.text())
    if (b?.value?.kind() === 'call_expression') {
      const fromFactory = subRouterRef(g, b.value)
      if (fromFactory) return fromFactory
    }
    const router = g.routerOf(node)
    if (router?.framework && router.framework !== 'other' && router.owner) return { name: router.owner }
  }
  if (k === 'selector_expression') {
    const router = g.routerOf(node)
    if (router?.framework && router.framework !== 'other' && router.owner) return { name: router.owner }
  }
  return undefined
}

/**
 * `r.Mount("/admin", adminRouter())`: a sub-router of this module is mounted under the prefix;
 * any other handler (`middleware.Profiler()`) serves the whole subtree, listed as `ALL prefix/*`.
 */
export function collectMounts(g: GoFile, ctx: ExtractContext, id: GoFramework, facts: FileFacts): void {
  const plausible = g.plausible(id)
  for (const call of g.file.root.findAll({
    rule: { kind: 'call_expression', has: { field: 'function', kind: 'selector_expression', has: { field: 'field', regex: '^Mount$' } } },
  })) {
    const fn = call.field('function')!
    const operand = fn.field('operand')
    const router = operand ? g.routerOf(operand) : undefined
    if (!router || !(router.framework === id || (router.framework === undefined && plausible))) continue
    const [prefixNode, handler] = argsOf(call)
    if (!prefixNode || !handler) continue
    const prefix = [...router.prefix, ...ctx.pathOf(prefixNode)]
    const child = subRouterRef(g, handler) ?? slotRef(g, handler)
    if (child) {
      facts.mounts.push({ parent: router.owner, child, prefix, line: lineOf(call), ...('param' in child ? { framework: id } : {}) })
      continue
    }
    const route: RouteFact = { methods: ['ALL'], path: [...prefix, '/*'], owner: router.owner, line: lineOf(fn.field('field')!) }
    const name = handlerName(handler)
    if (name) route.handler = name
    facts.routes.push(route)
  }
}

/**
 * `r.Mount(path, sub)` where `sub` is a parameter of the enclosing function (not a router type):
 * whatever each call of that function passes is mounted there.
 */
export function slotRef(g: GoFile, node: SgNode): SymbolRef | undefined {
  if (node.kind() !== 'identifier') return undefined
  const b = g.bindingOf(node, node.text())
  if (!b?.param || b.receiver) return undefined
  if (b.type && g.classifyType(b.type) !== undefined && g.classifyType(b.type) !== 'other') return undefined
  return { param: node.text(), of: b.owner }
}

/**
 * The calls of this file to functions named in `names` (the functions of the tree that mount a
 * parameter), with what each argument may be: a router, a function that builds one, a value of a
 * type that serves one.
 */
export function collectCallSites(g: GoFile, names: ReadonlySet<string>): CallFact[] {
  const out: CallFact[] = []
  for (const call of g.file.root.findAll({ rule: { kind: 'call_expression' } })) {
    const fn = call.field('function')
    const name = fn?.kind() === 'identifier' ? fn.text() : fn?.kind() === 'selector_expression' ? fn.field('field')?.text() : undefined
    if (!fn || !name || !names.has(name)) continue
    const callee = g.calleeRef(fn)
    if (!callee) continue
    const args = argsOf(call)
    out.push({
      callee,
      line: lineOf(call),
      args: args.map((a) => argPath(a)),
      values: args.map((a) => g.valueRefs(a)),
      texts: args.map((a) => a.text()),
    })
  }
  return out
}

/**
 * `X.Handler = X.routes()` where X is a value of a struct type T of this file (`r := &Router{}`, or the
 * receiver): a T handed to a mount serves what that method builds, so T mounts it.
 */
export function collectServedFields(g: GoFile, facts: FileFacts): void {
  for (const assign of g.file.root.findAll({ rule: { kind: 'assignment_statement' } })) {
    const left = assign.field('left')?.namedChildren() ?? []
    const right = assign.field('right')?.namedChildren() ?? []
    if (left.length !== 1 || right.length !== 1) continue
    const target = left[0]!
    const value = right[0]!
    if (target.kind() !== 'selector_expression' || value.kind() !== 'call_expression') continue
    const operand = target.field('operand')
    const field = target.field('field')?.text()
    if (operand?.kind() !== 'identifier' || !field || !g.servesHandler(field)) continue
    const type = g.typeOfValue(operand)
    if (!type) continue
    const child = subRouterRef(g, value)
    if (!child) continue
    facts.mounts.push({ parent: type, child, prefix: [], line: lineOf(assign) })
  }
}
