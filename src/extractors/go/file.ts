/**
 * The bindings and owners of a Go file, shared by every Go extractor that reads it: which variables
 * are routers of which library, and the owner a router variable stands for.
 *
 * Owners: a package-level router is its own name (`router`); a router parameter is its function
 * (`RegisterRoutes`, `UserHandler.Register`, `main.func@12` for a callback); a local router is
 * qualified by its function (`setupRouter.v1`), unless the function returns it (a factory is
 * its function: `adminRouter`).
 */
import type { SgNode } from '@ast-grep/napi'
import { goPathOf } from '../../languages/go.js'
import type { ParsedFile, PathExpr, SymbolRef } from '../types.js'
import { chainPath, matcherMethods, routeChain } from './chains.js'
import { goLibraries, isModule, libraryOf, libraryOfImport, requiresLibrary, type GoLibrary } from './library.js'
import { argsOf, FUNCTION_KINDS, keyOf, MAX_VALUE_DEPTH, receiverType, sameFunction, scopeName, typeText } from './nodes.js'
import { rangedOver } from './paths.js'

/** Methods that return their receiver, configured: the same router (`r.With(mw)`, gorilla/mux's `mux.NewRouter().StrictSlash(true)`). */
export const SAME_ROUTER = new Set(['With', 'Use', 'StrictSlash', 'SkipClean', 'UseEncodedPath'])

/** A router expression: the owner its routes are registered on, and the prefix already applied (`r.Group("/x").GET`). */
export interface RouterRef {
  owner: string | null
  prefix: PathExpr
  /** The library the router belongs to (its id); `other` for a value known not to be a router; undefined when unknown. */
  framework: string | undefined
  /** A parameter typed as a group (`g *gin.RouterGroup`): its function must be called with one somewhere. */
  groupParam?: boolean
}

/** Where a name is declared: the owner it stands for, its declared type or initial value. */
export interface Binding {
  owner: string
  type?: SgNode | null
  value?: SgNode | null
  receiver?: boolean
  param?: boolean
}

/** Per-file syntax facts for the Go extractors, built once and shared by all of them. */
export class GoFile {
  private readonly locals = new Map<string, Map<string, Binding>>()
  private readonly packageVars = new Map<string, Binding>()
  private readonly fields = new Map<string, SgNode>()
  private readonly functions = new Map<string, SgNode>()
  private readonly methods = new Map<string, SgNode>()
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

  /** The router libraries this file imports. */
  importedLibraries(): GoLibrary[] {
    if (this.libraries) return this.libraries
    const out = new Set<GoLibrary>()
    for (const i of Object.values(this.file.module.imports)) {
      const library = libraryOfImport(i.module)
      if (library) out.add(library)
    }
    return (this.libraries = [...out])
  }

  private libraries: GoLibrary[] | undefined

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
        const path = this.importOf(name)
        // `http.HandleFunc`: the default ServeMux, served at the root.
        const standard = goLibraries().find((l) => l.standard && path !== undefined && l.modules.includes(path))
        if (standard) return { owner: null, prefix: [], framework: standard.id }
        if (path !== undefined) return undefined
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
        if (!base || (base.framework !== undefined && !libraryOf(base.framework)?.routeChains)) return undefined
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
      .flatMap((p) =>
        p
          .children()
          .filter((c) => c.kind() === 'identifier')
          .map((c) => c.text()),
      )
    for (const ret of decl.findAll({ rule: { kind: 'return_statement' } })) {
      if (!sameFunction(ret, decl)) continue
      for (const call of ret.findAll({
        rule: { kind: 'call_expression', has: { field: 'function', kind: 'selector_expression', has: { field: 'field', regex: '^Group$' } } },
      })) {
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
    const library = pkg ? libraryOfImport(this.importOf(pkg) ?? '') : undefined
    return !!library && library.groupTypes.includes(t?.field('name')?.text() ?? '')
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
    const library = pkg ? libraryOfImport(this.importOf(pkg) ?? '') : undefined
    if (!library || !name) return pkg && this.importOf(pkg) !== undefined ? 'other' : undefined
    return library.types.includes(name) ? library.id : 'other'
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
      const library = libraryOfImport(this.importOf(operand.text())!)
      if (!library) return undefined
      return library.constructors.includes(name) ? library.id : 'other'
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
    const type =
      b?.type ??
      (b?.value?.kind() === 'unary_expression'
        ? b.value.namedChildren()[0]?.field('type')
        : b?.value?.kind() === 'composite_literal'
          ? b.value.field('type')
          : undefined)
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
  takesRouter(name: string, id: string): boolean {
    const fn = this.functions.get(name)
    return !!fn
      ?.field('parameters')
      ?.namedChildren()
      .some((p) => {
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

  /** True when the library's routes are plausible on a router of unknown type: the file uses the library, or it is the module's only router. */
  plausible(library: GoLibrary): boolean {
    if (!library.standard && this.importedLibraries().some((l) => l.id === library.id)) return true
    const manifest = this.file.manifest
    if (!manifest || manifest.file === null) return !library.standard
    const routers = goLibraries().filter((l) => !l.standard && requiresLibrary(manifest, l))
    // With another router library in go.mod, an untyped `x.HandleFunc` is not net/http's.
    if (library.standard) return routers.length === 0
    return routers.length === 1 && routers[0]!.id === library.id
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
  const values =
    spec
      .children()
      .find((c) => c.kind() === 'expression_list')
      ?.namedChildren() ?? []
  const type = spec.field('type')
  return names.map((n, i) => [n.text(), { type, value: values[i] ?? null }])
}

/** The names a returned expression hands back: `r`, or the arguments of wrappers around it (`cors(r)`, `h.Wrap(mw)(r)`). */
function returnedNames(e: SgNode, depth = 0): string[] {
  if (e.kind() === 'identifier') return [e.text()]
  if (e.kind() !== 'call_expression' || depth > 2) return []
  return argsOf(e).flatMap((a) => returnedNames(a, depth + 1))
}
