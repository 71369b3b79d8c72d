/**
 * How routers reach each other: `r.Mount(prefix, sub)`, routers passed to functions of the module
 * (`RegisterRoutes(api)`), slices of registrars, values that serve a router, and the calls of functions
 * that mount one of their parameters.
 */
import type { SgNode } from '@ast-grep/napi'
import type { CallFact, ExtractContext, FileFacts, MountArg, RouteFact, SymbolRef } from '../types.js'
import { routeChain } from './chains.js'
import type { GoFile } from './file.js'
import { handlerName } from './handlers.js'
import type { GoLibrary } from './library.js'
import { argsOf, lineOf } from './nodes.js'
import { argPath } from './paths.js'

/**
 * `r.Mount("/admin", adminRouter())`: a sub-router of this module is mounted under the prefix;
 * any other handler (`middleware.Profiler()`) serves the whole subtree, listed as `ALL prefix/*`.
 */
export function collectMounts(g: GoFile, ctx: ExtractContext, library: GoLibrary, facts: FileFacts): void {
  const plausible = g.plausible(library)
  for (const call of g.file.root.findAll({
    rule: { kind: 'call_expression', has: { field: 'function', kind: 'selector_expression', has: { field: 'field', regex: '^Mount$' } } },
  })) {
    const fn = call.field('function')!
    const operand = fn.field('operand')
    const router = operand ? g.routerOf(operand) : undefined
    if (!router || !(router.framework === library.id || (router.framework === undefined && plausible))) continue
    const [prefixNode, handler] = argsOf(call)
    if (!prefixNode || !handler) continue
    const prefix = [...router.prefix, ...ctx.pathOf(prefixNode)]
    const child = subRouterRef(g, handler) ?? slotRef(g, handler)
    if (child) {
      facts.mounts.push({ parent: router.owner, child, prefix, line: lineOf(call), ...('param' in child ? { framework: library.id } : {}) })
      continue
    }
    const route: RouteFact = { methods: ['ALL'], path: [...prefix, '/*'], owner: router.owner, line: lineOf(fn.field('field')!) }
    const name = handlerName(handler)
    if (name) route.handler = name
    facts.routes.push(route)
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
 * `handlers.RegisterRoutes(api)`, `h.Register(r.Group("/users"))`: a function called with a
 * router receives its routes, so it is mounted on that router (under the group's prefix).
 */
export function collectRouterArguments(g: GoFile, library: GoLibrary, facts: FileFacts): void {
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
      if (!router || router.framework !== library.id) continue
      child ??= g.calleeRef(fn)
      if (!child) break
      // `addHandler(r, "ping", h)`: the other arguments bind the function's parameters at this call.
      const args: MountArg[] = argsOf(call).map((a) => argPath(a))
      facts.mounts.push({ parent: router.owner, child, prefix: router.prefix, line: lineOf(call), args })
      if (router.groupParam && router.owner) facts.routers!.push({ name: router.owner, line: lineOf(call) })
    }
  }
  facts.params = { ...facts.params, ...g.params() }
  collectRegistrarSlices(g, library, facts)
  if (g.once('served-fields')) collectServedFields(g, facts)
}

/**
 * `registrars = append(registrars, registerUsers)` (often in an `init()` of each file): a function of
 * this file that takes a router joins the slice, mounted where a loop over the slice calls its elements
 * with a router. The slice is the owner `registrars[]`, mounted nowhere until such a loop is seen.
 */
export function collectRegistrarSlices(g: GoFile, library: GoLibrary, facts: FileFacts): void {
  for (const assign of g.file.root.findAll({
    rule: { kind: 'assignment_statement', has: { field: 'right', has: { kind: 'call_expression', regex: '^append\\(' } } },
  })) {
    const target = assign.field('left')?.namedChildren()[0]
    const call = assign.field('right')?.namedChildren()[0]
    if (target?.kind() !== 'identifier' || call?.kind() !== 'call_expression' || call.field('function')?.text() !== 'append') continue
    const [base, ...added] = argsOf(call)
    if (base?.text() !== target.text()) continue
    for (const fn of added) {
      if (fn.kind() !== 'identifier' || !g.takesRouter(fn.text(), library.id)) continue
      facts.mounts.push({ parent: `${target.text()}[]`, child: { name: fn.text() }, prefix: [], line: lineOf(fn) })
      facts.routers!.push({ name: `${target.text()}[]`, line: lineOf(assign) })
    }
  }
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
